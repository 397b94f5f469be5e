"""The case timeline: one append-only audit model for every change to a case."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime
from mediation.extensions import db, refers_to


class CaseEvent(db.Model):
    """Who did what to which case, when, with the values before and after.

    ``occurred_at`` is when it was recorded (UTC); ``effective_on`` the local date the event happened in
    the world (a ledger import records last year's acceptance today, dated last year).
    Events are never edited or deleted: the ORM refuses, and database triggers refuse too.
    """

    __tablename__ = "case_events"
    __table_args__ = (sa.Index("ix_case_events_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # 'web', 'api', 'import', 'cli', 'system': how the change came in.
    via: Mapped[str] = mapped_column(sa.String(20), default="web")
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    effective_on: Mapped[dt.date] = mapped_column(index=True)
    # {field: [before, after]} with JSON-safe values (amounts in fen, dates ISO).
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    case = refers_to("Case")
    actor = refers_to("User")


class ImmutableEventError(RuntimeError):
    pass




class AdminEvent(db.Model):
    """Who changed the office's set-up, when, and what: accounts, API tokens, reference lists.

    The admin log, as :class:`CaseEvent` is a case's: written in the same transaction as the change,
    never edited or deleted.  ``subject_label`` keeps what the subject was called (a deleted street keeps
    its name here).
    """

    __tablename__ = "admin_events"
    __table_args__ = (sa.Index("ix_admin_events_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(sa.String(20), default="web")
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    subject_type: Mapped[str] = mapped_column(sa.String(30))
    subject_id: Mapped[int | None]
    subject_label: Mapped[str] = mapped_column(sa.String(200), default="")
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # {field: [before, after]} with JSON-safe values; never a password or a token.
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    actor = refers_to("User")


def _refuse(mapper, connection, target):
    raise ImmutableEventError(f"{mapper.local_table.name} are never edited or deleted")


# The ORM refuses to change a record of either log; the database's triggers refuse too (migrations).
for _model in (CaseEvent, AdminEvent):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
