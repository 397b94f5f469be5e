"""Checks for identity numbers, credit codes, phone numbers and e-mail addresses (pure functions, no Flask).

- Resident identity card number: GB 11643-1999, ISO 7064 MOD 11-2 check character, real birth date.
- Unified social credit code: GB 32100-2015, MOD 31 over its own 31-character alphabet.  The first
  character (registration authority) may be a letter such as 'Y' or 'A' or '9'; python-stdnum rejects
  some valid codes that start with a letter, so we implement the standard directly.
- Mainland mobile (1[3-9]x, 11 digits) and landline numbers (area code 0xx/0xxx, optional extension).
"""
from __future__ import annotations

import datetime as dt
import re

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_number_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def normalise_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def id_number_problem(value: str, today: dt.date | None = None) -> str | None:
    """``None`` when valid; otherwise one of 'length', 'characters', 'birth_date', 'checksum'."""
    v = normalise_id_number(value)
    if len(v) != 18:
        return "length"
    if not _ID_RE.match(v):
        return "characters"
    try:
        birth = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "birth_date"
    today = today or dt.date.today()
    if birth < dt.date(1900, 1, 1) or birth > today:
        return "birth_date"
    if id_number_check_char(v[:17]) != v[17]:
        return "checksum"
    return None


def birth_date_from_id(value: str) -> dt.date | None:
    v = normalise_id_number(value)
    if id_number_problem(v) is not None:
        return None
    return dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def credit_code_problem(value: str) -> str | None:
    """``None`` when valid; otherwise 'length', 'characters' or 'checksum'."""
    v = normalise_credit_code(value)
    if len(v) != 18:
        return "length"
    if any(c not in CREDIT_ALPHABET for c in v):
        return "characters"
    # Characters 3-8 are the administrative division code: digits only.
    if not v[2:8].isdigit():
        return "characters"
    if credit_code_check_char(v[:17]) != v[17]:
        return "checksum"
    return None


_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# The local number may start with any digit but 0 (offices write 010-12345678 style numbers).
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?[1-9]\d{6,7}(-\d{1,6})?$")


def normalise_phone(value: str) -> str:
    v = value.strip().replace(" ", "").replace("（", "(").replace("）", ")")
    v = re.sub(r"^\+?86-?", "", v)
    v = re.sub(r"^\((0\d{2,3})\)", r"\1-", v)
    return v


def phone_problem(value: str) -> str | None:
    v = normalise_phone(value)
    if _MOBILE_RE.match(v) or _LANDLINE_RE.match(v):
        return None
    return "format"


EMAIL_LENGTH = 200
# One address as a person types it: a local part, "@", a domain of two labels or more (Chinese domains
# included); no spaces, no display name or list ("张三 <a@b.cn>", "a@b.cn, c@d.cn").
_EMAIL_RE = re.compile(r'^[^@\s<>(),;:"\[\]]+@(?:[^@\s<>(),;:"\[\].]+\.)+[^@\s<>(),;:"\[\].]+$')


def email_problem(value: str) -> str | None:
    """``None`` when ``value`` reads as one e-mail address; otherwise 'length' or 'format'."""
    v = value.strip()
    if len(v) > EMAIL_LENGTH:
        return "length"
    if not _EMAIL_RE.match(v):
        return "format"
    return None
