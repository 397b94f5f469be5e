"""The figures at the top of the queue: what is open, what is in the green channel, running campaigns."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.core.permissions import visible_cases_clause
from mediation.extensions import db
from mediation.reference.models import Campaign


@dataclass
class QueueStats:
    open: int = 0
    green_open: int = 0
    awaiting_acceptance: int = 0
    in_mediation: int = 0


def queue_stats(user) -> QueueStats:
    """Counts of open cases (one grouped query over the queue index)."""
    rows = db.session.execute(
        sa.select(Case.status, Case.green_channel, sa.func.count(Case.id))
        .where(Case.queue_tier < 2, visible_cases_clause(user))
        .group_by(Case.status, Case.green_channel)
    ).all()
    stats = QueueStats()
    for status, green, count in rows:
        stats.open += count
        if green:
            stats.green_open += count
        if status == Status.RECEIVED:
            stats.awaiting_acceptance += count
        elif status == Status.IN_MEDIATION:
            stats.in_mediation += count
    return stats


def running_campaigns(today: dt.date) -> list[Campaign]:
    return db.session.scalars(
        sa.select(Campaign).where(Campaign.starts_on <= today, Campaign.ends_on >= today)
        .order_by(Campaign.starts_on)
    ).all()
