"""Mediation sessions (调解会) and their records."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime
from mediation.extensions import db, refers_to


class MediationSession(db.Model):
    __tablename__ = "mediation_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    held_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    attendees: Mapped[str] = mapped_column(sa.Text, default="")
    record: Mapped[str] = mapped_column(sa.Text, default="")  # 调解记录
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="sessions")
    mediator = refers_to("User")
