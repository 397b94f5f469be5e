"""``PATCH /api/v1/cases/CASE_NO`` (CONTRACTS §8): a correction of a case, read from ledger keys.

The body names only what changes.  Values are read by the ledger's own readers (the same words, dates and
checks as ``POST /api/v1/cases``); the correction itself is made by the case's correction verbs
(:mod:`mediation.cases.corrections`), which refuse what the rules refuse.
"""
from __future__ import annotations

from typing import Any, Mapping

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.api.schemas import (CASE_CREATE_PROPERTIES, _amount, _text, _yes_no, check_json_shape)
from mediation.cases import corrections
from mediation.cases.models import Case
from mediation.cases.services import EmployerData, WorkerData
from mediation.core.errors import Refused
from mediation.extensions import db
from mediation.ledger import rows, values
from mediation.ledger.references import References
from mediation.reference.models import Street

# Ledger keys → the case's particulars they correct.
CASE_KEYS = {
    "received_on": "received_on", "channel": "channel", "application_form": "application_form",
    "dispute_type": "dispute_type", "street": "street", "matters": "matters", "reasons": "reasons",
    "notes": "notes", "dispute_arose_on": "dispute_arose_on", "still_employed": "still_employed",
    "employment_ended_on": "employment_ended_on", "workers_count": "workers_count",
    "claimed_amount": "claimed", "accepted_on": "accepted_on", "outcome_on": "outcome_on",
}
# The first worker's ledger keys → the worker's particulars.
WORKER_KEYS = {"worker_name": "name", "worker_id_number": "id_number", "worker_phone": "phone",
               "worker_address": "address", "migrant_worker": "migrant_worker"}
EMPLOYER_SWITCH_KEYS = ("employer_name", "employer_credit_code")
EMPLOYER_KEYS = {"employer_address": "address", "employer_representative": "legal_representative",
                 "employer_phone": "contact_phone"}
# Keys of the ledger that other operations change.
NOT_HERE = {
    "case_no": _("The case number cannot be changed."),
    "status": _("The status changes through the case's actions, not by a correction."),
    "agreed_amount": _("The agreement is corrected or amended through its own operations."),
    "agreement_due_on": _("The agreement is corrected or amended through its own operations."),
    "agreement_method": _("The agreement is corrected or amended through its own operations."),
    "recovered_amount": _("Payments are recorded and reversed through their own operations."),
    "legal_aid": _("Legal aid is referred and updated through its own operations."),
    "legal_aid_closed_on": _("Legal aid is referred and updated through its own operations."),
    "legal_aid_amount": _("Legal aid is referred and updated through its own operations."),
}

WORKER_PROPERTIES: dict[str, dict] = {
    "name": _text(100, "姓名.", required=True),
    "id_number": _text(40, "身份证号码: 18 characters, checksum valid."),
    "phone": _text(30, "联系电话."),
    "address": _text(300, "住址."),
    "migrant_worker": _yes_no("外来务工人员."),
    "is_representative": _yes_no("推举的代表 (a group case's elected representative)."),
    "claimed_amount": _amount("This worker's amount claimed."),
}
WORKER_SCHEMA: dict = {"type": "object", "properties": WORKER_PROPERTIES, "required": ["name"],
                       "additionalProperties": False}
PATCH_PROPERTIES: dict[str, dict] = {
    **{k: v for k, v in CASE_CREATE_PROPERTIES.items() if k not in NOT_HERE},
    "workers": {"type": "array", "items": WORKER_SCHEMA, "minItems": 1, "maxItems": 500,
                "description": "The case's workers as they should be: a listed worker is matched to one on "
                               "the case by ID number, else by name, and corrected; new ones are added; the "
                               "others are taken off the case (kept on record)."},
    "reason": _text(5000, "Why the case is corrected; required once the case is accepted."),
    "version": {"type": ["integer", "null"], "minimum": 1,
                "description": "The case's version as last read; a stale one answers 409 and changes nothing."},
}
CASE_PATCH_SCHEMA: dict = {
    "type": "object",
    "description": "A correction of a case: any ledger key that describes the case (CONTRACTS §2, §8).",
    "properties": PATCH_PROPERTIES,
    "additionalProperties": False,
    "examples": [{"worker_phone": "13912345679", "reason": "电话号码记错", "version": 3}],
}

_WORKER_READERS = {
    "name": lambda v: values.text(v, 100), "id_number": values.id_number, "phone": values.phone,
    "address": lambda v: values.text(v, 300), "migrant_worker": values.yes_no,
    "is_representative": values.yes_no, "claimed_amount": values.money,
}


class Patch:
    """A PATCH body read: what to correct, or the errors by key."""

    def __init__(self):
        self.case: dict[str, Any] = {}
        self.worker: dict[str, Any] = {}
        self.workers: list[WorkerData] | None = None
        self.employer_switch: dict[str, Any] = {}
        self.employer: dict[str, Any] = {}
        self.reason = ""
        self.version: int | None = None
        self.errors: dict[str, list[str]] = {}


def read_patch(body: Mapping[str, Any]) -> Patch:
    patch = Patch()
    refused = {k: [str(NOT_HERE[k])] for k in body if k in NOT_HERE}
    fitting, errors = check_json_shape({k: v for k, v in body.items() if k not in NOT_HERE and k != "workers"},
                                       PATCH_PROPERTIES, [])
    errors |= refused
    for key, value in fitting.items():
        if key == "reason":
            patch.reason = (value or "").strip()
            continue
        if key == "version":
            patch.version = value
            continue
        try:
            parsed = _read(key, value)
        except values.CellError as exc:
            errors[key] = [str(exc.message)]
            continue
        if key in CASE_KEYS:
            patch.case[CASE_KEYS[key]] = parsed
        elif key in WORKER_KEYS:
            patch.worker[WORKER_KEYS[key]] = parsed
        elif key in EMPLOYER_SWITCH_KEYS:
            patch.employer_switch[key] = parsed
        elif key in EMPLOYER_KEYS:
            patch.employer[EMPLOYER_KEYS[key]] = parsed or ""
    if "workers" in body:
        patch.workers = _read_workers(body["workers"], errors)
        if patch.worker and patch.workers is not None:
            errors["workers"] = [_("Give the workers either as the list or as the worker_ keys, not both.")]
    for key in ("received_on", "dispute_type", "worker_name", "employer_name"):
        if key in fitting and fitting[key] in (None, "") and key not in errors:
            errors[key] = [_("Required.")]
    patch.errors = errors
    return patch


def _read(key: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if key == "dispute_type":
        return rows._dispute_type(value, References())
    if key == "street":
        name = values.text(value, 100)
        street = db.session.scalar(sa.select(Street).where(sa.or_(Street.name == name, Street.name_en == name)))
        if street is None:
            raise values.CellError(_("Unknown street “%(value)s”: the administrator keeps the list of streets.",
                                     value=name))
        return street
    return rows.READERS[key](value)


def _read_workers(items: Any, errors: dict) -> list[WorkerData] | None:
    if not isinstance(items, list) or not items:
        errors["workers"] = [_("Must be a list of at least one worker.")]
        return None
    if len(items) > 500:
        errors["workers"] = [_("Too many workers: at most %(n)d.", n=500)]
        return None
    workers = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"workers[{index}]"] = [_("Must be an object.")]
            continue
        fitting, item_errors = check_json_shape(item, WORKER_PROPERTIES, ["name"])
        found = {}
        for key, value in fitting.items():
            try:
                found[key] = None if value in (None, "") else _WORKER_READERS[key](value)
            except values.CellError as exc:
                item_errors[key] = [str(exc.message)]
        for key, messages in item_errors.items():
            errors[f"workers[{index}].{key}"] = messages
        if not item_errors:
            workers.append(WorkerData(
                name=found["name"], id_number=found.get("id_number"), phone=found.get("phone") or "",
                address=found.get("address") or "", migrant_worker=bool(found.get("migrant_worker")),
                is_representative=bool(found.get("is_representative")), claimed=found.get("claimed_amount")))
    return workers


# A refusal's field (a particular's name) → the key the API caller sent.
_KEY_OF = {v: k for k, v in CASE_KEYS.items()} | {"name": "worker_name", "id_number": "worker_id_number",
                                                  "phone": "worker_phone", "credit_code": "employer_credit_code"}


def apply_patch(case: Case, actor, patch: Patch) -> None:
    """Make the corrections, in one transaction (the edge commits; a refusal rolls all of it back)."""
    try:
        if patch.case:
            corrections.correct_case(case, actor, reason=patch.reason, **patch.case)
        if patch.employer_switch:
            switch, employer = patch.employer_switch, case.employer
            name = switch.get("employer_name") or employer.name
            code = switch["employer_credit_code"] if "employer_credit_code" in switch else employer.credit_code
            if name != employer.name:
                corrections.change_employer(case, actor, reason=patch.reason, employer=EmployerData(
                    name=name, credit_code=switch.get("employer_credit_code")))
            elif code != employer.credit_code:
                corrections.correct_employer(employer, actor, reason=patch.reason, credit_code=code)
        if patch.employer:
            corrections.correct_employer(case.employer, actor, reason=patch.reason, **patch.employer)
        if patch.worker:
            worker = case.workers[0]
            corrections.correct_worker(case, actor, worker, reason=patch.reason, **patch.worker)
        if patch.workers is not None:
            corrections.replace_workers(case, actor, patch.workers, reason=patch.reason)
    except Refused as refusal:
        if refusal.field in _KEY_OF:
            refusal.field = _KEY_OF[refusal.field]
        raise
