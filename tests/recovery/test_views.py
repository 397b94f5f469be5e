"""The agreement and payment forms on the case page, and what the page shows of recovery."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from mediation.legal_aid.services import refer_to_legal_aid
from mediation.recovery import services
from mediation.recovery.models import Agreement, Payment
from tests.sessions.casework import case_at, days_ago, page, post


def agreement_fields(case, amounts, **extra):
    fields = {"signed_on": days_ago(3).isoformat(), "performance_method": "lump_sum",
              "performance_deadline": days_ago(1).isoformat(), "terms": "一次性支付"}
    for index, (worker, amount) in enumerate(zip(case.workers, amounts)):
        fields[f"shares-{index}-worker_id"] = str(worker.id)
        fields[f"shares-{index}-amount"] = amount
    fields.update(extra)
    return fields


def test_the_mediator_records_an_agreement_worker_by_worker(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"], workers=2, claimed="6000.00")
    login("mediator")
    html = page(client, case)
    assert "Record the mediation agreement" in html
    assert 'value="6000.00"' in html  # each worker's row starts from their claim
    response = post(client, case, "/agreement", "agreement",
                    agreement_fields(case, ["5,500.00", "5500"], total="11000"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert case.status == Status.MEDIATED and case.agreed_fen == 1100000
    assert sorted(s.agreed_fen for s in case.agreement.shares) == [550000, 550000]
    html = page(client, case)
    assert "Mediation agreement" in html and "11,000.00" in html
    # The arbitral-review deadline: 15 days from the agreement taking effect.
    assert "jointly apply for arbitral review by" in html
    assert "Record the mediation agreement" not in html


def test_amounts_that_do_not_add_up_come_back_with_the_error_and_nothing_saved(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"], workers=2)
    login("mediator")
    response = post(client, case, "/agreement", "agreement",
                    agreement_fields(case, ["5000", "5000"], total="10000.50", terms="我写的条款"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The workers' amounts add up to 10,000.00 yuan, not this total." in html
    assert "我写的条款" in html  # what was typed is kept
    db.session.expire_all()
    assert case.status == Status.IN_MEDIATION
    assert db.session.scalar(sa.select(sa.func.count(Agreement.id))) == 0


def test_a_worker_row_left_empty_is_pointed_out(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"], workers=2)
    login("mediator")
    response = post(client, case, "/agreement", "agreement", agreement_fields(case, ["5000", ""]))
    assert response.status_code == 422
    assert "Enter this worker's agreed amount (0 if none)." in response.get_data(as_text=True)


def test_a_lump_sum_needs_its_deadline_but_an_agreement_without_money_does_not(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    login("mediator")
    response = post(client, case, "/agreement", "agreement",
                    agreement_fields(case, ["9000"], performance_deadline=""))
    assert response.status_code == 422
    assert "State by when the agreement is to be performed." in response.get_data(as_text=True)
    # Reinstatement without payment: the agreement is about something other than money.
    response = post(client, case, "/agreement", "agreement",
                    agreement_fields(case, ["0"], performance_deadline="", terms="恢复劳动关系"))
    assert response.status_code == 302
    db.session.expire_all()
    assert case.agreed_fen == 0 and case.status == Status.MEDIATED


def test_an_agreement_in_instalments(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    login("mediator")
    fields = agreement_fields(case, ["9000"], performance_method="instalments", performance_deadline="")
    fields.update({"instalments-0-due_on": days_ago(2).isoformat(), "instalments-0-amount": "3000",
                   "instalments-1-due_on": (local_today() + dt.timedelta(days=30)).isoformat(),
                   "instalments-1-amount": "6000", "instalments-1-worker": str(case.workers[0].id),
                   "instalments-2-due_on": "", "instalments-2-amount": ""})
    response = post(client, case, "/agreement", "agreement", fields)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    assert [(i.amount_fen, i.worker_id) for i in case.agreement.instalments] == [
        (300000, None), (600000, case.workers[0].id)]
    html = page(client, case)
    # The first instalment fell due two days ago and nothing was paid.
    assert 'class="instalment-overdue"' in html and 'class="instalment-due"' in html
    assert "payment order" in html


@pytest.mark.parametrize("rows, message", [
    ([("2", "3000"), ("", "5000")], "An instalment needs both a due date and an amount."),
    ([("2", "3000"), ("1", "5000")], "The instalments add up to 8,000.00 yuan, not the agreed 9,000.00 yuan."),
    ([], "List the instalments: due date and amount of each."),
])
def test_a_schedule_that_does_not_fit_comes_back(rows, message, client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    login("mediator")
    fields = agreement_fields(case, ["9000"], performance_method="instalments", performance_deadline="")
    for index, (ago, amount) in enumerate(rows):
        fields[f"instalments-{index}-due_on"] = days_ago(int(ago)).isoformat() if ago else ""
        fields[f"instalments-{index}-amount"] = amount
    response = post(client, case, "/agreement", "agreement", fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Agreement.id))) == 0


def test_another_instalment_row_is_added_without_saving(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    login("mediator")
    fields = agreement_fields(case, ["9000"], performance_method="instalments")
    fields.update({f"instalments-{i}-due_on": "" for i in range(3)})
    from tests.factories import csrf_from

    token = csrf_from(client.get("/").get_data(as_text=True))
    data = {f"agreement-{k}": v for k, v in fields.items()} | {"agreement-csrf_token": token, "add_instalment": "1"}
    response = client.post(f"/cases/{case.case_no}/agreement?lang=en", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="agreement-instalments-3-due_on"' in html
    assert db.session.scalar(sa.select(sa.func.count(Agreement.id))) == 0


def test_a_payment_recorded_on_the_page_shows_in_the_progress(client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"], claimed="12000.00")
    login("mediator")
    response = post(client, case, "/payments", "payment",
                    {"paid_on": days_ago(1).isoformat(), "amount": "3,000.00", "worker": str(case.workers[0].id),
                     "method": "银行转账", "note": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert case.recovered_fen == 300000
    html = page(client, case)
    assert "¥3,000.00 of ¥12,000.00 recovered (25%)." in html
    assert "银行转账" in html


@pytest.mark.parametrize("amount, message", [("0", "A payment must be more than zero."),
                                             ("", "Enter the amount received."),
                                             ("12.345", "An amount has at most two decimals (fen).")])
def test_a_bad_payment_comes_back_and_nothing_is_saved(amount, message, client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"])
    login("mediator")
    response = post(client, case, "/payments", "payment", {"paid_on": days_ago(1).isoformat(), "amount": amount})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 0


def test_a_payment_before_mediation_ends_is_refused_with_a_message(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    login("mediator")
    response = post(client, case, "/payments", "payment", {"paid_on": days_ago(1).isoformat(), "amount": "100"})
    assert response.status_code == 422
    assert "Payments are recorded once mediation has ended." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 0


def test_an_overdue_lump_sum_prompts_the_payment_order(client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"], claimed="8000.00")  # deadline 10 days after receipt
    login("mediator")
    html = page(client, case)
    assert "1 amount is overdue" in html
    assert "apply to the basic people's court for a payment order" in html
    from flask import current_app

    if "documents.render" in current_app.view_functions:
        assert f"/cases/{case.case_no}/documents/payment_order.pdf" in html


def test_a_lawyer_sees_recovery_but_has_no_forms(client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"])
    refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"])
    db.session.commit()
    login("lawyer")
    html = page(client, case)
    assert "Agreement and wage recovery" in html
    assert "Record a payment received" not in html
    assert post(client, case, "/payments", "payment",
                {"paid_on": days_ago(1).isoformat(), "amount": "100"}).status_code == 403
    assert post(client, case, "/agreement", "agreement", {"signed_on": days_ago(1).isoformat()}).status_code == 403


@pytest.mark.parametrize("role", ["mediator", "supervisor", "admin"])
def test_staff_who_may_record_payments_get_the_form(role, client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"])
    services.record_payment(case, users["mediator"], on=days_ago(1), amount=Decimal("1"))
    db.session.commit()
    login(role)
    assert "Record a payment received" in page(client, case)
