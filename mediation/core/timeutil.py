"""Time: UTC in the database, the office's zone on screen and for 'which day did it happen'."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

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
