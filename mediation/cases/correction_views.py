"""Correcting a case from the web: its particulars, workers and employer on one page, and reversing a
mistaken step from the case page.  Thin: load, check the version the page showed, validate, call a verb.

Every form carries the case's version as the page showed it: when someone else saved the case in
between, the form comes back with what the user typed and the message, and nothing is saved (409).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.auth.permissions import require
from mediation.cases import corrections
from mediation.cases.forms import (CaseCorrectionForm, ChangeEmployerForm, EmployerCorrectionForm,
                                   RemoveWorkerForm, ReverseStepForm, WorkerCorrectionForm)
from mediation.cases.models import ApplicationForm, Channel, Worker
from mediation.cases.pages import case_page, load_case
from mediation.cases.services import EmployerData, WorkerData
from mediation.cases.views import bp
from mediation.cases.workflow import TransitionError
from mediation.core.edge import on_refusal, validate
from mediation.core.money import fen_to_yuan
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street


class StaleCase(TransitionError):
    """The case changed since the page was shown: the user sees their input again with the message."""

    status = 409


def check_version(case, form) -> None:
    if str(form.version.data or "") != str(case.version):
        raise StaleCase(_("Someone else saved this case after you opened the page. Nothing was saved: check "
                          "the case as it is now (shown here), then make your correction again."))


def _tri_state(value):
    return {"yes": True, "no": False}.get(value or "")


def _case_form(case) -> CaseCorrectionForm:
    form = CaseCorrectionForm(
        prefix="case", received_on=case.received_on, application_form=case.application_form.value,
        channel=case.channel.value, dispute_type=str(case.dispute_type_id), street=str(case.street_id or ""),
        matters=case.matters, reasons=case.reasons, dispute_arose_on=case.dispute_arose_on,
        still_employed={True: "yes", False: "no"}.get(case.still_employed, ""),
        employment_ended_on=case.employment_ended_on, workers_count=case.workers_count,
        claimed=fen_to_yuan(case.claimed_fen), notes=case.notes, accepted_on=case.accepted_on,
        mediation_started_on=case.mediation_started_on, outcome_on=case.outcome_on, closed_on=case.closed_on,
        version=case.version)
    return form


def _worker_form(case, worker) -> WorkerCorrectionForm:
    return WorkerCorrectionForm(
        prefix=f"worker{worker.id}", name=worker.name, id_number=worker.id_number or "", phone=worker.phone,
        address=worker.address, migrant_worker=worker.migrant_worker, is_representative=worker.is_representative,
        claimed=fen_to_yuan(worker.claimed_fen), version=case.version)


def edit_page(case, forms: dict | None = None, status: int = 200):
    """The corrections page: every form of it, a submitted one (with its errors) in its place."""
    forms = forms or {}
    if "case" in forms and forms["case"].is_submitted():
        case_form = forms["case"]
    else:
        case_form = _case_form(case)
    worker_forms = [(w, forms.get(f"worker{w.id}") or _worker_form(case, w),
                     forms.get(f"remove{w.id}") or RemoveWorkerForm(prefix=f"remove{w.id}", version=case.version))
                    for w in case.workers]
    new_worker = forms.get("new") or WorkerCorrectionForm(prefix="new", version=case.version)
    employer = case.employer
    employer_form = forms.get("employer") or EmployerCorrectionForm(
        prefix="employer", name=employer.name, credit_code=employer.credit_code or "", address=employer.address,
        legal_representative=employer.legal_representative, contact_name=employer.contact_name,
        contact_phone=employer.contact_phone, version=case.version)
    switch_form = forms.get("switch") or ChangeEmployerForm(prefix="switch", version=case.version)
    for form in [case_form, new_worker, employer_form, switch_form, *[f for _w, f, _r in worker_forms],
                 *[r for _w, _f, r in worker_forms]]:
        form.version.data = case.version  # a form shown again after someone's change carries the new version
    return render_template(
        "cases/edit.html", case=case, case_form=case_form, worker_forms=worker_forms, new_worker=new_worker,
        employer_form=employer_form, switch_form=switch_form, reason_needed=corrections.needs_reason(case),
        employer_cases=_employer_case_count(employer)), status


def _employer_case_count(employer) -> int:
    from mediation.cases.models import Case

    return db.session.scalar(sa.select(sa.func.count()).where(Case.employer_id == employer.id)) or 0


def _submitted(case, key, form) -> None:
    """Validate ``form`` (its errors come back on the corrections page), then check the version."""
    validate(form, lambda: edit_page(case, {key: form}, 422))
    on_refusal(lambda: edit_page(case, {key: form}, 409), form)  # a stale version: 409, the rest stays 422
    check_version(case, form)
    on_refusal(lambda: edit_page(case, {key: form}, 422), form)


@bp.route("/cases/<path:case_no>/edit", methods=["GET", "POST"])
@require("case.edit")
def edit(case_no: str):
    """The corrections page; its first form (the particulars) posts back here."""
    case = load_case(case_no)
    if request.method == "GET":
        return edit_page(case)
    form = CaseCorrectionForm(prefix="case")
    _submitted(case, "case", form)
    values = {
        "received_on": form.received_on.data,
        "application_form": ApplicationForm(form.application_form.data) if form.application_form.data else None,
        "channel": Channel(form.channel.data),
        "dispute_type": db.session.get(DisputeType, int(form.dispute_type.data)),
        "street": db.session.get(Street, int(form.street.data)) if form.street.data else None,
        "matters": form.matters.data or "", "reasons": form.reasons.data or "", "notes": form.notes.data or "",
        "dispute_arose_on": form.dispute_arose_on.data, "still_employed": _tri_state(form.still_employed.data),
        "employment_ended_on": form.employment_ended_on.data, "workers_count": form.workers_count.data,
    }
    if form.claimed.data is not None:
        values["claimed"] = form.claimed.data
    for attr in corrections.STEP_DATES:
        if getattr(case, attr) is not None:
            values[attr] = getattr(form, attr).data
    changes = corrections.correct_case(case, current_user, reason=form.reason.data, **values)
    flash(_("Case %(no)s corrected.", no=case.case_no) if changes else _("Nothing was changed."),
          "success" if changes else "info")
    return redirect(url_for(".detail", case_no=case.case_no))


def _case_worker(case, worker_id: int) -> Worker:
    worker = next((w for w in case.workers if w.id == worker_id), None)
    if worker is None:
        abort(404)
    return worker


def _worker_data(form) -> dict:
    return {"name": form.name.data, "id_number": form.id_number.data or None, "phone": form.phone.data or "",
            "address": form.address.data or "", "migrant_worker": form.migrant_worker.data,
            "is_representative": form.is_representative.data, "claimed": form.claimed.data}


@bp.route("/cases/<path:case_no>/workers/<int:worker_id>", methods=["POST"])
@require("case.edit")
def correct_worker(case_no: str, worker_id: int):
    case = load_case(case_no)
    worker = _case_worker(case, worker_id)
    key = f"worker{worker.id}"
    form = WorkerCorrectionForm(prefix=key)
    _submitted(case, key, form)
    values = _worker_data(form)
    if values["claimed"] is None:
        values.pop("claimed")
    changes = corrections.correct_worker(case, current_user, worker, reason=form.reason.data, **values)
    flash(_("%(name)s's particulars corrected.", name=worker.name) if changes else _("Nothing was changed."),
          "success" if changes else "info")
    return redirect(url_for(".detail", case_no=case.case_no))


@bp.route("/cases/<path:case_no>/workers/<int:worker_id>/remove", methods=["POST"])
@require("case.edit")
def remove_worker(case_no: str, worker_id: int):
    case = load_case(case_no)
    worker = _case_worker(case, worker_id)
    key = f"remove{worker.id}"
    form = RemoveWorkerForm(prefix=key)
    _submitted(case, key, form)
    corrections.remove_worker(case, current_user, worker, reason=form.reason.data)
    flash(_("%(name)s was taken off the case (kept on record).", name=worker.name), "success")
    return redirect(url_for(".detail", case_no=case.case_no))


@bp.route("/cases/<path:case_no>/workers/new", methods=["POST"])
@require("case.edit")
def add_worker(case_no: str):
    case = load_case(case_no)
    form = WorkerCorrectionForm(prefix="new")
    _submitted(case, "new", form)
    worker = corrections.add_worker(case, current_user, data=WorkerData(**_worker_data(form)),
                                    reason=form.reason.data)
    flash(_("%(name)s was added to the case.", name=worker.name), "success")
    return redirect(url_for(".detail", case_no=case.case_no))


@bp.route("/cases/<path:case_no>/employer", methods=["POST"])
@require("case.edit")
def correct_employer(case_no: str):
    case = load_case(case_no)
    form = EmployerCorrectionForm(prefix="employer")
    _submitted(case, "employer", form)
    changes = corrections.correct_employer(
        case.employer, current_user, reason=form.reason.data, name=form.name.data,
        credit_code=form.credit_code.data or None, address=form.address.data or "",
        legal_representative=form.legal_representative.data or "", contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "")
    flash(_("The employer's particulars were corrected.") if changes else _("Nothing was changed."),
          "success" if changes else "info")
    return redirect(url_for(".detail", case_no=case.case_no))


@bp.route("/cases/<path:case_no>/employer/change", methods=["POST"])
@require("case.edit")
def change_employer(case_no: str):
    case = load_case(case_no)
    form = ChangeEmployerForm(prefix="switch")
    _submitted(case, "switch", form)
    employer = corrections.change_employer(case, current_user, reason=form.reason.data, employer=EmployerData(
        name=form.employer_name.data, credit_code=form.employer_credit_code.data or None))
    flash(_("The case now names %(name)s as the employer.", name=employer.name), "success")
    return redirect(url_for(".detail", case_no=case.case_no))


@bp.route("/cases/<path:case_no>/reverse", methods=["POST"])
@require("case.reverse")
def reverse_step(case_no: str):
    case = load_case(case_no)
    form = ReverseStepForm(prefix="reverse")
    validate(form, lambda: case_page(case, {"reverse": form}, 422))
    corrections.reverse_step(case, current_user, reason=form.reason.data)
    flash(_("The last step was reversed: the case is “%(status)s” again.", status=case.status.label), "success")
    return redirect(url_for(".detail", case_no=case.case_no))
