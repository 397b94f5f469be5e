"""Sessions, the agreed extension of mediation, and arbitration after a failure, on the case page.

Arbitration is tracked here, beside the sessions, because it carries the same proceedings on once
mediation has failed; its service is :mod:`mediation.cases.arbitration`.

Each panel is registered on the case page (:func:`mediation.cases.pages.case_panel`); its builder gives
what it shows: a submitted form coming back with errors, or a fresh one for a role that may use it.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, flash, redirect, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediation.auth.models import Role, User
from mediation.auth.permissions import can, require
from mediation.cases import arbitration
from mediation.cases.pages import case_panel, load_case, mediators, validate_on_case_page
from mediation.core.timeutil import local_today, to_local, utcnow
from mediation.extensions import db
from mediation.sessions import services
from mediation.sessions.forms import ArbitrationForm, ExtendMediationForm, SessionForm

bp = Blueprint("sessions", __name__)


# --- sessions -------------------------------------------------------------------------------------

def session_form(case, **kwargs) -> SessionForm:
    form = SessionForm(**kwargs)
    form.mediator.choices = [("", _l("— none —"))] + [(str(u.id), u.name) for u in mediators()]
    return form


def blank_session_form(case) -> SessionForm:
    now = to_local(utcnow()).replace(second=0, microsecond=0, tzinfo=None)
    me = current_user.id if current_user.role in (Role.MEDIATOR, Role.SUPERVISOR) else None
    last = case.sessions[-1] if case.sessions else None
    return session_form(case, formdata=None, data={
        "held_at": now,
        "mediator": str(case.assigned_mediator_id or me or ""),
        "location": last.location if last else "",
    })


@bp.route("/cases/<path:case_no>/sessions", methods=["POST"])
@require("case.session")
def record(case_no: str):
    case = load_case(case_no)
    form = session_form(case)
    validate_on_case_page(case, "session", form)
    mediator = db.session.get(User, int(form.mediator.data)) if form.mediator.data else None
    services.record_session(case, current_user, held_at=form.held_at_utc(), location=form.location.data,
                            mediator=mediator, attendees=form.attendees.data or "",
                            record=form.record.data or "")
    flash(_("Session recorded."), "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="sessions"))


@bp.route("/cases/<path:case_no>/mediation-extension", methods=["POST"])
@require("case.edit")
def extend(case_no: str):
    case = load_case(case_no)
    form = ExtendMediationForm()
    validate_on_case_page(case, "extend", form)
    services.extend_mediation(case, current_user, until=form.until.data, note=form.note.data,
                              on=form.agreed_on.data)
    flash(_("Mediation extended until %(date)s.", date=format_date(form.until.data)), "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="sessions"))


@case_panel(bp, "sessions", "sessions/_panel.html", order=10)
def sessions_panel(case, panel_forms: dict) -> SimpleNamespace:
    mediating = case.status in services.MEDIATING
    form = panel_forms.get("session")
    if form is None and mediating and can(current_user, "case.session"):
        form = blank_session_form(case)
    extend_form = panel_forms.get("extend")
    if extend_form is None and mediating and case.accepted_on and can(current_user, "case.edit"):
        extend_form = ExtendMediationForm(formdata=None, data={"until": case.mediation_extended_until,
                                                              "agreed_on": local_today()})
    return SimpleNamespace(sessions=list(case.sessions), now=utcnow(), form=form, extend_form=extend_form,
                           statutory_end=services.statutory_mediation_end(case))


# --- arbitration ----------------------------------------------------------------------------------

@bp.route("/cases/<path:case_no>/arbitration", methods=["POST"])
@require("case.edit")
def arbitration_update(case_no: str):
    case = load_case(case_no)
    form = ArbitrationForm()
    validate_on_case_page(case, "arbitration", form)
    arbitration.record_arbitration(
        case, current_user, applied_on=form.applied_on.data, accepted_on=form.accepted_on.data,
        extended=form.extended.data, award_on=form.award_on.data, note=form.note.data or "")
    flash(_("Arbitration saved."), "success")
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="arbitration"))


@case_panel(bp, "arbitration", "sessions/_arbitration_panel.html", order=40)
def arbitration_panel(case, panel_forms: dict) -> SimpleNamespace:
    trackable = arbitration.may_track_arbitration(case)
    form = panel_forms.get("arbitration")
    if form is None and trackable and can(current_user, "case.edit"):
        form = ArbitrationForm(formdata=None, data={
            "applied_on": case.arbitration_applied_on, "accepted_on": case.arbitration_accepted_on,
            "extended": case.arbitration_extended, "award_on": case.arbitration_award_on,
        })
    return SimpleNamespace(show=trackable or case.arbitration_applied_on is not None, form=form,
                           award_due=arbitration.arbitration_award_due(case))
