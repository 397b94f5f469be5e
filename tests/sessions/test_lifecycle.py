"""A session's life through its verbs: scheduled, moved, cancelled, held, its record corrected; and what
each refuses (changing nothing)."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases import services as cases
from mediation.cases.models import CaseDeadline
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today, office_zone
from mediation.sessions import services
from mediation.sessions.models import MediationSession, SessionStatus
from tests.sessions.casework import case_at, days_ago


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=office_zone())


def tomorrow(hour: int = 9, minute: int = 30) -> dt.datetime:
    return local(local_today() + dt.timedelta(days=1), hour, minute)


def kinds(db, case) -> list[str]:
    return list(db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)
                                   .order_by(CaseEvent.id)))


def last_event(db, case) -> CaseEvent:
    return db.session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)
                             .order_by(CaseEvent.id.desc()).limit(1))


def green_first_session(db, case) -> CaseDeadline:
    db.session.expire_all()
    return db.session.scalar(sa.select(CaseDeadline).where(CaseDeadline.case_id == case.id,
                                                           CaseDeadline.key == "green_first_session"))


def scheduled(db, case, actor, at=None, **extra) -> MediationSession:
    session = services.schedule_session(case, actor, at=at or tomorrow(), location="区总工会第一调解室",
                                        mediator=actor, attendees="申请人；被申请人代表", **extra)
    db.session.commit()
    return session


def unchanged_after(db, case, refused, *, session: MediationSession | None = None) -> None:
    """``refused()`` raises a refusal, and neither the case, its events nor the session change."""
    before_kinds = kinds(db, case)
    before_case = (case.status, case.mediation_started_on, case.version)
    before_session = None if session is None else (
        session.status, session.held_at, session.location, session.record, session.cancel_reason)
    with pytest.raises(TransitionError):
        refused()
    db.session.rollback()
    db.session.expire_all()
    assert kinds(db, case) == before_kinds
    assert (case.status, case.mediation_started_on, case.version) == before_case
    if session is not None:
        assert (session.status, session.held_at, session.location, session.record,
                session.cancel_reason) == before_session


# --- scheduled, then held -------------------------------------------------------------------------

def test_a_session_scheduled_for_later_leaves_the_case_accepted_and_the_green_target_unmet(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator, migrant=True, received_days_ago=1)
    assert case.green_channel
    session = scheduled(db, case, mediator)
    assert session.status == SessionStatus.SCHEDULED
    assert case.status == Status.ACCEPTED and case.mediation_started_on is None
    event = last_event(db, case)
    assert event.kind == "session_scheduled" and event.effective_on == local_today()
    assert event.changes["session.status"] == [None, "scheduled"]
    assert event.changes["session.location"] == [None, "区总工会第一调解室"]
    assert green_first_session(db, case).met_on is None


def test_recording_it_held_starts_mediation_on_its_day_and_meets_the_green_target(users, db, clock):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator, migrant=True, received_days_ago=1)
    at = tomorrow()
    session = scheduled(db, case, mediator, at=at)
    day = local_today() + dt.timedelta(days=1)
    clock.travel_to(tomorrow(11))  # the session has taken place
    services.record_session_held(case, mediator, session=session, attendees="申请人张三；被申请人代表李经理",
                                 record="双方就工资数额达成初步一致")
    db.session.commit()
    assert session.status == SessionStatus.HELD
    assert session.held_at == at.astimezone(dt.timezone.utc)  # held at its scheduled time
    assert case.status == Status.IN_MEDIATION and case.mediation_started_on == day
    held = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                        CaseEvent.kind == "session_held"))
    assert held.effective_on == day
    assert held.changes["session.status"] == ["scheduled", "held"]
    assert held.changes["session.record"] == ["", "双方就工资数额达成初步一致"]
    assert green_first_session(db, case).met_on == day


def test_a_session_cannot_be_recorded_held_in_the_future(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    session = scheduled(db, case, mediator)
    unchanged_after(db, case, lambda: services.record_session_held(case, mediator, session=session,
                                                                   record="提前写好的记录"), session=session)
    unchanged_after(db, case, lambda: services.record_session_held(case, mediator, held_at=tomorrow(),
                                                                   location="调解室"))
    assert db.session.scalar(sa.select(sa.func.count(MediationSession.id))) == 1


def test_a_session_held_earlier_than_scheduled_is_recorded_at_its_real_time(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    session = scheduled(db, case, mediator)
    held_at = local(days_ago(1), 15)  # the parties came in a day early
    services.record_session_held(case, mediator, session=session, held_at=held_at, record="提前调解")
    db.session.commit()
    assert session.held_at == held_at.astimezone(dt.timezone.utc)
    assert case.mediation_started_on == days_ago(1)
    held = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                        CaseEvent.kind == "session_held"))
    assert held.changes["session.held_at"] == [tomorrow().astimezone(dt.timezone.utc).isoformat(),
                                               held_at.astimezone(dt.timezone.utc).isoformat()]


# --- moved ----------------------------------------------------------------------------------------

def test_moving_needs_a_reason_and_keeps_the_time_it_had(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    session = scheduled(db, case, mediator)
    before = session.held_at
    unchanged_after(db, case, lambda: services.move_session(case, mediator, session=session, at=tomorrow(14),
                                                            reason="  "), session=session)
    services.move_session(case, mediator, session=session, at=tomorrow(14), location="东湖街道工会服务站",
                          reason="被申请人代表出差，双方同意改期")
    db.session.commit()
    assert session.held_at == tomorrow(14).astimezone(dt.timezone.utc) and session.location == "东湖街道工会服务站"
    event = last_event(db, case)
    assert event.kind == "session_moved" and event.note == "被申请人代表出差，双方同意改期"
    assert event.changes["session.held_at"] == [before.isoformat(),
                                                tomorrow(14).astimezone(dt.timezone.utc).isoformat()]
    assert event.changes["session.location"] == ["区总工会第一调解室", "东湖街道工会服务站"]
    assert session.status == SessionStatus.SCHEDULED and case.status == Status.ACCEPTED


def test_moving_into_the_past_is_recording_not_moving(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    session = scheduled(db, case, mediator)
    unchanged_after(db, case, lambda: services.move_session(case, mediator, session=session,
                                                            at=local(days_ago(1), 9), reason="改期"), session=session)


def test_moving_to_the_same_time_and_place_changes_nothing_and_is_refused(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    session = scheduled(db, case, mediator)
    unchanged_after(db, case, lambda: services.move_session(case, mediator, session=session, at=tomorrow(),
                                                            location="区总工会第一调解室", reason="改期"),
                    session=session)


# --- cancelled ------------------------------------------------------------------------------------

def test_cancelling_needs_a_reason_and_keeps_the_session(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    session = scheduled(db, case, mediator)
    unchanged_after(db, case, lambda: services.cancel_session(case, mediator, session=session, reason=""),
                    session=session)
    services.cancel_session(case, mediator, session=session, reason="申请人临时住院")
    db.session.commit()
    db.session.expire_all()
    assert session.status == SessionStatus.CANCELLED and session.cancel_reason == "申请人临时住院"
    assert session in case.sessions  # kept on the record
    event = last_event(db, case)
    assert event.kind == "session_cancelled" and event.note == "申请人临时住院"
    assert event.changes == {"session.status": ["scheduled", "cancelled"],
                             "session.cancel_reason": ["", "申请人临时住院"]}


@pytest.mark.parametrize("step", ["move", "cancel", "held", "correct"])
def test_a_cancelled_session_stays_as_it_is(step, users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    session = scheduled(db, case, mediator)
    services.cancel_session(case, mediator, session=session, reason="改为书面调解")
    db.session.commit()
    refused = {
        "move": lambda: services.move_session(case, mediator, session=session, at=tomorrow(15), reason="再改"),
        "cancel": lambda: services.cancel_session(case, mediator, session=session, reason="再取消"),
        "held": lambda: services.record_session_held(case, mediator, session=session, held_at=local(days_ago(0), 0, 1)),
        "correct": lambda: services.correct_session(case, mediator, session=session, reason="更正", record="x"),
    }[step]
    unchanged_after(db, case, refused, session=session)


def test_a_held_session_is_not_moved_cancelled_or_held_again(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    session = services.record_session_held(case, mediator, held_at=local(days_ago(2), 9), location="调解室")
    db.session.commit()
    for refused in (lambda: services.move_session(case, mediator, session=session, at=tomorrow(), reason="改期"),
                    lambda: services.cancel_session(case, mediator, session=session, reason="取消"),
                    lambda: services.record_session_held(case, mediator, session=session)):
        unchanged_after(db, case, refused, session=session)


# --- where and when a session may be ----------------------------------------------------------------

@pytest.mark.parametrize("status", [Status.RECEIVED, Status.REJECTED, Status.FAILED, Status.MEDIATED])
def test_sessions_are_scheduled_only_for_cases_accepted_or_in_mediation(status, users, db):
    mediator = users["mediator"]
    case = case_at(status, mediator)
    unchanged_after(db, case, lambda: services.schedule_session(case, mediator, at=tomorrow(), location="调解室"))
    assert db.session.scalar(sa.select(sa.func.count(MediationSession.id))) == 0


@pytest.mark.parametrize("problem", ["past", "no_place", "next_year", "before_acceptance"])
def test_a_session_to_come_needs_a_time_to_come_and_a_place(problem, users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    at = {"past": local(days_ago(1), 9), "next_year": tomorrow() + dt.timedelta(days=400),
          "before_acceptance": local(case.accepted_on - dt.timedelta(days=1), 9)}.get(problem, tomorrow())
    location = "" if problem == "no_place" else "调解室"
    unchanged_after(db, case, lambda: services.schedule_session(case, mediator, at=at, location=location))
    assert db.session.scalar(sa.select(sa.func.count(MediationSession.id))) == 0


def test_a_session_after_mediation_ends_is_scheduled_with_a_warning(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, received_days_ago=3)
    end = services.mediation_end(case)
    within = scheduled(db, case, mediator)
    after = scheduled(db, case, mediator, at=local(end + dt.timedelta(days=1), 9))
    assert services.after_mediation_end(case, within) is None
    assert services.after_mediation_end(case, after) == end
    # Both parties agree to extend: the warning goes.
    services.extend_mediation(case, mediator, until=end + dt.timedelta(days=10), note="双方书面同意延长调解",
                              on=local_today())
    db.session.commit()
    assert services.after_mediation_end(case, after) is None
    assert services.mediation_end(case) == end + dt.timedelta(days=10)  # sessions never move the end


def test_a_scheduled_session_of_a_case_withdrawn_may_still_be_cancelled(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    session = scheduled(db, case, mediator)
    cases.withdraw_case(case, mediator, reason="已与单位和解")
    db.session.commit()
    unchanged_after(db, case, lambda: services.move_session(case, mediator, session=session, at=tomorrow(16),
                                                            reason="改期"), session=session)
    services.cancel_session(case, mediator, session=session, reason="申请人撤回申请")
    db.session.commit()
    assert session.status == SessionStatus.CANCELLED


# --- corrected ------------------------------------------------------------------------------------

def test_a_held_sessions_record_is_corrected_with_a_reason_and_the_earlier_text_kept(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    session = services.record_session_held(case, mediator, held_at=local(days_ago(3), 9), location="调解室",
                                           record="双方同意分两期支付")
    db.session.commit()
    unchanged_after(db, case, lambda: services.correct_session(case, mediator, session=session, reason="",
                                                               record="双方同意分三期支付"), session=session)
    unchanged_after(db, case, lambda: services.correct_session(case, mediator, session=session, reason="笔误",
                                                               held_at=tomorrow()), session=session)
    services.correct_session(case, mediator, session=session, reason="记录笔误", record="双方同意分三期支付")
    db.session.commit()
    assert session.record == "双方同意分三期支付"
    event = last_event(db, case)
    assert event.kind == "session_corrected" and event.note == "记录笔误"
    assert event.changes == {"session.record": ["双方同意分两期支付", "双方同意分三期支付"]}


def test_a_scheduled_sessions_record_is_not_corrected(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    session = scheduled(db, case, mediator)
    unchanged_after(db, case, lambda: services.correct_session(case, mediator, session=session, reason="更正",
                                                               record="x"), session=session)


def test_correcting_the_day_of_the_session_that_started_mediation_moves_its_start(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    session = services.record_session_held(case, mediator, held_at=local(days_ago(5), 9), location="调解室")
    db.session.commit()
    assert case.mediation_started_on == days_ago(5)
    services.correct_session(case, mediator, session=session, reason="日期记错", held_at=local(days_ago(7), 9))
    db.session.commit()
    assert case.mediation_started_on == days_ago(7)
    assert last_event(db, case).changes["mediation_started_on"] == [days_ago(5).isoformat(), days_ago(7).isoformat()]


# --- the one-step writer --------------------------------------------------------------------------

def test_record_session_schedules_a_time_to_come_and_records_one_past(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    later = services.record_session(case, mediator, held_at=tomorrow(), location="调解室")
    assert later.status == SessionStatus.SCHEDULED and case.status == Status.ACCEPTED
    past = services.record_session(case, mediator, held_at=local(days_ago(1), 9), location="调解室", record="记录")
    db.session.commit()
    assert past.status == SessionStatus.HELD and case.status == Status.IN_MEDIATION
    assert case.mediation_started_on == days_ago(1)
