"""Interface language: the user's choice (kept on the account and in the session), else Chinese."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and services run outside a request: the office's default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_choice = getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    for choice in (request.args.get("lang"), user_choice, session.get("lang")):
        if choice in languages:
            return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["OFFICE_TIMEZONE"]
