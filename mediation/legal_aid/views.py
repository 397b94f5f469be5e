"""Legal aid (法律援助) on the case page: the referral, and the lawyer's updates."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.auth.models import Role, User
from mediation.cases.pages import case_panel, load_case, validate_on_case_page
from mediation.core.money import fen_to_yuan
from mediation.auth.permissions import can, require
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.legal_aid import services
from mediation.legal_aid.forms import LegalAidUpdateForm, ReferralForm, ReverseForm
from mediation.legal_aid.models import LegalAidStatus

bp = Blueprint("legal_aid", __name__)


def _user(value: str | None) -> User | None:
    return db.session.get(User, int(value)) if value else None


@bp.route("/cases/<path:case_no>/legal-aid", methods=["POST"])
@require("legal_aid.refer")
def refer(case_no: str):
    case = load_case(case_no)
    form = ReferralForm()
    validate_on_case_page(case, "legal_aid", form)
    services.refer_to_legal_aid(
        case, current_user, lawyer=_user(form.lawyer.data), on=form.referred_on.data,
        eligible_claim=form.eligible_claim.data, financial_hardship=form.financial_hardship.data,
        eligibility_note=form.eligibility_note.data or "", amount=form.amount.data)
    flash(_("Case %(no)s referred for legal aid.", no=case.case_no), "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="legal-aid"))


def _may_reassign() -> bool:
    return current_user.role != Role.LAWYER


@bp.route("/cases/<path:case_no>/legal-aid/update", methods=["POST"])
@require("legal_aid.update")
def update(case_no: str):
    case = load_case(case_no)  # a lawyer sees (and so updates) only the cases referred to them
    referral = case.legal_aid
    if referral is None:
        abort(404)
    form = LegalAidUpdateForm(referral=referral, may_reassign=_may_reassign())
    validate_on_case_page(case, "legal_aid_update", form)
    changes = {"status": LegalAidStatus(form.status.data), "amount": form.amount.data,
               "on": form.completed_on.data, "result": form.result.data or ""}
    if form.lawyer is not None:
        changes["lawyer"] = _user(form.lawyer.data)
    services.update_legal_aid(case, current_user, **changes)
    flash(_("Legal aid updated."), "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="legal-aid"))


@bp.route("/cases/<path:case_no>/legal-aid/reverse", methods=["POST"])
@require("case.reverse")
def reverse(case_no: str):
    """A supervisor reverses a referral made by mistake (``what=referral``, the default) or its last status
    step (``what=step``), with a reason."""
    case = load_case(case_no)
    if case.legal_aid is None:
        abort(404)
    what = "step" if request.args.get("what") == "step" else "referral"
    key = f"reverse_{what}"
    form = ReverseForm(prefix=key)
    validate_on_case_page(case, key, form)
    if what == "step":
        services.reverse_legal_aid_step(case, current_user, reason=form.reason.data)
        flash(_("The last legal-aid step was reversed."), "success")
    else:
        services.reverse_referral(case, current_user, reason=form.reason.data)
        flash(_("The referral was reversed: it stays on record, apart."), "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="legal-aid"))


@case_panel(bp, "legal_aid", "legal_aid/_panel.html", order=30)
def legal_aid_panel(case, panel_forms: dict) -> SimpleNamespace:
    referral = case.legal_aid
    refer_form = update_form = None
    if referral is None and services.may_refer(case) and can(current_user, "legal_aid.refer"):
        refer_form = panel_forms.get("legal_aid") or ReferralForm(formdata=None, data={
            "referred_on": local_today(), "eligible_claim": services.eligible_claim_for(case),
            "amount": fen_to_yuan(case.claimed_fen),
        })
    if referral is not None and can(current_user, "legal_aid.update") and services.may_update(referral, current_user):
        update_form = panel_forms.get("legal_aid_update") or LegalAidUpdateForm(
            formdata=None, referral=referral, may_reassign=_may_reassign(), data={
                "status": referral.status.value, "lawyer": str(referral.lawyer_id or ""),
                "amount": fen_to_yuan(referral.amount_fen), "completed_on": referral.completed_on,
                "result": referral.result,
            })
    reverse_forms = {}
    if referral is not None and can(current_user, "case.reverse"):
        reverse_forms["referral"] = panel_forms.get("reverse_referral") or ReverseForm(prefix="reverse_referral")
        if referral.status != LegalAidStatus.REFERRED:
            reverse_forms["step"] = panel_forms.get("reverse_step") or ReverseForm(prefix="reverse_step")
    return SimpleNamespace(
        show=referral is not None or refer_form is not None or bool(case.reversed_referrals), referral=referral,
        refer_form=refer_form, update_form=update_form, reverse_forms=reverse_forms,
        reversed_referrals=case.reversed_referrals,
        # Legal Aid Law Art. 31 asks for both: an eligible claim and financial hardship.
        art31_met=referral is not None and referral.eligible_claim and referral.financial_hardship,
    )
