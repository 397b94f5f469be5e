"""Accounts: creating users, signing in and out, API tokens."""
from __future__ import annotations

import functools
import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from mediation.audit.services import diff, record_admin_event
from mediation.auth.models import ApiToken, LoginSession, Role, User, hash_secret
from mediation.core.errors import Refused
from mediation.core.timeutil import utcnow
from mediation.core.validators import email_problem
from mediation.extensions import db

MIN_PASSWORD_LENGTH = 8


@functools.cache
def _hasher_for(params: tuple) -> tuple[PasswordHasher, str]:
    """The argon2 hasher for these parameters, and a hash to verify against when the username is
    unknown (so that sign-in takes the same time either way)."""
    hasher = PasswordHasher(**dict(params))
    return hasher, hasher.hash("not a password")


def _hasher() -> PasswordHasher:
    return _hasher_for(_params())[0]


def _params() -> tuple:
    # argon2's own defaults unless PASSWORD_HASH_PARAMS says otherwise (the test configuration
    # uses a cheap setting: a signed-in user per test must not cost 180 ms of hashing).
    return tuple(sorted((current_app.config.get("PASSWORD_HASH_PARAMS") or {}).items()))


class AccountError(Refused):
    """An account change refused (a name taken, a password too short …)."""


def password_problem(password: str) -> str | None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    return None


def _user_fields(user: User) -> dict:
    return {"username": user.username, "display_name": user.display_name, "role": user.role.value,
            "active": user.active, "email": user.email}


def _checked_email(email: str | None) -> str:
    """The address for the daily digest, stripped; empty for none."""
    email = (email or "").strip()
    if email and email_problem(email):
        raise AccountError(_("Enter one e-mail address, e.g. zhang@example.cn."), "email")
    return email


def create_user(username: str, password: str, role: Role, display_name: str = "", *, actor,
                email: str = "") -> User:
    """A new account; ``actor`` is who creates it (``None``: the first administrator, or a command)."""
    username = (username or "").strip()
    if not username:
        raise AccountError(_("A username is required."), "username")
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise AccountError(_("The username “%(name)s” is already taken.", name=username), "username")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, "password")
    user = User(username=username, role=role, display_name=(display_name or "").strip(), active=True,
                email=_checked_email(email), password_hash=_hasher().hash(password))
    db.session.add(user)
    record_admin_event(actor, "user_created", user, {k: [None, v] for k, v in _user_fields(user).items()})
    return user


def change_user(user: User, actor, *, role: Role, display_name: str, email: str | None = None) -> User:
    """Change an account's role, display name or e-mail address (``None``: the address stays)."""
    if actor is not None and user.id == getattr(actor, "id", None) and role != user.role:
        raise AccountError(_("You cannot change your own role."), "role")
    before = _user_fields(user)
    user.role, user.display_name = role, (display_name or "").strip()
    if email is not None:
        user.email = _checked_email(email)
    changes = diff(before, _user_fields(user))
    if changes:
        record_admin_event(actor, "user_changed", user, changes)
    return user


def set_password(user: User, actor, *, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = _hasher().hash(password)
    record_admin_event(actor, "password_set", user)  # the log says that it changed, never what to


def check_credentials(username: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    hasher, dummy_hash = _hasher_for(_params())
    try:
        hasher.verify(user.password_hash if user else dummy_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def start_session(user: User, user_agent: str = "") -> str:
    """Record a new signed-in browser; returns the raw session id for the (signed) cookie."""
    raw = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, token_hash=hash_secret(raw), user_agent=user_agent[:255]))
    user.current_session_token = raw
    return raw


def session_user(raw: str) -> User | None:
    row = db.session.scalar(
        sa.select(LoginSession).where(LoginSession.token_hash == hash_secret(raw),
                                      LoginSession.ended_at.is_(None))
    )
    if row is None or not row.user.active:
        return None
    row.user.current_session_token = raw
    return row.user


def end_session(raw: str | None) -> None:
    if not raw:
        return
    db.session.execute(
        sa.update(LoginSession).where(LoginSession.token_hash == hash_secret(raw),
                                      LoginSession.ended_at.is_(None)).values(ended_at=utcnow())
    )


def set_active(user: User, actor, *, active: bool) -> None:
    """Disable (or re-enable) an account; disabling ends all its sessions, revokes its tokens and stops its
    calendar feed."""
    if not active and actor is not None and user.id == getattr(actor, "id", None):
        raise AccountError(_("You cannot disable your own account."))
    if user.active == active:
        return
    user.active = active
    revoked = 0
    if not active:
        now = utcnow()
        db.session.execute(sa.update(LoginSession).where(LoginSession.user_id == user.id,
                                                         LoginSession.ended_at.is_(None)).values(ended_at=now))
        revoked = db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id,
                                                               ApiToken.revoked_at.is_(None))
                                     .values(revoked_at=now)).rowcount
    changes = {"active": [not active, active]}
    if revoked:
        changes["tokens_revoked"] = [None, revoked]
    if not active and user.calendar_token_hash is not None:
        user.calendar_token_hash = None
        changes["calendar_feed"] = [True, False]
    record_admin_event(actor, "user_enabled" if active else "user_disabled", user, changes)


def issue_token(user: User, actor) -> str:
    """A new API token for ``user``; only its hash is stored, so the caller shows it once."""
    if not user.active:
        raise AccountError(_("%(name)s is disabled.", name=user.username))
    raw = "med_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, token_hash=hash_secret(raw), prefix=raw[:12])
    db.session.add(token)
    record_admin_event(actor, "token_issued", user, {"token": [None, token.prefix]})
    return raw


def revoke_token(token: ApiToken, actor) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    record_admin_event(actor, "token_revoked", token.user, {"token": [token.prefix, None]})


def token_user(raw: str) -> User | None:
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_secret(raw), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.active:
        return None
    return token.user


def any_user_exists() -> bool:
    return db.session.scalar(sa.select(User.id).limit(1)) is not None
