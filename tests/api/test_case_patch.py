"""PATCH /api/v1/cases/CASE_NO (CONTRACTS §8): corrections through the API, and what it refuses."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases import services
from mediation.cases.models import Case, Worker
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from tests.factories import make_case, valid_credit_code, valid_id_number

TODAY = local_today()


def patch(api, case_no, body, role="mediator"):
    return api.client.patch(f"/api/v1/cases/{case_no}", json=body, headers=api._headers(role, None))


def fresh(db, case_no) -> Case:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalar(sa.select(Case).where(Case.case_no == case_no))


def events(db, case, kind):
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
                              .order_by(CaseEvent.id)).all()


def accepted(users, **kw):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=10), **kw)
    with unit_of_work(writes=True):
        services.accept_case(case, users["mediator"], on=TODAY - dt.timedelta(days=9))
    return case


def test_a_received_case_is_corrected_without_a_reason(api, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=3))
    version = api.get(f"/api/v1/cases/{case.case_no}").get_json()["version"]
    response = patch(api, case.case_no, {"worker_phone": "13900001111", "matters": "支付工资8000元",
                                         "version": version})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] > version
    case = fresh(db, case.case_no)
    assert case.workers[0].phone == "13900001111"
    assert case.matters == "支付工资8000元"
    [corrected] = events(db, case, "corrected")
    assert corrected.changes["matters"][1] == "支付工资8000元"
    [worker_event] = events(db, case, "worker_corrected")
    assert worker_event.changes["worker.phone"] == ["13812345678", "13900001111"]
    assert worker_event.changes["worker"] == ["张三", "张三"]


def test_after_acceptance_a_correction_needs_a_reason(api, users, db):
    case = accepted(users)
    response = patch(api, case.case_no, {"notes": "补充"})
    assert response.status_code == 422
    assert "reason" in response.get_json()["errors"]
    assert fresh(db, case.case_no).notes == ""
    response = patch(api, case.case_no, {"notes": "补充", "reason": "核对原件"})
    assert response.status_code == 200
    [event] = events(db, fresh(db, case.case_no), "corrected")
    assert event.note == "核对原件"


def test_a_stale_version_is_refused_and_nothing_is_lost(api, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=3))
    version = api.get(f"/api/v1/cases/{case.case_no}").get_json()["version"]
    first = patch(api, case.case_no, {"notes": "第一位同事的更正", "version": version})
    assert first.status_code == 200
    second = patch(api, case.case_no, {"notes": "第二位同事的更正", "version": version}, role="supervisor")
    assert second.status_code == 409
    assert "version" in second.get_json()["errors"]
    assert fresh(db, case.case_no).notes == "第一位同事的更正"


def test_the_dispute_type_change_takes_the_case_out_of_an_automatic_green_channel(api, users, db):
    case = make_case(users["mediator"], migrant=True, received_on=TODAY - dt.timedelta(days=3))
    assert fresh(db, case.case_no).green_channel
    response = patch(api, case.case_no, {"dispute_type": "social_insurance"})
    assert response.status_code == 200, response.get_json()
    case = fresh(db, case.case_no)
    assert case.dispute_type.code == "social_insurance"
    assert not case.green_channel
    [event] = events(db, case, "corrected")
    assert event.changes["green_channel"] == [True, False]


def test_marking_a_worker_migrant_puts_a_pay_claim_in_the_green_channel(api, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=3))
    response = patch(api, case.case_no, {"migrant_worker": True})
    assert response.status_code == 200
    case = fresh(db, case.case_no)
    assert case.green_channel and case.green_channel_source.value == "automatic"


def test_the_workers_list_replaces_the_workers(api, users, db):
    case = make_case(users["mediator"], workers=2, claimed="1000.00", received_on=TODAY - dt.timedelta(days=3))
    first_id = fresh(db, case.case_no).workers[0].id_number
    response = patch(api, case.case_no, {"workers": [
        {"name": "张三", "id_number": first_id, "phone": "13700000000", "claimed_amount": "1500.00"},
        {"name": "王五", "id_number": valid_id_number(order=777), "claimed_amount": "2000"},
    ]})
    assert response.status_code == 200, response.get_json()
    case = fresh(db, case.case_no)
    assert [(w.name, w.claimed_fen) for w in case.workers] == [("张三", 150000), ("王五", 200000)]
    assert case.claimed_fen == 350000
    assert case.workers_count == 2
    removed = db.session.scalars(sa.select(Worker).where(Worker.case_id == case.id,
                                                         Worker.removed_on.is_not(None))).all()
    assert [w.name for w in removed] == ["张三2"]  # kept on record, off the case
    kinds = [e.kind for e in case.events]
    assert {"worker_corrected", "worker_removed", "worker_added"} <= set(kinds)


def test_bad_values_are_each_named_and_change_nothing(api, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=3))
    response = patch(api, case.case_no, {
        "received_on": (TODAY + dt.timedelta(days=1)).isoformat(), "worker_id_number": "110101199003071234",
        "status": "closed", "colour": "red", "dispute_type": "no_such_type", "street": "火星街道",
        "workers_count": 0})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {"worker_id_number", "status", "colour", "dispute_type", "street", "workers_count"} <= set(errors)
    assert fresh(db, case.case_no).version == case.version


def test_a_date_out_of_order_is_refused_by_name(api, users, db):
    case = accepted(users)
    response = patch(api, case.case_no, {"received_on": (TODAY - dt.timedelta(days=5)).isoformat(),
                                         "reason": "登记日期记错"})
    assert response.status_code == 422
    assert "accepted_on" in response.get_json()["errors"] or "received_on" in response.get_json()["errors"]
    response = patch(api, case.case_no, {"accepted_on": (TODAY - dt.timedelta(days=8)).isoformat(),
                                         "reason": "受理日期记错"})
    assert response.status_code == 200
    assert fresh(db, case.case_no).accepted_on == TODAY - dt.timedelta(days=8)


def test_switching_the_employer(api, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=3))
    code = valid_credit_code("91110108MA01WXYT0")
    response = patch(api, case.case_no, {"employer_name": "正确的公司名称有限公司", "employer_credit_code": code})
    assert response.status_code == 200, response.get_json()
    case = fresh(db, case.case_no)
    assert case.employer.name == "正确的公司名称有限公司"
    assert case.employer.credit_code == code
    [event] = events(db, case, "employer_changed")
    assert event.changes["employer_id"][1] == case.employer_id


def test_a_lawyer_may_not_correct(api, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=3))
    assert patch(api, case.case_no, {"notes": "x"}, role="lawyer").status_code == 403


@pytest.mark.parametrize("body", [{"case_no": "2026-99999"}, {"recovered_amount": "100"},
                                  {"agreed_amount": "100"}])
def test_keys_other_operations_change_are_refused_with_the_way(api, users, db, body):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=3))
    response = patch(api, case.case_no, body)
    assert response.status_code == 422
    [key] = body
    assert key in response.get_json()["errors"]
