"""The agreement, its instalments, payments and what falls overdue, through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today
from mediation.recovery import services
from mediation.recovery.models import Agreement, Payment, PerformanceMethod
from tests.factories import make_case
from tests.sessions.casework import case_at, days_ago

D = Decimal


def agree(case, actor, **values):
    values.setdefault("signed_on", days_ago(10))
    values.setdefault("performance_deadline", days_ago(3))
    return services.record_agreement(case, actor, data=services.AgreementData(**values))


def nothing_saved(db, case, status=Status.IN_MEDIATION):
    db.session.rollback()
    db.session.expire_all()
    assert case.status == status
    assert case.agreed_fen is None
    assert db.session.scalar(sa.select(sa.func.count(Agreement.id))) == 0


def test_an_agreement_with_each_workers_amount_mediates_the_case(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, workers=3, claimed="5000.00")
    first, second, third = case.workers
    agreement = agree(case, mediator, shares={first: D("4500.00"), second: D("4800.50"), third: D("0")},
                      total=D("9300.50"), terms="被申请人于约定日期前一次性支付。")
    db.session.commit()
    assert case.status == Status.MEDIATED and case.outcome_on == days_ago(10)
    assert case.agreed_fen == agreement.agreed_fen == 930050
    assert {s.worker_id: s.agreed_fen for s in agreement.shares} == {first.id: 450000, second.id: 480050, third.id: 0}
    assert agreement.effective_on == agreement.signed_on
    assert services.arbitral_review_due(agreement) == days_ago(10) + dt.timedelta(days=15)


def test_without_a_total_the_workers_amounts_are_added_up(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, workers=2)
    agree(case, mediator, shares={w: D("1000.10") for w in case.workers})
    db.session.commit()
    assert case.agreed_fen == 200020


def test_amounts_that_do_not_add_up_to_the_total_are_refused(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, workers=2)
    with pytest.raises(TransitionError) as refused:
        agree(case, mediator, shares={w: D("1000") for w in case.workers}, total=D("2000.01"))
    assert "2,000.00" in refused.value.message and "2,000.01" in refused.value.message
    nothing_saved(db, case)


def test_an_instalment_schedule_must_add_up_to_the_total(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    with pytest.raises(TransitionError):
        agree(case, mediator, total=D("9000"), performance_deadline=None,
              instalments=[(days_ago(5), D("3000"), None), (days_ago(1), D("5999.99"), None)])
    nothing_saved(db, case)


def test_instalments_set_the_method_and_by_default_the_deadline(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    worker = case.workers[0]
    agreement = agree(case, mediator, total=D("9000"), performance_deadline=None,
                      instalments=[(days_ago(1), D("6000"), worker), (days_ago(5), D("3000"), None)])
    db.session.commit()
    assert agreement.performance_method == PerformanceMethod.INSTALMENTS
    assert agreement.performance_deadline == days_ago(1)
    assert [(i.due_on, i.amount_fen, i.worker_id) for i in agreement.instalments] == [
        (days_ago(5), 300000, None), (days_ago(1), 600000, worker.id)]


def _with_stranger(value, stranger):
    if isinstance(value, dict):
        return {stranger if k == "stranger" else k: v for k, v in value.items()}
    if isinstance(value, list):
        return [tuple(stranger if part == "stranger" else part for part in row) for row in value]
    return value


@pytest.mark.parametrize("values", [
    {"signed_on": local_today() + dt.timedelta(days=1), "performance_deadline": None},
    {"signed_on": days_ago(30), "performance_deadline": None},                    # before the case was received
    {"effective_on": days_ago(11)},                                               # in force before signing
    {"performance_deadline": days_ago(11)},                                       # due before signing
    {"total": D("100"), "performance_deadline": days_ago(3),
     "instalments": [(days_ago(11), D("100"), None)]},                            # instalment before signing
    {"total": D("100"), "performance_deadline": days_ago(3),
     "instalments": [(days_ago(1), D("100"), None)]},                             # deadline before last instalment
    {"total": D("100"), "performance_method": PerformanceMethod.INSTALMENTS},     # instalments, but no schedule
    {"total": D("100"), "instalments": [(days_ago(1), D("100"), "stranger")],
     "performance_deadline": None},                                               # a stranger's instalment
    {"shares": {"stranger": D("100")}},                                           # a stranger's share
], ids=["future", "before-received", "effective-early", "deadline-early", "instalment-early",
        "deadline-before-instalment", "no-schedule", "stranger-instalment", "stranger-share"])
def test_an_agreement_that_makes_no_sense_is_refused_whole(values, users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    stranger = make_case(mediator, worker_name="另一案件的申请人").workers[0]  # a worker of another case
    values = {key: _with_stranger(value, stranger) for key, value in values.items()}
    values.setdefault("total", D("1000"))
    with pytest.raises(TransitionError):
        agree(case, mediator, **values)
    nothing_saved(db, case)


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.FAILED, Status.WITHDRAWN])
def test_only_a_case_in_mediation_can_reach_an_agreement(status, users, db):
    mediator = users["mediator"]
    case = case_at(status, mediator)
    with pytest.raises(TransitionError):
        agree(case, mediator, total=D("1000"))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Agreement.id))) == 0


def test_a_payment_raises_the_recovered_amount_and_is_dated_when_paid(users, db):
    mediator = users["mediator"]
    case = case_at(Status.MEDIATED, mediator, claimed="12000.00")
    worker = case.workers[0]
    services.record_payment(case, mediator, on=days_ago(4), amount=D("5000.50"), worker=worker,
                            method="银行转账", note="第一笔")
    services.record_payment(case, mediator, on=days_ago(2), amount=D("1000"))
    db.session.commit()
    assert case.recovered_fen == 600050
    events = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                           CaseEvent.kind == "payment_recorded")
                                .order_by(CaseEvent.id)).all()
    assert [e.effective_on for e in events] == [days_ago(4), days_ago(2)]
    assert events[0].changes["recovered_fen"] == [0, 500050]
    assert events[1].changes["recovered_fen"] == [500050, 600050]
    assert events[0].note == "第一笔"
    # The case has one applicant: a payment that names nobody is theirs.
    assert services.paid_by_worker(case) == {worker.id: 600050}
    assert events[1].changes["payment.worker"] == [None, "张三"]


@pytest.mark.parametrize("problem", ["in_mediation", "future", "before_received", "zero", "stranger"])
def test_a_payment_that_cannot_be_is_refused(problem, users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION if problem == "in_mediation" else Status.MEDIATED, mediator)
    other = case_at(Status.RECEIVED, mediator, worker_name="李四")
    paid_on = {"future": local_today() + dt.timedelta(days=1), "before_received": days_ago(21)}.get(problem, days_ago(1))
    with pytest.raises(TransitionError):
        services.record_payment(case, mediator, on=paid_on, amount=D("0") if problem == "zero" else D("10"),
                                worker=other.workers[0] if problem == "stranger" else None)
    db.session.rollback()
    db.session.expire_all()
    assert case.recovered_fen == 0
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 0


def instalment_case(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    agreement = agree(case, mediator, total=D("9000"), performance_deadline=None, instalments=[
        (days_ago(5), D("3000"), None), (days_ago(1), D("3000"), None), (local_today() + dt.timedelta(days=20), D("3000"), None)])
    db.session.commit()
    return case, agreement


def states(agreement):
    return [(row.state, row.paid_fen) for row in services.performance_schedule(agreement)]


def test_instalments_are_paid_due_or_overdue(users, db):
    case, agreement = instalment_case(users, db)
    assert states(agreement) == [("overdue", 0), ("overdue", 0), ("due", 0)]
    assert [i.due_on for i in services.overdue_instalments(agreement)] == [days_ago(5), days_ago(1)]

    # Payments cover the earliest amounts first: 4,000 pays the first and part of the second.
    services.record_payment(case, users["mediator"], on=days_ago(1), amount=D("4000"))
    db.session.commit()
    assert states(agreement) == [("paid", 300000), ("overdue", 100000), ("due", 0)]
    assert [i.due_on for i in services.overdue_instalments(agreement)] == [days_ago(1)]
    assert services.payment_order_applies(case)

    services.record_payment(case, users["mediator"], on=local_today(), amount=D("2000"))
    db.session.commit()
    assert states(agreement) == [("paid", 300000), ("paid", 300000), ("due", 0)]
    assert services.overdue_instalments(agreement) == []
    assert not services.payment_order_applies(case)


def test_an_instalment_due_today_is_not_yet_overdue(users, db):
    case, agreement = instalment_case(users, db)
    assert services.overdue_instalments(agreement, today=days_ago(5)) == []
    assert len(services.overdue_instalments(agreement, today=days_ago(4))) == 1


def test_a_lump_sum_is_overdue_after_its_deadline_for_what_is_still_owed(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    agreement = agree(case, mediator, total=D("8000"), performance_deadline=days_ago(2))
    services.record_payment(case, mediator, on=days_ago(2), amount=D("5000"))
    db.session.commit()
    [overdue] = services.overdue_instalments(agreement)
    assert (overdue.due_on, overdue.amount_fen) == (days_ago(2), 300000)
    assert services.overdue_instalments(agreement, today=days_ago(2)) == []


def test_the_payment_order_cue_is_for_pay_compensation_and_damages_only(users, db):
    mediator = users["mediator"]
    for code, applies in (("severance", True), ("work_injury", True), ("contract", False), ("social_insurance", False)):
        case = case_at(Status.IN_MEDIATION, mediator, type_code=code, worker_name=f"工人{code}")
        agree(case, mediator, total=D("8000"), performance_deadline=days_ago(2))
        db.session.commit()
        assert services.payment_order_applies(case) is applies, code
