"""Agreements and wage recovery: recording the agreement, its instalments, and payments received."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from mediation.audit.services import record_event
from mediation.cases.models import Case, Worker
from mediation.cases.services import mark_mediated
from mediation.cases.workflow import Status, TransitionError
from mediation.core.money import format_yuan, yuan_to_fen
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.recovery.models import Agreement, AgreementShare, Instalment, Payment, PerformanceMethod


@dataclass
class AgreementData:
    signed_on: dt.date
    performance_deadline: dt.date | None
    performance_method: PerformanceMethod = PerformanceMethod.LUMP_SUM
    terms: str = ""
    # worker id → agreed amount; workers left out agree to nothing.
    shares: dict[int, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    instalments: list[tuple[dt.date, Decimal, int | None]] = field(default_factory=list)
    effective_on: dt.date | None = None


def record_agreement(case: Case, actor, data: AgreementData, *, via: str = "web") -> Agreement:
    """调解成功: the written agreement (Art. 14) with each worker's amount and the performance terms."""
    if case.agreement is not None:
        raise TransitionError(_("This case already has an agreement."))
    workers = {w.id: w for w in case.workers}
    for worker_id in data.shares:
        if worker_id not in workers:
            raise TransitionError(_("An agreed amount names a worker who is not on this case."))
    share_fen = {wid: yuan_to_fen(amount) or 0 for wid, amount in data.shares.items()}
    total_fen = yuan_to_fen(data.total) if data.total is not None else sum(share_fen.values())
    if share_fen and data.total is not None and sum(share_fen.values()) != total_fen:
        raise TransitionError(_("The workers' agreed amounts do not add up to the total."))
    if data.performance_deadline and data.performance_deadline < data.signed_on:
        raise TransitionError(_("The performance deadline cannot be before the agreement was signed."))
    instalment_total = sum(yuan_to_fen(a) or 0 for _d, a, _w in data.instalments)
    if data.instalments and instalment_total != total_fen:
        raise TransitionError(_(
            "The instalments add up to %(sum)s yuan, not the agreed %(total)s yuan.",
            sum=format_yuan(instalment_total), total=format_yuan(total_fen),
        ))
    agreement = Agreement(
        case=case, signed_on=data.signed_on, effective_on=data.effective_on or data.signed_on,
        agreed_fen=total_fen, performance_deadline=data.performance_deadline,
        performance_method=PerformanceMethod.INSTALMENTS if data.instalments else data.performance_method,
        terms=data.terms or "",
    )
    for wid, fen in share_fen.items():
        agreement.shares.append(AgreementShare(worker_id=wid, agreed_fen=fen))
    for due_on, amount, worker_id in data.instalments:
        agreement.instalments.append(Instalment(due_on=due_on, amount_fen=yuan_to_fen(amount), worker_id=worker_id))
    db.session.add(agreement)
    mark_mediated(case, actor, on=data.signed_on, agreed_fen=total_fen, via=via)
    db.session.flush()
    return agreement


def record_payment(case: Case, actor, *, paid_on: dt.date, amount: Decimal, worker: Worker | None = None,
                   method: str = "", note: str = "", via: str = "web") -> Payment:
    """实际兑现: money the worker received, counted in the period it was paid."""
    if case.status not in (Status.MEDIATED, Status.FAILED, Status.CLOSED, Status.WITHDRAWN):
        raise TransitionError(_("Payments are recorded once mediation has ended."))
    if paid_on > local_today():
        raise TransitionError(_("A payment cannot be dated in the future."))
    if paid_on < case.received_on:
        raise TransitionError(_("A payment cannot be dated before the case was received."))
    fen = yuan_to_fen(amount)
    if not fen or fen <= 0:
        raise TransitionError(_("A payment must be more than zero."))
    if worker is not None and worker.case_id != case.id:
        raise TransitionError(_("That worker is not on this case."))
    payment = Payment(case=case, worker=worker, paid_on=paid_on, amount_fen=fen, method=method,
                      note=note, recorded_by_id=getattr(actor, "id", None))
    db.session.add(payment)
    before = case.recovered_fen
    case.recovered_fen = before + fen
    record_event(case, actor, "payment_recorded", {"recovered_fen": [before, case.recovered_fen]},
                 note=note, effective_on=paid_on, via=via)
    db.session.flush()
    return payment


def overdue_instalments(agreement: Agreement, today: dt.date | None = None) -> list[Instalment]:
    """Instalments past due and not covered by payments (oldest first): Art. 16's payment-order cue."""
    today = today or local_today()
    paid = sum(p.amount_fen for p in agreement.case.payments)
    due_so_far = 0
    overdue = []
    for inst in sorted(agreement.instalments, key=lambda i: i.due_on):
        due_so_far += inst.amount_fen
        if inst.due_on < today and paid < due_so_far:
            overdue.append(inst)
    if not agreement.instalments and agreement.performance_deadline and agreement.performance_deadline < today \
            and paid < agreement.agreed_fen:
        overdue.append(Instalment(due_on=agreement.performance_deadline, amount_fen=agreement.agreed_fen - paid))
    return overdue
