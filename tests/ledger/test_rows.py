"""One ledger record: each rule of CONTRACTS §2, checked by ``parse_record`` (shared with the JSON API)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask_babel import force_locale

from mediation.cases.models import Channel
from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from mediation.ledger.rows import KEYS, ZH_HEADINGS, parse_record
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
    assert len(KEYS) == 21 and KEYS[-1] == "notes"
    assert ZH_HEADINGS["claimed_amount"] == "请求金额（元）"
    assert ZH_HEADINGS["legal_aid_amount"] == "法律援助涉及金额（元）"


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
    row, errors = parse(status="failed", outcome_on="2025-03-09", recovered_amount="100")
    assert errors == {} and row.recovered_amount == Decimal("100.00")


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
