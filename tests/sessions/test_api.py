"""Sessions through the API (CONTRACTS §8): schedule or record one held, move it, record it held, correct
it, cancel it; the case's JSON lists them; bad input named, nothing changed; lawyers read only."""
from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
import sqlalchemy as sa
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from mediation.api.openapi import openapi_document
from mediation.audit.models import CaseEvent
from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.legal_aid.services import refer_to_legal_aid
from mediation.sessions import services
from mediation.sessions.models import MediationSession, SessionStatus
from tests.api.conftest import ApiClient, bearer, tokens  # noqa: F401  (the tokens fixture)
from tests.sessions.casework import case_at, days_ago


@pytest.fixture
def api(client, tokens):  # noqa: F811
    return ApiClient(client, tokens)


def patch(api, url, body, role="mediator"):
    return api.client.patch(url, json=body, headers=bearer(api.tokens[role]))


def tomorrow(hour: int = 9, minute: int = 30) -> str:
    return f"{(local_today() + dt.timedelta(days=1)).isoformat()}T{hour:02d}:{minute:02d}"


def sessions_url(case) -> str:
    return f"/api/v1/cases/{case.case_no}/sessions"


def counts(case) -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(sa.select(sa.func.count(MediationSession.id))),
            db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id)))


def test_a_session_is_scheduled_moved_held_and_listed_with_the_case(api, users, db, clock):
    case = case_at(Status.ACCEPTED, users["mediator"], migrant=True, received_days_ago=1)
    response = api.post(sessions_url(case), {"held_at": tomorrow(), "location": "区总工会第一调解室",
                                             "mediator": users["mediator"].username, "attendees": "申请人；单位代表"})
    assert response.status_code == 201, response.json
    created = response.json
    assert created["status"] == "scheduled" and created["held_at"] == tomorrow() + ":00+08:00"
    assert created["mediator"] == users["mediator"].username and created["record"] == "" and created["warnings"] == []
    case_json = api.get(f"/api/v1/cases/{case.case_no}").json
    assert case_json["status"] == "accepted"
    assert case_json["sessions"] == [{"id": created["id"], "status": "scheduled", "held_at": created["held_at"],
                                      "location": "区总工会第一调解室", "mediator": users["mediator"].username}]
    assert next(d for d in case_json["deadlines"] if d["key"] == "green_first_session")["met_on"] is None

    url = f"{sessions_url(case)}/{created['id']}"
    moved_to = tomorrow(14)
    moved = patch(api, url, {"held_at": moved_to, "reason": "被申请人代表出差", "version": case_json["version"]})
    assert moved.status_code == 200, moved.json
    assert moved.json["held_at"] == moved_to + ":00+08:00" and moved.json["status"] == "scheduled"

    clock.travel_to(dt.datetime.fromisoformat(tomorrow(16) + "+08:00"))  # the session has taken place
    held = patch(api, url, {"status": "held", "attendees": "申请人张三；被申请人代表李经理", "record": "双方达成初步一致"})
    assert held.status_code == 200, held.json
    assert held.json["status"] == "held" and held.json["record"] == "双方达成初步一致"
    assert held.json["held_at"] == moved_to + ":00+08:00"  # at the time it was moved to
    case_json = api.get(f"/api/v1/cases/{case.case_no}").json
    day = (local_today()).isoformat()  # the clock is on the session's day now
    assert case_json["status"] == "in_mediation" and case_json["mediation_started_on"] == day
    assert next(d for d in case_json["deadlines"] if d["key"] == "green_first_session")["met_on"] == day


def test_a_session_held_is_recorded_in_one_request_and_corrected_with_a_reason(api, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    response = api.post(sessions_url(case), {"held_at": f"{days_ago(2)}T09:00+08:00", "status": "held",
                                             "location": "调解室", "record": "双方同意分两期支付"})
    assert response.status_code == 201, response.json
    assert response.json["status"] == "held"
    db.session.expire_all()
    assert case.status == Status.IN_MEDIATION and case.mediation_started_on == days_ago(2)
    url = f"{sessions_url(case)}/{response.json['id']}"
    refused = patch(api, url, {"record": "双方同意分三期支付"})
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["reason"]
    corrected = patch(api, url, {"record": "双方同意分三期支付", "reason": "记录笔误"})
    assert corrected.status_code == 200 and corrected.json["record"] == "双方同意分三期支付"
    events = api.get(f"/api/v1/cases/{case.case_no}/events").json["items"]
    assert events[-1]["kind"] == "session_corrected" and events[-1]["reason"] == "记录笔误"


def test_a_session_is_cancelled_with_a_reason_and_kept(api, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    created = api.post(sessions_url(case), {"held_at": tomorrow(), "location": "调解室"}).json
    url = f"{sessions_url(case)}/{created['id']}/cancel"
    assert created["warnings"]  # its mediation period ran out: kept, with a warning
    refused = api.post(url, {"reason": " "})
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["reason"]
    response = api.post(url, {"reason": "申请人临时住院"})
    assert response.status_code == 200
    assert response.json["status"] == "cancelled" and response.json["cancel_reason"] == "申请人临时住院"
    again = api.post(url, {"reason": "再取消"})
    assert again.status_code == 422 and "_" in again.json["errors"]
    [listed] = api.get(f"/api/v1/cases/{case.case_no}").json["sessions"]
    assert listed["status"] == "cancelled"


@pytest.mark.parametrize("body, fields", [
    ({"location": "调解室"}, {"held_at"}),
    ({"held_at": "tomorrow morning", "location": "调解室"}, {"held_at"}),
    ({"held_at": "2025-02-30T09:00", "location": "调解室"}, {"held_at"}),
    ({"held_at": "TOMORROW", "location": ""}, {"location"}),
    ({"held_at": "TOMORROW", "location": "调解室", "mediator": "nobody"}, {"mediator"}),
    ({"held_at": "TOMORROW", "location": "调解室", "colour": "red"}, {"colour"}),
    ({"held_at": "TOMORROW", "location": "调解室", "status": "cancelled"}, {"status"}),
    ({"held_at": "TOMORROW", "location": "调解室", "status": "held"}, {"held_at"}),  # held in the future
    ({"held_at": "YESTERDAY", "location": "调解室"}, {"held_at"}),  # scheduled in the past
    ({"held_at": "TOMORROW", "location": "调解室", "record": "提前写的记录"}, {"record"}),
    ({"held_at": 20250303, "location": 5}, {"held_at", "location"}),
])
def test_bad_input_names_each_field_and_changes_nothing(body, fields, api, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    words = {"TOMORROW": tomorrow(), "YESTERDAY": f"{days_ago(1)}T09:00"}
    body = {k: words.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    before = counts(case)
    response = api.post(sessions_url(case), body)
    assert response.status_code == 422, response.json
    assert set(response.json["errors"]) == fields
    assert counts(case) == before


def test_a_body_that_is_not_an_object_is_400_and_an_unknown_session_404(api, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    assert api.post(sessions_url(case), ["held_at"]).status_code == 400
    assert patch(api, f"{sessions_url(case)}/999999", {"reason": "x"}).status_code == 404
    assert api.post(f"{sessions_url(case)}/99999999999999999999/cancel", {"reason": "x"}).status_code == 404
    assert api.post("/api/v1/cases/1999-99999/sessions", {"held_at": tomorrow(), "location": "x"}).status_code == 404


def test_a_session_of_another_case_is_not_found_through_this_one(api, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    other = case_at(Status.ACCEPTED, users["mediator"], worker_name="李四")
    created = api.post(sessions_url(other), {"held_at": tomorrow(), "location": "调解室"}).json
    response = api.post(f"{sessions_url(case)}/{created['id']}/cancel", {"reason": "取消"})
    assert response.status_code == 404
    assert db.session.get(MediationSession, created["id"]).status == SessionStatus.SCHEDULED


def test_moving_refuses_a_time_passed_no_reason_and_a_record(api, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    created = api.post(sessions_url(case), {"held_at": tomorrow(), "location": "调解室"}).json
    url = f"{sessions_url(case)}/{created['id']}"
    before = counts(case)
    for body, field in (({"held_at": f"{days_ago(1)}T09:00", "reason": "改期"}, "held_at"),
                        ({"held_at": tomorrow(15)}, "reason"),
                        ({"record": "x", "reason": "改期"}, "record"),
                        ({"status": "cancelled", "reason": "取消"}, "status")):
        response = patch(api, url, body)
        assert response.status_code == 422 and field in response.json["errors"], (body, response.json)
    assert counts(case) == before


def test_a_stale_version_is_409_and_nothing_changes(api, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    created = api.post(sessions_url(case), {"held_at": tomorrow(), "location": "调解室"}).json
    version = api.get(f"/api/v1/cases/{case.case_no}").json["version"]
    with unit_of_work(writes=True):  # someone else moves it meanwhile
        services.move_session(case, users["supervisor"], session=db.session.get(MediationSession, created["id"]),
                              location="第二调解室", reason="换调解室")
    response = api.post(f"{sessions_url(case)}/{created['id']}/cancel", {"reason": "取消", "version": version})
    assert response.status_code == 409 and "version" in response.json["errors"]
    db.session.expire_all()
    assert db.session.get(MediationSession, created["id"]).status == SessionStatus.SCHEDULED


def test_a_lawyer_reads_the_sessions_of_a_referred_case_but_may_not_change_them(api, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    with unit_of_work(writes=True):
        refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"])
    created = api.post(sessions_url(case), {"held_at": tomorrow(), "location": "调解室"}).json
    listed = api.get(f"/api/v1/cases/{case.case_no}", role="lawyer").json["sessions"]
    assert [s["id"] for s in listed] == [created["id"]]
    url = f"{sessions_url(case)}/{created['id']}"
    assert api.post(sessions_url(case), {"held_at": tomorrow(), "location": "律所"}, role="lawyer").status_code == 403
    assert patch(api, url, {"location": "律所", "reason": "x"}, role="lawyer").status_code == 403
    assert api.post(f"{url}/cancel", {"reason": "x"}, role="lawyer").status_code == 403
    assert db.session.get(MediationSession, created["id"]).location == "调解室"


# --- the description -------------------------------------------------------------------------------

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture
def described(app, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    with unit_of_work(writes=True):
        session = services.schedule_session(case, users["mediator"], location="调解室",
                                            at=dt.datetime.fromisoformat(tomorrow() + "+08:00"))
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), case, session


def test_the_sessions_answers_match_the_description(described, tokens):  # noqa: F811
    schema, case, session = described
    sessions_path = "/api/v1/cases/{case_no}/sessions"
    one = sessions_path + "/{session_id}"
    calls = [
        ("POST", sessions_path, {"case_no": case.case_no}, {"held_at": tomorrow(10), "location": "第二调解室"}, 201),
        ("POST", sessions_path, {"case_no": case.case_no}, {"held_at": "not a time"}, 422),
        ("PATCH", one, {"case_no": case.case_no, "session_id": session.id},
         {"held_at": tomorrow(11), "reason": "改期"}, 200),
        ("PATCH", one, {"case_no": case.case_no, "session_id": 987654}, {"reason": "改期"}, 404),
        ("POST", one + "/cancel", {"case_no": case.case_no, "session_id": session.id}, {"reason": "取消"}, 200),
        ("POST", one + "/cancel", {"case_no": case.case_no, "session_id": session.id}, {"reason": "再取消"}, 422),
    ]
    for method, path, params, body, expected in calls:
        call = schema[path][method].Case(path_parameters=params, body=body)
        response = call.call(headers=bearer(tokens["admin"]))
        assert response.status_code == expected, (method, path, body, response.text[:300])
        call.validate_response(response, checks=CHECKS)
    case_call = schema["/api/v1/cases/{case_no}"]["GET"].Case(path_parameters={"case_no": case.case_no})
    case_call.validate_response(case_call.call(headers=bearer(tokens["admin"])), checks=CHECKS)
    assert {"addSession", "changeSession", "cancelSession"} <= {
        op["operationId"] for methods in openapi_document()["paths"].values() for op in methods.values()}
