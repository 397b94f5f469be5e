"""Working days follow the State Council's holiday schedule, as the acceptance clocks must."""
from __future__ import annotations

import datetime as dt

import pytest

from mediation.cases.deadlines import acceptance_due
from mediation.core.timeutil import add_working_days, is_working_day
from tests.factories import make_case

D = dt.date


@pytest.mark.parametrize("day, working", [
    (D(2026, 10, 1), False),   # National Day, a Thursday
    (D(2026, 10, 7), False),   # still the holiday, a Wednesday
    (D(2026, 10, 10), True),   # a Saturday worked in exchange (调休)
    (D(2026, 10, 11), False),  # an ordinary Sunday
    (D(2026, 2, 16), False),   # Spring Festival, a Monday
    (D(2026, 11, 23), True),   # an ordinary Monday
])
def test_holidays_are_off_and_swapped_weekend_days_are_worked(day, working):
    assert is_working_day(day) is working


def test_years_without_a_published_schedule_count_monday_to_friday():
    assert is_working_day(D(2031, 10, 1))  # a Wednesday: no schedule known for 2031 yet
    assert not is_working_day(D(2031, 10, 4))  # a Saturday


def test_counting_across_the_national_day_holiday():
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)  # Thu 8, Fri 9, the swapped Sat 10
    assert add_working_days(D(2026, 11, 20), 3) == D(2026, 11, 25)  # a plain weekend: Mon, Tue, Wed


def test_a_case_received_before_the_holiday_is_due_for_acceptance_after_it(users):
    ordinary = make_case(users["mediator"], received_on=D(2026, 9, 30))
    green = make_case(users["mediator"], received_on=D(2026, 9, 30), migrant=True, worker_name="李四")
    assert acceptance_due(ordinary) == D(2026, 10, 10)
    assert green.green_channel and acceptance_due(green) == D(2026, 10, 8)
