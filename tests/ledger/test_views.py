"""The upload page (check first, import on confirmation) and the queue's ledger download."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mediation.cases.workflow import Status
from tests.factories import csrf_from, make_case, valid_id_number
from tests.ledger.conftest import case, case_numbers, record, table

URL = "/ledger/import?lang=en"


def csv_bytes(records: list[dict], *, chinese: bool = True) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(table(records, chinese=chinese))
    return text.getvalue().encode("utf-8-sig")


def upload(client, content: bytes, name: str = "东湖街道台账.csv"):
    token = csrf_from(client.get(URL).get_data(as_text=True))
    return client.post(URL, data={"csrf_token": token, "ledger": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def uploads_folder(app) -> Path:
    return Path(app.instance_path) / "uploads"


@pytest.mark.parametrize("role, status", [("admin", 200), ("supervisor", 200), ("mediator", 403), ("lawyer", 403)])
def test_only_supervisors_and_admins_import(client, login, role, status):
    login(role)
    assert client.get(URL).status_code == status
    if status == 403:
        assert client.post(URL, data={}).status_code in (400, 403)


def test_a_number_taken_before_the_confirmation_imports_nothing_and_says_so(client, login, users, monkeypatch):
    from mediation.ledger import ledger_import

    login("supervisor")
    html = upload(client, csv_bytes([record(case_no="W1"), record(case_no="W2", worker_name="李四")])).get_data(
        as_text=True)
    token = re.search(r'name="upload"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="upload"', html)
    make_case(users["mediator"], case_no="W2")  # registered by someone else meanwhile…
    # …after the import read the cases already there.
    monkeypatch.setattr(ledger_import.ExistingCases, "load", classmethod(lambda cls: cls(set(), set())))
    confirmed = client.post(URL, data={"csrf_token": csrf_from(html), "upload": token.group(1)})
    assert confirmed.status_code == 422
    assert "A case number in the file was taken while importing; nothing was imported." in \
        confirmed.get_data(as_text=True)
    assert case_numbers() == ["W2"]


def test_check_then_confirm(app, client, login):
    login("supervisor")
    page = upload(client, csv_bytes([record(case_no="W1", status="调解成功", outcome_on="2025-03-05"),
                                     record(case_no="W2", worker_name="李四")]))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'id="new-count">2<', html) and re.search(r'id="present-count">0<', html)
    assert "东湖街道台账.csv" in html
    assert case_numbers() == []  # checked, nothing saved
    stored = list(uploads_folder(app).iterdir())
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{32}\.csv", stored[0].name)

    token = re.search(r'name="upload"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="upload"', html)
    confirmed = client.post(URL, data={"csrf_token": csrf_from(html), "upload": token.group(1)})
    assert confirmed.status_code == 302
    assert case_numbers() == ["W1", "W2"]
    assert case("W1").status == Status.MEDIATED
    assert {e.via for e in case("W1").events} == {"import"}
    assert case("W1").events[0].actor.username == "supervisor"
    assert list(uploads_folder(app).iterdir()) == []
    follow = client.get("/?lang=en")
    assert "Ledger imported: 2 new cases, 0 already present." in follow.get_data(as_text=True)


def test_a_bad_file_shows_every_bad_line_and_keeps_nothing(app, client, login):
    login("supervisor")
    page = upload(client, csv_bytes([record(case_no="B1", received_on="someday"), record(case_no="B2"),
                                     record(case_no="B3", status="finished")]))
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'data-line="2"' in html and 'data-line="4"' in html and 'data-line="3"' not in html
    assert "登记日期" in html and "办理状态" in html
    assert "name=\"upload\"" not in html  # no confirmation offered
    assert case_numbers() == []
    assert list(uploads_folder(app).iterdir()) == []


def test_not_a_ledger_file_type(client, login):
    login("admin")
    page = upload(client, b"hello", name="notes.txt")
    assert page.status_code == 422
    assert "A ledger is a .csv or an .xlsx file." in page.get_data(as_text=True)


def test_xlsx_upload(client, login):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in table([record(case_no="X9", received_on=dt.datetime(2025, 3, 1))], chinese=True):
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    login("supervisor")
    page = upload(client, content.getvalue(), name="台账.XLSX")
    assert page.status_code == 200 and re.search(r'id="new-count">1<', page.get_data(as_text=True))


def test_confirmation_only_from_the_session_that_uploaded(app, client, login, users):
    login("supervisor")
    html = upload(client, csv_bytes([record(case_no="S1")])).get_data(as_text=True)
    token = re.search(r'value="([0-9a-f]{32}\.csv)"', html).group(1)
    other = app.test_client()
    login("admin", other)
    form = csrf_from(other.get(URL).get_data(as_text=True))
    refused = other.post(URL, data={"csrf_token": form, "upload": token})
    assert refused.status_code == 302 and case_numbers() == []
    tricky = other.post(URL, data={"csrf_token": form, "upload": "../secret_key"})
    assert tricky.status_code == 302 and case_numbers() == []


def test_reupload_reports_cases_already_present(client, login):
    login("supervisor")
    content = csv_bytes([record(case_no="P1")])
    html = upload(client, content).get_data(as_text=True)
    client.post(URL, data={"csrf_token": csrf_from(html),
                           "upload": re.search(r'value="([0-9a-f]{32}\.csv)"', html).group(1)})
    again = upload(client, content).get_data(as_text=True)
    assert re.search(r'id="new-count">0<', again) and re.search(r'id="present-count">1<', again)


def _download(client, query: str = ""):
    response = client.get(f"/ledger/export?lang=en&format=csv{query}")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    return response, rows


def test_download_masks_personal_data_for_mediators(client, login, users):
    full_id_number = valid_id_number(order=100)  # make_case's first worker
    make_case(users["mediator"], received_on=dt.date(2025, 3, 3))
    login("mediator")
    response, rows = _download(client)
    assert response.status_code == 200
    assert "masked" in response.headers["Content-Disposition"]
    assert rows[0][0] == "案件编号"
    values = dict(zip(rows[0], rows[1]))
    assert values["身份证号码"] == "1101**********" + full_id_number[-4:]
    assert values["联系电话"] == "138****5678"
    assert full_id_number not in response.get_data(as_text=True)


def test_download_is_full_for_supervisors_and_follows_the_queue_filters(client, login, users):
    make_case(users["mediator"], received_on=dt.date(2025, 3, 3), worker_name="甲", migrant=True)
    make_case(users["mediator"], received_on=dt.date(2025, 3, 4), worker_name="乙", type_code="severance")
    login("supervisor")
    response, rows = _download(client, "&green=1&headings=en")
    assert "masked" not in response.headers["Content-Disposition"]
    assert [r[3] for r in rows[1:]] == ["甲"]
    assert rows[1][4] == valid_id_number(order=100)
    _response, rows = _download(client, "&q=乙")
    assert [r[3] for r in rows[1:]] == ["乙"]


def test_download_xlsx_by_default_and_not_for_lawyers(client, login, users):
    make_case(users["mediator"], received_on=dt.date(2025, 3, 3))
    login("admin")
    response = client.get("/ledger/export")
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == 2
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login("lawyer")
    assert client.get("/ledger/export").status_code == 403
