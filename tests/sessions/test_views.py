"""Recording sessions and extending mediation on the case page; who sees which form."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from mediation.legal_aid.services import refer_to_legal_aid
from mediation.sessions.models import MediationSession
from tests.sessions.casework import case_at, days_ago, page, post


def session_fields(**extra):
    fields = {"held_at": f"{days_ago(15).isoformat()}T09:30", "location": "区总工会第一调解室",
              "mediator": "", "attendees": "申请人张三；被申请人代表李经理", "record": "双方就工资数额达成初步一致"}
    fields.update(extra)
    return fields


def test_the_mediator_records_the_first_session_and_mediation_starts(client, login, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    login("mediator")
    html = page(client, case)
    assert "Record a session" in html and "The first session starts mediation." in html
    response = post(client, case, "/sessions", "session", session_fields(mediator=str(users["mediator"].id)))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#sessions")
    db.session.expire_all()
    assert case.status == Status.IN_MEDIATION and case.mediation_started_on == days_ago(15)
    [session] = case.sessions
    assert session.mediator_id == users["mediator"].id
    # 09:30 in the office's zone (UTC+8) is stored as 01:30 UTC.
    assert (session.held_at.hour, session.held_at.minute) == (1, 30)
    html = page(client, case)
    assert "区总工会第一调解室" in html and "双方就工资数额达成初步一致" in html


@pytest.mark.parametrize("field, value, message", [
    ("location", "", "This field is required."),
    ("held_at", "yesterday morning", "Not a valid datetime value."),
    ("mediator", "999999", "Not a valid choice."),
])
def test_a_bad_session_comes_back_with_what_was_typed(field, value, message, client, login, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    login("mediator")
    response = post(client, case, "/sessions", "session", session_fields(**{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert "双方就工资数额达成初步一致" in html  # the record typed is not lost
    assert db.session.scalar(sa.select(sa.func.count(MediationSession.id))) == 0
    db.session.expire_all()
    assert case.status == Status.ACCEPTED


def test_a_session_the_workflow_refuses_is_flashed_and_not_saved(client, login, users, db):
    case = case_at(Status.RECEIVED, users["mediator"])
    login("mediator")
    assert "Record a session" not in page(client, case)
    response = post(client, case, "/sessions", "session", session_fields())
    assert response.status_code == 422
    assert "Sessions are recorded for accepted cases in mediation." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MediationSession.id))) == 0


def test_mediation_is_extended_by_agreement_of_both_parties(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    until = case.accepted_on + dt.timedelta(days=30)
    login("mediator")
    assert "Extend mediation by agreement of both parties" in page(client, case)
    agreed = case.accepted_on + dt.timedelta(days=5)  # within the 15 days
    response = post(client, case, "/mediation-extension", "extend",
                    {"until": until.isoformat(), "agreed_on": agreed.isoformat(), "note": "双方在调解会上同意延长"})
    assert response.status_code == 302
    db.session.expire_all()
    assert case.mediation_extended_until == until and case.mediation_extension_agreed_on == agreed
    assert "Both parties agreed to extend mediation until" in page(client, case)


@pytest.mark.parametrize("fields, message", [
    ({"until": "", "agreed_on": "AGREED", "note": "双方同意"}, "This field is required."),
    ({"until": "LATER", "agreed_on": "AGREED", "note": ""}, "This field is required."),
    ({"until": "EARLY", "agreed_on": "AGREED", "note": "双方同意"}, "An extension must end after"),
    ({"until": "LATER", "agreed_on": "TOO_LATE", "note": "双方同意"}, "deemed to have failed"),
])
def test_an_extension_needs_a_later_date_and_how_the_parties_agreed(fields, message, client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    dates = {"LATER": case.accepted_on + dt.timedelta(days=30), "EARLY": case.accepted_on + dt.timedelta(days=10),
             "AGREED": case.accepted_on + dt.timedelta(days=5), "TOO_LATE": local_today()}
    fields = {k: dates[v].isoformat() if v in dates else v for k, v in fields.items()}
    login("mediator")
    response = post(client, case, "/mediation-extension", "extend", fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.mediation_extended_until is None


@pytest.mark.parametrize("role, sees_forms", [("mediator", True), ("supervisor", True), ("admin", True),
                                              ("lawyer", False)])
def test_only_staff_who_mediate_get_the_session_forms(role, sees_forms, client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"])
    db.session.commit()
    login(role)
    html = page(client, case)
    assert ("Record a session" in html) is sees_forms
    assert ("Extend mediation by agreement of both parties" in html) is sees_forms
    response = post(client, case, "/sessions", "session", session_fields(held_at=f"{days_ago(1)}T10:00"))
    assert response.status_code == (302 if sees_forms else 403)
