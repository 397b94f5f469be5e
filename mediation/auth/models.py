"""Users, their sign-in sessions and API tokens."""
from __future__ import annotations

import datetime as dt
import enum
import hashlib

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.audit.labels import label_ids, label_values
from mediation.core.timeutil import utcnow
from mediation.core.types import UTCDateTime, enum_column
from mediation.extensions import db, refers_to


class Role(enum.Enum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    MEDIATOR = "mediator"
    LAWYER = "lawyer"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.MEDIATOR: _l("Mediator"),
    Role.LAWYER: _l("Legal-aid lawyer"),
}


label_values(Role, "role")


def hash_secret(raw: str) -> str:
    """SHA-256 of a high-entropy random secret (tokens, session ids); never for passwords."""
    return hashlib.sha256(raw.encode()).hexdigest()


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(100), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    # Where the daily digest goes (when the office has configured e-mail), and the hash of the secret in
    # this user's calendar-feed URL (none until one is made; a new one replaces it).
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    calendar_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    sessions: Mapped[list[LoginSession]] = relationship(back_populates="user")

    # Set for the request by the user loader or at sign-in: the raw id of this browser's session.
    current_session_token = None  # type: str | None

    # Flask-Login's protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.current_session_token

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


# The timeline shows the person's name for a user's id in these fields.
label_ids(User, "assigned_mediator_id", "mediator_id", "lawyer_id", "recorded_by_id", "created_by_id")

class LoginSession(db.Model):
    """A signed-in browser.  Ending it here signs the browser out, whatever its cookie says."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")

    user: Mapped[User] = relationship(back_populates="sessions")


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # shown in lists so a token can be recognised
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = refers_to(User)
