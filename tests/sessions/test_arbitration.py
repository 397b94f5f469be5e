"""Arbitration after mediation failed (Art. 43): the service and the case page's form."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.arbitration import record_arbitration
from mediation.calendar.working import period_end
from mediation.cases.arbitration import arbitration_award_due
from mediation.clocks.rules import compute
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today
from tests.sessions.casework import case_at, days_ago, failed_then_closed, page, post


def arbitration_events(db, case):
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.kind == "arbitration_updated")
                              .order_by(CaseEvent.id)).all()


def test_a_failed_case_tracks_arbitration_and_its_award_deadline(users, db):
    mediator = users["mediator"]
    case = case_at(Status.FAILED, mediator)
    applied, accepted = days_ago(12), days_ago(9)
    record_arbitration(case, mediator, applied_on=applied, accepted_on=accepted)
    db.session.commit()
    assert arbitration_award_due(case) == period_end(accepted, days=45)  # Art. 43 (dates by hand: tests/calendar)
    event = arbitration_events(db, case)[0]
    assert event.changes == {"arbitration_applied_on": [None, applied.isoformat()],
                             "arbitration_accepted_on": [None, accepted.isoformat()]}
    assert event.effective_on == accepted  # dated by the step it records

    record_arbitration(case, mediator, applied_on=applied, accepted_on=accepted, extended=True,
                       award_on=days_ago(1))
    db.session.commit()
    assert arbitration_award_due(case) == period_end(accepted, days=60)
    award = next(d for d in compute(case) if d.key == "arbitration_award")
    assert award.state(local_today()) == "met"
    assert len(arbitration_events(db, case)) == 2


def test_saving_the_same_dates_again_adds_no_event(users, db):
    mediator = users["mediator"]
    case = case_at(Status.FAILED, mediator)
    record_arbitration(case, mediator, applied_on=days_ago(3))
    record_arbitration(case, mediator, applied_on=days_ago(3))
    db.session.commit()
    assert len(arbitration_events(db, case)) == 1


def test_a_case_closed_after_failure_still_tracks_arbitration(users, db):
    case = failed_then_closed(users["mediator"])
    record_arbitration(case, users["mediator"], applied_on=days_ago(2))
    db.session.commit()
    assert case.arbitration_applied_on == days_ago(2)


@pytest.mark.parametrize("status", [Status.IN_MEDIATION, Status.MEDIATED, Status.RECEIVED])
def test_only_failed_cases_go_to_arbitration_here(status, users, db):
    case = case_at(status, users["mediator"])
    with pytest.raises(TransitionError):
        record_arbitration(case, users["mediator"], applied_on=days_ago(1))
    db.session.rollback()
    assert case.arbitration_applied_on is None


@pytest.mark.parametrize("dates", [
    {"accepted_on": 5},                                   # accepted without an application
    {"applied_on": 3, "accepted_on": 5},                  # accepted before applied
    {"applied_on": 5, "accepted_on": 4, "award_on": 6},   # award before acceptance
    {"applied_on": 5, "award_on": 1},                     # award without acceptance
    {"applied_on": 5, "extended": True},                  # extended without acceptance
    {"applied_on": -1},                                   # in the future
    {"applied_on": 30},                                   # before the case was received
], ids=["no-application", "accepted-first", "award-first", "award-unaccepted", "extended-unaccepted",
        "future", "before-received"])
def test_arbitration_dates_must_stay_in_order(dates, users, db):
    mediator = users["mediator"]
    case = case_at(Status.FAILED, mediator)
    values = {k: (v if isinstance(v, bool) else days_ago(v)) for k, v in dates.items()}
    with pytest.raises(TransitionError):
        record_arbitration(case, mediator, **values)
    db.session.rollback()
    db.session.expire_all()
    assert case.arbitration_applied_on is None and case.arbitration_accepted_on is None
    assert arbitration_events(db, case) == []


def test_the_mediator_records_arbitration_on_the_case_page(client, login, users, db):
    case = case_at(Status.FAILED, users["mediator"])
    login("mediator")
    assert "Update arbitration" in page(client, case)
    response = post(client, case, "/arbitration", "arbitration",
                    {"applied_on": days_ago(4).isoformat(), "accepted_on": days_ago(2).isoformat()})
    assert response.status_code == 302
    db.session.expire_all()
    assert case.arbitration_accepted_on == days_ago(2)
    html = page(client, case)
    assert "Award due by" in html


def test_dates_out_of_order_come_back_with_the_error_and_nothing_saved(client, login, users, db):
    case = case_at(Status.FAILED, users["mediator"])
    login("mediator")
    response = post(client, case, "/arbitration", "arbitration",
                    {"applied_on": days_ago(2).isoformat(), "accepted_on": days_ago(4).isoformat()})
    assert response.status_code == 422
    assert "cannot be accepted before it was applied for" in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.arbitration_applied_on is None


def test_a_refused_move_is_flashed_and_nothing_saved(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    login("mediator")
    response = post(client, case, "/arbitration", "arbitration", {"applied_on": days_ago(1).isoformat()})
    assert response.status_code == 422
    assert "Arbitration is tracked for cases where mediation failed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.arbitration_applied_on is None


def test_a_lawyer_may_not_edit_arbitration(client, login, users, db):
    case = case_at(Status.FAILED, users["mediator"])
    login("lawyer")
    response = post(client, case, "/arbitration", "arbitration", {"applied_on": days_ago(1).isoformat()})
    assert response.status_code == 403
