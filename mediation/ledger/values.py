"""Reading one ledger cell: text from a CSV, a typed value from an XLSX cell or a JSON body.

Each reader returns the value in the type the app uses, or raises :class:`CellError` with a message in
the interface language.  Empty cells (``None``, blank text) come back as ``None``: whether a column may
be empty is the row's business, not the cell's.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Callable, TypeVar

from flask_babel import gettext as _

from mediation.core import validators as checks
from mediation.core.forms import CREDIT_MESSAGES, ID_MESSAGES, MONEY_MESSAGES, PHONE_MESSAGES
from mediation.core.money import MoneyError, parse_yuan

T = TypeVar("T")

# Offices write 2025-01-05; Excel's CSV export writes 2025/1/5; some add a midnight time.
_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$")
_TRUE = {"yes", "y", "是", "true", "t", "1", "√", "✓"}
_FALSE = {"no", "n", "否", "false", "f", "0", "无", "×"}


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def text(value: object, max_length: int) -> str | None:
    """Plain text (names, notes); numbers are not text here, so a shifted column is caught."""
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise CellError(_("Must be text."))
    value = value.strip()
    if len(value) > max_length:
        raise CellError(_("Too long: at most %(max)d characters.", max=max_length))
    return value


def code_text(value: object, max_length: int) -> str | None:
    """Text that spreadsheets like to turn into numbers (case numbers, phones): ints are accepted."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    return text(value, max_length)


def date(value: object) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):  # an XLSX date cell
        if value.time() != dt.time(0, 0):
            raise CellError(_("Not a date (YYYY-MM-DD): “%(value)s”.", value=_shown(value)))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise CellError(_("Not a date (YYYY-MM-DD): “%(value)s”.", value=_shown(value)))
    match = _DATE_RE.match(value.strip())
    try:
        if match is None:
            raise ValueError
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(_("Not a date (YYYY-MM-DD): “%(value)s”.", value=_shown(value))) from None


def money(value: object) -> Decimal | None:
    """Yuan, at most two decimals, ≥ 0; '12,500.00' and '800元' are fine."""
    if is_blank(value):
        return None
    if isinstance(value, float):
        # An XLSX number or a JSON float: its shortest repr is what the person typed.
        value = Decimal(repr(value)) if value == value and abs(value) != float("inf") else "nan"
    if not isinstance(value, (str, int, Decimal)):
        raise CellError(str(MONEY_MESSAGES["not_a_number"]))
    try:
        return parse_yuan(value)
    except MoneyError as exc:
        raise CellError(str(MONEY_MESSAGES[exc.code])) from None


MAX_WORKERS = 100_000


def count(value: object) -> int | None:
    """A whole number ≥ 1 (workers involved)."""
    if is_blank(value):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, (float, Decimal)):
        try:
            number = int(value) if value == int(value) else None
        except (ValueError, OverflowError):  # NaN, infinity
            number = None
    elif isinstance(value, str) and re.fullmatch(r"\d{1,7}", value.strip().replace(",", "")):
        number = int(value.strip().replace(",", ""))
    if number is None or number < 1:
        raise CellError(_("Not a whole number of at least 1: “%(value)s”.", value=_shown(value)))
    if number > MAX_WORKERS:
        # The database column is a 32-bit integer; no dispute involves more workers than this.
        raise CellError(_("At most %(max)d workers: “%(value)s”.", max=MAX_WORKERS, value=_shown(value)))
    return number


def yes_no(value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise CellError(_("Not yes or no: “%(value)s” (use yes/no, 是/否, true/false, 1/0).", value=_shown(value)))


def id_number(value: object) -> str | None:
    found = code_text(value, 40)
    if found is None:
        return None
    problem = checks.id_number_problem(found)
    if problem:
        raise CellError(str(ID_MESSAGES[problem]))
    return checks.normalise_id_number(found)


def credit_code(value: object) -> str | None:
    found = code_text(value, 40)
    if found is None:
        return None
    problem = checks.credit_code_problem(found)
    if problem:
        raise CellError(str(CREDIT_MESSAGES[problem]))
    return checks.normalise_credit_code(found)


def phone(value: object) -> str | None:
    found = code_text(value, 40)
    if found is None:
        return None
    if checks.phone_problem(found):
        raise CellError(str(PHONE_MESSAGES["format"]))
    return checks.normalise_phone(found)


def choice(value: object, words: dict[str, T], unknown: Callable[[str], str]) -> T | None:
    """One of a fixed list, by English code or Chinese word (case and spaces ignored)."""
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise CellError(unknown(_shown(value)))
    found = words.get(value.strip().lower().replace(" ", ""))
    if found is None:
        raise CellError(unknown(_shown(value.strip())))
    return found
