"""Corrections of a case's record: its particulars, its workers, its employer, a mistaken step.

Each is a verb of the usual shape (:mod:`mediation.cases.services`): it checks everything before changing
anything, changes the records, and writes one timeline event with the values before and after and the
reason, in the caller's transaction.  Nothing is deleted: a worker taken off a case stays on record
(``removed_on``), a reversed step leaves its event and the reversal's.

Once a case is accepted (or decided) a correction needs a reason: the record then already had effects
(notices sent, clocks running, reports counted).  The green channel (when it came automatically), the
totals and every clock follow the corrected facts: the green channel and totals here, the clocks by the
deadline store at the next flush (:mod:`mediation.clocks`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from mediation.audit.services import diff, record_event, snapshot
from mediation.cases.models import ApplicationForm, Case, Channel, Employer, GreenChannelSource, Worker
from mediation.cases.services import (CASE_AUDIT_FIELDS, WORKER_AUDIT_FIELDS, EmployerData, WorkerData,
                                      find_or_create_employer, qualifies_for_green_channel)
from mediation.cases.workflow import Status, TransitionError
from mediation.core.money import format_yuan, yuan_to_fen
from mediation.core.timeutil import local_today
from mediation.extensions import db

# The particulars a correction may change, as the case's attributes (``claimed`` is the total claimed in
# yuan, for a case whose workers do not carry their amounts).
PARTICULARS = (
    "received_on", "application_form", "channel", "dispute_type", "street", "matters", "reasons", "notes",
    "dispute_arose_on", "still_employed", "employment_ended_on", "workers_count", "claimed",
    "accepted_on", "mediation_started_on", "outcome_on", "closed_on",
)
# The dates of a case's steps, in the order they must keep; each is corrected only where the step was taken.
STEP_DATES = ("accepted_on", "mediation_started_on", "outcome_on", "closed_on")
WORKER_FIELDS = ("name", "id_number", "phone", "address", "migrant_worker", "is_representative", "claimed")
EMPLOYER_FIELDS = ("name", "credit_code", "address", "legal_representative", "contact_name", "contact_phone",
                   "street")


def needs_reason(case: Case) -> bool:
    """After acceptance (or any decision) a correction must say why."""
    return case.accepted_on is not None or case.status != Status.RECEIVED


def _reason(case: Case, reason: str | None, *, required: bool | None = None) -> str:
    reason = (reason or "").strip()
    if not reason and (needs_reason(case) if required is None else required):
        raise TransitionError(_("Once a case is accepted, a correction needs a reason."), "reason")
    return reason


def _date_text(day: dt.date) -> str:
    return format_date(day)


def _claim_is_derived(case: Case) -> bool:
    """Whether the case's amount claimed is its workers' amounts added up (else a total given apart, as a
    ledger gives it for a group case listing one worker)."""
    return case.claimed_fen == sum(w.claimed_fen for w in case.workers)


def _count_is_derived(case: Case) -> bool:
    return case.workers_count == len(case.workers)


def _follow_workers(case: Case, claim_derived: bool, count_derived: bool) -> None:
    """The totals kept from the workers, after a change to them."""
    if claim_derived:
        case.claimed_fen = sum(w.claimed_fen for w in case.workers)
    if count_derived:
        case.workers_count = max(len(case.workers), 1)
    else:
        case.workers_count = max(case.workers_count, len(case.workers), 1)


def follow_green_channel(case: Case, on: dt.date | None = None) -> None:
    """An automatic green channel follows the facts (a migrant worker's pay claim); a supervisor's own
    marking stays until a supervisor changes it."""
    if case.green_channel_source == GreenChannelSource.MANUAL:
        return
    qualifies = qualifies_for_green_channel(case.dispute_type, case.workers)
    if qualifies and not case.green_channel:
        case.green_channel = True
        case.green_channel_source = GreenChannelSource.AUTOMATIC
        case.green_channel_marked_on = None  # an automatic marking's targets run from receipt
    elif not qualifies and case.green_channel:
        case.green_channel = False
        case.green_channel_source = None


def _changed(case: Case, before: dict, kind: str, actor, reason: str, extra: dict | None = None,
             on: dt.date | None = None) -> dict:
    changes = {**(extra or {}), **diff(before, snapshot(case, CASE_AUDIT_FIELDS))}
    if changes:
        record_event(case, actor, kind, changes, note=reason, effective_on=on)
    return changes


# -- the case's particulars ---------------------------------------------------------------------------------

def _check_particulars(case: Case, new: dict[str, Any]) -> None:
    """Everything :func:`correct_case` refuses, checked on the values the case would have."""
    today = local_today()

    def value(attr):
        return new[attr] if attr in new else getattr(case, attr)

    unknown = set(new) - set(PARTICULARS)
    if unknown:
        raise ValueError(f"not a correctable particular: {sorted(unknown)}")
    received = value("received_on")
    if received is None:
        raise TransitionError(_("The date received is required."), "received_on")
    if received > today:
        raise TransitionError(_("The date received cannot be in the future."), "received_on")
    for attr in STEP_DATES:
        if attr in new and getattr(case, attr) is None and new[attr] is not None:
            raise TransitionError(_("This step has not been taken yet: record it with its action, not by a "
                                    "correction."), attr)
        if attr in new and getattr(case, attr) is not None and new[attr] is None:
            raise TransitionError(_("A step's date cannot be removed: reverse the step instead."), attr)
    if "outcome_on" in new and case.status in (Status.MEDIATED,) or (
            "outcome_on" in new and case.outcome == Status.MEDIATED):
        if new["outcome_on"] != case.outcome_on:
            raise TransitionError(_("A successful mediation is dated by its agreement: correct the agreement's "
                                    "date instead."), "outcome_on")
    previous, previous_attr = received, "received_on"
    for attr in STEP_DATES:
        day = value(attr)
        if day is None:
            continue
        if day > today:
            raise TransitionError(_("The date cannot be in the future."), attr)
        if day < previous:
            raise TransitionError(_("This date cannot come before %(date)s (the step before it).",
                                    date=_date_text(previous)), attr if attr in new else previous_attr)
        previous, previous_attr = day, attr
    for name in ("dispute_arose_on", "employment_ended_on"):
        day = value(name)
        if day is not None and day > today:
            raise TransitionError(_("The date cannot be in the future."), name)
    arose = value("dispute_arose_on")
    if arose is not None and "dispute_arose_on" in new:
        earliest = min((i.on for i in case.limitation_interruptions), default=None)
        if earliest is not None and arose > earliest:
            raise TransitionError(_("The limitation period was interrupted on %(date)s: the worker knew of the "
                                    "infringement before that.", date=_date_text(earliest)), "dispute_arose_on")
    if value("still_employed") and value("employment_ended_on") is not None:
        raise TransitionError(_("A worker still employed has no employment end date; leave one of the two "
                                "empty."), "employment_ended_on")
    count = value("workers_count")
    if count is None or count < 1:
        raise TransitionError(_("At least one worker is involved."), "workers_count")
    if count < len(case.workers):
        raise TransitionError(_("Fewer than the %(n)d workers listed on the case.", n=len(case.workers)),
                              "workers_count")
    if "claimed" in new:
        fen = yuan_to_fen(new["claimed"])
        if fen is None or fen < 0:
            raise TransitionError(_("An amount cannot be negative."), "claimed")
        listed = sum(w.claimed_fen for w in case.workers)
        if fen < listed:
            raise TransitionError(_("Less than the %(sum)s yuan the listed workers claim.",
                                    sum=format_yuan(listed)), "claimed")
    kind = new.get("dispute_type")
    if kind is not None and kind is not case.dispute_type and not kind.active:
        raise TransitionError(_("That dispute type is no longer in use."), "dispute_type")
    for text_attr in ("matters", "reasons", "notes"):
        if text_attr in new and new[text_attr] is None:
            new[text_attr] = ""


def correct_case(case: Case, actor, *, reason: str = "", **new: Any) -> dict:
    """Correct the case's particulars (keyword arguments named as in :data:`PARTICULARS`); returns the
    changes recorded (empty when nothing changed: no event then)."""
    new = {k: v for k, v in new.items()}
    if "dispute_type" in new and new["dispute_type"] is None:
        raise TransitionError(_("The dispute type is required."), "dispute_type")
    for attr in ("application_form", "channel"):
        if attr in new and new[attr] is None:
            new[attr] = ApplicationForm.WRITTEN if attr == "application_form" else Channel.WALK_IN
    _check_particulars(case, new)
    current = {attr: getattr(case, attr) for attr in new if attr != "claimed"}
    if "claimed" in new and yuan_to_fen(new["claimed"]) == case.claimed_fen:
        new.pop("claimed")
    if all(current.get(attr) is new[attr] or current.get(attr) == new[attr] for attr in new if attr != "claimed") \
            and "claimed" not in new:
        return {}
    reason = _reason(case, reason)
    before = snapshot(case, CASE_AUDIT_FIELDS)
    for attr, value in new.items():
        if attr == "claimed":
            case.claimed_fen = yuan_to_fen(value)
        elif attr in ("dispute_type", "street"):
            setattr(case, attr, value)
            setattr(case, f"{attr}_id", getattr(value, "id", None))
        else:
            setattr(case, attr, value)
    if case.status == Status.REJECTED or case.outcome == Status.REJECTED:
        case.rejected_on = case.outcome_on
    follow_green_channel(case)
    return _changed(case, before, "corrected", actor, reason)


# -- workers ------------------------------------------------------------------------------------------------

# Checks the areas above this one add before a worker may be taken off a case (an agreement share, a
# payment naming them): each takes the worker and returns a message, or None.
WORKER_REMOVAL_CHECKS: list[Callable[[Worker], str | None]] = []


def _worker_snapshot(worker: Worker) -> dict:
    return {f"worker.{k}": v for k, v in snapshot(worker, WORKER_AUDIT_FIELDS).items()}


def _check_worker_values(case: Case, values: dict, worker: Worker | None = None) -> None:
    name = values.get("name", worker.name if worker else None)
    if not name or not str(name).strip():
        raise TransitionError(_("The worker's name is required."), "name")
    id_number = values.get("id_number", worker.id_number if worker else None)
    if id_number:
        for other in case.workers:
            if other is not worker and other.id_number == id_number:
                raise TransitionError(_("%(name)s on this case already has this ID number.", name=other.name),
                                      "id_number")
    if "claimed" in values and values["claimed"] is not None:
        fen = yuan_to_fen(values["claimed"])
        if fen is None or fen < 0:
            raise TransitionError(_("An amount cannot be negative."), "claimed")


def _set_worker(worker: Worker, values: dict) -> None:
    for key, value in values.items():
        if key == "claimed":
            worker.claimed_fen = yuan_to_fen(value) or 0
        elif key == "name":
            worker.name = value.strip()
        elif key == "id_number":
            worker.id_number = value or None
        elif key in ("phone", "address"):
            setattr(worker, key, value or "")
        else:
            setattr(worker, key, bool(value))


def correct_worker(case: Case, actor, worker: Worker, *, reason: str = "", **values: Any) -> dict:
    """Correct one worker's particulars (``name``, ``id_number``, ``phone``, ``address``,
    ``migrant_worker``, ``is_representative``, ``claimed``)."""
    if worker.case is not case or worker.removed_on is not None:
        raise TransitionError(_("That worker is not on this case."), "worker")
    unknown = set(values) - set(WORKER_FIELDS)
    if unknown:
        raise ValueError(f"not a worker's particular: {sorted(unknown)}")
    _check_worker_values(case, values, worker)
    claim_derived, count_derived = _claim_is_derived(case), _count_is_derived(case)
    worker_before = _worker_snapshot(worker)
    probe = dict(worker_before)
    for key, value in values.items():
        attr = "claimed_fen" if key == "claimed" else key
        probe[f"worker.{attr}"] = (yuan_to_fen(value) or 0) if key == "claimed" else (
            (value or "").strip() if key == "name" else (value or None) if key == "id_number"
            else (value or "") if key in ("phone", "address") else bool(value))
    if probe == worker_before:
        return {}
    reason = _reason(case, reason)
    before = snapshot(case, CASE_AUDIT_FIELDS)
    name_before = worker.name
    _set_worker(worker, values)
    _follow_workers(case, claim_derived, count_derived)
    follow_green_channel(case)
    changes = diff(worker_before, _worker_snapshot(worker))
    return _changed(case, before, "worker_corrected", actor, reason,
                    {"worker": [name_before, worker.name], **changes})


def add_worker(case: Case, actor, *, data: WorkerData, reason: str = "") -> Worker:
    """Another applicant joins the case (a group claim)."""
    values = {"name": data.name, "id_number": data.id_number, "claimed": data.claimed}
    _check_worker_values(case, values)
    reason = _reason(case, reason)
    claim_derived, count_derived = _claim_is_derived(case), _count_is_derived(case)
    before = snapshot(case, CASE_AUDIT_FIELDS)
    position = max((w.position for w in case.all_workers), default=-1) + 1
    worker = Worker(position=position, name=data.name.strip(), id_number=data.id_number or None,
                    phone=data.phone or "", address=data.address or "", migrant_worker=data.migrant_worker,
                    is_representative=data.is_representative, claimed_fen=yuan_to_fen(data.claimed) or 0)
    case.workers.append(worker)
    _follow_workers(case, claim_derived, count_derived)
    follow_green_channel(case)
    added = {k: [None, v] for k, v in _worker_snapshot(worker).items() if v not in (None, "", False)}
    _changed(case, before, "worker_added", actor, reason, {"worker": [None, worker.name], **added})
    return worker


def remove_worker(case: Case, actor, worker: Worker, *, reason: str, on: dt.date | None = None) -> Worker:
    """Take a worker off the case (listed by mistake, or their claim is withdrawn): kept on record."""
    if worker.case is not case or worker.removed_on is not None:
        raise TransitionError(_("That worker is not on this case."), "worker")
    reason = _reason(case, reason, required=True)
    if len(case.workers) <= 1:
        raise TransitionError(_("A case needs at least one applicant: correct this one instead."), "worker")
    for check in WORKER_REMOVAL_CHECKS:
        message = check(worker)
        if message:
            raise TransitionError(message, "worker")
    claim_derived, count_derived = _claim_is_derived(case), _count_is_derived(case)
    before = snapshot(case, CASE_AUDIT_FIELDS)
    worker.removed_on = on or local_today()
    set_committed_value(case, "workers", [w for w in case.workers if w is not worker])
    _follow_workers(case, claim_derived, count_derived)
    follow_green_channel(case)
    removed = {k: [v, None] for k, v in _worker_snapshot(worker).items() if v not in (None, "", False)}
    _changed(case, before, "worker_removed", actor, reason, {"worker": [worker.name, None], **removed},
             on=worker.removed_on)
    return worker


def replace_workers(case: Case, actor, workers: list[WorkerData], *, reason: str = "") -> dict:
    """The API's ``"workers": [...]``: the list as it should be.  A listed worker is matched to one on the
    case by ID number, else by name; matched ones are corrected, new ones added, the rest taken off."""
    if not workers:
        raise TransitionError(_("A case needs at least one applicant."), "workers")
    remaining = list(case.workers)
    plan: list[tuple[Worker | None, WorkerData]] = []
    for data in workers:
        match = next((w for w in remaining if data.id_number and w.id_number == data.id_number), None) \
            or next((w for w in remaining if w.name == data.name.strip()
                     and not (data.id_number and w.id_number)), None)
        if match is not None:
            remaining.remove(match)
        plan.append((match, data))
    changed: dict = {}
    for match, data in plan:
        if match is not None:
            changed |= correct_worker(case, actor, match, reason=reason, **_worker_values(data))
    for worker in remaining:
        remove_worker(case, actor, worker, reason=reason or _("Not in the corrected list of workers."))
        changed[f"removed:{worker.name}"] = True
    for match, data in plan:
        if match is None:
            add_worker(case, actor, data=data, reason=reason)
            changed[f"added:{data.name}"] = True
    return changed


def _worker_values(data: WorkerData) -> dict:
    values = {"name": data.name, "id_number": data.id_number, "phone": data.phone, "address": data.address,
              "migrant_worker": data.migrant_worker, "is_representative": data.is_representative}
    if data.claimed is not None:
        values["claimed"] = data.claimed
    return values


# -- the employer -------------------------------------------------------------------------------------------

def change_employer(case: Case, actor, *, employer: EmployerData | Employer, reason: str = "") -> Employer:
    """The case names another employer (the one registered was the wrong company): found by credit code or
    exact name, else made."""
    if isinstance(employer, EmployerData):
        if not employer.name or not employer.name.strip():
            raise TransitionError(_("The employer's name is required."), "employer_name")
        existing = employer.credit_code and db.session.scalar(
            sa.select(Employer).where(Employer.credit_code == employer.credit_code))
        if existing is case.employer:
            return case.employer
        target = find_or_create_employer(employer, case.street)
    else:
        target = employer
    if target is case.employer:
        return target
    reason = _reason(case, reason)
    if target.id is None:
        db.session.flush([target])  # a new employer: the timeline refers to it by its id
    before = snapshot(case, CASE_AUDIT_FIELDS)
    previous = case.employer_id
    case.employer = target
    case.employer_id = target.id
    _changed(case, before, "employer_changed", actor, reason, {"employer_id": [previous, target.id]})
    return target


def correct_employer(employer: Employer, actor, *, reason: str = "", **values: Any) -> dict:
    """Correct an employer's own particulars (its registered name, credit code, address, representative,
    contact): every case naming it shows the corrected record, so each gets the event."""
    unknown = set(values) - set(EMPLOYER_FIELDS)
    if unknown:
        raise ValueError(f"not an employer's particular: {sorted(unknown)}")
    if "name" in values and not (values["name"] or "").strip():
        raise TransitionError(_("The employer's name is required."), "name")
    code = values.get("credit_code")
    if code and code != employer.credit_code:
        other = db.session.scalar(sa.select(Employer).where(Employer.credit_code == code, Employer.id != employer.id))
        if other is not None:
            raise TransitionError(_("Another employer on record (%(name)s) has this credit code: if the case "
                                    "concerns that employer, change the case's employer instead.",
                                    name=other.name), "credit_code")
    fields = ("name", "credit_code", "address", "legal_representative", "contact_name", "contact_phone",
              "street_id")
    before = snapshot(employer, fields)
    after = dict(before)
    for key, value in values.items():
        if key == "street":
            after["street_id"] = getattr(value, "id", None)
        elif key == "credit_code":
            after[key] = value or None
        else:
            after[key] = (value or "").strip()
    changes = {f"employer.{k}": v for k, v in diff(before, after).items()}
    if not changes:
        return {}
    cases = db.session.scalars(sa.select(Case).where(Case.employer_id == employer.id).order_by(Case.id)).all()
    reason = (reason or "").strip()
    if not reason and any(needs_reason(c) for c in cases):
        raise TransitionError(_("Once a case is accepted, a correction needs a reason."), "reason")
    for key, value in values.items():
        if key == "street":
            employer.street = value
            employer.street_id = getattr(value, "id", None)
        else:
            setattr(employer, key, after[key])
    for case in cases:
        record_event(case, actor, "employer_corrected", {"employer": [employer.name, employer.name], **changes},
                     note=reason)
    return changes


# -- a mistaken step ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reversal:
    target: Status
    clears: tuple[str, ...]


def _reversal(case: Case) -> Reversal:
    """The step a reversal undoes: the case's last one."""
    def before_outcome() -> Status:
        if case.mediation_started_on is not None:
            return Status.IN_MEDIATION
        return Status.ACCEPTED if case.accepted_on is not None else Status.RECEIVED

    status = case.status
    if status == Status.ACCEPTED:
        return Reversal(Status.RECEIVED, ("accepted_on",))
    if status == Status.IN_MEDIATION:
        return Reversal(Status.ACCEPTED, ("mediation_started_on",))
    if status == Status.REJECTED:
        return Reversal(Status.RECEIVED, ("rejected_on", "outcome_on", "outcome", "rejection_reason"))
    if status == Status.FAILED:
        return Reversal(before_outcome(), ("outcome_on", "outcome", "failure_reason"))
    if status == Status.WITHDRAWN:
        return Reversal(before_outcome(), ("outcome_on", "outcome", "withdrawal_reason"))
    if status == Status.CLOSED:
        return Reversal(case.outcome or Status.RECEIVED, ("closed_on",))
    if status == Status.MEDIATED:
        raise TransitionError(_("An agreement was recorded: correct or amend the agreement; a successful "
                                "mediation is not reversed."))
    raise TransitionError(_("A case that is “%(status)s” has no step to reverse.", status=status.label))


def reversible(case: Case) -> bool:
    try:
        _reversal(case)
    except TransitionError:
        return False
    return True


def reverse_step(case: Case, actor, *, reason: str, on: dt.date | None = None) -> Case:
    """A supervisor reverses the case's last step, taken by mistake (an acceptance, a start of mediation,
    a rejection, failure, withdrawal or closing), with a reason: the case is back where it was before it.
    The step's event stays on the timeline; the reversal is an event of its own."""
    reversal = _reversal(case)
    reason = _reason(case, reason, required=True)
    active_sessions = [s for s in case.sessions if getattr(getattr(s, "status", None), "value", "held") != "cancelled"]
    if reversal.target in (Status.RECEIVED,) and active_sessions:
        raise TransitionError(_("The case has mediation sessions: cancel them before reversing its acceptance."))
    if reversal.target == Status.ACCEPTED and "mediation_started_on" in reversal.clears and any(
            getattr(getattr(s, "status", None), "value", "held") == "held" for s in active_sessions):
        raise TransitionError(_("A mediation session was held: mediation did start."))
    if case.status in (Status.FAILED, Status.WITHDRAWN) and case.recovered_fen:
        raise TransitionError(_("Payments were recorded after this step: reverse them first."))
    if case.status == Status.FAILED and case.arbitration_applied_on is not None:
        raise TransitionError(_("The case went on to arbitration after mediation failed."))
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.status = reversal.target
    for attr in reversal.clears:
        setattr(case, attr, "" if attr.endswith("_reason") else None)
    record_event(case, actor, "step_reversed", diff(before, snapshot(case, CASE_AUDIT_FIELDS)), note=reason,
                 effective_on=on or local_today())
    return case
