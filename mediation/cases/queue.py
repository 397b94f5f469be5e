"""The case queue: filters, search and keyset pagination (fast at any depth).

Order: open green-channel cases, other open cases, then finished ones (``queue_tier``), each oldest
first (the oldest case is nearest its deadlines), ties broken by id.  The cursor is the last row's
sort key, so page N costs the same as page 1: an index range scan on ``ix_cases_queue``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import joinedload, selectinload

from mediation.calendar.working import add_working_days
from mediation.cases import search
from mediation.cases.access import visible_cases_clause
from mediation.cases.models import Case, CaseDeadline, Channel
from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from mediation.extensions import db


@dataclass
class QueueFilters:
    q: str = ""
    status: Status | None = None
    dispute_type_id: int | None = None
    street_id: int | None = None
    channel: Channel | None = None
    mediator_id: int | None = None
    green: bool | None = None
    deadline: str | None = None  # "overdue" or "due_soon" (within 2 working days)
    open_only: bool = False
    extra: list = field(default_factory=list)


DEADLINE_FILTERS = ("overdue", "due_soon")


def _among_cases_with(*deadline_clauses):
    """The cases with a deadline that ``deadline_clauses`` select.  The few ids are read first (the partial
    index of open deadlines) and each case looked up by its key: PostgreSQL, asked ``id IN (…)``, misjudges
    how many ids come back and hashes them against a scan of every case, several times slower."""
    if db.session.get_bind().dialect.name == "postgresql":
        ids = sa.select(sa.func.array_agg(CaseDeadline.case_id)).where(*deadline_clauses).scalar_subquery()
        return Case.id == sa.any_(sa.cast(ids, postgresql.ARRAY(sa.Integer)))  # an array, not a sub-select
    return Case.id.in_(sa.select(CaseDeadline.case_id).where(*deadline_clauses))


def next_deadlines(cases: list[Case]) -> dict[int, CaseDeadline]:
    """Each case's earliest deadline not yet met (information left out), for a page of the queue."""
    rows = db.session.scalars(
        sa.select(CaseDeadline).where(CaseDeadline.case_id.in_([c.id for c in cases]),
                                      CaseDeadline.met_on.is_(None), sa.not_(CaseDeadline.info))
        .order_by(CaseDeadline.case_id, CaseDeadline.due_on)).all()
    found: dict[int, CaseDeadline] = {}
    for row in rows:
        found.setdefault(row.case_id, row)
    return found


def encode_cursor(case: Case) -> str:
    return f"{case.queue_tier}.{case.received_on.isoformat()}.{case.id}"


def decode_cursor(cursor: str | None) -> tuple[int, dt.date, int] | None:
    if not cursor:
        return None
    try:
        tier, day, case_id = cursor.split(".")
        return int(tier), dt.date.fromisoformat(day), int(case_id)
    except ValueError:
        return None


def filter_clauses(user, filters: QueueFilters) -> list:
    clauses = [visible_cases_clause(user)]
    if filters.status is not None:
        clauses.append(Case.status == filters.status)
    if filters.open_only:
        clauses.append(Case.queue_tier < 2)
    if filters.dispute_type_id:
        from mediation.reference.models import DisputeType

        children = sa.select(DisputeType.id).where(DisputeType.parent_id == filters.dispute_type_id)
        clauses.append(sa.or_(Case.dispute_type_id == filters.dispute_type_id, Case.dispute_type_id.in_(children)))
    if filters.street_id:
        clauses.append(Case.street_id == filters.street_id)
    if filters.channel is not None:
        clauses.append(Case.channel == filters.channel)
    if filters.mediator_id:
        clauses.append(Case.assigned_mediator_id == filters.mediator_id)
    if filters.green is not None:
        clauses.append(Case.green_channel.is_(filters.green))
    if filters.deadline in DEADLINE_FILTERS:
        today = local_today()
        horizon = today - dt.timedelta(days=1) if filters.deadline == "overdue" else add_working_days(today, 2)
        clauses.append(_among_cases_with(
            CaseDeadline.met_on.is_(None), sa.not_(CaseDeadline.info), CaseDeadline.due_on <= horizon))
    matching = search.matching_cases(filters.q or "")
    if matching is not None:
        # One set of matching case ids (names, phones, numbers: each an index lookup), the cases looked
        # up by id: an OR in the outer query made the database read every case's row to test it.
        clauses.append(Case.id.in_(matching))
    clauses.extend(filters.extra)
    return clauses


def queue_page(user, filters: QueueFilters, after: str | None = None, size: int = 50):
    """One page of cases and the cursor of the next page (``None`` on the last).

    The page's ids are chosen first, on the cases alone, and only those rows are joined to what the page
    shows: a filter whose matches the database misjudges (the deadline filters) would otherwise join
    every match before keeping fifty."""
    order = (Case.queue_tier, Case.received_on, Case.id)
    ids = sa.select(Case.id).where(*filter_clauses(user, filters))
    key = decode_cursor(after)
    if key is not None:
        ids = ids.where(sa.tuple_(*order) > sa.tuple_(*key))
    page = ids.order_by(*order).limit(size + 1).subquery()
    query = (
        sa.select(Case).join(page, page.c.id == Case.id)
        .order_by(*order)
        .options(
            selectinload(Case.workers),
            joinedload(Case.employer),
            joinedload(Case.dispute_type),
            joinedload(Case.street),
            joinedload(Case.assigned_mediator),
            joinedload(Case.agreement),
        )
    )
    rows = db.session.scalars(query).unique().all()
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else None
    return rows[:size], next_cursor


COUNT_CAP = 10_000


def narrowing(clauses) -> list:
    """The clauses without the ``true()`` an unrestricted user's visibility clause is, so that a count
    without filters stays a bare count."""
    return [c for c in clauses if not isinstance(c, sa.sql.elements.True_)]


def count_cases(user, filters: QueueFilters, cap: int = COUNT_CAP) -> int:
    """How many cases match, counted up to ``cap + 1`` (the page then says "more than 10,000").

    Counting every one of 100,000 matching rows costs PostgreSQL a scan of them all on every page;
    nobody reads the difference between 48,113 and 48,114 in a queue.
    """
    matching = sa.select(Case.id).where(*narrowing(filter_clauses(user, filters))).limit(cap + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(matching))
