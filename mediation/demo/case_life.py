"""One demo case's life, lived through the real services with each step dated when it happened.

Intake → acceptance → sessions → agreement (with payments, on time, late or not at all) / failure
(legal aid, arbitration) / withdrawal → closure, as far as the case's plan says it has got by today.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from mediation.cases import arbitration
from mediation.cases import services as cases
from mediation.cases.models import ApplicationForm, Case, Channel, Employer
from mediation.cases.workflow import Status
from mediation.core.money import fen_to_yuan
from mediation.calendar.working import add_working_days
from mediation.core.timeutil import office_zone, utcnow
from mediation.demo import district
from mediation.demo.identities import Identities
from mediation.demo.planning import CasePlan
from mediation.legal_aid import services as legal_aid
from mediation.legal_aid.models import LegalAidStatus
from mediation.recovery import services as recovery
from mediation.reference.models import DisputeType, Street
from mediation.sessions import services as sessions

DAY = dt.timedelta(days=1)


@dataclass
class Staff:
    supervisor: object
    mediators: list
    lawyers: list


@dataclass
class District:
    """What the cases are drawn from: the employers (with their sector) and the reference lists."""

    employers: list[tuple[Employer, str]]
    employer_weights: list[float]
    types: dict[str, DisputeType]
    streets: list[Street]
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


class CaseLife:
    def __init__(self, rng: random.Random, ids: Identities, staff: Staff, place: District, today: dt.date):
        self.rng, self.ids, self.staff, self.place, self.today = rng, ids, staff, place, today
        self.fast = False  # whether the case in hand keeps to the green channel's short targets

    def _by(self, day: dt.date) -> dt.date:
        return min(day, self.today)

    def _days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    # --- intake --------------------------------------------------------------------------------

    def register(self, plan: CasePlan) -> Case:
        rng, ids = self.rng, self.ids
        employer, sector = rng.choices(self.place.employers, weights=self.place.employer_weights)[0]
        _share, _patterns, migrant_share, jobs, type_weights = district.SECTORS[sector]
        type_code = rng.choices(list(type_weights), weights=list(type_weights.values()))[0]
        group_chance = {"construction": 0.12, "factory": 0.06}.get(sector, 0.02)
        if type_code == "wage_arrears" and rng.random() < group_chance:
            size = rng.randint(10, 30)  # Art. 7: a group case, each worker with their own claim
        elif rng.random() < 0.12:
            size = rng.randint(2, 6)
        else:
            size = 1
        migrant = rng.random() < migrant_share
        workers = []
        for position in range(size):
            claim = ids.claim(type_code, sector)
            is_migrant = migrant if size >= 10 else rng.random() < migrant_share
            workers.append(cases.WorkerData(
                name=ids.person_name(), id_number=ids.id_number(is_migrant, plan.received_on),
                phone=ids.mobile() if rng.random() < 0.95 else "",
                address=ids.address(rng.choice(self.place.streets).name) if position == 0 else "",
                migrant_worker=is_migrant, is_representative=size >= 10 and position < 3, claimed=claim,
            ))
        total = sum((w.claimed for w in workers), Decimal("0"))
        channel = Channel(rng.choices(list(district.CHANNEL_WEIGHTS),
                                      weights=list(district.CHANNEL_WEIGHTS.values()))[0])
        if size >= 10 and rng.random() < 0.5:
            channel = Channel.STREET_STATION
        oral = channel in (Channel.WALK_IN, Channel.HOTLINE_12351) and rng.random() < 0.4
        start = plan.received_on - self._days(60, 500)
        arose = plan.received_on - self._days(5, 150)
        data = cases.IntakeData(
            received_on=plan.received_on, dispute_type=self.place.types[type_code], employer=employer,
            workers=workers, channel=channel,
            application_form=ApplicationForm.ORAL if oral else ApplicationForm.WRITTEN,
            street=employer.street if rng.random() < 0.9 else rng.choice(self.place.streets),
            matters=district.MATTERS[type_code].format(amount=f"{total:,.2f}"),
            reasons=district.reasons(type_code, sector, rng).format(
                start=f"{start.year}年{start.month}月", job=rng.choice(jobs), months=rng.randint(1, 8)),
            notes=(f"集体争议，涉及{size}名劳动者，推选代表3名。" if size >= 10 else ""),
            dispute_arose_on=arose,
            employment_ended_on=arose - self._days(0, 30) if rng.random() < 0.5 else None,
        )
        actor = rng.choice(self.staff.mediators) if rng.random() < 0.9 else self.staff.supervisor
        case = cases.register_case(data, actor)
        self.place.count("workers", size)
        if size >= 10:
            self.place.count("group cases")
        return case

    # --- the life --------------------------------------------------------------------------------

    def live(self, plan: CasePlan) -> Case:
        case = self.register(plan)
        self.fast = False
        if case.green_channel and plan.status in (Status.MEDIATED, Status.FAILED) \
                and (self.today - case.received_on).days > 45:
            plan = CasePlan(plan.received_on, Status.CLOSED, plan.status)  # nothing green is left hanging
        outcome = plan.outcome
        if plan.status == Status.RECEIVED:
            self._maybe_legal_aid_at_intake(case)
            return case
        if outcome == Status.REJECTED:
            cases.reject_case(case, self.staff.supervisor, reason=self.rng.choice(district.REJECTION_REASONS),
                              on=self._by(add_working_days(case.received_on, self.rng.randint(0, 2))))
            return case
        if outcome == Status.WITHDRAWN and self.rng.random() < 0.3:
            self._withdraw(case, self._by(case.received_on + self._days(0, 2)), plan)
            return case
        mediator = self._accept(case)
        if plan.status == Status.ACCEPTED:
            self._maybe_legal_aid_at_intake(case)
            return case
        # Most green-channel cases meet the channel's targets; some, like any case, take longer.
        green = self.fast = case.green_channel and self.rng.random() > 0.12
        # The green channel's targets: first session within 3 days, closed within 15 (快调、快结).
        first = self._by(case.accepted_on + (self._days(0, 2) if green else self._days(1, 7)))
        ends = self._by(max(first, case.accepted_on + (self._days(2, 8) if green else self._days(4, 15))))
        if plan.status == Status.IN_MEDIATION:
            self._sessions(case, mediator, first, self.today, self.rng.randint(1, 2))
            self._next_session(case, mediator)
            self._maybe_legal_aid_at_intake(case)
            return case
        if outcome == Status.MEDIATED:
            self._sessions(case, mediator, first, ends, self.rng.randint(1, 3), agreed=True)
            self._mediated(case, mediator, ends, closing=plan.status == Status.CLOSED)
        elif outcome == Status.FAILED:
            self._sessions(case, mediator, first, ends, self.rng.randint(1, 2))
            cases.record_failure(case, mediator, reason=self.rng.choice(district.FAILURE_REASONS), on=ends)
            self._after_failure(case, mediator, ends)
        else:
            if self.rng.random() < 0.6:
                self._sessions(case, mediator, first, ends, 1)
            self._withdraw(case, ends, plan)
            return case
        if plan.status == Status.CLOSED and case.status != Status.CLOSED:
            self._close(case, mediator, case.outcome_on + self._days(0, 2 if green else 7))
        return case

    def _accept(self, case: Case):
        rng = self.rng
        # Green-channel cases are nearly always accepted within a working day; others within 3, a few late.
        within = rng.randint(0, 1) if case.green_channel and rng.random() < 0.9 else rng.randint(0, 4)
        on = self._by(add_working_days(case.received_on, within))
        mediator = case.created_by if case.created_by in self.staff.mediators and rng.random() < 0.7 \
            else rng.choice(self.staff.mediators)
        cases.accept_case(case, mediator, on=on)
        cases.assign_mediator(case, self.staff.supervisor, mediator=mediator, on=on)
        return mediator

    def _sessions(self, case: Case, mediator, first: dt.date, last: dt.date, count: int,
                  agreed: bool = False) -> None:
        rng = self.rng
        days = sorted({first, last} if count > 1 else {first})
        while len(days) < count and (last - first).days > len(days):
            days = sorted({*days, first + self._days(1, (last - first).days - 1)})
        street = case.street.name if case.street else district.STREETS[0][0]
        now = utcnow().replace(second=0, microsecond=0)
        for n, day in enumerate(days):
            # A session of today whose hour has not come yet took place earlier: it is recorded as held.
            held_at = min(dt.datetime.combine(day, rng.choice(district.SESSION_TIMES), tzinfo=office_zone()), now)
            record = district.AGREED_SESSION_RECORD if agreed and n == len(days) - 1 \
                else rng.choice(district.SESSION_RECORDS)
            sessions.record_session_held(
                case, mediator, held_at=held_at, location=rng.choice(district.ROOMS).format(street=street),
                mediator=mediator, attendees=f"申请人{case.first_worker.name}；被申请人代表{case.employer.contact_name}",
                record=record)
            self.place.count("sessions")

    def _next_session(self, case: Case, mediator) -> None:
        """Most cases in mediation have their next session booked within the coming week."""
        rng = self.rng
        if rng.random() < 0.4:
            return
        at = dt.datetime.combine(self.today + self._days(1, 7), rng.choice(district.SESSION_TIMES),
                                 tzinfo=office_zone())
        if at <= utcnow():
            return  # a demo dated in the past: nothing is still to come
        street = case.street.name if case.street else district.STREETS[0][0]
        sessions.schedule_session(
            case, mediator, at=at, location=rng.choice(district.ROOMS).format(street=street), mediator=mediator,
            attendees=f"申请人{case.first_worker.name}；被申请人代表{case.employer.contact_name}")
        self.place.count("sessions scheduled")

    def _withdraw(self, case: Case, on: dt.date, plan: CasePlan) -> None:
        reason = self.rng.choice(district.WITHDRAWAL_REASONS)
        actor = case.assigned_mediator or self.rng.choice(self.staff.mediators)
        cases.withdraw_case(case, actor, reason=reason, on=on)
        if "已支付" in reason and case.claimed_fen:
            paid = fen_to_yuan(case.claimed_fen * self.rng.randint(80, 100) // 100)
            if paid > 0:
                self._pay(case, actor, on, paid, None)
        if plan.status == Status.CLOSED:
            self._close(case, actor, on + self._days(0, 5))

    def _close(self, case: Case, actor, on: dt.date) -> None:
        cases.close_case(case, actor, on=self._by(max(on, case.outcome_on)))

    def _pay(self, case: Case, actor, on: dt.date, amount: Decimal, worker) -> None:
        recovery.record_payment(case, actor, on=self._by(on), amount=amount, worker=worker,
                                method=self.rng.choice(district.PAYMENT_METHODS))
        self.place.count("payments")

    # --- agreement and wage recovery -------------------------------------------------------------

    def _mediated(self, case: Case, mediator, signed_on: dt.date, closing: bool) -> None:
        rng = self.rng
        shares = {}
        for w in case.workers:
            factor = 100 if rng.random() < 0.4 else rng.randint(70, 99)
            shares[w] = Decimal(w.claimed_fen * factor // 10_000)  # whole yuan
        total = sum(shares.values(), Decimal("0"))
        room = (self.today - signed_on).days
        deadline = signed_on + (self._days(1, 5) if self.fast else self._days(7, 30))
        instalments = []
        # Long-open agreements are mostly being performed in instalments.
        chance = 0.6 if not closing and room > 45 else 0.3
        if total >= 10_000 and not self.fast and rng.random() < chance and (not closing or room > 80):
            count = rng.randint(2, 4) if not closing else min(rng.randint(2, 4), (room - 20) // 30)
            part = (total / count).quantize(Decimal("1"))
            amounts = [part] * (count - 1) + [total - part * (count - 1)]
            instalments = [(signed_on + dt.timedelta(days=15 + 30 * i), amount, None)
                           for i, amount in enumerate(amounts)]
            deadline = instalments[-1][0]
        if closing:
            deadline = min(deadline, self.today)
        data = recovery.AgreementData(
            signed_on=signed_on, performance_deadline=deadline, shares=shares, instalments=instalments,
            terms=district.AGREEMENT_TERMS.format(deadline=f"{deadline.year}年{deadline.month}月{deadline.day}日",
                                                  amount=f"{total:,.2f}"),
        )
        agreement = recovery.record_agreement(case, mediator, data=data)
        self.place.count("instalment agreements" if instalments else "lump-sum agreements")
        if instalments:
            self._pay_instalments(case, mediator, agreement, closing)
        elif total > 0:
            self._pay_lump_sum(case, mediator, signed_on, deadline, shares, closing)
        if closing:
            last = max((p.paid_on for p in case.payments), default=signed_on)
            self._close(case, mediator, last + self._days(0, 2 if self.fast else 5))

    def _pay_instalments(self, case: Case, mediator, agreement, closing: bool) -> None:
        for inst in agreement.instalments:
            if inst.due_on > self.today:
                break
            if not closing and self.rng.random() < 0.2:
                break  # the employer stops paying: the rest fall overdue (Art. 16's payment-order cue)
            self._pay(case, mediator, max(agreement.signed_on, inst.due_on - self._days(0, 3)),
                      fen_to_yuan(inst.amount_fen), None)

    def _pay_lump_sum(self, case: Case, mediator, signed_on, deadline, shares, closing: bool) -> None:
        rng = self.rng
        if not closing:
            roll = rng.random()
            if deadline <= self.today and roll < 0.45:
                return  # overdue and unpaid
            if deadline > self.today and roll < 0.6:
                return  # not yet due
        late = closing and not self.fast and rng.random() < 0.1
        on = deadline + self._days(1, 20) if late else max(signed_on, deadline - self._days(0, 5))
        if len(case.workers) > 12:
            # A group's wages are paid in one transfer to the workers' accounts (代发).
            self._pay(case, mediator, on, sum(shares.values(), Decimal("0")), None)
            return
        for worker, amount in shares.items():
            if amount > 0:
                self._pay(case, mediator, on, amount, worker)

    # --- after a failure: legal aid and arbitration ----------------------------------------------

    def _after_failure(self, case: Case, mediator, failed_on: dt.date) -> None:
        if self.rng.random() < 0.45:
            self._legal_aid(case, mediator, self._by(failed_on + self._days(0, 5)))
        if self.rng.random() < 0.3:
            applied = self._by(failed_on + self._days(1, 10))
            accepted = self._by(applied + self._days(1, 5))
            award = accepted + self._days(30, 55) if accepted + dt.timedelta(days=56) <= self.today else None
            arbitration.record_arbitration(case, mediator, applied_on=applied, accepted_on=accepted, award_on=award,
                           extended=award is not None and (award - accepted).days > 45)
            self.place.count("arbitration")

    def _maybe_legal_aid_at_intake(self, case: Case) -> None:
        if self.rng.random() < 0.05:
            self._legal_aid(case, case.created_by or self.staff.supervisor,
                            self._by(case.received_on + self._days(0, 2)))

    def _legal_aid(self, case: Case, actor, on: dt.date) -> None:
        rng = self.rng
        lawyer = rng.choice(self.staff.lawyers)
        legal_aid.refer_to_legal_aid(
            case, actor, lawyer=lawyer, on=on, eligible_claim=_legal_aid_claim(case.dispute_type),
            financial_hardship=rng.random() < 0.6, eligibility_note="申请人经济困难，符合法律援助条件。")
        self.place.count("legal aid")
        age = (self.today - on).days
        # Older referrals are mostly done; recent ones still with the lawyer or just referred.
        done, declined, working = (0.7, 0.78, 1.0) if age > 45 else (0.15, 0.15, 0.75) if age > 10 else (0, 0, 0)
        roll = rng.random()
        if roll < done:
            completed_on = on + self._days(10, min(120, age))
            amount = fen_to_yuan(case.claimed_fen * rng.randint(60, 100) // 100)
            legal_aid.update_legal_aid(case, lawyer, status=LegalAidStatus.COMPLETED, on=completed_on,
                                       amount=amount, result=rng.choice(district.LEGAL_AID_RESULTS))
            self.place.count("legal aid completed")
        elif roll < declined:
            legal_aid.update_legal_aid(case, lawyer, status=LegalAidStatus.DECLINED,
                                       result="经审查，申请人不符合经济困难标准。")
        elif roll < working:
            legal_aid.update_legal_aid(case, lawyer, status=LegalAidStatus.IN_PROGRESS)


def _legal_aid_claim(kind: DisputeType) -> bool:
    """Legal Aid Law Art. 31: a claim for pay or for confirming a labour relationship."""
    return kind.art2_item == 1 or (kind.art2_item == 5 and kind.is_pay_claim)
