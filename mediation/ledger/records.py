"""A case written out as a ledger row of text (the export), in the words the import reads back.

Two things a ledger row cannot say are written so that a re-import still makes the same case and the
same report figures: a case closed after a withdrawal is written as 'withdrawn' (a 'closed' row means
closed after an agreement or after mediation failed, see :attr:`LedgerRow.outcome`), and ``outcome_on``
is the date of the outcome (agreement, failure, withdrawal, rejection), not of the later closure.

A masked export (for sharing, not for re-importing) leaves the applicant's home address out, as it masks
the ID number and the phone.  The agreement's method (履行方式) is its terms as written.
"""
from __future__ import annotations

from mediation.cases.models import CHANNEL_ZH, Case
from mediation.cases.workflow import STATUS_ZH, Status
from mediation.core.masking import mask_id_number, mask_phone
from mediation.core.money import format_yuan
from mediation.ledger.rows import APPLICATION_FORM_ZH, NOT_ACCEPTED
from mediation.legal_aid.models import LEGAL_AID_ZH


def _amount(fen: int | None) -> str:
    return format_yuan(fen, grouping=False) if fen is not None else ""


def _day(value) -> str:
    return value.isoformat() if value is not None else ""


def _yes_no(value: bool | None, chinese_words: bool) -> str:
    if value is None:
        return ""
    if chinese_words:
        return "是" if value else "否"
    return "yes" if value else "no"


def ledger_status(case: Case) -> Status:
    if case.status == Status.CLOSED and case.outcome == Status.WITHDRAWN:
        return Status.WITHDRAWN
    return case.status


def case_record(case: Case, *, mask_personal: bool, chinese_words: bool = False) -> dict[str, str]:
    """Every ledger key → text; ``chinese_words`` writes 调解成功, 是, 来访 … instead of the codes."""
    worker = case.first_worker
    id_number = worker.id_number if worker else None
    phone = worker.phone if worker else ""
    address = worker.address if worker else ""
    if mask_personal:
        id_number, phone, address = mask_id_number(id_number), mask_phone(phone), ""
    status = ledger_status(case)
    referral = case.legal_aid
    agreement = case.agreement if case.outcome == Status.MEDIATED else None
    employer = case.employer
    dispute_type = case.dispute_type
    if chinese_words:
        words = {
            "channel": CHANNEL_ZH[case.channel],
            "status": STATUS_ZH[status],
            "legal_aid": LEGAL_AID_ZH[referral.status] if referral else "",
            # Finer types' Chinese labels are unique (the admin's lists enforce it); categories' may not be.
            "dispute_type": dispute_type.label_zh if dispute_type.parent_id is not None else dispute_type.code,
            "application_form": APPLICATION_FORM_ZH[case.application_form],
        }
    else:
        words = {
            "channel": case.channel.value,
            "status": status.value,
            "legal_aid": referral.status.value if referral else "",
            "dispute_type": dispute_type.code,
            "application_form": case.application_form.value,
        }
    return {
        "case_no": case.case_no,
        "received_on": _day(case.received_on),
        "channel": words["channel"],
        "worker_name": worker.name if worker else "",
        "worker_id_number": id_number or "",
        "worker_phone": phone or "",
        "migrant_worker": _yes_no(case.has_migrant_worker, chinese_words),
        "workers_count": str(case.workers_count),
        "employer_name": employer.name,
        "employer_credit_code": employer.credit_code or "",
        "street": case.street.name if case.street else "",
        "dispute_type": words["dispute_type"],
        "claimed_amount": _amount(case.claimed_fen),
        "status": words["status"],
        "outcome_on": _day(case.outcome_on) if status in (
            Status.REJECTED, Status.MEDIATED, Status.FAILED, Status.WITHDRAWN, Status.CLOSED) else "",
        "agreed_amount": _amount(agreement.agreed_fen) if agreement is not None else "",
        "recovered_amount": _amount(case.recovered_fen) if case.recovered_fen else "",
        "legal_aid": words["legal_aid"],
        "legal_aid_closed_on": _day(referral.completed_on) if referral else "",
        "legal_aid_amount": _amount(referral.amount_fen) if referral else "",
        "notes": case.notes or "",
        "matters": case.matters or "",
        "reasons": case.reasons or "",
        "application_form": words["application_form"],
        "worker_address": address or "",
        "dispute_arose_on": _day(case.dispute_arose_on),
        "still_employed": _yes_no(case.still_employed, chinese_words),
        "employment_ended_on": _day(case.employment_ended_on),
        "accepted_on": _day(case.accepted_on) if status not in NOT_ACCEPTED else "",
        "employer_address": employer.address or "",
        "employer_representative": employer.legal_representative or "",
        "employer_phone": employer.contact_phone or "",
        "agreement_due_on": _day(agreement.performance_deadline) if agreement is not None else "",
        "agreement_method": (agreement.terms or "") if agreement is not None else "",
    }
