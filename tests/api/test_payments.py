"""Payments, their reversal and the agreement's correction or amendment through the API (CONTRACTS §8)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.recovery import services
from mediation.recovery.models import AgreementVersion, Payment
from tests.api.conftest import bearer
from tests.factories import valid_id_number
from tests.sessions.casework import case_at, days_ago


def url(case, tail: str = "") -> str:
    return f"/api/v1/cases/{case.case_no}{tail}?lang=en"  # the messages in English


def payments_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(Payment.id)))


@pytest.fixture
def group(users, db):
    """Two workers agreed 9,000 each (18,000), nothing paid."""
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, workers=2, claimed="10000.00")
    zhang, li = case.workers
    services.record_agreement(case, mediator, data=services.AgreementData(
        signed_on=days_ago(10), performance_deadline=days_ago(-20),
        shares={zhang: Decimal("9000"), li: Decimal("9000")}))
    db.session.commit()
    return case


def test_a_payment_answers_201_with_its_id_and_the_case_lists_it(api, group, db):
    zhang = group.workers[0]
    response = api.post(url(group, "/payments"), json={
        "on": days_ago(1).isoformat(), "amount": "4,500.50", "worker_id_number": zhang.id_number,
        "method": "银行转账", "note": "第一笔"})
    assert response.status_code == 201, response.get_json()
    payment = response.get_json()
    assert payment == {"id": payment["id"], "on": days_ago(1).isoformat(), "amount": "4500.50", "worker": "张三",
                       "method": "银行转账", "note": "第一笔", "reverses": None, "reversed_by": None,
                       "reversed_on": None}
    case = api.get(url(group)).get_json()
    assert case["recovered_amount"] == "4500.50" and case["outstanding_amount"] == "13499.50"
    assert case["payments"] == [payment]
    db.session.expire_all()
    assert {e.via for e in group.events if e.kind == "payment_recorded"} == {"api"}


def test_a_payment_by_worker_name_and_one_naming_nobody(api, group, db):
    assert api.post(url(group, "/payments"), json={"on": days_ago(1).isoformat(), "amount": 100,
                                                   "worker_name": "张三2"}).get_json()["worker"] == "张三2"
    # A group case: a payment that names no worker counts against the total only.
    assert api.post(url(group, "/payments"), json={"on": days_ago(1).isoformat(),
                                                   "amount": "200"}).get_json()["worker"] is None


def test_a_payment_above_what_is_outstanding_is_422_naming_amount_and_changes_nothing(api, group, db):
    response = api.post(url(group, "/payments"), json={"on": days_ago(1).isoformat(), "amount": "50000"})
    assert response.status_code == 422
    assert response.get_json() == {"errors": {"amount": [
        "A payment of 50,000.00 yuan is more than is outstanding: 18,000.00 yuan (agreed 18,000.00 yuan, "
        "received 0.00 yuan)."]}}
    response = api.post(url(group, "/payments"), json={"on": days_ago(1).isoformat(), "amount": "9000.01",
                                                       "worker_name": "张三"})
    assert response.status_code == 422
    assert "more than is outstanding to 张三: 9,000.00 yuan" in response.get_json()["errors"]["amount"][0]
    assert payments_count(db) == 0
    assert db.session.get(Case, group.id).recovered_fen == 0


@pytest.mark.parametrize("body, key", [
    ({"worker_id_number": valid_id_number(order=999)}, "worker_id_number"),
    ({"worker_name": "王五"}, "worker_name"),
    ({"on": "2025-02-30"}, "on"),
    ({"on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "on"),
    ({"amount": "12.345"}, "amount"),
    ({"amount": "0"}, "amount"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_payment_is_422_naming_the_key(body, key, api, group, db):
    response = api.post(url(group, "/payments"), json={"on": days_ago(1).isoformat(), "amount": "100", **body})
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["errors"]) == [key]
    assert payments_count(db) == 0


def test_a_lawyer_may_not_record_payments(api, group, db):
    assert api.post(url(group, "/payments"), role="lawyer",
                    json={"on": days_ago(1).isoformat(), "amount": "100"}).status_code == 403
    assert payments_count(db) == 0


def test_a_payment_before_mediation_ends_is_refused(api, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    response = api.post(url(case, "/payments"), json={"on": days_ago(1).isoformat(), "amount": "100"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"_": ["Payments are recorded once mediation has ended."]}


def test_a_reversal_answers_201_with_the_entry_and_every_total_follows(api, group, db):
    paid = api.post(url(group, "/payments"), json={"on": days_ago(3).isoformat(), "amount": "9000",
                                                   "worker_name": "张三"}).get_json()
    response = api.post(url(group, f"/payments/{paid['id']}/reverse"),
                        json={"reason": "重复录入", "on": days_ago(1).isoformat()})
    assert response.status_code == 201, response.get_json()
    entry = response.get_json()
    assert (entry["amount"], entry["on"], entry["reverses"], entry["note"], entry["worker"]) == (
        "-9000.00", days_ago(1).isoformat(), paid["id"], "重复录入", "张三")
    case = api.get(url(group)).get_json()
    assert case["recovered_amount"] == "0.00" and case["outstanding_amount"] == "18000.00"
    assert [(p["id"], p["reversed_by"], p["reversed_on"]) for p in case["payments"]] == [
        (paid["id"], entry["id"], days_ago(1).isoformat()), (entry["id"], None, None)]

    again = api.post(url(group, f"/payments/{paid['id']}/reverse"), json={"reason": "再次"})
    assert again.status_code == 422
    assert again.get_json()["errors"] == {"_": [f"This payment was already reversed on {days_ago(1).isoformat()}."]}
    assert payments_count(db) == 2


def test_a_reversal_needs_a_reason_and_a_payment_of_this_case(api, group, users, db):
    paid = api.post(url(group, "/payments"), json={"on": days_ago(3).isoformat(), "amount": "100"}).get_json()
    missing = api.post(url(group, f"/payments/{paid['id']}/reverse"), json={})
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["reason"]
    blank = api.post(url(group, f"/payments/{paid['id']}/reverse"), json={"reason": "  "})
    assert blank.status_code == 422 and list(blank.get_json()["errors"]) == ["reason"]
    other = case_at(Status.MEDIATED, users["mediator"], worker_name="李四")
    assert api.post(url(other, f"/payments/{paid['id']}/reverse"), json={"reason": "x"}).status_code == 404
    assert api.post(url(group, "/payments/999999/reverse"), json={"reason": "x"}).status_code == 404
    assert api.post(url(group, f"/payments/{paid['id']}/reverse"), role="lawyer",
                    json={"reason": "x"}).status_code == 403
    assert payments_count(db) == 1


def patch(api, case, body, role="mediator"):
    return api.client.patch(url(case, "/agreement"), json=body, headers=bearer(api.tokens[role]))


def test_before_any_payment_the_patch_corrects_the_agreement(api, group, db):
    response = patch(api, group, {"reason": "金额录错", "shares": [
        {"worker_name": "张三", "amount": "9000"}, {"worker_name": "张三2", "amount": "8500"}]})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["agreed_amount"] == "17500.00" and data["agreement_version"] == 1
    assert data["agreement_due_on"] == days_ago(-20).isoformat()  # what the body leaves out stays
    db.session.expire_all()
    assert [e.kind for e in group.events][-1] == "agreement_corrected"


def test_after_a_payment_the_patch_amends_and_keeps_the_earlier_version(api, group, db):
    api.post(url(group, "/payments"), json={"on": days_ago(2).isoformat(), "amount": "9000", "worker_name": "张三"})
    version = api.get(url(group)).get_json()["version"]
    response = patch(api, group, {"reason": "分期履行", "amended_on": days_ago(1).isoformat(), "version": version,
                                  "instalments": [{"due_on": days_ago(2).isoformat(), "amount": "9000"},
                                                  {"due_on": days_ago(-30).isoformat(), "amount": "9000",
                                                   "worker_name": "张三2"}]})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["agreement_version"] == 2 and data["agreed_amount"] == "18000.00"
    assert data["agreement_due_on"] == days_ago(-30).isoformat()
    assert [d["due_on"] for d in data["deadlines"] if d["key"] == "instalment"] == [days_ago(-30).isoformat()]
    db.session.expire_all()
    [earlier] = db.session.scalars(sa.select(AgreementVersion)).all()
    assert earlier.number == 1 and earlier.performance_deadline == days_ago(-20) and earlier.instalments == []

    below = patch(api, group, {"reason": "减免", "agreed_amount": "8000", "shares": [], "instalments": []})
    assert below.status_code == 422
    assert below.get_json()["errors"] == {"agreed_amount": [
        "An amendment cannot agree 8,000.00 yuan: 9,000.00 yuan has already been paid."]}
    stale = patch(api, group, {"reason": "改", "terms": "x", "version": version})
    assert stale.status_code == 409 and list(stale.get_json()["errors"]) == ["version"]
    signed = patch(api, group, {"reason": "改", "signed_on": days_ago(9).isoformat()})
    assert signed.status_code == 422 and list(signed.get_json()["errors"]) == ["signed_on"]
    assert db.session.scalar(sa.select(sa.func.count(AgreementVersion.id))) == 1


def test_a_patch_of_a_case_without_an_agreement_is_404_and_lawyers_may_not(api, users, group, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"], worker_name="李四")
    assert patch(api, case, {"reason": "x", "terms": "y"}).status_code == 404
    assert patch(api, group, {"reason": "x", "terms": "y"}, role="lawyer").status_code == 403
    bad = patch(api, group, {"reason": "x", "shares": "all"})
    assert bad.status_code == 422 and list(bad.get_json()["errors"]) == ["shares"]
    row = patch(api, group, {"reason": "x", "shares": [{"worker_name": "王五", "amount": "1"}]})
    assert row.status_code == 422 and list(row.get_json()["errors"]) == ["shares[0].worker_name"]
    assert db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(
        CaseEvent.kind.in_(["agreement_corrected", "agreement_amended"]))) == 0


def test_a_mediated_case_is_registered_with_its_agreements_deadline_and_method(api, db):
    received = days_ago(20).isoformat()
    response = api.post("/api/v1/cases?lang=en", json={
        "received_on": received, "worker_name": "赵六", "employer_name": "某某物流有限公司",
        "dispute_type": "wage_arrears", "claimed_amount": "8000", "status": "mediated",
        "outcome_on": days_ago(5).isoformat(), "agreed_amount": "7500", "recovered_amount": "2500",
        "agreement_due_on": days_ago(-25).isoformat(), "agreement_method": "银行转账，分两次付清"})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert (data["agreement_due_on"], data["agreement_method"]) == (days_ago(-25).isoformat(), "银行转账，分两次付清")
    assert (data["agreed_amount"], data["recovered_amount"], data["outstanding_amount"]) == (
        "7500.00", "2500.00", "5000.00")
    assert [p["worker"] for p in data["payments"]] == ["赵六"]
    too_much = api.post("/api/v1/cases?lang=en", json={
        "received_on": received, "worker_name": "钱七", "employer_name": "某某物流有限公司",
        "dispute_type": "wage_arrears", "status": "mediated", "outcome_on": days_ago(5).isoformat(),
        "agreed_amount": "18000", "recovered_amount": "50000"})
    assert too_much.status_code == 422
    assert too_much.get_json()["errors"] == {"recovered_amount": ["More than the agreed amount (18,000.00 yuan)."]}
