"""Each case's clocks, worked out from its facts on the working calendar (each naming its legal basis).

劳动争议调解仲裁法 unless named otherwise; periods per 民法典 Art. 200-204 (:mod:`mediation.calendar.working`):
- ``accept``: the acceptance decision within 3 working days of receipt (《企业劳动争议协商调解规定》,
  人社部令第17号); in the green channel 1 working day from the marking (its own target);
- ``mediation``: 15 days from acceptance unless both parties agreed to extend (17号令; without an agreement
  in time, mediation is deemed to have failed);
- ``arbitration_right``: Art. 14, the first day a party may apply for arbitration (after the 15th day from
  receipt ends), information;
- ``limitation``: Art. 27, one year from when the worker knew; each interruption (the application itself
  is one) restarts it; a pay claim while the worker is still employed runs none until the employment ends;
- ``arbitral_review``: a joint application for arbitral review within 15 days of the agreement taking
  effect (17号令), information: it obliges nobody;
- ``arbitration_award``: Art. 43, 45 days from the arbitration committee's acceptance, at most 15 more;
- ``green_first_session``, ``green_close``: the green channel's targets, from receipt or the marking;
- ``instalment``: each amount of the agreement still unpaid, on its due date (Art. 16's cue).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from mediation.calendar.working import add_working_days, period_end
from mediation.cases.arbitration import arbitration_award_due
from mediation.cases.services import mediation_end
from mediation.cases.workflow import Status
from mediation.core.timeutil import to_local
from mediation.recovery.services import arbitral_review_due
from mediation.settings.services import minimum_wage_fen_on, setting

ACCEPT_WORKING_DAYS = 3
MEDIATION_DAYS = 15  # Art. 14's days from receipt
DUE_SOON_WORKING_DAYS = 2
OPEN = (Status.RECEIVED, Status.ACCEPTED, Status.IN_MEDIATION)

LABELS = {
    "accept": _l("Acceptance decision"),
    "mediation": _l("End of mediation"),
    "arbitration_right": _l("Either party may apply for arbitration from"),
    "limitation": _l("Limitation period ends"),
    "arbitral_review": _l("Joint application for arbitral review by"),
    "arbitration_award": _l("Arbitration award due"),
    "green_first_session": _l("Green channel: first session by"),
    "green_close": _l("Green channel: close by"),
    "instalment": _l("Instalment due"),
}
BASES = {
    "accept": _l("Enterprise Labour Dispute Consultation and Mediation Provisions (MOHRSS Order 17): accept "
                 "within 3 working days"),
    "accept_green": _l("Green channel target: accept within %(n)d working day(s) of the marking"),
    "mediation": _l("MOHRSS Order 17: mediation ends 15 days after acceptance unless both parties agree to "
                    "extend; otherwise it is deemed to have failed"),
    "mediation_extended": _l("MOHRSS Order 17: extended by agreement of both parties"),
    "arbitration_right": _l("Labour Dispute Mediation and Arbitration Law Art. 14: no agreement within 15 days "
                            "of the application"),
    "limitation": _l("Art. 27: one year from when the worker knew or should have known, restarted by each "
                     "interruption"),
    "limitation_employment": _l("Art. 27 para. 4: pay arrears during the employment, one year from its end"),
    "arbitral_review": _l("MOHRSS Order 17: joint application within 15 days of the agreement taking effect"),
    "arbitration_award": _l("Art. 43: award within 45 days of acceptance, extendable by at most 15"),
    "green_first_session": _l("Green channel target: first session within %(n)d days"),
    "green_close": _l("Green channel target: close within %(n)d days"),
    "instalment": _l("The agreement's performance schedule (Art. 16: a payment order if it is not performed)"),
}


def basis_text(basis: str, n: int = 0) -> str:
    """The legal basis ``basis`` (a key of :data:`BASES`) in the user's language, naming ``n`` where it
    names a number."""
    text = str(BASES[basis])
    return text % {"n": n} if "%(n)" in text else text


@dataclass(frozen=True)
class Deadline:
    key: str
    due_on: dt.date
    met_on: dt.date | None = None
    seq: int = 0
    info: bool = False   # obliges nobody: never overdue
    basis: str = ""      # key of BASES (defaults to ``key``)
    basis_n: int = 0     # the number a basis names, where it names one

    @property
    def label(self):
        return LABELS[self.key]

    @property
    def basis_text(self) -> str:
        return basis_text(self.basis or self.key, self.basis_n)

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days

    def state(self, today: dt.date) -> str:
        """``met``, ``missed``, ``overdue``, ``due_soon`` (within 2 working days), ``open`` or ``info``."""
        if self.met_on is not None:
            return "met" if self.met_on <= self.due_on else "missed"
        if self.info:
            return "info"
        if self.due_on < today:
            return "overdue"
        return "due_soon" if self.due_on <= add_working_days(today, DUE_SOON_WORKING_DAYS) else "open"


def mediation_deemed_failed(case, today: dt.date) -> bool:
    """17号令: mediation not ended with an agreement by the end of its period is deemed to have failed."""
    end = mediation_end(case)
    return case.status in (Status.ACCEPTED, Status.IN_MEDIATION) and end is not None and today > end


def arbitration_right_from(case) -> dt.date:
    """Art. 14: the day after the 15th day from receipt has ended (moved off a day off)."""
    return period_end(case.received_on, days=MEDIATION_DAYS) + dt.timedelta(days=1)


def limitation_end(case) -> tuple[dt.date, str] | None:
    """Art. 27: the last day of the limitation period, and which rule gave it; ``None`` when none runs
    (a pay claim while the worker is still employed) or nothing says when it started."""
    pay_claim = case.dispute_type is not None and case.dispute_type.is_pay_claim
    if pay_claim and case.still_employed:
        return None
    if pay_claim and case.employment_ended_on is not None:
        start, basis = case.employment_ended_on, "limitation_employment"
    elif case.dispute_arose_on is not None:
        start, basis = case.dispute_arose_on, "limitation"
    else:
        return None
    # The mediation application interrupts it (Art. 27 para. 2), as does each interruption recorded; an
    # interruption after the period has run out revives nothing.
    interruptions = sorted([case.received_on, *(i.on for i in case.limitation_interruptions)])
    end = period_end(start, years=1)
    for on in interruptions:
        if start <= on <= end:
            end = period_end(on, years=1)
    return end, basis


def compute(case) -> list[Deadline]:
    """Every clock of ``case`` from its facts as they are now."""
    found: list[Deadline] = []
    received = case.received_on
    decided = case.accepted_on or case.rejected_on
    green_from = (case.green_channel_marked_on or received) if case.green_channel else None
    accept_due = add_working_days(received, ACCEPT_WORKING_DAYS)
    accept = Deadline("accept", accept_due, decided)
    if green_from is not None:
        days = setting("green_accept_within_working_days")
        accept = Deadline("accept", min(accept_due, add_working_days(green_from, days)), decided,
                          basis="accept_green", basis_n=days)
    if decided is None and case.status != Status.RECEIVED:
        accept = Deadline(accept.key, accept.due_on, info=True, basis=accept.basis, basis_n=accept.basis_n)
    found.append(accept)

    mediation_ends = mediation_end(case)
    if mediation_ends is not None:
        found.append(Deadline("mediation", mediation_ends, case.outcome_on,
                              basis="mediation_extended" if case.mediation_extended_until else "mediation"))

    if case.status in OPEN or case.outcome == Status.FAILED:
        found.append(Deadline("arbitration_right", arbitration_right_from(case), info=True))

    limitation = limitation_end(case)
    if limitation is not None and (case.status in OPEN or case.status == Status.FAILED
                                   or case.outcome == Status.FAILED):
        found.append(Deadline("limitation", limitation[0], case.arbitration_applied_on, basis=limitation[1]))

    agreement = case.agreement
    if agreement is not None:
        found.append(Deadline("arbitral_review", arbitral_review_due(agreement), info=True))
        for seq, (due_on, _unpaid_fen) in enumerate(_unpaid(agreement)):
            found.append(Deadline("instalment", due_on, seq=seq))

    award_due = arbitration_award_due(case)
    if award_due is not None:
        found.append(Deadline("arbitration_award", award_due, case.arbitration_award_on))

    if green_from is not None:
        first = setting("green_first_session_days")
        held = [to_local(s.held_at).date() for s in case.sessions if s.held]  # not one merely scheduled
        first_session = min([d for d in held if d >= received], default=None)
        found.append(Deadline("green_first_session", period_end(green_from, days=first),
                              first_session or case.outcome_on, basis_n=first))
        close = setting("green_close_days")
        found.append(Deadline("green_close", period_end(green_from, days=close), case.outcome_on, basis_n=close))
    return found


def _unpaid(agreement) -> list[tuple[dt.date, int]]:
    """The agreement's amounts due (instalments, or the whole by the performance deadline), earliest
    first, with what the payments so far leave unpaid of each; the paid ones left out."""
    if agreement.instalments:
        due = sorted((i.due_on, i.amount_fen) for i in agreement.instalments)
    elif agreement.performance_deadline is not None and agreement.agreed_fen > 0:
        due = [(agreement.performance_deadline, agreement.agreed_fen)]
    else:
        return []
    paid = sum(p.amount_fen for p in agreement.case.payments)
    left = []
    for due_on, amount in due:
        covered = min(amount, paid)
        paid -= covered
        if covered < amount:
            left.append((due_on, amount - covered))
    return left


def by_key(deadlines: list[Deadline]) -> dict[str, Deadline]:
    return {d.key: d for d in deadlines if d.key != "instalment"}



def final_award(case) -> str | None:
    """Art. 47: would an award be final?  For a claim for pay, injury medical costs, compensation or damages
    (Art. 2 item 5): ``"final"`` when every worker's claim is at most 12 months of the local monthly minimum
    wage in force on the claim's date, ``"not_final"`` when one's is above, ``"unknown"`` when the workers'
    own amounts are not all known (a group of which the ledger names one, a total without shares)."""
    if case.dispute_type is None or case.dispute_type.art2_item != 5:
        return None
    workers = list(case.workers)
    if len(workers) < case.workers_count or sum(w.claimed_fen for w in workers) != case.claimed_fen:
        return "unknown"
    limit = 12 * minimum_wage_fen_on(case.received_on)
    return "final" if all(w.claimed_fen <= limit for w in workers) else "not_final"
