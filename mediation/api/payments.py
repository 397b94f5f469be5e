"""Wage recovery through the API (CONTRACTS §8): a payment, its reversal, and the agreement's correction
or amendment — the bodies they take, how they are read, and the JSON of a payment.

What the values mean is checked by the recovery verbs (:mod:`mediation.recovery.services`); their
refusals come back as ``{"errors": {key: [message]}}`` naming the key of the body (``on``, ``amount``,
``worker_id_number`` …).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

from flask_babel import gettext as _

from mediation.api.errors import GENERAL, ApiError
from mediation.api.schemas import MAX_AMOUNT, _date, _text, check_json_shape
from mediation.cases.models import Case, Worker
from mediation.core.errors import Refused
from mediation.core.money import fen_to_yuan, format_yuan
from mediation.ledger import values
from mediation.recovery.models import Payment, PerformanceMethod
from mediation.recovery.services import AgreementData

MAX_SHARES = 2000
MAX_INSTALMENTS = 60


def _amount(description: str) -> dict:
    return {"type": ["string", "number"], "maxLength": 30, "minimum": 0, "exclusiveMaximum": MAX_AMOUNT,
            "description": description + " Yuan, at most two decimals; a number, or a string such as "
                                         "\"12,500.00\"."}


WORKER_KEYS = {
    "worker_id_number": _text(40, "The worker's ID number (身份证号码): one of the case's applicants."),
    "worker_name": _text(100, "The worker's name, when no ID number is given (it must name one applicant only)."),
}

PAYMENT_CREATE_PROPERTIES: dict[str, dict] = {
    "on": _date("When it was paid (实际兑现之日): the month it counts in. Not in the future, nor before the case "
                "was received.", required=True),
    "amount": _amount("The amount received; more than zero and no more than is outstanding (what the "
                      "agreement agrees — without one, what was claimed — less what was received, in total "
                      "and to the worker)."),
    **WORKER_KEYS,
    "method": _text(50, "How it was paid (银行转账, 现金 …)."),
    "note": _text(5000, "For the case's record."),
}
PAYMENT_CREATE_SCHEMA: dict = {
    "type": "object",
    "description": "A payment received (实际兑现). On a case with one applicant it is theirs without naming "
                   "them; on a group case one that names no worker counts against the total only.",
    "properties": PAYMENT_CREATE_PROPERTIES,
    "required": ["on", "amount"],
    "additionalProperties": False,
    "examples": [{"on": "2025-03-20", "amount": "4500.00", "worker_name": "李四", "method": "银行转账"}],
}

REVERSAL_PROPERTIES: dict[str, dict] = {
    "reason": _text(5000, "Why the payment is reversed (keyed twice, a wrong amount, a transfer returned).",
                    required=True),
    "on": _date("The day of the reversal (today when absent): the period that counts it. Not in the future, "
                "nor before the payment."),
}
REVERSAL_SCHEMA: dict = {
    "type": "object",
    "description": "Reverse a payment recorded by mistake: it stays on record, and an entry of the opposite "
                   "amount takes it back from every total. A payment is reversed once.",
    "properties": REVERSAL_PROPERTIES,
    "required": ["reason"],
    "additionalProperties": False,
    "examples": [{"reason": "重复录入", "on": "2025-03-21"}],
}

SHARE_PROPERTIES = {**WORKER_KEYS, "amount": _amount("This worker's agreed amount (0 if none).")}
INSTALMENT_PROPERTIES = {
    "due_on": _date("When the instalment falls due.", required=True),
    "amount": _amount("The instalment; more than zero."),
    **WORKER_KEYS,
}
AGREEMENT_PATCH_PROPERTIES: dict[str, dict] = {
    "reason": _text(5000, "Why the agreement is corrected, or what the parties agreed.", required=True),
    "amended_on": _date("An amendment's date: given (or once a payment is recorded, when it is today by "
                        "default), the change is an amendment — a new version, the earlier one kept. "
                        "Otherwise it is a correction, allowed only before any payment."),
    "signed_on": _date("签订日期 (a correction only)."),
    "effective_on": _date("生效日期 (a correction only)."),
    "agreed_amount": {**_amount("协议金额: the total; null or absent with shares: their sum."),
                      "type": ["string", "number", "null"]},
    "performance_deadline": _date("协议履行期限; null for none (instalments: the last one's date)."),
    "performance_method": {"type": "string", "enum": [m.value for m in PerformanceMethod],
                           "description": "lump_sum, instalments or other."},
    "terms": _text(20000, "The agreement's terms (履行方式 and the rest)."),
    "shares": {"type": "array", "maxItems": MAX_SHARES, "items": {
        "type": "object", "properties": SHARE_PROPERTIES, "required": ["amount"], "additionalProperties": False},
        "description": "Each worker's agreed amount; [] for none (the total only)."},
    "instalments": {"type": "array", "maxItems": MAX_INSTALMENTS, "items": {
        "type": "object", "properties": INSTALMENT_PROPERTIES, "required": ["due_on", "amount"],
        "additionalProperties": False}, "description": "The instalment schedule; [] for none."},
    "version": {"type": "integer", "minimum": 1,
                "description": "The case's version as last read; a stale one answers 409 and changes nothing."},
}
AGREEMENT_PATCH_SCHEMA: dict = {
    "type": "object",
    "description": "Correct the agreement (before any payment) or amend it (after): the keys given replace "
                   "the agreement's, the others stay as they are.",
    "properties": AGREEMENT_PATCH_PROPERTIES,
    "required": ["reason"],
    "additionalProperties": False,
    "examples": [{"reason": "双方协商变更履行期限", "amended_on": "2025-04-01", "performance_deadline": "2025-05-31"}],
}


# --- reading the bodies --------------------------------------------------------------------------

def _day(value: str, key: str, errors: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[key] = [_("Not a date (YYYY-MM-DD).")]
        return None


def _money(value, key: str, errors: dict) -> Decimal | None:
    try:
        return values.money(value)
    except values.CellError as exc:
        errors[key] = [str(exc.message)]
        return None


def find_worker(case: Case, body: Mapping[str, Any], errors: dict, prefix: str = "") -> Worker | None:
    """The applicant a body names by ``worker_id_number`` (else ``worker_name``); ``None`` when it names
    none; an error naming the key when it names no applicant of this case, or several."""
    id_key, name_key = f"{prefix}worker_id_number", f"{prefix}worker_name"
    id_number = (body.get("worker_id_number") or "").strip().upper()
    name = (body.get("worker_name") or "").strip()
    if id_number:
        found = next((w for w in case.workers if (w.id_number or "").upper() == id_number), None)
        if found is None:
            errors[id_key] = [_("No applicant of this case has this ID number.")]
        elif name and name != found.name:
            errors[name_key] = [_("The applicant with this ID number is %(name)s.", name=found.name)]
        return found
    if name:
        named = [w for w in case.workers if w.name == name]
        if not named:
            errors[name_key] = [_("No applicant of this case is called %(name)s.", name=name)]
        elif len(named) > 1:
            errors[name_key] = [_("Several applicants are called %(name)s: give worker_id_number.", name=name)]
        else:
            return named[0]
    return None


@dataclass
class PaymentBody:
    values: dict[str, Any] = field(default_factory=dict)  # record_payment's keyword arguments
    worker_key: str = "worker_id_number"
    errors: dict[str, list[str]] = field(default_factory=dict)


def read_payment(body: Mapping[str, Any], case: Case) -> PaymentBody:
    fitting, errors = check_json_shape(body, PAYMENT_CREATE_PROPERTIES, PAYMENT_CREATE_SCHEMA["required"])
    read = PaymentBody(errors=errors)
    if "on" in fitting:
        read.values["on"] = _day(fitting["on"], "on", errors)
    if "amount" in fitting:
        read.values["amount"] = _money(fitting["amount"], "amount", errors)
    read.values["worker"] = find_worker(case, fitting, errors)
    read.worker_key = "worker_id_number" if fitting.get("worker_id_number") else "worker_name"
    read.values["method"] = (fitting.get("method") or "").strip()
    read.values["note"] = (fitting.get("note") or "").strip()
    return read


def read_reversal(body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    fitting, errors = check_json_shape(body, REVERSAL_PROPERTIES, REVERSAL_SCHEMA["required"])
    found: dict[str, Any] = {"reason": (fitting.get("reason") or "").strip(), "on": None}
    if fitting.get("on"):
        found["on"] = _day(fitting["on"], "on", errors)
    return found, errors


@dataclass
class AgreementPatch:
    data: AgreementData | None = None
    reason: str = ""
    amended_on: dt.date | None = None
    amend: bool = False
    version: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _rows(value: Any, key: str, properties: dict, required: list[str], errors: dict) -> list[dict] | None:
    """A list of objects, each checked against ``properties``; errors keyed ``key[i].field``."""
    if not isinstance(value, list):
        errors[key] = [_("Must be a list.")]
        return None
    rows = []
    for n, item in enumerate(value):
        if not isinstance(item, dict):
            errors[f"{key}[{n}]"] = [_("Must be an object.")]
            continue
        fitting, row_errors = check_json_shape(item, properties, required)
        errors.update({f"{key}[{n}].{k}": v for k, v in row_errors.items()})
        rows.append(fitting)
    return rows


def read_agreement_patch(body: Mapping[str, Any], case: Case) -> AgreementPatch:
    """The agreement as the body would have it (the agreement's own terms where the body is silent)."""
    flat = {k: v for k, v in body.items() if k not in ("shares", "instalments")}
    fitting, errors = check_json_shape(flat, AGREEMENT_PATCH_PROPERTIES, AGREEMENT_PATCH_SCHEMA["required"])
    patch = AgreementPatch(errors=errors, reason=(fitting.get("reason") or "").strip(),
                           version=fitting.get("version"))
    agreement = case.agreement
    if agreement is None:
        errors.setdefault(GENERAL, []).append(_("This case has no agreement."))
        return patch
    dates = {key: _day(fitting[key], key, errors) if fitting.get(key) else None
             for key in ("amended_on", "signed_on", "effective_on", "performance_deadline")}
    patch.amended_on = dates["amended_on"]
    patch.amend = patch.amended_on is not None or bool(case.payments)
    if patch.amend:
        for key in ("signed_on", "effective_on"):
            if key in fitting and key not in errors:
                errors[key] = [_("An amendment keeps the agreement's signing dates.")]
    shares = {s.worker: s.agreed_fen for s in agreement.shares}
    share_amounts = {w: fen_to_yuan(fen) for w, fen in shares.items()}
    if "shares" in body:
        rows = _rows(body["shares"], "shares", SHARE_PROPERTIES, ["amount"], errors)
        share_amounts = {}
        for n, row in enumerate(rows or []):
            worker = find_worker(case, row, errors, prefix=f"shares[{n}].")
            amount = _money(row["amount"], f"shares[{n}].amount", errors) if "amount" in row else None
            if worker is None and not any(k.startswith(f"shares[{n}].") for k in errors):
                errors[f"shares[{n}].worker_id_number"] = [_("Name the worker (worker_id_number or worker_name).")]
            elif worker is not None and worker in share_amounts:
                errors[f"shares[{n}].worker_id_number"] = [_("This worker is listed twice.")]
            elif worker is not None and amount is not None:
                share_amounts[worker] = amount
    instalments = [(i.due_on, fen_to_yuan(i.amount_fen), i.worker) for i in agreement.instalments]
    if "instalments" in body:
        rows = _rows(body["instalments"], "instalments", INSTALMENT_PROPERTIES, ["due_on", "amount"], errors)
        instalments = []
        for n, row in enumerate(rows or []):
            due = _day(row["due_on"], f"instalments[{n}].due_on", errors) if "due_on" in row else None
            amount = _money(row["amount"], f"instalments[{n}].amount", errors) if "amount" in row else None
            worker = find_worker(case, row, errors, prefix=f"instalments[{n}].")
            if due is not None and amount is not None:
                instalments.append((due, amount, worker))
    if "agreed_amount" in fitting:
        total = _money(fitting["agreed_amount"], "agreed_amount", errors) if fitting["agreed_amount"] is not None \
            else None
    elif "shares" in body:
        total = None  # new shares: the total is their sum
    else:
        total = fen_to_yuan(agreement.agreed_fen)
    method = PerformanceMethod(fitting["performance_method"]) if "performance_method" in fitting \
        else (agreement.performance_method if "instalments" not in body or instalments
              else PerformanceMethod.LUMP_SUM)
    patch.data = AgreementData(
        signed_on=dates["signed_on"] or agreement.signed_on,
        effective_on=dates["effective_on"] or (agreement.effective_on if "signed_on" not in fitting else None),
        performance_deadline=dates["performance_deadline"] if "performance_deadline" in fitting
        else (agreement.performance_deadline if "instalments" not in body else None),
        performance_method=method,
        terms=(fitting["terms"] or "").strip() if "terms" in fitting else agreement.terms,
        shares=share_amounts, total=total, instalments=instalments,
    )
    return patch


def refused(error: Refused, keys: Mapping[str, str]) -> ApiError:
    """A verb's refusal as the API's answer, naming the body's key for the verb's field."""
    key = keys.get(error.field or "", error.field) or GENERAL
    return ApiError(error.status, {key: [str(error.message)]})


# --- the JSON of a payment -----------------------------------------------------------------------

def payment_json(payment: Payment) -> dict[str, Any]:
    """A payment, or the entry reversing one (its amount negative, ``reverses`` naming the payment)."""
    reversal = payment.reversed_by
    return {
        "id": payment.id,
        "on": payment.paid_on.isoformat(),
        "amount": format_yuan(payment.amount_fen, grouping=False),
        "worker": payment.worker.name if payment.worker is not None else None,
        "method": payment.method or "",
        "note": payment.note or "",
        "reverses": payment.reverses_id,
        "reversed_by": reversal.id if reversal is not None else None,
        "reversed_on": reversal.paid_on.isoformat() if reversal is not None else None,
    }


def recovery_json(case: Case) -> dict[str, Any]:
    """What a case read on its own says of its money beyond the ledger keys: payments and what is
    outstanding."""
    from mediation.recovery.services import outstanding

    owed = outstanding(case)
    return {
        "payments": [payment_json(p) for p in sorted(case.payments, key=lambda p: p.id or 0)],
        "outstanding_amount": format_yuan(owed.left_fen, grouping=False),
        "agreement_version": case.agreement.version_no if case.agreement is not None else None,
    }


PAYMENT_KEYS = {"paid_on": "on", "amount": "amount", "worker": "worker_id_number"}
REVERSAL_KEYS = {"on": "on", "reason": "reason", "payment": GENERAL}
AGREEMENT_KEYS = {"total": "agreed_amount", "on": "amended_on", "signed_on": "signed_on",
                  "effective_on": "effective_on", "performance_deadline": "performance_deadline",
                  "shares": "shares", "instalments": "instalments", "reason": "reason"}
