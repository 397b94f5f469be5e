"""The case queue: filters, search, order, paging and masking, as a mediator sees them."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from mediation.cases import services
from mediation.cases.models import Channel
from mediation.cases.queue import QueueFilters, decode_cursor, queue_page
from mediation.core.masking import mask_id_number
from mediation.core.timeutil import local_today
from tests.factories import dispute_type, make_case, street, valid_id_number

TODAY = local_today()


def listed(client, query: str = "") -> list[str]:
    """Case numbers in the order the queue shows them."""
    response = client.get("/" + query)
    assert response.status_code == 200
    return re.findall(r'data-case-no="([^"]+)"', response.get_data(as_text=True))


@pytest.fixture
def mixed(users, db):
    """A small office's cases: different types, streets, channels, mediators, green or not, statuses."""
    m = users["mediator"]
    cases = {
        "wage": make_case(m, worker_name="甲工", employer="鑫源电子厂", received_on=TODAY - dt.timedelta(days=9)),
        "overtime": make_case(m, type_code="overtime_pay", worker_name="乙工", employer="华强物流有限公司",
                              received_on=TODAY - dt.timedelta(days=3), channel=Channel.HOTLINE_12351),
        "insurance": make_case(m, type_code="social_insurance", worker_name="丙工", employer="鑫源电子厂",
                               received_on=TODAY - dt.timedelta(days=20), street=street("西湖街道")),
        "green": make_case(m, migrant=True, worker_name="丁工", employer="宏达建筑劳务有限公司",
                           received_on=TODAY - dt.timedelta(days=1), channel=Channel.ONLINE),
        "rejected": make_case(m, worker_name="戊工", employer="某餐饮店", received_on=TODAY - dt.timedelta(days=30)),
    }
    services.reject_case(cases["rejected"], users["supervisor"], reason="重复申请")
    services.assign_mediator(cases["overtime"], users["supervisor"], mediator=users["mediator"])
    db.session.commit()
    return cases


def numbers(cases, *keys):
    return {cases[k].case_no for k in keys}


def test_green_channel_first_then_oldest_then_finished(client, login, mixed):
    login("mediator")
    assert listed(client) == [mixed[k].case_no for k in ("green", "insurance", "wage", "overtime", "rejected")]


@pytest.mark.parametrize("query, expected", [
    ("?status=received", ("green", "insurance", "wage", "overtime")),
    ("?status=rejected", ("rejected",)),
    ("?status=open", ("green", "insurance", "wage", "overtime")),
    ("?green=1", ("green",)),
    ("?green=0", ("insurance", "wage", "overtime", "rejected")),
    ("?channel=hotline_12351", ("overtime",)),
    ("?channel=online", ("green",)),
])
def test_filters(client, login, mixed, query, expected):
    login("mediator")
    assert set(listed(client, query)) == numbers(mixed, *expected)


def test_filter_by_street_and_mediator(client, login, mixed, users):
    login("supervisor")
    assert set(listed(client, f"?street={street('西湖街道').id}")) == numbers(mixed, "insurance")
    assert set(listed(client, f"?mediator={users['mediator'].id}")) == numbers(mixed, "overtime")


def test_a_category_filter_includes_its_finer_types(client, login, mixed):
    login("mediator")
    pay_category = dispute_type("art2_5")
    assert set(listed(client, f"?dispute_type={pay_category.id}")) == numbers(
        mixed, "wage", "overtime", "green", "rejected")
    assert set(listed(client, f"?dispute_type={dispute_type('overtime_pay').id}")) == numbers(mixed, "overtime")
    assert set(listed(client, f"?dispute_type={dispute_type('art2_4').id}")) == numbers(mixed, "insurance")


@pytest.mark.parametrize("search, expected", [
    ("鑫源", ("wage", "insurance")),            # employer name, part of it
    ("华强物流有限公司", ("overtime",)),
    ("丁工", ("green",)),                        # worker name
    ("丙", ("insurance",)),
])
def test_search_by_worker_or_employer(client, login, mixed, search, expected):
    login("mediator")
    assert set(listed(client, f"?q={search}")) == numbers(mixed, *expected)


def test_search_by_case_number_and_full_id_number(client, login, users, db):
    a = make_case(users["mediator"], worker_name="周一")
    b = make_case(users["mediator"], worker_name="周二")
    id_number = valid_id_number(birth=dt.date(1985, 6, 1), order=777)
    b.workers[0].id_number = id_number
    db.session.commit()
    login("mediator")
    assert listed(client, f"?q={a.case_no}") == [a.case_no]
    assert listed(client, f"?q={id_number}") == [b.case_no]
    assert listed(client, f"?q={id_number.lower()}") == [b.case_no]
    assert listed(client, f"?q={id_number[:10]}") == []  # only a whole ID number finds its holder


def test_search_terms_with_wildcards_do_not_match_everything(client, login, mixed):
    login("mediator")
    assert listed(client, "?q=%25") == []
    assert listed(client, "?q=_") == []
    assert listed(client, "?q=%5C") == []


def test_the_list_masks_id_numbers(client, login, users):
    case = make_case(users["mediator"])
    full = case.workers[0].id_number
    login("mediator")
    html = client.get("/").get_data(as_text=True)
    assert full not in html
    assert mask_id_number(full) in html
    assert full in client.get(f"/cases/{case.case_no}").get_data(as_text=True)


def test_paging_visits_every_case_exactly_once_in_queue_order(app, client, login, users, db):
    app.config["QUEUE_PAGE_SIZE"] = 4
    made = []
    for i in range(15):
        case = make_case(users["mediator"], worker_name=f"员工{i}", migrant=(i % 5 == 0),
                         received_on=TODAY - dt.timedelta(days=i % 4))  # many share a date: ties by id
        if i % 6 == 1:
            services.reject_case(case, users["mediator"], reason="不属于受理范围")
            db.session.commit()
        made.append(case)
    expected = [c.case_no for c in sorted(made, key=lambda c: (c.queue_tier, c.received_on, c.id))]
    login("mediator")
    seen, url, pages = [], "/", 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += re.findall(r'data-case-no="([^"]+)"', html)
        found = re.search(r'<a href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        pages += 1
    assert seen == expected
    assert pages == 4


def test_paging_keeps_the_filters(app, client, login, users, db):
    app.config["QUEUE_PAGE_SIZE"] = 2
    for i in range(5):
        make_case(users["mediator"], worker_name=f"工{i}", employer="同一公司")
    make_case(users["mediator"], worker_name="别家", employer="别的公司")
    login("mediator")
    html = client.get("/?q=同一公司").get_data(as_text=True)
    next_url = re.search(r'<a href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "q=" in next_url
    seen = re.findall(r'data-case-no="([^"]+)"', html)
    while next_url:
        html = client.get(next_url).get_data(as_text=True)
        seen += re.findall(r'data-case-no="([^"]+)"', html)
        found = re.search(r'<a href="([^"]+)" rel="next"', html)
        next_url = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize("cursor", ["garbage", "1.2026-13-45.3", "x.y.z", "..", "1.2026-01-01"])
def test_a_mangled_cursor_shows_the_first_page(client, login, users, cursor):
    case = make_case(users["mediator"])
    login("mediator")
    response = client.get(f"/?after={cursor}")
    assert response.status_code == 200
    assert case.case_no in response.get_data(as_text=True)
    assert decode_cursor(cursor) is None


def test_the_query_function_returns_the_next_cursor_only_when_more_remain(users, db):
    for i in range(3):
        make_case(users["mediator"], worker_name=f"人{i}")
    page, cursor = queue_page(users["supervisor"], QueueFilters(), size=2)
    assert len(page) == 2 and cursor
    rest, last = queue_page(users["supervisor"], QueueFilters(), after=cursor, size=2)
    assert len(rest) == 1 and last is None
    assert {c.id for c in page}.isdisjoint({c.id for c in rest})


def figures(client, query: str = "") -> dict[str, str]:
    html = client.get("/" + query).get_data(as_text=True)
    pairs = re.findall(r'<span class="value">(\d+)</span><span class="label">([^<]+)</span>', html)
    return {label: int(value) for value, label in pairs}


def test_the_figures_above_the_list_count_open_cases(client, login, mixed, users, db):
    login("mediator")
    assert figures(client) == {"未结案件": 4, "绿色通道未结案件": 1, "待受理": 4, "调解中": 0}
    services.accept_case(mixed["wage"], users["supervisor"])
    services.start_mediation(mixed["wage"], users["mediator"])
    services.accept_case(mixed["insurance"], users["supervisor"])
    db.session.commit()
    assert figures(client) == {"未结案件": 4, "绿色通道未结案件": 1, "待受理": 2, "调解中": 1}


def test_the_count_says_more_than_the_cap_instead_of_counting_every_case(client, login, mixed, monkeypatch):
    login("mediator")
    assert "共5件" in client.get("/").get_data(as_text=True)
    monkeypatch.setattr("mediation.cases.views.COUNT_CAP", 3)
    html = client.get("/").get_data(as_text=True)
    assert "共5件" not in html
    assert "超过3件" in re.search(r'<p class="muted">([^<]*)</p>', html).group(1)
