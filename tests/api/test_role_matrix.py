"""Who may call which API operation, derived from the app's URL map: a new operation without a row fails."""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import pytest
import sqlalchemy as sa

from mediation.auth.models import Role
from mediation.auth.permissions import PERMISSIONS
from mediation.cases import services as cases
from mediation.cases.models import Case, LimitationInterruption
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.recovery import services as recovery
from mediation.recovery.models import Payment
from mediation.audit.models import CaseEvent
from mediation.core.timeutil import office_zone
from mediation.sessions import services as sessions
from mediation.sessions.models import MediationSession
from tests.api.conftest import bearer
from tests.factories import make_case

_names = itertools.count(1)


@dataclass(frozen=True)
class Call:
    permission: str | None  # None: public
    method: str
    url: Callable[[Case], str]
    ok: int
    body: Callable[[], dict] | None = None
    needs_visible_case: bool = False
    adds: type = Case  # the record a successful POST adds one of (a refused one adds none)
    prepare: Callable[[Case, dict], None] | None = None  # takes the case where the call needs it (users given)


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


MATRIX = {
    "api.openapi": Call(None, "GET", lambda c: "/api/v1/openapi.json", 200),
    "api.create_case": Call(
        "case.create", "POST", lambda c: "/api/v1/cases", 201,
        body=lambda: {"received_on": "2025-03-03", "worker_name": f"矩阵{next(_names)}",
                      "employer_name": "矩阵公司", "dispute_type": "wage_arrears"}),
    "api.get_case": Call("case.view", "GET", lambda c: f"/api/v1/cases/{c.case_no}", 200, needs_visible_case=True),
    "api.patch_case": Call("case.edit", "PATCH", lambda c: f"/api/v1/cases/{c.case_no}", 200,
                           body=lambda: {"notes": "矩阵更正", "reason": "核对原件"}, needs_visible_case=True),
    "api.add_limitation_interruption": Call(
        "case.edit", "POST", lambda c: f"/api/v1/cases/{c.case_no}/limitation-interruptions", 201,
        body=lambda: {"on": "2025-03-03", "kind": "claim"}, needs_visible_case=True, adds=LimitationInterruption),
    "api.get_case_attachments": Call("case.view", "GET", lambda c: f"/api/v1/cases/{c.case_no}/attachments", 200,
                                     needs_visible_case=True),
    "api.list_cases": Call("case.view", "GET", lambda c: "/api/v1/cases", 200),
    "api.get_case_events": Call("case.view", "GET", lambda c: f"/api/v1/cases/{c.case_no}/events", 200,
                                needs_visible_case=True),
    "api.get_worklist": Call("case.view", "GET", lambda c: "/api/v1/worklist", 200),
    "api.summary": Call("report.view", "GET", lambda c: "/api/v1/reports/summary?from=2025-01-01&to=2025-12-31",
                        200),
    "api.add_payment": Call(
        "case.payment", "POST", lambda c: f"/api/v1/cases/{c.case_no}/payments", 201,
        body=lambda: {"on": local_today().isoformat(), "amount": "100.00"}, needs_visible_case=True,
        adds=Payment, prepare=lambda c, users: _mediated(c, users)),
    "api.reverse_payment": Call(
        "case.payment", "POST", lambda c: f"/api/v1/cases/{c.case_no}/payments/{c.payments[0].id}/reverse", 201,
        body=lambda: {"reason": "重复录入"}, needs_visible_case=True, adds=Payment,
        prepare=lambda c, users: _mediated(c, users, paid="100")),
    "api.patch_agreement": Call(
        "case.agreement", "PATCH", lambda c: f"/api/v1/cases/{c.case_no}/agreement", 200,
        body=lambda: {"reason": "核对原件", "terms": f"矩阵{next(_names)}"}, needs_visible_case=True,
        prepare=lambda c, users: _mediated(c, users)),
    "api.add_session": Call(
        "case.session", "POST", lambda c: f"/api/v1/cases/{c.case_no}/sessions", 201,
        body=lambda: {"held_at": _tomorrow().isoformat(), "location": "矩阵调解室"}, needs_visible_case=True,
        adds=MediationSession, prepare=lambda c, users: _accepted(c, users)),
    "api.change_session": Call(
        "case.session", "PATCH", lambda c: f"/api/v1/cases/{c.case_no}/sessions/{c.sessions[0].id}", 200,
        body=lambda: {"location": f"矩阵调解室{next(_names)}", "reason": "换调解室"}, needs_visible_case=True,
        prepare=lambda c, users: _accepted(c, users, scheduled=True)),
    "api.cancel_session": Call(  # adds its timeline event
        "case.session", "POST", lambda c: f"/api/v1/cases/{c.case_no}/sessions/{c.sessions[0].id}/cancel", 200,
        body=lambda: {"reason": "双方改期"}, needs_visible_case=True, adds=CaseEvent,
        prepare=lambda c, users: _accepted(c, users, scheduled=True)),
}


def _tomorrow() -> dt.datetime:
    return dt.datetime.combine(local_today() + dt.timedelta(days=1), dt.time(10), tzinfo=office_zone())


def _accepted(case: Case, users: dict, scheduled: bool = False) -> None:
    """Accept the case (and schedule a session): what the session operations need."""
    cases.accept_case(case, users["mediator"], on=case.received_on)
    if scheduled:
        sessions.schedule_session(case, users["mediator"], at=_tomorrow(), location="矩阵调解室")
    db.session.commit()


def _mediated(case: Case, users: dict, paid: str | None = None) -> None:
    """Take the case to an agreement (and a payment): what the payment operations need."""
    mediator = users["mediator"]
    cases.accept_case(case, mediator, on=case.received_on)
    recovery.record_agreement(case, mediator, data=recovery.AgreementData(
        signed_on=case.received_on, performance_deadline=case.received_on, total=Decimal("9000")))
    if paid:
        recovery.record_payment(case, mediator, on=case.received_on, amount=Decimal(paid))
    db.session.commit()


def test_the_matrix_covers_every_api_operation(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert endpoints == set(MATRIX), (f"without a row: {sorted(endpoints - set(MATRIX))}; "
                                      f"without a route: {sorted(set(MATRIX) - endpoints)}")


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_gets_what_the_permissions_table_says(endpoint, role, client, tokens, users):
    call = MATRIX[endpoint]
    case = make_case(users["mediator"])  # not referred to the lawyer
    if call.prepare is not None:
        call.prepare(case, users)
    url = call.url(case)
    before = _count(call.adds)
    response = client.open(url, method=call.method, headers=bearer(tokens[role]),
                           json=call.body() if call.body else None)
    if call.permission is not None and Role(role) not in PERMISSIONS[call.permission]:
        expected = 403
    elif call.needs_visible_case and role == "lawyer":
        expected = 404  # the lawyer learns nothing of a case not referred to them
    else:
        expected = call.ok
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    assert response.is_json
    if call.method == "POST":
        assert _count(call.adds) == before + (1 if expected == call.ok else 0)
