"""Mediation sessions (调解会) and their records.

A session is first *scheduled* (a time, a place, who is expected), may be moved or cancelled while it is
still to come, and is recorded as *held* with what happened (调解记录).  A cancelled session is kept, with
its reason; its history is on the case's timeline.
"""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit.labels import label_values
from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime, enum_column
from mediation.extensions import db, refers_to


class SessionStatus(enum.Enum):
    SCHEDULED = "scheduled"  # 已安排
    HELD = "held"            # 已召开
    CANCELLED = "cancelled"  # 已取消

    @property
    def label(self):
        return SESSION_STATUS_LABELS[self]


SESSION_STATUS_LABELS = {
    SessionStatus.SCHEDULED: _l("Scheduled"),
    SessionStatus.HELD: _l("Held"),
    SessionStatus.CANCELLED: _l("Cancelled"),
}

label_values(SessionStatus, "session.status")


class MediationSession(db.Model):
    __tablename__ = "mediation_sessions"
    __table_args__ = (
        sa.CheckConstraint("status <> 'cancelled' OR cancel_reason <> ''", name="cancelled_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    status: Mapped[SessionStatus] = mapped_column(enum_column(SessionStatus, "session_status"),
                                                  default=SessionStatus.SCHEDULED)
    # When it is to be held (scheduled, cancelled) or was held: the agenda and the calendar feed read it.
    held_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    attendees: Mapped[str] = mapped_column(sa.Text, default="")  # expected, then present
    record: Mapped[str] = mapped_column(sa.Text, default="")  # 调解记录
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="sessions")
    mediator = refers_to("User")

    @property
    def scheduled(self) -> bool:
        return self.status == SessionStatus.SCHEDULED

    @property
    def held(self) -> bool:
        return self.status == SessionStatus.HELD

    @property
    def cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED
