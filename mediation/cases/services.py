"""The case verbs: each checks the move, changes the records, writes the audit event, and flushes.

The caller (a request, a CLI command) commits once.  Errors meant for the user are
:class:`~mediation.cases.workflow.TransitionError` (a forbidden or invalid move) with a translated message.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.services import diff, json_value, record_event, snapshot
from mediation.cases.models import (
    ApplicationForm,
    Case,
    Channel,
    Employer,
    GreenChannelSource,
    Worker,
)
from mediation.cases.numbering import allocate_case_number
from mediation.cases.workflow import ACTION_LABELS, Status, TransitionError, is_allowed
from mediation.core.money import yuan_to_fen
from mediation.core.timeutil import local_today, utcnow
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street

CASE_AUDIT_FIELDS = (
    "case_no", "received_on", "application_form", "channel", "dispute_type_id", "employer_id",
    "street_id", "matters", "reasons", "notes", "status", "outcome", "green_channel",
    "green_channel_source", "green_channel_reason", "assigned_mediator_id", "accepted_on",
    "rejected_on", "rejection_reason", "mediation_started_on", "mediation_extended_until",
    "outcome_on", "closed_on", "withdrawal_reason", "failure_reason", "dispute_arose_on",
    "employment_ended_on", "workers_count", "claimed_fen", "agreed_fen", "recovered_fen",
)
WORKER_AUDIT_FIELDS = ("name", "id_number", "phone", "address", "migrant_worker",
                       "is_representative", "claimed_fen")


@dataclass
class EmployerData:
    name: str
    credit_code: str | None = None
    address: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""


@dataclass
class WorkerData:
    name: str
    id_number: str | None = None
    phone: str = ""
    address: str = ""
    migrant_worker: bool = False
    is_representative: bool = False
    claimed: Decimal | None = None


@dataclass
class IntakeData:
    received_on: dt.date
    dispute_type: DisputeType
    employer: EmployerData | Employer
    workers: list[WorkerData]
    channel: Channel = Channel.WALK_IN
    application_form: ApplicationForm = ApplicationForm.WRITTEN
    street: Street | None = None
    matters: str = ""
    reasons: str = ""
    notes: str = ""
    workers_count: int | None = None
    claimed_total: Decimal | None = None
    dispute_arose_on: dt.date | None = None
    employment_ended_on: dt.date | None = None
    case_no: str | None = None
    received_at: dt.datetime | None = None
    extra_event_changes: dict = field(default_factory=dict)


def find_or_create_employer(data: EmployerData, street: Street | None = None) -> Employer:
    """The employer with this credit code, else one of this exact name without a code, else a new one."""
    employer = None
    if data.credit_code:
        employer = db.session.scalar(sa.select(Employer).where(Employer.credit_code == data.credit_code))
    if employer is None:
        query = sa.select(Employer).where(Employer.name == data.name.strip())
        if data.credit_code:
            query = query.where(Employer.credit_code.is_(None))
        employer = db.session.scalars(query.order_by(Employer.id).limit(1)).first()
        if employer is not None and data.credit_code:
            employer.credit_code = data.credit_code
    if employer is None:
        employer = Employer(name=data.name.strip(), credit_code=data.credit_code or None)
        db.session.add(employer)
    for attr in ("address", "legal_representative", "contact_name", "contact_phone"):
        value = getattr(data, attr)
        if value and not getattr(employer, attr):
            setattr(employer, attr, value)
    if street is not None and employer.street_id is None:
        employer.street = street
    return employer


def qualifies_for_green_channel(dispute_type: DisputeType, workers: list[Worker]) -> bool:
    """A migrant worker's claim for unpaid pay enters the green channel by itself (Decree 724)."""
    return dispute_type.is_pay_claim and any(w.migrant_worker for w in workers)


def register_case(data: IntakeData, actor, *, via: str = "web") -> Case:
    """登记: register a new case, allocating its number; returns the flushed case."""
    if not data.workers:
        raise TransitionError(_("A case needs at least one applicant."))
    if data.received_on > local_today():
        raise TransitionError(_("The date received cannot be in the future."))
    employer = data.employer
    if isinstance(employer, EmployerData):
        employer = find_or_create_employer(employer, data.street)
    case = Case(
        received_on=data.received_on,
        received_at=data.received_at or (utcnow() if data.received_on == local_today() else None),
        application_form=data.application_form,
        channel=data.channel,
        dispute_type=data.dispute_type,
        employer=employer,
        street=data.street,
        matters=data.matters,
        reasons=data.reasons,
        notes=data.notes,
        dispute_arose_on=data.dispute_arose_on,
        employment_ended_on=data.employment_ended_on,
        status=Status.RECEIVED,
        created_by_id=getattr(actor, "id", None),
    )
    for position, w in enumerate(data.workers):
        case.workers.append(Worker(
            position=position, name=w.name.strip(), id_number=w.id_number or None,
            phone=w.phone or "", address=w.address or "", migrant_worker=w.migrant_worker,
            is_representative=w.is_representative, claimed_fen=yuan_to_fen(w.claimed) or 0,
        ))
    case.workers_count = max(data.workers_count or 0, len(case.workers), 1)
    worker_total = sum(w.claimed_fen for w in case.workers)
    case.claimed_fen = yuan_to_fen(data.claimed_total) if data.claimed_total is not None else worker_total
    if qualifies_for_green_channel(data.dispute_type, case.workers):
        case.green_channel = True
        case.green_channel_source = GreenChannelSource.AUTOMATIC
    if data.case_no:
        case.case_no = data.case_no.strip()
    else:
        case.case_no, case.number_seq = allocate_case_number(data.received_on.year)
        case.number_year = data.received_on.year
    case.refresh_queue_tier()
    db.session.add(case)
    db.session.flush()
    changes = {k: [None, v] for k, v in snapshot(case, CASE_AUDIT_FIELDS).items() if v not in (None, "", False)}
    changes["workers"] = [None, [snapshot(w, WORKER_AUDIT_FIELDS) for w in case.workers]]
    changes.update(data.extra_event_changes)
    record_event(case, actor, "registered", changes, effective_on=data.received_on, via=via)
    if case.green_channel:
        record_event(case, actor, "green_channel",
                     {"green_channel": [False, True], "green_channel_source": [None, "automatic"]},
                     effective_on=data.received_on, via=via)
    db.session.flush()
    return case


def _check_date(case: Case, on: dt.date | None, what) -> dt.date:
    on = on or local_today()
    if on > local_today():
        raise TransitionError(_("%(what)s cannot be dated in the future.", what=what))
    if on < case.received_on:
        raise TransitionError(_("%(what)s cannot be dated before the case was received.", what=what))
    return on


def _move(case: Case, target: Status, actor, *, kind: str, on: dt.date, via: str,
          note: str = "", **changes) -> Case:
    """Apply a transition allowed by the workflow table, with its field changes, and audit it."""
    if not is_allowed(case.status, target):
        raise TransitionError(_(
            "A case that is “%(status)s” cannot be moved to “%(target)s”.",
            status=case.status.label, target=target.label,
        ))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.status = target
    for attr, value in changes.items():
        setattr(case, attr, value)
    case.refresh_queue_tier()
    after = snapshot(case, CASE_AUDIT_FIELDS)
    record_event(case, actor, kind, diff(before, after), note=note, effective_on=on, via=via)
    db.session.flush()
    return case


def accept_case(case: Case, actor, *, on: dt.date | None = None, via: str = "web") -> Case:
    """受理."""
    on = _check_date(case, on, ACTION_LABELS["accept"])
    return _move(case, Status.ACCEPTED, actor, kind="accepted", on=on, via=via, accepted_on=on)


def reject_case(case: Case, actor, reason: str, *, on: dt.date | None = None, via: str = "web") -> Case:
    """不予受理, with a reason."""
    if not reason or not reason.strip():
        raise TransitionError(_("Give the reason for rejecting the case."))
    on = _check_date(case, on, ACTION_LABELS["reject"])
    return _move(case, Status.REJECTED, actor, kind="rejected", on=on, via=via, note=reason,
                 rejected_on=on, outcome_on=on, outcome=Status.REJECTED, rejection_reason=reason.strip())


def start_mediation(case: Case, actor, *, on: dt.date | None = None, via: str = "web") -> Case:
    on = _check_date(case, on, ACTION_LABELS["start_mediation"])
    return _move(case, Status.IN_MEDIATION, actor, kind="mediation_started", on=on, via=via,
                 mediation_started_on=on)


def record_failure(case: Case, actor, reason: str = "", *, on: dt.date | None = None,
                   via: str = "web") -> Case:
    """调解不成: the parties may go to arbitration (and legal aid)."""
    on = _check_date(case, on, ACTION_LABELS["record_failure"])
    return _move(case, Status.FAILED, actor, kind="mediation_failed", on=on, via=via, note=reason,
                 outcome_on=on, outcome=Status.FAILED, failure_reason=(reason or "").strip())


def withdraw_case(case: Case, actor, reason: str = "", *, on: dt.date | None = None,
                  via: str = "web") -> Case:
    """撤回申请."""
    on = _check_date(case, on, ACTION_LABELS["withdraw"])
    return _move(case, Status.WITHDRAWN, actor, kind="withdrawn", on=on, via=via, note=reason,
                 outcome_on=on, outcome=Status.WITHDRAWN, withdrawal_reason=(reason or "").strip())


def mark_mediated(case: Case, actor, *, on: dt.date, agreed_fen: int | None, via: str = "web") -> Case:
    """调解成功: called by :func:`mediation.recovery.services.record_agreement`."""
    on = _check_date(case, on, ACTION_LABELS["record_agreement"])
    return _move(case, Status.MEDIATED, actor, kind="mediated", on=on, via=via,
                 outcome_on=on, outcome=Status.MEDIATED, agreed_fen=agreed_fen)


def close_case(case: Case, actor, note: str = "", *, on: dt.date | None = None, via: str = "web") -> Case:
    """结案, keeping the outcome it closed with."""
    on = _check_date(case, on, ACTION_LABELS["close"])
    if case.outcome_on and on < case.outcome_on:
        raise TransitionError(_("A case cannot be closed before its outcome date."))
    return _move(case, Status.CLOSED, actor, kind="closed", on=on, via=via, note=note, closed_on=on)


TRANSITION_SERVICES = {
    "accept": accept_case,
    "reject": reject_case,
    "start_mediation": start_mediation,
    "record_failure": record_failure,
    "withdraw": withdraw_case,
    "close": close_case,
}


def set_green_channel(case: Case, actor, on: bool, reason: str, *, via: str = "web",
                      effective_on: dt.date | None = None) -> Case:
    """A supervisor puts a case into the green channel (or takes it out), with a reason; dated today
    unless ``effective_on`` says when it happened (demo data, records kept on paper)."""
    if not reason or not reason.strip():
        raise TransitionError(_("Give the reason for changing the green channel."))
    if case.green_channel == on:
        return case
    effective_on = _check_date(case, effective_on, _("Green channel"))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.green_channel = on
    case.green_channel_source = GreenChannelSource.MANUAL if on else None
    case.green_channel_reason = reason.strip()
    case.refresh_queue_tier()
    record_event(case, actor, "green_channel", diff(before, snapshot(case, CASE_AUDIT_FIELDS)),
                 note=reason.strip(), via=via, effective_on=effective_on)
    db.session.flush()
    return case


def assign_mediator(case: Case, actor, mediator, *, via: str = "web", effective_on: dt.date | None = None) -> Case:
    """Assign (or, with ``None``, unassign) the case's mediator; dated today unless ``effective_on``."""
    effective_on = _check_date(case, effective_on, _("Assignment"))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.assigned_mediator = mediator
    case.assigned_mediator_id = getattr(mediator, "id", None)
    after = snapshot(case, CASE_AUDIT_FIELDS)
    if before != after:
        record_event(case, actor, "assigned", diff(before, after), via=via, effective_on=effective_on)
        db.session.flush()
    return case


def update_particulars(case: Case, actor, *, via: str = "web", **values) -> Case:
    """Edit the case's particulars (not its status); records each changed field."""
    allowed = {"matters", "reasons", "notes", "channel", "application_form", "dispute_type",
               "street", "dispute_arose_on", "employment_ended_on", "mediation_extended_until"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = snapshot(case, CASE_AUDIT_FIELDS)
    for attr, value in values.items():
        setattr(case, attr, value)
    db.session.flush()
    changes = diff(before, snapshot(case, CASE_AUDIT_FIELDS))
    if changes:
        record_event(case, actor, "updated", changes, via=via)
        db.session.flush()
    return case


def recompute_claimed(case: Case) -> None:
    case.claimed_fen = sum(w.claimed_fen for w in case.workers)


__all__ = [name for name in globals() if not name.startswith("_")] + ["json_value"]
