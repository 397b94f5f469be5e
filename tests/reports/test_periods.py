"""Periods as offices name them, and the figures' own formats (rates, medians, headlines)."""
from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale

from mediation.reports.headlines import headline_en, headline_zh, median_text, percent
from mediation.reports.periods import PeriodError, parse_period, period_from_dates

D = dt.date


@pytest.mark.parametrize("text, start, end, kind", [
    ("2025-03", D(2025, 3, 1), D(2025, 3, 31), "month"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month"),  # leap year
    ("2025-2", D(2025, 2, 1), D(2025, 2, 28), "month"),
    ("2025-Q1", D(2025, 1, 1), D(2025, 3, 31), "quarter"),
    ("2025-q4", D(2025, 10, 1), D(2025, 12, 31), "quarter"),
    ("2025-H1", D(2025, 1, 1), D(2025, 6, 30), "half"),
    ("2025-H2", D(2025, 7, 1), D(2025, 12, 31), "half"),
    (" 2025 ", D(2025, 1, 1), D(2025, 12, 31), "year"),
])
def test_named_periods(app, text, start, end, kind):
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert parse_period(period.code) == period


@pytest.mark.parametrize("text, message", [
    ("2025-13", "A month is numbered 1 to 12."),
    ("2025-00", "A month is numbered 1 to 12."),
    ("2025-Q5", "A quarter is numbered 1 to 4."),
    ("2025-H3", "A half-year is H1 or H2."),
    ("1800", "The year must be between 1900 and 2100."),
    ("March", "Give the period as 2025-03 (month), 2025-Q1 (quarter), 2025-H1 (half-year) or 2025 (year)."),
    ("", "Give the period as 2025-03 (month), 2025-Q1 (quarter), 2025-H1 (half-year) or 2025 (year)."),
])
def test_bad_named_periods_say_what_is_wrong(app, text, message):
    with force_locale("en"), pytest.raises(PeriodError) as error:
        parse_period(text)
    assert error.value.message == message


def test_date_range_is_inclusive_and_checked(app):
    period = period_from_dates("2025-01-15", "2025-02-14")
    assert (period.start, period.end, period.days) == (D(2025, 1, 15), D(2025, 2, 14), 31)
    assert period_from_dates("2025-01-15", "2025-01-15").days == 1
    with force_locale("en"):
        for start, end, message, field in [
            ("2025-02-01", "2025-01-31", "The start date 2025-02-01 is after the end date 2025-01-31.", "end"),
            ("2025-02-30", "2025-03-01", "The start date “2025-02-30” is not a date (YYYY-MM-DD).", "start"),
            ("2025-01-01", "01/02/2025", "The end date “01/02/2025” is not a date (YYYY-MM-DD).", "end"),
            ("", "2025-01-01", "The start date is missing (YYYY-MM-DD).", "start"),
        ]:
            with pytest.raises(PeriodError) as error:
                period_from_dates(start, end)
            assert (error.value.message, error.value.field) == (message, field)


def test_period_labels_in_both_languages(app):
    with force_locale("zh_CN"):
        assert parse_period("2025-03").label == "2025年3月"
    with force_locale("en"):
        assert parse_period("2025-03").label == "March 2025"
        assert parse_period("2025-Q2").label == "Q2 2025"
        assert parse_period("2025-H1").label == "First half of 2025"
        assert period_from_dates("2025-01-15", "2025-02-14").label == "2025-01-15 to 2025-02-14"


@pytest.mark.parametrize("part, whole, shown", [
    (497, 899, "55.3%"),   # the federation's half-year figure
    (1, 16, "6.3%"),       # 6.25 rounds half up, not to even
    (3, 16, "18.8%"),      # 18.75
    (1, 3, "33.3%"),
    (2, 3, "66.7%"),
    (1, 1, "100.0%"),
    (0, 5, "0.0%"),
    (0, 0, ""),
])
def test_rates_have_one_decimal_rounded_half_up(part, whole, shown):
    assert percent(part, whole) == shown


@pytest.mark.parametrize("histogram, median", [
    ({}, ""), ({7: 1}, "7"), ({3: 1, 8: 1}, "5.5"), ({1: 2, 30: 1}, "1"), ({2: 1, 4: 1, 9: 2}, "6.5"),
])
def test_median_days(histogram, median):
    assert median_text(histogram) == median


def test_the_federations_own_headline():
    # DOMAIN.md: 899 received, 497 mediated involving 10,441,200 yuan, 48 legal-aid cases, 3,405,000 yuan.
    args = (899, 497, 1_044_120_000, 48, 340_500_000)
    assert headline_zh(*args) == (
        "共受理劳动争议案件899件，调解成功497件，涉及金额1044.12万元；完成法律援助案件48件，涉及金额340.50万元。")
    assert headline_en(*args) == (
        "Received 899 labour-dispute cases; 497 mediated successfully, involving 1044.12 wan yuan "
        "(CNY 10,441,200.00); completed 48 legal-aid cases, involving 340.50 wan yuan (CNY 3,405,000.00).")
