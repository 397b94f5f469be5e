"""The edge: a request or a command commits once when it succeeds and keeps nothing when it does not;
a refusal comes back as the page it came from with the message."""
from __future__ import annotations

import click
import pytest
import sqlalchemy as sa
from flask import flash, render_template_string, request
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from mediation.admin import services as reference
from mediation.core.database import in_write_transaction
from mediation.core.edge import CommandGroup, PartlyDone, on_refusal, validate, writes
from mediation.core.errors import Refused
from mediation.extensions import db
from mediation.reference.models import Street


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(validators=[DataRequired()])


PAGE = "{% for m in get_flashed_messages() %}<p class=flash>{{ m }}</p>{% endfor %}" \
       "<form>{{ form.name() }}{% for e in form.name.errors %}<p class=error>{{ e }}</p>{% endfor %}</form>"


def streets() -> list[str]:
    db.session.rollback()
    return sorted(db.session.scalars(sa.select(Street.name)))


@pytest.fixture
def edge_app(app):
    """The app with a few routes of its own that write a street in the ways a real view would."""
    def page(form):
        return lambda: render_template_string(PAGE, form=form)

    def add():
        form = NameForm()
        validate(form, page(form))
        reference.add_street(form.name.data, "", None)
        if request.args.get("then") == "refuse":
            raise Refused("Not this street.", "name")
        flash("Street added.")
        return "added", int(request.args.get("status", 200))

    def add_by_get():
        reference.add_street(request.args["name"], "", None)
        return "added"

    def twice():
        on_refusal(lambda: "back")
        db.session.add(Street(name="重复街道", name_en="", sort_order=1))
        db.session.add(Street(name="重复街道", name_en="", sort_order=2))
        flash("Saved.")
        return "saved"

    def write_lock():
        return "immediate" if in_write_transaction(db.session.connection()) else "deferred"

    app.add_url_rule("/edge/add", "edge_add", add, methods=["POST"])
    app.add_url_rule("/edge/add-by-get", "edge_add_by_get", writes(add_by_get))
    app.add_url_rule("/edge/twice", "edge_twice", twice, methods=["POST"])
    app.add_url_rule("/edge/lock", "edge_lock", write_lock, methods=["GET", "POST"])
    app.add_url_rule("/edge/lock-get-writes", "edge_lock_get_writes", writes(lambda: write_lock()))
    import mediation

    mediation.PUBLIC_ENDPOINTS.update({"edge_add", "edge_add_by_get", "edge_twice", "edge_lock",
                                       "edge_lock_get_writes"})
    app.config["WTF_CSRF_ENABLED"] = False
    yield app
    mediation.PUBLIC_ENDPOINTS.difference_update({"edge_add", "edge_add_by_get", "edge_twice", "edge_lock",
                                                  "edge_lock_get_writes"})


def test_a_successful_request_is_committed_once_at_the_end(edge_app, client):
    assert client.post("/edge/add", data={"name": "东湖街道"}).status_code == 200
    assert client.get("/edge/add-by-get?name=西城街道").status_code == 200
    assert streets() == ["东湖街道", "西城街道"]


def test_an_answer_of_400_or_more_keeps_nothing(edge_app, client):
    assert client.post("/edge/add?status=422", data={"name": "东湖街道"}).status_code == 422
    assert streets() == []


def test_a_refusal_shows_the_form_again_with_the_message_and_keeps_nothing(edge_app, client):
    response = client.post("/edge/add?then=refuse", data={"name": "东湖街道"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="东湖街道"' in page and "<p class=error>Not this street.</p>" in page
    assert streets() == []


def test_an_invalid_form_comes_back_with_its_errors(edge_app, client):
    response = client.post("/edge/add", data={"name": ""})
    assert response.status_code == 422
    assert "class=error" in response.get_data(as_text=True) and "class=flash" in response.get_data(as_text=True)
    assert streets() == []


def test_a_commit_that_fails_is_a_conflict_not_a_success(edge_app, client):
    response = client.post("/edge/twice")
    assert response.status_code == 409 and response.get_data(as_text=True) == "back"
    follow = client.get("/edge/lock")  # the next page shows the conflict, not the view's "Saved."
    with client.session_transaction() as session:
        messages = [m for _c, m in session.get("_flashes", [])]
    assert follow.status_code == 200
    assert messages and "Saved." not in messages
    assert streets() == []


@pytest.mark.parametrize("method, path, lock", [
    ("GET", "/edge/lock", "deferred"), ("POST", "/edge/lock", "immediate"),
    ("GET", "/edge/lock-get-writes", "immediate"),
])
def test_a_write_takes_sqlites_lock_from_its_first_statement(edge_app, client, method, path, lock):
    if db.engine.dialect.name != "sqlite":
        lock = "immediate"  # PostgreSQL: row locks; every transaction may write
    assert client.open(path, method=method).get_data(as_text=True) == lock


def test_a_command_commits_when_it_returns_and_keeps_nothing_when_it_fails(app):
    group = CommandGroup("edge-test")

    @group.command("add", writes=True)
    @click.argument("name")
    @click.option("--fail", type=click.Choice(["click", "refused", "none"]), default="none")
    def add(name, fail):
        reference.add_street(name, "", None)
        if fail == "click":
            raise click.ClickException("stopped")
        if fail == "refused":
            raise Refused("Not this street.")
        click.echo("done")

    app.cli.add_command(group)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["edge-test", "add", "东湖街道"]).exit_code == 0
    stopped = runner.invoke(args=["edge-test", "add", "西城街道", "--fail", "click"])
    refused = runner.invoke(args=["edge-test", "add", "南苑街道", "--fail", "refused"])
    assert stopped.exit_code == 1 and refused.exit_code == 1 and "Not this street." in refused.output
    assert streets() == ["东湖街道"]


def test_a_command_that_partly_failed_keeps_what_it_did_and_says_so(app):
    group = CommandGroup("edge-partly")

    @group.command("add", writes=True)
    @click.argument("name")
    def add(name):
        reference.add_street(name, "", None)
        raise PartlyDone("One e-mail could not be sent.")

    app.cli.add_command(group)
    result = app.test_cli_runner().invoke(args=["edge-partly", "add", "北岸街道"])
    assert result.exit_code == 1 and "One e-mail could not be sent." in result.output
    assert streets() == ["北岸街道"]
