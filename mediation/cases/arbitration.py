"""Labour arbitration after mediation failed (劳动仲裁): applied, accepted, extended, award.

Art. 43: the award is due within 45 days of the arbitration commission accepting the case, extendable
once by at most 15 days (:func:`arbitration_award_due`).  The mediation
office only tracks these dates for the worker; it does not run the arbitration.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from mediation.audit.services import diff, record_event, snapshot
from mediation.calendar.working import period_end
from mediation.cases.models import Case
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today

AWARD_DAYS = 45
EXTENSION_DAYS = 15

ARBITRATION_FIELDS = ("arbitration_applied_on", "arbitration_accepted_on", "arbitration_extended",
                      "arbitration_award_on")


def arbitration_award_due(case: Case) -> dt.date | None:
    """Art. 43: 45 days from the committee's acceptance (60 when extended), moved off a day off."""
    if case.arbitration_accepted_on is None:
        return None
    return period_end(case.arbitration_accepted_on,
                      days=AWARD_DAYS + (EXTENSION_DAYS if case.arbitration_extended else 0))


def may_track_arbitration(case: Case) -> bool:
    """A failed case, also once closed (the arbitration goes on after the office closes its file)."""
    return case.status == Status.FAILED or (case.status == Status.CLOSED and case.outcome == Status.FAILED)


def _check_order(case: Case, applied_on, accepted_on, extended, award_on) -> None:
    today = local_today()
    for day in (applied_on, accepted_on, award_on):
        if day is not None and day > today:
            raise TransitionError(_("Arbitration dates cannot be in the future."))
    if applied_on is not None and applied_on < case.received_on:
        raise TransitionError(_("The arbitration application cannot be dated before the case was received."))
    if accepted_on is not None:
        if applied_on is None:
            raise TransitionError(_("Record when arbitration was applied for before when it was accepted."))
        if accepted_on < applied_on:
            raise TransitionError(_("Arbitration cannot be accepted before it was applied for."))
    if extended and accepted_on is None:
        raise TransitionError(_("Only an accepted arbitration can have its award period extended."))
    if award_on is not None:
        if accepted_on is None:
            raise TransitionError(_("Record when arbitration was accepted before the award."))
        if award_on < accepted_on:
            raise TransitionError(_("The award cannot be dated before arbitration was accepted."))


def record_arbitration(case: Case, actor, *, applied_on: dt.date | None = None,
                       accepted_on: dt.date | None = None, extended: bool = False,
                       award_on: dt.date | None = None, note: str = "") -> Case:
    """Set the case's arbitration dates (all four at once, as the form shows them) and audit the change.

    Giving ``None`` clears a date, so a wrong entry can be corrected; the dates must stay in order
    (applied ≤ accepted ≤ award, none in the future).
    """
    if not may_track_arbitration(case):
        raise TransitionError(_("Arbitration is tracked for cases where mediation failed."))
    extended = bool(extended)
    _check_order(case, applied_on, accepted_on, extended, award_on)
    before = snapshot(case, ARBITRATION_FIELDS)
    case.arbitration_applied_on = applied_on
    case.arbitration_accepted_on = accepted_on
    case.arbitration_extended = extended
    case.arbitration_award_on = award_on
    changes = diff(before, snapshot(case, ARBITRATION_FIELDS))
    if not changes:
        return case
    # The event is dated by the step it records, so a late entry lands on the day it happened.
    newest = [day for field, day in (("arbitration_award_on", award_on), ("arbitration_accepted_on", accepted_on),
                                     ("arbitration_applied_on", applied_on)) if field in changes and day]
    record_event(case, actor, "arbitration_updated", changes, note=(note or "").strip(),
                 effective_on=newest[0] if newest else None)
    return case
