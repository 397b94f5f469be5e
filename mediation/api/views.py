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

from mediation.api import params, services
from mediation.api.auth import api_user, authenticate, require_permission
from mediation.api.errors import GENERAL, ApiError, general, not_found, respond
from mediation.api.openapi import openapi_document
from mediation.api.schemas import check_json_shape, read_interruption
from mediation.api.serialisers import (case_detail_json, case_json, interruption_json, preload_legal_aid,
                                       worklist_item_json)
from mediation.auth.permissions import can
from mediation.cases.access import can_view_case
from mediation.cases.models import Case
from mediation.cases.queue import queue_page
from mediation.cases.services import record_limitation_interruption
from mediation.clocks import worklist
from mediation.core.errors import Refused
from mediation.extensions import db

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
    record, errors = check_json_shape(json_object_body())
    record["status"] = record.get("status") or "received"
    # The ledger validator sees every key that has the right JSON shape, so one answer names every bad
    # field; for a key both name, the shape message wins (the validator only saw the key as missing).
    row, record_errors = services.read_record(record)
    errors = record_errors | errors
    if errors or row is None:
        raise ApiError(422, errors or {"_": [_("The case could not be read.")]})
    case = services.register_case_from_row(row, api_user())
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

