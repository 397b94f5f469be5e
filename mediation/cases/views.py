"""Case queue, intake, case page and status actions.  Thin: load, check, validate, call a service."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, NotFound

from mediation.auth.models import Role, User
from mediation.cases import deadlines, services
from mediation.cases.forms import (AssignForm, DatedActionForm, GreenChannelForm, IntakeForm,
                                   QueueFilterForm, ReasonActionForm, street_choices)
from mediation.cases.models import CHANNEL_LABELS, ApplicationForm, Case, Channel, Employer
from mediation.cases.queue import COUNT_CAP, QueueFilters, count_cases, queue_page
from mediation.cases.workflow import ACTION_LABELS, STATUS_LABELS, Status, TransitionError, allowed_targets
from mediation.core.permissions import can, can_view_case, require
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street

bp = Blueprint("cases", __name__)

# Actions whose form asks for a reason.
REASON_ACTIONS = {"reject", "withdraw", "record_failure"}
# Actions recorded through their own forms (agreement) rather than the generic action form.
SPECIAL_ACTIONS = {"record_agreement"}


def load_case(case_no: str) -> Case:
    case = db.session.scalar(sa.select(Case).where(Case.case_no == case_no))
    if case is None or not can_view_case(current_user, case):
        abort(404)  # a lawyer learns nothing about cases not referred to them
    return case


def mediators():
    return db.session.scalars(
        sa.select(User).where(User.active, User.role.in_([Role.MEDIATOR, Role.SUPERVISOR]))
        .order_by(User.display_name, User.username)
    ).all()


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
    filters = filters_from_form(form)
    size = current_app.config["QUEUE_PAGE_SIZE"]
    cases, next_cursor = queue_page(current_user, filters, request.args.get("after"), size)
    total = count_cases(current_user, filters, COUNT_CAP)
    args = {k: v for k, v in request.args.items() if k != "after" and v}
    from mediation.cases.dashboard import queue_stats, running_campaigns
    from mediation.core.timeutil import local_today

    return render_template("cases/queue.html", form=form, cases=cases, total=total, count_cap=COUNT_CAP,
                           stats=queue_stats(current_user), campaigns=running_campaigns(local_today()),
                           next_url=url_for(".queue", after=next_cursor, **args) if next_cursor else None,
                           first_url=url_for(".queue", **args) if request.args.get("after") else None,
                           filter_args=args)


def filters_from_form(form: QueueFilterForm) -> QueueFilters:
    def as_int(value):
        return int(value) if value and str(value).isdigit() else None

    status_value = form.status.data or ""
    return QueueFilters(
        q=(form.q.data or "")[:100],
        status=Status(status_value) if status_value in {s.value for s in Status} else None,
        open_only=status_value == "open",
        dispute_type_id=as_int(form.dispute_type.data),
        street_id=as_int(form.street.data),
        channel=Channel(form.channel.data) if form.channel.data in {c.value for c in Channel} else None,
        mediator_id=as_int(form.mediator.data),
        green={"1": True, "0": False}.get(form.green.data or ""),
    )


@bp.route("/cases/new", methods=["GET", "POST"])
@require("case.create")
def intake():
    form = IntakeForm()
    if request.method == "POST" and request.form.get("add_worker"):
        # Without JavaScript: the 'add another applicant' button re-displays the form with one more row.
        form.workers.append_entry()
        return render_template("cases/intake.html", form=form)
    if form.validate_on_submit():
        try:
            case = services.register_case(intake_data(form), current_user)
        except TransitionError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Case %(no)s registered.", no=case.case_no), "success")
            return redirect(url_for(".detail", case_no=case.case_no))
    elif form.errors:
        flash(_("Please correct the marked fields. Nothing has been saved."), "error")
    return render_template("cases/intake.html", form=form), 422 if form.errors else 200


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
    return render_case(case)


def _refuse_get_of_a_post_route() -> None:
    """``GET /cases/2026-00001/assign`` lands here (case numbers may hold '/'); when no case has that
    number and the path is one of the case's POST-only routes, answer 405 as for any wrong method."""
    try:
        current_app.create_url_adapter(request).match(request.path, method="POST")
    except HTTPException:
        return
    abort(405, valid_methods=["POST"])


def render_case(case: Case, forms: dict | None = None, status: int = 200):
    """The case page; ``forms`` carries a submitted form with errors back into its place."""
    forms = forms or {}
    actions = []
    if can(current_user, "case.transition"):
        for target, action in allowed_targets(case.status).items():
            if action in SPECIAL_ACTIONS:
                continue
            form = forms.get(action) or (ReasonActionForm(prefix=action) if action in REASON_ACTIONS
                                         else DatedActionForm(prefix=action))
            actions.append({"action": action, "label": ACTION_LABELS[action], "target": target, "form": form})
    green_form = forms.get("green") or GreenChannelForm(green_channel=not case.green_channel)
    assign_form = forms.get("assign") or AssignForm(mediator=str(case.assigned_mediator_id or ""))
    assign_form.mediator.choices = [("", _l("— unassigned —"))] + [(str(u.id), u.name) for u in mediators()]
    from mediation.core.timeutil import local_today

    today = local_today()
    return render_template(
        "cases/detail.html", case=case, actions=actions, green_form=green_form, assign_form=assign_form,
        deadlines=deadlines.case_deadlines(case), today=today,
        may_arbitrate=deadlines.may_proceed_to_arbitration(case, today),
        final_award=deadlines.is_final_award_claim(case), panel_forms=forms,
    ), status


@bp.route("/cases/<path:case_no>/actions/<action>", methods=["POST"])
@require("case.transition")
def transition(case_no: str, action: str):
    case = load_case(case_no)
    if action not in services.TRANSITION_SERVICES:
        abort(404)
    form = ReasonActionForm(prefix=action) if action in REASON_ACTIONS else DatedActionForm(prefix=action)
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields. Nothing has been saved."), "error")
        return render_case(case, {action: form}, 422)
    service = services.TRANSITION_SERVICES[action]
    try:
        if action in REASON_ACTIONS:
            service(case, current_user, form.note.data, on=form.on.data)
        elif action == "close":
            service(case, current_user, form.note.data or "", on=form.on.data)
        else:
            service(case, current_user, on=form.on.data)
        db.session.commit()
    except TransitionError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for(".detail", case_no=case_no))
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else changed this case at the same time. Please check it and try again."), "error")
        return redirect(url_for(".detail", case_no=case_no))
    flash(_("Case %(no)s: %(action)s done.", no=case.case_no, action=ACTION_LABELS[action]), "success")
    return redirect(url_for(".detail", case_no=case_no))


@bp.route("/cases/<path:case_no>/green-channel", methods=["POST"])
@require("case.green_channel")
def green_channel(case_no: str):
    case = load_case(case_no)
    form = GreenChannelForm()
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields. Nothing has been saved."), "error")
        return render_case(case, {"green": form}, 422)
    try:
        services.set_green_channel(case, current_user, form.green_channel.data, form.reason.data)
        db.session.commit()
    except TransitionError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Green channel updated."), "success")
    return redirect(url_for(".detail", case_no=case_no))


@bp.route("/cases/<path:case_no>/assign", methods=["POST"])
@require("case.assign")
def assign(case_no: str):
    case = load_case(case_no)
    form = AssignForm()
    form.mediator.choices = [("", "")] + [(str(u.id), u.name) for u in mediators()]
    if not form.validate_on_submit():
        return render_case(case, {"assign": form}, 422)
    mediator = db.session.get(User, int(form.mediator.data)) if form.mediator.data else None
    services.assign_mediator(case, current_user, mediator)
    db.session.commit()
    flash(_("Assignment saved."), "success")
    return redirect(url_for(".detail", case_no=case_no))
