"""Case queue, intake, case page and status actions.  Thin: load, check, validate, call a service.

The request commits at the edge (:mod:`mediation.core.edge`); a refused change comes back to the page it
was made on with the message.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException, NotFound

from mediation.auth.models import User
from mediation.auth.permissions import require
from mediation.cases import services
from mediation.cases.dashboard import queue_stats, running_campaigns
from mediation.cases.duplicates import LikelyDuplicate
from mediation.cases.forms import AssignForm, GreenChannelForm, IntakeForm, QueueFilterForm, street_choices
from mediation.cases.models import CHANNEL_LABELS, ApplicationForm, Channel, Employer
from mediation.cases.pages import action_form, case_page, load_case, mediators, validate_on_case_page
from mediation.cases.queue import COUNT_CAP, count_cases, next_deadlines, queue_page
from mediation.cases.workflow import ACTIONS, STATUS_LABELS
from mediation.core.edge import validate
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street

bp = Blueprint("cases", __name__)


@bp.route("/")
@require("case.view")
def queue():
    form = QueueFilterForm(request.args)
    form.status.choices = [("", _l("All statuses")), ("open", _l("Open cases"))] + [
        (s.value, label) for s, label in STATUS_LABELS.items()]
    form.dispute_type.choices = [("", _l("All types"))] + [
        (str(t.id), t.label) for t in db.session.scalars(sa.select(DisputeType).order_by(DisputeType.sort_order))]
    form.street.choices = street_choices(_l("All streets"))
    form.channel.choices = [("", _l("All channels"))] + [(c.value, label) for c, label in CHANNEL_LABELS.items()]
    form.mediator.choices = [("", _l("All mediators"))] + [(str(u.id), u.name) for u in mediators()]
    form.green.choices = [("", _l("Any")), ("1", _l("Green channel only")), ("0", _l("Not green channel"))]
    form.deadline.choices = [("", _l("Any")), ("overdue", _l("Overdue")),
                             ("due_soon", _l("Due within 2 working days"))]
    filters = form.filters()
    size = current_app.config["QUEUE_PAGE_SIZE"]
    cases, next_cursor = queue_page(current_user, filters, request.args.get("after"), size)
    total = count_cases(current_user, filters, COUNT_CAP)
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    return render_template("cases/queue.html", form=form, cases=cases, total=total, count_cap=COUNT_CAP,
                           next_deadlines=next_deadlines(cases), today=local_today(),
                           stats=queue_stats(current_user), campaigns=running_campaigns(local_today()),
                           next_url=url_for(".queue", after=next_cursor, **args) if next_cursor else None,
                           first_url=url_for(".queue", **args) if request.args.get("after") else None,
                           filter_args=args)


@bp.route("/cases/new", methods=["GET", "POST"])
@require("case.create")
def intake():
    form = IntakeForm()
    if request.method == "POST" and request.form.get("add_worker"):
        # Without JavaScript: the 'add another applicant' button re-displays the form with one more row.
        form.workers.append_entry()
        return render_template("cases/intake.html", form=form)
    if request.method == "GET":
        return render_template("cases/intake.html", form=form)
    validate(form, lambda: render_template("cases/intake.html", form=form))
    try:
        case = services.register_case(intake_data(form), current_user,
                                      confirm_duplicate=bool(request.form.get("confirm_duplicate")))
    except LikelyDuplicate as exc:
        # Shown with the cases it likely repeats; registering it all the same takes one more click.
        return render_template("cases/intake.html", form=form, duplicates=exc.cases), 409
    flash(_("Case %(no)s registered.", no=case.case_no), "success")
    return redirect(url_for(".detail", case_no=case.case_no))


def intake_data(form: IntakeForm) -> services.IntakeData:
    dispute_type = db.session.get(DisputeType, int(form.dispute_type.data))
    street = db.session.get(Street, int(form.street.data)) if form.street.data else None
    workers = [
        services.WorkerData(
            name=w.form.name.data, id_number=w.form.id_number.data or None, phone=w.form.phone.data or "",
            address=w.form.address.data or "", migrant_worker=w.form.migrant_worker.data,
            is_representative=w.form.is_representative.data, claimed=w.form.claimed.data,
        )
        for w in form.workers.entries
    ]
    return services.IntakeData(
        received_on=form.received_on.data,
        application_form=ApplicationForm(form.application_form.data),
        channel=Channel(form.channel.data),
        dispute_type=dispute_type,
        street=street,
        employer=services.EmployerData(
            name=form.employer_name.data, credit_code=form.employer_credit_code.data or None,
            address=form.employer_address.data or "", contact_name=form.employer_contact_name.data or "",
            contact_phone=form.employer_contact_phone.data or "",
        ),
        workers=workers,
        workers_count=form.workers_count.data,
        matters=form.matters.data, reasons=form.reasons.data or "", notes=form.notes.data or "",
        dispute_arose_on=form.dispute_arose_on.data, employment_ended_on=form.employment_ended_on.data,
    )


@bp.route("/employers.json")
@require("case.create")
def employer_suggestions():
    """Existing employers whose name contains ``q``, for the intake form's suggestions."""
    q = (request.args.get("q") or "").strip()
    if len(q) < 1:
        return jsonify([])
    rows = db.session.scalars(sa.select(Employer).where(Employer.name.like(f"%{q[:50]}%"))
                              .order_by(Employer.name).limit(15)).all()
    return jsonify([{"name": e.name, "credit_code": e.credit_code or "", "address": e.address,
                     "contact_name": e.contact_name, "contact_phone": e.contact_phone} for e in rows])


@bp.route("/cases/<path:case_no>")
@require("case.view")
def detail(case_no: str):
    try:
        case = load_case(case_no)
    except NotFound:
        if "/" in case_no:
            _refuse_get_of_a_post_route()
        raise
    return case_page(case)


def _refuse_get_of_a_post_route() -> None:
    """``GET /cases/2026-00001/assign`` lands here (case numbers may hold '/'); when no case has that
    number and the path is one of the case's POST-only routes, answer 405 as for any wrong method."""
    try:
        current_app.create_url_adapter(request).match(request.path, method="POST")
    except HTTPException:
        return
    abort(405, valid_methods=["POST"])


@bp.route("/cases/<path:case_no>/actions/<action>", methods=["POST"])
@require("case.transition")
def transition(case_no: str, action: str):
    case = load_case(case_no)
    if action not in services.TRANSITION_SERVICES:
        abort(404)
    form = action_form(action)
    validate_on_case_page(case, action, form)
    services.transition(case, current_user, action, on=form.on.data, reason=form.note.data or "")
    flash(_("Case %(no)s: %(action)s done.", no=case.case_no, action=ACTIONS[action].label), "success")
    return redirect(url_for(".detail", case_no=case_no))


@bp.route("/cases/<path:case_no>/green-channel", methods=["POST"])
@require("case.green_channel")
def green_channel(case_no: str):
    case = load_case(case_no)
    form = GreenChannelForm()
    validate_on_case_page(case, "green", form)
    services.set_green_channel(case, current_user, green=form.green_channel.data, reason=form.reason.data)
    flash(_("Green channel updated."), "success")
    return redirect(url_for(".detail", case_no=case_no))


@bp.route("/cases/<path:case_no>/assign", methods=["POST"])
@require("case.assign")
def assign(case_no: str):
    case = load_case(case_no)
    form = AssignForm()
    form.mediator.choices = [("", "")] + [(str(u.id), u.name) for u in mediators()]
    validate_on_case_page(case, "assign", form)
    mediator = db.session.get(User, int(form.mediator.data)) if form.mediator.data else None
    services.assign_mediator(case, current_user, mediator=mediator)
    flash(_("Assignment saved."), "success")
    return redirect(url_for(".detail", case_no=case_no))
