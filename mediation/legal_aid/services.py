"""Legal-aid referrals: refer a case, and the lawyer's updates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from mediation.audit.services import diff, record_event, snapshot
from mediation.auth.models import Role
from mediation.cases.models import Case
from mediation.cases.workflow import Status, TransitionError
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


def may_refer(case: Case) -> bool:
    """Straight after intake and at any later open stage; after a failure even once the file is closed
    (the worker goes on to arbitration).  Not for a rejected application."""
    if case.status == Status.CLOSED:
        return case.outcome == Status.FAILED
    return case.status != Status.REJECTED


def eligible_claim_for(case: Case) -> bool:
    """Legal Aid Law Art. 31: a claim for pay or for confirming a labour relationship."""
    kind = case.dispute_type
    return kind.art2_item == 1 or (kind.art2_item == 5 and kind.is_pay_claim)


def _check_lawyer(lawyer) -> None:
    if lawyer is not None and (lawyer.role != Role.LAWYER or not lawyer.active):
        raise TransitionError(_("Legal aid is referred to an active legal-aid lawyer."))


def _check_amount(amount: Decimal | None) -> None:
    if amount is not None and amount < 0:
        raise TransitionError(_("An amount cannot be negative."))


def may_update(referral: LegalAidReferral, actor) -> bool:
    """A lawyer updates only the legal aid referred to them; staff with the permission update any."""
    if getattr(actor, "role", None) == Role.LAWYER:
        return referral.lawyer_id is not None and referral.lawyer_id == actor.id
    return True


def refer_to_legal_aid(case: Case, actor, *, lawyer=None, on: dt.date | None = None,
                       eligible_claim: bool = True, financial_hardship: bool = False,
                       eligibility_note: str = "", amount: Decimal | None = None) -> LegalAidReferral:
    """转介法律援助 (possible straight after intake)."""
    if case.legal_aid is not None:
        raise TransitionError(_("This case has already been referred for legal aid."))
    if not may_refer(case):
        raise TransitionError(_("A case that is “%(status)s” cannot be referred for legal aid.",
                                status=case.status.label))
    _check_lawyer(lawyer)
    _check_amount(amount)
    on = on or local_today()
    if on > local_today() or on < case.received_on:
        raise TransitionError(_("The referral date must be between the date received and today."), "referred_on")
    referral = LegalAidReferral(
        case=case, lawyer=lawyer, lawyer_id=getattr(lawyer, "id", None), referred_on=on,
        eligible_claim=eligible_claim, financial_hardship=financial_hardship,
        eligibility_note=(eligibility_note or "").strip(),
        amount_fen=yuan_to_fen(amount) if amount is not None else case.claimed_fen,
    )
    db.session.add(referral)
    set_committed_value(case, "legal_aid", referral)  # the case's live referral (a read-only relationship)
    changes = {k: [None, v] for k, v in snapshot(referral, FIELDS).items() if v not in (None, "", False)}
    record_event(case, actor, "legal_aid_referred", _prefixed(changes), effective_on=on)
    return referral


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the reason for reversing this step."), "reason")
    return reason


def reverse_referral(case: Case, actor, *, reason: str, on: dt.date | None = None) -> LegalAidReferral:
    """A referral made by mistake is reversed (a supervisor, with a reason): it stays on record, apart, and
    no longer counts anywhere; the lawyer no longer sees the case; the case may be referred again."""
    referral = case.legal_aid
    if referral is None:
        raise TransitionError(_("This case has not been referred for legal aid."))
    reason = _check_reason(reason)
    on = on or local_today()
    if on > local_today() or on < referral.referred_on:
        raise TransitionError(_("The date must be between the referral date and today."), "on")
    referral.reversed_on = on
    referral.reversal_reason = reason
    referral.reversed_by_id = getattr(actor, "id", None)
    set_committed_value(case, "legal_aid", None)
    record_event(case, actor, "legal_aid_referral_reversed",
                 _prefixed({"status": [referral.status.value, None], "lawyer_id": [referral.lawyer_id, None],
                            "referred_on": [referral.referred_on.isoformat(), None]}),
                 note=reason, effective_on=on)
    return referral


def reverse_legal_aid_step(case: Case, actor, *, reason: str) -> LegalAidReferral:
    """The referral's last status step (in progress, completed, declined) was a mistake: back to the status
    before it, with a reason; the step's own date goes with it."""
    referral = case.legal_aid
    if referral is None:
        raise TransitionError(_("This case has not been referred for legal aid."))
    reason = _check_reason(reason)
    if referral.status == LegalAidStatus.REFERRED:
        raise TransitionError(_("The referral has no later step to reverse; reverse the referral itself."))
    previous = LegalAidStatus.REFERRED
    for event in reversed(case.events):
        change = event.changes.get("legal_aid.status")
        if change and event.kind != "legal_aid_referral_reversed" and change[1] == referral.status.value:
            previous = LegalAidStatus(change[0]) if change[0] else LegalAidStatus.REFERRED
            break
    before = snapshot(referral, FIELDS)
    referral.status = previous
    if previous != LegalAidStatus.COMPLETED:
        referral.completed_on = None
    record_event(case, actor, "step_reversed", _prefixed(diff(before, snapshot(referral, FIELDS))), note=reason)
    return referral


def update_legal_aid(case: Case, actor, *, on: dt.date | None = None, status: LegalAidStatus | None = None,
                     amount: Decimal | None = None, result: str | None = None,
                     lawyer=...) -> LegalAidReferral:
    """The lawyer's (or supervisor's) update of the case's referral: status, amount involved, result.

    ``on`` is the day of the update (today unless told); for a completion, the completion date.
    Checked before anything changes: a lawyer's own referral only, allowed status moves, dates, a reason
    for declining.
    """
    referral = case.legal_aid
    if referral is None:
        raise TransitionError(_("This case has not been referred for legal aid."))
    if not may_update(referral, actor):
        raise TransitionError(_("Only the lawyer this case was referred to may update its legal aid."))
    if lawyer is not ...:
        _check_lawyer(lawyer)
    _check_amount(amount)
    target = status if status is not None else referral.status
    if target != referral.status and target not in LEGAL_AID_TRANSITIONS[referral.status]:
        raise TransitionError(_(
            "Legal aid that is “%(status)s” cannot become “%(target)s”.",
            status=referral.status.label, target=target.label,
        ))
    if on is not None and (on < referral.referred_on or on > local_today()):
        raise TransitionError(_("The completion date must be between the referral date and today.")
                              if target == LegalAidStatus.COMPLETED else
                              _("The date must be between the referral date and today."), "completed_on")
    if target == LegalAidStatus.DECLINED and not ((result if result is not None else referral.result) or "").strip():
        raise TransitionError(_("Give the reason legal aid was declined."), "result")
    before = snapshot(referral, FIELDS)
    referral.status = target
    if target == LegalAidStatus.COMPLETED and (on is not None or referral.completed_on is None):
        referral.completed_on = on or local_today()
    if amount is not None:
        referral.amount_fen = yuan_to_fen(amount)
    if result is not None:
        referral.result = result.strip()
    if lawyer is not ...:
        referral.lawyer = lawyer
        referral.lawyer_id = getattr(lawyer, "id", None)
    after = snapshot(referral, FIELDS)
    changes = diff(before, after)
    if changes:
        kind = "legal_aid_completed" if "completed_on" in changes and referral.completed_on else "legal_aid_updated"
        record_event(case, actor, kind, _prefixed(changes),
                     effective_on=referral.completed_on if kind == "legal_aid_completed" else on)
    return referral
