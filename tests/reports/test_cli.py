"""``flask report summary``: JSON, the headline sentence, the table, and clear errors."""
from __future__ import annotations

import datetime as dt
import json

import pytest

D = dt.date


@pytest.fixture
def january(history):
    history.mediated(D(2025, 1, 3), D(2025, 1, 10), "8000.00", claimed="10000.00")
    history.received(D(2025, 1, 4), workers=2)
    history.failed(D(2025, 1, 5), D(2025, 1, 20))


def run(app, *args):
    return app.test_cli_runner().invoke(args=["report", "summary", *args])


def test_json_is_one_object_with_the_contract_keys(app, january):
    result = run(app, "--from", "2025-01-01", "--to", "2025-01-31", "--format", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["from"] == "2025-01-01" and figures["to"] == "2025-01-31"
    assert (figures["received"], figures["mediated_success"], figures["mediation_failed"]) == (3, 1, 1)
    assert figures["success_rate"] == "50.0%"
    assert figures["mediated_success_claimed"] == "10000.00"
    assert "共受理劳动争议案件3件" in result.output  # Chinese written as it is, not as \u escapes


def test_text_is_the_headline_sentence_chinese_by_default(app, january):
    result = run(app, "--from", "2025-01-01", "--to", "2025-01-31", "--format", "text")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "共受理劳动争议案件3件，调解成功1件，涉及金额1.00万元；完成法律援助案件0件，涉及金额0.00万元。")
    english = run(app, "--from", "2025-01-01", "--to", "2025-01-31", "--format", "text", "--lang", "en")
    assert english.output.strip().startswith("Received 3 labour-dispute cases; 1 mediated successfully")


def test_without_format_a_readable_table(app, january):
    result = run(app, "--period", "2025-01", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Outcome summary: January 2025 (2025-01-01 to 2025-01-31)"
    assert any(line.startswith("Cases received") and line.rstrip().endswith(" 3") for line in lines)
    assert any(line.startswith("Success rate") and line.rstrip().endswith("50.0%") for line in lines)
    assert any(line.startswith("Walk-in") for line in lines)  # a breakdown table
    assert "Received 3 labour-dispute cases" in result.output


def test_period_shorthand_matches_the_dates(app, january):
    by_period = json.loads(run(app, "--period", "2025-H1", "--format", "json").output)
    by_dates = json.loads(run(app, "--from", "2025-01-01", "--to", "2025-06-30", "--format", "json").output)
    assert by_period == by_dates
    assert by_period["received"] == 3


@pytest.mark.parametrize("args, message", [
    (["--from", "2025-03-01", "--to", "2025-02-01"], "The start date 2025-03-01 is after the end date 2025-02-01."),
    (["--from", "2025-02-30", "--to", "2025-03-31"], "The start date “2025-02-30” is not a date (YYYY-MM-DD)."),
    (["--from", "2025-01-01"], "The end date is missing (YYYY-MM-DD)."),
    ([], "Give the period: --from YYYY-MM-DD --to YYYY-MM-DD, or --period 2025-H1."),
    (["--period", "2025-Q7"], "A quarter is numbered 1 to 4."),
    (["--period", "2025", "--from", "2025-01-01"], "Give either --period or --from and --to, not both."),
])
def test_bad_periods_fail_with_a_clear_message(app, args, message):
    result = run(app, *args, "--format", "json", "--lang", "en")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_unknown_format_is_refused(app):
    result = run(app, "--period", "2025", "--format", "xml")
    assert result.exit_code != 0
    assert "xml" in result.output
