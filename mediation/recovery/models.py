"""Mediation agreements (调解协议书), their performance schedule, and payments received."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime, enum_column
from mediation.extensions import db, refers_to


class PerformanceMethod(enum.Enum):
    LUMP_SUM = "lump_sum"        # 一次性履行
    INSTALMENTS = "instalments"  # 分期履行
    OTHER = "other"

    @property
    def label(self):
        return {
            PerformanceMethod.LUMP_SUM: _l("In one payment"),
            PerformanceMethod.INSTALMENTS: _l("In instalments"),
            PerformanceMethod.OTHER: _l("Other"),
        }[self]


class Agreement(db.Model):
    """The written agreement (Art. 14; 人社部令第17号 on its content)."""

    __tablename__ = "agreements"
    __table_args__ = (sa.CheckConstraint("agreed_fen >= 0", name="agreed_nonnegative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), unique=True)
    signed_on: Mapped[dt.date]
    effective_on: Mapped[dt.date]
    agreed_fen: Mapped[int] = mapped_column(sa.BigInteger)
    performance_deadline: Mapped[dt.date | None]
    performance_method: Mapped[PerformanceMethod] = mapped_column(
        enum_column(PerformanceMethod, "performance_method"), default=PerformanceMethod.LUMP_SUM
    )
    terms: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="agreement")
    shares: Mapped[list[AgreementShare]] = relationship(cascade="all, delete-orphan")
    instalments: Mapped[list[Instalment]] = relationship(
        cascade="all, delete-orphan", order_by="Instalment.due_on"
    )


class AgreementShare(db.Model):
    """One worker's agreed amount."""

    __tablename__ = "agreement_shares"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "worker_id", name="uq_agreement_shares_worker"),
        sa.CheckConstraint("agreed_fen >= 0", name="agreed_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"))
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"))
    agreed_fen: Mapped[int] = mapped_column(sa.BigInteger)

    worker = refers_to("Worker")


class Instalment(db.Model):
    __tablename__ = "instalments"
    __table_args__ = (sa.CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"))
    worker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workers.id"))
    due_on: Mapped[dt.date]
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)

    worker = refers_to("Worker")


class Payment(db.Model):
    """Money the worker actually received (实际兑现), dated when it was paid."""

    __tablename__ = "payments"
    __table_args__ = (sa.CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workers.id"))
    instalment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("instalments.id"))
    paid_on: Mapped[dt.date] = mapped_column(index=True)
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    method: Mapped[str] = mapped_column(sa.String(50), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="payments")
    worker = refers_to("Worker")
