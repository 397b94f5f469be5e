"""Each person's calendar-feed address: a secret in the URL (``/calendar/<secret>.ics``), so that a phone's
calendar can subscribe without signing in.

As with API tokens, only the secret's SHA-256 is kept (``users.calendar_token_hash``): the address is shown
once, when it is made.  Making a new one replaces the old (which then answers 404); stopping the feed
removes it; disabling the account stops it too (:func:`mediation.auth.services.set_active`).  Each change
is on the admin log, never the secret.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.services import record_admin_event
from mediation.auth.models import User, hash_secret
from mediation.core.errors import Refused
from mediation.extensions import db


def make_feed_address(user: User, actor) -> str:
    """A new secret for ``user``'s feed address, replacing the one before; returns it (shown once)."""
    if not user.active:
        raise Refused(_("%(name)s is disabled.", name=user.username))
    raw = secrets.token_urlsafe(32)
    had_one = user.calendar_token_hash is not None
    user.calendar_token_hash = hash_secret(raw)
    if had_one:
        record_admin_event(actor, "calendar_feed_reset", user)  # that it changed, never to what
    else:
        record_admin_event(actor, "calendar_feed_created", user, {"calendar_feed": [False, True]})
    return raw


def stop_feed(user: User, actor) -> bool:
    """``user``'s feed address stops working; ``False`` if there was none."""
    if user.calendar_token_hash is None:
        return False
    user.calendar_token_hash = None
    record_admin_event(actor, "calendar_feed_stopped", user, {"calendar_feed": [True, False]})
    return True


def feed_owner(raw: str) -> User | None:
    """Whose feed the secret ``raw`` opens: an active user's, else nobody's."""
    if not raw:
        return None
    return db.session.scalar(sa.select(User).where(User.calendar_token_hash == hash_secret(raw),
                                                   User.active.is_(True)))
