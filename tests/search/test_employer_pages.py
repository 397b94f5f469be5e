"""An employer's page (its particulars, cases, amounts and repeat disputes) and the list of employers by
number of cases; neither is a lawyer's."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from mediation.cases import services as cases
from mediation.core.timeutil import local_today
from mediation.employers.queries import employer_figures, repeat_window_start
from mediation.extensions import db
from mediation.recovery.services import AgreementData, record_agreement, record_payment
from tests.factories import valid_id_number
from tests.search.conftest import CREDIT_CODE, register

EMPLOYER = "东湖重复用工有限公司"
WORKER_A, WORKER_B = valid_id_number(order=301), valid_id_number(order=302)


def days_ago(n: int) -> dt.date:
    return local_today() - dt.timedelta(days=n)


def agreed_and_paid(case, actor, *, agreed: str, paid: list[tuple]) -> None:
    """Accepted, mediated to an agreement of ``agreed`` yuan, then ``paid``: (yuan, worker index) each."""
    received = case.received_on
    cases.accept_case(case, actor, on=received + dt.timedelta(days=1))
    cases.start_mediation(case, actor, on=received + dt.timedelta(days=2))
    record_agreement(case, actor, data=AgreementData(signed_on=received + dt.timedelta(days=5),
                                                     performance_deadline=received + dt.timedelta(days=20),
                                                     total=Decimal(agreed)))
    for amount, worker in paid:
        record_payment(case, actor, on=received + dt.timedelta(days=6), amount=Decimal(amount),
                       worker=case.workers[worker])
    db.session.commit()


@pytest.fixture
def repeat_offender(users):
    """Four cases of one employer over 13 months, two workers coming back, and one case of another."""
    m = users["mediator"]
    old = register(m, workers=[("甲一", WORKER_A, "")], employer=EMPLOYER, credit_code=CREDIT_CODE,
                   contact_phone="027-88886666", received_on=days_ago(400), claimed="10000.00")
    agreed_and_paid(old, m, agreed="8000.00", paid=[("3000.00", 0)])
    paid = register(m, workers=[("甲一", WORKER_A, ""), ("乙二", WORKER_B, "")], employer=EMPLOYER,
                    credit_code=CREDIT_CODE, received_on=days_ago(100), claimed="3000.00")
    agreed_and_paid(paid, m, agreed="6000.00", paid=[("3000.00", 0), ("3000.00", 1)])
    cases.close_case(paid, m, on=days_ago(80))
    db.session.commit()
    rejected = register(m, workers=[("丙三", None, "")], employer=EMPLOYER, credit_code=CREDIT_CODE,
                        received_on=days_ago(10), type_code="overtime_pay", claimed="2000.00")
    cases.reject_case(rejected, m, reason="不属于受理范围", on=days_ago(9))
    db.session.commit()
    fresh = register(m, workers=[("丙三", None, "")], employer=EMPLOYER, credit_code=CREDIT_CODE,
                     received_on=days_ago(5), type_code="overtime_pay", claimed="1500.00")
    other = register(m, workers=[("丁四", None, "")], employer="西山另一家公司", received_on=days_ago(3),
                     claimed="99999.00")
    return {"old": old, "paid": paid, "rejected": rejected, "fresh": fresh, "other": other}


def figure(html: str, name: str) -> str:
    return re.search(rf'id="figure-{name}"><span class="value">([^<]+)<', html).group(1)


def test_the_figures_add_up_the_employers_cases_and_no_others(repeat_offender):
    employer = repeat_offender["old"].employer
    figures = employer_figures(employer, local_today())
    assert (figures.cases, figures.open) == (4, 2)  # the mediated case awaits payment; the new one is open
    assert figures.claimed_fen == 1_950_000
    assert figures.agreed_fen == 1_400_000
    assert figures.recovered_fen == 900_000
    assert figures.unpaid_fen == 500_000            # 8,000 agreed less 3,000 paid; the other was paid in full
    assert figures.recent_cases == 3                # the case of 400 days ago is older than 12 months
    assert figures.recent_workers == 3              # 甲一 and 乙二 by ID number, 丙三 (twice) by name
    assert {t.dispute_type.code: (t.cases, t.recent) for t in figures.by_type} == {
        "wage_arrears": (2, 1), "overtime_pay": (2, 2)}


def test_the_employer_page_shows_particulars_figures_and_cases_newest_first(client, login, repeat_offender):
    employer_id = repeat_offender["old"].employer_id
    login("supervisor")
    html = client.get(f"/employers/{employer_id}?lang=en").get_data(as_text=True)
    assert EMPLOYER in html and CREDIT_CODE in html and "027-88886666" in html
    assert [figure(html, n) for n in ("cases", "open", "claimed", "agreed", "recovered", "unpaid")] == [
        "4", "2", "¥19,500.00", "¥14,000.00", "¥9,000.00", "¥5,000.00"]
    listed = re.findall(r'data-case-no="([^"]+)"', html)
    assert listed == [repeat_offender[k].case_no for k in ("fresh", "rejected", "paid", "old")]
    assert repeat_offender["other"].case_no not in html
    assert "3 cases in the last 12 months" in html and "3 workers involved" in html
    assert 'id="employer-actions"' in html  # where the employer corrections go


def test_the_case_page_links_to_its_employer_for_those_who_may_see_it(client, login, users, repeat_offender):
    case = repeat_offender["fresh"]
    login("mediator")
    assert f'href="/employers/{case.employer_id}"' in client.get(f"/cases/{case.case_no}").get_data(as_text=True)


def test_the_list_puts_the_employers_with_most_cases_first(client, login, repeat_offender):
    login("supervisor")
    html = client.get("/employers?sort=cases&lang=en").get_data(as_text=True)
    names = re.findall(r'<a href="/employers/\d+">([^<]+)</a>', html)
    assert names == [EMPLOYER, "西山另一家公司"]
    recent = client.get("/employers?sort=recent").get_data(as_text=True)
    assert re.findall(r'<a href="/employers/\d+">([^<]+)</a>', recent)[0] == EMPLOYER
    by_name = client.get("/employers?sort=name").get_data(as_text=True)
    assert sorted(re.findall(r'<a href="/employers/\d+">([^<]+)</a>', by_name)) == sorted(names)


@pytest.mark.parametrize("term", ["重复用工", "重复", CREDIT_CODE.lower(), "02788886666"])
def test_the_list_finds_an_employer_by_name_code_or_phone(client, login, repeat_offender, term):
    login("mediator")
    html = client.get(f"/employers?q={term}").get_data(as_text=True)
    assert re.findall(r'<a href="/employers/\d+">([^<]+)</a>', html) == [EMPLOYER]


def test_the_list_pages_through_many_employers(app, client, login, users, monkeypatch):
    from mediation.employers import queries

    for n in range(5):
        register(users["mediator"], workers=[(f"员工{n}", None, "")], employer=f"分页公司{n}")
    monkeypatch.setattr(queries, "EMPLOYERS_PAGE", 2)
    login("supervisor")
    seen, url = [], "/employers?sort=name"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += re.findall(r'<a href="/employers/\d+">([^<]+)</a>', html)
        found = re.search(r'<a href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == [f"分页公司{n}" for n in range(5)]


def test_a_lawyer_may_open_no_employer_page_nor_see_the_link(client, login, users, repeat_offender, db):
    from mediation.legal_aid.services import refer_to_legal_aid

    case = repeat_offender["fresh"]
    refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"], on=case.received_on)
    db.session.commit()
    login("lawyer")
    assert client.get(f"/employers/{case.employer_id}").status_code == 403
    assert client.get("/employers").status_code == 403
    page = client.get(f"/cases/{case.case_no}").get_data(as_text=True)
    assert EMPLOYER in page and "/employers/" not in page


def test_an_unknown_employer_is_not_found_and_odd_arguments_are_ignored(client, login, repeat_offender):
    login("supervisor")
    assert client.get("/employers/999999").status_code == 404
    assert client.get("/employers?sort=drop&page=-3&q=%00").status_code == 200
    employer_id = repeat_offender["old"].employer_id
    assert client.get(f"/employers/{employer_id}?after=nonsense").status_code == 200


def test_the_last_12_months_start_a_year_back():
    assert repeat_window_start(dt.date(2026, 6, 15)) == dt.date(2025, 6, 16)
    assert repeat_window_start(dt.date(2028, 2, 29)) == dt.date(2027, 3, 1)


def test_the_employers_cases_page_newest_first_to_the_last(client, login, users, monkeypatch):
    from mediation.employers import queries

    made = [register(users["mediator"], workers=[(f"翻页{n}", None, "")], employer="翻页公司",
                     received_on=days_ago(n % 3)) for n in range(5)]  # several on one day: newest id first
    monkeypatch.setattr(queries, "CASES_PAGE", 2)
    login("supervisor")
    seen, url = [], f"/employers/{made[0].employer_id}"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += re.findall(r'data-case-no="([^"]+)"', html)
        found = re.search(r'<a href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == [c.case_no for c in sorted(made, key=lambda c: (c.received_on, c.id), reverse=True)]
