"""Writing the timeline.  Every service that changes a case calls :func:`record_event`."""
from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any, Iterable

from mediation.audit.models import CaseEvent
from mediation.core.timeutil import local_today
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
                 effective_on: dt.date | None = None, via: str = "web") -> CaseEvent:
    """Add an event to ``case``'s timeline in the current transaction (flushed, not committed)."""
    event = CaseEvent(
        case=case,
        actor_id=getattr(actor, "id", None),
        via=via,
        kind=kind,
        effective_on=effective_on or local_today(),
        changes=changes or {},
        note=note or "",
    )
    db.session.add(event)
    return event
