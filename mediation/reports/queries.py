"""The summary's SQL: a few grouped queries that never bring a case into Python.

Written to be fast on SQLite without ANALYZE statistics (the default deployment) as well as on PostgreSQL:
- the breakdown dimensions are packed into one integer group key, because SQLite sorts for GROUP BY and
  sorts one integer far faster than several mixed columns;
- for a period covering much of the table, SQLite is told not to walk the date index (a plain scan reads
  each page once, where the index fetches every row separately); for a short period it uses the index.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from mediation.cases.models import Case, Channel
from mediation.cases.workflow import Status
from mediation.extensions import db
from mediation.legal_aid.models import LegalAidReferral
from mediation.recovery.models import Agreement, Payment

CHANNELS = list(Channel)
OUTCOMES = [Status.MEDIATED, Status.FAILED, Status.WITHDRAWN, Status.REJECTED]
# Above this share of the table's date span, scanning the table beats walking an index (SQLite).
SCAN_ABOVE_SHARE = 0.1
_STREET_BITS = 32


class unindexed(FunctionElement):  # noqa: N801  (reads as a SQL function)
    """The column itself; on SQLite written ``+column``, which keeps the planner off its index."""

    name = "unindexed"
    inherit_cache = True

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _plain(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _plus(element, compiler, **kw):
    return "+" + compiler.process(element.clauses, **kw)


@dataclass(frozen=True)
class Scope:
    start: dt.date
    end: dt.date
    wide: bool  # the period covers enough of the data that a table scan is the faster plan

    def within(self, column):
        return (unindexed(column) if self.wide else column).between(self.start, self.end)


def scope_of(start: dt.date, end: dt.date) -> Scope:
    """The period, and whether it is wide compared with the dates the cases span (two index look-ups)."""
    first, last = db.session.execute(sa.select(
        sa.select(sa.func.min(Case.received_on)).scalar_subquery(),
        sa.select(sa.func.max(Case.received_on)).scalar_subquery(),
    )).one()
    if first is None:
        return Scope(start, end, wide=False)
    span = max((last - first).days + 1, 1)
    overlap = (min(end, last) - max(start, first)).days + 1
    return Scope(start, end, wide=overlap / span > SCAN_ABOVE_SHARE)


def _group_key():
    """(dispute type, channel, green channel, street) packed into one BIGINT."""
    channel = sa.case(*((Case.channel == c, i) for i, c in enumerate(CHANNELS)), else_=7)
    green = sa.case((Case.green_channel.is_(True), 1), else_=0)
    high = (sa.cast(Case.dispute_type_id, sa.BigInteger) * 8 + channel) * 2 + green
    return high * (2 ** _STREET_BITS) + sa.func.coalesce(Case.street_id, 0)


def _by_label(labelled):
    """GROUP BY the output column's name (SQLite and PostgreSQL both allow it): written out again, the
    expression's parameters would be fresh placeholders, and SQLite would compute it twice per row."""
    return sa.literal_column(labelled.name)


def _unpack(key: int) -> tuple[int, Channel, bool, int | None]:
    street_id = key & (2 ** _STREET_BITS - 1)
    high = key >> _STREET_BITS
    return high >> 4, CHANNELS[(high >> 1) & 7], bool(high & 1), street_id or None


@dataclass(frozen=True)
class CaseGroup:
    """Cases alike in type, channel, street and green channel, and in what befell them in the period."""

    dispute_type_id: int
    channel: Channel
    green_channel: bool
    street_id: int | None
    received: bool            # received in the period
    outcome: Status | None    # the outcome dated in the period, if any
    cases: int
    workers: int
    claimed_fen: int
    agreed_fen: int  # as signed: an amendment made later changes no past month's report


def case_groups(scope: Scope) -> list[CaseGroup]:
    """One pass over the cases received or decided in the period.

    The two events are flags in the group key rather than conditional sums: SQLite then evaluates each
    date test once per row and sums plainly, which is what keeps a year of cases within the time budget.
    """
    received, decided = scope.within(Case.received_on), scope.within(Case.outcome_on)
    outcome = sa.case(*((Case.outcome == s, i) for i, s in enumerate(OUTCOMES)), else_=7)
    key = (
        _group_key() * 64
        + sa.case((received, 32), else_=0)
        + sa.case((decided, 16 + outcome), else_=0)
    ).label("k")
    rows = db.session.execute(
        sa.select(key, sa.func.count(), sa.func.sum(Case.workers_count), sa.func.sum(Case.claimed_fen),
                  sa.func.coalesce(sa.func.sum(Agreement.agreed_as_signed_fen), 0))
        .select_from(Case).outerjoin(Agreement, Agreement.case_id == Case.id)
        .where(sa.or_(received, decided)).group_by(_by_label(key))
    )
    groups = []
    for k, n, workers, claimed, agreed in rows:
        k = int(k)  # PostgreSQL sums BIGINT as NUMERIC (Decimal); the figures are whole numbers either way
        code = k & 7
        has_outcome = bool(k & 16) and code < len(OUTCOMES)
        groups.append(CaseGroup(*_unpack(k >> 6), received=bool(k & 32),
                                outcome=OUTCOMES[code] if has_outcome else None,
                                cases=int(n), workers=int(workers), claimed_fen=int(claimed),
                                agreed_fen=int(agreed)))
    return groups


def event_figures(scope: Scope) -> dict[str, int]:
    """Decisions, payments and legal aid dated in the period: one statement of scalar subqueries."""
    def count(on, *also):
        # Counting dates is answered from the date index alone, so it keeps the index whatever the period.
        return sa.select(sa.func.count()).where(on.between(scope.start, scope.end), *also).scalar_subquery()

    def total(amount, on, *also):
        return (sa.select(sa.func.coalesce(sa.func.sum(amount), 0)).where(scope.within(on), *also)
                .scalar_subquery())

    row = db.session.execute(sa.select(
        count(Case.accepted_on).label("accepted"),
        count(Case.rejected_on).label("rejected"),
        # Net of reversals: a reversing entry is negative and dated when the payment was reversed, so a
        # period counts a reversal when it was made (the month of the payment keeps it).
        total(Payment.amount_fen, Payment.paid_on).label("recovered"),
        total(-Payment.amount_fen, Payment.paid_on, Payment.reverses_id.is_not(None)).label("recovered_reversed"),
        # A referral reversed as a mistake never happened: it counts in no period.
        count(LegalAidReferral.referred_on, LegalAidReferral.reversed_on.is_(None)).label("legal_aid_referred"),
        count(LegalAidReferral.completed_on, LegalAidReferral.reversed_on.is_(None)).label("legal_aid_completed"),
        total(LegalAidReferral.amount_fen, LegalAidReferral.completed_on,
              LegalAidReferral.reversed_on.is_(None)).label("legal_aid_completed_amount"),
    )).one()
    return {name: int(value) for name, value in row._mapping.items()}


def _days_between(earlier, later):
    """Whole days from one DATE column to another, on SQLite and PostgreSQL alike."""
    if db.session.get_bind().dialect.name == "sqlite":
        return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)
    return sa.cast(later - earlier, sa.Integer)


def green_days_to_close(scope: Scope) -> dict[int, int]:
    """Days to the outcome of the green-channel cases closed in the period (rejections left out), counted
    from receipt or, for a case a supervisor marked later, from the marking; as a histogram."""
    start = sa.func.coalesce(Case.green_channel_marked_on, Case.received_on)
    days = _days_between(start, Case.outcome_on).label("days")
    # For a short period the outcome-date index is the way in, not the index of all green cases.
    green = Case.green_channel if scope.wide else unindexed(Case.green_channel)
    rows = db.session.execute(
        sa.select(days, sa.func.count())
        .where(green.is_(True), scope.within(Case.outcome_on), Case.outcome != Status.REJECTED)
        .group_by(_by_label(days))
    )
    return {int(d): int(n) for d, n in rows}
