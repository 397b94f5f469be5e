"""The worklist: each person's overdue and soon-due deadlines, their week's sessions, payment orders; and
the queue's next-deadline column and deadline filters."""
from __future__ import annotations

import datetime as dt
import re

from mediation.cases import services
from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today, office_zone
from mediation.legal_aid.services import refer_to_legal_aid
from mediation.sessions.services import record_session
from tests.factories import make_case, make_user
from tests.sessions.casework import case_at, failed_then_closed


def worklist(client) -> str:
    response = client.get("/worklist?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows(html: str) -> list[tuple[str, str]]:
    """(case number, clock key) of each row of the due list, in order."""
    section = html.split('id="due"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-case-no="([^"]+)" data-key="([^"]+)"', section)


def assign(case, mediator, supervisor):
    with unit_of_work(writes=True):
        services.assign_mediator(case, supervisor, mediator=mediator)


def test_a_mediator_sees_their_own_overdue_cases_first_and_not_others(client, login, users):
    mine = case_at(Status.IN_MEDIATION, users["mediator"])  # mediation ran out days ago
    assign(mine, users["mediator"], users["supervisor"])
    # Registered by me five days ago, nobody assigned: its acceptance is overdue or due within two days.
    due_today = make_case(users["mediator"], worker_name="李四", received_on=local_today() - dt.timedelta(days=5))
    colleague = make_user("mediator", username="other")
    theirs = case_at(Status.IN_MEDIATION, users["mediator"], worker_name="王五")
    assign(theirs, colleague, users["supervisor"])
    login("mediator")
    listed = rows(worklist(client))
    assert listed[0] == (mine.case_no, "mediation")  # overdue first
    assert (due_today.case_no, "accept") in listed  # due within two working days
    assert theirs.case_no not in {no for no, _key in listed}


def test_the_supervisor_sees_the_office_by_mediator_with_the_unassigned(client, login, users):
    assigned = case_at(Status.IN_MEDIATION, users["mediator"])
    assign(assigned, users["mediator"], users["supervisor"])
    unassigned = case_at(Status.ACCEPTED, users["mediator"], worker_name="李四")
    login("supervisor")
    html = worklist(client)
    assert "Not assigned to a mediator" in html and "Test mediator" in html
    assert {assigned.case_no, unassigned.case_no} <= {no for no, _key in rows(html)}
    assert html.index("Not assigned to a mediator") < html.index("Test mediator")


def test_a_lawyer_sees_the_cases_referred_to_them(client, login, users):
    referred = case_at(Status.FAILED, users["mediator"])
    other = case_at(Status.FAILED, users["mediator"], worker_name="李四")
    with unit_of_work(writes=True):
        refer_to_legal_aid(referred, users["mediator"], lawyer=users["lawyer"])
    login("lawyer")
    html = worklist(client)
    referrals = html.split('id="referrals"', 1)[1]
    assert referred.case_no in referrals and other.case_no not in html


def test_recording_the_failure_takes_a_deemed_failed_case_off_the_list(client, login, users):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    login("supervisor")
    assert (case.case_no, "mediation") in rows(worklist(client))
    with unit_of_work(writes=True):
        services.record_failure(case, users["supervisor"], reason="逾期未达成协议")
    assert (case.case_no, "mediation") not in rows(worklist(client))


def test_the_weeks_sessions_and_the_payment_orders(client, login, users):
    mediating = case_at(Status.ACCEPTED, users["mediator"])
    soon = dt.datetime.combine(local_today(), dt.time(23, 30), tzinfo=office_zone())
    with unit_of_work(writes=True):
        record_session(mediating, users["mediator"], held_at=soon, location="第二调解室", mediator=users["mediator"])
    unpaid = case_at(Status.MEDIATED, users["mediator"], worker_name="李四")  # due 10 days after receipt
    login("supervisor")
    html = worklist(client)
    agenda = html.split('id="agenda"', 1)[1].split("</section>", 1)[0]
    assert mediating.case_no in agenda and "第二调解室" in agenda
    orders = html.split('id="payment-orders"', 1)[1].split("</section>", 1)[0]
    assert unpaid.case_no in orders and mediating.case_no not in orders


def test_the_queue_shows_each_cases_next_deadline_and_filters_the_overdue(client, login, users):
    late = case_at(Status.IN_MEDIATION, users["mediator"])
    fresh = make_case(users["mediator"], worker_name="李四", received_on=local_today() - dt.timedelta(days=5))
    done = failed_then_closed(users["mediator"])  # every clock met
    login("supervisor")
    overdue = client.get("/?deadline=overdue&lang=en").get_data(as_text=True)
    assert late.case_no in overdue and done.case_no not in overdue
    soon = client.get("/?deadline=due_soon&lang=en").get_data(as_text=True)
    assert fresh.case_no in soon and late.case_no in soon  # due soon includes what is already overdue
    assert done.case_no not in soon
    row = re.search(rf'data-case-no="{re.escape(fresh.case_no)}".*?</tr>', client.get("/?lang=en").get_data(
        as_text=True), re.S).group(0)
    assert "Acceptance decision" in row


def test_a_long_worklist_comes_a_page_at_a_time_without_repeats(client, login, users, monkeypatch):
    from mediation.clocks import views

    monkeypatch.setattr(views, "PAGE", 2)
    cases = [make_case(users["mediator"], worker_name=name, received_on=local_today() - dt.timedelta(days=9))
             for name in ("甲", "乙", "丙")]  # each one's acceptance is overdue
    login("mediator")
    first = worklist(client)
    more = re.search(r'href="([^"]+)" rel="next"', first)
    assert len(rows(first)) == 2 and more
    second = client.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)
    seen = [no for no, _key in rows(first) + rows(second)]
    assert sorted(seen) == sorted(case.case_no for case in cases)
    assert 'rel="next"' not in second
