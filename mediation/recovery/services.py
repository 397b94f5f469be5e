"""Agreements and wage recovery: recording the agreement, its instalments, and payments received."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from mediation.audit.services import record_event
from mediation.calendar.working import period_end
from mediation.cases.models import Case, Worker
from mediation.cases.services import mark_mediated
from mediation.cases.workflow import Status, TransitionError, is_allowed
from mediation.core.money import format_yuan, yuan_to_fen
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.recovery.models import Agreement, AgreementShare, Instalment, Payment, PerformanceMethod

# Statuses in which money may still come in: after an agreement, and also after a failure or withdrawal
# (the employer sometimes pays once the worker goes to arbitration, or pays and the worker withdraws).
PAYMENT_STATUSES = (Status.MEDIATED, Status.FAILED, Status.CLOSED, Status.WITHDRAWN)


@dataclass
class AgreementData:
    signed_on: dt.date
    performance_deadline: dt.date | None
    performance_method: PerformanceMethod = PerformanceMethod.LUMP_SUM
    terms: str = ""
    # worker → agreed amount; workers left out agree to nothing.
    shares: dict[Worker, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    # (due date, amount, worker or None)
    instalments: list[tuple[dt.date, Decimal, Worker | None]] = field(default_factory=list)
    effective_on: dt.date | None = None


def _check_agreement(case: Case, data: AgreementData) -> tuple[dict[Worker, int], int, dt.date | None]:
    """Everything :func:`record_agreement` refuses, checked before anything is changed.

    Returns the shares in fen, the total in fen and the performance deadline (the last instalment's due
    date when none was given).
    """
    if case.agreement is not None:
        raise TransitionError(_("This case already has an agreement."))
    if not is_allowed(case.status, Status.MEDIATED):
        raise TransitionError(_(
            "A case that is “%(status)s” cannot be moved to “%(target)s”.",
            status=case.status.label, target=Status.MEDIATED.label,
        ))
    if data.signed_on > local_today():
        raise TransitionError(_("An agreement cannot be signed in the future."))
    if data.signed_on < case.received_on:
        raise TransitionError(_("An agreement cannot be signed before the case was received."))
    if data.effective_on is not None and data.effective_on < data.signed_on:
        raise TransitionError(_("An agreement cannot take effect before it was signed."))
    if any(worker.case is not case for worker in data.shares):
        raise TransitionError(_("An agreed amount names a worker who is not on this case."))
    share_fen = {worker: yuan_to_fen(amount) or 0 for worker, amount in data.shares.items()}
    if any(fen < 0 for fen in share_fen.values()):
        raise TransitionError(_("An amount cannot be negative."))
    total_fen = yuan_to_fen(data.total) if data.total is not None else sum(share_fen.values())
    if total_fen < 0:
        raise TransitionError(_("An amount cannot be negative."))
    if share_fen and data.total is not None and sum(share_fen.values()) != total_fen:
        raise TransitionError(_(
            "The workers' agreed amounts add up to %(sum)s yuan, not the total of %(total)s yuan.",
            sum=format_yuan(sum(share_fen.values())), total=format_yuan(total_fen),
        ))
    deadline = data.performance_deadline
    if deadline is not None and deadline < data.signed_on:
        raise TransitionError(_("The performance deadline cannot be before the agreement was signed."))
    if data.performance_method == PerformanceMethod.INSTALMENTS and not data.instalments:
        raise TransitionError(_("An agreement performed in instalments needs its instalment schedule."))
    if data.instalments:
        for due_on, amount, worker in data.instalments:
            if due_on < data.signed_on:
                raise TransitionError(_("An instalment cannot fall due before the agreement was signed."))
            if not yuan_to_fen(amount) or yuan_to_fen(amount) <= 0:
                raise TransitionError(_("Each instalment must be more than zero."))
            if worker is not None and worker.case is not case:
                raise TransitionError(_("An instalment names a worker who is not on this case."))
        instalment_total = sum(yuan_to_fen(a) for _d, a, _w in data.instalments)
        if instalment_total != total_fen:
            raise TransitionError(_(
                "The instalments add up to %(sum)s yuan, not the agreed %(total)s yuan.",
                sum=format_yuan(instalment_total), total=format_yuan(total_fen),
            ))
        last_due = max(d for d, _a, _w in data.instalments)
        if deadline is None:
            deadline = last_due
        elif deadline < last_due:
            raise TransitionError(_("The performance deadline cannot be before the last instalment is due."))
    return share_fen, total_fen, deadline


def record_agreement(case: Case, actor, *, data: AgreementData) -> Agreement:
    """调解成功: the written agreement (Art. 14) with each worker's amount and the performance terms."""
    share_fen, total_fen, deadline = _check_agreement(case, data)
    agreement = Agreement(
        case=case, signed_on=data.signed_on, effective_on=data.effective_on or data.signed_on,
        agreed_fen=total_fen, performance_deadline=deadline,
        performance_method=PerformanceMethod.INSTALMENTS if data.instalments else data.performance_method,
        terms=data.terms or "",
    )
    for worker, fen in share_fen.items():
        agreement.shares.append(AgreementShare(worker=worker, agreed_fen=fen))
    for due_on, amount, worker in sorted(data.instalments, key=lambda row: row[0]):
        agreement.instalments.append(Instalment(due_on=due_on, amount_fen=yuan_to_fen(amount), worker=worker))
    db.session.add(agreement)
    mark_mediated(case, actor, on=data.signed_on, agreed_fen=total_fen)
    return agreement


def record_payment(case: Case, actor, *, on: dt.date, amount: Decimal, worker: Worker | None = None,
                   method: str = "", note: str = "") -> Payment:
    """实际兑现: money the worker received, counted in the period it was paid (``on``)."""
    if case.status not in PAYMENT_STATUSES:
        raise TransitionError(_("Payments are recorded once mediation has ended."))
    if on > local_today():
        raise TransitionError(_("A payment cannot be dated in the future."), "paid_on")
    if on < case.received_on:
        raise TransitionError(_("A payment cannot be dated before the case was received."), "paid_on")
    fen = yuan_to_fen(amount)
    if not fen or fen <= 0:
        raise TransitionError(_("A payment must be more than zero."), "amount")
    if worker is not None and worker.case is not case:
        raise TransitionError(_("That worker is not on this case."), "worker")
    payment = Payment(case=case, worker=worker, paid_on=on, amount_fen=fen, method=method or "",
                      note=note or "", recorded_by_id=getattr(actor, "id", None))
    db.session.add(payment)
    before = case.recovered_fen
    case.recovered_fen = before + fen
    changes = {"recovered_fen": [before, case.recovered_fen], "payment.amount_fen": [None, fen],
               "payment.paid_on": [None, on.isoformat()]}
    if worker is not None:
        changes["payment.worker"] = [None, worker.name]
    if method:
        changes["payment.method"] = [None, method]
    record_event(case, actor, "payment_recorded", changes, note=note, effective_on=on)
    return payment


@dataclass(frozen=True)
class ScheduledPayment:
    """One amount the agreement says is due by a date, and how much of it the payments so far cover.

    An instalment, or for an agreement without instalments its whole amount due by the performance
    deadline.  Payments are applied to the earliest amounts first.
    """

    due_on: dt.date
    amount_fen: int
    paid_fen: int
    state: str  # 'paid', 'due' (not yet late) or 'overdue'
    worker: Worker | None = None
    instalment: Instalment | None = None

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.paid_fen

    @property
    def worker_id(self) -> int | None:
        return self.worker.id if self.worker is not None else None


def performance_schedule(agreement: Agreement, today: dt.date | None = None) -> list[ScheduledPayment]:
    """The agreement's amounts due, oldest first, each marked paid, due or overdue as of ``today``."""
    today = today or local_today()
    unapplied = sum(p.amount_fen for p in agreement.case.payments)
    if agreement.instalments:
        rows = [(i.due_on, i.amount_fen, i.worker, i) for i in sorted(agreement.instalments, key=lambda i: i.due_on)]
    elif agreement.performance_deadline is not None and agreement.agreed_fen > 0:
        rows = [(agreement.performance_deadline, agreement.agreed_fen, None, None)]
    else:
        return []
    schedule = []
    for due_on, amount, worker, instalment in rows:
        paid = min(amount, unapplied)
        unapplied -= paid
        state = "paid" if paid >= amount else "overdue" if due_on < today else "due"
        schedule.append(ScheduledPayment(due_on, amount, paid, state, worker, instalment))
    return schedule


def overdue_instalments(agreement: Agreement, today: dt.date | None = None) -> list[Instalment]:
    """Instalments past due and not covered by payments (oldest first): Art. 16's payment-order cue.

    For an agreement without instalments, one unsaved ``Instalment`` for what is still owed at the
    performance deadline.  :func:`performance_schedule` gives the same with the amounts paid.
    """
    overdue = [row for row in performance_schedule(agreement, today) if row.state == "overdue"]
    return [row.instalment or Instalment(due_on=row.due_on, amount_fen=row.outstanding_fen) for row in overdue]


def payment_order_applies(case: Case, today: dt.date | None = None) -> bool:
    """Art. 16: an agreement on pay, work-injury medical costs, compensation or damages — the matters of
    Art. 2 (5) — that the employer has not performed in time lets the worker apply for a payment order."""
    if case.agreement is None or case.dispute_type.art2_item != 5:
        return False
    return bool(overdue_instalments(case.agreement, today))


ARBITRAL_REVIEW_DAYS = 15


def arbitral_review_due(agreement: Agreement) -> dt.date:
    """人社部令第17号: the parties may jointly apply for arbitral review within 15 days of the agreement taking
    effect (the last day moved off a day off)."""
    return period_end(agreement.effective_on, days=ARBITRAL_REVIEW_DAYS)


def paid_by_worker(case: Case) -> dict[int | None, int]:
    """Payments received, in fen, by worker id (``None``: paid without naming a worker)."""
    totals: dict[int | None, int] = {}
    for p in case.payments:
        totals[p.worker_id] = totals.get(p.worker_id, 0) + p.amount_fen
    return totals
