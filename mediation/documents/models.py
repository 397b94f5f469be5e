"""Who printed which of a case's documents, when: kept apart from the case's timeline.

Printing changes nothing about a case, so it is no event on the timeline (and does not change the case's
``version``); but the agreement and the payment-order application carry full ID numbers, so each print
is kept.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime
from mediation.extensions import db, refers_to


class DocumentPrint(db.Model):
    """One document of a case printed (or downloaded): which kind, in which language, by whom, how."""

    __tablename__ = "document_prints"
    __table_args__ = (
        sa.Index("ix_document_prints_case", "case_id", "id"),
        sa.CheckConstraint("language IN ('zh', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(sa.String(30))  # documents.kinds.KINDS
    # NULL only for a print copied from the timeline of old (revision 0009) whose language it did not say.
    language: Mapped[str | None] = mapped_column(sa.String(5))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # 'web', 'api', 'cli' …: how it was asked for (the command line prints without a user).
    via: Mapped[str] = mapped_column(sa.String(20), default="web")
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = refers_to("User")
