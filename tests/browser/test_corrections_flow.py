"""A supervisor corrects a case in Debian's chromium: a worker's phone (with the reason), a second worker, a
payment keyed by mistake reversed; the timeline says each in words and the month's summary changes."""
from __future__ import annotations

import re
from decimal import Decimal

from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.recovery.services import record_payment
from tests.browser.test_intake_flow import sign_in
from tests.sessions.casework import case_at


def recovered(page, base) -> str:
    page.goto(f"{base}/reports/summary")
    return page.locator("tr[data-figure='recovered'] td").inner_text().strip()


def test_correct_a_phone_add_a_worker_and_reverse_a_payment(page, live_server, users):
    case = case_at(Status.MEDIATED, users["mediator"], worker_name="更正甲")
    today = local_today()
    with unit_of_work(writes=True):
        case = db.session.merge(case)
        record_payment(case, users["mediator"], on=max(today.replace(day=1), case.outcome_on),
                       amount=Decimal("3000"), worker=case.workers[0], note="误录")
    sign_in(page, live_server, "supervisor")
    before = recovered(page, live_server)

    # 1. the worker's phone, with a reason (the case is accepted)
    page.goto(f"{live_server}/cases/{case.case_no}")
    page.locator(f"a[href='/cases/{case.case_no}/edit']").first.click()
    page.wait_for_url(re.compile(rf"/cases/{re.escape(case.case_no)}/edit$"))
    worker = page.locator("details.worker-edit", has_text="更正甲").first
    worker.locator("summary").click()
    worker.locator("input[name$='-phone']").fill("13900001111")
    worker.locator("textarea[name$='-reason']").fill("电话号码登记时记错")
    worker.locator("button.primary").click()
    page.wait_for_url(re.compile(rf"/cases/{re.escape(case.case_no)}$"))
    timeline = page.locator(".timeline").first
    assert "更正申请人信息" in timeline.inner_text()
    assert "电话号码登记时记错" in timeline.inner_text()

    # 2. a second worker joins
    page.locator(f"a[href='/cases/{case.case_no}/edit']").first.click()
    added = page.locator("#new-worker")
    added.locator("summary").click()
    added.locator("input[name='new-name']").fill("更正乙")
    added.locator("input[name='new-claimed']").fill("2000")
    added.locator("textarea[name='new-reason']").fill("共同申请人漏登")
    added.locator("button.primary").click()
    page.wait_for_url(re.compile(rf"/cases/{re.escape(case.case_no)}$"))
    assert "更正乙" in page.locator("main").inner_text()
    assert "增加申请人" in page.locator(".timeline").first.inner_text()

    # 3. the payment keyed by mistake is reversed
    reversal = page.locator("#reversal-form")
    reversal.locator("summary").click()
    reversal.locator("select").first.select_option(index=1 if reversal.locator("select option").count() > 1 else 0)
    reversal.locator("textarea").fill("重复录入")
    reversal.locator("button.primary").click()
    page.wait_for_url(re.compile(rf"/cases/{re.escape(case.case_no)}"))
    text = page.locator(".timeline").first.inner_text()
    assert "冲正付款" in text and "重复录入" in text
    assert "¥3,000.00" in text  # the amount in yuan, as people read it

    after = recovered(page, live_server)
    # the summary is the current month's, where both the payment and its reversal fall
    assert Decimal(before.replace(",", "")) - Decimal(after.replace(",", "")) == Decimal("3000")
