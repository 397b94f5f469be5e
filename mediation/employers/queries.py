"""What the employer pages read: an employer's figures and cases, and the employers by number of cases.

Every figure is one grouped query over the employer's cases (``cases.employer_id`` is indexed); the
amounts are the cases' own: claimed (``claimed_fen``), agreed (the agreement's, ``Case.agreed_fen``),
recovered (``recovered_fen``), and still unpaid (agreed less recovered, on each case with an agreement).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from mediation.cases import search
from mediation.cases.models import Case, Employer, Worker
from mediation.extensions import db
from mediation.reference.models import DisputeType

CASES_PAGE = 50
EMPLOYERS_PAGE = 50
SORTS = ("cases", "recent", "name")


def repeat_window_start(today: dt.date) -> dt.date:
    """The first day of "the last 12 months": the same date a year back (29 February: 1 March)."""
    try:
        return today.replace(year=today.year - 1) + dt.timedelta(days=1)
    except ValueError:
        return dt.date(today.year - 1, 3, 1)


@dataclass
class TypeCount:
    dispute_type: DisputeType
    cases: int
    recent: int


@dataclass
class EmployerFigures:
    cases: int = 0
    open: int = 0
    claimed_fen: int = 0
    agreed_fen: int = 0
    recovered_fen: int = 0
    unpaid_fen: int = 0
    recent_cases: int = 0       # received in the last 12 months
    recent_workers: int = 0     # distinct workers of those cases
    since: dt.date | None = None
    by_type: list[TypeCount] = field(default_factory=list)


def employer_figures(employer: Employer, today: dt.date) -> EmployerFigures:
    since = repeat_window_start(today)
    # Each case's agreed amount read once (MATERIALIZED): merged into the sums, the agreement would be
    # looked up once for every sum that names it.
    cases = (sa.select(Case.dispute_type_id, Case.queue_tier, Case.received_on, Case.claimed_fen,
                       Case.recovered_fen, Case.agreed_fen.label("agreed"))
             .where(Case.employer_id == employer.id).cte("employer_cases").prefix_with("MATERIALIZED"))
    unpaid = sa.case((cases.c.agreed > cases.c.recovered_fen, cases.c.agreed - cases.c.recovered_fen), else_=0)
    rows = db.session.execute(
        sa.select(cases.c.dispute_type_id, sa.func.count(),
                  sa.func.sum(sa.case((cases.c.queue_tier < 2, 1), else_=0)),
                  sa.func.sum(sa.case((cases.c.received_on >= since, 1), else_=0)),
                  sa.func.sum(cases.c.claimed_fen), sa.func.sum(cases.c.agreed), sa.func.sum(cases.c.recovered_fen),
                  sa.func.sum(unpaid))
        .group_by(cases.c.dispute_type_id)).all()
    figures = EmployerFigures(since=since)
    types = {t.id: t for t in db.session.scalars(
        sa.select(DisputeType).where(DisputeType.id.in_([r[0] for r in rows])))}
    for type_id, *sums in rows:
        count, open_, recent, claimed, agreed_sum, recovered, unpaid_sum = (int(n or 0) for n in sums)
        figures.cases += count
        figures.open += open_
        figures.recent_cases += recent
        figures.claimed_fen += claimed
        figures.agreed_fen += agreed_sum
        figures.recovered_fen += recovered
        figures.unpaid_fen += unpaid_sum
        figures.by_type.append(TypeCount(types[type_id], count, recent))
    figures.by_type.sort(key=lambda t: (-t.cases, t.dispute_type.sort_order, t.dispute_type.id))
    # A worker is one person across cases: by ID number where there is one, else by name.
    figures.recent_workers = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(sa.func.coalesce(Worker.id_number, Worker.name))))
        .join(Case, Case.id == Worker.case_id)
        .where(Case.employer_id == employer.id, Case.received_on >= since, Worker.removed_on.is_(None))) or 0
    return figures


def encode_cursor(case: Case) -> str:
    return f"{case.received_on.isoformat()}.{case.id}"


def decode_cursor(cursor: str | None) -> tuple[dt.date, int] | None:
    try:
        day, case_id = (cursor or "").split(".")
        return dt.date.fromisoformat(day), int(case_id)
    except ValueError:
        return None


def employer_cases(employer: Employer, after: str | None = None, size: int = CASES_PAGE):
    """A page of the employer's cases, newest first, and the cursor of the next page (``None`` on the last)."""
    order = (Case.received_on.desc(), Case.id.desc())
    ids = sa.select(Case.id).where(Case.employer_id == employer.id)
    key = decode_cursor(after)
    if key is not None:
        ids = ids.where(sa.tuple_(Case.received_on, Case.id) < sa.tuple_(*key))
    # The page's ids chosen on the narrow rows, and only those cases read whole.
    page = ids.order_by(*order).limit(size + 1).subquery()
    rows = db.session.scalars(
        sa.select(Case).join(page, page.c.id == Case.id).order_by(*order)
        .options(selectinload(Case.workers), joinedload(Case.agreement), joinedload(Case.dispute_type))
    ).unique().all()
    return rows[:size], (encode_cursor(rows[size - 1]) if len(rows) > size else None)


@dataclass
class EmployerRow:
    employer: Employer
    cases: int
    open: int
    recent: int
    last_received: dt.date | None


def employer_list(q: str, sort: str, page: int, today: dt.date, size: int = EMPLOYERS_PAGE):
    """A page of employers with their numbers of cases (all, open, in the last 12 months), most cases
    first (``sort`` 'cases'), most in the last 12 months first ('recent'), or by name; and whether a next
    page follows.  ``q`` keeps the employers it finds (name, credit code, contact phone).

    Ordered by cases, the list holds the employers with cases (in the last 12 months for 'recent'); by
    name, every employer.  Counting the cases of every employer reads the index on (``employer_id``,
    ``received_on``) whole, not the cases (100,000 cases: see benchmarks/bench_search.py)."""
    since = repeat_window_start(today)
    recent = sa.func.count(Case.id).filter(Case.received_on >= since)
    matching = search.matching_employers(q) if q else None
    if sort in ("cases", "recent"):
        counted = sa.select(Case.employer_id)
        if sort == "recent":
            counted = counted.where(Case.received_on >= since)
        if matching is not None:
            counted = counted.where(Case.employer_id.in_(matching))
        counted = counted.subquery()  # read from the index on (employer_id, received_on) alone
        n = sa.func.count()
        ids = db.session.execute(
            sa.select(counted.c.employer_id).group_by(counted.c.employer_id)
            .order_by(n.desc(), counted.c.employer_id).offset((page - 1) * size).limit(size + 1)).scalars().all()
    else:
        query = sa.select(Employer.id).order_by(Employer.name, Employer.id)
        if matching is not None:
            query = query.where(Employer.id.in_(matching))
        ids = db.session.scalars(query.offset((page - 1) * size).limit(size + 1)).all()
    more, ids = len(ids) > size, ids[:size]
    employers = {e.id: e for e in db.session.scalars(sa.select(Employer).where(Employer.id.in_(ids)))}
    counts = {row[0]: row[1:] for row in db.session.execute(
        sa.select(Case.employer_id, sa.func.count(Case.id), sa.func.count(Case.id).filter(Case.queue_tier < 2),
                  recent, sa.func.max(Case.received_on))
        .where(Case.employer_id.in_(ids)).group_by(Case.employer_id))}
    rows = [EmployerRow(employers[i], *counts.get(i, (0, 0, 0, None))) for i in ids]
    return rows, more
