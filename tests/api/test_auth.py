"""Who may call the API: tokens, sessions, roles (CONTRACTS §4, §5)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from mediation.auth import services as auth_services
from mediation.auth.models import ApiToken
from mediation.cases.models import Case
from tests.api.conftest import bearer
from tests.conftest import ON_POSTGRES
from tests.factories import csrf_from, make_case

ENDPOINTS = ["/api/v1/cases", "/api/v1/cases/2025-00001", "/api/v1/reports/summary?from=2025-01-01&to=2025-01-31"]


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.get_json()
    assert list(body) == ["errors"] and body["errors"]["_"][0]


def test_every_operation_without_a_token_answers_401_in_json(client, users):
    for url in ENDPOINTS:
        assert_unauthorized(client.get(url))
    assert_unauthorized(client.post("/api/v1/cases", json={"worker_name": "张三"}))


def test_a_wrong_or_malformed_authorization_header_is_401(client, tokens):
    for header in ("Bearer med_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", tokens["admin"], "Bearer " + "x" * 5000):
        response = client.get("/api/v1/cases", headers={"Authorization": header})
        assert_unauthorized(response)


def test_a_valid_token_reads_and_its_use_is_recorded(client, tokens, db):
    token_row = db.session.scalar(sa.select(ApiToken).where(ApiToken.prefix == tokens["mediator"][:12]))
    assert token_row.last_used_at is None
    db.session.rollback()
    response = client.get("/api/v1/cases", headers=bearer(tokens["mediator"]))
    assert response.status_code == 200
    db.session.rollback()  # the stamp was committed on a connection of its own: read afresh
    assert db.session.get(ApiToken, token_row.id).last_used_at is not None


def test_a_refused_request_still_counts_as_a_use_of_the_token(client, tokens, db):
    token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.prefix == tokens["lawyer"][:12]))
    db.session.rollback()
    response = client.post("/api/v1/cases", json={"worker_name": "张三"}, headers=bearer(tokens["lawyer"]))
    assert response.status_code == 403
    db.session.rollback()
    assert db.session.get(ApiToken, token_id).last_used_at is not None


def test_a_revoked_token_is_refused(client, tokens, db):
    token_row = db.session.scalar(sa.select(ApiToken).where(ApiToken.prefix == tokens["mediator"][:12]))
    auth_services.revoke_token(token_row, None)
    db.session.commit()
    assert_unauthorized(client.get("/api/v1/cases", headers=bearer(tokens["mediator"])))


def test_a_disabled_users_token_is_refused(client, tokens, users, db):
    users["mediator"].active = False  # disabled directly, without revoking: the user check must hold alone
    db.session.commit()
    assert_unauthorized(client.get("/api/v1/cases", headers=bearer(tokens["mediator"])))
    auth_services.set_active(users["mediator"], None, active=True)
    db.session.commit()
    assert client.get("/api/v1/cases", headers=bearer(tokens["mediator"])).status_code == 200


def test_a_role_that_may_not_do_the_thing_gets_403(api):
    for role in ("mediator", "lawyer"):
        response = api.get("/api/v1/reports/summary?from=2025-01-01&to=2025-01-31", role=role)
        assert response.status_code == 403
        assert response.get_json()["errors"]["_"]
    response = api.post("/api/v1/cases", json={"worker_name": "张三"}, role="lawyer")
    assert response.status_code == 403


def test_a_signed_in_browser_may_read_with_its_session(client, login, users):
    case = make_case(users["mediator"])
    login("supervisor")
    response = client.get(f"/api/v1/cases/{case.case_no}")
    assert response.status_code == 200
    assert response.get_json()["case_no"] == case.case_no


def test_a_session_cookie_alone_cannot_write(client, login, db):
    login("mediator")
    before = db.session.scalar(sa.select(sa.func.count(Case.id)))
    response = client.post("/api/v1/cases", json={"received_on": "2025-03-01", "worker_name": "张三",
                                                  "employer_name": "某公司", "dispute_type": "wage_arrears"})
    assert response.status_code == 403
    assert response.get_json()["errors"]["_"]
    response = client.post("/api/v1/cases", json={}, headers={"X-CSRFToken": "forged"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == before


def test_a_session_with_its_csrf_token_in_the_header_gets_past_the_check(client, login):
    login("mediator")
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/api/v1/cases", json={"colour": "red"}, headers={"X-CSRFToken": token})
    assert response.status_code == 422  # judged on its content, not refused for want of a CSRF token
    assert "colour" in response.get_json()["errors"]


def test_a_token_wins_over_a_session_cookie(client, login, tokens):
    login("supervisor")
    response = client.get("/api/v1/reports/summary?from=2025-01-01&to=2025-01-31", headers=bearer(tokens["lawyer"]))
    assert response.status_code == 403  # acts as the token's lawyer, not the browser's supervisor


def test_the_openapi_description_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/cases", "/api/v1/cases/{case_no}", "/api/v1/reports/summary"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_unknown_api_paths_and_methods_answer_json(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["errors"]["_"]
    response = api.client.delete("/api/v1/cases", headers=bearer(api.tokens["admin"]))
    assert response.status_code == 405 and response.get_json()["errors"]["_"]


def test_a_read_is_answered_while_a_long_write_holds_the_database(client, tokens, db, app):
    db.session.rollback()
    writer = db.engine.connect()
    # e.g. a ledger import of 100,000 rows in one transaction: SQLite's one write lock is taken; on
    # PostgreSQL the import's tables are locked against other writers (reads go on).
    if ON_POSTGRES:
        writer.execute(sa.text("LOCK TABLE cases IN EXCLUSIVE MODE"))
    else:
        writer.exec_driver_sql("PRAGMA busy_timeout = 0")
        writer.execute(sa.text("UPDATE case_number_counters SET last_seq = last_seq"))  # BEGIN IMMEDIATE
    try:
        response = client.get("/api/v1/cases", headers=bearer(tokens["mediator"]))
        assert response.status_code == 200  # the token still works
    finally:
        writer.rollback()
        writer.close()
    db.session.rollback()
    stamped = db.session.scalar(sa.select(ApiToken.last_used_at).where(ApiToken.prefix == tokens["mediator"][:12]))
    # SQLite: the stamp waits for later rather than the read for the lock; PostgreSQL stamps at once.
    assert (stamped is not None) == ON_POSTGRES
    assert client.get("/api/v1/cases", headers=bearer(tokens["mediator"])).status_code == 200
    db.session.rollback()
    assert db.session.scalar(sa.select(ApiToken.last_used_at)
                             .where(ApiToken.prefix == tokens["mediator"][:12])) is not None
