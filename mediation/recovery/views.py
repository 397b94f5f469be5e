"""The agreement (调解协议书) and wage recovery (实际兑现) on the case page."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from mediation.cases.models import Worker
from mediation.cases.views import load_case, render_case
from mediation.cases.workflow import Status, is_allowed
from mediation.core.money import format_yuan, yuan_to_fen
from mediation.core.permissions import can, require
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.recovery import services
from mediation.recovery.forms import AgreementForm, PaymentForm
from mediation.recovery.models import PerformanceMethod
from mediation.sessions.views import commit_or_redisplay, redisplay

bp = Blueprint("recovery", __name__)


@bp.route("/cases/<path:case_no>/agreement", methods=["POST"])
@require("case.agreement")
def agreement(case_no: str):
    case = load_case(case_no)
    form = AgreementForm(case=case)
    if request.form.get("add_instalment"):
        # Without JavaScript: 'another instalment' shows the form again with one more row.
        form.add_instalment_row()
        return render_case(case, {"agreement": form})
    if not form.validate_on_submit():
        return redisplay(case, "agreement", form)
    data = services.AgreementData(
        signed_on=form.signed_on.data,
        effective_on=form.effective_on.data,
        performance_deadline=form.performance_deadline.data,
        performance_method=PerformanceMethod(form.performance_method.data),
        terms=(form.terms.data or "").strip(),
        shares=form.share_amounts(),
        total=form.total.data,
        instalments=form.instalment_rows(),
    )
    return commit_or_redisplay(
        case, "agreement", form, lambda: services.record_agreement(case, current_user, data),
        _("Agreement recorded: case %(no)s mediated successfully.", no=case.case_no), "recovery")


@bp.route("/cases/<path:case_no>/payments", methods=["POST"])
@require("case.payment")
def payment(case_no: str):
    case = load_case(case_no)
    form = PaymentForm(case=case)
    if not form.validate_on_submit():
        return redisplay(case, "payment", form)
    worker = db.session.get(Worker, int(form.worker.data)) if form.worker.data else None
    return commit_or_redisplay(
        case, "payment", form,
        lambda: services.record_payment(case, current_user, paid_on=form.paid_on.data, amount=form.amount.data,
                                        worker=worker, method=form.method.data or "",
                                        note=(form.note.data or "").strip()),
        _("Payment of %(amount)s yuan recorded.", amount=format_yuan(yuan_to_fen(form.amount.data))),
        "recovery")


def _payment_order_document(case) -> bool:
    """Whether the documents area offers the payment-order application for this case now."""
    if "documents.render" not in current_app.view_functions:
        return False
    try:
        from mediation.documents.kinds import available_kinds
    except ImportError:  # the documents area is optional to this panel
        return False
    return "payment_order" in available_kinds(case)


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
        payment_order_document=_payment_order_document(case),
        review_due=services.arbitral_review_due(agreement) if agreement is not None else None,
        paid_by_worker=services.paid_by_worker(case),
        percent=min(100, case.recovered_fen * 100 // agreed) if agreed else None,
        today=today,
    )


@bp.app_context_processor
def panel_helpers():
    return {"recovery_panel": recovery_panel}
