"""How the timeline shows events: names of event kinds and fields, values made readable."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from mediation.core.masking import mask_id_number, mask_phone
from mediation.core.money import format_yuan
from mediation.core.timeutil import to_local

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
}


def event_label(kind: str):
    return EVENT_LABELS.get(kind, kind)


def via_label(via: str):
    return VIA_LABELS.get(via, via)


def field_label(name: str):
    prefix, _, rest = name.partition(".")
    if rest and prefix in ("legal_aid", "session", "agreement", "payment", "limitation"):
        return f"{FIELD_LABELS.get(prefix, prefix)} · {FIELD_LABELS.get(rest, rest)}"
    return FIELD_LABELS.get(name, name)


# Field → the enum its stored codes belong to, registered by the area that owns the enum (a field named
# "legal_aid.status" is looked up whole first, then by its last part): the timeline shows the label.
VALUE_ENUMS: dict[str, type] = {}


def label_values(enum_cls: type, *fields: str) -> None:
    """Show the stored codes of these fields as the labels of ``enum_cls`` (whose members have ``label``)."""
    for name in fields:
        VALUE_ENUMS[name] = enum_cls


def _enum_label(name: str, value) -> str | None:
    enum_cls = VALUE_ENUMS.get(name) or VALUE_ENUMS.get(name.rpartition(".")[2])
    if enum_cls is None:
        return None
    try:
        return str(enum_cls(value).label)
    except ValueError:
        return str(value)


def show_value(name: str, value) -> str:
    """A value as the timeline shows it: yuan for amounts, labels for statuses, personal data masked."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    key = name.rpartition(".")[2]
    if key.endswith("_fen") and isinstance(value, int):
        return "¥" + format_yuan(value)
    label = _enum_label(name, value)
    if label is not None:
        return label
    if key == "held_at" and isinstance(value, str):
        try:
            return to_local(dt.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    if key == "workers" and isinstance(value, list):
        return "、".join(
            f"{w.get('name')} {mask_id_number(w.get('id_number'))} {mask_phone(w.get('phone'))}".strip()
            for w in value
        )
    if key == "id_number":
        return mask_id_number(value)
    if key == "phone":
        return mask_phone(value)
    return str(value)


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
