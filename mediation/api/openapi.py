"""The OpenAPI 3.1 description served at ``/api/v1/openapi.json``.

Hand-written, and kept honest by tests: Schemathesis generates requests from it and checks that every
answer matches it (tests/api/test_openapi_conformance.py).  Readable without signing in: it is
documentation and holds no data.
"""
from __future__ import annotations

from mediation.api.params import (CURSOR_PATTERN, DATE_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH,
                                  MAX_WITHIN, STATUS_CHOICES, WORKLIST_CURSOR_PATTERN, WORKLIST_DEFAULT_LIMIT)
from mediation.api.patch import CASE_PATCH_SCHEMA
from mediation.api.schemas import CASE_CREATE_SCHEMA, INTERRUPTION_CREATE_SCHEMA
from mediation.api.payments import AGREEMENT_PATCH_SCHEMA, PAYMENT_CREATE_SCHEMA, REVERSAL_SCHEMA
from mediation.api.sessions import SESSION_SCHEMAS, session_paths

# The API's registration takes one key more than a ledger record: the confirmation of a likely duplicate.
CASE_CREATE_API_SCHEMA = {**CASE_CREATE_SCHEMA, "properties": {
    **CASE_CREATE_SCHEMA["properties"],
    "confirm_duplicate": {"type": "boolean", "default": False,
                          "description": "Register the case although it likely repeats an open case of the same "
                                         "worker ID number, or one of the same worker and employer within 30 "
                                         "days (otherwise 409 names them)."}}}
from mediation.cases.models import ApplicationForm, Channel, GreenChannelSource, InterruptionKind
from mediation.cases.workflow import Status
from mediation.clocks.rules import LABELS as DEADLINE_KEYS
from mediation.clocks.worklist import DEFAULT_WITHIN
from mediation.legal_aid.models import LegalAidStatus

DESCRIPTION = """\
For the online intake platform, the 12351 hotline's work orders and other offices' scripts.
JSON in and out, UTF-8.

**Authentication.** Send an API token (made with `flask --app mediation users token USERNAME`) as
`Authorization: Bearer TOKEN`; it acts with its user's role. A browser signed in to the app may also read
the API with its session cookie, but to change anything (POST) a session must send its CSRF token in an
`X-CSRFToken` header, or the request is refused with 403: a cookie alone never writes. Without a valid
token or session the answer is 401 with `WWW-Authenticate: Bearer`; a role that may not do the thing
gets 403. Lawyers see only the cases referred to them: other cases answer 404, as if they did not exist.

**Errors** are always `{"errors": {field: [messages]}}`, the key `_` standing for the request as a whole.
A body that is not a JSON object (malformed JSON, a list, text, a number, another content type) is 400; a
JSON object with bad fields is 422 naming every bad field, unknown fields included; a bad query
parameter is 400 naming it. A refused request changes nothing.

**Personal data.** ID numbers and phone numbers are shown in full on a single case to roles with access to
personal data; in a page of cases (a bulk read) only to roles that may export the ledger in full
(admin, supervisor), masked (e.g. `1101**********1234`) for the others.

**Amounts** are strings of yuan with two decimals, e.g. `"12500.00"`.

**Deadlines.** A case read on its own (and the case a POST registers) carries its clocks as they are now:
`deadlines`, by due date, each with its legal basis and its state on the day of the request (CONTRACTS §7).
A page of cases does not. Recording an interruption of the limitation period answers with the
`limitation` deadline it leaves the case.
"""

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
AMOUNT = {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$", "examples": ["12500.00"]}
NULLABLE_AMOUNT = {"type": ["string", "null"], "pattern": r"^[0-9]+\.[0-9]{2}$"}


def _object(properties: dict, **extra) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False, **extra}


def _nullable_enum(values: list[str]) -> dict:
    return {"type": ["string", "null"], "enum": values + [None]}


WORKER = _object({
    "name": {"type": "string"},
    "id_number": {"type": ["string", "null"], "description": "Masked unless the caller may see it in full."},
    "phone": {"type": ["string", "null"], "description": "Masked unless the caller may see it in full."},
    "address": {"type": ["string", "null"],
                "description": "申请人住址; null when none is recorded or the caller may not see it in full."},
    "migrant_worker": {"type": "boolean"},
    "is_representative": {"type": "boolean"},
    "claimed_amount": AMOUNT,
})

DISPUTE_TYPE = _object({
    "code": {"type": "string", "examples": ["wage_arrears"]},
    "label_zh": {"type": "string"},
    "label_en": {"type": "string"},
    "category": {"type": "string", "description": "The Art. 2 category's code (the type's own for a category)."},
    "art2_item": {"type": "integer", "minimum": 1, "maximum": 6},
})

LEGAL_AID = _object({
    "status": {"type": "string", "enum": [s.value for s in LegalAidStatus]},
    "status_zh": {"type": "string"},
    "referred_on": {"type": "string", "format": "date"},
    "completed_on": NULLABLE_DATE,
    "amount": AMOUNT,
}, description="The legal-aid referral, if any.")

NULLABLE_TEXT = {"type": ["string", "null"]}
DEADLINE = _object({
    "key": {"type": "string", "enum": list(DEADLINE_KEYS),
            "description": "Which clock (`instalment`: one per unpaid instalment)."},
    "label": {"type": "string", "description": "Its name in the interface language."},
    "basis": {"type": "string", "description": "Its legal basis, in the interface language."},
    "due_on": {"type": "string", "format": "date"},
    "met_on": {**NULLABLE_DATE, "description": "When it was met (or missed); null while open."},
    "state": {"type": "string", "enum": ["open", "due_soon", "overdue", "met", "missed", "info"],
              "description": "On the day of the request: due_soon is within 2 working days; info obliges "
                             "nobody (e.g. the optional joint arbitral review)."},
})

CASE_PROPERTIES = {
    "case_no": {"type": "string"},
    "url": {"type": "string", "description": "This case in the API."},
    "status": {"type": "string", "enum": [s.value for s in Status]},
    "status_zh": {"type": "string"},
    "outcome": _nullable_enum([Status.MEDIATED.value, Status.FAILED.value, Status.WITHDRAWN.value,
                               Status.REJECTED.value]),
    "received_on": {"type": "string", "format": "date"},
    "accepted_on": NULLABLE_DATE,
    "rejected_on": NULLABLE_DATE,
    "mediation_started_on": NULLABLE_DATE,
    "outcome_on": NULLABLE_DATE,
    "closed_on": NULLABLE_DATE,
    "channel": {"type": "string", "enum": [c.value for c in Channel]},
    "channel_zh": {"type": "string"},
    "application_form": {"type": "string", "enum": [f.value for f in ApplicationForm]},
    "dispute_type": {"$ref": "#/components/schemas/DisputeType"},
    "street": {"type": ["string", "null"]},
    "green_channel": {"type": "boolean"},
    "green_channel_source": _nullable_enum([s.value for s in GreenChannelSource]),
    "workers_count": {"type": "integer", "minimum": 1},
    "workers": {"type": "array", "items": {"$ref": "#/components/schemas/Worker"}},
    "employer": _object({"name": {"type": "string"}, "credit_code": NULLABLE_TEXT,
                         "address": NULLABLE_TEXT, "representative": {**NULLABLE_TEXT, "description": "法定代表人（负责人）."},
                         "phone": NULLABLE_TEXT}),
    "claimed_amount": AMOUNT,
    "agreed_amount": NULLABLE_AMOUNT,
    "recovered_amount": AMOUNT,
    "agreement_due_on": {**NULLABLE_DATE, "description": "The agreement's performance deadline (协议履行期限)."},
    "agreement_method": {**NULLABLE_TEXT, "description": "How the agreement is performed (履行方式): its terms."},
    "legal_aid": {"oneOf": [{"$ref": "#/components/schemas/LegalAid"}, {"type": "null"}]},
    "assigned_mediator": {"type": ["string", "null"], "description": "The mediator's username."},
    "matters": {"type": "string", "description": "申请事项."},
    "reasons": {"type": "string", "description": "事实和理由."},
    "dispute_arose_on": {**NULLABLE_DATE, "description": "When the worker knew of the infringement (Art. 27)."},
    "still_employed": {"type": ["boolean", "null"], "description": "null when not recorded."},
    "employment_ended_on": NULLABLE_DATE,
    "notes": {"type": "string"},
    "version": {"type": "integer", "minimum": 1,
                "description": "Changes with every change to the case (send it back to say which you read)."},
    "updated_at": {"type": "string", "format": "date-time"},
}
CASE = _object(CASE_PROPERTIES, description="A case, as in a page of cases.")
SIGNED_AMOUNT = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "examples": ["4500.00", "-4500.00"]}
PAYMENT = _object({
    "id": {"type": "integer"},
    "on": {"type": "string", "format": "date", "description": "When it was paid (for a reversal: reversed)."},
    "amount": {**SIGNED_AMOUNT, "description": "Yuan; negative for the entry reversing a payment."},
    "worker": {"type": ["string", "null"], "description": "The worker paid, by name; null: not one worker."},
    "method": {"type": "string"},
    "note": {"type": "string", "description": "For a reversal: its reason."},
    "reverses": {"type": ["integer", "null"], "description": "The payment this entry reverses."},
    "reversed_by": {"type": ["integer", "null"], "description": "The entry that reversed this payment."},
    "reversed_on": {**NULLABLE_DATE, "description": "When this payment was reversed; null while it counts."},
}, description="A payment received, or the entry reversing one. Every total is net of reversals.")

CASE_DETAIL = _object({**CASE_PROPERTIES, "deadlines": {
    "type": "array", "items": {"$ref": "#/components/schemas/Deadline"},
    "description": "The case's clocks as they are now, by due date (CONTRACTS §7)."},
    "payments": {"type": "array", "items": {"$ref": "#/components/schemas/Payment"},
                 "description": "Payments and reversing entries, in the order they were recorded."},
    "outstanding_amount": {**AMOUNT, "description": "What may still be received: agreed (without an "
                                                    "agreement: claimed) less what was received."},
    "agreement_version": {"type": ["integer", "null"], "minimum": 1,
                          "description": "The agreement's version (1 as signed; each amendment adds one)."},
    "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/SessionSummary"},
                 "description": "Its mediation sessions by time: scheduled, held and cancelled ones."}},
    description="One case read on its own: a Case, its deadlines and its payments.")

INTERRUPTION = _object({
    "id": {"type": "integer"},
    "on": {"type": "string", "format": "date"},
    "kind": {"type": "string", "enum": [k.value for k in InterruptionKind]},
    "note": {"type": "string"},
    "limitation": {"oneOf": [{"$ref": "#/components/schemas/Deadline"}, {"type": "null"}],
                   "description": "The case's limitation deadline now; null where none runs (a pay claim "
                                  "while the worker is still employed, no date the worker knew, or a case "
                                  "past mediation that did not fail)."},
})

READ = {"type": ["string", "null"], "description": "As people read it, in the request's language: a name, a "
                                                   "label, yuan (\"¥1,234.50\"), a date; null for nothing."}
EVENTS = _object({
    "items": {"type": "array", "description": "Oldest first.", "items": _object({
        "at": {"type": "string", "format": "date-time", "description": "When it was recorded."},
        "on": {"type": "string", "format": "date", "description": "The day it happened (a late entry is dated "
                                                                  "back)."},
        "actor": {"type": ["string", "null"], "description": "Who, by name; null for the system or an import."},
        "via": {"type": "string", "examples": ["web", "api", "import", "cli", "system"]},
        "kind": {"type": "string", "examples": ["accepted", "corrected", "payment_reversed"]},
        "label": {"type": "string", "description": "The kind as people call it."},
        "subject": {"oneOf": [_object({"label": {"type": "string"}, "value": {"type": "string"}}),
                              {"type": "null"}],
                    "description": "Whom the event concerns (a worker of a group case), or null."},
        "changes": {"type": "array", "items": _object({
            "field": {"type": "string", "description": "The key, e.g. `assigned_mediator_id`, `payment.amount_fen`."},
            "label": {"type": "string", "description": "The field as people call it."},
            "before": READ, "after": READ})},
        "reason": {"type": "string", "description": "The reason or note given; empty when none."},
    })},
})

ATTACHMENTS = _object({
    "items": {"type": "array", "description": "Oldest first.", "items": _object({
        "id": {"type": "integer"},
        "name": {"type": "string", "description": "The file's own name, as it was uploaded."},
        "kind": {"type": "string", "enum": ["contract", "pay_slip", "signed_agreement", "id_copy", "other"]},
        "kind_label": {"type": "string", "description": "The kind as people call it."},
        "description": {"type": "string"},
        "type": {"type": "string", "enum": ["pdf", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt", "ods"],
                 "description": "What the content is (judged from the content, not the name)."},
        "content_type": {"type": "string"},
        "size": {"type": "integer", "description": "Bytes."},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "uploaded_at": {"type": "string", "format": "date-time"},
        "uploaded_by": {"type": ["string", "null"]},
        "hidden": {"type": "boolean", "description": "Taken off the case (kept for the record)."},
        "hidden_at": {"type": ["string", "null"], "format": "date-time"},
        "hidden_by": {"type": ["string", "null"]},
        "hidden_reason": {"type": ["string", "null"]},
    })},
})

WORKLIST = _object({
    "items": {"type": "array", "items": _object({
        "case_no": {"type": "string"},
        "key": {"type": "string", "enum": list(DEADLINE_KEYS)},
        "label": {"type": "string", "description": "The clock's name in the interface language."},
        "due_on": {"type": "string", "format": "date"},
        "state": {"type": "string", "enum": ["overdue", "due_soon"],
                  "description": "overdue: the due date has passed; due_soon: due today or within `within` "
                                 "working days."},
        "url": {"type": "string", "description": "The case in the API."},
    })},
    "next": {"type": ["string", "null"], "description": "Pass as page_after for the next page; null on the last."},
})

CASE_PAGE = _object({
    "cases": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}},
    "next_page_after": {"type": ["string", "null"],
                        "description": "Pass as page_after for the next page; null on the last page."},
})

_COUNT = {"type": "integer", "minimum": 0}
SUMMARY = {
    "type": "object",
    "description": "CONTRACTS §3: each event counted on the date it happened; both dates inclusive. "
                   "Further keys (breakdowns) may follow.",
    "properties": {
        "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
        "received": _COUNT, "accepted": _COUNT, "rejected": _COUNT,
        "mediated_success": _COUNT, "mediation_failed": _COUNT, "withdrawn": _COUNT,
        "success_rate": {"type": "string", "pattern": r"^([0-9]{1,3}\.[0-9]%)?$", "examples": ["55.3%", ""]},
        "mediated_success_claimed": AMOUNT, "mediated_success_agreed": AMOUNT,
        "recovered": {**SIGNED_AMOUNT, "description": "Payments received in the period less the payments "
                                                      "reversed in it (a reversal counts when it is made); "
                                                      "negative when a period's reversals exceed its payments."},
        "legal_aid_referred": _COUNT, "legal_aid_completed": _COUNT, "legal_aid_completed_amount": AMOUNT,
        "green_channel_received": _COUNT, "green_channel_closed": _COUNT, "workers_involved": _COUNT,
        "headline_zh": {"type": "string"}, "headline_en": {"type": "string"},
    },
}
SUMMARY["required"] = list(SUMMARY["properties"])

ERRORS = _object({
    "errors": {"type": "object", "minProperties": 1,
               "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
               "description": "Messages by field or parameter name; `_` for the request as a whole."},
}, examples=[{"errors": {"worker_name": ["Must be text."], "colour": ["Unknown field."]}}])
ERRORS["properties"]["existing"] = {
    "type": "array", "items": {"type": "string"},
    "description": "With a 409 for a likely duplicate: the case numbers it likely repeats."}


def _error(description: str, **extra) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}, **extra}


RESPONSES = {
    "BadRequest": _error("The request is not understood: a bad query parameter (named), or a body that is not a "
                         "JSON object."),
    "Unauthorized": _error("No valid API token or session.", headers={"WWW-Authenticate": {
        "required": True, "schema": {"type": "string"}, "description": "Bearer."}}),
    "Forbidden": _error("The caller's role may not do this (or a session write without X-CSRFToken)."),
    "NotFound": _error("No such case (or not one the caller may see)."),
    "Conflict": _error("The case is already registered (its case_no, or the same date received, applicant "
                       "and employer; Location names it); or it likely repeats open cases (`errors.duplicate`, "
                       "`existing`; send again with confirm_duplicate true to register it all the same); or "
                       "someone else changed the case since the caller read it (a stale `version`).",
                       headers={"Location": {"schema": {"type": "string"}}}),
    "TooLarge": _error("The body is larger than the server accepts."),
    "Unprocessable": _error("The JSON object has bad fields; every one is named."),
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _refs(*names: str) -> dict:
    codes = {"BadRequest": "400", "Unauthorized": "401", "Forbidden": "403", "NotFound": "404",
             "Conflict": "409", "TooLarge": "413", "Unprocessable": "422"}
    return {codes[n]: {"$ref": f"#/components/responses/{n}"} for n in names}


# A filter given empty means 'any' (as the web queue's form sends it).
LIST_PARAMETERS = [
    _query("status", {"type": "string", "enum": STATUS_CHOICES + [""]},
           "Only cases in this status (`open`: not final)."),
    _query("green_channel", {"type": "string", "enum": ["true", "false", "1", "0", ""]},
           "Only green-channel cases (true) or only the others (false)."),
    _query("dispute_type", {"type": "string", "maxLength": 40},
           "A dispute-type code; a category's code includes its finer types."),
    _query("street", {"type": "string", "maxLength": 100}, "A street's name (所属街道)."),
    _query("channel", {"type": "string", "enum": [c.value for c in Channel] + [""]}, "The intake channel."),
    _query("q", {"type": "string", "maxLength": MAX_QUERY_LENGTH},
           "Search: case number; any part of an applicant's or employer's name; an applicant's full phone or "
           "ID number; an employer's credit code or contact phone."),
    _query("page_after", {"type": "string", "pattern": f"^({CURSOR_PATTERN.strip('^$')})?$"},
           "The previous page's next_page_after; empty or absent for the first page."),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
           "Cases per page."),
]

SUMMARY_PARAMETERS = [
    {**_query(name, {"type": "string", "format": "date", "pattern": DATE_PATTERN}, description), "required": True,
     "example": example}
    for name, description, example in (("from", "First day (YYYY-MM-DD), inclusive.", "2025-01-01"),
                                       ("to", "Last day (YYYY-MM-DD), inclusive; not before from.", "2025-06-30"))
]

WORKLIST_PARAMETERS = [
    _query("within", {"type": "integer", "minimum": 0, "maximum": MAX_WITHIN, "default": DEFAULT_WITHIN},
           "Working days ahead: deadlines due by then are listed with the overdue ones."),
    _query("page_after", {"type": "string", "pattern": f"^({WORKLIST_CURSOR_PATTERN.strip('^$')})?$"},
           "The previous page's next; empty or absent for the first page."),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": WORKLIST_DEFAULT_LIMIT},
           "Items per page."),
]

CASE_NO = {"name": "case_no", "in": "path", "required": True, "schema": {"type": "string"},
           "description": "The case number, URL-encoded.", "example": "2025-00001"}

PATHS = {
    "/api/v1/cases": {
        "get": {
            "operationId": "listCases",
            "summary": "A page of cases: open green-channel cases first, then other open cases, then finished "
                       "ones, each oldest first.",
            "parameters": LIST_PARAMETERS,
            "responses": {"200": {"description": "One page.", "content": _json("CasePage")},
                          **_refs("BadRequest", "Unauthorized", "Forbidden")},
        },
        "post": {
            "operationId": "createCase",
            "summary": "Register a case from one ledger record (the same rules as the ledger import).",
            "requestBody": {"required": True, "content": _json("CaseCreate")},
            "responses": {"201": {"description": "Registered.", "content": _json("CaseDetail"),
                                  "headers": {"Location": {"required": True, "schema": {"type": "string"}}}},
                          **_refs("BadRequest", "Unauthorized", "Forbidden", "Conflict", "TooLarge",
                                  "Unprocessable")},
        },
    },
    "/api/v1/cases/{case_no}": {
        "get": {
            "operationId": "getCase",
            "summary": "One case with its workers, employer, status, amounts, key dates, legal aid and deadlines.",
            "parameters": [CASE_NO],
            "responses": {"200": {"description": "The case.", "content": _json("CaseDetail")},
                          **_refs("Unauthorized", "Forbidden", "NotFound")},
        },
        "patch": {
            "operationId": "correctCase",
            "summary": "Correct a case: any ledger key that describes it, `workers` to replace its workers, "
                       "`reason` (required once the case is accepted) and `version` (as last read; a stale one "
                       "answers 409). Every change is a timeline event with the values before and after. Roles "
                       "that may edit cases.",
            "parameters": [CASE_NO],
            "requestBody": {"required": True, "content": _json("CasePatch")},
            "responses": {"200": {"description": "Corrected: the case as it now is.", "content": _json("CaseDetail")},
                          **_refs("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "TooLarge",
                                  "Unprocessable")},
        },
    },
    "/api/v1/cases/{case_no}/limitation-interruptions": {
        "post": {
            "operationId": "addLimitationInterruption",
            "summary": "Record an interruption of the Art. 27 limitation period (the worker claimed from the "
                       "employer, applied to a competent body, or the employer agreed to perform): it runs "
                       "again in full from that day. Roles that may edit cases.",
            "parameters": [CASE_NO],
            "requestBody": {"required": True, "content": _json("LimitationInterruptionCreate")},
            "responses": {"201": {"description": "Recorded: the interruption and the limitation deadline it "
                                                 "leaves the case.", "content": _json("LimitationInterruption")},
                          **_refs("BadRequest", "Unauthorized", "Forbidden", "NotFound", "TooLarge",
                                  "Unprocessable")},
        },
    },
    "/api/v1/cases/{case_no}/events": {
        "get": {
            "operationId": "getCaseEvents",
            "summary": "The case's timeline, oldest first: who did what, when, each change before and after with "
                       "values as people read them (names, labels, yuan) in the request's language (`?lang=en`). "
                       "ID numbers and phones in full only to roles with access to personal data. Printed "
                       "documents are not events.",
            "parameters": [CASE_NO],
            "responses": {"200": {"description": "The timeline.", "content": _json("Events")},
                          **_refs("Unauthorized", "Forbidden", "NotFound")},
        },
    },
    "/api/v1/cases/{case_no}/attachments": {
        "get": {
            "operationId": "getCaseAttachments",
            "summary": "The files filed with the case as evidence (scanned contract, pay slips, the signed "
                       "agreement …), oldest first; files taken off the case are listed, marked hidden, only to "
                       "supervisors and admins. The files themselves are served on the case page.",
            "parameters": [CASE_NO],
            "responses": {"200": {"description": "The attachments.", "content": _json("Attachments")},
                          **_refs("Unauthorized", "Forbidden", "NotFound")},
        },
    },
    "/api/v1/cases/{case_no}/payments": {
        "post": {
            "operationId": "addPayment",
            "summary": "Record a payment received (实际兑现). Refused (422, naming `amount`) above what is "
                       "outstanding, in total or to the worker; an unknown worker is 422 naming the worker key. "
                       "Roles that may record payments (not lawyers).",
            "parameters": [CASE_NO],
            "requestBody": {"required": True, "content": _json("PaymentCreate")},
            "responses": {"201": {"description": "Recorded.", "content": _json("Payment")},
                          **_refs("BadRequest", "Unauthorized", "Forbidden", "NotFound", "TooLarge",
                                  "Unprocessable")},
        },
    },
    "/api/v1/cases/{case_no}/payments/{payment_id}/reverse": {
        "post": {
            "operationId": "reversePayment",
            "summary": "Reverse a payment recorded by mistake, with a reason: it stays on record and an entry of "
                       "the opposite amount, dated the day of the reversal, takes it back from every total "
                       "(the reports count it in that period). A payment is reversed once (again: 422).",
            "parameters": [CASE_NO, {"name": "payment_id", "in": "path", "required": True,
                                     "schema": {"type": "integer"}, "description": "The payment's id."}],
            "requestBody": {"required": True, "content": _json("PaymentReversal")},
            "responses": {"201": {"description": "Reversed: the reversing entry.", "content": _json("Payment")},
                          **_refs("BadRequest", "Unauthorized", "Forbidden", "NotFound", "TooLarge",
                                  "Unprocessable")},
        },
    },
    "/api/v1/cases/{case_no}/agreement": {
        "patch": {
            "operationId": "changeAgreement",
            "summary": "Correct the agreement (before any payment: replaced, the timeline keeps what it said) or "
                       "amend it (after, or with `amended_on`: a new version, the earlier one kept; never less "
                       "than has been paid). 404 for a case without an agreement.",
            "parameters": [CASE_NO],
            "requestBody": {"required": True, "content": _json("AgreementPatch")},
            "responses": {"200": {"description": "Changed: the case as it now is.", "content": _json("CaseDetail")},
                          **_refs("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "TooLarge",
                                  "Unprocessable")},
        },
    },
    "/api/v1/worklist": {
        "get": {
            "operationId": "getWorklist",
            "summary": "The caller's deadlines overdue or due within `within` working days, overdue first, "
                       "then by due date (a mediator: their cases; a supervisor or admin: the office; a "
                       "lawyer: the cases referred to them). Information-only dates are never listed.",
            "parameters": WORKLIST_PARAMETERS,
            "responses": {"200": {"description": "One page.", "content": _json("Worklist")},
                          **_refs("BadRequest", "Unauthorized", "Forbidden")},
        },
    },
    "/api/v1/reports/summary": {
        "get": {
            "operationId": "getSummary",
            "summary": "The outcome summary of a period (CONTRACTS §3). Admins and supervisors.",
            "parameters": SUMMARY_PARAMETERS,
            "responses": {"200": {"description": "The summary.", "content": _json("Summary")},
                          **_refs("BadRequest", "Unauthorized", "Forbidden")},
        },
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This description.",
            "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {
                "schema": {"type": "object"}}}}},
        },
    },
}

PATHS.update(session_paths(CASE_NO, _refs, _json))


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "mediation API", "version": "1.0.0", "description": DESCRIPTION},
        "paths": PATHS,
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "An API token from `flask --app mediation users token USERNAME`."},
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": "A signed-in browser; writes also need the X-CSRFToken header."},
            },
            "schemas": {"Case": CASE, "CaseDetail": CASE_DETAIL, "Deadline": DEADLINE, "Worker": WORKER,
                        "DisputeType": DISPUTE_TYPE, "LegalAid": LEGAL_AID, "CasePage": CASE_PAGE, "Worklist": WORKLIST,
                        "Events": EVENTS, "Attachments": ATTACHMENTS,
                        "CaseCreate": CASE_CREATE_API_SCHEMA, "CasePatch": CASE_PATCH_SCHEMA, "LimitationInterruptionCreate": INTERRUPTION_CREATE_SCHEMA,
                        "LimitationInterruption": INTERRUPTION, "Summary": SUMMARY, "Errors": ERRORS,
                        "Payment": PAYMENT, "PaymentCreate": PAYMENT_CREATE_SCHEMA,
                        "PaymentReversal": REVERSAL_SCHEMA, "AgreementPatch": AGREEMENT_PATCH_SCHEMA,
                        **SESSION_SCHEMAS},
            "responses": RESPONSES,
        },
    }
