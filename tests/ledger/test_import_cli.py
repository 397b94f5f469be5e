"""`flask --app mediation cases import FILE` (CONTRACTS §2), as an office runs it on its own ledger."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.models import Case, Employer
from mediation.cases.workflow import Status
from mediation.extensions import db
from mediation.ledger import ledger_import
from mediation.legal_aid.models import LegalAidStatus
from mediation.reference.models import Street
from tests.factories import make_case, valid_credit_code, valid_id_number
from tests.ledger.conftest import case, case_numbers, record, table

EN = ("--lang", "en")


def test_csv_with_chinese_headings_and_words(write_csv, run_cli):
    rows = table([
        record(case_no="TZ-1", status="调解成功", outcome_on="2025-03-12", claimed_amount="12,500.00",
               agreed_amount="10,000", migrant_worker="是", channel="12351热线", street="东湖街道"),
        record(case_no="TZ-2", worker_name="李四", status="已受理", dispute_type="加班工资"),
    ], chinese=True)
    assert rows[0][0] == "案件编号"
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code == 0, result.output
    assert "2 new, 0 already present." in result.output
    mediated = case("TZ-1")
    assert mediated.status == Status.MEDIATED and mediated.outcome_on == dt.date(2025, 3, 12)
    assert mediated.claimed_fen == 1_250_000 and mediated.agreed_fen == 1_000_000
    assert mediated.green_channel and mediated.street.name == "东湖街道"
    assert mediated.channel.value == "hotline_12351"
    assert case("TZ-2").status == Status.ACCEPTED and case("TZ-2").dispute_type.code == "overtime_pay"


def test_english_keys_without_bom_and_mixed_headings(write_csv, run_cli):
    rows = table([record(case_no="A1"), record(case_no="A2", worker_name="王五")])
    rows[0][rows[0].index("status")] = "办理状态"  # one column in Chinese, the others in English
    result = run_cli("cases", "import", str(write_csv(rows, bom=False)), *EN)
    assert result.exit_code == 0, result.output
    assert case_numbers() == ["A1", "A2"]


def test_xlsx_with_typed_cells(write_xlsx, run_cli):
    rows = table([record(case_no="X1", received_on=dt.datetime(2025, 2, 3), status="failed",
                         outcome_on=dt.datetime(2025, 2, 20), claimed_amount=8800.5, workers_count=12,
                         worker_phone=13812345678)], chinese=True)
    result = run_cli("cases", "import", str(write_xlsx(rows)), *EN)
    assert result.exit_code == 0, result.output
    imported = case("X1")
    assert imported.received_on == dt.date(2025, 2, 3) and imported.status == Status.FAILED
    assert imported.claimed_fen == 880_050 and imported.workers_count == 12
    assert imported.workers[0].phone == "13812345678"


def test_a_bad_file_imports_nothing_and_names_every_bad_line(write_csv, run_cli):
    rows = table([
        record(case_no="OK-1"),
        record(case_no="BAD-1", received_on="2025-3-33"),
        record(case_no="OK-2"),
        record(case_no="BAD-2", claimed_amount="12.345", dispute_type="cooking"),
    ], chinese=True)
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code != 0
    assert "line 3: 登记日期: Not a date (YYYY-MM-DD): “2025-3-33”." in result.output
    assert "line 5: 争议类型: Unknown dispute type “cooking”." in result.output
    assert "line 5: 请求金额（元）: An amount has at most two decimals (fen)." in result.output
    assert "line 2" not in result.output and "line 4" not in result.output
    assert "nothing was imported" in result.output
    assert case_numbers() == []


def test_unknown_and_missing_columns_are_named(write_csv, run_cli):
    rows = [["case_no", "received_on", "worker_name", "colour", "部门"], ["N1", "2025-03-03", "张三", "red", "x"]]
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code != 0
    assert "line 1: colour: Unknown column." in result.output
    assert "line 1: 部门: Unknown column." in result.output
    for key, zh in (("employer_name", "被申请单位"), ("dispute_type", "争议类型"), ("status", "办理状态")):
        assert f"line 1: {key} / {zh}: Required column missing." in result.output
    assert case_numbers() == []


def test_an_unknown_column_does_not_hide_the_rows_problems(write_csv, run_cli):
    rows = table([record(case_no="N1", status="done")])
    rows[0].append("colour")
    rows[1].append("red")
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert "line 1: colour: Unknown column." in result.output
    assert "line 2: status: Unknown status “done”" in result.output


def test_reimport_adds_nothing(write_csv, run_cli):
    path = write_csv(table([record(case_no="R1"), record(worker_name="无编号", status="accepted")]))
    first = run_cli("cases", "import", str(path), *EN)
    assert "2 new, 0 already present." in first.output
    events = db.session.scalar(sa.select(sa.func.count(CaseEvent.id)))
    second = run_cli("cases", "import", str(path), *EN)
    assert second.exit_code == 0 and "0 new, 2 already present." in second.output
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 2
    assert db.session.scalar(sa.select(sa.func.count(CaseEvent.id))) == events


def test_rows_without_case_number_get_one_and_match_web_cases(write_csv, run_cli, users):
    existing = make_case(users["mediator"], received_on=dt.date(2025, 3, 3), worker_name="张三",
                         employer="示例建筑劳务有限公司")
    path = write_csv(table([record(), record(worker_name="李四")]))
    result = run_cli("cases", "import", str(path), *EN)
    assert "1 new, 1 already present." in result.output
    assert len(case_numbers()) == 2 and existing.case_no in case_numbers()


def test_duplicates_within_the_file_are_errors(write_csv, run_cli):
    rows = table([record(case_no="D1"), record(case_no="D1", worker_name="李四"), record(worker_name="王五"),
                  record(worker_name="王五")])
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert "line 3: case_no: The same case number as line 2." in result.output
    assert "line 5: worker_name: The same applicant, employer and date received as line 4" in result.output
    assert case_numbers() == []


def test_the_ledgers_dates_date_the_timeline(write_csv, run_cli):
    rows = table([record(case_no="T1", received_on="2024-12-20", status="closed", outcome_on="2025-01-08",
                         agreed_amount="5000", recovered_amount="5000", legal_aid="completed",
                         legal_aid_closed_on="2025-02-01", legal_aid_amount="5,000.00")])
    assert run_cli("cases", "import", str(write_csv(rows)), *EN).exit_code == 0
    imported = case("T1")
    dated = {e.kind: e.effective_on for e in imported.events}
    assert dated["registered"] == dated["accepted"] == dt.date(2024, 12, 20)
    assert dated["mediated"] == dated["payment_recorded"] == dated["closed"] == dt.date(2025, 1, 8)
    assert dated["legal_aid_completed"] == dt.date(2025, 2, 1)
    assert {e.via for e in imported.events} == {"import"}
    assert imported.outcome == Status.MEDIATED and imported.agreement.signed_on == dt.date(2025, 1, 8)
    assert imported.recovered_fen == 500_000 and imported.payments[0].paid_on == dt.date(2025, 1, 8)
    assert imported.legal_aid.status == LegalAidStatus.COMPLETED and imported.legal_aid.amount_fen == 500_000


def test_a_failed_case_is_referred_for_legal_aid_when_mediation_failed(write_csv, run_cli):
    rows = table([record(case_no="F1", status="failed", outcome_on="2025-03-20", legal_aid="referred"),
                  record(case_no="C1", status="closed", outcome_on="2025-03-21", worker_name="李四")])
    assert run_cli("cases", "import", str(write_csv(rows)), *EN).exit_code == 0
    assert case("F1").legal_aid.referred_on == dt.date(2025, 3, 20)
    closed = case("C1")
    assert closed.status == Status.CLOSED and closed.outcome == Status.FAILED


def test_rejected_rows_are_never_accepted(write_csv, run_cli):
    rows = table([record(case_no="RJ", status="不予受理", outcome_on="2025-03-04", notes="不属于劳动争议")])
    assert run_cli("cases", "import", str(write_csv(rows)), *EN).exit_code == 0
    rejected = case("RJ")
    assert rejected.status == Status.REJECTED and rejected.accepted_on is None
    assert rejected.rejection_reason == "不属于劳动争议" and rejected.rejected_on == dt.date(2025, 3, 4)


def test_rejected_rows_with_legal_aid_are_each_named_before_anything_is_written(write_csv, run_cli):
    rows = table([
        record(case_no="RJ-1", status="rejected", outcome_on="2025-03-04", legal_aid="referred"),
        record(case_no="OK-1"),
        record(case_no="RJ-2", status="rejected", outcome_on="2025-03-05", legal_aid="completed",
               legal_aid_closed_on="2025-03-06"),
    ])
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code != 0
    assert "line 2: legal_aid: A case that is “rejected” cannot be referred for legal aid." in result.output
    assert "line 4: legal_aid: A case that is “rejected” cannot be referred for legal aid." in result.output
    assert case_numbers() == []


def test_a_number_taken_while_importing_imports_nothing_and_says_so(write_csv, run_cli, monkeypatch):
    assert run_cli("cases", "import", str(write_csv(table([record(case_no="T-1")]))), *EN).exit_code == 0
    # As if another program registered T-1 between the import's reading of the cases and its writing.
    monkeypatch.setattr(ledger_import.ExistingCases, "load", classmethod(lambda cls: cls(set(), set())))
    rows = table([record(case_no="T-2"), record(case_no="T-1", worker_name="王五")])
    result = run_cli("cases", "import", str(write_csv(rows, name="again.csv")), *EN)
    assert result.exit_code != 0
    assert "A case number in the file was taken while importing; nothing was imported." in result.output
    assert case_numbers() == ["T-1"]


def test_employers_are_shared_and_missing_streets_added(write_csv, run_cli):
    code = valid_credit_code()
    rows = table([
        record(case_no="E1", employer_credit_code=code, street="新华街道"),
        record(case_no="E2", worker_name="李四", employer_credit_code=code, street="新华街道"),
        record(case_no="E3", worker_name="王五", worker_id_number=valid_id_number()),
    ])
    assert run_cli("cases", "import", str(write_csv(rows)), *EN).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(Employer.id))) == 1
    assert db.session.scalars(sa.select(Street.name)).all() == ["新华街道"]
    assert case("E1").employer_id == case("E3").employer_id


def test_an_employer_keeps_the_street_of_the_first_row_that_names_it(write_csv, run_cli):
    rows = table([record(case_no="S1", street="东湖街道"),
                  record(case_no="S2", worker_name="李四", street="西城街道"),
                  record(case_no="S3", worker_name="王五", street="南苑街道")])
    assert run_cli("cases", "import", str(write_csv(rows)), *EN).exit_code == 0
    [employer] = db.session.scalars(sa.select(Employer)).all()
    assert employer.street.name == "东湖街道"  # as when each row is registered on its own
    assert [case(no).street.name for no in ("S1", "S2", "S3")] == ["东湖街道", "西城街道", "南苑街道"]


def test_legal_aid_declined_imports_and_says_where_the_word_came_from(write_csv, run_cli, tmp_path):
    rows = table([record(case_no="D1", status="failed", outcome_on="2025-03-10", legal_aid="declined")])
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code == 0, result.output
    referral = case("D1").legal_aid
    assert referral.status == LegalAidStatus.DECLINED
    assert referral.result == "As recorded in the imported ledger."
    exported = tmp_path / "export.csv"
    assert run_cli("cases", "export", str(exported), "--full", "--headings", "en").exit_code == 0
    assert ",declined," in exported.read_text(encoding="utf-8-sig")


def test_file_types_and_unreadable_files(tmp_path, write_csv, run_cli):
    other = tmp_path / "ledger.txt"
    other.write_text("case_no\n")
    assert "A ledger is a .csv or an .xlsx file." in run_cli("cases", "import", str(other), *EN).output
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("案件编号,登记日期\n".encode("gbk"))
    assert "not UTF-8" in run_cli("cases", "import", str(gbk), *EN).output
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    assert "not a readable .xlsx" in run_cli("cases", "import", str(fake), *EN).output


def test_blank_lines_are_skipped_and_line_numbers_still_count(write_csv, run_cli):
    rows = table([record(case_no="B1"), record(case_no="B2", status="nope")])
    rows.insert(2, ["", "", "", "", "", ""])
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert "line 4: status: Unknown status “nope”" in result.output


def test_numbers_given_out_skip_the_numbers_the_file_brings(write_csv, run_cli):
    rows = table([record(worker_name="无编号"), record(case_no="2025-00001", worker_name="有编号")])
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code == 0, result.output
    assert case_numbers() == ["2025-00001", "2025-00002"]
    assert case("2025-00002").workers[0].name == "无编号"


def test_the_application_acceptance_and_agreement_columns(write_csv, run_cli):
    from mediation.clocks.rules import by_key, compute
    from mediation.cases.models import ApplicationForm

    rows = table([
        record(case_no="N-1", status="调解成功", received_on="2025-03-03", accepted_on="2025-03-05",
               outcome_on="2025-03-20", agreed_amount="9,000", agreement_due_on="2025-04-30",
               agreement_method="银行转账，一次付清", matters="支付拖欠工资", reasons="2024年10月至12月工资未发",
               application_form="口头", worker_address="东湖街道幸福里3号", dispute_arose_on="2025-01-10",
               still_employed="否", employment_ended_on="2024-12-31", employer_address="西城街道工业园8号",
               employer_representative="王建国", employer_phone="010-62345678"),
        # The same employer again, with other particulars: the first row's are kept, the gap filled.
        record(case_no="N-2", status="调解中", worker_name="李四", accepted_on="2025-03-04",
               employer_address="另一个地址", still_employed="是", dispute_arose_on="2024-06-01"),
    ], chinese=True)
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code == 0, result.output
    mediated = case("N-1")
    assert mediated.accepted_on == dt.date(2025, 3, 5) and mediated.outcome_on == dt.date(2025, 3, 20)
    assert (mediated.matters, mediated.reasons) == ("支付拖欠工资", "2024年10月至12月工资未发")
    assert mediated.application_form == ApplicationForm.ORAL
    assert mediated.dispute_arose_on == dt.date(2025, 1, 10) and mediated.still_employed is False
    assert mediated.employment_ended_on == dt.date(2024, 12, 31)
    assert mediated.workers[0].address == "东湖街道幸福里3号"
    assert mediated.agreement.performance_deadline == dt.date(2025, 4, 30)
    assert mediated.agreement.terms == "银行转账，一次付清" and mediated.agreed_fen == 900_000
    employer = mediated.employer
    assert (employer.address, employer.legal_representative) == ("西城街道工业园8号", "王建国")
    assert employer.contact_phone
    accepted_event = db.session.scalar(sa.select(CaseEvent).where(
        CaseEvent.case_id == mediated.id, CaseEvent.kind == "accepted"))
    assert accepted_event.effective_on == dt.date(2025, 3, 5)

    mediating = case("N-2")
    assert mediating.employer is employer and employer.address == "西城街道工业园8号"
    assert mediating.accepted_on == mediating.mediation_started_on == dt.date(2025, 3, 4)
    # A pay claim while the worker is still employed: no limitation runs (Art. 27 para. 4).
    assert mediating.still_employed is True and "limitation" not in by_key(compute(mediating))
    # The agreement's deadline is the worklist's cue until it is paid.
    assert [d.due_on for d in compute(mediated) if d.key == "instalment"] == [dt.date(2025, 4, 30)]


def test_the_new_columns_problems_are_named_by_line(write_csv, run_cli):
    rows = table([
        record(case_no="P-1", accepted_on="2025-03-04"),
        record(case_no="P-2", status="failed", outcome_on="2025-03-10", accepted_on="2025-03-12",
               agreement_method="现金"),
        record(case_no="P-3", still_employed="是", employment_ended_on="2025-01-31", application_form="传真"),
    ], chinese=True)
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code != 0
    assert "line 2: 受理日期: A case that is “received” has no acceptance date." in result.output
    assert "line 3: 受理日期: After the outcome date (2025-03-10)." in result.output
    assert "line 3: 履行方式: Only a case mediated successfully has an agreement." in result.output
    assert "line 4: 劳动关系终止日期: The row says the worker is still employed" in result.output
    assert "line 4: 申请方式: Unknown application form “传真”" in result.output
    assert case_numbers() == []


def test_the_check_lists_likely_duplicates_of_cases_on_record(write_csv, run_cli, users):
    on_record = make_case(users["mediator"], received_on=dt.date(2025, 3, 1))  # 张三, open, ID order 100
    rows = table([
        record(case_no="D1", worker_id_number=valid_id_number(order=100), worker_name="张叁",
               employer_name="别的公司"),                                  # same ID number, an open case
        record(case_no="D2", received_on="2025-03-20"),                       # same name and employer, 19 days
        record(case_no="D3", received_on="2025-05-20"),                       # same name and employer, 80 days
        record(case_no="D4", worker_name="王五"),
    ])
    checked = ledger_import.check_file(write_csv(rows))
    assert checked.ok
    assert checked.likely_duplicates == [(2, [on_record.case_no]), (3, [on_record.case_no])]
    result = run_cli("cases", "import", str(write_csv(rows)), *EN)
    assert result.exit_code == 0, result.output
    assert f"line 2: likely repeats {on_record.case_no}" in result.output
    assert "4 new" in result.output
