"""Mediation sessions (调解会) and the mediation period: recording a session, extending by agreement."""
from __future__ import annotations

import datetime as dt

from flask_babel import format_date
from flask_babel import gettext as _

from mediation.audit.services import diff, record_event, snapshot
from mediation.cases.models import Case
from mediation.cases.services import (CASE_AUDIT_FIELDS, check_date, mediation_end, start_mediation,
                                      statutory_mediation_end)
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today, to_local
from mediation.extensions import db
from mediation.sessions.models import MediationSession

FIELDS = ("held_at", "location", "mediator_id", "attendees", "record")
MEDIATING = (Status.ACCEPTED, Status.IN_MEDIATION)


def record_session(case: Case, actor, *, held_at: dt.datetime, location: str = "", mediator=None,
                   attendees: str = "", record: str = "") -> MediationSession:
    """调解会: a session held (or scheduled); the first one starts mediation on an accepted case."""
    if case.status not in MEDIATING:
        raise TransitionError(_("Sessions are recorded for accepted cases in mediation."))
    if held_at.tzinfo is None:
        raise ValueError("held_at must be timezone-aware")
    local_day = to_local(held_at).date()
    if local_day < (case.accepted_on or case.received_on):
        raise TransitionError(_("A session cannot be held before the case was accepted."))
    session = MediationSession(case=case, held_at=held_at, location=location or "",
                               mediator_id=getattr(mediator, "id", None), attendees=attendees or "",
                               record=record or "")
    db.session.add(session)
    # A session scheduled for later is on the timeline today; one already held, on its own day.
    on = min(local_day, local_today())
    record_event(case, actor, "session_recorded",
                 {f"session.{k}": [None, v] for k, v in snapshot(session, FIELDS).items() if v},
                 effective_on=on)
    if case.status == Status.ACCEPTED:
        start_mediation(case, actor, on=on)
    return session


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
