"""Likely duplicates through the API (CONTRACTS §8): 409 naming the existing case unless confirmed."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.models import Case
from mediation.core.timeutil import local_today
from tests.factories import make_case, valid_id_number

TODAY = local_today()


def body(**changes):
    base = {"received_on": TODAY.isoformat(), "worker_name": "张三", "employer_name": "示例建筑劳务有限公司",
            "dispute_type": "wage_arrears", "worker_id_number": valid_id_number(order=100)}
    base.update(changes)
    return base


def count(db) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case))


def test_same_id_number_open_case_answers_409_with_the_existing_case(api, users, db):
    existing = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=60), employer="另一家公司")
    before = count(db)
    response = api.post("/api/v1/cases", json=body(worker_name="张叁"))
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["existing"] == [existing.case_no]
    assert existing.case_no in answer["errors"]["duplicate"][0]
    assert count(db) == before


def test_same_name_and_employer_within_30_days(api, users, db):
    existing = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=20))
    response = api.post("/api/v1/cases", json=body(worker_id_number=None))
    assert response.status_code == 409
    assert response.get_json()["existing"] == [existing.case_no]


def test_same_name_and_employer_long_ago_is_not_a_duplicate(api, users, db):
    make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=45))
    response = api.post("/api/v1/cases", json=body(worker_id_number=None))
    assert response.status_code == 201, response.get_json()


def test_confirmed_it_registers_and_the_timeline_says_so(api, users, db):
    existing = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=2))
    response = api.post("/api/v1/cases", json=body(confirm_duplicate=True))
    assert response.status_code == 201, response.get_json()
    case_no = response.get_json()["case_no"]
    db.session.rollback()
    case = db.session.scalar(sa.select(Case).where(Case.case_no == case_no))
    [event] = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                            CaseEvent.kind == "duplicate_confirmed")).all()
    assert event.changes["duplicates"][1] == [existing.case_no]


def test_confirm_duplicate_must_be_a_boolean(api, users, db):
    response = api.post("/api/v1/cases", json=body(confirm_duplicate="yes please"))
    assert response.status_code == 422
    assert "confirm_duplicate" in response.get_json()["errors"]
