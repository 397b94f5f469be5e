"""The JSON API (CONTRACTS §5, §7).  Thin: authenticate, check the permission, read the input, call a service.

Every refusal is ``{"errors": {field: [messages]}}`` (see :mod:`mediation.api.errors`); the app's own
error handlers give the same shape for 404/405/413/500 on /api/ paths.
"""
from __future__ import annotations

import json
from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from mediation.api import params, payments, services
from mediation.api.auth import api_user, authenticate, require_permission
from mediation.api.errors import GENERAL, ApiError, general, not_found, respond
from mediation.api.openapi import openapi_document
from mediation.api.patch import apply_patch, read_patch
from mediation.api.schemas import check_json_shape, read_interruption
from mediation.api.serialisers import (case_detail_json, case_json, event_json, interruption_json,
                                       preload_legal_aid, worklist_item_json)
from mediation.attachments.serialisers import attachment_json
from mediation.attachments.services import case_attachments
from mediation.audit.timeline import case_events, readable
from mediation.auth.permissions import can
from mediation.cases.access import can_view_case
from mediation.cases.models import Case
from mediation.cases.queue import queue_page
from mediation.cases.services import record_limitation_interruption
from mediation.clocks import worklist
from mediation.core.errors import Refused
from mediation.extensions import db
from mediation.recovery.models import Payment
from mediation.recovery.corrections import amend_agreement, correct_agreement
from mediation.recovery.services import record_payment
from mediation.recovery.services import reverse_payment as reverse_payment_verb
from mediation.api import sessions as session_bodies
from mediation.sessions import services as session_verbs
from mediation.sessions.models import MediationSession

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC = {"api.openapi"}


@bp.before_request
def require_caller():
    if request.endpoint not in PUBLIC:
        authenticate()


@bp.errorhandler(ApiError)
def refused(error: ApiError):
    db.session.rollback()  # a refused request changes nothing
    return respond(error)


@bp.errorhandler(Refused)
def refused_by_the_rules(error: Refused):
    db.session.rollback()
    return respond(ApiError(error.status, {error.field or GENERAL: [str(error.message)]}))


@bp.errorhandler(StaleDataError)
@bp.errorhandler(IntegrityError)
def concurrent_change(_error):
    db.session.rollback()
    return respond(general(409, _("Someone else changed this at the same time. Nothing was saved; please "
                                  "read it again and retry.")))


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.route("/cases", methods=["POST"])
@require_permission("case.create")
def create_case():
    body = json_object_body()
    confirm_duplicate = body.pop("confirm_duplicate", False)
    record, errors = check_json_shape(body)
    if not isinstance(confirm_duplicate, bool):
        errors["confirm_duplicate"] = [_("Must be true or false.")]
    record["status"] = record.get("status") or "received"
    # The ledger validator sees every key that has the right JSON shape, so one answer names every bad
    # field; for a key both name, the shape message wins (the validator only saw the key as missing).
    row, record_errors = services.read_record(record)
    errors = record_errors | errors
    if errors or row is None:
        raise ApiError(422, errors or {"_": [_("The case could not be read.")]})
    case = services.register_case_from_row(row, api_user(), confirm_duplicate=confirm_duplicate)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request registered the same case number between the check and the insert.
        raise ApiError(409, {"case_no": [_("This case number is already taken.")]}) from None
    response = jsonify(case_detail_json(case, full_personal_data=can(api_user(), "case.personal_data")))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_case", case_no=case.case_no)
    return response


def json_object_body() -> dict:
    """The request body as a JSON object; 400 for anything else (amounts stay exact: floats become Decimal)."""
    if not request.is_json:
        raise general(400, _("Send a JSON object with Content-Type: application/json."))
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise general(400, _("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise general(400, _("The body must be a JSON object ({…}), not a list, text or number."))
    return body


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def visible_case(case_no: str) -> Case:
    """The case the caller may see, else 404."""
    if "\x00" in case_no or len(case_no) > 40:
        raise not_found()
    case = db.session.scalar(sa.select(Case).where(Case.case_no == case_no))
    if case is None or not can_view_case(api_user(), case):
        raise not_found()  # a lawyer learns nothing about cases not referred to them
    return case


@bp.route("/cases/<path:case_no>")
@require_permission("case.view")
def get_case(case_no: str):
    case = visible_case(case_no)
    return jsonify(case_detail_json(case, full_personal_data=can(api_user(), "case.personal_data")))


@bp.route("/cases/<path:case_no>", methods=["PATCH"])
@require_permission("case.edit")
def patch_case(case_no: str):
    """Correct a case (CONTRACTS §8): the keys given change, with a reason once the case is accepted."""
    case = visible_case(case_no)
    patch = read_patch(json_object_body())
    if patch.errors:
        raise ApiError(422, patch.errors)
    if patch.version is not None and patch.version != case.version:
        raise ApiError(409, {"version": [_("Someone else changed this case since you read it (version %(read)d, "
                                           "now %(now)d). Nothing was saved; read it again and retry.",
                                           read=patch.version, now=case.version)]})
    apply_patch(case, api_user(), patch)
    db.session.flush()  # the new version, and a concurrent change found now (409), not at the commit
    return jsonify(case_detail_json(case, full_personal_data=can(api_user(), "case.personal_data")))


@bp.route("/cases/<path:case_no>/limitation-interruptions", methods=["POST"])
@require_permission("case.edit")
def add_limitation_interruption(case_no: str):
    """Art. 27 para. 2: the limitation period was interrupted (CONTRACTS §7)."""
    case = visible_case(case_no)
    data, errors = read_interruption(json_object_body())
    if errors:
        raise ApiError(422, errors)
    interruption = record_limitation_interruption(case, api_user(), **data)
    db.session.flush()  # its id, and the limitation it leaves
    response = jsonify(interruption_json(interruption))
    response.status_code = 201
    return response


@bp.route("/cases/<path:case_no>/events")
@require_permission("case.view")
def get_case_events(case_no: str):
    """The case's timeline, oldest first, every value as people read it (CONTRACTS §8)."""
    case = visible_case(case_no)
    entries = readable(case_events(case), full_personal_data=can(api_user(), "case.personal_data"))
    return jsonify({"items": [event_json(entry) for entry in entries]})


@bp.route("/cases/<path:case_no>/attachments")
@require_permission("case.view")
def get_case_attachments(case_no: str):
    """The files filed with the case, oldest first; those taken off it only for supervisors and admins."""
    case = visible_case(case_no)
    items = case_attachments(case, include_hidden=can(api_user(), "attachment.view_hidden"))
    return jsonify({"items": [attachment_json(a) for a in items]})


@bp.route("/cases/<path:case_no>/payments", methods=["POST"])
@require_permission("case.payment")
def add_payment(case_no: str):
    """A payment received (CONTRACTS §8): 201 with it; above what is outstanding, 422 naming ``amount``."""
    case = visible_case(case_no)
    body = payments.read_payment(json_object_body(), case)
    if body.errors:
        raise ApiError(422, body.errors)
    try:
        payment = record_payment(case, api_user(), **body.values)
    except Refused as exc:
        raise payments.refused(exc, {**payments.PAYMENT_KEYS, "worker": body.worker_key}) from None
    db.session.flush()  # its id
    response = jsonify(payments.payment_json(payment))
    response.status_code = 201
    return response


@bp.route("/cases/<path:case_no>/payments/<payment_id>/reverse", methods=["POST"])
@require_permission("case.payment")
def reverse_payment(case_no: str, payment_id: str):
    """Reverse a payment recorded by mistake (CONTRACTS §8): 201 with the reversing entry."""
    case = visible_case(case_no)
    # Any id in the path reaches here (not another route's 405); one that is no payment of the case is 404.
    payment = db.session.get(Payment, int(payment_id)) if payment_id.isascii() and payment_id.isdigit() \
        and len(payment_id) < 12 else None
    if payment is None or payment.case_id != case.id:
        raise not_found()
    found, errors = payments.read_reversal(json_object_body())
    if errors:
        raise ApiError(422, errors)
    try:
        entry = reverse_payment_verb(case, api_user(), payment, **found)
    except Refused as exc:
        raise payments.refused(exc, payments.REVERSAL_KEYS) from None
    db.session.flush()
    response = jsonify(payments.payment_json(entry))
    response.status_code = 201
    return response


@bp.route("/cases/<path:case_no>/agreement", methods=["PATCH"])
@require_permission("case.agreement")
def patch_agreement(case_no: str):
    """Correct the agreement before any payment, amend it after (a new version; the earlier one kept)."""
    case = visible_case(case_no)
    patch = payments.read_agreement_patch(json_object_body(), case)
    if patch.errors:
        raise ApiError(404 if case.agreement is None else 422, patch.errors)
    if patch.version is not None and patch.version != case.version:
        raise ApiError(409, {"version": [_("Someone else changed this case since you read it (version %(read)d, "
                                           "now %(now)d). Nothing was saved; read it again and retry.",
                                           read=patch.version, now=case.version)]})
    try:
        if patch.amend:
            amend_agreement(case, api_user(), data=patch.data, reason=patch.reason, on=patch.amended_on)
        else:
            correct_agreement(case, api_user(), data=patch.data, reason=patch.reason)
    except Refused as exc:
        raise payments.refused(exc, payments.AGREEMENT_KEYS) from None
    db.session.flush()
    return jsonify(case_detail_json(case, full_personal_data=can(api_user(), "case.personal_data")))


@bp.route("/cases/<path:case_no>/sessions", methods=["POST"])
@require_permission("case.session")
def add_session(case_no: str):
    """Schedule a session, or record one held (``"status": "held"``): 201 with it."""
    case = visible_case(case_no)
    body = session_bodies.read_body(json_object_body(), session_bodies.CREATE_PROPERTIES, ["held_at"])
    if body.errors:
        raise ApiError(422, body.errors)
    _check_version(case, body.version)
    values = body.values
    if body.status == "held":
        session = session_verbs.record_session_held(
            case, api_user(), held_at=values["held_at"], location=values.get("location", ""),
            mediator=values.get("mediator"), attendees=values.get("attendees", ""), record=values.get("record", ""))
    else:
        if values.get("record"):
            raise ApiError(422, {"record": [_("A session to come has no record yet: record it once it is held "
                                              "(\"status\": \"held\").")]})
        session = session_verbs.schedule_session(
            case, api_user(), at=values["held_at"], location=values.get("location", ""),
            mediator=values.get("mediator"), attendees=values.get("attendees", ""))
    db.session.flush()  # its id
    response = jsonify(session_bodies.session_json(session))
    response.status_code = 201
    return response


# The session's id is read by _session_of, not by an int converter: a path that is not a number then still
# reaches these operations (404), instead of the case's own rule by its greedy case number (405).
@bp.route("/cases/<path:case_no>/sessions/<session_id>", methods=["PATCH"])
@require_permission("case.session")
def change_session(case_no: str, session_id: str):
    """Move a session to come, record it held, or correct a held session's record."""
    case = visible_case(case_no)
    session = _session_of(case, session_id)
    body = session_bodies.read_body(json_object_body(), session_bodies.UPDATE_PROPERTIES, [])
    if body.errors:
        raise ApiError(422, body.errors)
    _check_version(case, body.version)
    values = dict(body.values)
    if body.status == "held" and not session.held:
        values.pop("reason", None)
        session_verbs.record_session_held(case, api_user(), session=session, **values)
    elif session.held:
        if body.status == "scheduled":
            raise ApiError(422, {"status": [_("A session held cannot be put back to come.")]})
        session_verbs.correct_session(case, api_user(), session=session, reason=values.pop("reason", ""), **values)
    else:
        only_held = {key: [_("Only when recording the session as held (\"status\": \"held\").")]
                     for key in ("mediator", "attendees", "record") if key in values}
        if only_held:
            raise ApiError(422, only_held)
        session_verbs.move_session(case, api_user(), session=session, reason=values.get("reason", ""),
                                   at=values.get("held_at"), location=values.get("location"))
    db.session.flush()
    return jsonify(session_bodies.session_json(session))


@bp.route("/cases/<path:case_no>/sessions/<session_id>/cancel", methods=["POST"])
@require_permission("case.session")
def cancel_session(case_no: str, session_id: str):
    """Cancel a session to come, with the reason: it is kept."""
    case = visible_case(case_no)
    session = _session_of(case, session_id)
    body = session_bodies.read_body(json_object_body(), session_bodies.CANCEL_PROPERTIES, ["reason"])
    if body.errors:
        raise ApiError(422, body.errors)
    _check_version(case, body.version)
    session_verbs.cancel_session(case, api_user(), session=session, reason=body.values.get("reason", ""))
    db.session.flush()
    return jsonify(session_bodies.session_json(session))


def _session_of(case: Case, session_id: str) -> MediationSession:
    number = int(session_id) if session_id.isascii() and session_id.isdigit() and len(session_id) < 10 else 0
    session = db.session.get(MediationSession, number) if number else None
    if session is None or session.case_id != case.id:
        raise not_found()
    return session


def _check_version(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise ApiError(409, {"version": [_("Someone else changed this case since you read it (version %(read)d, "
                                           "now %(now)d). Nothing was saved; read it again and retry.",
                                           read=version, now=case.version)]})


@bp.route("/cases")
@require_permission("case.view")
def list_cases():
    user = api_user()
    page = params.case_page(request.args)
    cases, next_cursor = queue_page(user, page.filters, page.after, page.limit)
    preload_legal_aid(cases)
    # A page of cases is a bulk read: full personal data only for roles that may export it in full.
    full = can(user, "ledger.export_full")
    return jsonify({"cases": [case_json(c, full_personal_data=full) for c in cases],
                    "next_page_after": next_cursor})


@bp.route("/worklist")
@require_permission("case.view")
def get_worklist():
    """The caller's deadlines overdue or due within ``within`` working days, overdue first (CONTRACTS §7)."""
    page = params.worklist_page(request.args)
    items, next_cursor = worklist.due(api_user(), within=page.within, after=page.after, limit=page.limit)
    return jsonify({"items": [worklist_item_json(item) for item in items], "next": next_cursor})


@bp.route("/reports/summary")
@require_permission("report.view")
def summary():
    start, end = params.summary_period(request.args)
    from mediation.reports.summary import summary_dict

    return jsonify(summary_dict(start, end))

