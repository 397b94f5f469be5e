"""A case written out as a ledger row of text (the export), in the words the import reads back.

Two things a ledger row cannot say are written so that a re-import still makes the same case and the
same report figures: a case closed after a withdrawal is written as 'withdrawn' (a 'closed' row means
closed after an agreement or after mediation failed, see :attr:`LedgerRow.outcome`), and ``outcome_on``
is the date of the outcome (agreement, failure, withdrawal, rejection), not of the later closure.
"""
from __future__ import annotations

from mediation.cases.models import CHANNEL_ZH, Case
from mediation.cases.workflow import STATUS_ZH, Status
from mediation.core.masking import mask_id_number, mask_phone
from mediation.core.money import format_yuan
from mediation.legal_aid.models import LEGAL_AID_ZH


def _amount(fen: int | None) -> str:
    return format_yuan(fen, grouping=False) if fen is not None else ""


def _day(value) -> str:
    return value.isoformat() if value is not None else ""


def ledger_status(case: Case) -> Status:
    if case.status == Status.CLOSED and case.outcome == Status.WITHDRAWN:
        return Status.WITHDRAWN
    return case.status


def case_record(case: Case, *, mask_personal: bool, chinese_words: bool = False) -> dict[str, str]:
    """Every ledger key → text; ``chinese_words`` writes 调解成功, 是, 来访 … instead of the codes."""
    worker = case.first_worker
    id_number = worker.id_number if worker else None
    phone = worker.phone if worker else ""
    if mask_personal:
        id_number, phone = mask_id_number(id_number), mask_phone(phone)
    status = ledger_status(case)
    referral = case.legal_aid
    mediated = case.outcome == Status.MEDIATED
    dispute_type = case.dispute_type
    if chinese_words:
        words = {
            "channel": CHANNEL_ZH[case.channel],
            "status": STATUS_ZH[status],
            "migrant_worker": "是" if case.has_migrant_worker else "否",
            "legal_aid": LEGAL_AID_ZH[referral.status] if referral else "",
            # Finer types' Chinese labels are unique (the admin's lists enforce it); categories' may not be.
            "dispute_type": dispute_type.label_zh if dispute_type.parent_id is not None else dispute_type.code,
        }
    else:
        words = {
            "channel": case.channel.value,
            "status": status.value,
            "migrant_worker": "yes" if case.has_migrant_worker else "no",
            "legal_aid": referral.status.value if referral else "",
            "dispute_type": dispute_type.code,
        }
    return {
        "case_no": case.case_no,
        "received_on": _day(case.received_on),
        "channel": words["channel"],
        "worker_name": worker.name if worker else "",
        "worker_id_number": id_number or "",
        "worker_phone": phone or "",
        "migrant_worker": words["migrant_worker"],
        "workers_count": str(case.workers_count),
        "employer_name": case.employer.name,
        "employer_credit_code": case.employer.credit_code or "",
        "street": case.street.name if case.street else "",
        "dispute_type": words["dispute_type"],
        "claimed_amount": _amount(case.claimed_fen),
        "status": words["status"],
        "outcome_on": _day(case.outcome_on) if status in (
            Status.REJECTED, Status.MEDIATED, Status.FAILED, Status.WITHDRAWN, Status.CLOSED) else "",
        "agreed_amount": _amount(case.agreed_fen) if mediated else "",
        "recovered_amount": _amount(case.recovered_fen) if case.recovered_fen else "",
        "legal_aid": words["legal_aid"],
        "legal_aid_closed_on": _day(referral.completed_on) if referral else "",
        "legal_aid_amount": _amount(referral.amount_fen) if referral else "",
        "notes": case.notes or "",
    }
