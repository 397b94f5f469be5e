"""The queue's search box finds a case by any of its particulars, and nothing else; so do the API's list
and the ledger export, which read the same filter."""
from __future__ import annotations

import pytest

from mediation.cases.queue import QueueFilters, count_cases
from mediation.core.masking import mask_id_number
from tests.api.conftest import bearer, tokens  # noqa: F401  (the fixture)
from tests.search.conftest import CREDIT_CODE, ID_WITH_X, listed, register


@pytest.mark.parametrize("term, expected", [
    # worker names: whole, a two-character name, the given name, one character anywhere
    ("张三丰", {"zhang_sanfeng"}),
    ("张三", {"zhang_sanfeng", "zhang_san"}),
    ("三丰", {"zhang_sanfeng"}),
    ("赵敏", {"group"}),               # the second worker of a group case
    ("敏", {"group"}),                 # one character, the last of a name
    ("小", {"group"}),                 # one character, inside a name
    ("张 三 丰", {"zhang_sanfeng"}),    # spaces typed are not part of a name
    ("anna", {"latin"}),               # Latin letters in either case
    ("NNA L", {"latin"}),
    # employer names: any part
    ("东湖", {"zhang_sanfeng", "zhang_san"}),
    ("建筑劳务", {"zhang_sanfeng"}),
    ("劳务有限公司", {"zhang_sanfeng"}),
    ("东湖建筑劳务有限公司", {"zhang_sanfeng"}),   # the whole name, mostly pieces every employer has
    ("东湖建筑有限公司", set()),                   # every piece on record, but not in this order
    ("有限公司", {"zhang_sanfeng", "group", "zhang_san", "latin"}),
    ("abc technology", {"latin"}),
    # exact values, however they are typed
    ("13812345678", {"zhang_sanfeng"}),
    ("138 1234 5678", {"zhang_sanfeng"}),
    ("138-1234-5678", {"zhang_sanfeng"}),
    ("+86 13812345678", {"zhang_sanfeng"}),
    (ID_WITH_X, {"zhang_sanfeng"}),
    (ID_WITH_X.lower(), {"zhang_sanfeng"}),
    ("110105 19491231 002x", {"zhang_sanfeng"}),
    (CREDIT_CODE, {"zhang_sanfeng"}),
    (CREDIT_CODE.lower(), {"zhang_sanfeng"}),
    ("027-88886666", {"zhang_sanfeng"}),   # the employer's contact phone, as stored
    ("02788886666", {"zhang_sanfeng"}),    # … and without the hyphen
    ("(027) 8888 6666", {"zhang_sanfeng"}),
    ("13700002222", {"group"}),            # an employer's contact mobile
    # nothing of these is on record
    ("王五", set()),
    ("三张", set()),
    ("13812345679", set()),
    ("1381234567", set()),                 # part of a phone number finds nobody
    (ID_WITH_X[:14], set()),               # nor part of an ID number
    (CREDIT_CODE[:10], set()),
    ("东湖物流", set()),
])
def test_each_kind_of_search_finds_its_case_and_no_other(client, login, office, term, expected):
    login("mediator")
    assert listed(client, "/?q=" + term.replace("+", "%2B")) == {office[key].case_no for key in expected}


def test_a_case_number_finds_its_case(client, login, office):
    login("mediator")
    case = office["li_si"]
    assert listed(client, f"/?q={case.case_no}") == {case.case_no}
    assert listed(client, f"/?q=%20{case.case_no}%20") == {case.case_no}
    # the year and the number without its leading zeros, as people say it
    assert listed(client, f"/?q={case.number_year}-{case.number_seq}") == {case.case_no}
    assert listed(client, f"/?q={case.number_year}年第{case.number_seq}号") == {case.case_no}
    assert listed(client, f"/?q={case.number_year + 1}-{case.number_seq}") == set()


def test_names_holding_every_piece_of_a_term_but_not_the_term_are_not_found(client, login, users):
    wrong = register(users["mediator"], workers=[("三张三", None, "")], employer="甲公司")
    right = register(users["mediator"], workers=[("张三张", None, "")], employer="乙公司")
    login("mediator")
    assert listed(client, "/?q=张三张") == {right.case_no}
    assert listed(client, "/?q=三张三") == {wrong.case_no}


def test_the_results_still_mask_personal_data(client, login, office):
    login("mediator")
    for term in (ID_WITH_X, "13812345678"):
        html = client.get(f"/?q={term}").get_data(as_text=True)
        results = html[html.index('<table class="list queue">'):]
        assert office["zhang_sanfeng"].case_no in results
        assert ID_WITH_X not in results and "13812345678" not in results
        assert mask_id_number(ID_WITH_X) in results


def test_a_lawyer_finds_only_the_cases_referred_to_them(client, login, users, office, db):
    from mediation.legal_aid.services import refer_to_legal_aid

    refer_to_legal_aid(office["zhang_san"], users["mediator"], lawyer=users["lawyer"],
                       on=office["zhang_san"].received_on)
    db.session.commit()
    login("lawyer")
    assert listed(client, "/?q=张三") == {office["zhang_san"].case_no}
    assert listed(client, "/?q=13812345678") == set()


def test_the_api_list_and_the_ledger_export_search_the_same_way(client, login, office, tokens):
    found = client.get("/api/v1/cases?q=138%201234%205678", headers=bearer(tokens["supervisor"])).get_json()
    assert [c["case_no"] for c in found["cases"]] == [office["zhang_sanfeng"].case_no]
    login("supervisor")
    exported = client.get(f"/ledger/export?format=csv&q={CREDIT_CODE.lower()}").get_data(as_text=True)
    assert office["zhang_sanfeng"].case_no in exported and office["group"].case_no not in exported


def test_the_count_agrees_with_the_list(users, office):
    assert count_cases(users["supervisor"], QueueFilters(q="有限公司")) == 4
    assert count_cases(users["supervisor"], QueueFilters(q="   ")) == 5  # nothing typed: no filter
