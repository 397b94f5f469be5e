"""Legal-aid referrals: refer a case, and the lawyer's updates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _

from mediation.audit.services import diff, record_event, snapshot
from mediation.cases.models import Case
from mediation.cases.workflow import TransitionError
from mediation.core.money import yuan_to_fen
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.legal_aid.models import LegalAidReferral, LegalAidStatus

FIELDS = ("status", "lawyer_id", "referred_on", "completed_on", "eligible_claim",
          "financial_hardship", "eligibility_note", "amount_fen", "result")

# Which status may follow which (a declined or completed referral is final).
LEGAL_AID_TRANSITIONS = {
    LegalAidStatus.REFERRED: {LegalAidStatus.IN_PROGRESS, LegalAidStatus.COMPLETED, LegalAidStatus.DECLINED},
    LegalAidStatus.IN_PROGRESS: {LegalAidStatus.COMPLETED, LegalAidStatus.DECLINED},
    LegalAidStatus.COMPLETED: set(),
    LegalAidStatus.DECLINED: set(),
}


def _prefixed(changes: dict) -> dict:
    return {f"legal_aid.{k}": v for k, v in changes.items()}


def refer_to_legal_aid(case: Case, actor, *, lawyer=None, on: dt.date | None = None,
                       eligible_claim: bool = True, financial_hardship: bool = False,
                       eligibility_note: str = "", amount: Decimal | None = None,
                       via: str = "web") -> LegalAidReferral:
    """转介法律援助 (possible straight after intake)."""
    if case.legal_aid is not None:
        raise TransitionError(_("This case has already been referred for legal aid."))
    on = on or local_today()
    if on > local_today() or on < case.received_on:
        raise TransitionError(_("The referral date must be between the date received and today."))
    referral = LegalAidReferral(
        case=case, lawyer=lawyer, lawyer_id=getattr(lawyer, "id", None), referred_on=on,
        eligible_claim=eligible_claim, financial_hardship=financial_hardship,
        eligibility_note=eligibility_note or "",
        amount_fen=yuan_to_fen(amount) if amount is not None else case.claimed_fen,
    )
    db.session.add(referral)
    db.session.flush()
    changes = {k: [None, v] for k, v in snapshot(referral, FIELDS).items() if v not in (None, "", False)}
    record_event(case, actor, "legal_aid_referred", _prefixed(changes), effective_on=on, via=via)
    db.session.flush()
    return referral


def update_legal_aid(referral: LegalAidReferral, actor, *, status: LegalAidStatus | None = None,
                     amount: Decimal | None = None, completed_on: dt.date | None = None,
                     result: str | None = None, lawyer=..., via: str = "web") -> LegalAidReferral:
    """The lawyer's (or supervisor's) update: status, amount involved, result."""
    before = snapshot(referral, FIELDS)
    if status is not None and status != referral.status:
        if status not in LEGAL_AID_TRANSITIONS[referral.status]:
            raise TransitionError(_(
                "Legal aid that is “%(status)s” cannot become “%(target)s”.",
                status=referral.status.label, target=status.label,
            ))
        referral.status = status
        if status == LegalAidStatus.COMPLETED:
            completed_on = completed_on or local_today()
    if completed_on is not None:
        if referral.status != LegalAidStatus.COMPLETED:
            raise TransitionError(_("Only completed legal aid has a completion date."))
        if completed_on < referral.referred_on or completed_on > local_today():
            raise TransitionError(_("The completion date must be between the referral date and today."))
        referral.completed_on = completed_on
    if amount is not None:
        referral.amount_fen = yuan_to_fen(amount)
    if result is not None:
        referral.result = result
    if lawyer is not ...:
        referral.lawyer = lawyer
        referral.lawyer_id = getattr(lawyer, "id", None)
    after = snapshot(referral, FIELDS)
    changes = diff(before, after)
    if changes:
        kind = "legal_aid_completed" if "completed_on" in changes and referral.completed_on else "legal_aid_updated"
        record_event(referral.case, actor, kind, _prefixed(changes),
                     effective_on=referral.completed_on if kind == "legal_aid_completed" else None, via=via)
        db.session.flush()
    return referral
