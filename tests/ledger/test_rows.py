"""One ledger record: each rule of CONTRACTS §2, checked by ``parse_record`` (shared with the JSON API)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask_babel import force_locale

from mediation.cases.models import ApplicationForm, Channel
from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from mediation.ledger.rows import KEYS, READERS, ZH_HEADINGS, parse_record
from mediation.legal_aid.models import LegalAidStatus
from tests.factories import valid_credit_code, valid_id_number
from tests.ledger.conftest import record


def parse(**values):
    with force_locale("en"):
        return parse_record(record(**values))


def errors_of(**values) -> dict[str, list[str]]:
    row, errors = parse(**values)
    assert row is None
    return errors


def test_the_columns_are_the_contracts_in_its_order():
    assert KEYS[:4] == ("case_no", "received_on", "channel", "worker_name")
    assert len(KEYS) == 34 and KEYS[20] == "notes" and KEYS[-1] == "agreement_method"
    assert tuple(READERS) == KEYS  # every column is read, in the same order
    assert ZH_HEADINGS["claimed_amount"] == "请求金额（元）"
    assert ZH_HEADINGS["legal_aid_amount"] == "法律援助涉及金额（元）"
    assert {k: ZH_HEADINGS[k] for k in KEYS[21:]} == {
        "matters": "申请事项", "reasons": "事实和理由", "application_form": "申请方式", "worker_address": "申请人住址",
        "dispute_arose_on": "知道权利被侵害之日", "still_employed": "是否在职", "employment_ended_on": "劳动关系终止日期",
        "accepted_on": "受理日期", "employer_address": "被申请单位地址", "employer_representative": "法定代表人（负责人）",
        "employer_phone": "单位联系电话", "agreement_due_on": "协议履行期限", "agreement_method": "履行方式"}


def test_a_minimal_row_gets_the_defaults(app):
    row, errors = parse()
    assert errors == {}
    assert row.received_on == dt.date(2025, 3, 3)
    assert row.channel == Channel.WALK_IN and row.workers_count == 1 and row.migrant_worker is False
    assert row.dispute_type.code == "wage_arrears" and row.status == Status.RECEIVED


def test_required_columns_are_named_when_empty(app):
    errors = errors_of(worker_name="", employer_name="  ", dispute_type=None, status="")
    assert set(errors) == {"worker_name", "employer_name", "dispute_type", "status"}
    assert errors["worker_name"] == ["Required."]


@pytest.mark.parametrize("text, expected", [
    ("12,500.00", Decimal("12500.00")), ("1,234,567.5", Decimal("1234567.50")), ("800元", Decimal("800.00")),
    (1200, Decimal("1200.00")), (Decimal("99.99"), Decimal("99.99")), (12.5, Decimal("12.50")),
])
def test_amounts_allow_thousands_separators_and_typed_cells(app, text, expected):
    row, errors = parse(claimed_amount=text)
    assert errors == {} and row.claimed_amount == expected


@pytest.mark.parametrize("text, message", [
    ("12.345", "two decimals"), ("-5", "negative"), ("12,50", "12,500.00"), (True, "12,500.00"),
    (["1"], "12,500.00"),
])
def test_bad_amounts_say_why(app, text, message):
    assert message in errors_of(claimed_amount=text)["claimed_amount"][0]


def test_dates_must_be_dates_and_not_in_the_future(app):
    assert errors_of(received_on="2025-02-30")["received_on"] == ["Not a date (YYYY-MM-DD): “2025-02-30”."]
    tomorrow = (local_today() + dt.timedelta(days=1)).isoformat()
    assert errors_of(received_on=tomorrow)["received_on"] == ["The date is in the future."]
    row, _ = parse(received_on=dt.datetime(2025, 3, 4))  # an XLSX date cell
    assert row.received_on == dt.date(2025, 3, 4)


def test_id_number_and_credit_code_checksums(app):
    good_id, good_code = valid_id_number(), valid_credit_code()
    row, _ = parse(worker_id_number=good_id.lower(), employer_credit_code=good_code)
    assert row.worker_id_number == good_id and row.employer_credit_code == good_code
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    errors = errors_of(worker_id_number=bad_id, employer_credit_code=good_code[:-1] + "0",
                       worker_phone="12345")
    assert "check character" in errors["worker_id_number"][0]
    assert "check character" in errors["employer_credit_code"][0]
    assert "mobile" in errors["worker_phone"][0]


@pytest.mark.parametrize("word, status", [
    ("mediated", Status.MEDIATED), ("调解成功", Status.MEDIATED), ("已受理", Status.ACCEPTED),
    ("调解不成", Status.FAILED), ("撤回", Status.WITHDRAWN), ("已结案", Status.CLOSED), ("不予受理", Status.REJECTED),
    ("In_Mediation", Status.IN_MEDIATION),
])
def test_status_by_code_or_chinese_word(app, word, status):
    outcome = "2025-03-10" if status not in (Status.ACCEPTED, Status.IN_MEDIATION) else ""
    row, errors = parse(status=word, outcome_on=outcome)
    assert errors == {} and row.status == status


def test_channel_legal_aid_and_yes_no_words(app):
    row, _ = parse(channel="12351热线", migrant_worker="是", legal_aid="办理中")
    assert row.channel == Channel.HOTLINE_12351 and row.migrant_worker and row.legal_aid == LegalAidStatus.IN_PROGRESS
    row, _ = parse(channel="street_station", migrant_worker="0", legal_aid="无")
    assert row.channel == Channel.STREET_STATION and not row.migrant_worker and row.legal_aid is None
    errors = errors_of(channel="fax", migrant_worker="maybe", legal_aid="lots")
    assert errors["channel"][0].startswith("Unknown channel “fax”")
    assert errors["migrant_worker"][0].startswith("Not yes or no")
    assert errors["legal_aid"][0].startswith("Unknown legal-aid status “lots”")


@pytest.mark.parametrize("word", ["wage_arrears", "拖欠劳动报酬", "Wage arrears", "wage ARREARS"])
def test_dispute_type_by_code_or_either_label(app, word):
    row, _ = parse(dispute_type=word)
    assert row.dispute_type.code == "wage_arrears"


def test_an_english_label_shared_with_an_art2_category_means_the_finer_type(app):
    row, _ = parse(dispute_type="Dismissal, resignation, leaving")
    assert row.dispute_type.code == "dismissal"


def test_unknown_dispute_type_is_named(app):
    assert errors_of(dispute_type="x")["dispute_type"] == ["Unknown dispute type “x”."]


def test_outcome_date_rules(app):
    assert errors_of(status="mediated")["outcome_on"] == ["Required for status “mediated”."]
    assert errors_of(status="调解成功")["outcome_on"] == ["Required for status “调解成功”."]
    assert "Before the date received" in errors_of(status="failed", outcome_on="2025-03-01")["outcome_on"][0]
    assert "no outcome date" in errors_of(status="accepted", outcome_on="2025-03-05")["outcome_on"][0]


def test_what_each_status_may_carry(app):
    assert "agreed amount" in errors_of(status="failed", outcome_on="2025-03-09", agreed_amount="5")[
        "agreed_amount"][0]
    assert errors_of(status="in_mediation", recovered_amount="100")["recovered_amount"]
    row, errors = parse(status="failed", outcome_on="2025-03-09", claimed_amount="100", recovered_amount="100")
    assert errors == {} and row.recovered_amount == Decimal("100.00")


def test_no_more_is_received_than_is_outstanding(app):
    assert errors_of(status="mediated", outcome_on="2025-03-09", agreed_amount="18000",
                     recovered_amount="50000")["recovered_amount"] == ["More than the agreed amount (18,000.00 yuan)."]
    # Without an agreed amount the import agrees the claim; without an agreement, the claim is the limit.
    assert errors_of(status="mediated", outcome_on="2025-03-09", claimed_amount="900",
                     recovered_amount="900.01")["recovered_amount"] == ["More than the agreed amount (900.00 yuan)."]
    assert "More than the amount claimed (100.00 yuan)" in errors_of(
        status="withdrawn", outcome_on="2025-03-09", claimed_amount="100", recovered_amount="100.50")[
        "recovered_amount"][0]
    assert "More than the amount claimed (0.00 yuan)" in errors_of(
        status="failed", outcome_on="2025-03-09", recovered_amount="1")["recovered_amount"][0]
    assert parse(status="closed", outcome_on="2025-03-09", claimed_amount="500", agreement_due_on="2025-03-20",
                 recovered_amount="500")[1] == {}


def test_legal_aid_rules(app):
    assert errors_of(legal_aid="completed")["legal_aid_closed_on"] == ["Required when legal aid is completed."]
    assert errors_of(legal_aid="referred", legal_aid_closed_on="2025-04-01")["legal_aid_closed_on"]
    assert errors_of(legal_aid_amount="3000")["legal_aid_amount"] == ["There is no legal aid on this row."]
    assert "Before the date received" in errors_of(
        legal_aid="completed", legal_aid_closed_on="2025-01-01")["legal_aid_closed_on"][0]
    assert errors_of(status="rejected", outcome_on="2025-03-09", legal_aid="referred")["legal_aid"] == [
        "A case that is “rejected” cannot be referred for legal aid."]
    row, errors = parse(status="failed", outcome_on="2025-03-09", legal_aid="referred")
    assert errors == {} and row.legal_aid == LegalAidStatus.REFERRED


def test_text_longer_than_its_column_is_refused(app):
    errors = errors_of(worker_name="张" * 101, employer_name="公" * 201, case_no="N" * 41)
    assert errors["worker_name"] == ["Too long: at most 100 characters."]
    assert errors["employer_name"] == ["Too long: at most 200 characters."]
    assert errors["case_no"] == ["Too long: at most 40 characters."]


def test_wrong_json_types_get_a_message_not_an_exception(app):
    errors = errors_of(worker_name=["张三"], workers_count="two", received_on=20250303, notes={"a": 1},
                       status=3)
    assert errors["worker_name"] == ["Must be text."]
    assert errors["workers_count"][0].startswith("Not a whole number")
    assert errors["received_on"][0].startswith("Not a date")
    assert errors["notes"] == ["Must be text."]
    assert errors["status"][0].startswith("Unknown status")


def test_json_types_that_fit_are_taken(app):
    row, errors = parse(workers_count=12, migrant_worker=True, claimed_amount=Decimal("3000.5"), case_no=20250001)
    assert errors == {}
    assert row.workers_count == 12 and row.migrant_worker and row.claimed_amount == Decimal("3000.50")
    assert row.case_no == "20250001"


def test_unknown_keys_are_named(app):
    assert errors_of(color="red") == {"color": ["Not a ledger column."]}


def test_the_application_columns_are_read(app):
    row, errors = parse(status="accepted", matters="支付拖欠工资", reasons="工资未发", application_form="口头",
                        worker_address="东湖街道幸福里3号", dispute_arose_on="2025-01-15", still_employed="是",
                        accepted_on="2025-03-05", employer_address="西城街道工业园8号",
                        employer_representative="王建国", employer_phone="010-62345678")
    assert errors == {}
    assert (row.matters, row.reasons, row.application_form) == ("支付拖欠工资", "工资未发", ApplicationForm.ORAL)
    assert row.worker_address == "东湖街道幸福里3号" and row.dispute_arose_on == dt.date(2025, 1, 15)
    assert row.still_employed is True and row.employment_ended_on is None
    assert row.accepted_on == dt.date(2025, 3, 5)
    assert (row.employer_address, row.employer_representative) == ("西城街道工业园8号", "王建国")
    assert row.employer_phone


def test_the_application_columns_default(app):
    row, _ = parse()
    assert row.application_form == ApplicationForm.WRITTEN and row.still_employed is None
    assert row.accepted_on is None  # received: not accepted
    row, _ = parse(status="in_mediation")
    assert row.accepted_on == row.received_on  # a ledger without the column accepted on receipt
    for word, form in (("written", ApplicationForm.WRITTEN), ("书面", ApplicationForm.WRITTEN),
                       ("Oral", ApplicationForm.ORAL), ("口头申请", ApplicationForm.ORAL)):
        assert parse(application_form=word)[0].application_form == form
    assert errors_of(application_form="fax")["application_form"] == [
        "Unknown application form “fax”; use written, oral or their Chinese names."]


def test_still_employed_is_yes_or_no_and_excludes_an_end_of_employment(app):
    row, _ = parse(still_employed="no", employment_ended_on="2025-02-28")
    assert row.still_employed is False and row.employment_ended_on == dt.date(2025, 2, 28)
    assert errors_of(still_employed="perhaps")["still_employed"][0].startswith("Not yes or no")
    assert errors_of(still_employed="yes", employment_ended_on="2025-02-28")["employment_ended_on"] == [
        "The row says the worker is still employed; leave one of the two empty."]
    # The worker may have known, and the employment may have ended, long before the application.
    row, errors = parse(dispute_arose_on="2023-06-01", employment_ended_on="2024-01-31")
    assert errors == {}
    tomorrow = (local_today() + dt.timedelta(days=1)).isoformat()
    errors = errors_of(dispute_arose_on=tomorrow, employment_ended_on=tomorrow)
    assert errors["dispute_arose_on"] == errors["employment_ended_on"] == ["The date is in the future."]


def test_the_acceptance_date_rules(app):
    row, errors = parse(status="mediated", outcome_on="2025-03-20", accepted_on="2025-03-20")
    assert errors == {} and row.accepted_on == dt.date(2025, 3, 20)
    assert errors_of(status="accepted", accepted_on="2025-03-01")["accepted_on"] == [
        "Before the date received (2025-03-03)."]
    assert errors_of(status="failed", outcome_on="2025-03-10", accepted_on="2025-03-11")["accepted_on"] == [
        "After the outcome date (2025-03-10)."]
    assert errors_of(accepted_on="2025-03-04")["accepted_on"] == ["A case that is “received” has no acceptance date."]
    assert errors_of(status="不予受理", outcome_on="2025-03-04", accepted_on="2025-03-04")["accepted_on"] == [
        "A case that is “不予受理” has no acceptance date."]


def test_the_agreement_columns_rules(app):
    later = (local_today() + dt.timedelta(days=90)).isoformat()  # a deadline may lie ahead
    row, errors = parse(status="mediated", outcome_on="2025-03-20", agreement_due_on=later,
                        agreement_method="银行转账")
    assert errors == {} and row.agreement_due_on.isoformat() == later and row.agreement_method == "银行转账"
    assert errors_of(status="mediated", outcome_on="2025-03-20", agreement_due_on="2025-03-19")[
        "agreement_due_on"] == ["The performance deadline cannot be before the agreement was signed."]
    errors = errors_of(status="failed", outcome_on="2025-03-20", agreement_due_on="2025-04-01",
                       agreement_method="现金")
    assert errors["agreement_due_on"] == errors["agreement_method"] == [
        "Only a case mediated successfully has an agreement."]
    # A closed row naming the agreement closed after one, even without an agreed amount.
    row, errors = parse(status="closed", outcome_on="2025-03-20", agreement_method="现金")
    assert errors == {} and row.outcome == Status.MEDIATED
    assert parse(status="closed", outcome_on="2025-03-20")[0].outcome == Status.FAILED


def test_every_problem_of_the_new_columns_at_once(app):
    errors = errors_of(status="received", accepted_on="2025-03-04", agreement_method="现金", employer_phone="123",
                       worker_address="址" * 301, still_employed="yes", employment_ended_on="2025-01-01")
    assert set(errors) == {"accepted_on", "agreement_method", "employer_phone", "worker_address",
                           "employment_ended_on"}
