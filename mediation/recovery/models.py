"""Mediation agreements (调解协议书), their performance schedule, and payments received."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit.labels import label_ids, label_values, show_value
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


label_values(PerformanceMethod, "agreement.performance_method")


class Agreement(db.Model):
    """The written agreement (Art. 14; 人社部令第17号 on its content), as it stands now.

    ``case.agreement`` is always the current version.  A mistake in it is corrected in place before any
    payment (the timeline keeps the before and after); once money has been paid, a change the parties
    agree is an amendment: the version it supersedes is kept, unchanged, as an :class:`AgreementVersion`
    and the number goes up.
    """

    __tablename__ = "agreements"
    __table_args__ = (
        sa.CheckConstraint("agreed_fen >= 0", name="agreed_nonnegative"),
        sa.CheckConstraint("agreed_as_signed_fen >= 0", name="agreed_as_signed_nonnegative"),
        sa.CheckConstraint("version_no >= 1", name="version_no_positive"),
    )

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
    # The amount as signed (a correction changes it, an amendment does not): the month the case was
    # mediated reports what was agreed then, whatever the parties agree later.
    agreed_as_signed_fen: Mapped[int] = mapped_column(sa.BigInteger)
    # 1 as signed; each amendment adds one (the versions before it are ``versions``).
    version_no: Mapped[int] = mapped_column(default=1, server_default="1")
    amended_on: Mapped[dt.date | None]

    case = relationship("Case", back_populates="agreement")
    shares: Mapped[list[AgreementShare]] = relationship(cascade="all, delete-orphan")
    instalments: Mapped[list[Instalment]] = relationship(
        cascade="all, delete-orphan", order_by="Instalment.due_on"
    )
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", order_by="AgreementVersion.number", cascade="save-update, merge"
    )


class AgreementVersion(db.Model):
    """A version of an agreement that a later amendment superseded, kept exactly as it was (never changed).

    The workers' names are kept with their amounts, so the version reads the same after a worker's
    particulars are corrected.
    """

    __tablename__ = "agreement_versions"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "number", name="uq_agreement_versions_number"),
        sa.CheckConstraint("agreed_fen >= 0", name="agreed_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id"), index=True)
    number: Mapped[int]
    # In force from (the signing, or the amendment that made it) until superseded (the next amendment).
    valid_from: Mapped[dt.date]
    superseded_on: Mapped[dt.date]
    signed_on: Mapped[dt.date]
    effective_on: Mapped[dt.date]
    agreed_fen: Mapped[int] = mapped_column(sa.BigInteger)
    performance_deadline: Mapped[dt.date | None]
    performance_method: Mapped[PerformanceMethod] = mapped_column(
        enum_column(PerformanceMethod, "performance_method"))
    terms: Mapped[str] = mapped_column(sa.Text, default="")
    # [{"worker_id", "name", "agreed_fen"}] and [{"due_on", "amount_fen", "worker_id", "name"}]
    shares: Mapped[list] = mapped_column(sa.JSON, default=list)
    instalments: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The amendment that superseded it: who, when, why.
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    superseded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text, default="")

    agreement = relationship("Agreement", back_populates="versions")
    superseded_by = refers_to("User")

    @property
    def instalment_rows(self) -> list[tuple[dt.date, int, str]]:
        return [(dt.date.fromisoformat(i["due_on"]), i["amount_fen"], i.get("name") or "")
                for i in self.instalments]


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
    """Money the worker actually received (实际兑现), dated when it was paid; or the entry reversing one.

    A payment is never edited or deleted.  One recorded by mistake is reversed by a second entry of the
    opposite amount, for the same worker, dated the day of the reversal and with the reason as its note
    (``reverses``): every sum of ``amount_fen`` — the case's recovered amount, a worker's, a month's in
    the reports — is then net of reversals, and a period counts a reversal when it was made.
    """

    __tablename__ = "payments"
    __table_args__ = (
        sa.CheckConstraint("(reverses_id IS NULL AND amount_fen > 0) OR (reverses_id IS NOT NULL AND amount_fen < 0)",
                           name="amount_sign"),
        # A payment is reversed at most once.
        sa.UniqueConstraint("reverses_id", name="uq_payments_reverses_id"),
    )

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
    reverses_id: Mapped[int | None] = mapped_column(sa.ForeignKey("payments.id"))

    case = relationship("Case", back_populates="payments")
    worker = refers_to("Worker")
    recorded_by = refers_to("User")
    reverses: Mapped[Payment | None] = relationship(
        remote_side=[id], foreign_keys=[reverses_id], back_populates="reversed_by", cascade="")
    reversed_by: Mapped[Payment | None] = relationship(
        foreign_keys=[reverses_id], back_populates="reverses", uselist=False, cascade="")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None or self.reverses is not None

    @property
    def is_reversed(self) -> bool:
        return self.reversed_by is not None


# The timeline names a reversed payment by its date and amount.
label_ids(Payment, "payment.reversed_id",
          name=lambda payment: show_value("payment", {"paid_on": payment.paid_on, "amount_fen": payment.amount_fen}))
