"""Registering a case through the intake form: what is saved, and what is refused with a clear message."""
from __future__ import annotations

import datetime as dt
import html as htmllib

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.models import Case, Employer, GreenChannelSource, Worker
from mediation.core.timeutil import local_today
from tests.factories import csrf_from, dispute_type, valid_credit_code, valid_id_number

TODAY = local_today()


def intake_form(client, **fields) -> dict:
    token = csrf_from(client.get("/cases/new").get_data(as_text=True))
    data = {
        "csrf_token": token, "received_on": TODAY.isoformat(), "channel": "walk_in",
        "application_form": "written", "dispute_type": str(dispute_type("wage_arrears").id),
        "employer_name": "宏达建筑劳务有限公司", "workers-0-name": "王燊", "matters": "支付拖欠工资",
    }
    data.update(fields)
    return data


def count(db, model) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_registered_case_keeps_what_the_clerk_typed(client, login, db):
    login("mediator")
    response = client.post("/cases/new", data=intake_form(
        client, **{"workers-0-id_number": valid_id_number()[:17] + valid_id_number()[17].lower(),
                   "workers-0-phone": "+86 138 0013 8000", "workers-0-claimed": "8,600.50元",
                   "employer_credit_code": valid_credit_code().lower(), "employer_contact_phone": "(0755)12345678",
                   "application_form": "oral", "reasons": "工程完工后未结清工资"}))
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert response.headers["Location"] == f"/cases/{case.case_no}"
    worker = case.workers[0]
    assert worker.id_number == valid_id_number()
    assert worker.phone == "13800138000"
    assert worker.claimed_fen == 860050
    assert case.claimed_fen == 860050
    assert case.employer.credit_code == valid_credit_code()
    assert case.employer.contact_phone == "0755-12345678"
    assert case.application_form.value == "oral"
    assert case.received_at is not None
    assert case.created_by_id is not None


def test_a_migrant_workers_pay_claim_enters_the_green_channel_by_itself(client, login, db):
    login("mediator")
    client.post("/cases/new", data=intake_form(client, **{"workers-0-migrant_worker": "y"}))
    case = db.session.scalar(sa.select(Case))
    assert case.green_channel and case.green_channel_source == GreenChannelSource.AUTOMATIC


def test_a_migrant_workers_other_claim_does_not(client, login, db):
    login("mediator")
    client.post("/cases/new", data=intake_form(client, **{"workers-0-migrant_worker": "y",
                                                          "dispute_type": str(dispute_type("social_insurance").id)}))
    assert db.session.scalar(sa.select(Case)).green_channel is False


def test_a_group_case_keeps_each_workers_own_amount(client, login, db):
    login("mediator")
    amounts = ["3,000.00", "4500.5", "¥12000", "0"]
    fields = {}
    for i, amount in enumerate(amounts):
        fields |= {f"workers-{i}-name": f"工人{i + 1}", f"workers-{i}-claimed": amount,
                   f"workers-{i}-id_number": valid_id_number(order=200 + i)}
    fields |= {"workers-0-is_representative": "y", "workers_count": "12"}
    response = client.post("/cases/new", data=intake_form(client, **fields))
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    case = db.session.scalar(sa.select(Case))
    assert [w.name for w in case.workers] == ["工人1", "工人2", "工人3", "工人4"]
    assert [w.claimed_fen for w in case.workers] == [300000, 450050, 1200000, 0]
    assert case.claimed_fen == 300000 + 450050 + 1200000
    assert case.workers_count == 12 and case.is_group_case
    assert case.workers[0].is_representative and not case.workers[1].is_representative


def test_add_another_applicant_redisplays_the_form_with_one_more_row(client, login, db):
    login("mediator")
    response = client.post("/cases/new", data=intake_form(client, add_worker="1"))
    assert response.status_code == 200
    assert 'name="workers-1-name"' in response.get_data(as_text=True)
    assert count(db, Case) == 0


BAD_FIELDS = [
    ({"workers-0-id_number": valid_id_number()[:17] + ("1" if valid_id_number()[17] != "1" else "2")},
     "check character is wrong"),
    ({"workers-0-id_number": "110101199002300013"}, "birth date is not a real date"),
    ({"workers-0-id_number": "1101011990"}, "18 characters"),
    ({"employer_credit_code": valid_credit_code()[:17] + ("0" if valid_credit_code()[17] != "0" else "1")},
     "credit code's check character is wrong"),
    ({"employer_credit_code": "91350100M000100I43"}, "except I, O, Z, S, V"),
    ({"workers-0-phone": "1381234567"}, "mainland mobile"),
    ({"employer_contact_phone": "12345"}, "mainland mobile"),
    ({"workers-0-claimed": "1.234"}, "at most two decimals"),
    ({"workers-0-claimed": "-500"}, "cannot be negative"),
    ({"workers-0-claimed": "五百元"}, "Enter an amount in yuan"),
    ({"workers-0-claimed": "9" * 30}, "too large"),
    ({"received_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "cannot be in the future"),
    ({"received_on": "2026-02-30"}, "Not a valid date"),
    ({"workers-0-name": ""}, "This field is required"),
    ({"employer_name": "   "}, "This field is required"),
    ({"matters": ""}, "This field is required"),
    ({"dispute_type": "9999"}, "Not a valid choice"),
    ({"workers_count": "0"}, "Number must be between 1 and 100000"),
]


@pytest.mark.parametrize("fields, message", BAD_FIELDS, ids=[m for _f, m in BAD_FIELDS])
def test_each_bad_field_is_explained_and_nothing_is_saved(client, login, db, fields, message):
    login("mediator")
    data = intake_form(client, **fields)
    response = client.post("/cases/new?lang=en", data=data)
    assert response.status_code == 422
    page = htmllib.unescape(response.get_data(as_text=True))
    assert message in page
    assert "Nothing has been saved" in page
    # What the clerk typed is still there to correct.
    for name, value in fields.items():
        if value.strip() and name != "dispute_type":
            assert htmllib.escape(value) in response.get_data(as_text=True) or value in page
    assert count(db, Case) == count(db, Worker) == count(db, Employer) == count(db, CaseEvent) == 0


def test_a_second_worker_with_a_bad_id_is_pointed_out(client, login, db):
    login("mediator")
    data = intake_form(client, **{"workers-1-name": "李四", "workers-1-id_number": "110101199003071230"})
    response = client.post("/cases/new?lang=en", data=data)
    assert response.status_code == 422
    assert 'id="workers-1-id_number-error"' in response.get_data(as_text=True)
    assert count(db, Case) == 0


def test_the_same_employer_is_reused_by_credit_code(client, login, db):
    login("mediator")
    code = valid_credit_code()
    client.post("/cases/new", data=intake_form(client, employer_credit_code=code, employer_name="宏达劳务"))
    client.post("/cases/new", data=intake_form(client, employer_credit_code=code, employer_name="宏达劳务有限公司",
                                               **{"workers-0-name": "另一人"}))
    assert count(db, Case) == 2
    assert count(db, Employer) == 1


def test_employer_suggestions(client, login, db):
    login("mediator")
    client.post("/cases/new", data=intake_form(client, employer_name="鑫源电子厂", employer_address="东湖路1号"))
    found = client.get("/employers.json?q=鑫源").get_json()
    assert [e["name"] for e in found] == ["鑫源电子厂"]
    assert found[0]["address"] == "东湖路1号"
    assert client.get("/employers.json?q=").get_json() == []
