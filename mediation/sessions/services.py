"""Recording mediation sessions."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from mediation.audit.services import record_event, snapshot
from mediation.cases.models import Case
from mediation.cases.services import start_mediation
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today, to_local
from mediation.extensions import db
from mediation.sessions.models import MediationSession

FIELDS = ("held_at", "location", "mediator_id", "attendees", "record")


def record_session(case: Case, actor, *, held_at: dt.datetime, location: str = "", mediator=None,
                   attendees: str = "", record: str = "", via: str = "web") -> MediationSession:
    """调解会: a session held (or scheduled); the first one starts mediation on an accepted case."""
    if case.status not in (Status.ACCEPTED, Status.IN_MEDIATION):
        raise TransitionError(_("Sessions are recorded for accepted cases in mediation."))
    local_day = to_local(held_at).date()
    if local_day < case.received_on:
        raise TransitionError(_("A session cannot be held before the case was received."))
    session = MediationSession(case=case, held_at=held_at, location=location,
                               mediator_id=getattr(mediator, "id", None), attendees=attendees,
                               record=record)
    db.session.add(session)
    db.session.flush()
    record_event(case, actor, "session_recorded",
                 {f"session.{k}": [None, v] for k, v in snapshot(session, FIELDS).items() if v},
                 effective_on=min(local_day, local_today()), via=via)
    if case.status == Status.ACCEPTED:
        start_mediation(case, actor, on=min(local_day, local_today()), via=via)
    db.session.flush()
    return session
