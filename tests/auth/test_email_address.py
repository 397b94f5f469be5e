"""An account's e-mail address (where the daily digest goes): optional, checked, set by an administrator on
the users' pages or with ``users create --email``, and on the admin log with its value before and after."""
from __future__ import annotations

import sqlalchemy as sa

from mediation.audit.models import AdminEvent
from mediation.auth.models import User
from tests.factories import PASSWORD, csrf_from

USERS = "/admin/users"


def user_named(db, username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


def last_logged(db, kind: str) -> AdminEvent:
    db.session.expire_all()
    return db.session.scalars(sa.select(AdminEvent).where(AdminEvent.kind == kind).order_by(AdminEvent.id)).all()[-1]


def new_user(client, **fields):
    data = {"username": "zhou", "display_name": "周调解员", "role": "mediator", "password": PASSWORD,
            "confirm": PASSWORD, **fields}
    return client.post(USERS + "?lang=en", data={**data, "csrf_token": csrf_from(client.get(USERS).get_data(
        as_text=True))})


def test_an_administrator_gives_a_new_user_an_address(client, login, users, db):
    login("admin")
    assert new_user(client, email=" zhou@example.cn ").status_code == 302
    assert user_named(db, "zhou").email == "zhou@example.cn"
    assert last_logged(db, "user_created").changes["email"] == [None, "zhou@example.cn"]
    assert "zhou@example.cn" in client.get(USERS).get_data(as_text=True)


def test_an_address_that_is_not_one_is_refused(client, login, users, db):
    login("admin")
    for wrong in ("zhou", "zhou@example", "周 <zhou@example.cn>", "a@example.cn, b@example.cn"):
        response = new_user(client, email=wrong)
        assert response.status_code == 422
        assert "Enter one e-mail address" in response.get_data(as_text=True)
        assert user_named(db, "zhou") is None


def test_changing_an_address_is_logged_with_before_and_after(client, login, users, db):
    login("admin")
    mediator = users["mediator"]
    page = client.get(f"{USERS}/{mediator.id}").get_data(as_text=True)
    response = client.post(f"{USERS}/{mediator.id}", data={"csrf_token": csrf_from(page), "role": "mediator",
                                                           "display_name": "Test mediator",
                                                           "email": "mediator@example.cn"})
    assert response.status_code == 302
    assert user_named(db, "mediator").email == "mediator@example.cn"
    assert last_logged(db, "user_changed").changes == {"email": ["", "mediator@example.cn"]}


def test_the_command_line_takes_an_address(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "wu", "--role", "lawyer", "--email",
                                                "wu@example.cn"], env={"MEDIATION_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert user_named(db, "wu").email == "wu@example.cn"
    result = app.test_cli_runner().invoke(args=["users", "create", "zheng", "--role", "lawyer", "--email",
                                                "not an address"], env={"MEDIATION_PASSWORD": PASSWORD})
    assert result.exit_code != 0 and user_named(db, "zheng") is None
