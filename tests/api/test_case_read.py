"""GET /api/v1/cases/CASE_NO: the case as JSON, visibility and masking."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

from mediation.auth.models import Role
from mediation.cases import services as case_services
from mediation.auth import permissions
from mediation.legal_aid.services import refer_to_legal_aid
from tests.factories import make_case, make_user, valid_id_number


def test_a_case_reads_back_with_workers_employer_amounts_and_dates(api, users, db):
    case = make_case(users["mediator"], migrant=True, workers=2, claimed="12500.00",
                     received_on=dt.date(2025, 3, 3), employer="示例建筑劳务有限公司")
    case_services.accept_case(case, users["mediator"], on=dt.date(2025, 3, 4))
    db.session.commit()
    response = api.get(f"/api/v1/cases/{case.case_no}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["case_no"] == case.case_no
    assert data["status"] == "accepted" and data["status_zh"] == "已受理"
    assert data["received_on"] == "2025-03-03" and data["accepted_on"] == "2025-03-04"
    assert data["outcome_on"] is None
    assert data["dispute_type"]["code"] == "wage_arrears"
    assert data["dispute_type"]["label_zh"] == "拖欠劳动报酬"
    assert data["dispute_type"]["category"] == "art2_5"
    assert data["green_channel"] is True and data["green_channel_source"] == "automatic"
    assert data["channel"] == "walk_in"
    assert data["employer"]["name"] == "示例建筑劳务有限公司"
    assert data["claimed_amount"] == "25000.00"
    assert data["agreed_amount"] is None and data["recovered_amount"] == "0.00"
    assert data["workers_count"] == 2
    assert [w["claimed_amount"] for w in data["workers"]] == ["12500.00", "12500.00"]
    assert data["workers"][0]["id_number"] == valid_id_number(order=100)  # a mediator sees it in full
    assert data["workers"][0]["phone"] == "13812345678"
    assert data["workers"][0]["migrant_worker"] is True
    assert data["legal_aid"] is None


def test_amounts_are_exact_strings_of_yuan(api, users):
    case = make_case(users["mediator"], claimed="1234567.89")
    data = api.get(f"/api/v1/cases/{case.case_no}").get_json()
    assert data["claimed_amount"] == "1234567.89"
    assert Decimal(data["claimed_amount"]) == Decimal("1234567.89")


def test_legal_aid_shows_on_the_case(api, users, db):
    case = make_case(users["mediator"], received_on=dt.date(2025, 3, 3))
    refer_to_legal_aid(case, users["supervisor"], lawyer=users["lawyer"], on=dt.date(2025, 3, 5),
                       amount=Decimal("8000"))
    db.session.commit()
    aid = api.get(f"/api/v1/cases/{case.case_no}").get_json()["legal_aid"]
    assert aid == {"status": "referred", "status_zh": "已转介", "referred_on": "2025-03-05",
                   "completed_on": None, "amount": "8000.00"}


def test_an_unknown_case_is_404_in_json(api):
    response = api.get("/api/v1/cases/1999-99999")
    assert response.status_code == 404
    assert response.get_json()["errors"]["_"]


def test_a_case_number_with_characters_that_need_encoding(api, users):
    number = "粤穗调〔2025〕第7号/甲 #1?x=%"
    case = make_case(users["mediator"], case_no=number)
    assert case.case_no == number
    response = api.get("/api/v1/cases/" + quote(number, safe=""))
    assert response.status_code == 200
    assert response.get_json()["case_no"] == number
    again = api.get(response.get_json()["url"])  # the case's own url leads back to it
    assert again.status_code == 200 and again.get_json()["case_no"] == number


def test_a_lawyer_reads_only_the_cases_referred_to_them(api, users, db):
    mine = make_case(users["mediator"], worker_name="赵律援")
    other_lawyer = make_user("lawyer")
    elsewhere = make_case(users["mediator"], worker_name="孙他人")
    unreferred = make_case(users["mediator"], worker_name="钱未转")
    refer_to_legal_aid(mine, users["supervisor"], lawyer=users["lawyer"])
    refer_to_legal_aid(elsewhere, users["supervisor"], lawyer=other_lawyer)
    db.session.commit()
    assert api.get(f"/api/v1/cases/{mine.case_no}", role="lawyer").status_code == 200
    for hidden in (elsewhere, unreferred):
        response = api.get(f"/api/v1/cases/{hidden.case_no}", role="lawyer")
        assert response.status_code == 404  # the same answer as for a case that does not exist
    listed = api.get("/api/v1/cases", role="lawyer").get_json()["cases"]
    assert [c["case_no"] for c in listed] == [mine.case_no]


def test_a_role_without_access_to_personal_data_sees_it_masked(api, users, monkeypatch):
    case = make_case(users["mediator"])
    full_id = valid_id_number(order=100)
    monkeypatch.setitem(permissions.PERMISSIONS, "case.personal_data",
                        frozenset({Role.ADMIN, Role.SUPERVISOR, Role.MEDIATOR}))
    worker = api.get(f"/api/v1/cases/{case.case_no}", role="supervisor").get_json()["workers"][0]
    assert worker["id_number"] == full_id
    refer_to_legal_aid(case, users["supervisor"], lawyer=users["lawyer"])
    from mediation.extensions import db

    db.session.commit()
    worker = api.get(f"/api/v1/cases/{case.case_no}", role="lawyer").get_json()["workers"][0]
    assert worker["id_number"] == full_id[:4] + "*" * 10 + full_id[-4:]
    assert worker["phone"] == "138****5678"


def test_a_page_of_cases_masks_personal_data_except_for_full_exporters(api, users):
    make_case(users["mediator"])
    full_id = valid_id_number(order=100)
    for role, expected_id, expected_phone in (("mediator", full_id[:4] + "*" * 10 + full_id[-4:], "138****5678"),
                                              ("supervisor", full_id, "13812345678"),
                                              ("admin", full_id, "13812345678")):
        worker = api.get("/api/v1/cases", role=role).get_json()["cases"][0]["workers"][0]
        assert (worker["id_number"], worker["phone"]) == (expected_id, expected_phone), role
