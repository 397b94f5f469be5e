"""The State Council's yearly schedule, as the office enters or imports it: days off and working days."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime, enum_column
from mediation.extensions import db


class DayKind(enum.Enum):
    HOLIDAY = "holiday"  # a day off (a public holiday, or a working day moved into a holiday)
    WORKDAY = "workday"  # a weekend day worked in exchange (调休)

    @property
    def label(self):
        return {DayKind.HOLIDAY: _l("Day off"), DayKind.WORKDAY: _l("Working day")}[self]


class CalendarDay(db.Model):
    """One day of the published schedule; it takes precedence over the statutory rules and the weekend."""

    __tablename__ = "calendar_days"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    kind: Mapped[DayKind] = mapped_column(enum_column(DayKind, "day_kind"))
    note: Mapped[str] = mapped_column(sa.String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
