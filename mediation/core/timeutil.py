"""Time: UTC in the database, the office's zone on screen and for 'which day did it happen'."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar

from flask import current_app, has_app_context


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def office_zone() -> ZoneInfo:
    name = current_app.config["OFFICE_TIMEZONE"] if has_app_context() else "Asia/Shanghai"
    return ZoneInfo(name)


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite returns naive values; they were stored as UTC
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(office_zone())


def local_today() -> dt.date:
    return utcnow().astimezone(office_zone()).date()


def is_working_day(day: dt.date) -> bool:
    """A day offices work, by the State Council's holiday schedule: public holidays are off and the
    weekend days swapped for them (调休) are worked.  Years the schedule is not yet known for (it is
    announced late each year; the ``chinesecalendar`` package carries it): Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (:func:`is_working_day`) after ``start``."""
    current = start
    added = 0
    while added < days:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            added += 1
    return current
