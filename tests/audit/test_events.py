"""The timeline: one event per change, with who, what, when, before and after; never edited, never lost."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent, ImmutableEventError
from mediation.cases import services
from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from tests.factories import make_case

TODAY = local_today()
EARLIER = TODAY - dt.timedelta(days=5)


def events_of(db, case: Case) -> list[CaseEvent]:
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()


def one_new_event(db, case: Case, before: list[CaseEvent]) -> CaseEvent:
    db.session.commit()
    after = events_of(db, case)
    assert len(after) == len(before) + 1, [e.kind for e in after]
    return after[-1]


def test_registering_writes_one_event_with_the_case_and_its_workers(users, db):
    case = make_case(users["mediator"], received_on=EARLIER, workers=2, claimed="800.00")
    (event,) = events_of(db, case)
    assert event.kind == "registered"
    assert event.actor_id == users["mediator"].id
    assert event.effective_on == EARLIER
    assert event.changes["case_no"] == [None, case.case_no]
    assert event.changes["status"] == [None, "received"]
    assert event.changes["claimed_fen"] == [None, 160000]
    assert [w["name"] for w in event.changes["workers"][1]] == ["张三", "张三2"]


def test_an_automatic_green_channel_case_records_why(users, db):
    case = make_case(users["mediator"], migrant=True)
    kinds = [e.kind for e in events_of(db, case)]
    assert kinds == ["registered", "green_channel"]
    assert events_of(db, case)[1].changes["green_channel_source"] == [None, "automatic"]


# (service call, expected kind, field that must show before → after)
def _accept(case, actor):
    services.accept_case(case, actor, on=EARLIER)


def _reject(case, actor):
    services.reject_case(case, actor, reason="不属于受理范围", on=EARLIER)


def _withdraw(case, actor):
    services.withdraw_case(case, actor, reason="已与单位和解", on=EARLIER)


def _start(case, actor):
    services.accept_case(case, actor, on=EARLIER)
    services.start_mediation(case, actor, on=EARLIER)


def _fail(case, actor):
    services.accept_case(case, actor, on=EARLIER)
    services.record_failure(case, actor, reason="单位拒不到场", on=EARLIER)


def _mediated(case, actor):
    services.accept_case(case, actor, on=EARLIER)
    services.mark_mediated(case, actor, on=EARLIER, agreed_fen=500000)


def _close(case, actor):
    services.withdraw_case(case, actor, reason="撤回", on=EARLIER)
    services.close_case(case, actor, on=EARLIER)


STATUS_SERVICES = [
    (_accept, "accepted", Status.RECEIVED, Status.ACCEPTED, {"accepted_on": [None, EARLIER.isoformat()]}),
    (_reject, "rejected", Status.RECEIVED, Status.REJECTED,
     {"rejection_reason": ["", "不属于受理范围"], "outcome": [None, "rejected"]}),
    (_withdraw, "withdrawn", Status.RECEIVED, Status.WITHDRAWN, {"withdrawal_reason": ["", "已与单位和解"]}),
    (_start, "mediation_started", Status.ACCEPTED, Status.IN_MEDIATION,
     {"mediation_started_on": [None, EARLIER.isoformat()]}),
    (_fail, "mediation_failed", Status.ACCEPTED, Status.FAILED, {"failure_reason": ["", "单位拒不到场"]}),
    (_mediated, "mediated", Status.ACCEPTED, Status.MEDIATED, {"agreed_fen": [None, 500000]}),
    (_close, "closed", Status.WITHDRAWN, Status.CLOSED, {"closed_on": [None, EARLIER.isoformat()]}),
]


@pytest.mark.parametrize("do, kind, before_status, after_status, fields", STATUS_SERVICES,
                         ids=[row[1] for row in STATUS_SERVICES])
def test_each_status_service_writes_exactly_one_event(do, kind, before_status, after_status, fields, users, db):
    actor = users["supervisor"]
    case = make_case(users["mediator"], received_on=EARLIER - dt.timedelta(days=3))
    do(case, actor)
    db.session.commit()
    event = events_of(db, case)[-1]
    assert [e.kind for e in events_of(db, case)].count(kind) == 1
    assert event.kind == kind
    assert event.actor_id == actor.id
    assert event.effective_on == EARLIER
    assert event.changes["status"] == [before_status.value, after_status.value]
    for name, change in fields.items():
        assert event.changes[name] == change
    assert event.occurred_at.tzinfo is not None


def test_manual_green_channel_writes_one_event_with_the_reason(users, db):
    case = make_case(users["mediator"])
    before = events_of(db, case)
    services.set_green_channel(case, users["supervisor"], green=True, reason="春节前欠薪专项行动")
    event = one_new_event(db, case, before)
    assert (event.kind, event.actor_id, event.note) == ("green_channel", users["supervisor"].id, "春节前欠薪专项行动")
    assert event.changes["green_channel"] == [False, True]
    assert event.changes["green_channel_source"] == [None, "manual"]
    assert event.effective_on == TODAY


def test_assigning_writes_one_event_and_reassigning_the_same_writes_none(users, db):
    case = make_case(users["mediator"])
    before = events_of(db, case)
    services.assign_mediator(case, users["supervisor"], mediator=users["mediator"])
    event = one_new_event(db, case, before)
    assert event.kind == "assigned"
    assert event.changes == {"assigned_mediator_id": [None, users["mediator"].id]}
    services.assign_mediator(case, users["supervisor"], mediator=users["mediator"])
    db.session.commit()
    assert len(events_of(db, case)) == len(before) + 1


def test_assignment_and_green_channel_can_be_dated_when_they_happened(users, db):
    from mediation.cases.workflow import TransitionError

    case = make_case(users["mediator"], received_on=EARLIER)
    before = events_of(db, case)
    services.assign_mediator(case, users["supervisor"], mediator=users["mediator"], on=EARLIER + dt.timedelta(days=1))
    assert one_new_event(db, case, before).effective_on == EARLIER + dt.timedelta(days=1)
    before = events_of(db, case)
    services.set_green_channel(case, users["supervisor"], green=True, reason="集中清欠", on=EARLIER)
    assert one_new_event(db, case, before).effective_on == EARLIER
    before = events_of(db, case)
    for wrong in (EARLIER - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)):
        with pytest.raises(TransitionError):
            services.assign_mediator(case, users["supervisor"], mediator=None, on=wrong)
        with pytest.raises(TransitionError):
            services.set_green_channel(case, users["supervisor"], green=False, reason="撤回", on=wrong)
    db.session.rollback()
    assert len(events_of(db, case)) == len(before)


def test_events_cannot_be_edited_through_the_orm(users, db):
    case = make_case(users["mediator"])
    event = events_of(db, case)[0]
    event.note = "改写"
    with pytest.raises(ImmutableEventError):
        db.session.flush()
    db.session.rollback()
    assert events_of(db, case)[0].note == ""


def test_events_cannot_be_deleted_through_the_orm(users, db):
    case = make_case(users["mediator"])
    db.session.delete(events_of(db, case)[0])
    with pytest.raises(ImmutableEventError):
        db.session.flush()
    db.session.rollback()
    assert len(events_of(db, case)) == 1


@pytest.mark.parametrize("statement", [
    "UPDATE case_events SET note = 'forged'",
    "UPDATE case_events SET effective_on = '2000-01-01'",
    "DELETE FROM case_events",
])
def test_the_database_itself_refuses_to_change_events(statement, users, db):
    case = make_case(users["mediator"])
    with pytest.raises(sa.exc.DBAPIError) as caught:
        db.session.execute(sa.text(statement))
        db.session.commit()
    assert "never edited or deleted" in str(caught.value)
    db.session.rollback()
    (event,) = events_of(db, case)
    assert event.note == "" and event.effective_on == case.received_on


def test_a_rolled_back_change_leaves_no_event(users, db):
    case = make_case(users["mediator"])
    services.accept_case(case, users["mediator"])
    db.session.rollback()
    db.session.expire_all()
    assert case.status == Status.RECEIVED
    assert [e.kind for e in events_of(db, case)] == ["registered"]


def test_a_change_whose_event_cannot_be_written_is_not_saved(users, db, monkeypatch):
    case = make_case(users["mediator"])

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        services.accept_case(case, users["mediator"])
    db.session.rollback()
    db.session.expire_all()
    assert case.status == Status.RECEIVED
    assert case.accepted_on is None


def test_the_case_page_shows_the_timeline(client, login, users, db):
    case = make_case(users["mediator"])
    services.reject_case(case, users["supervisor"], reason="重复申请")
    db.session.commit()
    login("mediator")
    html = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert "重复申请" in html
    assert users["supervisor"].display_name in html
