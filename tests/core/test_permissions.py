"""Who may reach which page: every route for visitors, and the foundation's routes for each role."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Callable

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter, UUIDConverter

from mediation import PUBLIC_ENDPOINTS
from mediation.audit.models import CaseEvent
from mediation.auth import services as auth_services
from mediation.auth.models import Role, User
from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.auth.permissions import PERMISSIONS
from mediation.core.timeutil import local_today
from tests.factories import csrf_from, make_case, make_user, sign_in

ROLES = [role.value for role in Role]


def placeholder_url(app, rule, case_no: str) -> str:
    """A URL for ``rule`` with made-up but well-formed arguments (a real case number where one is asked)."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, UUIDConverter):
            values[name] = uuid.uuid4()
        elif "case" in name:
            values[name] = case_no
        else:
            values[name] = "x"
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, force_external=False)


def routes(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)


def main_method(rule) -> str:
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_everywhere(app, client, users):
    case = make_case(users["mediator"])
    token = csrf_from(client.get("/login").get_data(as_text=True))
    problems = []
    for rule in routes(app):
        url = placeholder_url(app, rule, case.case_no)
        method = main_method(rule)
        response = client.open(url, method=method, data={"csrf_token": token} if method != "GET" else None)
        location = response.headers.get("Location", "")
        if rule.endpoint in PUBLIC_ENDPOINTS:
            ok = response.status_code != 500 and not location.startswith("/login")
        elif rule.rule.startswith("/api/"):
            ok = response.status_code == 401 or (rule.rule.endswith("openapi.json") and response.status_code == 200)
        else:
            ok = response.status_code == 302 and location.startswith("/login")
        if not ok:
            problems.append(f"{method} {url} → {response.status_code} {location}")
    assert not problems, "\n".join(problems)
    assert db_case(case).status == Status.RECEIVED


def db_case(case):
    from mediation.extensions import db

    db.session.expire_all()
    return db.session.get(Case, case.id)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_answers_a_server_error_to_any_role(role, app, client, login, users):
    case = make_case(users["mediator"])
    login(role)
    problems = []
    for rule in routes(app):
        if "GET" not in rule.methods:
            continue
        url = placeholder_url(app, rule, case.case_no)
        code = client.get(url).status_code
        if code not in (200, 302, 400, 403, 404, 422):  # placeholder arguments may be refused, never crash
            problems.append(f"GET {url} → {code}")
    assert not problems, "\n".join(problems)


@dataclass
class Probe:
    """One request to a foundation route: what permission it needs and how a permitted request ends."""

    permission: str | None
    method: str
    url: Callable
    ok: int
    data: Callable | None = None
    needs_visible_case: bool = False
    happened: Callable | None = None


def _status(ctx):
    return db_case(ctx["case"]).status


FOUNDATION = {
    "cases.queue": Probe("case.view", "GET", lambda c: "/", 200),
    "cases.intake": Probe("case.create", "GET", lambda c: "/cases/new", 200),
    "cases.employer_suggestions": Probe("case.create", "GET", lambda c: "/employers.json?q=示例", 200),
    "cases.detail": Probe("case.view", "GET", lambda c: f"/cases/{c['case'].case_no}", 200,
                          needs_visible_case=True),
    "cases.transition": Probe(
        "case.transition", "POST", lambda c: f"/cases/{c['case'].case_no}/actions/accept", 302,
        data=lambda c: {"accept-on": local_today().isoformat()}, needs_visible_case=True,
        happened=lambda c: _status(c) == Status.ACCEPTED),
    "cases.green_channel": Probe(
        "case.green_channel", "POST", lambda c: f"/cases/{c['case'].case_no}/green-channel", 302,
        data=lambda c: {"green_channel": "y", "reason": "春节前专项行动"}, needs_visible_case=True,
        happened=lambda c: db_case(c["case"]).green_channel),
    "cases.assign": Probe(
        "case.assign", "POST", lambda c: f"/cases/{c['case'].case_no}/assign", 302,
        data=lambda c: {"mediator": str(c["mediator"].id)}, needs_visible_case=True,
        happened=lambda c: db_case(c["case"]).assigned_mediator_id == c["mediator"].id),
    "auth.users": Probe("users.manage", "GET", lambda c: "/admin/users", 200),
    "auth.toggle_active": Probe(
        "users.manage", "POST", lambda c: f"/admin/users/{c['other'].id}/active", 302,
        happened=lambda c: not _fresh_user(c["other"]).active),
    "auth.edit_user": Probe(
        "users.manage", "POST", lambda c: f"/admin/users/{c['other'].id}", 302,
        data=lambda c: {"display_name": "改过的名字", "role": "mediator"},
        happened=lambda c: _fresh_user(c["other"]).display_name == "改过的名字"),
    "auth.issue_token": Probe(
        "users.manage", "POST", lambda c: f"/admin/users/{c['other'].id}/tokens", 200,
        happened=lambda c: _tokens_of(c["other"]) == 2),
    "auth.revoke_token": Probe(
        "users.manage", "POST", lambda c: f"/admin/tokens/{c['token_id']}/revoke", 302,
        happened=lambda c: auth_services.token_user(c["token"]) is None),
    "auth.logout": Probe(None, "POST", lambda c: "/logout", 302),
    "auth.set_language": Probe(None, "POST", lambda c: "/language/en", 302),
    "auth.login": Probe(None, "GET", lambda c: "/login", 302),    # signed in already: to the queue
    "auth.setup": Probe(None, "GET", lambda c: "/setup", 404),    # gone once a user exists
}


def _tokens_of(user) -> int:
    from mediation.auth.models import ApiToken
    from mediation.extensions import db

    return db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.user_id == user.id))


def _fresh_user(user):
    from mediation.extensions import db

    db.session.expire_all()
    return db.session.get(User, user.id)


def expected_code(probe: Probe, role: str) -> int:
    if probe.permission is not None and Role(role) not in PERMISSIONS[probe.permission]:
        return 403
    if probe.needs_visible_case and role == "lawyer":
        return 404  # the case was not referred to this lawyer: not even its existence is shown
    return probe.ok


def test_the_matrix_covers_every_route_of_the_foundation(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in ("cases", "auth")}
    assert endpoints == set(FOUNDATION), "add new sign-in or case routes to FOUNDATION"


@pytest.mark.parametrize("endpoint", sorted(FOUNDATION))
def test_each_role_gets_what_the_permissions_table_says(endpoint, app, users, db):
    probe = FOUNDATION[endpoint]
    problems = []
    for role in ROLES:  # each role on its own case, user and browser
        other = make_user("mediator")
        token = auth_services.issue_token(other, None)
        db.session.commit()
        ctx = {"case": make_case(users["mediator"]), "mediator": users["mediator"], "other": other,
               "token": token, "token_id": db.session.scalar(sa.text("SELECT max(id) FROM api_tokens"))}
        client = app.test_client()
        sign_in(client, users[role].username)
        data = probe.data(ctx) if probe.data else {}
        if probe.method == "POST":
            data["csrf_token"] = csrf_from(client.get("/").get_data(as_text=True))
        response = client.open(probe.url(ctx), method=probe.method, data=data or None)
        expected = expected_code(probe, role)
        if response.status_code != expected:
            problems.append(f"{role}: {response.status_code}, expected {expected}")
        elif probe.happened is not None and bool(probe.happened(ctx)) != (expected == probe.ok):
            problems.append(f"{role}: answered {expected} but the change {'did not happen' if expected == probe.ok else 'happened'}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("endpoint", sorted(e for e, p in FOUNDATION.items() if p.method == "POST"))
def test_the_wrong_method_is_refused(endpoint, app, client, login, users):
    ctx = {"case": make_case(users["mediator"]), "mediator": users["mediator"], "other": users["lawyer"],
           "token": "", "token_id": 1}
    login("admin")
    shows_a_form = any("GET" in r.methods for r in app.url_map.iter_rules(endpoint))
    assert client.get(FOUNDATION[endpoint].url(ctx)).status_code == (200 if shows_a_form else 405)


def test_a_lawyer_sees_only_the_cases_referred_to_them(client, login, users, db):
    from mediation.legal_aid.services import refer_to_legal_aid

    mine = make_case(users["mediator"], worker_name="赵律援")
    theirs = make_case(users["mediator"], worker_name="钱未转")
    other_lawyer = make_user("lawyer")
    elsewhere = make_case(users["mediator"], worker_name="孙他人")
    refer_to_legal_aid(mine, users["supervisor"], lawyer=users["lawyer"])
    refer_to_legal_aid(elsewhere, users["supervisor"], lawyer=other_lawyer)
    db.session.commit()
    login("lawyer")
    queue = client.get("/").get_data(as_text=True)
    assert "赵律援" in queue
    assert "钱未转" not in queue and "孙他人" not in queue
    assert client.get(f"/cases/{mine.case_no}").status_code == 200
    assert client.get(f"/cases/{theirs.case_no}").status_code == 404
    assert client.get(f"/cases/{elsewhere.case_no}").status_code == 404
    assert f'data-case-no="{theirs.case_no}"' not in client.get(f"/?q={theirs.case_no}").get_data(as_text=True)


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(client, login, users, db):
    case = make_case(users["mediator"])
    login("supervisor")
    for url, data in [
        (f"/cases/{case.case_no}/actions/accept", {"accept-on": local_today().isoformat()}),
        (f"/cases/{case.case_no}/green-channel", {"green_channel": "y", "reason": "专项"}),
        (f"/cases/{case.case_no}/assign", {"mediator": str(users["mediator"].id)}),
        ("/cases/new", {"received_on": local_today().isoformat(), "employer_name": "某公司",
                        "workers-0-name": "王五", "matters": "工资", "dispute_type": "13", "channel": "walk_in"}),
    ]:
        assert client.post(url, data=data).status_code == 400
        assert client.post(url, data={**data, "csrf_token": "forged"}).status_code == 400
    fresh = db_case(case)
    assert (fresh.status, fresh.green_channel, fresh.assigned_mediator_id) == (Status.RECEIVED, False, None)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(CaseEvent.id))) == 1
