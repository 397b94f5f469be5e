"""A supervisor's morning, in Debian's chromium: the worklist's first row is a mediation that ran out; open
it, record that mediation failed, and the worklist no longer lists it."""
from __future__ import annotations

import re

from mediation.cases.workflow import Status
from tests.browser.test_intake_flow import sign_in
from tests.factories import make_case
from tests.sessions.casework import case_at


def test_the_supervisor_clears_an_overdue_case_from_the_worklist(page, live_server, users):
    overdue = case_at(Status.IN_MEDIATION, users["mediator"], worker_name="逾期甲")  # ran out days ago
    make_case(users["mediator"], worker_name="新登记乙")  # registered today: nothing due yet

    sign_in(page, live_server, "supervisor")
    first = page.locator("#due table.worklist tbody tr").first
    assert first.get_attribute("data-case-no") == overdue.case_no
    assert first.get_attribute("data-key") == "mediation"
    assert "视为调解不成" in first.inner_text()  # "deemed failed": record the failure or an extension
    assert page.locator("#overdue-count").inner_text() != "0"

    first.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/cases/{re.escape(overdue.case_no)}$"))
    assert page.locator("#deemed-failed").is_visible()
    action = page.locator("details.action", has=page.locator("button[value='record_failure']"))
    action.locator("summary").click()
    action.locator("textarea").fill("调解期限届满，双方未达成协议")
    action.locator("button[value='record_failure']").click()
    page.wait_for_url(re.compile(rf"/cases/{re.escape(overdue.case_no)}$"))
    assert page.locator("#deemed-failed").count() == 0

    page.locator("nav.mainnav a[href='/worklist']").click()
    page.wait_for_url(re.compile(r"/worklist$"))
    assert overdue.case_no not in [row.get_attribute("data-case-no")
                                   for row in page.locator("#due table.worklist tbody tr").all()]
