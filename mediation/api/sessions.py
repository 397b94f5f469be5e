"""Mediation sessions through the API (CONTRACTS §8): schedule a session or record one held, move it,
record it held or correct its record, cancel it — the bodies they take, how they are read, a session's
JSON, and their part of the OpenAPI description.

What the values mean (a time still to come, not before acceptance, a reason …) is checked by the session
verbs (:mod:`mediation.sessions.services`); their refusals name the body's keys (``held_at``,
``location``, ``reason``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.api.schemas import _text, check_json_shape
from mediation.auth.models import Role, User
from mediation.core.timeutil import office_zone, to_local
from mediation.extensions import db
from mediation.sessions import services
from mediation.sessions.models import MediationSession, SessionStatus

# A local time of the office (Asia/Shanghai unless configured) unless an offset or Z is given.
TIME_PATTERN = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
                r"(Z|[+-][0-9]{2}:[0-9]{2})?$")
MAX_ID = 2 ** 31 - 1

_HELD_AT = {"type": "string", "maxLength": 40, "description": "When (YYYY-MM-DDTHH:MM[:SS]), in the office's "
            "time unless an offset (+08:00) or Z is given."}
_VERSION = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID,
            "description": "The case's version as last read; a stale one answers 409."}
_MEDIATOR = _text(100, "The mediator's username: an active mediator or supervisor; null for none.")
_ATTENDEES = _text(5000, "Who is expected (a session to come) or who attended (a session held).")
_RECORD = _text(50000, "调解记录: the record of what happened; only for a session held.")

CREATE_PROPERTIES: dict[str, dict] = {
    "held_at": {**_HELD_AT, "description": "When it is to be held (scheduled: after now) or was held (held: not "
                                           "in the future, not before the case was accepted). " + _HELD_AT[
                                               "description"]},
    "status": {"type": ["string", "null"], "enum": ["scheduled", "held", None],
               "description": "scheduled (the default): a session to come, which does not start mediation; "
                              "held: one that took place (the first held starts mediation on an accepted "
                              "case)."},
    "location": _text(200, "Where; required."),
    "mediator": _MEDIATOR,
    "attendees": _ATTENDEES,
    "record": _RECORD,
    "version": _VERSION,
}
UPDATE_PROPERTIES: dict[str, dict] = {
    "held_at": {**_HELD_AT, "description": "A session to come: its new time (after now). A session recorded "
                                           "held: when it was held (not in the future). " + _HELD_AT["description"]},
    "status": {"type": ["string", "null"], "enum": ["scheduled", "held", None],
               "description": "held: record a session to come as held (at its scheduled time unless "
                              "`held_at` says otherwise)."},
    "location": _text(200, "The new place."),
    "mediator": _MEDIATOR,
    "attendees": _ATTENDEES,
    "record": _RECORD,
    "reason": _text(5000, "Why: required to move a session to come, and to correct a held session's record."),
    "version": _VERSION,
}
CANCEL_PROPERTIES: dict[str, dict] = {
    "reason": _text(5000, "Why the session will not take place.", required=True),
    "version": _VERSION,
}


def _published(properties: dict[str, dict]) -> dict[str, dict]:
    # The pattern is checked by read_body with its own message (check_json_shape's is for dates).
    return {**properties, "held_at": {**properties["held_at"], "pattern": TIME_PATTERN}} \
        if "held_at" in properties else properties


SESSION_CREATE_SCHEMA: dict = {
    "type": "object",
    "description": "A session to come (scheduled), or one held that was not scheduled beforehand "
                   "(`\"status\": \"held\"`). A session scheduled after mediation ends (15 days from "
                   "acceptance unless both parties agreed to extend, 人社部令第17号) is kept with a warning.",
    "properties": _published(CREATE_PROPERTIES),
    "required": ["held_at"],
    "additionalProperties": False,
    "examples": [{"held_at": "2025-03-10T09:30", "location": "区总工会第一调解室", "mediator": "zhang",
                  "attendees": "申请人李四；被申请人代表王经理"}],
}
SESSION_UPDATE_SCHEMA: dict = {
    "type": "object",
    "description": "For a session to come: move it (`held_at` and/or `location`, with a `reason`), or record it "
                   "held (`\"status\": \"held\"`, with `attendees`, `record` …). For a session held: correct its "
                   "record (any of `held_at`, `location`, `mediator`, `attendees`, `record`, with a `reason`). "
                   "A cancelled session cannot be changed.",
    "properties": _published(UPDATE_PROPERTIES),
    "additionalProperties": False,
    "examples": [{"held_at": "2025-03-12T14:30", "reason": "被申请人代表出差，双方同意改期"},
                 {"status": "held", "attendees": "申请人李四；被申请人代表王经理", "record": "双方就工资数额达成一致"}],
}
SESSION_CANCEL_SCHEMA: dict = {
    "type": "object",
    "description": "Cancel a session still to come: it is kept, with the reason.",
    "properties": CANCEL_PROPERTIES,
    "required": ["reason"],
    "additionalProperties": False,
    "examples": [{"reason": "申请人撤回调解申请前已与单位和解"}],
}


@dataclass
class SessionBody:
    """A session body read: the verbs' keyword arguments, what it asks, and an error for each bad key."""

    values: dict[str, Any] = field(default_factory=dict)
    status: str | None = None
    version: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def read_body(body: Mapping[str, Any], properties: dict[str, dict], required: list[str]) -> SessionBody:
    fitting, errors = check_json_shape(body, properties, required)
    found = SessionBody(errors=errors, status=fitting.get("status"), version=fitting.get("version"))
    if "held_at" in fitting:
        at = parse_time(fitting["held_at"])
        if at is None:
            errors["held_at"] = [_("Not a date and time (YYYY-MM-DDTHH:MM, the office's time unless an offset "
                                   "is given).")]
        else:
            found.values["held_at"] = at
    for key in ("location", "attendees", "record", "reason"):
        if fitting.get(key) is not None:
            found.values[key] = fitting[key]
    if "mediator" in fitting:
        username = (fitting["mediator"] or "").strip()
        mediator = _mediator(username) if username else None
        if username and mediator is None:
            errors["mediator"] = [_("No active mediator or supervisor has this username.")]
        else:
            found.values["mediator"] = mediator
    return found


def parse_time(text: str) -> dt.datetime | None:
    """An aware UTC time from the body's text, or ``None`` for one that is not a real time."""
    if not re.fullmatch(TIME_PATTERN, text):
        return None
    try:
        at = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if at.tzinfo is None:
            at = at.replace(tzinfo=office_zone())
        return at.astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        return None


def _mediator(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username, User.active.is_(True),
                                                   User.role.in_([Role.MEDIATOR, Role.SUPERVISOR])))


def session_summary_json(session: MediationSession) -> dict[str, Any]:
    """A session as the case's JSON lists it."""
    return {"id": session.id, "status": session.status.value,
            "held_at": to_local(session.held_at).isoformat(), "location": session.location,
            "mediator": session.mediator.username if session.mediator else None}


def session_json(session: MediationSession) -> dict[str, Any]:
    """A session, whole: who attended and the record, why it was cancelled, any warning."""
    end = services.after_mediation_end(session.case, session) \
        if session.case.status in services.MEDIATING else None
    return {**session_summary_json(session), "attendees": session.attendees, "record": session.record,
            "cancel_reason": session.cancel_reason or None,
            "warnings": [services.after_end_warning(end)] if end else []}


# --- the OpenAPI description ------------------------------------------------------------------------

_SUMMARY_PROPERTIES = {
    "id": {"type": "integer"},
    "status": {"type": "string", "enum": [s.value for s in SessionStatus],
               "description": "scheduled (to come), held, cancelled (kept, with its reason)."},
    "held_at": {"type": "string", "format": "date-time",
                "description": "When it is to be (or was) held, in the office's time with its offset."},
    "location": {"type": "string"},
    "mediator": {"type": ["string", "null"], "description": "The mediator's username."},
}
SESSION_SUMMARY = {"type": "object", "properties": _SUMMARY_PROPERTIES, "required": list(_SUMMARY_PROPERTIES),
                   "additionalProperties": False}
_SESSION_PROPERTIES = {
    **_SUMMARY_PROPERTIES,
    "attendees": {"type": "string"},
    "record": {"type": "string", "description": "调解记录."},
    "cancel_reason": {"type": ["string", "null"], "description": "Why it was cancelled; null otherwise."},
    "warnings": {"type": "array", "items": {"type": "string"},
                 "description": "E.g. a session to come after mediation ends, without both parties' agreement "
                              "to extend it (人社部令第17号)."},
}
SESSION = {"type": "object", "properties": _SESSION_PROPERTIES, "required": list(_SESSION_PROPERTIES),
           "additionalProperties": False, "description": "A mediation session (调解会)."}

SESSION_SCHEMAS = {"Session": SESSION, "SessionSummary": SESSION_SUMMARY, "SessionCreate": SESSION_CREATE_SCHEMA,
                   "SessionUpdate": SESSION_UPDATE_SCHEMA, "SessionCancel": SESSION_CANCEL_SCHEMA}


def session_paths(case_no: dict, refs, json) -> dict:
    """The sessions' operations, given the description's case-number parameter and its helpers."""
    session_id = {"name": "session_id", "in": "path", "required": True,
                  "schema": {"type": "integer", "minimum": 1}, "description": "The session's id."}
    writes = refs("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "TooLarge", "Unprocessable")
    return {
        "/api/v1/cases/{case_no}/sessions": {"post": {
            "operationId": "addSession",
            "summary": "Schedule a session (it does not start mediation), or record one held that was not "
                       "scheduled (`\"status\": \"held\"`; the first held starts mediation on an accepted case, "
                       "dated the session's day). Accepted cases in mediation only. Roles that may record "
                       "sessions (not lawyers).",
            "parameters": [case_no],
            "requestBody": {"required": True, "content": json("SessionCreate")},
            "responses": {"201": {"description": "Scheduled or recorded.", "content": json("Session")}, **writes},
        }},
        "/api/v1/cases/{case_no}/sessions/{session_id}": {"patch": {
            "operationId": "changeSession",
            "summary": "Move a session to come (a new time after now and/or place, with a reason), record it "
                       "held (`\"status\": \"held\"`; not in the future), or correct a held session's record "
                       "(with a reason). A time that has passed is recorded as held, not moved.",
            "parameters": [case_no, session_id],
            "requestBody": {"required": True, "content": json("SessionUpdate")},
            "responses": {"200": {"description": "Changed: the session.", "content": json("Session")}, **writes},
        }},
        "/api/v1/cases/{case_no}/sessions/{session_id}/cancel": {"post": {
            "operationId": "cancelSession",
            "summary": "Cancel a session to come, with the reason: it stays on the case's record; the agenda and "
                       "the calendar feed drop it.",
            "parameters": [case_no, session_id],
            "requestBody": {"required": True, "content": json("SessionCancel")},
            "responses": {"200": {"description": "Cancelled: the session.", "content": json("Session")}, **writes},
        }},
    }
