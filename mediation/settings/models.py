"""Settings an office changes without a deployment."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime
from mediation.extensions import db


class Setting(db.Model):
    """One named setting (green-channel targets, the office's name …); absent: the configuration's value."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[object] = mapped_column(sa.JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MinimumWage(db.Model):
    """The local monthly minimum wage from a date on (Art. 47 uses the one in force on the claim's date)."""

    __tablename__ = "minimum_wages"
    __table_args__ = (sa.CheckConstraint("monthly_fen > 0", name="monthly_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_on: Mapped[dt.date] = mapped_column(unique=True)
    monthly_fen: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
