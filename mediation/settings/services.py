"""Reading and changing the office's settings; every change is on the admin log.

A setting not yet changed by the office is the configuration's value (``mediation/config.py`` or
``instance/config.py``).  Values are read once per request or command.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from flask_babel import gettext as _

from mediation.audit.services import record_admin_event
from mediation.core.errors import Refused
from mediation.core.money import format_yuan, yuan_to_fen
from mediation.extensions import db
from mediation.settings.models import MinimumWage, Setting

# The settings an administrator may change, each with the configuration key of its default.
SETTINGS = {
    "green_accept_within_working_days": "GREEN_ACCEPT_WITHIN_WORKING_DAYS",
    "green_first_session_days": "GREEN_FIRST_SESSION_DAYS",
    "green_close_days": "GREEN_CLOSE_DAYS",
    "office_name": "OFFICE_NAME",
    "office_name_en": "OFFICE_NAME_EN",
}
NUMBERS = {"green_accept_within_working_days": (1, 10), "green_first_session_days": (1, 30),
           "green_close_days": (1, 90)}


class SettingError(Refused):
    pass


def _stored() -> dict[str, object]:
    cache = g.get("_settings") if has_app_context() else None
    if cache is None:
        cache = dict(db.session.execute(sa.select(Setting.key, Setting.value)).all())
        if has_app_context():
            g._settings = cache
    return cache


def setting(key: str):
    """The office's value of ``key``, else the configuration's."""
    stored = _stored()
    return stored[key] if key in stored else current_app.config[SETTINGS[key]]


def change_setting(actor, key: str, value) -> None:
    """Set one setting (checked), on the admin log with its value before and after."""
    if key not in SETTINGS:
        raise SettingError(_("Unknown setting."))
    if key in NUMBERS:
        low, high = NUMBERS[key]
        if not isinstance(value, int) or not low <= value <= high:
            raise SettingError(_("Enter a whole number from %(low)d to %(high)d.", low=low, high=high), key)
    else:
        value = (value or "").strip()
        if not value or len(value) > 200:
            raise SettingError(_("Enter a name of at most 200 characters."), key)
    before = setting(key)
    if before == value:
        return
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
        db.session.add(row)
    else:
        row.value = value
    g.pop("_settings", None)
    record_admin_event(actor, "setting_changed", row, {key: [before, value]})


def minimum_wages() -> list[MinimumWage]:
    return db.session.scalars(sa.select(MinimumWage).order_by(MinimumWage.from_on.desc())).all()


def minimum_wage_fen_on(day: dt.date) -> int:
    """The local monthly minimum wage in force on ``day`` (the configuration's before any is entered)."""
    cache = g.setdefault("_minimum_wages", None) if has_app_context() else None
    if cache is None:
        cache = [(w.from_on, w.monthly_fen) for w in minimum_wages()]
        if has_app_context():
            g._minimum_wages = cache
    for from_on, fen in cache:  # newest first
        if from_on <= day:
            return fen
    return current_app.config["MONTHLY_MINIMUM_WAGE_FEN"]


def add_minimum_wage(actor, *, from_on: dt.date, monthly: Decimal) -> MinimumWage:
    """A new local minimum wage from ``from_on`` (a date already holding one has it replaced)."""
    fen = yuan_to_fen(monthly)
    if not fen or fen <= 0:
        raise SettingError(_("Enter the monthly minimum wage in yuan."), "monthly")
    wage = db.session.scalar(sa.select(MinimumWage).where(MinimumWage.from_on == from_on))
    before = wage.monthly_fen if wage is not None else None
    if wage is None:
        wage = MinimumWage(from_on=from_on, monthly_fen=fen)
        db.session.add(wage)
    else:
        wage.monthly_fen = fen
    g.pop("_minimum_wages", None)
    record_admin_event(actor, "minimum_wage_set", wage, {
        "from_on": [None, from_on.isoformat()],
        "monthly": [format_yuan(before) if before is not None else None, format_yuan(fen)]})
    return wage


def office_name(lang: str | None = None) -> str:
    """The office's name in ``lang`` ("en" or Chinese), else in the interface's language."""
    if lang is None:
        from flask_babel import get_locale

        locale = get_locale()
        lang = "en" if locale is not None and locale.language == "en" else "zh"
    return setting("office_name_en" if lang == "en" else "office_name")


def init_app(app) -> None:
    """``office_name`` in every template."""
    @app.context_processor
    def office():
        return {"office_name": office_name()}


# --- for the administrator's settings page ---------------------------------------------------------

GREEN_TARGETS = ("green_accept_within_working_days", "green_first_session_days", "green_close_days")


def setting_default(key: str):
    """The configuration's value of ``key``: what the office has until it changes it."""
    return current_app.config[SETTINGS[key]]


def change_settings(actor, values: dict[str, object]) -> list[str]:
    """Several settings from one form, each checked and on the admin log; returns the keys whose value
    changed.  A refusal of one leaves them all unsaved (the edge rolls the transaction back)."""
    changed = []
    try:
        for key, value in values.items():
            before = setting(key)
            change_setting(actor, key, value)
            if setting(key) != before:
                changed.append(key)
    except Refused:
        g.pop("_settings", None)  # it may hold this transaction's changes, about to be rolled back
        raise
    return changed
