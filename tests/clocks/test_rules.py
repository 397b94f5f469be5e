"""Each clock of a case, with dates worked out by hand (the calendar's own tests: tests/calendar)."""
from __future__ import annotations

import datetime as dt

import pytest

from mediation.cases import services
from mediation.cases.models import InterruptionKind
from mediation.cases.workflow import Status
from mediation.clocks import rules
from mediation.clocks.rules import Deadline
from mediation.core.database import unit_of_work
from mediation.extensions import db
from tests.factories import make_case
from tests.sessions.casework import case_at, days_ago

D = dt.date


def clocks(case) -> dict[str, Deadline]:
    return rules.by_key(rules.compute(case))


def test_mediation_accepted_before_national_day_ends_after_it(users):
    case = make_case(users["mediator"], received_on=D(2026, 9, 21))
    with unit_of_work(writes=True):
        services.accept_case(case, users["mediator"], on=D(2026, 9, 22))
    found = clocks(case)
    assert found["mediation"].due_on == D(2026, 10, 8)  # 15 days: 7 October, a holiday → the 8th
    assert found["accept"].met_on == D(2026, 9, 22) and found["accept"].state(D(2026, 12, 1)) == "met"
    # Art. 14: the 15 days from receipt end on 6 October, a holiday → the 8th; the right arises on the 9th.
    assert found["arbitration_right"].due_on == D(2026, 10, 9) and found["arbitration_right"].info


def test_limitation_one_year_restarted_by_the_application_and_by_each_interruption(users):
    case = make_case(users["mediator"], received_on=D(2025, 6, 10), dispute_arose_on=D(2025, 3, 1),
                     type_code="severance")
    assert clocks(case)["limitation"].due_on == D(2026, 6, 10)  # the application restarts it (a Wednesday)
    with unit_of_work(writes=True):
        services.record_limitation_interruption(case, users["mediator"], on=D(2025, 9, 1),
                                                kind=InterruptionKind.CLAIM, note="书面催告")
    assert clocks(case)["limitation"].due_on == D(2026, 9, 1)
    assert clocks(case)["limitation"].basis_text.startswith("Art. 27") or "第二十七条" in clocks(case)["limitation"].basis_text


def test_an_interruption_after_the_year_ran_out_revives_nothing(users):
    # Knew 1 January 2023: the year ended 1 January 2024, New Year's Day → 2 January.  Applying in 2025
    # comes too late; the clock stays where it ran out.
    case = make_case(users["mediator"], received_on=D(2025, 6, 10), dispute_arose_on=D(2023, 1, 1),
                     type_code="severance")
    assert clocks(case)["limitation"].due_on == D(2024, 1, 2)
    assert clocks(case)["limitation"].state(D(2025, 6, 10)) == "overdue"


def test_29_february_runs_to_1_march_then_off_the_weekend(users):
    case = make_case(users["mediator"], received_on=D(2024, 2, 29), dispute_arose_on=D(2024, 2, 29),
                     type_code="severance")
    assert clocks(case)["limitation"].due_on == D(2025, 3, 3)  # 1 March 2025 is a Saturday


def test_a_pay_claim_while_still_employed_has_no_limitation_until_the_employment_ends(users):
    employed = make_case(users["mediator"], received_on=D(2026, 6, 1), dispute_arose_on=D(2024, 1, 1),
                         still_employed=True)
    assert "limitation" not in clocks(employed)
    ended = make_case(users["mediator"], received_on=D(2026, 6, 1), dispute_arose_on=D(2024, 1, 1),
                      still_employed=False, employment_ended_on=D(2026, 5, 20), worker_name="李四")
    assert clocks(ended)["limitation"].due_on == D(2027, 6, 1)  # from the end, restarted by the application
    assert "para. 4" in clocks(ended)["limitation"].basis_text or "第四款" in clocks(ended)["limitation"].basis_text
    # Not a pay claim: the worker's employment changes nothing.
    other = make_case(users["mediator"], received_on=D(2026, 6, 1), dispute_arose_on=D(2026, 5, 1),
                      still_employed=True, type_code="social_insurance", worker_name="王五")
    assert clocks(other)["limitation"].due_on == D(2027, 6, 1)


def test_mediation_that_runs_out_is_deemed_failed_and_the_failure_dates_from_the_next_day(users, client, login):
    case = case_at(Status.IN_MEDIATION, users["mediator"])  # accepted 19 days ago
    end = services.mediation_end(case)
    assert end < days_ago(0) and rules.mediation_deemed_failed(case, days_ago(0))
    assert clocks(case)["mediation"].state(days_ago(0)) == "overdue"
    assert services.failure_date(case) == end + dt.timedelta(days=1)
    login("mediator")
    page = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert "deemed to have failed" in page
    assert f'value="{(end + dt.timedelta(days=1)).isoformat()}"' in page  # the failure form's date
    with unit_of_work(writes=True):
        services.record_failure(case, users["mediator"], reason="逾期未达成协议")
    assert case.outcome_on == end + dt.timedelta(days=1)
    assert clocks(case)["mediation"].state(days_ago(0)) == "missed"


def test_a_manual_green_marking_runs_its_targets_from_the_marking(users):
    case = make_case(users["mediator"], received_on=days_ago(30), type_code="contract")
    with unit_of_work(writes=True):
        services.set_green_channel(case, users["supervisor"], green=True, reason="群体性欠薪", on=days_ago(2))
    found = clocks(case)
    assert case.green_channel_marked_on == days_ago(2)
    assert found["green_close"].due_on >= days_ago(2) + dt.timedelta(days=15)
    assert found["green_close"].state(days_ago(0)) != "overdue"  # not overdue the moment it is marked


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.MEDIATED])
def test_clocks_that_oblige_nobody_are_information(status, users):
    if status == Status.WITHDRAWN:
        case = make_case(users["mediator"], received_on=days_ago(30))
        with unit_of_work(writes=True):
            services.withdraw_case(case, users["mediator"], reason="已和解", on=days_ago(29))
        deadline = clocks(case)["accept"]  # withdrawn before anyone decided: nothing to decide
    else:
        case = case_at(Status.MEDIATED, users["mediator"])
        deadline = clocks(case)["arbitral_review"]  # the parties' option, not a duty
    assert deadline.info and deadline.state(days_ago(0)) == "info"


def test_an_unpaid_instalment_is_a_clock_until_it_is_paid(users):
    from decimal import Decimal

    from mediation.recovery import services as recovery

    case = case_at(Status.MEDIATED, users["mediator"])  # 12,000 due 10 days after receipt (10 days ago)
    assert [d.key for d in rules.compute(case)].count("instalment") == 1
    with unit_of_work(writes=True):
        recovery.record_payment(case, users["mediator"], on=days_ago(1), amount=Decimal("12000"))
    assert "instalment" not in [d.key for d in rules.compute(case)]


def test_art_47_is_judged_per_worker_and_cannot_tell_from_a_total(users, app):
    app.config["MONTHLY_MINIMUM_WAGE_FEN"] = 2_690_00  # 12 months: 32,280 yuan
    small = make_case(users["mediator"], claimed="30000.00")
    assert rules.final_award(small) == "final"
    large = make_case(users["mediator"], claimed="40000.00", worker_name="李四")
    assert rules.final_award(large) == "not_final"
    # An imported group case: 40 workers, one named, the claim a total: nobody can tell.
    group = make_case(users["mediator"], claimed="0.00", worker_name="王五", workers_count=40,
                      claimed_total=__import__("decimal").Decimal("200000"))
    assert rules.final_award(group) == "unknown"
    assert rules.final_award(make_case(users["mediator"], type_code="contract", worker_name="赵六")) is None
    db.session.rollback()
