"""Statutory public holidays (全体公民放假的节日) for any year, from 《全国年节及纪念日放假办法》.

As amended in 2024 (from 2025): New Year's Day 1 day; Spring Festival 4 days (the eve and the first three
days of the lunar year); Qingming 1 day (the solar term); Labour Day 2 days (1-2 May); Dragon Boat 1 day
(5th of the 5th lunar month); Mid-Autumn 1 day (15th of the 8th lunar month); National Day 3 days
(1-3 October).  Earlier versions: 2014-2024 the Spring Festival was the first three lunar days and Labour
Day one day; 2008-2013 the Spring Festival was the eve and the first two lunar days.

The lunar dates and the solar term come from ``lunar_python`` (computed, not tabulated: any year works).
These are the days the law makes holidays; the State Council's yearly schedule adds the days moved
around them (调休), and takes precedence (:mod:`mediation.calendar.working`).
"""
from __future__ import annotations

import datetime as dt
import functools

from lunar_python import Lunar


def _day(solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _lunar(year: int, month: int, day: int) -> dt.date:
    return _day(Lunar.fromYmd(year, month, day).getSolar())


@functools.cache
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The year's statutory public holidays, each with its festival's name."""
    new_year = _lunar(year, 1, 1)
    eve = new_year - dt.timedelta(days=1)
    if year >= 2025:
        spring = [eve, new_year, new_year + dt.timedelta(days=1), new_year + dt.timedelta(days=2)]
        labour = [dt.date(year, 5, 1), dt.date(year, 5, 2)]
    elif year >= 2014:
        spring = [new_year + dt.timedelta(days=n) for n in range(3)]
        labour = [dt.date(year, 5, 1)]
    else:
        spring = [eve, new_year, new_year + dt.timedelta(days=1)]
        labour = [dt.date(year, 5, 1)]
    qingming = _day(Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"])
    days: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    days.update({day: "春节" for day in spring})
    days[qingming] = "清明节"
    days.update({day: "劳动节" for day in labour})
    days[_lunar(year, 5, 5)] = "端午节"
    days[_lunar(year, 8, 15)] = "中秋节"
    days.update({dt.date(year, 10, d): "国庆节" for d in (1, 2, 3)})
    return days
