"""`flask --app mediation cases export FILE`: the import's own format, so an export re-imports to the same cases."""
from __future__ import annotations

import csv
import datetime as dt

from openpyxl import load_workbook

from mediation.ledger import ledger_import
from mediation.ledger.rows import KEYS, ZH_HEADINGS
from tests.factories import make_case, valid_credit_code, valid_id_number
from tests.ledger.conftest import case_numbers, record, table

EN = ("--lang", "en")


def canonical_ledger() -> list[dict[str, str]]:
    """One row of each kind, written exactly as the export writes them (codes, plain amounts, ISO dates)."""
    base = {k: "" for k in KEYS}
    base.update(channel="walk_in", migrant_worker="no", workers_count="1", dispute_type="wage_arrears",
                claimed_amount="12000.00", application_form="written")
    rows = [
        dict(case_no="C-1", received_on="2025-01-06", status="received", application_form="oral",
             matters="支付拖欠工资12000元", reasons="2024年10月至12月工资未发", worker_address="东湖街道幸福里3号",
             dispute_arose_on="2025-01-02", still_employed="yes"),
        dict(case_no="C-2", received_on="2025-01-07", status="accepted", channel="online", street="东湖街道",
             accepted_on="2025-01-09", still_employed="no", employment_ended_on="2024-12-31"),
        dict(case_no="C-3", received_on="2025-01-08", status="in_mediation", workers_count="15",
             migrant_worker="yes", worker_phone="13812345678", accepted_on="2025-01-08"),
        dict(case_no="C-4", received_on="2025-01-09", status="rejected", outcome_on="2025-01-10", notes="超过时效"),
        dict(case_no="C-5", received_on="2025-01-10", status="mediated", outcome_on="2025-01-20",
             agreed_amount="9000.00", recovered_amount="4500.00", worker_id_number=valid_id_number(),
             employer_credit_code=valid_credit_code(), employer_name="另一劳务派遣有限公司",
             employer_address="西城街道工业园8号", employer_representative="王总", employer_phone="010-62345678",
             accepted_on="2025-01-13", agreement_due_on="2025-02-28", agreement_method="银行转账，分两次付清"),
        dict(case_no="C-6", received_on="2025-01-11", status="failed", outcome_on="2025-01-25",
             legal_aid="completed", legal_aid_closed_on="2025-03-01", legal_aid_amount="12000.00",
             dispute_type="severance", accepted_on="2025-01-11"),
        dict(case_no="C-7", received_on="2025-01-12", status="withdrawn", outcome_on="2025-01-13",
             accepted_on="2025-01-12"),
        dict(case_no="C-8", received_on="2025-01-13", status="closed", outcome_on="2025-01-30",
             agreed_amount="11000.00", recovered_amount="11000.00", legal_aid="referred",
             legal_aid_amount="11000.00", accepted_on="2025-01-14", agreement_due_on="2025-01-30"),
        dict(case_no="C-9", received_on="2025-01-14", status="closed", outcome_on="2025-02-02",
             legal_aid="in_progress", legal_aid_amount="12000.00", accepted_on="2025-01-14"),
    ]
    return [{**base, "worker_name": f"工人{i}", "employer_name": "示例建筑劳务有限公司"} | row
            for i, row in enumerate(rows)]


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_import_then_export_gives_back_the_same_ledger(write_csv, run_cli, tmp_path):
    ledger = canonical_ledger()
    rows = [list(KEYS)] + [[r[k] for k in KEYS] for r in ledger]
    assert run_cli("cases", "import", str(write_csv(rows)), *EN).exit_code == 0
    out = tmp_path / "out.csv"
    result = run_cli("cases", "export", str(out), "--full", "--headings", "en", *EN)
    assert result.exit_code == 0, result.output
    assert read_csv(out) == rows


def test_export_reimports_to_the_same_cases(write_csv, run_cli, tmp_path, users):
    ledger = canonical_ledger()
    run_cli("cases", "import", str(write_csv([list(KEYS)] + [[r[k] for k in KEYS] for r in ledger])), *EN)
    make_case(users["mediator"], received_on=dt.date(2025, 2, 1), workers=3, migrant=True)  # from the web
    before = case_numbers()
    for name, extra in (("zh.csv", ()), ("en.xlsx", ("--headings", "en")), ("zh.xlsx", ())):
        out = tmp_path / name
        assert run_cli("cases", "export", str(out), "--full", *extra, *EN).exit_code == 0
        again = run_cli("cases", "import", str(out), *EN)
        assert again.exit_code == 0, again.output
        assert f"0 new, {len(before)} already present." in again.output
    assert case_numbers() == before


def test_chinese_headings_and_words_by_default(write_csv, run_cli, tmp_path):
    run_cli("cases", "import", str(write_csv(table([record(case_no="Z1", status="mediated",
                                                              outcome_on="2025-03-09", migrant_worker="yes")]))),
            *EN)
    out = tmp_path / "ledger.csv"
    run_cli("cases", "export", str(out), "--full")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese text
    header, row = read_csv(out)
    assert header == [ZH_HEADINGS[k] for k in KEYS]
    values = dict(zip(KEYS, row))
    assert values["status"] == "调解成功" and values["migrant_worker"] == "是" and values["channel"] == "来访"
    assert values["dispute_type"] == "拖欠劳动报酬"
    assert values["application_form"] == "书面" and values["still_employed"] == ""


def test_chinese_words_of_the_application_columns(write_csv, run_cli, tmp_path):
    run_cli("cases", "import", str(write_csv(table([
        record(case_no="Z2", application_form="oral", still_employed="no", status="accepted"),
        record(case_no="Z3", worker_name="李四", still_employed="yes")]))), *EN)
    out = tmp_path / "ledger.csv"
    run_cli("cases", "export", str(out), "--full")
    rows = [dict(zip(KEYS, r)) for r in read_csv(out)[1:]]
    assert [(r["application_form"], r["still_employed"], r["accepted_on"]) for r in rows] == [
        ("口头", "否", "2025-03-03"), ("书面", "是", "")]


def test_xlsx_export_keeps_numbers_and_dates_typed(write_csv, run_cli, tmp_path):
    run_cli("cases", "import", str(write_csv(table([record(case_no="N1", claimed_amount="1,234.50")]))), *EN)
    out = tmp_path / "ledger.xlsx"
    assert run_cli("cases", "export", str(out), "--headings", "en").exit_code == 0
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header, row = list(sheet.iter_rows(values_only=True))
    values = dict(zip(header, row))
    assert values["claimed_amount"] == 1234.5 and values["received_on"].date() == dt.date(2025, 3, 3)


def test_without_full_the_personal_data_is_masked_and_does_not_reimport(write_csv, run_cli, tmp_path):
    id_number = valid_id_number()
    run_cli("cases", "import", str(write_csv(table([record(case_no="M1", worker_id_number=id_number,
                                                              worker_phone="13812345678",
                                                              worker_address="东湖街道幸福里3号",
                                                              employer_address="西城街道工业园8号")]))), *EN)
    out = tmp_path / "masked.csv"
    result = run_cli("cases", "export", str(out), "--headings", "en", *EN)
    assert "masked" in result.output
    values = dict(zip(*read_csv(out)))
    assert values["worker_id_number"] == id_number[:4] + "*" * 10 + id_number[-4:]
    assert values["worker_phone"] == "138****5678"
    # The applicant's home is left out; the employer's address is no one's personal data.
    assert values["worker_address"] == "" and values["employer_address"] == "西城街道工业园8号"
    again = run_cli("cases", "import", str(out), *EN)
    assert again.exit_code != 0 and "line 2: worker_id_number:" in again.output


def test_received_date_range(write_csv, run_cli, tmp_path):
    run_cli("cases", "import", str(write_csv(table([record(case_no="J", received_on="2025-01-31"),
                                                    record(case_no="F", received_on="2025-02-01")]))), *EN)
    out = tmp_path / "feb.csv"
    run_cli("cases", "export", str(out), "--from", "2025-02-01", "--to", "2025-02-28", "--headings", "en")
    assert [r[0] for r in read_csv(out)[1:]] == ["F"]


def test_text_that_looks_like_a_formula_stays_text_and_round_trips(write_csv, run_cli, tmp_path):
    notes = "=HYPERLINK(\"http://example.com\")"
    run_cli("cases", "import", str(write_csv(table([record(case_no="Q1", notes=notes),
                                                    record(case_no="Q2", worker_name="-李四")]))), *EN)
    out_csv, out_xlsx = tmp_path / "q.csv", tmp_path / "q.xlsx"
    run_cli("cases", "export", str(out_csv), "--full", "--headings", "en")
    run_cli("cases", "export", str(out_xlsx), "--full", "--headings", "en")
    rows = {r[0]: dict(zip(KEYS, r)) for r in read_csv(out_csv)[1:]}
    assert rows["Q1"]["notes"] == "'" + notes and rows["Q2"]["worker_name"] == "'-李四"
    cell = load_workbook(out_xlsx).worksheets[0]["U2"]
    assert cell.value == notes and cell.data_type == "s"
    for out in (out_csv, out_xlsx):
        read_back = {row.case_no: row for _line, row in ledger_import.check_file(out).rows}
        assert read_back["Q1"].notes == notes and read_back["Q2"].worker_name == "-李四"
