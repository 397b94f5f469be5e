"""GET /api/v1/cases: filters, green channel first, and the cursor across pages."""
from __future__ import annotations

import datetime as dt

import pytest

from mediation.cases import services as case_services
from mediation.cases.models import Channel
from tests.factories import make_case, street

DAY = dt.date(2025, 3, 3)


@pytest.fixture
def mixed_cases(users, db):
    """Nine cases: green-channel ones, ordinary ones and finished ones, received on different days."""
    mediator = users["mediator"]
    made = {}
    for i in range(3):
        made[f"green{i}"] = make_case(mediator, migrant=True, received_on=DAY + dt.timedelta(days=3 - i),
                                      worker_name=f"绿{i}")
    for i in range(4):
        made[f"plain{i}"] = make_case(mediator, received_on=DAY + dt.timedelta(days=i), worker_name=f"普{i}",
                                      type_code="social_insurance", channel=Channel.HOTLINE_12351)
    for i in range(2):
        case = make_case(mediator, migrant=True, received_on=DAY - dt.timedelta(days=i), worker_name=f"驳{i}",
                         street=street("东湖街道"))
        case_services.reject_case(case, mediator, reason="不属于受案范围", on=DAY)
        db.session.commit()  # make_case begins afresh: commit before the next one
        made[f"rejected{i}"] = case
    return made


def all_pages(api, query: str, role: str = "mediator") -> list[list[dict]]:
    pages, after = [], None
    while True:
        url = f"/api/v1/cases?{query}" + (f"&page_after={after}" if after else "")
        response = api.get(url, role=role)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        pages.append(body["cases"])
        after = body["next_page_after"]
        if after is None:
            return pages
        assert len(pages) < 50, "the cursor does not advance"


def test_pages_list_open_green_cases_first_then_open_then_finished_each_oldest_first(api, mixed_cases):
    pages = all_pages(api, "limit=2")
    assert [len(p) for p in pages] == [2, 2, 2, 2, 1]
    numbers = [c["case_no"] for page in pages for c in page]
    assert len(numbers) == len(set(numbers)) == len(mixed_cases)  # no duplicates, no gaps
    by_no = {c.case_no: c for c in mixed_cases.values()}
    expected = sorted(by_no.values(), key=lambda c: (0 if c.green_channel and not c.status.is_final
                                                     else 1 if not c.status.is_final else 2, c.received_on, c.id))
    assert numbers == [c.case_no for c in expected]
    first_three = [by_no[n] for n in numbers[:3]]
    assert all(c.green_channel for c in first_three)
    assert [c.received_on for c in first_three] == sorted(c.received_on for c in first_three)


def test_the_default_page_is_fifty_and_the_last_page_has_no_cursor(api, mixed_cases):
    body = api.get("/api/v1/cases").get_json()
    assert len(body["cases"]) == len(mixed_cases)
    assert body["next_page_after"] is None


@pytest.mark.parametrize("query, expected", [
    ("green_channel=true", {"green0", "green1", "green2", "rejected0", "rejected1"}),
    ("green_channel=false", {"plain0", "plain1", "plain2", "plain3"}),
    ("status=rejected", {"rejected0", "rejected1"}),
    ("status=open&green_channel=1", {"green0", "green1", "green2"}),
    ("dispute_type=art2_4", {"plain0", "plain1", "plain2", "plain3"}),  # a category includes its finer types
    ("dispute_type=social_insurance&channel=hotline_12351", {"plain0", "plain1", "plain2", "plain3"}),
    ("channel=online", set()),
    ("street=东湖街道", {"rejected0", "rejected1"}),
    ("q=普2", {"plain2"}),
])
def test_filters(api, mixed_cases, query, expected):
    names = {c.case_no: name for name, c in mixed_cases.items()}
    found = [names[c["case_no"]] for page in all_pages(api, query + "&limit=3") for c in page]
    assert set(found) == expected and len(found) == len(expected)


@pytest.mark.parametrize("query, parameter", [
    ("status=bogus", "status"),
    ("green_channel=maybe", "green_channel"),
    ("page_after=garbage", "page_after"),
    ("page_after=1.2025-02-30.4", "page_after"),
    ("page_after=1.2025-02-03.99999999999999999999999", "page_after"),
    ("limit=0", "limit"),
    ("limit=201", "limit"),
    ("limit=ten", "limit"),
    ("dispute_type=no_such_type", "dispute_type"),
    ("street=无此街道", "street"),
    ("channel=fax", "channel"),
    ("q=" + "长" * 101, "q"),
    ("q=%00", "q"),
    ("colour=red", "colour"),
])
def test_a_bad_parameter_is_400_naming_it(api, users, query, parameter):
    response = api.get(f"/api/v1/cases?{query}")
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == [parameter]


def test_every_bad_parameter_is_named_at_once(api, users):
    response = api.get("/api/v1/cases?status=x&limit=0&colour=red")
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"status", "limit", "colour"}


def test_the_language_parameter_is_allowed(api, users):
    assert api.get("/api/v1/cases?lang=en").status_code == 200
