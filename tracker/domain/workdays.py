"""The Chinese working-day calendar (工作日): public holidays and adjusted working weekends.

Official notices often give a deadline as "N working days from publication"
(自发布之日起 N 个工作日内). China moves weekends around its public holidays every year
(调休: e.g. 2025-09-28, a Sunday, and 2025-10-11, a Saturday, were working days around
the National Day holiday 2025-10-01…08), so the count cannot be done with weekdays alone.
The State Council publishes each year's arrangement in the autumn before; the maintained
`chinese-calendar` package carries it. A year the package does not know yet is refused
(`CalendarUnknown`), never guessed: the officer then enters the deadline as a date.

Counting follows the Civil Code (民法典) art. 201: the day a period starts is not counted;
the count begins the next day. So "3 working days from Friday 2025-09-26" ends on
Tuesday 2025-09-30 (Sunday 09-28 was a working day), not on Monday.
"""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from .text import Text


class CalendarUnknown(ValueError):
    """The working-day calendar of `year` is not known (the package predates it)."""

    def __init__(self, year: int):
        super().__init__(f"no working-day calendar for {year}")
        self.year = year
        self.reason = Text(
            f"日历数据不含 {year} 年的节假日安排（请升级 chinese-calendar，或直接用日期指定截止日）",
            f"the working-day calendar has no data for {year} (upgrade chinese-calendar, "
            "or give the deadline as a date)")


def is_working_day(day: date) -> bool:
    """True on a working day of the Chinese calendar (adjusted working weekends included)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarUnknown(day.year) from None


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (`start` itself is not counted, art. 201).

    `count` 0 gives `start` itself. Raises CalendarUnknown when the count runs into a year
    the calendar does not know.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    left = count
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def known_years() -> range:
    """The years the installed calendar covers."""
    from chinese_calendar import constants

    years = sorted({d.year for d in constants.holidays})
    return range(years[0], years[-1] + 1)
