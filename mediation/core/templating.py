"""Filters and globals for the templates."""
from __future__ import annotations

import datetime as dt
import functools

from flask import Flask, current_app, request
from flask_babel import format_date, format_datetime, get_locale

from mediation.core.masking import mask_id_number, mask_phone
from mediation.core.money import format_wan, format_yuan
from mediation.core.timeutil import local_today


def init_app(app: Flask) -> None:
    app.jinja_env.filters["yuan"] = lambda fen: format_yuan(fen)
    app.jinja_env.filters["wan"] = format_wan
    app.jinja_env.filters["mask_id"] = mask_id_number
    app.jinja_env.filters["mask_phone"] = mask_phone
    app.jinja_env.filters["localdate"] = _localdate
    app.jinja_env.filters["localdatetime"] = _localdatetime
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.before_request
    def forget_cached_locale():
        # Flask-Babel caches the locale in ``g``, which outlives a request when an app context is
        # reused (tests, CLI): each request must choose its own language (?lang=, account, session).
        from flask import g

        g.pop("_flask_babel", None)

    @app.context_processor
    def helpers():
        return {
            "current_locale": str(get_locale() or "zh_CN"),
            "languages": current_app.config["LANGUAGES"],
            "today": local_today(),
            "request_path": request.full_path.rstrip("?") if request else "/",
        }


def _localdate(value: dt.date | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return _formatted_date(value, fmt, str(get_locale()))


@functools.lru_cache(maxsize=4096)
def _formatted_date(value: dt.date, fmt: str, _locale: str) -> str:
    """A date as the language writes it (a list shows the same few dates many times: said once)."""
    return format_date(value, fmt)


def _localdatetime(value: dt.datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    # format_datetime converts to the Babel time zone (the office's) itself.
    return format_datetime(value, fmt)
