"""GET /api/v1/worklist (CONTRACTS §7): the caller's overdue and soon-due deadlines, a page at a time."""
from __future__ import annotations

import datetime as dt

from mediation.calendar.working import add_working_days
from mediation.cases import services
from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.legal_aid.services import refer_to_legal_aid
from tests.factories import make_case, make_user
from tests.sessions.casework import case_at

URL = "/api/v1/worklist?lang=en"


def items(response) -> list[tuple[str, str, str, str]]:
    assert response.status_code == 200, response.get_json()
    return [(i["case_no"], i["key"], i["due_on"], i["state"]) for i in response.get_json()["items"]]


def assign(case, mediator, supervisor):
    with unit_of_work(writes=True):
        services.assign_mediator(case, supervisor, mediator=mediator)


def test_a_mediator_gets_their_overdue_deadlines_first_then_those_due_soon(api, users):
    mine = case_at(Status.IN_MEDIATION, users["mediator"])  # its mediation ran out: overdue
    assign(mine, users["mediator"], users["supervisor"])
    today = local_today()
    fresh = make_case(users["mediator"], worker_name="李四", received_on=today)  # accept within 3 working days
    theirs = case_at(Status.IN_MEDIATION, users["mediator"], worker_name="王五")
    assign(theirs, make_user("mediator", username="other"), users["supervisor"])

    listed = items(api.get(URL + "&within=5"))
    assert listed[0][:2] == (mine.case_no, "mediation") and listed[0][3] == "overdue"
    accept = add_working_days(today, 3).isoformat()
    assert (fresh.case_no, "accept", accept, "due_soon") in listed
    assert theirs.case_no not in {no for no, *_ in listed}
    states = [state for *_, state in listed]
    assert states == sorted(states, key=lambda s: s != "overdue")  # overdue first
    # Within 0 working days: the acceptance due in three is not listed yet; the overdue one is.
    narrow = items(api.get(URL + "&within=0"))
    assert (fresh.case_no, "accept", accept, "due_soon") not in narrow and narrow[0][0] == mine.case_no
    first = api.get(URL + "&within=5").get_json()["items"][0]
    assert first["label"] == "End of mediation" and first["url"].endswith(mine.case_no)


def test_pages_follow_the_cursor_without_repeats(api, users):
    cases = [make_case(users["mediator"], worker_name=name, received_on=local_today() - dt.timedelta(days=9))
             for name in ("甲", "乙", "丙")]
    seen, after = [], ""
    for _ in range(5):
        body = api.get(URL + f"&limit=2&page_after={after}").get_json()
        seen += [(i["case_no"], i["key"]) for i in body["items"]]
        if body["next"] is None:
            break
        after = body["next"]
    assert sorted(seen) == sorted((case.case_no, "accept") for case in cases)


def test_the_office_for_a_supervisor_and_the_referred_cases_for_a_lawyer(api, users):
    referred = case_at(Status.IN_MEDIATION, users["mediator"])
    other = case_at(Status.IN_MEDIATION, users["mediator"], worker_name="王五")
    with unit_of_work(writes=True):
        refer_to_legal_aid(referred, users["supervisor"], lawyer=users["lawyer"], on=local_today())
    office = {no for no, *_ in items(api.get(URL, role="supervisor"))}
    assert {referred.case_no, other.case_no} <= office
    lawyers = {no for no, *_ in items(api.get(URL, role="lawyer"))}
    assert referred.case_no in lawyers and other.case_no not in lawyers


def test_bad_parameters_are_400_each_named(api, users):
    response = api.get(URL + "&within=99&limit=0&page_after=2026-13-01.x.y.z&colour=red")
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"within", "limit", "page_after", "colour"}
    assert api.get(URL, role=None).status_code == 401
