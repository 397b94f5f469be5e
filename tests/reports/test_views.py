"""The summary page: who may see it, the period picker, the figures, and the JSON download."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from mediation.core.timeutil import local_today

D = dt.date
URL = "/reports/summary"


def figure(html: str, key: str) -> str:
    match = re.search(rf'class="figure" data-figure="{key}">\s*<span class="value">([^<]*)<', html)
    assert match, f"no card for {key}"
    return match.group(1)


@pytest.fixture
def first_quarter(history):
    history.mediated(D(2025, 1, 20), D(2025, 2, 5), "8000.00", claimed="10441200.00")
    history.received(D(2025, 3, 30), workers=4)
    history.failed(D(2025, 4, 2), D(2025, 4, 9))


@pytest.mark.parametrize("role", ["mediator", "lawyer"])
def test_mediators_and_lawyers_may_not_see_it(client, login, role):
    login(role)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "?period=2025&format=json").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, users):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_admins_see_every_figure(client, login, first_quarter, role):
    login(role)
    response = client.get(URL + "?kind=quarter&year=2025&quarter=1&lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert figure(html, "received") == "2"
    assert figure(html, "mediated_success") == "1"
    assert figure(html, "workers_involved") == "5"
    assert "1044.12 wan yuan" in html
    assert "共受理劳动争议案件2件，调解成功1件，涉及金额1044.12万元；完成法律援助案件0件，涉及金额0.00万元。" in html
    assert "Received 2 labour-dispute cases; 1 mediated successfully" in html
    assert 'data-period="2025-Q1"' in html and "Q1 2025" in html
    assert 'data-figure="mediated_success_claimed"><th scope="row">' in html
    assert "10,441,200.00" in html
    assert 'data-breakdown="by_channel"' in html
    assert "/reports/summary?from=2025-01-01&amp;to=2025-03-31&amp;format=json" in html
    assert "@media print" not in html and "css/reports.css" in html  # print layout lives in the stylesheet


def test_the_default_is_the_current_month(client, login, history):
    today = local_today()
    history.received(today)
    login("supervisor")
    html = client.get(URL + "?lang=en").get_data(as_text=True)
    assert f'data-period="{today:%Y-%m}"' in html
    assert figure(html, "received") == "1"
    assert '<option selected value="month">' in html


@pytest.mark.parametrize("query, period, received", [
    ("?kind=month&year=2025&month=3", "2025-03", "1"),
    ("?kind=half&year=2025&half=1", "2025-H1", "3"),
    ("?kind=year&year=2025", "2025", "3"),
    ("?kind=range&from=2025-01-20&to=2025-03-29", "2025-01-20..2025-03-29", "1"),
    ("?period=2025-Q2", "2025-Q2", "1"),
    ("?from=2025-03-30&to=2025-04-02", "2025-03-30..2025-04-02", "2"),
])
def test_the_period_picker(client, login, first_quarter, query, period, received):
    login("supervisor")
    response = client.get(URL + query + "&lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'data-period="{period}"' in html
    assert figure(html, "received") == received


@pytest.mark.parametrize("query, message", [
    ("?kind=range&from=2025-03-01&to=2025-02-01", "The start date 2025-03-01 is after the end date 2025-02-01."),
    ("?kind=range&from=2025-02-30&to=2025-03-01", "The start date “2025-02-30” is not a date (YYYY-MM-DD)."),
    ("?kind=month&year=2025&month=13", "A month is numbered 1 to 12."),
    ("?kind=month&year=abc&month=3", "Choose a year."),
    ("?kind=decade&year=2025", "Choose a kind of period."),
    ("?period=spring", "Give the period as 2025-03 (month)"),
])
def test_a_bad_period_is_explained_and_shows_no_figures(client, login, query, message):
    login("supervisor")
    response = client.get(URL + query + "&lang=en")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'class="error"' in html
    assert 'data-figure="received"' not in html


def test_json_download_is_the_summary_object(client, login, first_quarter):
    login("supervisor")
    response = client.get(URL + "?from=2025-01-01&to=2025-03-31&format=json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "summary-2025-01-01-2025-03-31.json" in response.headers["Content-Disposition"]
    figures = json.loads(response.get_data(as_text=True))
    assert (figures["from"], figures["to"], figures["received"]) == ("2025-01-01", "2025-03-31", 2)
    assert figures["mediated_success_claimed"] == "10441200.00"
    assert "共受理" in response.get_data(as_text=True)


def test_json_download_of_a_bad_period_names_the_problem(client, login):
    login("supervisor")
    response = client.get(URL + "?from=2025-03-01&to=2025-02-01&format=json&lang=en")
    assert response.status_code == 400
    assert response.get_json() == {"errors": {"to": ["The start date 2025-03-01 is after the end date 2025-02-01."]}}


def test_the_summary_holds_no_personal_data(client, login, history):
    case = history.received(D(2025, 5, 6), worker_name="李四", employer="某某科技有限公司")
    login("supervisor")
    body = client.get(URL + "?period=2025-05&format=json").get_data(as_text=True)
    assert "李四" not in body and "某某科技" not in body
    assert case.workers[0].id_number not in body and "13812345678" not in body
