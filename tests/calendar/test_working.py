"""The working calendar and the periods counted on it, with dates worked out by hand.

2026: the State Council's schedule as ``chinesecalendar`` publishes it (National Day and Mid-Autumn:
1-7 October off, Saturday 10 October worked).  2027: not yet published when this was written, so the
built-in statutory holidays alone (Spring Festival: the eve Fri 5 February to Mon 8 February), until an
office enters the schedule.
"""
from __future__ import annotations

import datetime as dt

import pytest

from mediation.calendar.models import CalendarDay, DayKind
from mediation.calendar.statutory import statutory_holidays
from mediation.calendar.working import add_working_days, add_years, forget, is_working_day, period_end
from mediation.extensions import db

D = dt.date


@pytest.mark.parametrize("day, working", [
    (D(2026, 10, 1), False),   # National Day, a Thursday
    (D(2026, 10, 7), False),   # still the holiday, a Wednesday
    (D(2026, 10, 10), True),   # a Saturday worked in exchange (调休)
    (D(2026, 10, 11), False),  # an ordinary Sunday
    (D(2026, 2, 16), False),   # Spring Festival, a Monday
    (D(2026, 11, 23), True),   # an ordinary Monday
    (D(2027, 1, 1), False),    # New Year's Day 2027, a Friday: built in, though unpublished
    (D(2027, 2, 5), False),    # the lunar New Year's Eve 2027, a Friday
    (D(2027, 2, 8), False),    # the third day of the lunar year, a Monday
    (D(2027, 2, 9), True),     # after it: a Tuesday like any other (no schedule entered yet)
    (D(2027, 6, 9), False),    # Dragon Boat 2027 (5th of the 5th lunar month), a Wednesday
    (D(2027, 9, 15), False),   # Mid-Autumn 2027, a Wednesday
])
def test_holidays_are_off_and_swapped_weekend_days_are_worked(app, day, working):
    assert is_working_day(day) is working


def test_the_statutory_holidays_follow_the_2024_amendment_in_any_year():
    days = statutory_holidays(2031)
    assert [d for d, name in days.items() if name == "春节"] == [D(2031, 1, 22), D(2031, 1, 23), D(2031, 1, 24),
                                                               D(2031, 1, 25)]
    assert [d for d, name in days.items() if name == "劳动节"] == [D(2031, 5, 1), D(2031, 5, 2)]
    assert len(statutory_holidays(2030)) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3
    assert len(days) == 12 and days[D(2031, 10, 1)] == "国庆节"  # Mid-Autumn 2031 falls on 1 October
    # Before 2025: three days of Spring Festival (from the first day) and one of Labour Day.
    assert sorted(d for d, name in statutory_holidays(2024).items() if name == "春节") == [
        D(2024, 2, 10), D(2024, 2, 11), D(2024, 2, 12)]


def test_counting_across_the_national_day_holiday(app):
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)  # Thu 8, Fri 9, the swapped Sat 10
    assert add_working_days(D(2026, 11, 20), 3) == D(2026, 11, 25)  # a plain weekend: Mon, Tue, Wed


def test_a_period_ending_on_a_day_off_ends_on_the_next_working_day(app):
    assert period_end(D(2026, 9, 22), days=15) == D(2026, 10, 8)   # 7 October is a holiday
    assert period_end(D(2026, 8, 17), days=45) == D(2026, 10, 8)   # 1 October
    assert period_end(D(2026, 11, 2), days=15) == D(2026, 11, 17)  # a Tuesday: no move
    # One year: the same date next year; 29 February to 1 March, here a Saturday, so Monday 3 March.
    assert add_years(D(2024, 2, 29), 1) == D(2025, 3, 1)
    assert period_end(D(2024, 2, 29), years=1) == D(2025, 3, 3)
    assert period_end(D(2023, 3, 1), years=1) == D(2024, 3, 1)


def test_the_2027_spring_festival_before_and_after_the_schedule_is_entered(app):
    # Received Thursday 4 February 2027: three working days.  Built in: Fri 5 to Mon 8 are the holiday.
    assert add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 11)
    # The office enters the State Council's schedule (this one made up for the test): off 5-11 February,
    # Sunday 31 January and Saturday 20 February worked.
    db.session.add_all([CalendarDay(day=D(2027, 2, 5) + dt.timedelta(days=n), kind=DayKind.HOLIDAY)
                        for n in range(7)])
    db.session.add_all([CalendarDay(day=D(2027, 1, 31), kind=DayKind.WORKDAY),
                        CalendarDay(day=D(2027, 2, 20), kind=DayKind.WORKDAY)])
    db.session.commit()
    forget()
    assert add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 16)  # Fri 12, Mon 15, Tue 16
    assert is_working_day(D(2027, 1, 31)) and is_working_day(D(2027, 2, 20))
    assert not is_working_day(D(2027, 2, 10))
