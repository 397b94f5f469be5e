"""The API's writes: noting a token's use, and registering a case from one ledger record."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.api.errors import GENERAL, ApiError
from mediation.auth.models import ApiToken
from mediation.cases.models import Case
from mediation.core.timeutil import utcnow
from mediation.extensions import db

# last_used_at is written at most this often per token: an access record, not an access log, and a
# write per read would make every API read take SQLite's write lock.
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)


def token_use_is_stale(token: ApiToken, now: dt.datetime) -> bool:
    return token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION


def record_token_use(token_id: int, now: dt.datetime | None = None) -> None:
    """Stamp the token's ``last_used_at`` (flushed; the caller commits)."""
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now or utcnow()))
    db.session.flush()


def read_record(record: Mapping[str, Any]):
    """The ledger's own validator (the API and the ledger accept the same cases): ``(row, errors)``."""
    from mediation.ledger import rows

    row, errors = rows.parse_record(record)
    return row, {key: [str(m) for m in messages] for key, messages in errors.items()}


def register_case_from_row(row, actor) -> Case:
    """登记 through the API, as the ledger would import the same record (flushed; the caller commits).

    Raises :class:`ApiError` 409 when the case is already registered (same rule as a ledger re-import).
    """
    from mediation.ledger import rows

    existing = rows.find_existing(row)
    if existing is not None:
        raise duplicate(existing, by_number=bool(getattr(row, "case_no", None)))
    return rows.create_case(row, actor, via="api")


def duplicate(existing: Case, *, by_number: bool) -> ApiError:
    from flask import url_for

    if by_number:
        errors = {"case_no": [_("Case %(no)s already exists.", no=existing.case_no)]}
    else:
        errors = {GENERAL: [_("This case is already registered as %(no)s (same date received, applicant and "
                              "employer).", no=existing.case_no)]}
    return ApiError(409, errors, {"Location": url_for("api.get_case", case_no=existing.case_no)})
