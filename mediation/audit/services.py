"""Writing the timeline.  Every service that changes a case calls :func:`record_event`."""
from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_dirty

from mediation.audit.models import AdminEvent, CaseEvent
from mediation.core.context import current_via
from mediation.core.timeutil import local_today, utcnow
from mediation.extensions import db


_PLAIN = (str, int, bool, float, type(None))


def json_value(value: Any) -> Any:
    if type(value) in _PLAIN:  # most fields; exact types, so str- and int-based enums go on below
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, db.Model):
        return getattr(value, "id", None)
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {f: json_value(getattr(obj, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def record_event(case, actor, kind: str, changes: dict | None = None, *, note: str = "",
                 effective_on: dt.date | None = None) -> None:
    """Add an event to ``case``'s timeline in the current transaction.

    The event is written with the case, by the flush that writes the case (or the next one): a row of its
    own, never an object to keep track of, because a timeline is only ever appended to and a ledger
    import records hundreds of thousands of events.  How the change came in (web, API, import …) is the
    edge's to say (:mod:`mediation.core.context`).
    """
    row = {
        "actor_id": getattr(actor, "id", None),  # may load the actor, and flush: before the queue is taken
        "via": current_via(),
        "kind": kind,
        "occurred_at": utcnow(),
        "effective_on": effective_on or local_today(),
        "changes": changes or {},
        "note": note or "",
    }
    session = db.session()
    session.info.setdefault(_PENDING, []).append((case, row))
    if sa.inspect(case).pending:
        return
    if kind in NOT_CHANGES:
        flag_dirty(case)  # so that the next flush runs, and writes the event, even if nothing else changed
    else:
        # Every change to the case changes its version (CONTRACTS §8), also one that writes only rows of
        # its own (a session, an interruption, a referral): whoever edits from an older reading gets a 409.
        case.updated_at = utcnow()


_PENDING = "mediation.pending_case_events"
# Events that record something done with the case, not a change to it: its version stays.
NOT_CHANGES = frozenset({"document_rendered"})


@event.listens_for(Session, "after_flush")
def _write_pending_events(session, _flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    rows = []
    for case, row in pending:
        if case.id is None:
            raise RuntimeError(f"an event ({row['kind']}) for a case that is not in the session")
        rows.append({"case_id": case.id, **row})
    session.connection().execute(sa.insert(CaseEvent.__table__), rows)
    for case, _row in pending:
        # A timeline already read in this transaction reads again, with the new events.
        if "events" in sa.inspect(case).dict:
            session.expire(case, ["events"])


@event.listens_for(Session, "before_commit")
def _write_events_left(session) -> None:
    # Events of records still to be written go with them; any left over (their case was no longer in the
    # session) are written now, in this transaction, all the same.
    if session.info.get(_PENDING):
        session.flush()
        _write_pending_events(session, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending_events(session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def record_admin_event(actor, kind: str, subject, changes: dict | None = None, *, note: str = "") -> AdminEvent:
    """Add a change to the office's set-up to the admin log, in the current transaction.

    ``subject`` is the record changed (a user, a token, a street …): its type and id are kept, and its
    name as it is now (``label`` or ``name`` or ``username``), so the log reads well after a deletion.
    """
    if sa.inspect(subject).pending:
        db.session.flush()  # a new user or street: its id is what the log refers to
    event = AdminEvent(
        actor_id=getattr(actor, "id", None),
        via=current_via(),
        kind=kind,
        subject_type=type(subject).__tablename__,
        subject_id=getattr(subject, "id", None),
        subject_label=str(_subject_label(subject))[:200],
        changes=changes or {},
        note=note or "",
    )
    db.session.add(event)
    return event


def _subject_label(subject) -> str:
    for attr in ("username", "name", "code", "name_zh", "prefix", "key", "from_on", "day"):
        value = getattr(subject, attr, None)
        if value:
            return str(value)
    return ""
