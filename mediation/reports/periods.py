"""Report periods: a month ('2025-03'), quarter ('2025-Q1'), half-year ('2025-H1'), year ('2025') or range.

Both ends are inclusive.  Bad input raises :class:`PeriodError` with a message in the user's language.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import gettext as _

FIRST_YEAR, LAST_YEAR = 1900, 2100
KINDS = ("month", "quarter", "half", "year", "range")

_CODE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>\d)|[Hh](?P<half>\d)))?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PeriodError(ValueError):
    """A period that cannot be understood; ``message`` is ready to show the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # the picker's field at fault: kind, year, month, quarter, half, start, end


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str = "range"

    @property
    def code(self) -> str:
        """The short form that :func:`parse_period` reads back ('2025-03', '2025-Q1', …)."""
        year = self.start.year
        if self.kind == "month":
            return f"{year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{year}-H{1 if self.start.month == 1 else 2}"
        if self.kind == "year":
            return str(year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """The period as a reader names it, in the interface language."""
        year = self.start.year
        if self.kind == "month":
            return format_skeleton("yMMMM", self.start, locale=get_locale() or "zh_CN")
        if self.kind == "quarter":
            return _("Q%(quarter)d %(year)d", quarter=(self.start.month - 1) // 3 + 1, year=year)
        if self.kind == "half":
            if self.start.month == 1:
                return _("First half of %(year)d", year=year)
            return _("Second half of %(year)d", year=year)
        if self.kind == "year":
            return _("Year %(year)d", year=year)
        return _("%(start)s to %(end)s", start=self.start.isoformat(), end=self.end.isoformat())

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("The year must be between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR), "year")


def month(year: int, number: int) -> Period:
    _check_year(year)
    if not 1 <= number <= 12:
        raise PeriodError(_("A month is numbered 1 to 12."), "month")
    last = calendar.monthrange(year, number)[1]
    return Period(dt.date(year, number, 1), dt.date(year, number, last), "month")


def quarter(year: int, number: int) -> Period:
    _check_year(year)
    if not 1 <= number <= 4:
        raise PeriodError(_("A quarter is numbered 1 to 4."), "quarter")
    first_month = 3 * (number - 1) + 1
    return Period(dt.date(year, first_month, 1), month(year, first_month + 2).end, "quarter")


def half_year(year: int, number: int) -> Period:
    _check_year(year)
    if number not in (1, 2):
        raise PeriodError(_("A half-year is H1 or H2."), "half")
    return (Period(dt.date(year, 1, 1), dt.date(year, 6, 30), "half") if number == 1
            else Period(dt.date(year, 7, 1), dt.date(year, 12, 31), "half"))


def year(number: int) -> Period:
    _check_year(number)
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31), "year")


def parse_period(text: str) -> Period:
    """'2025-03', '2025-Q1', '2025-H1' or '2025'."""
    match = _CODE.match((text or "").strip())
    if not match:
        raise PeriodError(_(
            "Give the period as 2025-03 (month), 2025-Q1 (quarter), 2025-H1 (half-year) or 2025 (year)."
        ), "kind")
    number = int(match["year"])
    if match["month"]:
        return month(number, int(match["month"]))
    if match["quarter"]:
        return quarter(number, int(match["quarter"]))
    if match["half"]:
        return half_year(number, int(match["half"]))
    return year(number)


def parse_date(text: str | None, which: str = "start") -> dt.date:
    """A YYYY-MM-DD date; ``which`` ('start' or 'end') chooses the message naming the field."""
    value = (text or "").strip()
    if not value:
        raise PeriodError(_("The start date is missing (YYYY-MM-DD).") if which == "start"
                          else _("The end date is missing (YYYY-MM-DD)."), which)
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise PeriodError(
            _("The start date “%(value)s” is not a date (YYYY-MM-DD).", value=value) if which == "start"
            else _("The end date “%(value)s” is not a date (YYYY-MM-DD).", value=value), which
        ) from None
    try:
        _check_year(day.year)
    except PeriodError as error:
        raise PeriodError(error.message, which) from None
    return day


def date_range(start: dt.date, end: dt.date) -> Period:
    if start > end:
        raise PeriodError(_("The start date %(start)s is after the end date %(end)s.",
                            start=start.isoformat(), end=end.isoformat()), "end")
    return Period(start, end, "range")


def period_from_dates(start_text: str | None, end_text: str | None) -> Period:
    return date_range(parse_date(start_text, "start"), parse_date(end_text, "end"))


def month_of(day: dt.date) -> Period:
    return month(day.year, day.month)
