"""The case timeline as people read it: who did what, when, and every value by the name people know it by.

Read once for a whole timeline: the ids its changes hold (mediators, employers, streets …) are looked up
with one query per kind of record, whatever the number of events (:func:`readable`).  The case page, the
printed summary and the API (``GET /api/v1/cases/CASE_NO/events``) all show what this gives.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from mediation.audit.labels import EVENT_GROUPS, Named, event_label, field_label, value_text, via_label
from mediation.audit.models import CaseEvent
from mediation.extensions import db

# Printing a document was once a case event; prints are now kept apart (documents.models.DocumentPrint)
# and these old events, which nothing may delete, are left out of the timeline.
HIDDEN_KINDS = frozenset({"document_rendered"})
# Keys that say what an event is about (the worker or employer a correction concerns), not a change.
SUBJECT_KEYS = ("worker", "employer")
ALL = ""


@dataclass
class Change:
    field: str            # the key as stored: "payment.amount_fen"
    label: str            # as people call it: "Payment · Amount"
    before: str | None    # as people read it; None for nothing
    after: str | None


@dataclass
class Entry:
    id: int
    kind: str
    label: str
    actor: str | None     # the person's name; None for a change made by the system or an import
    via: str
    via_label: str
    at: dt.datetime       # when it was recorded (UTC)
    effective_on: dt.date  # the day it happened in the world
    reason: str
    subject: tuple[str, str] | None = None  # ("Applicant", "张三")
    changes: list[Change] = field(default_factory=list)


@dataclass
class Timeline:
    entries: list[Entry]                      # oldest first
    group: str                                # the filter shown ("" for every event)
    groups: list[tuple[str, str, int]]        # (code, label, number of events) for the filter's links


def case_events(case) -> list[CaseEvent]:
    """The case's events, oldest first, with their actors (one query each)."""
    return db.session.scalars(
        sa.select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind.not_in(HIDDEN_KINDS))
        .options(selectinload(CaseEvent.actor))
        .order_by(CaseEvent.id)
    ).all()


def group_kinds(group: str) -> frozenset[str] | None:
    """The kinds in a filter group; None for every kind (an unknown group shows everything)."""
    return EVENT_GROUPS[group][1] if group in EVENT_GROUPS else None


def case_timeline(case, *, group: str = ALL, full_personal_data: bool) -> Timeline:
    """The case's timeline, or the part of it in ``group``, with the filter's groups and their counts."""
    events = case_events(case)
    kinds = group_kinds(group)
    groups = [(ALL, str(_l("All")), len(events))] + [
        (code, str(label), sum(1 for e in events if e.kind in members))
        for code, (label, members) in EVENT_GROUPS.items()
    ]
    shown = events if kinds is None else [e for e in events if e.kind in kinds]
    return Timeline(entries=readable(shown, full_personal_data=full_personal_data),
                    group=group if kinds is not None else ALL, groups=groups)


def readable(events, *, full_personal_data: bool) -> list[Entry]:
    """The events as people read them; every id they hold looked up once, one query per kind of record."""
    wanted: dict[Named, set] = defaultdict(set)

    def note_wanted(named: Named, record_id) -> str:
        wanted[named].add(record_id)
        return ""

    for event in events:  # a first reading only notes the ids to look up
        _entry(event, full_personal_data, note_wanted)
    found: dict[tuple[Named, object], str] = {}
    for named, ids in wanted.items():
        model = named.model
        for record in db.session.scalars(sa.select(model).where(model.id.in_(ids))):
            found[(named, record.id)] = str(named.name(record))
    return [_entry(event, full_personal_data, lambda named, record_id: found.get((named, record_id)))
            for event in events]


def _entry(event: CaseEvent, full: bool, names) -> Entry:
    entry = Entry(
        id=event.id, kind=event.kind, label=str(event_label(event.kind)),
        actor=event.actor.name if event.actor is not None else None,
        via=event.via, via_label=str(via_label(event.via)),
        at=event.occurred_at, effective_on=event.effective_on, reason=event.note or "",
    )
    for name, pair in (event.changes or {}).items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        before_text = value_text(name, before, full_personal_data=full, names=names) or None
        after_text = value_text(name, after, full_personal_data=full, names=names) or None
        if name in SUBJECT_KEYS:
            entry.subject = (str(field_label(name)), _subject(before_text, after_text))
            continue
        entry.changes.append(Change(field=name, label=str(field_label(name)), before=before_text,
                                    after=after_text))
    return entry


def _subject(before: str | None, after: str | None) -> str:
    if before and after and before != after:
        return _("%(before)s → %(after)s", before=before, after=after)
    return after or before or "—"
