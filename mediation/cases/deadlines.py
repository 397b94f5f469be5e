"""The clocks on a case: statutory deadlines and the green channel's internal targets.

- acceptance: within 3 working days of receipt (人社部令第17号); green channel: 1 working day;
- mediation: 15 days from acceptance unless both parties agreed to extend (人社部令第17号);
  Art. 14: 15 days after the organisation received the application without an agreement, either
  party may go to arbitration;
- green channel: first session within 3 days, close within 15 days of receipt;
- limitation (Art. 27): one year from when the worker knew or should have known; for pay arrears during
  employment, one year from the end of the employment; restarted by an interruption;
- arbitration award (Art. 43): 45 days from acceptance, at most 15 more;
- arbitral review of an agreement: 15 days from the agreement taking effect.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.core.timeutil import add_working_days, local_today, to_local, utcnow


@dataclass(frozen=True)
class Deadline:
    key: str
    label: object
    due_on: dt.date
    met_on: dt.date | None = None

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days

    def state(self, today: dt.date) -> str:
        """'met', 'missed', 'overdue', 'due_soon' (≤ 2 days) or 'open'."""
        if self.met_on is not None:
            return "met" if self.met_on <= self.due_on else "missed"
        left = self.days_left(today)
        if left < 0:
            return "overdue"
        return "due_soon" if left <= 2 else "open"


def acceptance_due(case: Case) -> dt.date:
    cfg = current_app.config
    days = cfg["GREEN_ACCEPT_WITHIN_WORKING_DAYS"] if case.green_channel else cfg["ACCEPT_WITHIN_WORKING_DAYS"]
    return add_working_days(case.received_on, days)


def mediation_due(case: Case) -> dt.date | None:
    if case.accepted_on is None:
        return None
    if case.mediation_extended_until:
        return case.mediation_extended_until
    return case.accepted_on + dt.timedelta(days=current_app.config["MEDIATION_DAYS"])


def may_proceed_to_arbitration(case: Case, today: dt.date | None = None) -> bool:
    """Art. 14: no agreement 15 days after the application was received → either party may arbitrate."""
    today = today or local_today()
    if case.status in (Status.FAILED,):
        return True
    if case.status not in (Status.RECEIVED, Status.ACCEPTED, Status.IN_MEDIATION):
        return False
    return today >= case.received_on + dt.timedelta(days=current_app.config["MEDIATION_DAYS"])


def limitation_expires(case: Case) -> dt.date | None:
    start = case.limitation_interrupted_on or case.dispute_arose_on
    if case.employment_ended_on and (start is None or case.dispute_type.is_pay_claim):
        start = max(filter(None, [case.employment_ended_on, case.limitation_interrupted_on]))
    if start is None:
        return None
    return start + dt.timedelta(days=current_app.config["LIMITATION_DAYS"])


def arbitration_award_due(case: Case) -> dt.date | None:
    if case.arbitration_accepted_on is None:
        return None
    cfg = current_app.config
    days = cfg["ARBITRATION_AWARD_DAYS"] + (cfg["ARBITRATION_EXTENSION_DAYS"] if case.arbitration_extended else 0)
    return case.arbitration_accepted_on + dt.timedelta(days=days)


def is_final_award_claim(case: Case) -> bool:
    """Art. 47: a pay/injury/compensation claim not above 12 months of the local minimum wage."""
    limit = 12 * current_app.config["MONTHLY_MINIMUM_WAGE_FEN"]
    return case.dispute_type.art2_item == 5 and all(w.claimed_fen <= limit for w in case.workers)


def case_deadlines(case: Case) -> list[Deadline]:
    cfg = current_app.config
    found = [Deadline("accept", _l("Accept within"), acceptance_due(case),
                      case.accepted_on or case.rejected_on)]
    if case.green_channel:
        # Only sessions already held count, on the office's local date (held_at is UTC).
        held = [to_local(sess.held_at).date() for sess in case.sessions if sess.held_at <= utcnow()]
        first_session = min(held) if held else None
        found.append(Deadline("green_first_session", _l("Green channel: first session within"),
                              case.received_on + dt.timedelta(days=cfg["GREEN_FIRST_SESSION_DAYS"]),
                              first_session or case.outcome_on))
        found.append(Deadline("green_close", _l("Green channel: close within"),
                              case.received_on + dt.timedelta(days=cfg["GREEN_CLOSE_DAYS"]),
                              case.outcome_on))
    due = mediation_due(case)
    if due:
        found.append(Deadline("mediation", _l("End mediation by"), due, case.outcome_on))
    if case.agreement is not None:
        found.append(Deadline("arbitral_review", _l("Joint application for arbitral review by"),
                              case.agreement.effective_on + dt.timedelta(days=cfg["ARBITRAL_REVIEW_DAYS"])))
    expires = limitation_expires(case)
    if expires and case.status in (Status.RECEIVED, Status.ACCEPTED, Status.IN_MEDIATION, Status.FAILED):
        found.append(Deadline("limitation", _l("Limitation period ends"), expires,
                              case.arbitration_applied_on))
    award = arbitration_award_due(case)
    if award:
        found.append(Deadline("arbitration_award", _l("Arbitration award due"), award, case.arbitration_award_on))
    return found
