"""Amounts of yuan as clerks type them: parsed exactly, refused when unclear."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation.core.money import (
    MoneyError,
    fen_to_yuan,
    format_wan,
    format_yuan,
    parse_yuan,
    yuan_to_fen,
)


@pytest.mark.parametrize("text, expected", [
    ("1,234.50", "1234.50"),
    ("1234.5", "1234.50"),
    ("800元", "800.00"),
    ("¥12", "12.00"),
    ("￥12.3", "12.30"),
    ("12,500", "12500.00"),
    ("1,234,567.89", "1234567.89"),
    ("  0.01 ", "0.01"),
    ("0", "0.00"),
    ("1，234．50", "1234.50"),   # full-width comma and point, as typed with a Chinese IME
    ("9999999999999.99", "9999999999999.99"),
])
def test_amounts_as_typed_are_parsed_exactly(text, expected):
    value = parse_yuan(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)
    assert str(value) == expected


@pytest.mark.parametrize("text, code", [
    ("-1", "negative"),
    ("-0.50", "negative"),
    ("1.234", "too_many_decimals"),
    ("0.001", "too_many_decimals"),
    ("1,23", "not_a_number"),
    ("1,2345.00", "not_a_number"),
    ("abc", "not_a_number"),
    ("12元5角", "not_a_number"),
    ("1e5", "not_a_number"),
    ("NaN", "not_a_number"),
    ("Infinity", "not_a_number"),
    ("1 000", "not_a_number"),
    ("10000000000000", "too_large"),
    ("9" * 400, "too_large"),
])
def test_unclear_amounts_are_refused_with_a_reason(text, code):
    with pytest.raises(MoneyError) as caught:
        parse_yuan(text)
    assert caught.value.code == code


def test_empty_input_means_no_amount():
    assert parse_yuan("") is None
    assert parse_yuan("   ") is None
    assert parse_yuan(None) is None


def test_decimal_and_integer_input():
    assert parse_yuan(Decimal("12.5")) == Decimal("12.50")
    assert parse_yuan(300) == Decimal("300.00")
    with pytest.raises(MoneyError):
        parse_yuan(Decimal("NaN"))
    with pytest.raises(MoneyError):
        parse_yuan(Decimal("-3"))
    with pytest.raises(MoneyError):
        parse_yuan(True)


def test_a_float_is_never_silently_rounded():
    # 0.1 + 0.2 is 0.30000000000000004 as a float: refused rather than turned into 0.30.
    with pytest.raises(MoneyError):
        parse_yuan(0.1 + 0.2)


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_every_amount_in_fen_survives_formatting_and_parsing(fen):
    assert yuan_to_fen(parse_yuan(format_yuan(fen))) == fen
    assert yuan_to_fen(parse_yuan(format_yuan(fen, grouping=False))) == fen
    assert yuan_to_fen(fen_to_yuan(fen)) == fen


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=50))
def test_sums_of_parsed_amounts_are_exact(fens):
    parsed = [parse_yuan(format_yuan(f)) for f in fens]
    assert yuan_to_fen(sum(parsed, Decimal(0))) == sum(fens)


def test_formatting_for_lists_and_reports():
    assert format_yuan(123450) == "1,234.50"
    assert format_yuan(123450, grouping=False) == "1234.50"
    assert format_yuan(None) == ""
    assert format_yuan(0) == "0.00"
    # The half-year report's figure: 10,441,200 yuan is 1044.12 万元.
    assert format_wan(10_441_200_00) == "1044.12"
    assert format_wan(3_405_000_00) == "340.50"
    assert format_wan(None) == "0.00"
