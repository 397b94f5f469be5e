"""When the demo's cases arrive and how far each has got: a plan per case, before anything is written.

Intake follows the office's year: fewer cases at weekends and in the National Day week, more in the
weeks before the Spring Festival, and most during the green-channel drive.  How far a case has got
depends on its age, so the oldest are mostly closed and the newest still waiting to be accepted.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from mediation.cases.workflow import Status

S = Status
# Days since receipt → weights of the status the case has reached by today.
STATUS_BY_AGE = [
    (2, {S.RECEIVED: 45, S.ACCEPTED: 25, S.IN_MEDIATION: 15, S.REJECTED: 8, S.WITHDRAWN: 7}),
    (14, {S.RECEIVED: 3, S.ACCEPTED: 10, S.IN_MEDIATION: 45, S.MEDIATED: 22, S.FAILED: 6, S.WITHDRAWN: 8,
          S.REJECTED: 6}),
    (45, {S.IN_MEDIATION: 8, S.MEDIATED: 35, S.FAILED: 17, S.WITHDRAWN: 8, S.REJECTED: 5, S.CLOSED: 27}),
    (10_000, {S.MEDIATED: 10, S.FAILED: 3, S.WITHDRAWN: 1, S.REJECTED: 5, S.CLOSED: 81}),
]
CLOSED_FROM = {S.MEDIATED: 65, S.FAILED: 22, S.WITHDRAWN: 13}
# Where a case must have been received to plausibly stand at a status today (days ago: from, to).
PLAUSIBLE_AGE = {
    S.RECEIVED: (0, 1), S.ACCEPTED: (1, 3), S.IN_MEDIATION: (4, 10), S.MEDIATED: (20, 40),
    S.FAILED: (20, 40), S.WITHDRAWN: (10, 30), S.REJECTED: (5, 30), S.CLOSED: (60, 200),
}


@dataclass
class CasePlan:
    received_on: dt.date
    status: Status
    closed_from: Status | None = None

    @property
    def outcome(self) -> Status:
        """The status the case's mediation ended in (or will be in, for open cases)."""
        return self.closed_from or self.status


def intake_weight(day: dt.date, campaigns: list[tuple[dt.date, dt.date]]) -> float:
    weight = {5: 0.3, 6: 0.15}.get(day.weekday(), 1.0)
    if day.month == 10 and day.day <= 7:
        weight *= 0.2  # National Day holiday week
    for starts_on, ends_on in campaigns:
        if starts_on <= day <= ends_on:
            weight *= 2.2
        elif starts_on - dt.timedelta(days=30) <= day < starts_on:
            weight *= 1.4  # arrears pile up as the year's end nears
    return weight


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _status_for_age(rng: random.Random, age: int) -> Status:
    for limit, weights in STATUS_BY_AGE:
        if age <= limit:
            return _weighted(rng, weights)
    raise AssertionError("unreachable")  # pragma: no cover


def plan_cases(rng: random.Random, count: int, today: dt.date, window_days: int,
               campaigns: list[tuple[dt.date, dt.date]]) -> list[CasePlan]:
    """``count`` plans, oldest first, with every status present whenever there are enough cases."""
    days = [today - dt.timedelta(days=n) for n in range(window_days, -1, -1)]
    dates = rng.choices(days, weights=[intake_weight(d, campaigns) for d in days], k=count)
    plans = []
    for received_on in dates:
        status = _status_for_age(rng, (today - received_on).days)
        plans.append(CasePlan(received_on, status, _weighted(rng, CLOSED_FROM) if status == S.CLOSED else None))
    _ensure_every_status(rng, plans, today)
    plans.sort(key=lambda p: p.received_on)
    return plans


def _ensure_every_status(rng: random.Random, plans: list[CasePlan], today: dt.date) -> None:
    if len(plans) < len(Status):
        return
    for status in Status:
        if any(p.status == status for p in plans):
            continue
        counts: dict[Status, int] = {}
        for p in plans:
            counts[p.status] = counts.get(p.status, 0) + 1
        victim = rng.choice([p for p in plans if counts[p.status] > 1])
        low, high = PLAUSIBLE_AGE[status]
        victim.received_on = today - dt.timedelta(days=rng.randint(low, high))
        victim.status = status
        victim.closed_from = _weighted(rng, CLOSED_FROM) if status == S.CLOSED else None
