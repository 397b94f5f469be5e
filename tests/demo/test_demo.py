"""`flask --app mediation demo`: a realistic district in an empty database, through the real services.

These tests read one demo district (see conftest); none changes it.
"""
from __future__ import annotations

import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.auth.models import Role, User
from mediation.cases.models import Case, Channel, Employer, GreenChannelSource, Worker
from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from mediation.core.validators import credit_code_problem, id_number_problem, phone_problem
from mediation.demo.district import RARE_CHARS
from mediation.extensions import db
from mediation.legal_aid.models import LegalAidReferral, LegalAidStatus
from mediation.recovery.models import Agreement, Payment
from mediation.reference.models import Campaign, Street
from tests.demo.conftest import DEMO_CASES
from tests.factories import csrf_from, sign_in


def printed_accounts(output: str) -> dict[str, str]:
    """username → password, from the lines of the printout that name a user the demo created."""
    usernames = set(db.session.scalars(sa.select(User.username)))
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] in usernames:
            found[parts[0]] = parts[3]
    return found


def test_demo_fills_an_empty_database_with_cases_in_every_status(demo_district):
    cases = db.session.scalars(sa.select(Case)).all()
    assert len(cases) == int(DEMO_CASES)
    assert {c.status for c in cases} == set(Status)
    assert {c.outcome for c in cases if c.status == Status.CLOSED} <= {Status.MEDIATED, Status.FAILED,
                                                                       Status.WITHDRAWN}
    assert db.session.scalar(sa.select(sa.func.count(Street.id))) == 17
    assert all(s.name.endswith("街道") and s.name_en.endswith(" Street") for s in db.session.scalars(sa.select(Street)))
    today = local_today()
    assert min(c.received_on for c in cases) >= today.replace(year=today.year - 2)
    assert max(c.received_on for c in cases) <= today


def test_demo_has_green_channel_group_cases_and_a_realistic_mix(demo_district):
    cases = db.session.scalars(sa.select(Case)).all()
    automatic = [c for c in cases if c.green_channel_source == GreenChannelSource.AUTOMATIC]
    manual = [c for c in cases if c.green_channel_source == GreenChannelSource.MANUAL]
    assert automatic and all(c.has_migrant_worker and c.dispute_type.is_pay_claim for c in automatic)
    assert manual and all(c.green_channel_reason for c in manual)
    wage = sum(1 for c in cases if c.dispute_type.code == "wage_arrears")
    assert wage == max(sum(1 for c in cases if c.dispute_type_id == t) for t in {c.dispute_type_id for c in cases})
    assert len({c.channel for c in cases}) >= 4 and Channel.HOTLINE_12351 in {c.channel for c in cases}
    names = "".join(db.session.scalars(sa.select(Worker.name)))
    assert any(ch in names for ch in RARE_CHARS)  # 燊, 堃, 赟, 喆 …: characters old systems mangle
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) >= 1
    # Sessions, agreements, payments and legal aid all exist.
    assert any(c.sessions for c in cases)
    agreements = db.session.scalars(sa.select(Agreement)).all()
    assert agreements and db.session.scalar(sa.select(sa.func.count(Payment.id)))
    assert db.session.scalar(sa.select(sa.func.count(LegalAidReferral.id)))


def test_demo_particulars_pass_the_checks_the_real_forms_make(demo_district):
    workers = db.session.scalars(sa.select(Worker)).all()
    assert workers and all(id_number_problem(w.id_number) is None for w in workers)
    assert all(phone_problem(w.phone) is None for w in workers if w.phone)
    employers = db.session.scalars(sa.select(Employer)).all()
    assert employers and all(credit_code_problem(e.credit_code) is None for e in employers)
    assert all(e.address and e.contact_name and phone_problem(e.contact_phone) is None for e in employers)


def test_demo_amounts_and_dates_are_consistent(demo_district):
    today = local_today()
    for case in db.session.scalars(sa.select(Case)):
        assert case.claimed_fen == sum(w.claimed_fen for w in case.workers)
        assert case.workers_count == len(case.workers)
        assert case.recovered_fen == sum(p.amount_fen for p in case.payments)
        if case.agreement is not None:
            assert case.agreed_fen == case.agreement.agreed_fen == sum(s.agreed_fen for s in case.agreement.shares)
            assert case.recovered_fen <= case.agreed_fen
            if case.agreement.instalments:
                assert sum(i.amount_fen for i in case.agreement.instalments) == case.agreed_fen
        for day in (case.accepted_on, case.outcome_on, case.closed_on):
            assert day is None or case.received_on <= day <= today
        if case.closed_on:
            assert case.closed_on >= case.outcome_on
    # Each payment's timeline event is dated the day it was paid, so reports count it then.
    paid = sorted(db.session.execute(sa.select(Payment.case_id, Payment.paid_on)).all())
    events = sorted(db.session.execute(sa.select(CaseEvent.case_id, CaseEvent.effective_on)
                                       .where(CaseEvent.kind == "payment_recorded")).all())
    assert paid == events
    assert db.session.scalar(sa.select(sa.func.max(CaseEvent.effective_on))) <= today
    completed = db.session.scalars(sa.select(LegalAidReferral)
                                   .where(LegalAidReferral.status == LegalAidStatus.COMPLETED)).all()
    for referral in completed:
        assert referral.referred_on <= referral.completed_on <= today


def test_demo_prints_random_passwords_that_the_staff_can_sign_in_with(demo_district):
    app, result = demo_district
    client = app.test_client()
    accounts = printed_accounts(result.output)
    roles = sorted(db.session.scalar(sa.select(User.role).where(User.username == u)).value for u in accounts)
    assert roles == ["lawyer", "lawyer", "mediator", "mediator", "mediator", "supervisor"]
    assert db.session.scalar(sa.select(sa.func.count()).where(User.role == Role.ADMIN)) == 0
    assert len(set(accounts.values())) == len(accounts)
    for username, password in accounts.items():
        assert len(password) >= 12
        sign_in(client, username, password)
        assert client.get("/").status_code == 200
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
