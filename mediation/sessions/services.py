"""Mediation sessions (调解会) and the mediation period.

A session's life: :func:`schedule_session` (it is to come; mediation has not started), then
:func:`move_session` or :func:`cancel_session` while it is still to come, each with a reason, or
:func:`record_session_held` (what happened; the first session held starts mediation on an accepted case,
dated the session's day).  A session not scheduled beforehand is recorded held at once;
:func:`correct_session` corrects a held session's record, with a reason.  Each verb checks before it
changes anything, writes its timeline event, and leaves the commit to the caller.

Sessions and the mediation period (人社部令第17号): mediation ends 15 days after acceptance unless both
parties agree to extend it (:func:`extend_mediation`).  Sessions do not move that end.  A session
scheduled after it is allowed, with a warning (:func:`after_mediation_end`): the parties may still agree to
extend, or the office may hold it anyway; refusing it would leave the mediator no way to write down a
meeting the parties asked for.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import format_date
from flask_babel import gettext as _

from mediation.audit.services import diff, record_event, snapshot
from mediation.cases.models import Case
from mediation.cases.services import (CASE_AUDIT_FIELDS, check_date, mediation_end, start_mediation,
                                      statutory_mediation_end)
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today, to_local, utcnow
from mediation.extensions import db
from mediation.sessions.models import MediationSession, SessionStatus

FIELDS = ("status", "held_at", "location", "mediator_id", "attendees", "record")
MEDIATING = (Status.ACCEPTED, Status.IN_MEDIATION)
# A session further ahead than this is a mistyped year, not a plan.
FURTHEST_AHEAD = dt.timedelta(days=366)
UNCHANGED = object()  # ``mediator=UNCHANGED``: leave the session's mediator as it is


# --- checks ---------------------------------------------------------------------------------------

def _utc(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("a session's time must be timezone-aware")
    return at.astimezone(dt.timezone.utc)


def _own(case: Case, session: MediationSession) -> None:
    if session.case_id != case.id and session.case is not case:
        raise ValueError("the session belongs to another case")


def _check_mediating(case: Case, message) -> None:
    if case.status not in MEDIATING:
        raise TransitionError(message)


def _check_after_acceptance(case: Case, at: dt.datetime) -> None:
    if to_local(at).date() < (case.accepted_on or case.received_on):
        raise TransitionError(_("A session cannot be held before the case was accepted."), "held_at")


def _check_to_come(case: Case, at: dt.datetime, *, moving: bool = False) -> None:
    """A time for a session still to come: after now, within a year, not before acceptance."""
    if at <= utcnow():
        raise TransitionError(_("This time has passed: a session that took place is recorded as held, not moved.")
                              if moving else
                              _("This time has passed: record the session as held instead of scheduling it."),
                              "held_at")
    if to_local(at).date() > local_today() + FURTHEST_AHEAD:
        raise TransitionError(_("A session cannot be scheduled more than a year ahead: check the date."),
                              "held_at")
    _check_after_acceptance(case, at)


def _check_held_time(case: Case, at: dt.datetime) -> None:
    if at > utcnow():
        raise TransitionError(_("A session cannot be recorded as held in the future: schedule it instead."),
                              "held_at")
    _check_after_acceptance(case, at)


def _reason(reason: str | None, message) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(message, "reason")
    return reason


def _location(location: str | None, *, held: bool = False) -> str:
    location = (location or "").strip()
    if not location:
        raise TransitionError(_("Say where the session was held.") if held else
                              _("Say where the session is to be held."), "location")
    return location


def after_mediation_end(case: Case, session: MediationSession) -> dt.date | None:
    """The last day of mediation, when this session still to come is after it (17号令: a session then needs
    both parties' agreement to extend mediation); else ``None``."""
    end = mediation_end(case)
    if not session.scheduled or end is None or to_local(session.held_at).date() <= end:
        return None
    return end


def after_end_warning(end: dt.date) -> str:
    return _("This session is after mediation ends (%(date)s): it needs both parties' agreement to extend "
             "mediation (人社部令第17号); without it mediation is deemed to have failed.", date=format_date(end))


def _changes(before: dict, session: MediationSession) -> dict:
    changes = {f"session.{k}": v for k, v in diff(before, snapshot(session, FIELDS)).items()}
    # A new session: what it was given, not the blanks.
    return {k: v for k, v in changes.items() if v[0] is not None or v[1] not in (None, "")}


# --- the verbs ------------------------------------------------------------------------------------

def schedule_session(case: Case, actor, *, at: dt.datetime, location: str, mediator=None,
                     attendees: str = "") -> MediationSession:
    """A session to come: when, where, who mediates, who is expected.  Mediation does not start until a
    session is held."""
    _check_mediating(case, _("Sessions are scheduled for accepted cases in mediation."))
    at = _utc(at)
    _check_to_come(case, at)
    location = _location(location)
    session = MediationSession(case=case, status=SessionStatus.SCHEDULED, held_at=at, location=location,
                               mediator_id=getattr(mediator, "id", None), attendees=(attendees or "").strip(),
                               record="", cancel_reason="")
    db.session.add(session)
    record_event(case, actor, "session_scheduled", _changes(dict.fromkeys(FIELDS), session),
                 effective_on=local_today())
    return session


def move_session(case: Case, actor, *, session: MediationSession, reason: str, at: dt.datetime | None = None,
                 location: str | None = None) -> MediationSession:
    """A session still to come, to another time and/or place, with the reason."""
    _own(case, session)
    if not session.scheduled:
        raise TransitionError(_("Only a session still to come can be moved."))
    _check_mediating(case, _("Sessions are scheduled for accepted cases in mediation."))
    reason = _reason(reason, _("Give the reason for moving the session."))
    before = snapshot(session, FIELDS)
    if at is not None:
        at = _utc(at)
        _check_to_come(case, at, moving=True)
        session.held_at = at
    if location is not None:
        session.location = _location(location)
    changes = _changes(before, session)
    if not changes:
        raise TransitionError(_("Give a new time or a new place."), "held_at")
    record_event(case, actor, "session_moved", changes, note=reason, effective_on=local_today())
    return session


def cancel_session(case: Case, actor, *, session: MediationSession, reason: str) -> MediationSession:
    """A session still to come will not take place: kept, with the reason."""
    _own(case, session)
    if not session.scheduled:
        raise TransitionError(_("Only a session still to come can be cancelled."))
    reason = _reason(reason, _("Give the reason for cancelling the session."))
    before = snapshot(session, ("status", "cancel_reason"))
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason
    changes = {f"session.{k}": v for k, v in diff(before, snapshot(session, ("status", "cancel_reason"))).items()}
    record_event(case, actor, "session_cancelled", changes, note=reason, effective_on=local_today())
    return session


def record_session_held(case: Case, actor, *, session: MediationSession | None = None,
                        held_at: dt.datetime | None = None, location: str | None = None, mediator=UNCHANGED,
                        attendees: str | None = None, record: str | None = None) -> MediationSession:
    """调解会 held: a scheduled ``session`` (held at its time unless told), or one not scheduled beforehand;
    who attended and the record (调解记录).  The first session held starts mediation on an accepted case,
    dated the session's day."""
    if session is not None:
        _own(case, session)
        if session.held:
            raise TransitionError(_("This session is already recorded as held: correct its record instead."))
        if session.cancelled:
            raise TransitionError(_("A cancelled session cannot be recorded as held."))
    _check_mediating(case, _("Sessions are recorded for accepted cases in mediation."))
    if held_at is None and session is None:
        raise TransitionError(_("Say when the session was held."), "held_at")
    at = _utc(held_at) if held_at is not None else session.held_at
    _check_held_time(case, at)
    if session is None:
        location = _location(location, held=True)
        session = MediationSession(case=case, status=SessionStatus.HELD, held_at=at, location="",
                                   mediator_id=None, attendees="", record="", cancel_reason="")
        before = dict.fromkeys(FIELDS)
        db.session.add(session)
    else:
        before = snapshot(session, FIELDS)
    _apply(session, held_at=at, location=location, mediator=mediator, attendees=attendees, record=record)
    session.status = SessionStatus.HELD
    day = to_local(at).date()
    record_event(case, actor, "session_held", _changes(before, session), effective_on=day)
    if case.status == Status.ACCEPTED:
        start_mediation(case, actor, on=day)
    return session


def correct_session(case: Case, actor, *, session: MediationSession, reason: str,
                    held_at: dt.datetime | None = None, location: str | None = None, mediator=UNCHANGED,
                    attendees: str | None = None, record: str | None = None) -> MediationSession:
    """A held session's record corrected (its time, place, mediator, attendees or record), with the reason.
    Where the session started mediation and its day changes, mediation's start follows."""
    _own(case, session)
    if not session.held:
        raise TransitionError(_("Only the record of a session held can be corrected."))
    reason = _reason(reason, _("Give the reason for the correction."))
    first_before = _first_held_day(case)
    before = snapshot(session, FIELDS)
    if held_at is not None:
        held_at = _utc(held_at)
        _check_held_time(case, held_at)
    _apply(session, held_at=held_at, location=location, mediator=mediator, attendees=attendees, record=record)
    changes = _changes(before, session)
    if not changes:
        raise TransitionError(_("Nothing to correct: change something first."))
    first_after = _first_held_day(case)
    if case.mediation_started_on is not None and case.mediation_started_on == first_before \
            and first_after != first_before:
        changes.update(_move_mediation_start(case, first_after))
    record_event(case, actor, "session_corrected", changes, note=reason, effective_on=local_today())
    return session


def record_session(case: Case, actor, *, held_at: dt.datetime, location: str = "", mediator=None,
                   attendees: str = "", record: str = "") -> MediationSession:
    """A session at ``held_at``: recorded held if that time has passed, else scheduled (for the callers that
    write sessions in one step: the demo, benchmarks, tests)."""
    if _utc(held_at) > utcnow():
        return schedule_session(case, actor, at=held_at, location=location, mediator=mediator,
                                attendees=attendees)
    return record_session_held(case, actor, held_at=held_at, location=location, mediator=mediator,
                               attendees=attendees, record=record)


# --- helpers --------------------------------------------------------------------------------------

def _apply(session: MediationSession, *, held_at, location, mediator, attendees, record) -> None:
    if held_at is not None:
        session.held_at = held_at
    if location is not None:
        session.location = location.strip()
    if mediator is not UNCHANGED:
        session.mediator_id = getattr(mediator, "id", None)
        session.mediator = mediator
    if attendees is not None:
        session.attendees = attendees.strip()
    if record is not None:
        session.record = record.strip()


def _first_held_day(case: Case) -> dt.date | None:
    return min((to_local(s.held_at).date() for s in case.sessions if s.held), default=None)


def _move_mediation_start(case: Case, day: dt.date) -> dict:
    """Mediation's start, moved to the day of the first session held now that a correction moved it."""
    limit = case.outcome_on or local_today()
    if day > limit:
        raise TransitionError(_("Mediation started with this session: it cannot be dated after %(date)s.",
                                date=format_date(limit)), "held_at")
    before = case.mediation_started_on
    case.mediation_started_on = day
    return {"mediation_started_on": [before.isoformat(), day.isoformat()]}


def extend_mediation(case: Case, actor, *, until: dt.date, note: str, on: dt.date | None = None) -> Case:
    """Both parties agreed (``on``, today unless told) to mediate until ``until``: their agreement must
    come before mediation ran out — after that it is deemed to have failed (17号令)."""
    if case.status not in MEDIATING or case.accepted_on is None:
        raise TransitionError(_("Mediation can only be extended while the case is in mediation."))
    if not note or not note.strip():
        raise TransitionError(_("Record how both parties agreed to extend mediation."), "note")
    on = check_date(case, on, _("The parties' agreement to extend"))
    current_end = mediation_end(case)
    if on > current_end:
        raise TransitionError(_(
            "Mediation ran out on %(date)s and is deemed to have failed: an agreement to extend must come "
            "before that.", date=format_date(current_end)), "on")
    statutory_end = statutory_mediation_end(case)
    if until <= statutory_end:
        raise TransitionError(_(
            "An extension must end after %(date)s, when the 15 days from acceptance end.",
            date=format_date(statutory_end),
        ), "until")
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.mediation_extended_until = until
    case.mediation_extension_agreed_on = on
    changes = diff(before, snapshot(case, CASE_AUDIT_FIELDS))
    if changes:
        record_event(case, actor, "updated", changes, note=note.strip(), effective_on=on)
    return case
