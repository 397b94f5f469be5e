"""Working days, and periods counted on them (民法典 Art. 200-204; 民事诉讼法 Art. 85).

A day is a working day by, in order: the office's own entry of the State Council's schedule
(:class:`~mediation.calendar.models.CalendarDay`); the schedule as the ``chinesecalendar`` package publishes
it, for the years it knows; the statutory public holidays (:mod:`.statutory`), for any year; Monday to
Friday.  So a year whose schedule nobody has entered yet still keeps its public holidays off.

A year's days that differ from Monday-to-Friday are worked out once per request or command (``g``).
"""
from __future__ import annotations

import datetime as dt

import chinese_calendar
import sqlalchemy as sa
from flask import g, has_app_context

from mediation.calendar.models import CalendarDay, DayKind
from mediation.calendar.statutory import statutory_holidays
from mediation.extensions import db


def _package_schedule(year: int) -> dict[dt.date, bool]:
    """The schedule ``chinesecalendar`` publishes for ``year`` (empty for a year it does not know)."""
    days = {day: False for day in chinese_calendar.holidays if day.year == year}
    days.update({day: True for day in chinese_calendar.workdays if day.year == year})
    return days


def published_by_package(year: int) -> bool:
    return any(day.year == year for day in chinese_calendar.holidays)


def _office_schedule(year: int) -> dict[dt.date, bool]:
    rows = db.session.execute(sa.select(CalendarDay.day, CalendarDay.kind)
                              .where(CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))))
    return {day: kind == DayKind.WORKDAY for day, kind in rows}


def exceptions(year: int) -> dict[dt.date, bool]:
    """The days of ``year`` whose working or not differs from Monday to Friday: day → working."""
    cache = g.setdefault("_working_calendar", {}) if has_app_context() else {}
    if year not in cache:
        days = {day: False for day in statutory_holidays(year)}
        days.update(_package_schedule(year))
        if has_app_context():
            days.update(_office_schedule(year))
        cache[year] = {day: working for day, working in days.items() if working != (day.weekday() < 5)}
    return cache[year]


def forget() -> None:
    """After a change to the office's schedule: this request or command works the years out again."""
    if has_app_context():
        g.pop("_working_calendar", None)


def is_working_day(day: dt.date) -> bool:
    return exceptions(day.year).get(day, day.weekday() < 5)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start``."""
    current, added = start, 0
    while added < days:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            added += 1
    return current


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_years(day: dt.date, years: int) -> dt.date:
    """The same date ``years`` later; 29 February becomes 1 March where that year has none (Art. 202)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def period_end(start: dt.date, *, days: int = 0, years: int = 0) -> dt.date:
    """The last day of a period of ``days`` days or ``years`` years counted from the day after ``start``
    (Art. 201), moved to the next working day when it falls on a day off (Art. 203)."""
    return next_working_day(add_years(start, years) + dt.timedelta(days=days))
