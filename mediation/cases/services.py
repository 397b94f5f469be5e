"""The case verbs: each checks the move, changes the records and writes the audit event, in the caller's
transaction.  None commits: the request or the command does, once, at the edge.

Every verb has one shape, ``verb(case, actor, *, on=…, …)``; ``on`` is the local date the thing happened
(today unless told: records kept on paper, a ledger's history).  Refusals are
:class:`~mediation.cases.workflow.TransitionError` with a message for the user.

The verbs do not flush: the unit of work writes their changes when something needs them (a query, the
commit), so that a ledger import of thousands of cases through these same verbs is written a batch at a
time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.services import diff, record_event, snapshot
from mediation.cases.models import (
    ApplicationForm,
    Case,
    Channel,
    Employer,
    GreenChannelSource,
    InterruptionKind,
    LimitationInterruption,
    Worker,
)
from mediation.calendar.working import period_end
from mediation.cases.duplicates import LikelyDuplicate, likely_duplicates, record_duplicate_confirmed
from mediation.cases.numbering import allocate_case_number, claim_case_number
from mediation.cases.workflow import ACTIONS, Reason, Status, TransitionError, action_for
from mediation.core.money import yuan_to_fen
from mediation.core.timeutil import local_today, utcnow
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street

CASE_AUDIT_FIELDS = (
    "case_no", "received_on", "application_form", "channel", "dispute_type_id", "employer_id",
    "street_id", "matters", "reasons", "notes", "status", "outcome", "green_channel",
    "green_channel_source", "green_channel_reason", "assigned_mediator_id", "accepted_on",
    "rejected_on", "rejection_reason", "mediation_started_on", "mediation_extended_until",
    "mediation_extension_agreed_on", "green_channel_marked_on", "still_employed",
    "outcome_on", "closed_on", "withdrawal_reason", "failure_reason", "dispute_arose_on",
    "employment_ended_on", "workers_count", "claimed_fen", "recovered_fen",
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
    still_employed: bool | None = None
    employment_ended_on: dt.date | None = None
    case_no: str | None = None
    received_at: dt.datetime | None = None


def find_or_create_employer(data: EmployerData, street: Street | None = None) -> Employer:
    """The employer with this credit code, else one of this exact name without a code, else a new one.

    An employer takes the street of the first case that names one (``street`` is compared as an object,
    so that an employer met twice before anything is written keeps the first street, as it would had
    each case been written at once).
    """
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
    complete_employer(employer, data, street)
    return employer


def complete_employer(employer: Employer, data: EmployerData | None, street: Street | None) -> None:
    """Fill what the employer's record lacks from what a new case says of it (never overwrite)."""
    for attr in ("address", "legal_representative", "contact_name", "contact_phone"):
        value = getattr(data, attr, "") if data is not None else ""
        if value and not getattr(employer, attr):
            setattr(employer, attr, value)
    if street is not None and employer.street is None:
        employer.street = street


def qualifies_for_green_channel(dispute_type: DisputeType, workers: list[Worker]) -> bool:
    """A migrant worker's claim for unpaid pay enters the green channel by itself (Decree 724)."""
    return dispute_type.is_pay_claim and any(w.migrant_worker for w in workers)


def register_case(data: IntakeData, actor, *, confirm_duplicate: bool | None = None) -> Case:
    """登记: register a new case, allocating its number; returns the case (added to the session).

    ``confirm_duplicate``: ``False`` refuses a likely duplicate of a case on record
    (:class:`~mediation.cases.duplicates.LikelyDuplicate`, naming them), ``True`` registers it and says so
    on the timeline; ``None`` does not look (a ledger import, whose check lists them for the whole file).
    """
    if not data.workers:
        raise TransitionError(_("A case needs at least one applicant."))
    today = local_today()
    if data.received_on > today:
        raise TransitionError(_("The date received cannot be in the future."), "received_on")
    duplicates = []
    if confirm_duplicate is not None:
        duplicates = likely_duplicates(received_on=data.received_on, workers=data.workers, employer=data.employer)
        if duplicates and not confirm_duplicate:
            raise LikelyDuplicate(duplicates)
    employer = data.employer
    if isinstance(employer, EmployerData):
        employer = find_or_create_employer(employer, data.street)
    case = Case(
        received_on=data.received_on,
        received_at=data.received_at or (utcnow() if data.received_on == today else None),
        application_form=data.application_form,
        channel=data.channel,
        dispute_type=data.dispute_type,
        employer=employer,
        street=data.street,
        matters=data.matters,
        reasons=data.reasons,
        notes=data.notes,
        dispute_arose_on=data.dispute_arose_on,
        still_employed=data.still_employed,
        employment_ended_on=data.employment_ended_on,
        created_by=actor,
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
        claim_case_number(case.case_no)
    else:
        case.case_no, case.number_seq = allocate_case_number(data.received_on.year)
        case.number_year = data.received_on.year
    db.session.add(case)
    changes = {k: [None, v] for k, v in snapshot(case, CASE_AUDIT_FIELDS).items() if v not in (None, "", False)}
    changes["workers"] = [None, [snapshot(w, WORKER_AUDIT_FIELDS) for w in case.workers]]
    record_event(case, actor, "registered", changes, effective_on=data.received_on)
    if case.green_channel:
        record_event(case, actor, "green_channel",
                     {"green_channel": [False, True], "green_channel_source": [None, "automatic"]},
                     effective_on=data.received_on)
    if duplicates:
        record_duplicate_confirmed(case, actor, duplicates)
    return case


def check_date(case: Case, on: dt.date | None, what) -> dt.date:
    """``on`` (today when not given), refused when in the future or before the case was received."""
    today = local_today()
    on = on or today
    if on > today:
        raise TransitionError(_("%(what)s cannot be dated in the future.", what=what), "on")
    if on < case.received_on:
        raise TransitionError(_("%(what)s cannot be dated before the case was received.", what=what), "on")
    return on


def _move(case: Case, target: Status, actor, *, on: dt.date | None, reason: str = "",
          changes=lambda on, reason: {}, extra_changes: dict | None = None) -> Case:
    """Apply a transition the workflow allows, with the field changes ``changes(on, reason)`` gives, and
    audit it.  Whether the move needs a reason, and the event it writes, come from
    :data:`workflow.ACTIONS`."""
    name = action_for(case.status, target)
    if name is None:
        raise TransitionError(_(
            "A case that is “%(status)s” cannot be moved to “%(target)s”.",
            status=case.status.label, target=target.label,
        ))
    action = ACTIONS[name]
    reason = (reason or "").strip()
    if action.reason == Reason.REQUIRED and not reason:
        raise TransitionError(_("Give the reason (%(action)s).", action=action.label), "reason")
    on = check_date(case, on, action.label)
    steps = [d for d in (case.accepted_on, case.mediation_started_on, case.outcome_on) if d is not None]
    if steps and on < max(steps):
        # Each step of a case follows the one before: a failure before the acceptance would make a record
        # (and a ledger export) that says the impossible.
        raise TransitionError(_("%(what)s cannot be dated before the case's previous step (%(date)s).",
                                what=action.label, date=max(steps).isoformat()), "on")
    values = {"status": target, **changes(on, reason)}
    # Only these fields change: their diff is the diff of the whole audited record, in its order.
    fields = tuple(f for f in CASE_AUDIT_FIELDS if f in values)
    before = snapshot(case, fields)
    for attr, value in values.items():
        setattr(case, attr, value)
    record_event(case, actor, action.event, {**diff(before, snapshot(case, fields)), **(extra_changes or {})},
                 note=reason, effective_on=on)
    return case


def accept_case(case: Case, actor, *, on: dt.date | None = None) -> Case:
    """受理."""
    return _move(case, Status.ACCEPTED, actor, on=on, changes=lambda on, _r: {"accepted_on": on})


def reject_case(case: Case, actor, *, reason: str, on: dt.date | None = None) -> Case:
    """不予受理, with a reason."""
    return _move(case, Status.REJECTED, actor, on=on, reason=reason, changes=lambda on, reason: {
        "rejected_on": on, "outcome_on": on, "outcome": Status.REJECTED, "rejection_reason": reason})


def start_mediation(case: Case, actor, *, on: dt.date | None = None) -> Case:
    return _move(case, Status.IN_MEDIATION, actor, on=on, changes=lambda on, _r: {"mediation_started_on": on})


MEDIATION_DAYS = 15


def statutory_mediation_end(case: Case) -> dt.date | None:
    """The last day of the 15 days from acceptance (人社部令第17号), moved off a day off (民法典 Art. 203),
    before any extension; ``None`` before acceptance."""
    if case.accepted_on is None:
        return None
    return period_end(case.accepted_on, days=MEDIATION_DAYS)


def mediation_end(case: Case) -> dt.date | None:
    """The last day of mediation: the extension both parties agreed, else the statutory end."""
    return case.mediation_extended_until or statutory_mediation_end(case)


def failure_date(case: Case) -> dt.date:
    """When mediation failed, unless the user says otherwise: the day after it ran out without an
    agreement (it is then deemed to have failed, 17号令), else today."""
    end = mediation_end(case)
    today = local_today()
    return end + dt.timedelta(days=1) if end is not None and end < today else today


def record_failure(case: Case, actor, *, reason: str, on: dt.date | None = None) -> Case:
    """调解不成: the parties may go to arbitration (and legal aid); dated :func:`failure_date` unless told."""
    on = on or failure_date(case)
    return _move(case, Status.FAILED, actor, on=on, reason=reason, changes=lambda on, reason: {
        "outcome_on": on, "outcome": Status.FAILED, "failure_reason": reason})


def withdraw_case(case: Case, actor, *, reason: str, on: dt.date | None = None) -> Case:
    """撤回申请."""
    return _move(case, Status.WITHDRAWN, actor, on=on, reason=reason, changes=lambda on, reason: {
        "outcome_on": on, "outcome": Status.WITHDRAWN, "withdrawal_reason": reason})


def mark_mediated(case: Case, actor, *, on: dt.date, agreed_fen: int) -> Case:
    """调解成功: called by :func:`mediation.recovery.services.record_agreement`."""
    return _move(case, Status.MEDIATED, actor, on=on, extra_changes={"agreed_fen": [None, agreed_fen]},
                 changes=lambda on, _r: {"outcome_on": on, "outcome": Status.MEDIATED})


def close_case(case: Case, actor, *, reason: str = "", on: dt.date | None = None) -> Case:
    """结案, keeping the outcome it closed with."""
    if on is not None and case.outcome_on and on < case.outcome_on:
        raise TransitionError(_("A case cannot be closed before its outcome date."), "on")
    return _move(case, Status.CLOSED, actor, on=on, reason=reason, changes=lambda on, _r: {"closed_on": on})


TRANSITION_SERVICES = {
    "accept": accept_case,
    "reject": reject_case,
    "start_mediation": start_mediation,
    "record_failure": record_failure,
    "withdraw": withdraw_case,
    "close": close_case,
}


def transition(case: Case, actor, action: str, *, on: dt.date | None = None, reason: str = "") -> Case:
    """The move named ``action`` (the case page's buttons); the reason goes where the action takes one."""
    verb = TRANSITION_SERVICES[action]
    if ACTIONS[action].reason == Reason.NONE:
        return verb(case, actor, on=on)
    return verb(case, actor, on=on, reason=reason)


def set_green_channel(case: Case, actor, *, green: bool, reason: str, on: dt.date | None = None) -> Case:
    """A supervisor puts a case into the green channel (or takes it out), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the reason for changing the green channel."), "reason")
    if case.green_channel == green:
        return case
    on = check_date(case, on, _("Green channel"))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.green_channel = green
    case.green_channel_source = GreenChannelSource.MANUAL if green else None
    case.green_channel_reason = reason
    case.green_channel_marked_on = on if green else None  # a manual marking's targets run from here
    record_event(case, actor, "green_channel", diff(before, snapshot(case, CASE_AUDIT_FIELDS)),
                 note=reason, effective_on=on)
    return case


def assign_mediator(case: Case, actor, *, mediator, on: dt.date | None = None) -> Case:
    """Assign (or, with ``None``, unassign) the case's mediator."""
    on = check_date(case, on, _("Assignment"))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.assigned_mediator = mediator
    case.assigned_mediator_id = getattr(mediator, "id", None)
    after = snapshot(case, CASE_AUDIT_FIELDS)
    if before != after:
        record_event(case, actor, "assigned", diff(before, after), effective_on=on)
    return case


def record_limitation_interruption(case: Case, actor, *, on: dt.date, kind: InterruptionKind,
                                   note: str = "") -> LimitationInterruption:
    """Art. 27 para. 2: the limitation period was interrupted on ``on`` (the worker claimed from the
    employer, applied to a competent body, or the employer agreed to perform); it runs again in full."""
    if on > local_today():
        raise TransitionError(_("An interruption cannot be dated in the future."), "on")
    if case.dispute_arose_on is not None and on < case.dispute_arose_on:
        raise TransitionError(_("An interruption cannot come before the worker knew of the infringement."), "on")
    interruption = LimitationInterruption(case=case, on=on, kind=kind, note=(note or "").strip(),
                                          recorded_by_id=getattr(actor, "id", None))
    db.session.add(interruption)
    record_event(case, actor, "limitation_interrupted",
                 {"limitation.on": [None, on.isoformat()], "limitation.kind": [None, kind.value]},
                 note=interruption.note, effective_on=on)
    return interruption
