"""No payment above what is outstanding: in total and to the worker, with or without an agreement."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from mediation.audit.models import CaseEvent
from mediation.cases import services as cases
from mediation.cases.workflow import Status, TransitionError
from mediation.cases.models import CaseDeadline
from mediation.recovery import services
from mediation.recovery.models import Payment
from tests.factories import make_case
from tests.sessions.casework import case_at, days_ago

D = Decimal


def pay(case, actor, amount: str, worker=None, ago: int = 1):
    with force_locale("en"):
        return services.record_payment(case, actor, on=days_ago(ago), amount=D(amount), worker=worker)


def refused(case, actor, amount: str, worker=None) -> str:
    with pytest.raises(TransitionError) as refusal:
        pay(case, actor, amount, worker)
    assert refusal.value.field == "amount"
    return str(refusal.value.message)


def payments_of(db, case) -> list[int]:
    return db.session.scalars(sa.select(Payment.amount_fen).where(Payment.case_id == case.id)
                              .order_by(Payment.id)).all()


def test_fifty_thousand_against_an_eighteen_thousand_agreement_is_refused_and_changes_nothing(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, claimed="20000.00")
    services.record_agreement(case, mediator, data=services.AgreementData(
        signed_on=days_ago(10), performance_deadline=None, total=D("18000"),
        instalments=[(days_ago(5), D("9000"), None), (days_ago(-20), D("9000"), None)]))
    db.session.commit()
    deadlines_before = db.session.scalars(sa.select(CaseDeadline.due_on).where(
        CaseDeadline.case_id == case.id, CaseDeadline.key == "instalment")).all()

    assert refused(case, mediator, "50000") == (
        "A payment of 50,000.00 yuan is more than is outstanding: 18,000.00 yuan (agreed 18,000.00 yuan, "
        "received 0.00 yuan).")
    db.session.rollback()
    db.session.expire_all()
    assert case.recovered_fen == 0 and payments_of(db, case) == []
    assert db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(
        CaseEvent.case_id == case.id, CaseEvent.kind == "payment_recorded")) == 0
    # Nothing reads as paid: the first instalment is still overdue, both still on the worklist.
    assert [row.state for row in services.performance_schedule(case.agreement)] == ["overdue", "due"]
    assert db.session.scalars(sa.select(CaseDeadline.due_on).where(
        CaseDeadline.case_id == case.id, CaseDeadline.key == "instalment")).all() == deadlines_before

    # What is outstanding may be paid; a fen more may not.
    pay(case, mediator, "18000")
    db.session.commit()
    assert case.recovered_fen == 1_800_000
    assert "0.00 yuan (agreed 18,000.00 yuan, received 18,000.00 yuan)" in refused(case, mediator, "0.01")


def test_each_worker_receives_no_more_than_their_share(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, workers=2, claimed="6000.00")
    zhang, li = case.workers
    services.record_agreement(case, mediator, data=services.AgreementData(
        signed_on=days_ago(10), performance_deadline=days_ago(3), shares={zhang: D("5000"), li: D("7000")}))
    db.session.commit()

    assert refused(case, mediator, "5000.01", zhang) == (
        "A payment of 5,000.01 yuan is more than is outstanding to 张三: 5,000.00 yuan (agreed 5,000.00 yuan, "
        "received 0.00 yuan).")
    pay(case, mediator, "3000", zhang)
    assert "to 张三: 2,000.00 yuan (agreed 5,000.00 yuan, received 3,000.00 yuan)" in refused(
        case, mediator, "2000.01", zhang)
    pay(case, mediator, "7000", li)
    # Paid to the group without naming a worker: within the total (12,000 − 10,000 = 2,000).
    pay(case, mediator, "2000")
    db.session.commit()
    assert services.paid_by_worker(case) == {zhang.id: 300000, li.id: 700000, None: 200000}
    # 张三's share still shows 2,000 unpaid, but nothing is left of the total.
    assert "more than is outstanding: 0.00 yuan (agreed 12,000.00 yuan, received 12,000.00 yuan)" in refused(
        case, mediator, "1", zhang)
    assert case.recovered_fen == 1_200_000


def test_a_worker_the_shares_leave_out_is_agreed_nothing(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, workers=2, claimed="6000.00")
    zhang, li = case.workers
    services.record_agreement(case, mediator, data=services.AgreementData(
        signed_on=days_ago(10), performance_deadline=days_ago(3), shares={zhang: D("5000")}))
    db.session.commit()
    assert "to 张三2: 0.00 yuan (agreed 0.00 yuan" in refused(case, mediator, "1", li)


def test_on_a_one_worker_case_the_payment_is_the_workers(users, db):
    mediator = users["mediator"]
    case = case_at(Status.MEDIATED, mediator, claimed="9000.00")  # an agreement of the total only
    worker = case.workers[0]
    pay(case, mediator, "4000")
    db.session.commit()
    assert services.paid_by_worker(case) == {worker.id: 400000}
    assert case.payments[0].worker_id == worker.id
    event = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.kind == "payment_recorded"))
    assert event.changes["payment.worker"] == [None, "张三"]


def test_without_an_agreement_what_was_claimed_is_outstanding(users, db):
    mediator = users["mediator"]
    case = case_at(Status.FAILED, mediator, claimed="12000.00")
    assert refused(case, mediator, "12000.01") == (
        "A payment of 12,000.01 yuan is more than is outstanding: 12,000.00 yuan (claimed 12,000.00 yuan, "
        "received 0.00 yuan; without an agreement, no more than the claim can be received).")
    pay(case, mediator, "12000")
    db.session.commit()
    assert case.recovered_fen == 1_200_000


def test_without_an_agreement_each_workers_own_claim_limits_what_they_receive(users, db):
    mediator = users["mediator"]
    case = case_at(Status.WITHDRAWN, mediator, workers=2, claimed="3000.00")  # 6,000 claimed in all
    zhang, li = case.workers
    assert "to 张三: 3,000.00 yuan (claimed 3,000.00 yuan, received 0.00 yuan)" in refused(
        case, mediator, "3000.01", zhang)
    pay(case, mediator, "3000", zhang)
    pay(case, mediator, "3000")
    db.session.commit()
    assert case.recovered_fen == 600000


def test_where_only_the_total_claim_is_known_only_the_total_limits(users, db):
    mediator = users["mediator"]
    # A group of which each listed worker's claim is not the whole: 10,000 claimed, 2 × 3,000 listed.
    case = make_case(mediator, workers=2, claimed="3000.00", claimed_total=D("10000.00"), received_on=days_ago(20))
    cases.accept_case(case, mediator, on=days_ago(19))
    cases.record_failure(case, mediator, reason="双方分歧较大", on=days_ago(10))
    db.session.commit()
    pay(case, mediator, "5000", case.workers[0])
    db.session.commit()
    assert "more than is outstanding: 5,000.00 yuan (claimed 10,000.00 yuan" in refused(
        case, mediator, "5000.01", case.workers[1])


def test_nothing_claimed_and_no_agreement_takes_no_payment(users, db):
    mediator = users["mediator"]
    case = case_at(Status.FAILED, mediator, claimed="0")
    assert "outstanding: 0.00 yuan (claimed 0.00 yuan" in refused(case, mediator, "100")


def test_an_agreement_to_nothing_takes_no_payment(users, db):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    services.record_agreement(case, mediator, data=services.AgreementData(
        signed_on=days_ago(10), performance_deadline=None, total=D("0"), terms="恢复劳动关系"))
    db.session.commit()
    assert "outstanding: 0.00 yuan (agreed 0.00 yuan" in refused(case, mediator, "1")
