"""Likely duplicates: the same worker's dispute registered twice inflates every report's "received".

At intake (web, API, online application) a case that likely repeats one on record is refused unless the
user confirms it (the timeline then says so); the ledger check lists them.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.services import record_event
from mediation.cases.models import Case, Employer, Worker
from mediation.cases.workflow import TransitionError
from mediation.extensions import db

# -- likely duplicates --------------------------------------------------------------------------------------

DUPLICATE_WINDOW_DAYS = 30


class LikelyDuplicate(TransitionError):
    """Registering would likely repeat a case already on record (``cases``); the user may confirm."""

    status = 409

    def __init__(self, cases: list[Case]):
        numbers = "、".join(c.case_no for c in cases)
        super().__init__(_("This looks like a case already registered: %(numbers)s (an open case of the same "
                           "worker ID number, or the same worker and employer within %(days)d days). Check it; "
                           "register anyway only if it is a different dispute.",
                           numbers=numbers, days=DUPLICATE_WINDOW_DAYS), "duplicate")
        self.cases = cases


def likely_duplicates(*, received_on: dt.date, workers: list, employer,
                      exclude: Case | None = None, limit: int = 10) -> list[Case]:
    """Cases that a new application likely repeats: an open case of a worker with the same ID number, or
    a case of a worker of the same name against the same employer received within 30 days."""
    ids = sorted({w.id_number for w in workers if w.id_number})
    names = sorted({w.name.strip() for w in workers if w.name and w.name.strip()})
    live_worker = sa.and_(Worker.case_id == Case.id, Worker.removed_on.is_(None))
    conditions = []
    if ids:
        conditions.append(sa.and_(Case.queue_tier < 2, sa.exists().where(live_worker, Worker.id_number.in_(ids))))
    if names:
        if isinstance(employer, Employer):
            same_employer = Case.employer_id == employer.id if employer.id is not None else sa.false()
        else:
            match = [Employer.name == (employer.name or "").strip()]
            if employer.credit_code:
                match.append(Employer.credit_code == employer.credit_code)
            same_employer = Case.employer_id.in_(sa.select(Employer.id).where(sa.or_(*match)))
        window = dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
        conditions.append(sa.and_(
            same_employer, Case.received_on.between(received_on - window, received_on + window),
            sa.exists().where(live_worker, Worker.name.in_(names))))
    if not conditions:
        return []
    query = sa.select(Case).where(sa.or_(*conditions))
    if exclude is not None and exclude.id is not None:
        query = query.where(Case.id != exclude.id)
    return list(db.session.scalars(query.order_by(Case.received_on.desc(), Case.id.desc()).limit(limit)))


def record_duplicate_confirmed(case: Case, actor, duplicates: list[Case]) -> None:
    """The user registered the case although it looked like these: the timeline says so."""
    record_event(case, actor, "duplicate_confirmed",
                 {"duplicates": [None, [c.case_no for c in duplicates]]}, effective_on=case.received_on)

