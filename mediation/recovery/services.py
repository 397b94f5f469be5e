"""Agreements and wage recovery: recording the agreement, its instalments, and payments received.

Money adds up: a payment is never more than what is outstanding (:func:`outstanding`), in total and to
the worker it names; one recorded by mistake is reversed by an entry of the opposite amount
(:func:`reverse_payment`), never edited or deleted, so every sum of the payments — the case's recovered
amount, each worker's, the schedule's, a month's in the reports — is net of reversals, and a reversal
counts on the day it was made.  Correcting and amending the agreement: :mod:`mediation.recovery.corrections`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.services import record_event
from mediation.calendar.working import period_end
from mediation.cases.corrections import WORKER_REMOVAL_CHECKS
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


def _on_case(case: Case, worker: Worker) -> bool:
    """Whether ``worker`` is one of the case's applicants now (not another case's, nor one removed)."""
    return any(w is worker for w in case.workers)


def check_terms(case: Case, data: AgreementData) -> tuple[dict[Worker, int], int, dt.date | None]:
    """What an agreement may say (recorded, corrected or amended alike), checked before anything changes.

    Returns the shares in fen, the total in fen and the performance deadline (the last instalment's due
    date when none was given).
    """
    if data.signed_on > local_today():
        raise TransitionError(_("An agreement cannot be signed in the future."), "signed_on")
    if data.signed_on < case.received_on:
        raise TransitionError(_("An agreement cannot be signed before the case was received."), "signed_on")
    if data.effective_on is not None and data.effective_on < data.signed_on:
        raise TransitionError(_("An agreement cannot take effect before it was signed."), "effective_on")
    if any(not _on_case(case, worker) for worker in data.shares):
        raise TransitionError(_("An agreed amount names a worker who is not on this case."), "shares")
    share_fen = {worker: yuan_to_fen(amount) or 0 for worker, amount in data.shares.items()}
    if any(fen < 0 for fen in share_fen.values()):
        raise TransitionError(_("An amount cannot be negative."), "shares")
    total_fen = yuan_to_fen(data.total) if data.total is not None else sum(share_fen.values())
    if total_fen < 0:
        raise TransitionError(_("An amount cannot be negative."), "total")
    if share_fen and data.total is not None and sum(share_fen.values()) != total_fen:
        raise TransitionError(_(
            "The workers' agreed amounts add up to %(sum)s yuan, not the total of %(total)s yuan.",
            sum=format_yuan(sum(share_fen.values())), total=format_yuan(total_fen),
        ), "total")
    deadline = data.performance_deadline
    if deadline is not None and deadline < data.signed_on:
        raise TransitionError(_("The performance deadline cannot be before the agreement was signed."),
                              "performance_deadline")
    if data.performance_method == PerformanceMethod.INSTALMENTS and not data.instalments:
        raise TransitionError(_("An agreement performed in instalments needs its instalment schedule."),
                              "instalments")
    if data.instalments:
        for due_on, amount, worker in data.instalments:
            if due_on < data.signed_on:
                raise TransitionError(_("An instalment cannot fall due before the agreement was signed."),
                                      "instalments")
            if not yuan_to_fen(amount) or yuan_to_fen(amount) <= 0:
                raise TransitionError(_("Each instalment must be more than zero."), "instalments")
            if worker is not None and not _on_case(case, worker):
                raise TransitionError(_("An instalment names a worker who is not on this case."), "instalments")
        instalment_total = sum(yuan_to_fen(a) for _d, a, _w in data.instalments)
        if instalment_total != total_fen:
            raise TransitionError(_(
                "The instalments add up to %(sum)s yuan, not the agreed %(total)s yuan.",
                sum=format_yuan(instalment_total), total=format_yuan(total_fen),
            ), "instalments")
        last_due = max(d for d, _a, _w in data.instalments)
        if deadline is None:
            deadline = last_due
        elif deadline < last_due:
            raise TransitionError(_("The performance deadline cannot be before the last instalment is due."),
                                  "performance_deadline")
    return share_fen, total_fen, deadline


def _check_agreement(case: Case, data: AgreementData) -> tuple[dict[Worker, int], int, dt.date | None]:
    """Everything :func:`record_agreement` refuses, checked before anything is changed."""
    if case.agreement is not None:
        raise TransitionError(_("This case already has an agreement."))
    if not is_allowed(case.status, Status.MEDIATED):
        raise TransitionError(_(
            "A case that is “%(status)s” cannot be moved to “%(target)s”.",
            status=case.status.label, target=Status.MEDIATED.label,
        ))
    return check_terms(case, data)


def write_terms(agreement: Agreement, data: AgreementData, share_fen: dict[Worker, int], total_fen: int,
                 deadline: dt.date | None) -> None:
    """Put the checked terms into ``agreement``: each worker's share changed in place (one row a worker),
    the instalment schedule replaced."""
    agreement.signed_on = data.signed_on
    agreement.effective_on = data.effective_on or data.signed_on
    agreement.agreed_fen = total_fen
    agreement.performance_deadline = deadline
    agreement.performance_method = (PerformanceMethod.INSTALMENTS if data.instalments
                                    else data.performance_method)
    agreement.terms = data.terms or ""
    rows = {share.worker: share for share in agreement.shares}
    for share in list(agreement.shares):
        if share.worker not in share_fen:
            agreement.shares.remove(share)
    for worker, fen in share_fen.items():
        share = rows.get(worker)
        if share is not None:
            share.agreed_fen = fen
        else:
            agreement.shares.append(AgreementShare(worker=worker, agreed_fen=fen))
    agreement.instalments.clear()
    for due_on, amount, worker in sorted(data.instalments, key=lambda row: row[0]):
        agreement.instalments.append(Instalment(due_on=due_on, amount_fen=yuan_to_fen(amount), worker=worker))


def record_agreement(case: Case, actor, *, data: AgreementData) -> Agreement:
    """调解成功: the written agreement (Art. 14) with each worker's amount and the performance terms."""
    share_fen, total_fen, deadline = _check_agreement(case, data)
    agreement = Agreement(case=case, agreed_as_signed_fen=total_fen)
    write_terms(agreement, data, share_fen, total_fen, deadline)
    db.session.add(agreement)
    mark_mediated(case, actor, on=data.signed_on, agreed_fen=total_fen)
    return agreement


# --- payments --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outstanding:
    """What may still be received on a case, in total and for each worker whose own amount is known.

    With an agreement, what it agrees (the total; each worker's share when it gives shares — a worker
    it leaves out is agreed nothing).  Without one (money paid after mediation failed, or before a
    withdrawal), what was claimed: in total, and for each worker when the workers' own claims make up the
    case's claim.  What was received is net of reversals.
    """

    by_agreement: bool
    due_fen: int
    received_fen: int
    # worker → (due, received), only where each worker's own amount is known
    workers: dict[Worker, tuple[int, int]]

    @property
    def left_fen(self) -> int:
        return max(0, self.due_fen - self.received_fen)

    def worker_left_fen(self, worker: Worker) -> int | None:
        """What is left to this worker; ``None`` when only the total is known."""
        if not self.workers:
            return None
        due, received = self.workers.get(worker, (0, 0))
        return max(0, due - received)


def outstanding(case: Case) -> Outstanding:
    received = received_by_worker(case)
    agreement = case.agreement
    if agreement is not None:
        shares = {s.worker: s.agreed_fen for s in agreement.shares}
        due, by_agreement = agreement.agreed_fen, True
    else:
        workers = list(case.workers)
        known = bool(workers) and sum(w.claimed_fen for w in workers) == case.claimed_fen
        shares = {w: w.claimed_fen for w in workers} if known else {}
        due, by_agreement = case.claimed_fen, False
    return Outstanding(by_agreement, due, sum(received.values()),
                       {worker: (fen, received.get(worker, 0)) for worker, fen in shares.items()})


def _check_not_above_outstanding(case: Case, fen: int, worker: Worker | None) -> None:
    owed = outstanding(case)
    if fen > owed.left_fen:
        amounts = dict(amount=format_yuan(fen), left=format_yuan(owed.left_fen), due=format_yuan(owed.due_fen),
                       received=format_yuan(owed.received_fen))
        if owed.by_agreement:
            message = _("A payment of %(amount)s yuan is more than is outstanding: %(left)s yuan (agreed "
                        "%(due)s yuan, received %(received)s yuan).", **amounts)
        else:
            message = _("A payment of %(amount)s yuan is more than is outstanding: %(left)s yuan (claimed "
                        "%(due)s yuan, received %(received)s yuan; without an agreement, no more than the "
                        "claim can be received).", **amounts)
        raise TransitionError(message, "amount")
    if worker is None:
        return
    left = owed.worker_left_fen(worker)
    if left is not None and fen > left:
        due, received = owed.workers.get(worker, (0, 0))
        amounts = dict(amount=format_yuan(fen), worker=worker.name, left=format_yuan(left),
                       due=format_yuan(due), received=format_yuan(received))
        if owed.by_agreement:
            message = _("A payment of %(amount)s yuan is more than is outstanding to %(worker)s: %(left)s "
                        "yuan (agreed %(due)s yuan, received %(received)s yuan).", **amounts)
        else:
            message = _("A payment of %(amount)s yuan is more than is outstanding to %(worker)s: %(left)s "
                        "yuan (claimed %(due)s yuan, received %(received)s yuan).", **amounts)
        raise TransitionError(message, "amount")


def record_payment(case: Case, actor, *, on: dt.date, amount: Decimal, worker: Worker | None = None,
                   method: str = "", note: str = "") -> Payment:
    """实际兑现: money the worker received, counted in the period it was paid (``on``).

    Never more than is outstanding (:func:`outstanding`), in total and to the worker.  On a case with
    one applicant the payment is theirs; on a group case a payment may name no worker (the employer paid
    the group, e.g. into the representative's account): it counts against the total only.
    """
    if case.status not in PAYMENT_STATUSES:
        raise TransitionError(_("Payments are recorded once mediation has ended."))
    if on > local_today():
        raise TransitionError(_("A payment cannot be dated in the future."), "paid_on")
    if on < case.received_on:
        raise TransitionError(_("A payment cannot be dated before the case was received."), "paid_on")
    fen = yuan_to_fen(amount)
    if not fen or fen <= 0:
        raise TransitionError(_("A payment must be more than zero."), "amount")
    if worker is not None and not _on_case(case, worker):
        raise TransitionError(_("That worker is not on this case."), "worker")
    if worker is None and len(case.workers) == 1:
        worker = case.workers[0]
    _check_not_above_outstanding(case, fen, worker)
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


def reverse_payment(case: Case, actor, payment: Payment, *, reason: str, on: dt.date | None = None) -> Payment:
    """Take back a payment recorded by mistake (keyed twice, the wrong amount, a transfer that bounced):
    an entry of the opposite amount, for the same worker, dated ``on`` (today unless told) with the
    reason.  The payment itself stays as it was; it can be reversed once.  Totals, the schedule and the
    reports follow, the reports counting the reversal in the period it was made.
    """
    if payment.case is not case:
        raise TransitionError(_("That payment is not on this case."), "payment")
    if payment.is_reversal:
        raise TransitionError(_("A reversing entry cannot itself be reversed; record the payment again."),
                              "payment")
    if payment.reversed_by is not None:
        raise TransitionError(_("This payment was already reversed on %(date)s.",
                                date=payment.reversed_by.paid_on.isoformat()), "payment")
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the reason for reversing the payment."), "reason")
    today = local_today()
    on = on or today
    if on > today:
        raise TransitionError(_("A reversal cannot be dated in the future."), "on")
    if on < payment.paid_on:
        raise TransitionError(_("A payment cannot be reversed before it was paid (%(date)s).",
                                date=payment.paid_on.isoformat()), "on")
    fen = payment.amount_fen
    left = min(case.recovered_fen, received_by_worker(case).get(payment.worker, 0))
    if left - fen < 0:
        raise TransitionError(_(
            "Reversing %(amount)s yuan would leave less than nothing received (%(received)s yuan is "
            "recorded).", amount=format_yuan(fen), received=format_yuan(left)), "payment")
    entry = Payment(case=case, worker_id=payment.worker_id, paid_on=on, amount_fen=-fen, note=reason,
                    recorded_by_id=getattr(actor, "id", None))
    entry.reverses = payment
    if payment.worker is not None:
        entry.worker = payment.worker
    db.session.add(entry)
    before = case.recovered_fen
    case.recovered_fen = before - fen
    changes = {"recovered_fen": [before, case.recovered_fen], "payment.amount_fen": [fen, None],
               "payment.paid_on": [payment.paid_on.isoformat(), None]}
    if payment.worker is not None:
        changes["payment.worker"] = [payment.worker.name, None]
    changes["payment.reversed_id"] = [None, payment.id]
    record_event(case, actor, "payment_reversed", changes, note=reason, effective_on=on)
    return entry


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


def received_by_worker(case: Case) -> dict[Worker | None, int]:
    """Payments received, in fen, net of reversals, by worker (``None``: paid without naming a worker).

    Keyed by the worker itself, so that payments not yet written (an import's batch) count as well."""
    totals: dict[Worker | None, int] = {}
    for p in case.payments:
        totals[p.worker] = totals.get(p.worker, 0) + p.amount_fen
    return totals


def paid_by_worker(case: Case) -> dict[int | None, int]:
    """Payments received, in fen, net of reversals, by worker id (``None``: paid without naming a worker)."""
    return {(w.id if w is not None else None): fen for w, fen in received_by_worker(case).items()}


def _worker_has_money(worker: Worker) -> str | None:
    """A worker named by an agreement share, an instalment or a payment stays on the case: the money
    records would otherwise name someone the case no longer lists."""
    named = sa.union_all(
        sa.select(AgreementShare.worker_id).where(AgreementShare.worker_id == worker.id),
        sa.select(Instalment.worker_id).where(Instalment.worker_id == worker.id),
        sa.select(Payment.worker_id).where(Payment.worker_id == worker.id),
    ).subquery()
    if worker.id is not None and db.session.scalar(sa.select(sa.func.count()).select_from(named)):
        return _("%(name)s is named in the agreement or a payment: correct or amend the agreement (and reverse "
                 "the payments) before taking them off the case.", name=worker.name)
    return None


WORKER_REMOVAL_CHECKS.append(_worker_has_money)
