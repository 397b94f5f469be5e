"""Cases, their workers, and employers."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit.labels import label_ids, label_values
from mediation.cases.workflow import Status, queue_tier_sql
from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime, enum_column
from mediation.extensions import db, refers_to


class Channel(enum.Enum):
    WALK_IN = "walk_in"
    HOTLINE_12351 = "hotline_12351"
    ONLINE = "online"
    REFERRAL = "referral"
    STREET_STATION = "street_station"

    @property
    def label(self):
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.WALK_IN: _l("Walk-in"),
    Channel.HOTLINE_12351: _l("12351 hotline"),
    Channel.ONLINE: _l("Online"),
    Channel.REFERRAL: _l("Referral"),
    Channel.STREET_STATION: _l("Street union service station"),
}
CHANNEL_ZH = {
    Channel.WALK_IN: "来访",
    Channel.HOTLINE_12351: "12351热线",
    Channel.ONLINE: "网上",
    Channel.REFERRAL: "转办",
    Channel.STREET_STATION: "街道工会服务站",
}


class ApplicationForm(enum.Enum):
    WRITTEN = "written"  # 书面申请
    ORAL = "oral"        # 口头申请: the mediator records it (Art. 12)

    @property
    def label(self):
        return {ApplicationForm.WRITTEN: _l("Written"), ApplicationForm.ORAL: _l("Oral")}[self]


class GreenChannelSource(enum.Enum):
    AUTOMATIC = "automatic"
    MANUAL = "manual"

    @property
    def label(self):
        return {
            GreenChannelSource.AUTOMATIC: _l("Automatic: a migrant worker's pay claim"),
            GreenChannelSource.MANUAL: _l("Marked by a supervisor"),
        }[self]


label_values(Status, "status", "outcome")
label_values(Channel, "channel")
label_values(ApplicationForm, "application_form")
label_values(GreenChannelSource, "green_channel_source")


class Employer(db.Model):
    """The respondent (被申请人/用人单位), shared by all its cases."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    legal_representative: Mapped[str] = mapped_column(sa.String(100), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(100), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="", index=True)
    street_id: Mapped[int | None] = mapped_column(sa.ForeignKey("streets.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    street = refers_to("Street")


class CaseNumberCounter(db.Model):
    """The last sequence number given out in a year; bumped in the transaction that registers the case."""

    __tablename__ = "case_number_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(default=0)


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        sa.UniqueConstraint("number_year", "number_seq", name="uq_cases_number"),
        sa.CheckConstraint("claimed_fen >= 0", name="claimed_nonnegative"),
        sa.CheckConstraint("recovered_fen >= 0", name="recovered_nonnegative"),
        sa.CheckConstraint("workers_count >= 1", name="workers_count_positive"),
        sa.CheckConstraint(
            "green_channel = false OR green_channel_source IS NOT NULL", name="green_channel_has_source"
        ),
        sa.CheckConstraint(
            "outcome_on IS NULL OR outcome_on >= received_on", name="outcome_after_received"
        ),
        sa.Index("ix_cases_queue", "queue_tier", "received_on", "id"),
        sa.Index("ix_cases_status_queue", "status", "queue_tier", "received_on", "id"),
        # An employer's cases (a search by employer, the employer pages: newest first, the last 12 months),
        # read from the index alone.
        sa.Index("ix_cases_employer_received", "employer_id", "received_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(sa.String(40), unique=True)
    number_year: Mapped[int | None]
    number_seq: Mapped[int | None]

    # Art. 12: when, how and through which channel the application came.
    received_on: Mapped[dt.date] = mapped_column(index=True)
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    application_form: Mapped[ApplicationForm] = mapped_column(
        enum_column(ApplicationForm, "application_form"), default=ApplicationForm.WRITTEN
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"), default=Channel.WALK_IN)

    dispute_type_id: Mapped[int] = mapped_column(sa.ForeignKey("dispute_types.id"), index=True)
    employer_id: Mapped[int] = mapped_column(sa.ForeignKey("employers.id"))  # ix_cases_employer_received
    street_id: Mapped[int | None] = mapped_column(sa.ForeignKey("streets.id"), index=True)
    # Art. 12: the matters claimed (请求事项) and the facts and reasons (事实与理由).
    matters: Mapped[str] = mapped_column(sa.Text, default="")
    reasons: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    status: Mapped[Status] = mapped_column(enum_column(Status, "case_status"), default=Status.RECEIVED)
    # The status a closed case closed from (mediated, failed, withdrawn) or 'rejected'.
    outcome: Mapped[Status | None] = mapped_column(enum_column(Status, "case_outcome"))
    # Derived by the database from status and green channel (see workflow.queue_tier_sql), indexed for the queue.
    queue_tier: Mapped[int] = mapped_column(sa.SmallInteger, sa.Computed(queue_tier_sql(), persisted=True))

    green_channel: Mapped[bool] = mapped_column(default=False, index=True)
    green_channel_source: Mapped[GreenChannelSource | None] = mapped_column(
        enum_column(GreenChannelSource, "green_channel_source")
    )
    green_channel_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # When a supervisor marked it (its targets run from then); automatic marking runs from receipt.
    green_channel_marked_on: Mapped[dt.date | None]

    assigned_mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    # Key dates, each the local date the event happened (reports count by them).
    accepted_on: Mapped[dt.date | None] = mapped_column(index=True)
    rejected_on: Mapped[dt.date | None] = mapped_column(index=True)
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    mediation_started_on: Mapped[dt.date | None]
    # 人社部令第17号: mediation goes beyond its 15 days only as both parties agree (when they did, and until when).
    mediation_extended_until: Mapped[dt.date | None]
    mediation_extension_agreed_on: Mapped[dt.date | None]
    outcome_on: Mapped[dt.date | None] = mapped_column(index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(index=True)
    withdrawal_reason: Mapped[str] = mapped_column(sa.Text, default="")
    failure_reason: Mapped[str] = mapped_column(sa.Text, default="")

    # Art. 27 limitation: when the worker knew or should have known of the infringement; whether the
    # worker is still employed, and when the employment ended (pay arrears during the employment run no
    # limitation until it ends).  Interruptions are recorded as LimitationInterruption rows.
    dispute_arose_on: Mapped[dt.date | None]
    still_employed: Mapped[bool | None]
    employment_ended_on: Mapped[dt.date | None]

    # Arbitration (Art. 43): tracked once a failed case goes there.
    arbitration_applied_on: Mapped[dt.date | None]
    arbitration_accepted_on: Mapped[dt.date | None]
    arbitration_extended: Mapped[bool] = mapped_column(default=False)
    arbitration_award_on: Mapped[dt.date | None]

    # Totals kept by the services from workers and payments (for lists and reports); the agreed amount is
    # the agreement's own (:attr:`agreed_fen`).
    workers_count: Mapped[int] = mapped_column(default=1)
    claimed_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    recovered_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: two people saving the same case at once cannot overwrite each other.
    version: Mapped[int] = mapped_column(default=1)
    # The database's queue_tier is read when it is first asked for after a write, not returned by every
    # INSERT: a RETURNING that SQLite cannot pair with a batch's rows would insert cases one statement each.
    __mapper_args__ = {"version_id_col": version, "eager_defaults": False}

    dispute_type = refers_to("DisputeType")
    employer: Mapped[Employer] = refers_to(Employer)
    street = refers_to("Street")
    assigned_mediator = refers_to("User", foreign_keys=[assigned_mediator_id])
    created_by = refers_to("User", foreign_keys=[created_by_id])
    # The applicants on the case now; one removed by a correction stays on record (removed_on set) and is
    # read through ``all_workers``.  Nothing deletes a worker, so no delete cascade.
    workers: Mapped[list[Worker]] = relationship(
        back_populates="case", order_by="Worker.position", cascade="save-update, merge",
        primaryjoin="and_(Case.id == Worker.case_id, Worker.removed_on.is_(None))",
    )
    all_workers: Mapped[list[Worker]] = relationship(viewonly=True, order_by="Worker.position")
    # The timeline as read; events are written on their own (audit.services.record_event), never through
    # this collection, so that recording one costs no collection bookkeeping.
    events = relationship("CaseEvent", order_by="CaseEvent.id", viewonly=True)
    sessions = relationship(
        "MediationSession", back_populates="case", order_by="MediationSession.held_at"
    )
    agreement = relationship("Agreement", back_populates="case", uselist=False)
    payments = relationship("Payment", back_populates="case", order_by="Payment.paid_on")
    # The live referral (a reversed one is kept apart: ``reversed_referrals``).  Written through the
    # legal-aid services, which keep this attribute in step.
    legal_aid = relationship(
        "LegalAidReferral", uselist=False, viewonly=True,
        primaryjoin="and_(Case.id == LegalAidReferral.case_id, LegalAidReferral.reversed_on.is_(None))")
    reversed_referrals = relationship(
        "LegalAidReferral", viewonly=True, order_by="LegalAidReferral.id",
        primaryjoin="and_(Case.id == LegalAidReferral.case_id, LegalAidReferral.reversed_on.is_not(None))")
    limitation_interruptions: Mapped[list[LimitationInterruption]] = relationship(
        back_populates="case", order_by="LimitationInterruption.on")
    # The clocks as last worked out (mediation.clocks keeps them); read, never written, through this.
    deadline_rows: Mapped[list[CaseDeadline]] = relationship(viewonly=True, order_by="CaseDeadline.due_on")

    @hybrid_property
    def agreed_fen(self) -> int | None:
        """The amount agreed (调解协议金额): the agreement's, ``None`` without one."""
        return self.agreement.agreed_fen if self.agreement is not None else None

    @agreed_fen.inplace.expression
    @classmethod
    def _agreed_fen_expression(cls):
        # The agreement's model sits in a higher area (recovery); its mapper is reached through the relationship.
        agreement = sa.inspect(cls).relationships["agreement"].entity.class_
        return (sa.select(agreement.agreed_fen).where(agreement.case_id == cls.id)
                .correlate(cls).scalar_subquery())

    @property
    def first_worker(self) -> Worker | None:
        return self.workers[0] if self.workers else None

    @property
    def is_group_case(self) -> bool:
        return self.workers_count >= 10

    @property
    def has_migrant_worker(self) -> bool:
        return any(w.migrant_worker for w in self.workers)

    def __repr__(self) -> str:
        return f"<Case {self.case_no} {self.status.value}>"


class Worker(db.Model):
    """An applicant (申请人/劳动者); a group case (Art. 7) has many, each with their own claim."""

    __tablename__ = "workers"
    __table_args__ = (sa.CheckConstraint("claimed_fen >= 0", name="claimed_nonnegative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(100), index=True)
    id_number: Mapped[str | None] = mapped_column(sa.String(18), index=True)
    phone: Mapped[str] = mapped_column(sa.String(30), default="", index=True)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    migrant_worker: Mapped[bool] = mapped_column(default=False)
    is_representative: Mapped[bool] = mapped_column(default=False)
    claimed_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    # Removed from the case by a correction (the event keeps who, when and why): kept, no longer listed.
    removed_on: Mapped[dt.date | None]

    case: Mapped[Case] = relationship(back_populates="workers")


label_ids(Employer, "employer_id")  # the timeline shows names, not ids
label_ids(Worker, "worker_id")

class InterruptionKind(enum.Enum):
    """Art. 27 para. 2: what interrupted the limitation period (it then runs again in full)."""

    CLAIM = "claim"                                  # the worker claimed from the employer
    APPLICATION = "application"                      # an application to a competent body
    AGREEMENT_TO_PERFORM = "agreement_to_perform"    # the employer agreed to perform

    @property
    def label(self):
        return {
            InterruptionKind.CLAIM: _l("The worker claimed from the employer"),
            InterruptionKind.APPLICATION: _l("An application to a competent body"),
            InterruptionKind.AGREEMENT_TO_PERFORM: _l("The employer agreed to perform"),
        }[self]


label_values(InterruptionKind, "limitation.kind")


class LimitationInterruption(db.Model):
    __tablename__ = "limitation_interruptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    on: Mapped[dt.date]
    kind: Mapped[InterruptionKind] = mapped_column(enum_column(InterruptionKind, "interruption_kind"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="limitation_interruptions")


class CaseDeadline(db.Model):
    """One clock of a case, as last worked out: kept current in the transaction of every change to the
    case, so that "what is overdue, what is due within N days" is one indexed query."""

    __tablename__ = "case_deadlines"
    __table_args__ = (
        sa.Index("ix_case_deadlines_open", "due_on", "case_id",
                 sqlite_where=sa.text("met_on IS NULL AND info = 0"),
                 postgresql_where=sa.text("met_on IS NULL AND NOT info")),
    )

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=0)
    due_on: Mapped[dt.date]
    met_on: Mapped[dt.date | None]
    # Information only (the optional joint arbitral review …): never overdue.
    info: Mapped[bool] = mapped_column(default=False)
    # The legal basis it runs under (a key of mediation.clocks.rules.BASES) and the number that basis names
    # (a green-channel target's days), so that a list of deadlines can say why without working them out.
    basis: Mapped[str] = mapped_column(sa.String(30), default="", server_default="")
    basis_n: Mapped[int] = mapped_column(default=0, server_default="0")

    case: Mapped[Case] = relationship(viewonly=True)
