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
from mediation.recovery import services
from mediation.recovery.forms import AgreementForm, PaymentForm
from mediation.recovery.models import PerformanceMethod

bp = Blueprint("recovery", __name__)


def _worker(case, worker_id) -> Worker | None:
    """The case's worker with this id (the form's choices are the case's workers)."""
    return next((w for w in case.workers if str(w.id) == str(worker_id)), None) if worker_id else None


@bp.route("/cases/<path:case_no>/agreement", methods=["POST"])
@require("case.agreement")
def agreement(case_no: str):
    case = load_case(case_no)
    form = AgreementForm(case=case)
    if request.form.get("add_instalment"):
        # Without JavaScript: 'another instalment' shows the form again with one more row.
        form.add_instalment_row()
        return case_page(case, {"agreement": form})
    validate_on_case_page(case, "agreement", form)
    data = services.AgreementData(
        signed_on=form.signed_on.data,
        effective_on=form.effective_on.data,
        performance_deadline=form.performance_deadline.data,
        performance_method=PerformanceMethod(form.performance_method.data),
        terms=(form.terms.data or "").strip(),
        shares={_worker(case, wid): amount for wid, amount in form.share_amounts().items()},
        total=form.total.data,
        instalments=[(due, amount, _worker(case, wid)) for due, amount, wid in form.instalment_rows()],
    )
    services.record_agreement(case, current_user, data=data)
    flash(_("Agreement recorded: case %(no)s mediated successfully.", no=case.case_no), "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="recovery"))


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
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="recovery"))


@case_panel(bp, "recovery", "recovery/_panel.html", order=20)
def recovery_panel(case, panel_forms: dict) -> SimpleNamespace:
    today = local_today()
    agreement = case.agreement
    agreement_form = panel_forms.get("agreement")
    if agreement_form is None and agreement is None and is_allowed(case.status, Status.MEDIATED) \
            and can(current_user, "case.agreement"):
        agreement_form = AgreementForm.blank(case, data={"signed_on": today})
    payment_form = panel_forms.get("payment")
    if payment_form is None and case.status in services.PAYMENT_STATUSES and can(current_user, "case.payment"):
        payment_form = PaymentForm(formdata=None, case=case, data={"paid_on": today})
    schedule = services.performance_schedule(agreement, today) if agreement is not None else []
    agreed = case.agreed_fen or 0
    return SimpleNamespace(
        show=bool(agreement is not None or case.payments or agreement_form or payment_form),
        agreement=agreement, agreement_form=agreement_form, payment_form=payment_form,
        workers={w.id: w for w in case.workers},
        schedule=schedule,
        overdue=[row for row in schedule if row.state == "overdue"],
        payment_order=services.payment_order_applies(case, today),
        payment_order_document=document_link(case, "payment_order"),
        review_due=services.arbitral_review_due(agreement) if agreement is not None else None,
        paid_by_worker=services.paid_by_worker(case),
        percent=min(100, case.recovered_fen * 100 // agreed) if agreed else None,
        today=today,
    )
