"""The workflow table, exercised through the services that read it."""
from __future__ import annotations

import datetime as dt
from collections import deque
from decimal import Decimal

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases import services
from mediation.cases.models import Case
from mediation.cases.workflow import TRANSITIONS, Status, TransitionError
from mediation.core.timeutil import local_today
from mediation.recovery.models import Agreement
from tests.factories import make_case

# Every action named in the table, and the status it leads to (an action always leads to one status).
ACTION_TARGETS = {action: target for moves in TRANSITIONS.values() for target, action in moves.items()}


def perform(case: Case, action: str, actor, on: dt.date | None = None) -> None:
    """Do ``action`` through its service, the way the case page or the API would."""
    on = on or local_today()
    if action == "record_agreement":
        from mediation.recovery.services import AgreementData, record_agreement

        record_agreement(case, actor, data=AgreementData(signed_on=on, performance_deadline=None,
                                                    total=Decimal("5000.00")))
    elif action in ("reject", "withdraw", "record_failure"):
        services.TRANSITION_SERVICES[action](case, actor, reason="当事人说明的理由", on=on)
    else:
        services.TRANSITION_SERVICES[action](case, actor, on=on)


def path_to(status: Status) -> list[str]:
    """The shortest list of actions from a new case to ``status``, found in the table itself."""
    queue = deque([(Status.RECEIVED, [])])
    seen = {Status.RECEIVED}
    while queue:
        current, actions = queue.popleft()
        if current == status:
            return actions
        for target, action in TRANSITIONS[current].items():
            if target not in seen:
                seen.add(target)
                queue.append((target, actions + [action]))
    raise AssertionError(f"{status} cannot be reached from a new case")


def case_in(status: Status, actor, db) -> Case:
    case = make_case(actor, received_on=local_today() - dt.timedelta(days=10))
    for action in path_to(status):
        perform(case, action, actor)
    db.session.commit()
    assert case.status == status
    return case


def event_count(db, case: Case) -> int:
    return db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id))


ALLOWED = [(s, t, a) for s, moves in TRANSITIONS.items() for t, a in moves.items()]
FORBIDDEN = [(s, a) for s in Status for a, t in ACTION_TARGETS.items() if t not in TRANSITIONS[s]]


def test_every_status_can_be_reached():
    for status in Status:
        path_to(status)


@pytest.mark.parametrize("start, target, action", ALLOWED, ids=lambda v: getattr(v, "value", v))
def test_every_allowed_move_succeeds_through_its_service(start, target, action, users, db):
    case = case_in(start, users["mediator"], db)
    before = event_count(db, case)
    perform(case, action, users["mediator"])
    db.session.commit()
    db.session.expire_all()
    assert case.status == target
    assert event_count(db, case) == before + 1
    last = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)
                              .order_by(CaseEvent.id.desc())).first()
    assert last.changes["status"] == [start.value, target.value]


@pytest.mark.parametrize("start", list(Status), ids=lambda s: s.value)
def test_every_forbidden_move_is_refused_and_changes_nothing(start, users, db):
    for action in [a for s, a in FORBIDDEN if s == start]:
        case = case_in(start, users["mediator"], db)
        before = event_count(db, case)
        with pytest.raises(TransitionError) as caught:
            perform(case, action, users["mediator"])
        assert str(caught.value.message).strip(), action
        # Nothing may be left behind for the request's single commit to write.
        db.session.commit()
        db.session.expire_all()
        assert case.status == start, action
        assert event_count(db, case) == before, action
        if start != Status.MEDIATED:
            agreements = sa.select(sa.func.count(Agreement.id)).where(Agreement.case_id == case.id)
            assert db.session.scalar(agreements) == 0, f"{action} from {start.value} left an agreement behind"


def test_final_statuses_have_no_moves():
    finals = [s for s in Status if s.is_final]
    assert set(finals) == {Status.REJECTED, Status.CLOSED}
    for status in finals:
        assert TRANSITIONS[status] == {}


def test_no_case_can_get_stuck_in_an_open_status():
    for status in Status:
        if not status.is_final:
            assert any(t.is_final for t in _reachable(status)), status


def _reachable(status: Status) -> set[Status]:
    found, todo = set(), [status]
    while todo:
        for target in TRANSITIONS[todo.pop()]:
            if target not in found:
                found.add(target)
                todo.append(target)
    return found


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_rejecting_needs_a_reason(reason, users, db):
    case = case_in(Status.RECEIVED, users["mediator"], db)
    with pytest.raises(TransitionError):
        services.reject_case(case, users["mediator"], reason=reason)
    db.session.commit()
    db.session.expire_all()
    assert case.status == Status.RECEIVED
    assert case.rejection_reason == ""
    assert event_count(db, case) == 1


def test_rejection_keeps_the_reason_and_the_outcome(users, db):
    case = case_in(Status.RECEIVED, users["mediator"], db)
    services.reject_case(case, users["mediator"], reason=" 不属于劳动争议 ")
    db.session.commit()
    assert case.rejection_reason == "不属于劳动争议"
    assert case.outcome == Status.REJECTED
    assert case.rejected_on == case.outcome_on == local_today()


DATED = [a for a in services.TRANSITION_SERVICES]


@pytest.mark.parametrize("action", DATED)
def test_dates_in_the_future_or_before_receipt_are_refused(action, users, db):
    start = next(s for s, moves in TRANSITIONS.items() if action in moves.values())
    case = case_in(start, users["mediator"], db)
    before = event_count(db, case)
    for on in (local_today() + dt.timedelta(days=1), case.received_on - dt.timedelta(days=1)):
        with pytest.raises(TransitionError):
            perform(case, action, users["mediator"], on=on)
        db.session.commit()
        db.session.expire_all()
        assert case.status == start, on
        assert event_count(db, case) == before, on


def test_a_case_cannot_close_before_its_outcome(users, db):
    case = case_in(Status.ACCEPTED, users["mediator"], db)
    services.record_failure(case, users["mediator"], reason="双方分歧较大", on=local_today())
    db.session.commit()
    with pytest.raises(TransitionError):
        services.close_case(case, users["mediator"], on=local_today() - dt.timedelta(days=1))


def test_no_step_is_dated_before_the_step_before_it(users, db):
    received = local_today() - dt.timedelta(days=20)
    case = make_case(users["mediator"], received_on=received)
    services.accept_case(case, users["mediator"], on=received + dt.timedelta(days=5))
    db.session.commit()
    for step in (lambda on: services.start_mediation(case, users["mediator"], on=on),
                 lambda on: services.record_failure(case, users["mediator"], reason="分歧", on=on),
                 lambda on: services.withdraw_case(case, users["mediator"], reason="撤回", on=on)):
        with pytest.raises(TransitionError, match=(received + dt.timedelta(days=5)).isoformat()):
            step(received + dt.timedelta(days=4))  # received, yes; but before the acceptance
        db.session.rollback()
    services.withdraw_case(case, users["mediator"], reason="撤回", on=received + dt.timedelta(days=5))
    db.session.commit()
    assert case.status == Status.WITHDRAWN and case.outcome_on == received + dt.timedelta(days=5)


def test_a_new_case_cannot_be_dated_in_the_future(users, db):
    with pytest.raises(TransitionError):
        make_case(users["mediator"], received_on=local_today() + dt.timedelta(days=1))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_the_queue_tier_follows_the_status(users, db):
    case = make_case(users["mediator"], migrant=True)
    assert case.green_channel and case.queue_tier == 0
    services.reject_case(case, users["mediator"], reason="重复申请")
    assert case.queue_tier == 2
