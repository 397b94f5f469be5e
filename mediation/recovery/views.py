"""The agreement (调解协议书) and wage recovery (实际兑现) on the case page."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.auth.permissions import can, require
from mediation.cases.models import Worker
from mediation.cases.pages import case_page, case_panel, document_link, load_case, validate_on_case_page
from mediation.cases.workflow import Status, is_allowed
from mediation.core.money import format_yuan, yuan_to_fen
from mediation.core.timeutil import local_today
from mediation.recovery import corrections, services
from mediation.recovery.forms import AgreementForm, AmendmentForm, CorrectionForm, PaymentForm, ReversalForm
from mediation.recovery.models import PerformanceMethod

bp = Blueprint("recovery", __name__)


def _worker(case, worker_id) -> Worker | None:
    """The case's worker with this id (the form's choices are the case's workers)."""
    return next((w for w in case.workers if str(w.id) == str(worker_id)), None) if worker_id else None


def _agreement_data(case, form: AgreementForm) -> services.AgreementData:
    return services.AgreementData(
        signed_on=form.signed_on.data,
        effective_on=form.effective_on.data,
        performance_deadline=form.performance_deadline.data,
        performance_method=PerformanceMethod(form.performance_method.data),
        terms=(form.terms.data or "").strip(),
        shares={_worker(case, wid): amount for wid, amount in form.share_amounts().items()},
        total=form.total.data,
        instalments=[(due, amount, _worker(case, wid)) for due, amount, wid in form.instalment_rows()],
    )


def _agreement_form_posted(case, key: str, form: AgreementForm):
    """'Another instalment' shows the form again with one more row (without JavaScript); otherwise the
    form is checked, and comes back in its place if it (or the service) refuses."""
    if request.form.get("add_instalment"):
        form.add_instalment_row()
        return case_page(case, {key: form})
    validate_on_case_page(case, key, form)
    return None


def _to_recovery(case):
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="recovery"))


@bp.route("/cases/<path:case_no>/agreement", methods=["POST"])
@require("case.agreement")
def agreement(case_no: str):
    case = load_case(case_no)
    form = AgreementForm(case=case)
    shown = _agreement_form_posted(case, "agreement", form)
    if shown is not None:
        return shown
    services.record_agreement(case, current_user, data=_agreement_data(case, form))
    flash(_("Agreement recorded: case %(no)s mediated successfully.", no=case.case_no), "success")
    return _to_recovery(case)


@bp.route("/cases/<path:case_no>/agreement/correction", methods=["POST"])
@require("case.agreement")
def correct_agreement(case_no: str):
    case = load_case(case_no)
    form = CorrectionForm(case=case)
    shown = _agreement_form_posted(case, "correction", form)
    if shown is not None:
        return shown
    corrections.correct_agreement(case, current_user, data=_agreement_data(case, form), reason=form.reason.data)
    flash(_("Agreement corrected."), "success")
    return _to_recovery(case)


@bp.route("/cases/<path:case_no>/agreement/amendment", methods=["POST"])
@require("case.agreement")
def amend_agreement(case_no: str):
    case = load_case(case_no)
    form = AmendmentForm(case=case)
    shown = _agreement_form_posted(case, "amendment", form)
    if shown is not None:
        return shown
    agreement = corrections.amend_agreement(case, current_user, data=_agreement_data(case, form),
                                            reason=form.reason.data, on=form.on.data)
    flash(_("Agreement amended: version %(n)d is now in force; the earlier version is kept.",
            n=agreement.version_no), "success")
    return _to_recovery(case)


@bp.route("/cases/<path:case_no>/payments", methods=["POST"])
@require("case.payment")
def payment(case_no: str):
    case = load_case(case_no)
    form = PaymentForm(case=case)
    validate_on_case_page(case, "payment", form)
    services.record_payment(case, current_user, on=form.paid_on.data, amount=form.amount.data,
                            worker=_worker(case, form.worker.data), method=form.method.data or "",
                            note=(form.note.data or "").strip())
    flash(_("Payment of %(amount)s yuan recorded.", amount=format_yuan(yuan_to_fen(form.amount.data))), "success")
    return _to_recovery(case)


def payment_label(payment) -> str:
    """How a payment reads in the list of those that may be reversed."""
    worker = payment.worker.name if payment.worker is not None else _("not one worker")
    return _("No. %(id)d · %(date)s · ¥%(amount)s · %(worker)s", id=payment.id, date=payment.paid_on.isoformat(),
             amount=format_yuan(payment.amount_fen), worker=worker)


def reversible(case) -> list:
    return [p for p in case.payments if not p.is_reversal and not p.is_reversed]


@bp.route("/cases/<path:case_no>/payments/reversal", methods=["POST"])
@require("case.payment")
def reverse_payment(case_no: str):
    case = load_case(case_no)
    form = ReversalForm(payments=[(str(p.id), payment_label(p)) for p in reversible(case)])
    validate_on_case_page(case, "reversal", form)
    chosen = next(p for p in case.payments if str(p.id) == form.payment.data)  # one of the form's choices
    services.reverse_payment(case, current_user, chosen, reason=form.reason.data, on=form.on.data)
    flash(_("The payment of %(amount)s yuan was reversed.", amount=format_yuan(chosen.amount_fen)), "success")
    return _to_recovery(case)


@case_panel(bp, "recovery", "recovery/_panel.html", order=20)
def recovery_panel(case, panel_forms: dict) -> SimpleNamespace:
    today = local_today()
    agreement = case.agreement
    may_agree = can(current_user, "case.agreement")
    may_pay = can(current_user, "case.payment")
    agreement_form = panel_forms.get("agreement")
    if agreement_form is None and agreement is None and is_allowed(case.status, Status.MEDIATED) and may_agree:
        agreement_form = AgreementForm.blank(case, data={"signed_on": today})
    correction_form = panel_forms.get("correction")
    amendment_form = panel_forms.get("amendment")
    if agreement is not None and may_agree:
        # Before any payment a mistake is corrected; afterwards the parties' changes are amendments.
        if correction_form is None and not case.payments:
            correction_form = CorrectionForm.of_agreement(case, agreement)
        if amendment_form is None and case.payments:
            amendment_form = AmendmentForm.of_agreement(case, agreement, on=today)
    payment_form = panel_forms.get("payment")
    if payment_form is None and case.status in services.PAYMENT_STATUSES and may_pay:
        payment_form = PaymentForm(formdata=None, case=case, data={"paid_on": today})
    can_reverse = reversible(case)
    reversal_form = panel_forms.get("reversal")
    if reversal_form is None and can_reverse and may_pay:
        reversal_form = ReversalForm(formdata=None, payments=[(str(p.id), payment_label(p)) for p in can_reverse],
                                     data={"on": today,
                                           "payment": str(can_reverse[0].id) if len(can_reverse) == 1 else ""})
    schedule = services.performance_schedule(agreement, today) if agreement is not None else []
    agreed = case.agreed_fen or 0
    owed = services.outstanding(case)
    return SimpleNamespace(
        show=bool(agreement is not None or case.payments or agreement_form or payment_form),
        agreement=agreement, agreement_form=agreement_form, payment_form=payment_form,
        correction_form=correction_form, amendment_form=amendment_form, reversal_form=reversal_form,
        workers={w.id: w for w in case.workers},
        schedule=schedule,
        overdue=[row for row in schedule if row.state == "overdue"],
        payment_order=services.payment_order_applies(case, today),
        payment_order_document=document_link(case, "payment_order"),
        review_due=services.arbitral_review_due(agreement) if agreement is not None else None,
        paid_by_worker=services.paid_by_worker(case),
        outstanding=owed,
        percent=min(100, max(0, case.recovered_fen) * 100 // agreed) if agreed else None,
        today=today,
        submitted=set(panel_forms),  # forms coming back (with errors, or another instalment row) open
    )
