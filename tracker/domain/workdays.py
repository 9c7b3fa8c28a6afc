"""The Chinese working-day calendar (工作日): public holidays and adjusted working weekends (R15).

Official notices often give a deadline as "N working days from publication"
(自发布之日起 N 个工作日内). China moves weekends around its public holidays every year
(调休: e.g. 2025-09-28, a Sunday, and 2025-10-11, a Saturday, were working days around
the National Day holiday 2025-10-01…08), so the count cannot be done with weekdays alone.
The State Council publishes each year's arrangement in November or December of the year
before. Where a year's arrangement comes from, strongest first:

1. **recorded** — the officer recorded it (`tracker calendar import`, holiday-cn JSON or
   TOML): it replaces everything else for that year;
2. **library** — the maintained `chinese-calendar` package, when it knows the year;
3. **provisional** — nothing knows the year: Monday to Friday are working days, no
   holidays. A count that crosses such a year is *provisional*: it is accepted, marked so
   wherever it is shown, and recomputed when the year is recorded. No count ever fails
   because a year is unknown.

Counting follows the Civil Code (民法典) art. 201: the day a period starts is not counted;
the count begins the next day. So "3 working days from Friday 2025-09-26" ends on
Tuesday 2025-09-30 (Sunday 09-28 was a working day), not on Monday.

Pure: the recorded arrangements are handed in (`WorkCalendar(recorded)`); nothing here
reads the database or the clock.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from .text import Text

RECORDED, LIBRARY, PROVISIONAL = "recorded", "library", "provisional"
#: Weakest last: a count is as good as the weakest year it crosses.
SOURCES = (RECORDED, LIBRARY, PROVISIONAL)
SOURCE_LABELS = {
    RECORDED: Text("已录入", "recorded"),
    LIBRARY: Text("软件内置（chinese-calendar）", "library (chinese-calendar)"),
    PROVISIONAL: Text("暂定（周一至周五）", "provisional (Monday to Friday)"),
}
#: The names chinese-calendar gives its holidays, in Chinese.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
}
_NAMES_EN = {zh: en for en, zh in HOLIDAY_NAMES_ZH.items()}


@dataclass(frozen=True)
class Arrangement:
    """One year's holiday arrangement (节假日安排): the days off and the adjusted working days.

    `holidays` may hold weekend days inside a holiday (as published); `workdays` holds only
    weekend days (调休上班日). Every other Monday–Friday is a working day.
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    #: The day's name as published (元旦, 春节 …), when known.
    names: Mapping[date, str] = field(default_factory=dict, compare=False, hash=False)
    #: Where it comes from: the State Council's paper (国办发明电…), a URL, a file.
    source: str = ""

    def name(self, day: date) -> Text | None:
        name = self.names.get(day)
        if not name:
            return None
        if name in HOLIDAY_NAMES_ZH:
            return Text(HOLIDAY_NAMES_ZH[name], name)
        return Text(name, _NAMES_EN.get(name, name))

    def same_days(self, other: Arrangement | None) -> bool:
        return other is not None and (self.holidays, self.workdays) == (other.holidays,
                                                                      other.workdays)

    def is_working_day(self, day: date) -> bool:
        """By this arrangement alone (the day must be in its year)."""
        return day not in self.holidays and (day.weekday() < 5 or day in self.workdays)

    def differing_days(self, other: Arrangement) -> list[date]:
        """The days of the year that are working days by one arrangement and not the other."""
        day, found = date(self.year, 1, 1), []
        while day.year == self.year:
            if self.is_working_day(day) != other.is_working_day(day):
                found.append(day)
            day += timedelta(days=1)
        return found


@lru_cache(maxsize=1)
def _library_years() -> frozenset[int]:
    from chinese_calendar import constants

    return frozenset(d.year for d in constants.holidays)


def library_years() -> range:
    """The years the installed chinese-calendar covers."""
    years = sorted(_library_years())
    return range(years[0], years[-1] + 1)


@lru_cache(maxsize=64)
def library_arrangement(year: int) -> Arrangement | None:
    """The year as chinese-calendar has it, or None when it does not know the year."""
    if year not in library_years():
        return None
    from chinese_calendar import constants

    holidays = {d: n for d, n in constants.holidays.items() if d.year == year}
    workdays = {d: n for d, n in constants.workdays.items()
                if d.year == year and d.weekday() >= 5}
    return Arrangement(year, frozenset(holidays), frozenset(workdays),
                       names={**holidays, **workdays}, source="chinese-calendar")


@dataclass(frozen=True)
class WorkdayCount:
    """The `days`-th working day after `start`, and how sure it is."""

    start: date
    days: int
    due: date
    #: The years crossed (start excluded, due included) that nothing knows: Mon–Fri used.
    provisional_years: tuple[int, ...] = ()
    #: The years crossed whose recorded arrangement was used.
    recorded_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def basis(self) -> str:
        """The weakest source the count used: provisional, else recorded, else library."""
        if self.provisional_years:
            return PROVISIONAL
        return RECORDED if self.recorded_years else LIBRARY


class WorkCalendar:
    """Working days by the strongest source that knows each year (module docstring)."""

    def __init__(self, recorded: Iterable[Arrangement] = ()):
        self.recorded: dict[int, Arrangement] = {a.year: a for a in recorded}

    def source(self, year: int) -> str:
        if year in self.recorded:
            return RECORDED
        return LIBRARY if year in _library_years() else PROVISIONAL

    def arrangement(self, year: int) -> Arrangement | None:
        """The arrangement in force for `year`; None when the year is provisional."""
        return self.recorded.get(year) or library_arrangement(year)

    def is_working_day(self, day: date) -> bool:
        known = self.recorded.get(day.year)
        if known is not None:
            return known.is_working_day(day)
        if day.year in _library_years():
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5  # provisional: Monday to Friday

    def count(self, start: date, days: int) -> WorkdayCount:
        """The `days`-th working day after `start` (`start` itself is not counted, art. 201).

        `days` 0 gives `start` itself.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        day, left = start, days
        while left:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        # The years of the days looked at: after `start`, up to the due day.
        years = range((start + timedelta(days=1)).year, day.year + 1) if days else range(0)
        return WorkdayCount(start, days, day,
                            tuple(y for y in years if self.source(y) == PROVISIONAL),
                            tuple(y for y in years if self.source(y) == RECORDED))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


#: The calendar with nothing recorded: the library, then provisional.
LIBRARY_CALENDAR = WorkCalendar()


def is_working_day(day: date, calendar: WorkCalendar = LIBRARY_CALENDAR) -> bool:
    return calendar.is_working_day(day)


def add_working_days(start: date, count: int, calendar: WorkCalendar = LIBRARY_CALENDAR
                     ) -> date:
    """The `count`-th working day after `start` (see `WorkCalendar.count`)."""
    return calendar.count(start, count).due


def working_days_between(start: date, end: date,
                         calendar: WorkCalendar = LIBRARY_CALENDAR) -> int:
    return calendar.working_days_between(start, end)


def missing_arrangements(today: date, calendar: WorkCalendar, warning_month: int
                         ) -> list[int]:
    """The years whose arrangement the officer should record now and has not (R15):
    this year, when nothing knows it; next year too, from `warning_month` on (the State
    Council publishes it in November or December)."""
    years = [today.year] if calendar.source(today.year) == PROVISIONAL else []
    if today.month >= warning_month and calendar.source(today.year + 1) == PROVISIONAL:
        years.append(today.year + 1)
    return years
