"""The OpenAPI description is what the API really does: Schemathesis generates requests from it (valid and
invalid ones) and checks every answer — never a 5xx, only documented status codes, headers and bodies.

Bounded for the suite (a fixed set of examples per operation); raise MAX_EXAMPLES, or drop
``derandomize``, to explore further.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               response_headers_conformance, response_schema_conformance,
                                               status_code_conformance)
from schemathesis.checks import not_a_server_error

from mediation.api.openapi import openapi_document
from mediation.api.schemas import EXAMPLE_RECORD
from mediation.cases import services as case_services
from mediation.legal_aid.services import refer_to_legal_aid
from mediation.recovery import services as recovery
from tests.api.conftest import bearer
from tests.factories import make_case

MAX_EXAMPLES = 50
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]


@pytest.fixture
def api_schema(app, users, db):
    """The description as served, with a few cases of every kind behind it (so answers have content)."""
    mediator = users["mediator"]
    green = make_case(mediator, migrant=True, received_on=dt.date(2025, 3, 3), case_no="2025-00001")
    case_services.accept_case(green, mediator, on=dt.date(2025, 3, 4))
    recovery.record_agreement(green, mediator, data=recovery.AgreementData(
        signed_on=dt.date(2025, 3, 10), performance_deadline=dt.date(2025, 3, 31),
        shares={green.workers[0]: Decimal("9000.00")}))
    db.session.commit()
    aided = make_case(mediator, workers=3, received_on=dt.date(2025, 4, 1), case_no="2025/甲-2",
                      dispute_arose_on=dt.date(2025, 3, 1))  # a limitation runs
    refer_to_legal_aid(aided, users["supervisor"], lawyer=users["lawyer"], on=dt.date(2025, 4, 2))
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations_and_modes():
    """(method, path, mode) for every operation; invalid requests only where there is something to vary."""
    for path, methods in openapi_document()["paths"].items():
        for method, operation in methods.items():
            yield pytest.param(method, path, GenerationMode.POSITIVE, id=f"{method.upper()} {path} valid")
            if operation.get("parameters") or operation.get("requestBody"):
                yield pytest.param(method, path, GenerationMode.NEGATIVE, id=f"{method.upper()} {path} invalid")


@pytest.mark.parametrize("method, path, mode", list(operations_and_modes()))
def test_every_operation_answers_as_documented(api_schema, tokens, method, path, mode):
    operation = api_schema[path][method.upper()]

    # pytest 9 and Schemathesis' own pytest plugin disagree, so Hypothesis drives the generated cases here.
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def answers_as_documented(case):
        response = case.call(headers=bearer(tokens["admin"]))
        case.validate_response(response, checks=CHECKS)

    answers_as_documented()


INTERRUPTIONS = "/api/v1/cases/{case_no}/limitation-interruptions"
PAYMENTS = "/api/v1/cases/{case_no}/payments"
REVERSE = "/api/v1/cases/{case_no}/payments/{payment_id}/reverse"
AGREEMENT = "/api/v1/cases/{case_no}/agreement"
GREEN = {"case_no": "2025-00001"}  # 9,000 agreed
# (role, method, path, request, expected status): the documented answers that random requests rarely reach.
EXPLICIT = [
    ("admin", "POST", "/api/v1/cases", {"body": EXAMPLE_RECORD}, 201),
    ("admin", "POST", "/api/v1/cases", {"body": EXAMPLE_RECORD}, 409),
    ("admin", "POST", "/api/v1/cases", {"body": {**EXAMPLE_RECORD, "worker_name": 1}}, 422),
    ("admin", "POST", "/api/v1/cases", {"body": ["not", "an", "object"]}, 400),
    ("lawyer", "POST", "/api/v1/cases", {"body": EXAMPLE_RECORD}, 403),
    (None, "POST", "/api/v1/cases", {"body": EXAMPLE_RECORD}, 401),
    ("admin", "GET", "/api/v1/cases/{case_no}", {"path_parameters": {"case_no": "2025-00001"}}, 200),
    ("mediator", "GET", "/api/v1/cases/{case_no}", {"path_parameters": {"case_no": "2025/甲-2"}}, 200),
    ("lawyer", "GET", "/api/v1/cases/{case_no}", {"path_parameters": {"case_no": "2025/甲-2"}}, 200),
    ("lawyer", "GET", "/api/v1/cases/{case_no}", {"path_parameters": {"case_no": "2025-00001"}}, 404),
    ("admin", "GET", "/api/v1/cases", {"query": {"limit": 1}}, 200),
    ("mediator", "GET", "/api/v1/cases", {"query": {"green_channel": "true", "status": "open"}}, 200),
    ("lawyer", "GET", "/api/v1/cases", {}, 200),
    ("admin", "GET", "/api/v1/cases", {"query": {"limit": 0}}, 400),
    ("supervisor", "GET", "/api/v1/reports/summary", {"query": {"from": "2025-01-01", "to": "2025-06-30"}}, 200),
    ("supervisor", "GET", "/api/v1/reports/summary", {"query": {"from": "2025-06-30", "to": "2025-01-01"}}, 400),
    ("mediator", "GET", "/api/v1/reports/summary", {"query": {"from": "2025-01-01", "to": "2025-06-30"}}, 403),
    ("mediator", "POST", INTERRUPTIONS, {"path_parameters": {"case_no": "2025/甲-2"},
                                         "body": {"on": "2025-04-01", "kind": "claim", "note": "书面催告"}}, 201),
    ("admin", "POST", INTERRUPTIONS, {"path_parameters": {"case_no": "2025-00001"},
                                      "body": {"on": "2025-03-05", "kind": "agreement_to_perform"}}, 201),
    ("admin", "POST", INTERRUPTIONS, {"path_parameters": {"case_no": "2025-00001"},
                                      "body": {"on": "2025-02-30", "kind": "claim"}}, 422),
    ("admin", "POST", INTERRUPTIONS, {"path_parameters": {"case_no": "2025-00001"}, "body": ["claim"]}, 400),
    ("admin", "POST", INTERRUPTIONS, {"path_parameters": {"case_no": "1999-99999"},
                                      "body": {"on": "2025-03-05", "kind": "claim"}}, 404),
    ("mediator", "GET", "/api/v1/cases/{case_no}/events", {"path_parameters": {"case_no": "2025-00001"}}, 200),
    ("lawyer", "GET", "/api/v1/cases/{case_no}/events", {"path_parameters": {"case_no": "2025/甲-2"}}, 200),
    ("lawyer", "GET", "/api/v1/cases/{case_no}/events", {"path_parameters": {"case_no": "2025-00001"}}, 404),
    ("mediator", "POST", PAYMENTS, {"path_parameters": GREEN, "body": {"on": "2025-03-20", "amount": "4500.00"}},
     201),
    ("mediator", "POST", PAYMENTS, {"path_parameters": GREEN, "body": {"on": "2025-03-21", "amount": "4500.01"}},
     422),
    ("mediator", "POST", PAYMENTS, {"path_parameters": GREEN, "body": {"on": "2025-03-21", "amount": 10,
                                                                      "worker_name": "无此人"}}, 422),
    ("lawyer", "POST", PAYMENTS, {"path_parameters": {"case_no": "2025/甲-2"},
                                  "body": {"on": "2025-04-05", "amount": "10"}}, 403),
    ("admin", "PATCH", AGREEMENT, {"path_parameters": GREEN, "body": {"reason": "补充协议", "terms": "分两次付清"}},
     200),
    ("admin", "PATCH", AGREEMENT, {"path_parameters": {"case_no": "2025/甲-2"},
                                   "body": {"reason": "补充协议", "terms": "分两次付清"}}, 404),
    ("admin", "POST", REVERSE, {"path_parameters": {**GREEN, "payment_id": 1}, "body": {"reason": "重复录入"}}, 201),
    ("admin", "POST", REVERSE, {"path_parameters": {**GREEN, "payment_id": 1}, "body": {"reason": "重复录入"}}, 422),
    ("admin", "POST", REVERSE, {"path_parameters": {**GREEN, "payment_id": 99}, "body": {"reason": "x"}}, 404),
    ("mediator", "GET", "/api/v1/worklist", {"query": {"within": 5, "limit": 1}}, 200),
    ("lawyer", "GET", "/api/v1/worklist", {}, 200),
    ("admin", "GET", "/api/v1/worklist", {"query": {"within": 61}}, 400),
    ("admin", "GET", "/api/v1/worklist", {"query": {"page_after": "not-a-cursor"}}, 400),
    (None, "GET", "/api/v1/worklist", {}, 401),
    ("lawyer", "POST", INTERRUPTIONS, {"path_parameters": {"case_no": "2025/甲-2"},
                                       "body": {"on": "2025-04-01", "kind": "claim"}}, 403),
    (None, "POST", INTERRUPTIONS, {"path_parameters": {"case_no": "2025/甲-2"},
                                   "body": {"on": "2025-04-01", "kind": "claim"}}, 401),
]


def test_the_documented_answers_of_each_role_match_the_description(api_schema, tokens):
    for role, method, path, request, expected in EXPLICIT:
        case = api_schema[path][method].Case(**request)
        response = case.call(headers=bearer(tokens[role]) if role else {})
        assert response.status_code == expected, (role, method, path, request, response.text[:300])
        case.validate_response(response, checks=CHECKS[:-1])
        if path == INTERRUPTIONS and expected == 201 and request["path_parameters"]["case_no"] == "2025/甲-2":
            assert response.json()["limitation"]["key"] == "limitation"  # the schema checked a real one
