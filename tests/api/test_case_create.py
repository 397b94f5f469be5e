"""POST /api/v1/cases: a ledger record in, a registered case (or every problem named) out."""
from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.models import Case, Employer, Worker
from mediation.core.timeutil import local_today
from tests.factories import make_case, valid_credit_code, valid_id_number

RECEIVED = (local_today() - dt.timedelta(days=20)).isoformat()
OUTCOME = (local_today() - dt.timedelta(days=5)).isoformat()


def record(**changes) -> dict:
    base = {
        "received_on": RECEIVED,
        "channel": "hotline_12351",
        "worker_name": "李四",
        "worker_id_number": valid_id_number(order=456),
        "worker_phone": "13912345678",
        "migrant_worker": True,
        "employer_name": "某某建筑劳务有限公司",
        "employer_credit_code": valid_credit_code(),
        "street": "东湖街道",
        "dispute_type": "wage_arrears",
        "claimed_amount": "12,500.00",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def counts(db) -> tuple[int, int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Case, CaseEvent, Worker, Employer))


def test_a_new_case_answers_201_with_the_case_and_its_location(api, db):
    response = api.post("/api/v1/cases", json=record())
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["case_no"]
    assert response.headers["Location"] == f"/api/v1/cases/{data['case_no']}"
    assert data["status"] == "received"  # the default
    assert data["received_on"] == RECEIVED
    assert data["channel"] == "hotline_12351"
    assert data["claimed_amount"] == "12500.00"
    assert data["green_channel"] is True  # a migrant worker's pay claim
    assert data["workers"][0]["id_number"] == valid_id_number(order=456)
    assert data["employer"]["credit_code"] == valid_credit_code()
    assert data["street"] == "东湖街道"
    again = api.get(response.headers["Location"])
    assert again.status_code == 200 and again.get_json() == data
    case = db.session.scalar(sa.select(Case).where(Case.case_no == data["case_no"]))
    assert [e.via for e in case.events] and {e.via for e in case.events} == {"api"}
    assert case.created_by_id == api_user_id(db, "mediator")


def api_user_id(db, username):
    from mediation.auth.models import User

    return db.session.scalar(sa.select(User.id).where(User.username == username))


def test_a_finished_case_with_chinese_words_and_its_history(api):
    body = record(status="调解成功", outcome_on=OUTCOME, agreed_amount=10000, recovered_amount="4000.50",
                  migrant_worker="否", channel="网上", case_no="API-2025-001")
    response = api.post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["case_no"] == "API-2025-001"
    assert (data["status"], data["outcome"], data["outcome_on"]) == ("mediated", "mediated", OUTCOME)
    assert data["agreed_amount"] == "10000.00" and data["recovered_amount"] == "4000.50"
    assert data["channel"] == "online" and data["green_channel"] is False


def test_json_numbers_for_amounts_stay_exact(api):
    text = json.dumps(record(claimed_amount=None)).replace('"claimed_amount": null', '"claimed_amount": 1234567.89')
    response = api.post("/api/v1/cases", data=text, content_type="application/json")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["claimed_amount"] == "1234567.89"


@pytest.mark.parametrize("body, content_type", [
    (b'{"worker_name": "\xe6\x9d\x8e', "application/json"),             # cut off
    (b"{'worker_name': 'x'}", "application/json"),                       # not JSON
    (b"\xff\xfe{}", "application/json"),                                 # not UTF-8
    (b'{"claimed_amount": NaN}', "application/json"),                    # not JSON either
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),                # nested too deep
    (b"", "application/json"),
    (b'[{"worker_name": "x"}]', "application/json"),                     # a list
    (b'"a case"', "application/json"),                                   # text
    (b"42", "application/json"),                                         # a number
    (b"null", "application/json"),
    (json.dumps(record()).encode(), "text/plain"),                       # the wrong content type
    (b"worker_name=x", "application/x-www-form-urlencoded"),
])
def test_a_body_that_is_not_a_json_object_is_400_and_changes_nothing(api, db, body, content_type):
    before = counts(db)
    response = api.post("/api/v1/cases", data=body, content_type=content_type)
    assert response.status_code == 400
    assert list(response.get_json()) == ["errors"] and response.get_json()["errors"]["_"]
    assert counts(db) == before


@pytest.mark.parametrize("changes, bad", [
    ({"worker_name": 42}, {"worker_name"}),
    ({"workers_count": "3"}, {"workers_count"}),
    ({"workers_count": 0}, {"workers_count"}),
    ({"workers_count": 10 ** 30}, {"workers_count"}),
    ({"migrant_worker": "perhaps"}, {"migrant_worker"}),
    ({"claimed_amount": True}, {"claimed_amount"}),
    ({"claimed_amount": "12.345"}, {"claimed_amount"}),
    ({"claimed_amount": -1}, {"claimed_amount"}),
    ({"claimed_amount": [1]}, {"claimed_amount"}),
    ({"received_on": "2025-02-30"}, {"received_on"}),
    ({"received_on": "20250301"}, {"received_on"}),
    ({"received_on": (local_today() + dt.timedelta(days=1)).isoformat()}, {"received_on"}),
    ({"worker_id_number": valid_id_number(order=456)[:-1] + "0"
      if valid_id_number(order=456)[-1] != "0" else valid_id_number(order=456)[:-1] + "1"}, {"worker_id_number"}),
    ({"worker_phone": "12345"}, {"worker_phone"}),
    ({"employer_credit_code": "91110108MA01ABCD00"}, {"employer_credit_code"}),
    ({"dispute_type": "astrology"}, {"dispute_type"}),
    ({"channel": "fax"}, {"channel"}),
    ({"status": "mediated"}, {"outcome_on"}),
    ({"status": "teleported"}, {"status"}),
    ({"worker_name": "名" * 101}, {"worker_name"}),
    ({"notes": "x" * 1_000_000}, {"notes"}),
    ({"employer_name": "x\x00y"}, {"employer_name"}),
    ({"worker_name": ...}, {"worker_name"}),
    ({"worker_name": None, "employer_name": "", "dispute_type": ..., "received_on": ...},
     {"worker_name", "employer_name", "dispute_type", "received_on"}),
    ({"colour": "red", "priority": 1}, {"colour", "priority"}),
    ({"worker_name": 42, "workers_count": "3", "colour": "red", "claimed_amount": "abc"},
     {"worker_name", "workers_count", "colour", "claimed_amount"}),
])
def test_bad_fields_are_422_each_named_and_nothing_changes(api, db, changes, bad):
    make_case()  # something there already, to see that nothing else appears
    before = counts(db)
    response = api.post("/api/v1/cases?lang=en", json=record(**changes))
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert set(errors) == bad
    assert all(isinstance(m, list) and m and all(isinstance(t, str) and t for t in m) for m in errors.values())
    assert counts(db) == before


def test_messages_say_what_is_wrong(api):
    errors = api.post("/api/v1/cases?lang=en", json=record(worker_name=42, workers_count="3", colour="red",
                                                           received_on=...)).get_json()["errors"]
    assert errors == {"worker_name": ["Must be text."], "workers_count": ["Must be a whole number."],
                      "colour": ["Unknown field."], "received_on": ["Required."]}


def test_a_huge_body_is_refused_without_a_server_error(api, app, db):
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    before = counts(db)
    response = api.post("/api/v1/cases", json=record(notes="备" * 3_000_000))
    assert response.status_code == 413
    assert response.get_json()["errors"]["_"]
    assert counts(db) == before


def test_a_case_number_already_taken_is_409_and_changes_nothing(api, db, users):
    existing = make_case(users["mediator"], case_no="API-DUP-1")
    before = counts(db)
    response = api.post("/api/v1/cases", json=record(case_no="API-DUP-1"))
    assert response.status_code == 409
    assert list(response.get_json()["errors"]) == ["case_no"]
    assert response.headers["Location"] == f"/api/v1/cases/{existing.case_no}"
    assert counts(db) == before


def test_the_same_record_posted_twice_registers_one_case(api, db):
    first = api.post("/api/v1/cases", json=record())
    assert first.status_code == 201
    before = counts(db)
    second = api.post("/api/v1/cases", json=record())
    assert second.status_code == 409  # same date received, applicant and employer: the ledger's rule
    assert second.headers["Location"] == first.headers["Location"]
    assert counts(db) == before


def test_a_refusal_after_part_of_the_case_was_written_leaves_nothing(api, db, monkeypatch):
    from mediation.cases.workflow import TransitionError
    from mediation.extensions import db as _db
    from mediation.ledger import history

    real_create = history.create_case

    def create_then_refuse(row, actor, **kwargs):
        real_create(row, actor, **kwargs)
        _db.session.flush()  # the case, its worker, employer and events are written
        raise TransitionError("refused half-way")

    monkeypatch.setattr(history, "create_case", create_then_refuse)
    before = counts(db)
    response = api.post("/api/v1/cases", json=record(employer_name="只在此处出现的公司"))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"_": ["refused half-way"]}
    assert counts(db) == before


def test_the_application_acceptance_and_agreement_keys(api, db):
    accepted = (local_today() - dt.timedelta(days=18)).isoformat()
    due = (local_today() + dt.timedelta(days=30)).isoformat()  # still ahead
    body = record(status="mediated", outcome_on=OUTCOME, agreed_amount="10000", accepted_on=accepted,
                  agreement_due_on=due, agreement_method="银行转账，一次付清", matters="支付拖欠工资",
                  reasons="三个月工资未发", application_form="口头", worker_address="东湖街道幸福里3号",
                  dispute_arose_on="2025-01-10", still_employed="否", employment_ended_on="2024-12-31",
                  employer_address="西城街道工业园8号", employer_representative="王建国",
                  employer_phone="010-62345678")
    response = api.post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["accepted_on"] == accepted and data["outcome_on"] == OUTCOME
    assert (data["agreement_due_on"], data["agreement_method"]) == (due, "银行转账，一次付清")
    assert (data["matters"], data["reasons"], data["application_form"]) == ("支付拖欠工资", "三个月工资未发", "oral")
    assert (data["dispute_arose_on"], data["still_employed"], data["employment_ended_on"]) == (
        "2025-01-10", False, "2024-12-31")
    assert data["workers"][0]["address"] == "东湖街道幸福里3号"
    assert data["employer"]["address"] == "西城街道工业园8号" and data["employer"]["representative"] == "王建国"
    assert data["employer"]["phone"]
    assert data["version"] >= 1
    # The agreement's deadline is a clock of the case from the start.
    assert [(d["key"], d["due_on"], d["state"]) for d in data["deadlines"] if d["key"] == "instalment"] == [
        ("instalment", due, "open")]


@pytest.mark.parametrize("changes, bad", [
    ({"accepted_on": OUTCOME}, {"accepted_on"}),                               # a received case
    ({"status": "accepted", "accepted_on": "2000-01-01"}, {"accepted_on"}),     # before receipt
    ({"status": "failed", "outcome_on": OUTCOME, "accepted_on": (local_today() - dt.timedelta(days=1)).isoformat()},
     {"accepted_on"}),                                                          # after the outcome
    ({"agreement_due_on": OUTCOME, "agreement_method": "现金"}, {"agreement_due_on", "agreement_method"}),
    ({"status": "mediated", "outcome_on": OUTCOME, "agreement_due_on": RECEIVED}, {"agreement_due_on"}),
    ({"still_employed": True, "employment_ended_on": "2024-12-31"}, {"employment_ended_on"}),
    ({"still_employed": "perhaps", "application_form": "fax", "dispute_arose_on": "2025-13-01"},
     {"still_employed", "application_form", "dispute_arose_on"}),
    ({"employer_phone": "123", "worker_address": "址" * 301, "matters": 7}, {"employer_phone", "worker_address",
                                                                            "matters"}),
])
def test_the_new_keys_are_checked_as_the_ledger_checks_them(api, db, changes, bad):
    before = counts(db)
    response = api.post("/api/v1/cases?lang=en", json=record(**changes))
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()["errors"]) == bad
    assert counts(db) == before
