"""The API's writes: noting a token's use, and registering a case from one ledger record."""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, Mapping

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.api.errors import GENERAL, ApiError
from mediation.auth.models import ApiToken, User, hash_secret
from mediation.cases.duplicates import LikelyDuplicate
from mediation.cases.models import Case
from mediation.core.timeutil import utcnow
from mediation.extensions import db
from mediation.ledger import history, rows
from mediation.ledger.references import References

# last_used_at is written at most this often per token: an access record, not an access log.
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)
# How long the stamp may wait for SQLite's write lock before giving up (the request goes on regardless).
STAMP_LOCK_WAIT_MS = 200


def token_owner(raw: str) -> int | None:
    """The id of the active user whose unrevoked token ``raw`` is; stamps the token's ``last_used_at``.

    Runs on a connection of its own and commits at once, before the request's own transaction begins:
    the stamp survives a refused request, and a read never waits behind a long write (a ledger import
    holds SQLite's write lock for minutes) — when the lock is not free quickly the stamp is skipped.
    """
    query = (sa.select(ApiToken.id, ApiToken.user_id, ApiToken.last_used_at)
             .join(User, User.id == ApiToken.user_id)
             .where(ApiToken.token_hash == hash_secret(raw), ApiToken.revoked_at.is_(None), User.active))
    now = utcnow()
    with db.engine.connect() as conn, _short_lock_wait(conn):
        try:
            row = conn.execute(query).first()
        except sa.exc.OperationalError:  # SQLite: a write request could not start its own transaction
            conn.rollback()
            row = db.session.execute(query).first()
            return row.user_id if row else None
        if row is None:
            return None
        if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_RESOLUTION:
            try:
                conn.execute(sa.update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
                conn.commit()  # its own connection and transaction: the stamp outlives a refused request
            except sa.exc.OperationalError:
                conn.rollback()
        return row.user_id


@contextlib.contextmanager
def _short_lock_wait(conn):
    """On SQLite, wait only briefly for the write lock on ``conn`` (set before it begins a transaction)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    dbapi = conn.connection.dbapi_connection
    previous = dbapi.execute("PRAGMA busy_timeout").fetchone()[0]
    dbapi.execute(f"PRAGMA busy_timeout = {STAMP_LOCK_WAIT_MS}")
    try:
        yield
    finally:
        dbapi.execute(f"PRAGMA busy_timeout = {int(previous)}")


def read_record(record: Mapping[str, Any]):
    """The ledger's own validator (the API and the ledger accept the same cases): ``(row, errors)``."""
    row, errors = rows.parse_record(record)
    return row, {key: [str(m) for m in messages] for key, messages in errors.items()}


def register_case_from_row(row, actor, *, confirm_duplicate: bool = False) -> Case:
    """登记 through the API, as the ledger would import the same record (the edge commits).

    Raises :class:`ApiError` 409 when the case is already registered (same rule as a ledger re-import).
    """
    existing = rows.find_existing(row)
    if existing is not None:
        raise duplicate(existing, by_number=bool(getattr(row, "case_no", None)))
    try:
        return history.create_case(row, actor, refs=References(), confirm_duplicate=confirm_duplicate)
    except LikelyDuplicate as exc:
        raise ApiError(409, {"duplicate": [str(exc.message)]},
                       body={"existing": [c.case_no for c in exc.cases]}) from None


def duplicate(existing: Case, *, by_number: bool) -> ApiError:
    from flask import url_for

    if by_number:
        errors = {"case_no": [_("Case %(no)s already exists.", no=existing.case_no)]}
    else:
        errors = {GENERAL: [_("This case is already registered as %(no)s (same date received, applicant and "
                              "employer).", no=existing.case_no)]}
    return ApiError(409, errors, {"Location": url_for("api.get_case", case_no=existing.case_no)})
