"""Who is calling the API: a Bearer token (CONTRACTS §4) or a signed-in browser session.

Writes from a browser session must carry the session's CSRF token in an ``X-CSRFToken`` header: the
blueprint is exempt from form CSRF checks, and a cookie alone must never be enough to change anything.
Scripts use a Bearer token, which a foreign page cannot make a browser send.
"""
from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from mediation.api import services
from mediation.api.errors import forbidden, unauthorized
from mediation.auth.models import User
from mediation.auth.permissions import can
from mediation.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authenticate() -> User:
    """The calling user, remembered on ``g.api_user``; raises a 401 :class:`ApiError` when there is none."""
    header = request.headers.get("Authorization")
    if header is not None:
        user = _token_user(header)
    else:
        user = current_user._get_current_object() if current_user.is_authenticated and current_user.is_active \
            else None
        if user is not None and request.method not in SAFE_METHODS:
            _check_csrf_header()
    if user is None:
        raise unauthorized()
    g.api_user = user
    return user


def api_user() -> User:
    return g.api_user


def _token_user(header: str) -> User:
    scheme, _sep, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw or len(raw) > 200:
        raise unauthorized(_("Send the API token as: Authorization: Bearer TOKEN."), invalid_token=True)
    user_id = services.token_owner(raw)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:
        raise unauthorized(_("This API token is not valid (unknown, revoked, or its user is disabled)."),
                           invalid_token=True)
    return user


def _check_csrf_header() -> None:
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except ValidationError:
        raise forbidden(_("A signed-in browser must send its CSRF token in the X-CSRFToken header to change "
                          "anything; scripts should use an API token instead.")) from None


def require_permission(permission: str):
    """View decorator: 403 unless the API caller's role has ``permission`` (after :func:`authenticate`)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(api_user(), permission):
                raise forbidden()
            return view(*args, **kwargs)
        return wrapped
    return decorator
