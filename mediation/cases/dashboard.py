"""The figures at the top of the queue: what is open, what is in the green channel, running campaigns."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from mediation.cases.models import Case
from mediation.cases.queue import narrowing
from mediation.cases.workflow import Status
from mediation.cases.access import visible_cases_clause
from mediation.extensions import db
from mediation.reference.models import Campaign


@dataclass
class QueueStats:
    open: int = 0
    green_open: int = 0
    awaiting_acceptance: int = 0
    in_mediation: int = 0


def queue_stats(user) -> QueueStats:
    """Counts of open cases: four index-only counts in one round trip (a GROUP BY over open cases read
    every row)."""
    visible = visible_cases_clause(user)

    def count(*where):
        return sa.select(sa.func.count()).select_from(Case).where(*narrowing([visible, *where])).scalar_subquery()

    row = db.session.execute(sa.select(
        count(Case.queue_tier < 2), count(Case.queue_tier == 0),
        count(Case.status == Status.RECEIVED), count(Case.status == Status.IN_MEDIATION),
    )).one()
    return QueueStats(open=row[0], green_open=row[1], awaiting_acceptance=row[2], in_mediation=row[3])


def running_campaigns(today: dt.date) -> list[Campaign]:
    return db.session.scalars(
        sa.select(Campaign).where(Campaign.starts_on <= today, Campaign.ends_on >= today)
        .order_by(Campaign.starts_on)
    ).all()
