"""The stored clocks always equal a fresh computation: Hypothesis lives generated histories through the
services (each step its own transaction, as on the web, or all in one, as an import does) and compares
the rows with :func:`mediation.clocks.rules.compute` of the case read back."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation.cases import services
from mediation.cases.arbitration import record_arbitration
from mediation.cases.models import Case, CaseDeadline, InterruptionKind
from mediation.clocks.rules import compute
from mediation.clocks.store import refresh_open_cases
from mediation.core.database import unit_of_work
from mediation.core.errors import Refused
from mediation.core.timeutil import local_today, office_zone
from mediation.extensions import db
from mediation.recovery import services as recovery
from mediation.sessions import services as sessions
from tests.factories import make_case

STEPS = ["accept", "reject", "start", "session", "extend", "agree", "instalments", "pay", "fail", "withdraw",
         "close", "green", "interrupt", "arbitrate"]


def stored(case_id: int) -> list[tuple]:
    db.session.expire_all()
    return sorted(tuple(r) for r in db.session.execute(
        sa.select(CaseDeadline.key, CaseDeadline.seq, CaseDeadline.due_on, CaseDeadline.met_on, CaseDeadline.info,
                  CaseDeadline.basis, CaseDeadline.basis_n)
        .where(CaseDeadline.case_id == case_id)))


def fresh(case_id: int) -> list[tuple]:
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    return sorted((d.key, d.seq, d.due_on, d.met_on, d.info, d.basis or d.key, d.basis_n) for d in compute(case))


def take(step: str, case: Case, actor, day: dt.date) -> None:
    """One step of a case's life through the services, dated ``day`` where it takes a date."""
    if step == "accept":
        services.accept_case(case, actor, on=day)
    elif step == "reject":
        services.reject_case(case, actor, reason="不属于受理范围", on=day)
    elif step == "start":
        services.start_mediation(case, actor, on=day)
    elif step == "session":
        sessions.record_session(case, actor, held_at=dt.datetime.combine(day, dt.time(9), tzinfo=office_zone()),
                                location="调解室")
    elif step == "extend":
        sessions.extend_mediation(case, actor, until=day + dt.timedelta(days=30), note="双方同意", on=day)
    elif step in ("agree", "instalments"):
        instalments = [(day + dt.timedelta(days=10), Decimal("500")), (day + dt.timedelta(days=40), Decimal("700"))]
        recovery.record_agreement(case, actor, data=recovery.AgreementData(
            signed_on=day, performance_deadline=day + dt.timedelta(days=40), total=Decimal("1200"),
            instalments=[(d, a, None) for d, a in instalments] if step == "instalments" else []))
    elif step == "pay":
        recovery.record_payment(case, actor, on=day, amount=Decimal("600"))
    elif step == "fail":
        services.record_failure(case, actor, reason="分歧较大", on=day)
    elif step == "withdraw":
        services.withdraw_case(case, actor, reason="撤回", on=day)
    elif step == "close":
        services.close_case(case, actor, on=day)
    elif step == "green":
        services.set_green_channel(case, actor, green=True, reason="专项行动", on=day)
    elif step == "interrupt":
        services.record_limitation_interruption(case, actor, on=day, kind=InterruptionKind.CLAIM)
    elif step == "arbitrate":
        record_arbitration(case, actor, applied_on=day, accepted_on=day, extended=False)


histories = st.fixed_dictionaries({
    "received_days_ago": st.integers(5, 200),
    "migrant": st.booleans(),
    "still_employed": st.sampled_from([None, True, False]),
    "knew_days_before": st.one_of(st.none(), st.integers(0, 500)),
    "steps": st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 60)), min_size=0, max_size=8),
    "one_transaction": st.booleans(),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories)
def test_the_stored_clocks_are_the_computed_clocks(history, users):
    actor = users["supervisor"]
    received = local_today() - dt.timedelta(days=history["received_days_ago"])
    knew = received - dt.timedelta(days=history["knew_days_before"]) if history["knew_days_before"] is not None \
        else None
    case = make_case(actor, received_on=received, migrant=history["migrant"], dispute_arose_on=knew,
                     still_employed=history["still_employed"],
                     employment_ended_on=received if history["still_employed"] is False else None)
    day = received
    with unit_of_work(writes=True):
        for step, days_later in history["steps"]:
            day = min(day + dt.timedelta(days=days_later), local_today())
            try:
                with db.session.begin_nested():
                    take(step, case, actor, day)
            except Refused:
                pass  # the services refused this step here: the history goes on without it
            if not history["one_transaction"]:
                db.session.commit()
    assert stored(case.id) == fresh(case.id)


def test_a_calendar_change_is_carried_into_the_open_cases(users, db):
    from mediation.calendar.models import CalendarDay, DayKind
    from mediation.calendar.working import forget

    case = make_case(users["mediator"])  # received today: to be accepted within 3 working days
    due = dict((k, d) for k, _s, d, *_rest in stored(case.id))["accept"]
    with unit_of_work(writes=True):
        db.session.add(CalendarDay(day=due, kind=DayKind.HOLIDAY, note="临时调休"))
        forget()
        assert refresh_open_cases() >= 1
    moved = dict((k, d) for k, _s, d, *_rest in stored(case.id))["accept"]
    assert moved > due and stored(case.id) == fresh(case.id)


def test_a_database_upgraded_from_before_gets_its_clocks_from_the_command(app, users, db):
    case = make_case(users["mediator"])
    db.session.execute(CaseDeadline.__table__.delete())  # as after migration 0003: no rows yet
    db.session.commit()
    assert stored(case.id) == []
    result = app.test_cli_runner().invoke(args=["deadlines", "refresh"])
    assert result.exit_code == 0, result.output
    assert stored(case.id) == fresh(case.id) != []
