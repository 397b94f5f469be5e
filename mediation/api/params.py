"""Query parameters of the API's GET operations, checked strictly: a typo in a filter is an error that names
the parameter, never a silently unfiltered answer.  A filter given empty (``status=``) means 'any', as in
the web queue's form."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Mapping

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.api.errors import ApiError
from mediation.cases.models import Channel
from mediation.cases.queue import QueueFilters
from mediation.cases.workflow import Status
from mediation.clocks.worklist import DEFAULT_WITHIN, decode_cursor
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_QUERY_LENGTH = 100
# Parameters any page may carry: the interface language (mediation.core.i18n).
COMMON_PARAMS = frozenset({"lang"})
LIST_PARAMS = frozenset({"status", "green_channel", "page_after", "limit", "dispute_type", "street", "channel", "q"})
SUMMARY_PARAMS = frozenset({"from", "to"})
WORKLIST_PARAMS = frozenset({"within", "page_after", "limit"})
MAX_WITHIN = 60  # working days
WORKLIST_DEFAULT_LIMIT = 100
WORKLIST_CURSOR_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\.[0-9]{1,18}\.[a-z_]{1,30}\.[0-9]{1,6}$"
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
STATUS_CHOICES = [s.value for s in Status] + ["open"]
CURSOR_PATTERN = r"^[0-2]\.[0-9]{4}-[0-9]{2}-[0-9]{2}\.[0-9]{1,18}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


@dataclass
class CasePage:
    filters: QueueFilters
    after: str | None
    limit: int


class _Errors(dict):
    def add(self, name: str, message) -> None:
        self.setdefault(name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self:
            raise ApiError(400, dict(self))


def _unknown(args: Mapping[str, str], known: frozenset[str], errors: _Errors) -> None:
    for name in args:
        if name not in known and name not in COMMON_PARAMS:
            errors.add(name, _("Unknown parameter."))


def _clean_text(value: str) -> bool:
    return "\x00" not in value


def case_page(args: Mapping[str, str]) -> CasePage:
    """The filters, cursor and page size of ``GET /api/v1/cases``; raises a 400 naming each bad parameter."""
    errors = _Errors()
    _unknown(args, LIST_PARAMS, errors)
    filters = QueueFilters()

    status = args.get("status")
    if status:
        if status == "open":
            filters.open_only = True
        elif status in {s.value for s in Status}:
            filters.status = Status(status)
        else:
            errors.add("status", _("Must be one of: %(choices)s.", choices=", ".join(STATUS_CHOICES)))

    green = args.get("green_channel")
    if green:
        if green in BOOLEANS:
            filters.green = BOOLEANS[green]
        else:
            errors.add("green_channel", _("Must be true or false."))

    channel = args.get("channel")
    if channel:
        if channel in {c.value for c in Channel}:
            filters.channel = Channel(channel)
        else:
            errors.add("channel", _("Must be one of: %(choices)s.", choices=", ".join(c.value for c in Channel)))

    code = args.get("dispute_type")
    if code:
        found = db.session.scalar(sa.select(DisputeType.id).where(DisputeType.code == code)) \
            if _clean_text(code) and len(code) <= 40 else None
        if found is None:
            errors.add("dispute_type", _("Unknown dispute type code."))
        filters.dispute_type_id = found

    street = args.get("street")
    if street:
        found = db.session.scalar(sa.select(Street.id).where(Street.name == street)) \
            if _clean_text(street) and len(street) <= 100 else None
        if found is None:
            errors.add("street", _("Unknown street."))
        filters.street_id = found

    q = args.get("q", "")
    if len(q) > MAX_QUERY_LENGTH:
        errors.add("q", _("Too long: at most %(n)d characters.", n=MAX_QUERY_LENGTH))
    elif not _clean_text(q):
        errors.add("q", _("Contains characters that are not allowed."))
    else:
        filters.q = q

    after = args.get("page_after") or None
    if after is not None and not _valid_cursor(after):
        errors.add("page_after", _("Not a cursor from a previous page (next_page_after)."))

    limit = DEFAULT_LIMIT
    raw_limit = args.get("limit")
    if raw_limit is not None:
        if raw_limit.isascii() and raw_limit.isdigit() and 1 <= int(raw_limit) <= MAX_LIMIT:
            limit = int(raw_limit)
        else:
            errors.add("limit", _("Must be a whole number from 1 to %(max)d.", max=MAX_LIMIT))

    errors.raise_if_any()
    return CasePage(filters=filters, after=after, limit=limit)


@dataclass
class WorklistPage:
    within: int
    after: str | None
    limit: int


def worklist_page(args: Mapping[str, str]) -> WorklistPage:
    """``within`` (working days), cursor and page size of ``GET /api/v1/worklist``; raises a 400 naming each
    bad parameter."""
    errors = _Errors()
    _unknown(args, WORKLIST_PARAMS, errors)
    within = _whole_number(args, "within", 0, MAX_WITHIN, DEFAULT_WITHIN, errors)
    limit = _whole_number(args, "limit", 1, MAX_LIMIT, WORKLIST_DEFAULT_LIMIT, errors)
    after = args.get("page_after") or None
    if after is not None and not (re.fullmatch(WORKLIST_CURSOR_PATTERN, after) and decode_cursor(after)):
        errors.add("page_after", _("Not a cursor from a previous page (next)."))
    errors.raise_if_any()
    return WorklistPage(within=within, after=after, limit=limit)


def _whole_number(args: Mapping[str, str], name: str, low: int, high: int, default: int, errors: _Errors) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
    errors.add(name, _("Must be a whole number from %(min)d to %(max)d.", min=low, max=high))
    return default


def _valid_cursor(cursor: str) -> bool:
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        return False
    try:
        dt.date.fromisoformat(cursor.split(".")[1])
    except ValueError:
        return False
    return True


def summary_period(args: Mapping[str, str]) -> tuple[dt.date, dt.date]:
    """``from`` and ``to`` of ``GET /api/v1/reports/summary``; raises a 400 naming each bad parameter."""
    errors = _Errors()
    _unknown(args, SUMMARY_PARAMS, errors)
    days = {}
    for name in ("from", "to"):
        value = args.get(name, "")
        day = _parse_day(value)
        if not value:
            errors.add(name, _("Required (YYYY-MM-DD)."))
        elif day is None:
            errors.add(name, _("Not a date (YYYY-MM-DD)."))
        elif not EARLIEST <= day <= LATEST:
            errors.add(name, _("Must be between %(first)s and %(last)s.", first=EARLIEST.isoformat(),
                               last=LATEST.isoformat()))
        else:
            days[name] = day
    if len(days) == 2 and days["from"] > days["to"]:
        errors.add("to", _("Must not be before “from”."))
    errors.raise_if_any()
    return days["from"], days["to"]


def _parse_day(value: str) -> dt.date | None:
    if not re.fullmatch(DATE_PATTERN, value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
