"""POST /api/v1/cases/CASE_NO/limitation-interruptions (CONTRACTS §7): Art. 27 para. 2 through the API."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.auth import permissions
from mediation.auth.models import Role
from mediation.cases.models import InterruptionKind, LimitationInterruption
from mediation.clocks import rules
from mediation.core.timeutil import local_today
from mediation.legal_aid.services import refer_to_legal_aid
from tests.factories import make_case

D = dt.date


def url(case) -> str:
    return f"/api/v1/cases/{case.case_no}/limitation-interruptions?lang=en"


@pytest.fixture
def case(users):
    """Knew of the infringement on 1 March 2025, applied on 10 June: the year runs to 10 June 2026."""
    return make_case(users["mediator"], received_on=D(2025, 6, 10), dispute_arose_on=D(2025, 3, 1),
                     type_code="severance")


def interruptions(db) -> list[tuple]:
    db.session.rollback()  # what the request committed, read afresh
    return [(i.case_id, i.on, i.kind, i.note) for i in db.session.scalars(
        sa.select(LimitationInterruption).order_by(LimitationInterruption.id))]


def test_an_interruption_is_recorded_and_answers_with_the_new_limitation(api, db, case, users):
    response = api.post(url(case), json={"on": "2025-09-01", "kind": "claim", "note": " 书面催告单位支付 "})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert isinstance(data["id"], int)
    assert (data["on"], data["kind"], data["note"]) == ("2025-09-01", "claim", "书面催告单位支付")
    limitation = data["limitation"]
    assert limitation["key"] == "limitation" and limitation["due_on"] == "2026-09-01"  # a year from the claim
    assert limitation["met_on"] is None and limitation["basis"].startswith("Art. 27")
    assert limitation["state"] == rules.Deadline("limitation", D(2026, 9, 1)).state(local_today())
    assert interruptions(db) == [(case.id, D(2025, 9, 1), InterruptionKind.CLAIM, "书面催告单位支付")]
    event = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                          CaseEvent.kind == "limitation_interrupted"))
    assert event.effective_on == D(2025, 9, 1) and event.via == "api"
    assert event.actor_id == users["mediator"].id
    # The case's own reading shows it too.
    read = api.get(f"/api/v1/cases/{case.case_no}").get_json()
    assert {d["key"]: d["due_on"] for d in read["deadlines"]}["limitation"] == "2026-09-01"


@pytest.mark.parametrize("kind", [k.value for k in InterruptionKind])
def test_each_kind_without_a_note(api, db, case, kind):
    response = api.post(url(case), json={"on": "2025-07-01", "kind": kind})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["kind"] == kind and response.get_json()["note"] == ""


def test_without_a_limitation_running_the_answer_says_so(api, users):
    employed = make_case(users["mediator"], still_employed=True, dispute_arose_on=D(2025, 1, 10))
    response = api.post(url(employed), json={"on": "2025-02-01", "kind": "agreement_to_perform", "note": None})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["limitation"] is None  # a pay claim while still employed: none runs


@pytest.mark.parametrize("body, expected", [
    ({"on": "2025-02-30", "kind": "claim"}, {"on": ["Not a date (YYYY-MM-DD)."]}),
    ({"on": "1 September 2025", "kind": "claim"}, {"on": ["Not a date (YYYY-MM-DD)."]}),
    ({"on": "2025-09-01", "kind": "letter"}, {"kind": ["Must be one of: claim, application, agreement_to_perform."]}),
    ({}, {"on": ["Required."], "kind": ["Required."]}),
    ({"on": None, "kind": None}, {"on": ["Required."], "kind": ["Required."]}),
    ({"on": 20250901, "kind": "claim", "note": 5, "colour": "red"},
     {"on": ["Must be text."], "note": ["Must be text."], "colour": ["Unknown field."]}),
    ({"on": "2025-09-01", "kind": "claim", "note": "x" * 5001}, {"note": ["Too long: at most 5000 characters."]}),
    # The service's own rules: not in the future, not before the worker knew.
    ({"on": (local_today() + dt.timedelta(days=1)).isoformat(), "kind": "claim"},
     {"on": ["An interruption cannot be dated in the future."]}),
    ({"on": "2025-02-28", "kind": "claim"},
     {"on": ["An interruption cannot come before the worker knew of the infringement."]}),
])
def test_bad_fields_are_422_each_named_and_nothing_is_recorded(api, db, case, body, expected):
    response = api.post(url(case), json=body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json() == {"errors": expected}
    assert interruptions(db) == []


@pytest.mark.parametrize("body", [b"[]", b"{", b'"claim"'])
def test_a_body_that_is_not_a_json_object_is_400(api, db, case, body):
    response = api.post(url(case), data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["errors"]["_"]
    assert interruptions(db) == []


def test_an_unknown_case_is_404(api, db):
    response = api.post("/api/v1/cases/1999-99999/limitation-interruptions", json={"on": "2025-09-01",
                                                                                    "kind": "claim"})
    assert response.status_code == 404 and response.get_json()["errors"]["_"]


def test_who_may_record_one(api, db, case, client):
    body = {"on": "2025-09-01", "kind": "claim"}
    assert api.post(url(case), json=body, role=None).status_code == 401
    assert api.post(url(case), json=body, role="lawyer").status_code == 403  # lawyers do not edit cases
    for role in ("admin", "supervisor"):
        assert api.post(url(case), json=body, role=role).status_code == 201
    assert len(interruptions(db)) == 2


def test_a_case_the_caller_may_not_see_is_404_as_if_it_did_not_exist(api, db, case, users, monkeypatch):
    monkeypatch.setitem(permissions.PERMISSIONS, "case.edit", frozenset({Role.ADMIN, Role.LAWYER}))
    body = {"on": "2025-09-01", "kind": "claim"}
    response = api.post(url(case), json=body, role="lawyer")
    assert response.status_code == 404
    assert response.get_json() == api.post("/api/v1/cases/1999-99999/limitation-interruptions?lang=en",
                                           json=body, role="lawyer").get_json()
    refer_to_legal_aid(case, users["supervisor"], lawyer=users["lawyer"])
    db.session.commit()
    assert api.post(url(case), json=body, role="lawyer").status_code == 201


def test_a_case_number_with_a_slash(api, db, users):
    case = make_case(users["mediator"], case_no="2025/甲-2", dispute_arose_on=D(2025, 1, 10))
    response = api.post("/api/v1/cases/2025%2F%E7%94%B2-2/limitation-interruptions", json={
        "on": "2025-02-01", "kind": "application"})
    assert response.status_code == 201, response.get_json()
    assert interruptions(db)[0][0] == case.id


def test_an_interruption_changes_the_cases_version(api, db, case):
    version = api.get(f"/api/v1/cases/{case.case_no}").get_json()["version"]
    assert api.post(url(case), json={"on": "2025-09-01", "kind": "claim"}).status_code == 201
    assert api.get(f"/api/v1/cases/{case.case_no}").get_json()["version"] > version
