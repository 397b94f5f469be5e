"""Who may call which API operation, derived from the app's URL map: a new operation without a row fails."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable

import pytest
import sqlalchemy as sa

from mediation.auth.models import Role
from mediation.auth.permissions import PERMISSIONS
from mediation.cases.models import Case, LimitationInterruption
from mediation.extensions import db
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
    "api.add_limitation_interruption": Call(
        "case.edit", "POST", lambda c: f"/api/v1/cases/{c.case_no}/limitation-interruptions", 201,
        body=lambda: {"on": "2025-03-03", "kind": "claim"}, needs_visible_case=True, adds=LimitationInterruption),
    "api.list_cases": Call("case.view", "GET", lambda c: "/api/v1/cases", 200),
    "api.get_worklist": Call("case.view", "GET", lambda c: "/api/v1/worklist", 200),
    "api.summary": Call("report.view", "GET", lambda c: "/api/v1/reports/summary?from=2025-01-01&to=2025-12-31",
                        200),
}


def test_the_matrix_covers_every_api_operation(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert endpoints == set(MATRIX), (f"without a row: {sorted(endpoints - set(MATRIX))}; "
                                      f"without a route: {sorted(set(MATRIX) - endpoints)}")


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_gets_what_the_permissions_table_says(endpoint, role, client, tokens, users):
    call = MATRIX[endpoint]
    case = make_case(users["mediator"])  # not referred to the lawyer
    before = _count(call.adds)
    response = client.open(call.url(case), method=call.method, headers=bearer(tokens[role]),
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
