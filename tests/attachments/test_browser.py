"""Attachments in a real browser: attach a scan with a Chinese name, see its preview, open it; a file above
the limit comes back to the case page with the message (not a broken connection, not a bare error page)."""
from __future__ import annotations

import re

import pytest

from tests.attachments import samples
from tests.browser.test_intake_flow import sign_in, switch_to
from tests.factories import make_case

pytestmark = pytest.mark.browser


def open_upload_form(page, base: str, case) -> None:
    page.goto(f"{base}/cases/{case.case_no}")
    switch_to(page, "en")
    page.locator("#attachments summary", has_text="Attach a file").click()


def test_attach_a_scan_see_its_preview_and_open_it(page, live_server, users):
    case = make_case(users["mediator"])
    sign_in(page, live_server, "mediator")
    open_upload_form(page, live_server, case)
    page.select_option("#attachment-kind", "pay_slip")
    page.fill("#attachment-description", "2024年10月至12月")
    page.set_input_files("#attachment-file", files=[{"name": "工资条（三个月）.jpg", "mimeType": "image/jpeg",
                                                     "buffer": samples.jpeg()}])
    page.locator("#attachments button[type=submit]", has_text="Attach").click()
    page.wait_for_url(re.compile(rf"/cases/{re.escape(case.case_no)}#attachments$"))

    item = page.locator("li.attachment").first
    assert "工资条（三个月）.jpg" in item.inner_text()
    thumbnail = item.locator("img")
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") <= 480

    with page.expect_popup() as opened:
        item.locator(".attachment-facts a", has_text="工资条（三个月）.jpg").click()
    shown = opened.value
    shown.wait_for_load_state()
    assert shown.locator("img").evaluate("img => img.naturalWidth") == 1600  # the file itself, in the browser


def test_a_file_above_the_limit_comes_back_with_the_message(page, live_server, users, app):
    app.config["ATTACHMENT_MAX_BYTES"] = 200 * 1024
    case = make_case(users["mediator"])
    sign_in(page, live_server, "mediator")
    open_upload_form(page, live_server, case)
    page.set_input_files("#attachment-file", files=[{"name": "扫描件.pdf", "mimeType": "application/pdf",
                                                     "buffer": samples.pdf() + bytes(1024 * 1024)}])
    page.locator("#attachments button[type=submit]", has_text="Attach").click()
    page.wait_for_load_state()
    error = page.locator("#attachment-file-error")
    assert "an attachment may be at most 200 KB" in error.inner_text()
    assert page.locator("h1").inner_text().startswith(f"Case {case.case_no}")
    assert page.locator("li.attachment").count() == 0
