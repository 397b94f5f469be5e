"""Sessions and the mediation period, through their services."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today, office_zone
from mediation.sessions import services
from mediation.sessions.models import MediationSession
from tests.sessions.casework import case_at, days_ago


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=office_zone())


def events(db, case, kind=None):
    query = sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    if kind:
        query = query.where(CaseEvent.kind == kind)
    return db.session.scalars(query).all()


def test_the_first_session_starts_mediation_on_its_own_day(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    day = days_ago(15)
    services.record_session(case, mediator, held_at=local(day, 9, 30), location="第一调解室",
                            mediator=mediator, attendees="申请人张三", record="双方陈述意见")
    db.session.commit()
    assert case.status == Status.IN_MEDIATION
    assert case.mediation_started_on == day
    recorded = events(db, case, "session_held")[0]
    assert recorded.effective_on == day
    assert recorded.changes["session.location"] == [None, "第一调解室"]
    assert recorded.changes["session.status"] == [None, "held"]
    assert events(db, case, "mediation_started")[0].effective_on == day


def test_a_later_session_leaves_the_status_alone(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    started = case.mediation_started_on
    services.record_session(case, mediator, held_at=local(days_ago(10), 14), location="调解室")
    db.session.commit()
    assert case.status == Status.IN_MEDIATION and case.mediation_started_on == started
    assert len(events(db, case, "mediation_started")) == 1


def test_the_local_time_is_stored_in_utc_and_dated_by_the_local_day(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    day = days_ago(15)
    # 07:30 in Shanghai is 23:30 UTC the day before: the session still belongs to the local day.
    services.record_session(case, mediator, held_at=local(day, 7, 30), location="调解室")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(sa.select(MediationSession).where(MediationSession.case_id == case.id))
    assert stored.held_at.utcoffset() == dt.timedelta(0)
    assert (stored.held_at.date(), stored.held_at.hour, stored.held_at.minute) == (day - dt.timedelta(days=1), 23, 30)
    assert case.mediation_started_on == day


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.FAILED, Status.MEDIATED, Status.REJECTED])
def test_sessions_only_while_accepted_or_in_mediation(status, users, db):
    mediator = users["mediator"]
    case = case_at(status, mediator)
    before = len(events(db, case))
    with pytest.raises(TransitionError):
        services.record_session(case, mediator, held_at=local(days_ago(1), 9), location="调解室")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(MediationSession.id))) == 0
    assert len(events(db, case)) == before


def test_a_session_before_acceptance_is_refused(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    with pytest.raises(TransitionError):
        services.record_session(case, mediator, held_at=local(case.accepted_on - dt.timedelta(days=1), 9))
    db.session.rollback()
    assert case.status == Status.ACCEPTED


def test_extending_mediation_records_the_date_and_why(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    until = case.accepted_on + dt.timedelta(days=25)
    agreed = case.accepted_on + dt.timedelta(days=3)  # before the 15 days ran out
    services.extend_mediation(case, mediator, until=until, note=" 双方同意延长调解期限 ", on=agreed)
    db.session.commit()
    assert case.mediation_extended_until == until
    event = events(db, case)[-1]
    assert event.note == "双方同意延长调解期限"
    assert event.changes["mediation_extended_until"] == [None, until.isoformat()]
    assert services.mediation_end(case) == until
    assert case.mediation_extension_agreed_on == agreed and event.effective_on == agreed


@pytest.mark.parametrize("problem", ["no_note", "not_later", "not_mediating"])
def test_an_extension_needs_both_parties_note_a_later_date_and_open_mediation(problem, users, db):
    mediator = users["mediator"]
    case = case_at(Status.FAILED if problem == "not_mediating" else Status.IN_MEDIATION, mediator)
    statutory_end = services.statutory_mediation_end(case)
    until = statutory_end if problem == "not_later" else statutory_end + dt.timedelta(days=5)
    before = len(events(db, case))
    with pytest.raises(TransitionError):
        services.extend_mediation(case, mediator, until=until, note="" if problem == "no_note" else "双方同意",
                                  on=case.accepted_on + dt.timedelta(days=3))
    db.session.rollback()
    assert case.mediation_extended_until is None
    assert len(events(db, case)) == before


def test_a_session_to_come_is_scheduled_on_the_timeline_today_and_does_not_start_mediation(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    services.record_session(case, mediator, held_at=local(local_today() + dt.timedelta(days=2), 9), location="调解室")
    db.session.commit()
    [scheduled] = events(db, case, "session_scheduled")
    assert scheduled.effective_on == local_today()
    assert scheduled.changes["session.status"] == [None, "scheduled"]
    assert case.status == Status.ACCEPTED and case.mediation_started_on is None
    assert not events(db, case, "mediation_started")
