"""Money on the case page: a payment above what is outstanding, the one-worker default, reversing a payment,
correcting and amending the agreement — refusals come back in place, with what was typed."""
from __future__ import annotations

import re
from decimal import Decimal

import sqlalchemy as sa

from mediation.cases.workflow import Status
from mediation.recovery import services
from mediation.recovery.models import Payment
from tests.sessions.casework import case_at, days_ago, page, post


def payment_fields(amount: str, **extra) -> dict:
    return {"paid_on": days_ago(1).isoformat(), "amount": amount, "method": "银行转账", "note": "", **extra}


def test_a_payment_above_what_is_outstanding_comes_back_under_its_amount(client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"], claimed="18000.00")  # 18,000 agreed
    login("mediator")
    response = post(client, case, "/payments", "payment", payment_fields("50,000.00", note="工资"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ('<p class="error" id="payment-amount-error">A payment of 50,000.00 yuan is more than is outstanding: '
            '18,000.00 yuan (agreed 18,000.00 yuan, received 0.00 yuan).</p>') in html
    assert 'id="payment-form" open' in html and 'value="50,000.00"' in html
    db.session.expire_all()
    assert case.recovered_fen == 0
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 0


def test_the_form_chooses_the_only_worker_and_offers_a_groups_workers(client, login, users, db):
    login("mediator")
    single = case_at(Status.MEDIATED, users["mediator"])
    worker = single.workers[0]
    html = page(client, single)
    assert re.search(rf'<option selected value="{worker.id}">张三</option>', html)
    assert "— not one worker (e.g. the whole group) —" not in html
    response = post(client, single, "/payments", "payment", payment_fields("1000"))  # the select left as shown
    assert response.status_code == 302
    db.session.expire_all()
    assert services.paid_by_worker(single) == {worker.id: 100000}

    group = case_at(Status.MEDIATED, users["mediator"], workers=3, worker_name="李四")
    select = re.search(r'<select id="payment-worker".*?</select>', page(client, group)).group(0)
    assert select.startswith('<select id="payment-worker" name="payment-worker"><option value="">— not one worker')
    assert "selected" not in select and select.count("<option") == 4


def test_a_payment_is_reversed_on_the_page_with_a_reason(client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"])
    payment = services.record_payment(case, users["mediator"], on=days_ago(2), amount=Decimal("3000"))
    db.session.commit()
    login("mediator")
    html = page(client, case)
    assert "Reverse a payment" in html
    assert f'<option selected value="{payment.id}">No. {payment.id} · {days_ago(2).isoformat()} · ¥3,000.00 · 张三' in html

    refused = post(client, case, "/payments/reversal", "reversal",
                   {"payment": str(payment.id), "on": days_ago(1).isoformat(), "reason": ""})
    assert refused.status_code == 422
    assert 'id="reversal-form" open' in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 1

    done = post(client, case, "/payments/reversal", "reversal",
                {"payment": str(payment.id), "on": days_ago(1).isoformat(), "reason": "转账被退回"})
    assert done.status_code == 302
    db.session.expire_all()
    assert case.recovered_fen == 0
    html = page(client, case)
    assert "¥0.00 of ¥12,000.00 recovered (0%)." in html
    assert f"Reversal of no. {payment.id}" in html and "转账被退回" in html
    assert "<s>3,000.00</s>" in html and "reversed on" in html
    assert "Reverse a payment" not in html  # nothing left to reverse

    again = post(client, case, "/payments/reversal", "reversal",
                 {"payment": str(payment.id), "on": days_ago(1).isoformat(), "reason": "再次"})
    assert again.status_code == 422  # no longer one of the choices
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 2


def agreement_fields(case, total: str, **extra) -> dict:
    agreement = case.agreement
    return {"signed_on": agreement.signed_on.isoformat(), "effective_on": agreement.effective_on.isoformat(),
            "total": total, "performance_method": "lump_sum",
            "performance_deadline": agreement.performance_deadline.isoformat(), "terms": "一次性支付", **extra}


def test_before_any_payment_the_page_offers_the_correction(client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"])  # 12,000 agreed, no payment
    login("mediator")
    html = page(client, case)
    assert "Correct the agreement" in html and "Amend the agreement" not in html
    assert 'name="correction-total" type="text" value="12000.00"' in html  # the agreement as it stands

    refused = post(client, case, "/agreement/correction", "correction", agreement_fields(case, "11000", reason=""))
    assert refused.status_code == 422
    assert 'id="correction-form" open' in refused.get_data(as_text=True)

    done = post(client, case, "/agreement/correction", "correction",
                agreement_fields(case, "11,000.00", reason="协议金额录错"))
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert case.agreed_fen == 1_100_000 and case.agreement.version_no == 1


def test_after_a_payment_the_page_amends_and_keeps_the_earlier_version(client, login, users, db):
    case = case_at(Status.MEDIATED, users["mediator"])
    services.record_payment(case, users["mediator"], on=days_ago(2), amount=Decimal("5000"))
    db.session.commit()
    login("mediator")
    html = page(client, case)
    assert "Amend the agreement" in html and "Correct the agreement" not in html

    below = post(client, case, "/agreement/amendment", "amendment",
                 agreement_fields(case, "4000", on=days_ago(1).isoformat(), reason="减免"))
    html = below.get_data(as_text=True)
    assert below.status_code == 422
    assert ('<p class="error" id="amendment-total-error">An amendment cannot agree 4,000.00 yuan: 5,000.00 yuan '
            'has already been paid.</p>') in html
    assert 'id="amendment-form" open' in html

    done = post(client, case, "/agreement/amendment", "amendment",
                agreement_fields(case, "10000", on=days_ago(1).isoformat(), reason="双方同意减免两千元",
                                 performance_deadline=days_ago(-30).isoformat()))
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    html = page(client, case)
    assert "version 2, amended on" in html
    assert "1 earlier version of the agreement" in html
    versions = html[html.index('id="agreement-versions"'):]
    versions = versions[:versions.index("</details>")]
    assert "Version 1: in force from" in versions and "¥12,000.00" in versions and "双方同意减免两千元" in versions
    assert "¥5,000.00 of ¥10,000.00 recovered (50%)." in html
