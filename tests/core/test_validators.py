"""Identity numbers, credit codes and phone numbers: what intake accepts and what it refuses."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation.core.validators import (
    CREDIT_ALPHABET,
    birth_date_from_id,
    credit_code_check_char,
    credit_code_problem,
    email_problem,
    id_number_check_char,
    id_number_problem,
    normalise_credit_code,
    normalise_id_number,
    normalise_phone,
    phone_problem,
)

ID_CHARS = "0123456789X"
DIGITS = "0123456789"


@st.composite
def resident_id_numbers(draw) -> str:
    """A valid 18-character number: any area code, a real birth date, an order number, its check char."""
    area = draw(st.text(DIGITS, min_size=6, max_size=6))
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()))
    order = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + id_number_check_char(first17)


@st.composite
def credit_codes(draw) -> str:
    """GB 32100: authority and type (any alphabet character), division (digits), organisation code."""
    head = draw(st.text(CREDIT_ALPHABET, min_size=2, max_size=2))
    division = draw(st.text(DIGITS, min_size=6, max_size=6))
    organisation = draw(st.text(CREDIT_ALPHABET, min_size=9, max_size=9))
    first17 = head + division + organisation
    return first17 + credit_code_check_char(first17)


# --- resident identity card numbers (GB 11643) -------------------------------------------------

@given(resident_id_numbers())
def test_generated_id_numbers_are_accepted(number):
    assert id_number_problem(number) is None
    assert birth_date_from_id(number) == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


@given(resident_id_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from(ID_CHARS))
def test_any_single_character_change_is_refused(number, position, replacement):
    # ISO 7064 MOD 11-2 catches every single substitution, so no change can give another valid number.
    changed = number[:position] + replacement + number[position + 1:]
    if changed == number:
        return
    assert id_number_problem(changed) is not None


@given(resident_id_numbers())
def test_lowercase_x_is_accepted_and_normalised(number):
    body = number[:17]
    if id_number_check_char(body) != "X":
        body = next(f"{body[:14]}{n:03d}" for n in range(1000)
                    if id_number_check_char(f"{body[:14]}{n:03d}") == "X")
    typed = f" {body}x "
    assert id_number_problem(typed) is None
    assert normalise_id_number(typed) == body + "X"


@pytest.mark.parametrize("birth", ["19900230", "19900431", "20230229", "19901301", "19900000", "18991231"])
def test_impossible_birth_dates_are_refused_even_with_a_right_check_char(birth):
    first17 = f"110101{birth}123"
    assert id_number_problem(first17 + id_number_check_char(first17)) == "birth_date"


def test_a_birth_date_after_today_is_refused():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    first17 = f"110101{tomorrow:%Y%m%d}123"
    assert id_number_problem(first17 + id_number_check_char(first17)) == "birth_date"


@pytest.mark.parametrize("value, problem", [
    ("11010119900307123", "length"),
    ("1101011990030712345", "length"),
    ("11010119900307X234", "characters"),
    ("11010119900307123A", "characters"),
    ("", "length"),
])
def test_malformed_id_numbers_say_what_is_wrong(value, problem):
    assert id_number_problem(value) == problem


def test_a_published_example_passes_and_its_typo_fails():
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("11010519491231002X".replace("1231", "1213")) is not None


# --- unified social credit codes (GB 32100) ----------------------------------------------------

@given(credit_codes())
def test_generated_credit_codes_are_accepted(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize("first", ["Y", "A", "N", "9", "1", "5"])
@given(body=credit_codes())
def test_codes_starting_with_a_letter_or_digit_are_accepted(first, body):
    first17 = first + body[1:17]
    assert credit_code_problem(first17 + credit_code_check_char(first17)) is None


@given(credit_codes(), st.sampled_from(CREDIT_ALPHABET))
def test_a_changed_check_character_is_refused(code, replacement):
    if replacement == code[17]:
        return
    assert credit_code_problem(code[:17] + replacement) == "checksum"


@given(credit_codes(), st.integers(min_value=0, max_value=16), st.sampled_from(CREDIT_ALPHABET))
def test_a_changed_body_character_is_refused(code, position, replacement):
    changed = code[:position] + replacement + code[position + 1:]
    if changed == code:
        return
    assert credit_code_problem(changed) is not None


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000100006485K", "91440300708461136T"])
def test_real_published_codes_are_valid(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize("value, problem", [
    ("91350100M000100Y4", "length"),
    ("91350100M000100I43", "characters"),   # I, O, Z, S, V are not in the alphabet
    ("91350100M000100O43", "characters"),
    ("9135A100M000100Y43", "characters"),   # the division code is digits
    ("91350100M000100Y44", "checksum"),
])
def test_malformed_credit_codes_say_what_is_wrong(value, problem):
    assert credit_code_problem(value) == problem


def test_lowercase_credit_codes_are_normalised():
    assert credit_code_problem(" 91350100m000100y43 ") is None
    assert normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


# --- phone numbers --------------------------------------------------------------------------------

@given(st.integers(min_value=3, max_value=9), st.text(DIGITS, min_size=9, max_size=9))
def test_mainland_mobiles_13x_to_19x_are_accepted(second, rest):
    assert phone_problem(f"1{second}{rest}") is None


@pytest.mark.parametrize("number", [
    "010-12345678", "0755-1234567", "0755-12345678", "01012345678", "010-12345678-123",
    "0571-87654321-8001", "(010)12345678", "（0755）12345678", "+86 13812345678", "+86-13812345678",
    "138 1234 5678",
])
def test_landlines_and_written_forms_are_accepted(number):
    assert phone_problem(number) is None


@pytest.mark.parametrize("number", [
    "12812345678", "11012345678", "1381234567", "138123456789", "23812345678", "12345678",
    "010-1234", "0755-0234567", "1381234567a", "abc", "010-12345678-", "+1 2025550123",
])
def test_wrong_phone_numbers_are_refused(number):
    assert phone_problem(number) == "format"


def test_phones_are_stored_in_one_written_form():
    assert normalise_phone("+86 138 1234 5678") == "13812345678"
    assert normalise_phone("(010)12345678") == "010-12345678"


@pytest.mark.parametrize("address", ["zhang@example.cn", "zhang.san+digest@mail.example.com.cn", "调解@例子.中国"])
def test_email_addresses_are_accepted(address):
    assert email_problem(address) is None


@pytest.mark.parametrize("address", ["zhang", "zhang@example", "@example.cn", "zhang@.cn", "zhang@example..cn",
                                     "zhang san@example.cn", "张三 <zhang@example.cn>", "a@example.cn, b@example.cn"])
def test_what_is_not_one_email_address_is_refused(address):
    assert email_problem(address) == "format"


def test_an_email_address_fits_its_column():
    assert email_problem("z" * 190 + "@example.cn") == "length"
