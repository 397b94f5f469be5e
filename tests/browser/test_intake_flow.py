"""Issue 2's walk-through in a real browser: sign in, register a migrant worker's wage claim, see it at the
top of the queue in the green channel, open it, accept it, download its summary PDF — in Chinese and in English."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.factories import PASSWORD, make_case, valid_id_number

pytestmark = pytest.mark.browser

UI = {
    "zh": {"green": "绿色通道", "accepted": "已受理", "queue": "案件"},
    "en": {"green": "Green channel", "accepted": "Accepted", "queue": "Case queue"},
}


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/worklist$"))  # the home page after sign-in


def switch_to(page, lang: str) -> None:
    """Use the header's language button until the page is in ``lang``."""
    want = "en" if lang == "en" else "zh-CN"
    if page.locator("html").get_attribute("lang") != want:
        page.locator(".userbox form[action*='/language/'] button").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == want


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_register_green_channel_case_accept_and_print(page, live_server, users, lang, tmp_path):
    # An older ordinary case is already waiting: the green-channel case must still go first.
    make_case(users["mediator"], worker_name="赵一", type_code="contract")
    worker = "王燊" if lang == "zh" else "Wang Shen"
    id_number = valid_id_number()

    sign_in(page, live_server, "mediator")
    switch_to(page, lang)
    page.locator("nav.mainnav a[href='/cases/new']").click()
    page.wait_for_url(re.compile(r"/cases/new$"))

    page.select_option("#channel", "hotline_12351")
    page.select_option("#dispute_type", label="拖欠劳动报酬" if lang == "zh" else "Wage arrears")
    page.fill("#workers-0-name", worker)
    page.fill("#workers-0-id_number", id_number)
    page.fill("#workers-0-phone", "13800138000")
    page.check("#workers-0-migrant_worker")
    page.fill("#workers-0-claimed", "8,600.50")
    page.fill("#employer_name", "宏达建筑劳务有限公司")
    page.fill("#matters", "支付拖欠的工资8600.50元" if lang == "zh" else "Payment of 8,600.50 yuan unpaid wages")
    page.locator("#register").click()
    page.wait_for_url(re.compile(r"/cases/[^/]+$"))
    case_no = page.url.rsplit("/", 1)[1]
    assert UI[lang]["green"] in page.locator("h1").inner_text()

    # The queue: our case first, marked green channel, its ID number masked.
    page.locator("nav.mainnav a[href='/']").click()
    first_row = page.locator("table.queue tbody tr").first
    assert worker in first_row.inner_text()
    assert UI[lang]["green"] in first_row.inner_text()
    assert id_number not in page.content()
    assert (id_number[:4] + "*" * 10 + id_number[-4:]) in first_row.inner_text()

    # Open it and accept it.
    first_row.locator(f"a[href='/cases/{case_no}']").click()
    page.locator("details.action:has(form[action$='/actions/accept']) summary").click()
    page.locator("form[action$='/actions/accept'] button[type=submit]").click()
    page.wait_for_load_state()
    assert UI[lang]["accepted"] in page.locator("h1 .badge").first.inner_text()

    # Download the summary PDF and read it.
    with page.expect_download() as download_info:
        page.locator("#download-summary-pdf").click()
    pdf_path = tmp_path / f"summary-{lang}.pdf"
    download_info.value.save_as(pdf_path)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert case_no in text
    assert worker in text.replace(" ", "") or worker in text
    assert id_number not in text  # masked in the summary
