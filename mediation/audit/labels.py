"""How the timeline shows events: names of event kinds and fields, values made readable."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from mediation.core.masking import mask_id_number, mask_phone
from mediation.core.money import format_yuan
from mediation.extensions import db

EVENT_LABELS = {
    "registered": _l("Case registered"),
    "imported": _l("Imported from the ledger"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "mediation_started": _l("Mediation started"),
    "session_recorded": _l("Mediation session recorded"),
    "mediated": _l("Mediated successfully"),
    "agreement_recorded": _l("Agreement recorded"),
    "mediation_failed": _l("Mediation failed"),
    "withdrawn": _l("Application withdrawn"),
    "closed": _l("Case closed"),
    "green_channel": _l("Green channel changed"),
    "assigned": _l("Mediator assigned"),
    "updated": _l("Particulars changed"),
    "payment_recorded": _l("Payment received"),
    "legal_aid_referred": _l("Referred for legal aid"),
    "legal_aid_updated": _l("Legal aid updated"),
    "legal_aid_completed": _l("Legal aid completed"),
    "arbitration_updated": _l("Arbitration updated"),
    "document_rendered": _l("Document printed"),
    "limitation_interrupted": _l("Limitation period interrupted"),
    "corrected": _l("Particulars corrected"),
    "worker_added": _l("Applicant added"),
    "worker_removed": _l("Applicant removed"),
    "worker_corrected": _l("Applicant's particulars corrected"),
    "employer_changed": _l("Case moved to another employer"),
    "employer_corrected": _l("Employer's particulars corrected"),
    "step_reversed": _l("Mistaken step reversed"),
    "duplicate_confirmed": _l("Registered although a likely duplicate"),
    "payment_reversed": _l("Payment reversed"),
    "agreement_corrected": _l("Agreement corrected"),
    "agreement_amended": _l("Agreement amended"),
    "legal_aid_referral_reversed": _l("Legal-aid referral reversed"),
    "session_scheduled": _l("Mediation session scheduled"),
    "session_moved": _l("Mediation session moved"),
    "session_cancelled": _l("Mediation session cancelled"),
    "session_held": _l("Mediation session held"),
    "session_corrected": _l("Mediation session's record corrected"),
    "attachment_added": _l("Attachment added"),
    "attachment_hidden": _l("Attachment hidden"),
}

# The case page's timeline filter: groups of kinds (a kind may sit in several; one in none is under "all").
EVENT_GROUPS = {
    "steps": (_l("Status steps"), frozenset({
        "registered", "imported", "duplicate_confirmed", "accepted", "rejected", "mediation_started",
        "mediated", "agreement_recorded", "mediation_failed", "withdrawn", "closed", "step_reversed",
        "assigned", "green_channel", "arbitration_updated", "limitation_interrupted"})),
    "corrections": (_l("Corrections"), frozenset({
        "updated", "corrected", "worker_added", "worker_removed", "worker_corrected", "employer_changed",
        "employer_corrected", "step_reversed", "payment_reversed", "agreement_corrected", "agreement_amended",
        "legal_aid_referral_reversed", "session_corrected"})),
    "money": (_l("Money"), frozenset({
        "mediated", "agreement_recorded", "agreement_corrected", "agreement_amended", "payment_recorded",
        "payment_reversed"})),
    "sessions": (_l("Mediation sessions"), frozenset({
        "session_recorded", "session_scheduled", "session_moved", "session_cancelled", "session_held",
        "session_corrected"})),
    "legal_aid": (_l("Legal aid"), frozenset({
        "legal_aid_referred", "legal_aid_updated", "legal_aid_completed", "legal_aid_referral_reversed"})),
    "attachments": (_l("Attachments"), frozenset({"attachment_added", "attachment_hidden"})),
}

ADMIN_EVENT_LABELS = {
    "user_created": _l("User created"),
    "user_changed": _l("User changed"),
    "user_disabled": _l("User disabled"),
    "user_enabled": _l("User enabled"),
    "password_set": _l("Password set"),
    "token_issued": _l("API token issued"),
    "token_revoked": _l("API token revoked"),
    "calendar_feed_created": _l("Calendar feed made"),
    "calendar_feed_reset": _l("Calendar feed address reset"),
    "calendar_feed_stopped": _l("Calendar feed stopped"),
    "street_added": _l("Street added"),
    "street_changed": _l("Street changed"),
    "street_deleted": _l("Street deleted"),
    "dispute_type_added": _l("Dispute type added"),
    "dispute_type_changed": _l("Dispute type changed"),
    "dispute_type_deleted": _l("Dispute type deleted"),
    "campaign_added": _l("Campaign period added"),
    "campaign_changed": _l("Campaign period changed"),
    "campaign_deleted": _l("Campaign period deleted"),
    "setting_changed": _l("Setting changed"),
    "minimum_wage_set": _l("Minimum wage entered"),
    "calendar_day_set": _l("Calendar day entered"),
    "calendar_day_removed": _l("Calendar day removed"),
    "calendar_imported": _l("Calendar schedule imported"),
}

SUBJECT_LABELS = {
    "users": _l("User"),
    "streets": _l("Street"),
    "dispute_types": _l("Dispute type"),
    "campaigns": _l("Campaign period"),
    "settings": _l("Setting"),
    "minimum_wages": _l("Minimum wage"),
    "calendar_days": _l("Working calendar"),
}

ADMIN_FIELD_LABELS = {
    "username": _l("Username"),
    "display_name": _l("Display name"),
    "role": _l("Role"),
    "active": _l("Active"),
    "tokens_revoked": _l("Tokens revoked"),
    "token": _l("API token"),
    "email": _l("E-mail address"),
    "calendar_feed": _l("Calendar feed"),
    "name": _l("Name"),
    "name_en": _l("English name"),
    "code": _l("Code"),
    "label_zh": _l("Chinese label"),
    "label_en": _l("English label"),
    "parent_id": _l("Category"),
    "is_pay_claim": _l("Pay claim"),
    "name_zh": _l("Chinese name"),
    "starts_on": _l("Starts on"),
    "ends_on": _l("Ends on"),
    "green_accept_within_working_days": _l("Green channel: accept within (working days)"),
    "green_first_session_days": _l("Green channel: first session within (days)"),
    "green_close_days": _l("Green channel: close within (days)"),
    "office_name": _l("Office name"),
    "office_name_en": _l("Office name in English"),
    "from_on": _l("In force from"),
    "monthly": _l("Monthly minimum wage"),
    "day_kind": _l("Kind of day"),
    "note": _l("Note"),
    "years": _l("Years"),
    "days_off": _l("Days off"),
    "working_days": _l("Working days"),
    "days_removed": _l("Entries removed"),
}

VIA_LABELS = {
    "web": _l("web"),
    "api": _l("API"),
    "import": _l("ledger import"),
    "cli": _l("command line"),
    "system": _l("system"),
    "demo": _l("demo data"),
}

FIELD_LABELS = {
    "case_no": _l("Case number"),
    "received_on": _l("Date received"),
    "application_form": _l("Application"),
    "channel": _l("Intake channel"),
    "dispute_type_id": _l("Dispute type"),
    "employer_id": _l("Employer"),
    "street_id": _l("Street"),
    "matters": _l("Matters claimed"),
    "reasons": _l("Facts and reasons"),
    "notes": _l("Notes"),
    "status": _l("Status"),
    "outcome": _l("Outcome"),
    "green_channel": _l("Green channel"),
    "green_channel_source": _l("Green channel source"),
    "green_channel_reason": _l("Green channel reason"),
    "assigned_mediator_id": _l("Mediator"),
    "accepted_on": _l("Accepted on"),
    "rejected_on": _l("Rejected on"),
    "rejection_reason": _l("Reason for rejection"),
    "mediation_started_on": _l("Mediation started on"),
    "mediation_extended_until": _l("Mediation extended until"),
    "outcome_on": _l("Outcome date"),
    "closed_on": _l("Closed on"),
    "withdrawal_reason": _l("Reason for withdrawal"),
    "failure_reason": _l("Why mediation failed"),
    "dispute_arose_on": _l("Worker knew of the infringement on"),
    "employment_ended_on": _l("Employment ended on"),
    "workers_count": _l("Workers involved"),
    "claimed_fen": _l("Amount claimed"),
    "agreed_fen": _l("Amount agreed"),
    "recovered_fen": _l("Amount recovered"),
    "workers": _l("Applicants"),
    "session": _l("Mediation session"),
    "payment": _l("Payment"),
    "legal_aid": _l("Legal aid"),
    "limitation": _l("Limitation period"),
    "kind": _l("Kind"),
    "on": _l("Date"),
    "still_employed": _l("Still employed"),
    "green_channel_marked_on": _l("Marked for the green channel on"),
    "mediation_extension_agreed_on": _l("Both parties agreed to extend on"),
    "held_at": _l("Held at"),
    "location": _l("Location"),
    "mediator_id": _l("Mediator"),
    "attendees": _l("Attendees"),
    "record": _l("Record"),
    "lawyer_id": _l("Lawyer"),
    "referred_on": _l("Referred on"),
    "completed_on": _l("Completed on"),
    "eligible_claim": _l("Claim eligible for legal aid"),
    "financial_hardship": _l("Financial hardship"),
    "eligibility_note": _l("Eligibility note"),
    "amount_fen": _l("Amount"),
    "result": _l("Result"),
    "paid_on": _l("Paid on"),
    "worker_id": _l("Worker"),
    "method": _l("Method"),
    "note": _l("Note"),
    "arbitration_applied_on": _l("Arbitration applied for on"),
    "arbitration_accepted_on": _l("Arbitration accepted on"),
    "arbitration_extended": _l("Arbitration period extended"),
    "arbitration_award_on": _l("Arbitration award on"),
    "worker": _l("Applicant"),
    "name": _l("Name"),
    "id_number": _l("ID number"),
    "phone": _l("Phone"),
    "address": _l("Address"),
    "migrant_worker": _l("Migrant worker"),
    "is_representative": _l("Representative"),
    "employer": _l("Employer"),
    "employer.name": _l("Employer's name"),
    "credit_code": _l("Unified social credit code"),
    "legal_representative": _l("Legal representative"),
    "contact_name": _l("Contact"),
    "contact_phone": _l("Contact phone"),
    "agreement": _l("Agreement"),
    "signed_on": _l("Signed on"),
    "effective_on": _l("Takes effect on"),
    "performance_deadline": _l("Performance deadline"),
    "performance_method": _l("How it is performed"),
    "terms": _l("Terms"),
    "shares": _l("Each worker's amount"),
    "instalments": _l("Instalments"),
    "due_on": _l("Due on"),
    "reversed_id": _l("Reversed payment"),
    "recorded_by_id": _l("Recorded by"),
    "cancel_reason": _l("Reason for cancelling"),
    "reason": _l("Reason"),
    "attachment": _l("Attachment"),
    "attachment.name": _l("File name"),
    "description": _l("Description"),
    "size": _l("Size"),
    "version_no": _l("Version"),
    "duplicates": _l("Likely duplicates of"),
}


def event_label(kind: str):
    return EVENT_LABELS.get(kind) or _humanised(kind)  # a kind without a label yet still reads as words


def via_label(via: str):
    return VIA_LABELS.get(via, via)


def field_label(name: str):
    """A change's key as people call it: ``payment.worker`` → "Payment · Applicant"; an unknown key
    readably ("claim_basis" → "Claim basis"), never a raw name."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    prefix, _, rest = name.partition(".")
    if rest:
        return f"{field_label(prefix)} · {field_label(rest)}"
    return _humanised(name)


def _humanised(name: str) -> str:
    words = name.removesuffix("_id").removesuffix("_fen").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


# Field → the enum its stored codes belong to, registered by the area that owns the enum (a field named
# "legal_aid.status" is looked up whole first, then by its last part): the timeline shows the label.
VALUE_ENUMS: dict[str, type] = {}


def label_values(enum_cls: type, *fields: str) -> None:
    """Show the stored codes of these fields as the labels of ``enum_cls`` (whose members have ``label``)."""
    for name in fields:
        VALUE_ENUMS[name] = enum_cls


@dataclass(frozen=True)
class Named:
    """How ids of one model are shown: the model, and what to call one of its records."""
    model: type
    name: Callable[[Any], str]


# Field → the model its stored ids refer to, registered by the area that owns the model, looked up as
# VALUE_ENUMS is: the timeline shows the record's name (a user's display name, a street's label …).
VALUE_IDS: dict[str, Named] = {}


def label_ids(model: type, *fields: str, name: Callable[[Any], str] = lambda record: record.name) -> None:
    """Show the ids stored in these fields as ``name(record)`` of the ``model`` records they refer to."""
    named = Named(model, name)
    for field in fields:
        VALUE_IDS[field] = named


def _registered(registry: dict, name: str):
    return registry.get(name) or registry.get(name.rpartition(".")[2])


def _enum_label(name: str, value) -> str | None:
    enum_cls = _registered(VALUE_ENUMS, name)
    if enum_cls is None:
        return None
    try:
        return str(enum_cls(value).label)
    except ValueError:
        return str(value)


# Resolves one id: (how its model is named, the id) → the name, or None when there is no such record.
NameLookup = Callable[[Named, Any], "str | None"]


def lookup_one(named: Named, record_id) -> str | None:
    """The name of one record, read on its own (a timeline reads them all at once: audit.timeline)."""
    record = db.session.get(named.model, record_id)
    return None if record is None else str(named.name(record))


# Lists of a mapping {key: amount} (e.g. each worker's share by worker id): how the parts are shown.
_MAPPING_PARTS = {"shares": ("worker_id", "agreed_fen"), "instalments": ("due_on", "amount_fen")}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_IDENTIFIER_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_NOT_DATES = frozenset({"case_no", "duplicates"})  # a case number may look like a date: "2025-03-12"


def show_value(name: str, value, *, full_personal_data: bool = False, names: NameLookup | None = None) -> str:
    """A value as the timeline shows it: names for ids, labels for codes, yuan for amounts, dates as the
    language writes them, ID numbers and phones masked unless ``full_personal_data``; "—" for nothing."""
    return value_text(name, value, full_personal_data=full_personal_data, names=names) or "—"


def value_text(name: str, value, *, full_personal_data: bool = False, names: NameLookup | None = None) -> str:
    """As :func:`show_value`, but empty for nothing (the API's null)."""
    return _shown(name, value, full_personal_data, names or lookup_one)


def _shown(name: str, value, full: bool, names: NameLookup) -> str:
    key = name.rpartition(".")[2]
    if value is None or (isinstance(value, (str, list, tuple, dict)) and not value):
        return ""
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, (list, tuple)):
        return "、".join(part for part in (_shown(name, item, full, names) for item in value) if part)
    if isinstance(value, dict):
        return _shown_record(name, value, full, names)
    if isinstance(value, int) and key.endswith("_fen"):
        return ("-¥" if value < 0 else "¥") + format_yuan(abs(value))  # a reversal's amount is negative
    named = _registered(VALUE_IDS, name)
    if named is not None and isinstance(value, int):
        found = names(named, value)
        return found if found is not None else f"#{value}"
    label = _enum_label(name, value)
    if label is not None:
        return label
    if isinstance(value, dt.datetime):
        return format_datetime(value, "short")
    if isinstance(value, dt.date):
        return format_date(value, "medium")
    if isinstance(value, str):
        if key == "id_number":
            return value if full else mask_id_number(value)
        if key == "phone":
            return value if full else mask_phone(value)
        if name == "worker.address" and not full:
            return str(_l("(not shown)"))  # a home address has no useful mask
        return value if key in _NOT_DATES else _shown_text(value)
    if key == "size" and isinstance(value, int):
        return _file_size(value)
    return str(value)


def _shown_text(value: str) -> str:
    """ISO dates and times (as the timeline stores them) in the language's own format; other text as is."""
    try:
        if _DATE_RE.match(value):
            return format_date(dt.date.fromisoformat(value), "medium")
        if _DATETIME_RE.match(value):
            return format_datetime(dt.datetime.fromisoformat(value), "short")  # naive: UTC, as stored
    except ValueError:
        pass
    return value


def _shown_record(name: str, record: dict, full: bool, names: NameLookup) -> str:
    """A worker as "张三 (1101**********1234, 138****5678)"; another record as its parts ("张三 ¥1,000.00");
    a mapping such as {worker id: amount} as "张三 ¥1,000.00、李四 ¥500.00"."""
    key = name.rpartition(".")[2]
    if not all(isinstance(k, str) and _IDENTIFIER_RE.match(k) for k in record):
        key_part, value_part = _MAPPING_PARTS.get(key, ("", key))
        return "、".join(
            f"{_shown(key_part, _as_id(k), full, names) if key_part else k} {_shown(value_part, v, full, names)}"
            .strip() for k, v in record.items())
    if "name" in record and ("id_number" in record or "phone" in record):
        details = [_shown(part, record.get(part), full, names) for part in ("id_number", "phone")]
        details = [d for d in details if d]
        return f"{record['name']} ({', '.join(details)})" if details else str(record["name"])
    if "name" in record:
        record = {k: v for k, v in record.items() if k != "worker_id"}  # the name kept with it says who
    return " ".join(part for part in (_shown(k, v, full, names) for k, v in record.items()) if part)


def _as_id(key: str):
    return int(key) if key.isdigit() else key


def _file_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def admin_event_label(kind: str):
    return ADMIN_EVENT_LABELS.get(kind, kind)


def subject_label(subject_type: str):
    return SUBJECT_LABELS.get(subject_type, subject_type)


def admin_field_label(name: str):
    return ADMIN_FIELD_LABELS.get(name, name)


def show_admin_value(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    label = _enum_label(name, value)
    if label is not None:
        return label
    if name == "token":
        return f"{value}…"
    return str(value)


def init_app(app) -> None:
    """The timeline's and the admin log's labels in the templates."""
    app.jinja_env.globals.update(event_label=event_label, via_label=via_label, field_label=field_label,
                                 show_value=show_value, admin_event_label=admin_event_label,
                                 subject_label=subject_label, admin_field_label=admin_field_label,
                                 show_admin_value=show_admin_value)
