"""Sessions, the agreed extension of mediation, and arbitration after a failure, on the case page.

Arbitration is tracked here, beside the sessions, because it carries the same proceedings on once
mediation has failed; its service is :mod:`mediation.cases.arbitration`.

Each panel is registered on the case page (:func:`mediation.cases.pages.case_panel`); its builder gives
what it shows: a submitted form coming back with errors, or a fresh one for a role that may use it.
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, url_for
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
from mediation.sessions.forms import (ArbitrationForm, CancelSessionForm, CorrectSessionForm, ExtendMediationForm,
                                     HeldSessionForm, MoveSessionForm, ScheduleSessionForm, SessionForm)
from mediation.sessions.models import MediationSession

bp = Blueprint("sessions", __name__)


# --- sessions -------------------------------------------------------------------------------------

def _with_mediators(form, current_id: int | None = None, people: list | None = None):
    people = mediators() if people is None else people
    choices = [("", _l("— none —"))] + [(str(u.id), u.name) for u in people]
    if current_id is not None and all(u.id != current_id for u in people):
        current = db.session.get(User, current_id)  # no longer active, or no longer a mediator: still theirs
        if current is not None:
            choices.append((str(current.id), current.name))
    form.mediator.choices = choices
    return form


def _mediator(form):
    return db.session.get(User, int(form.mediator.data)) if form.mediator.data else None


def _local(value):
    return to_local(value).replace(second=0, microsecond=0, tzinfo=None)


def _time_if_changed(form, session):
    """The time typed, unless it is the session's own to the minute (the form shows no seconds)."""
    return None if form.held_at.data == _local(session.held_at) else form.held_at_utc()


def _default_mediator(case) -> str:
    me = current_user.id if current_user.role in (Role.MEDIATOR, Role.SUPERVISOR) else None
    return str(case.assigned_mediator_id or me or "")


def _last_location(case) -> str:
    return next((s.location for s in reversed(case.sessions) if not s.cancelled), "")


def session_form(case, **kwargs) -> SessionForm:
    return _with_mediators(SessionForm(**kwargs))


def blank_session_form(case) -> SessionForm:
    return session_form(case, formdata=None, data={"held_at": _local(utcnow()), "mediator": _default_mediator(case),
                                                   "location": _last_location(case)})


def blank_schedule_form(case) -> ScheduleSessionForm:
    tomorrow = _local(utcnow()).replace(hour=9, minute=0) + dt.timedelta(days=1)
    return _with_mediators(ScheduleSessionForm(formdata=None, data={
        "held_at": tomorrow, "mediator": _default_mediator(case), "location": _last_location(case)}))


def session_of(case, session_id: int) -> MediationSession:
    session = db.session.get(MediationSession, session_id) if session_id < 2 ** 31 else None
    if session is None or session.case_id != case.id:
        abort(404)
    return session


def _back(case):
    return redirect(url_for("cases.detail", case_no=case.case_no, _anchor="sessions"))


def _warn_after_end(case, session) -> None:
    end = services.after_mediation_end(case, session)
    if end is not None:
        flash(services.after_end_warning(end), "info")


@bp.route("/cases/<path:case_no>/sessions", methods=["POST"])
@require("case.session")
def record(case_no: str):
    """A session held that was not scheduled beforehand."""
    case = load_case(case_no)
    form = session_form(case)
    validate_on_case_page(case, "session", form)
    services.record_session_held(case, current_user, held_at=form.held_at_utc(), location=form.location.data,
                                 mediator=_mediator(form), attendees=form.attendees.data or "",
                                 record=form.record.data or "")
    flash(_("Session recorded."), "success")
    return _back(case)


@bp.route("/cases/<path:case_no>/sessions/schedule", methods=["POST"])
@require("case.session")
def schedule(case_no: str):
    case = load_case(case_no)
    form = _with_mediators(ScheduleSessionForm())
    validate_on_case_page(case, "schedule", form)
    session = services.schedule_session(case, current_user, at=form.held_at_utc(), location=form.location.data,
                                        mediator=_mediator(form), attendees=form.attendees.data or "")
    flash(_("Session scheduled."), "success")
    _warn_after_end(case, session)
    return _back(case)


@bp.route("/cases/<path:case_no>/sessions/<int:session_id>/move", methods=["POST"])
@require("case.session")
def move(case_no: str, session_id: int):
    case = load_case(case_no)
    session = session_of(case, session_id)
    form = MoveSessionForm(prefix=f"move-{session.id}")
    validate_on_case_page(case, f"move-{session.id}", form)
    services.move_session(case, current_user, session=session, at=_time_if_changed(form, session),
                          location=form.location.data, reason=form.reason.data)
    flash(_("Session moved."), "success")
    _warn_after_end(case, session)
    return _back(case)


@bp.route("/cases/<path:case_no>/sessions/<int:session_id>/cancel", methods=["POST"])
@require("case.session")
def cancel(case_no: str, session_id: int):
    case = load_case(case_no)
    session = session_of(case, session_id)
    form = CancelSessionForm(prefix=f"cancel-{session.id}")
    validate_on_case_page(case, f"cancel-{session.id}", form)
    services.cancel_session(case, current_user, session=session, reason=form.reason.data)
    flash(_("Session cancelled."), "success")
    return _back(case)


@bp.route("/cases/<path:case_no>/sessions/<int:session_id>/held", methods=["POST"])
@require("case.session")
def held(case_no: str, session_id: int):
    case = load_case(case_no)
    session = session_of(case, session_id)
    form = _with_mediators(HeldSessionForm(prefix=f"held-{session.id}"), session.mediator_id)
    validate_on_case_page(case, f"held-{session.id}", form)
    services.record_session_held(case, current_user, session=session, held_at=_time_if_changed(form, session),
                                 location=form.location.data, mediator=_mediator(form),
                                 attendees=form.attendees.data or "", record=form.record.data or "")
    flash(_("Session recorded."), "success")
    return _back(case)


@bp.route("/cases/<path:case_no>/sessions/<int:session_id>/correct", methods=["POST"])
@require("case.session")
def correct(case_no: str, session_id: int):
    case = load_case(case_no)
    session = session_of(case, session_id)
    form = _with_mediators(CorrectSessionForm(prefix=f"correct-{session.id}"), session.mediator_id)
    validate_on_case_page(case, f"correct-{session.id}", form)
    services.correct_session(case, current_user, session=session, reason=form.reason.data,
                             held_at=_time_if_changed(form, session), location=form.location.data,
                             mediator=_mediator(form),
                             attendees=form.attendees.data or "", record=form.record.data or "")
    flash(_("The session's record was corrected."), "success")
    return _back(case)


def session_forms(case, session, panel_forms: dict, may_change: bool, people: list) -> SimpleNamespace:
    """The forms offered on one session's row: a form coming back with errors, or a fresh one."""
    found = SimpleNamespace(move=panel_forms.get(f"move-{session.id}"), cancel=panel_forms.get(f"cancel-{session.id}"),
                            held=panel_forms.get(f"held-{session.id}"),
                            correct=panel_forms.get(f"correct-{session.id}"))
    if not may_change:
        return found
    mediating = case.status in services.MEDIATING
    data = {"held_at": _local(session.held_at), "location": session.location,
            "mediator": str(session.mediator_id or ""), "attendees": session.attendees, "record": session.record}
    if session.scheduled:
        if found.move is None and mediating:
            found.move = MoveSessionForm(prefix=f"move-{session.id}", formdata=None, data=data)
        if found.cancel is None:
            found.cancel = CancelSessionForm(prefix=f"cancel-{session.id}", formdata=None)
        if found.held is None and mediating:
            found.held = _with_mediators(HeldSessionForm(prefix=f"held-{session.id}", formdata=None, data=data),
                                         session.mediator_id, people)
    elif session.held and found.correct is None:
        found.correct = _with_mediators(CorrectSessionForm(prefix=f"correct-{session.id}", formdata=None, data=data),
                                        session.mediator_id, people)
    return found


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
    may_change = can(current_user, "case.session")
    form = panel_forms.get("session")
    if form is None and mediating and may_change:
        form = blank_session_form(case)
    schedule_form = panel_forms.get("schedule")
    if schedule_form is None and mediating and may_change:
        schedule_form = blank_schedule_form(case)
    extend_form = panel_forms.get("extend")
    if extend_form is None and mediating and case.accepted_on and can(current_user, "case.edit"):
        extend_form = ExtendMediationForm(formdata=None, data={"until": case.mediation_extended_until,
                                                              "agreed_on": local_today()})
    people = mediators() if may_change and case.sessions else []
    rows = []
    for s in case.sessions:
        end = services.after_mediation_end(case, s) if mediating else None
        rows.append(SimpleNamespace(session=s, forms=session_forms(case, s, panel_forms, may_change, people),
                                    warning=services.after_end_warning(end) if end else None))
    return SimpleNamespace(sessions=rows, mediating=mediating, form=form, schedule_form=schedule_form,
                           extend_form=extend_form, statutory_end=services.statutory_mediation_end(case))


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
