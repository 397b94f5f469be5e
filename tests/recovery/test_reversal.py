"""Reversing a payment: an entry with its reason and date, never an edit; every total follows."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from mediation.audit.models import CaseEvent
from mediation.cases import services as cases
from mediation.cases.models import Case, CaseDeadline
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today
from mediation.recovery import services
from mediation.recovery.models import Payment
from mediation.reports.summary import summary_dict
from tests.factories import make_case
from tests.sessions.casework import case_at, days_ago

D = Decimal


def instalment_rows(db, case) -> list[dt.date]:
    return db.session.scalars(sa.select(CaseDeadline.due_on).where(
        CaseDeadline.case_id == case.id, CaseDeadline.key == "instalment").order_by(CaseDeadline.due_on)).all()


def reverse(case, actor, payment, reason="重复录入", on=None):
    with force_locale("en"):
        return services.reverse_payment(case, actor, payment, reason=reason, on=on)


@pytest.fixture
def paid_case(users, db):
    """18,000 agreed in two instalments (one due five days ago, one in 20 days); the first paid."""
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    services.record_agreement(case, mediator, data=services.AgreementData(
        signed_on=days_ago(10), performance_deadline=None, total=D("18000"),
        instalments=[(days_ago(5), D("9000"), None), (days_ago(-20), D("9000"), None)]))
    payment = services.record_payment(case, mediator, on=days_ago(4), amount=D("9000"), method="银行转账")
    db.session.commit()
    return case, payment


def test_a_reversal_is_an_entry_with_its_reason_and_date_and_every_total_follows(paid_case, users, db):
    case, payment = paid_case
    worker = case.workers[0]
    assert [r.state for r in services.performance_schedule(case.agreement)] == ["paid", "due"]
    assert instalment_rows(db, case) == [days_ago(-20)]
    assert not services.payment_order_applies(case)

    entry = reverse(case, users["supervisor"], payment, on=days_ago(1))
    db.session.commit()
    db.session.expire_all()
    # The payment stays as it was; the entry takes it back, dated the day of the reversal.
    original = db.session.get(Payment, payment.id)
    assert (original.amount_fen, original.paid_on, original.method) == (900000, days_ago(4), "银行转账")
    assert original.reversed_by.id == entry.id and original.is_reversed
    assert (entry.amount_fen, entry.paid_on, entry.note, entry.reverses_id, entry.worker_id) == (
        -900000, days_ago(1), "重复录入", payment.id, worker.id)
    # Totals: received, each worker's, the schedule, the payment-order cue and the deadline rows.
    assert case.recovered_fen == 0
    assert services.paid_by_worker(case) == {worker.id: 0}
    assert [(r.state, r.paid_fen) for r in services.performance_schedule(case.agreement)] == [
        ("overdue", 0), ("due", 0)]
    assert services.payment_order_applies(case)
    assert instalment_rows(db, case) == [days_ago(5), days_ago(-20)]
    assert services.outstanding(case).left_fen == 1_800_000

    event = db.session.scalar(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.kind == "payment_reversed"))
    assert event.note == "重复录入" and event.effective_on == days_ago(1)
    assert event.actor_id == users["supervisor"].id
    assert event.changes == {
        "recovered_fen": [900000, 0], "payment.amount_fen": [900000, None],
        "payment.paid_on": [days_ago(4).isoformat(), None], "payment.worker": ["张三", None],
        "payment.reversed_id": [None, payment.id]}


def test_a_reversal_needs_a_reason(paid_case, users, db):
    case, payment = paid_case
    for reason in ("", "   "):
        with pytest.raises(TransitionError) as refusal:
            reverse(case, users["mediator"], payment, reason=reason)
        assert refusal.value.field == "reason"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 1
    assert db.session.get(Case, case.id).recovered_fen == 900000


def test_a_payment_is_reversed_once_and_a_reversal_is_not_reversed(paid_case, users, db):
    case, payment = paid_case
    entry = reverse(case, users["mediator"], payment)
    db.session.commit()
    with pytest.raises(TransitionError) as twice:
        reverse(case, users["mediator"], payment)
    assert str(twice.value.message) == f"This payment was already reversed on {local_today().isoformat()}."
    with pytest.raises(TransitionError):
        reverse(case, users["mediator"], entry)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 2
    assert db.session.get(Case, case.id).recovered_fen == 0


@pytest.mark.parametrize("on, message", [
    (5, "A payment cannot be reversed before it was paid"),
    (-1, "A reversal cannot be dated in the future."),
])
def test_a_reversal_is_dated_between_the_payment_and_today(on, message, paid_case, users, db):
    case, payment = paid_case
    with pytest.raises(TransitionError) as refusal:
        reverse(case, users["mediator"], payment, on=days_ago(on))
    assert message in str(refusal.value.message) and refusal.value.field == "on"


def test_a_payment_of_another_case_is_not_reversed_here(paid_case, users, db):
    case, payment = paid_case
    other = case_at(Status.MEDIATED, users["mediator"], worker_name="李四")
    with pytest.raises(TransitionError):
        reverse(other, users["mediator"], payment)


def test_a_reversal_that_would_leave_less_than_nothing_is_refused(paid_case, users, db):
    case, payment = paid_case
    # A record kept wrong before payments were checked (as an old import could leave it): 5,000 recovered.
    db.session.execute(sa.update(Case).where(Case.id == case.id).values(recovered_fen=500000))
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(TransitionError) as refusal:
        reverse(case, users["mediator"], db.session.get(Payment, payment.id))
    assert str(refusal.value.message) == ("Reversing 9,000.00 yuan would leave less than nothing received "
                                          "(5,000.00 yuan is recorded).")


def test_reversing_frees_what_was_outstanding(paid_case, users, db):
    case, payment = paid_case
    reverse(case, users["mediator"], payment)
    services.record_payment(case, users["mediator"], on=local_today(), amount=D("18000"))
    db.session.commit()
    assert case.recovered_fen == 1_800_000
    assert [r.state for r in services.performance_schedule(case.agreement)] == ["paid", "paid"]
    assert instalment_rows(db, case) == []


def month(year: int, number: int) -> dict:
    first = dt.date(year, number, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return summary_dict(first, last)


def test_the_reports_count_a_reversal_in_the_month_it_was_made(users, db):
    mediator = users["mediator"]
    case = make_case(mediator, received_on=dt.date(2025, 10, 1), claimed="20000.00")
    cases.accept_case(case, mediator, on=dt.date(2025, 10, 2))
    cases.start_mediation(case, mediator, on=dt.date(2025, 10, 3))
    services.record_agreement(case, mediator, data=services.AgreementData(
        signed_on=dt.date(2025, 10, 10), performance_deadline=dt.date(2025, 11, 30), total=D("18000")))
    first = services.record_payment(case, mediator, on=dt.date(2025, 10, 15), amount=D("5000"))
    keyed_twice = services.record_payment(case, mediator, on=dt.date(2025, 10, 15), amount=D("5000"))
    services.record_payment(case, mediator, on=dt.date(2025, 10, 20), amount=D("3000"))
    db.session.commit()
    assert month(2025, 10)["recovered"] == "13000.00"  # 5,000 + 5,000 + 3,000

    services.reverse_payment(case, mediator, keyed_twice, reason="同一笔转账录入两次", on=dt.date(2025, 11, 3))
    services.record_payment(case, mediator, on=dt.date(2025, 11, 10), amount=D("4500"))
    db.session.commit()
    october, november = month(2025, 10), month(2025, 11)
    # October keeps what was received then; November counts the reversal: −5,000 + 4,500.
    assert (october["recovered"], october["recovered_reversed"]) == ("13000.00", "0.00")
    assert (november["recovered"], november["recovered_reversed"]) == ("-500.00", "5000.00")
    assert summary_dict(dt.date(2025, 10, 1), dt.date(2025, 11, 30))["recovered"] == "12500.00"
    assert month(2025, 12)["recovered"] == "0.00"
    assert case.recovered_fen == 1_250_000 and first.reversed_by is None
    # The mediated month's agreed amount is untouched by payments and their reversals.
    assert october["mediated_success_agreed"] == "18000.00"
