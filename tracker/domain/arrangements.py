"""Reading a year's holiday arrangement (节假日安排) from what the officer has (R15).

Two shapes, both already parsed (JSON or TOML) by the caller:

- the JSON the holiday-cn project publishes, one file per year::

      {"year": 2027, "papers": ["https://www.gov.cn/…"],
       "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, …]}

  (`isOffDay` false: an adjusted working day, 调休上班日);
- a TOML table named after the year::

      [2027]
      holidays = ["2027-01-01", …]      # the days off (weekend days inside a holiday too)
      workdays = ["2027-02-06", …]      # the weekend days that are working days
      source = "国办发明电〔2026〕…号"

The arrangement is checked whole and refused whole: every problem is reported (up to
`MAX_REASONS`), nothing is half taken. A day outside the year, a day both off and
working, a Monday–Friday listed as an adjusted working day (only weekends are moved),
a file with no day off at all (holiday-cn publishes such empty files before the State
Council's paper), an unknown key (a typo would otherwise drop a list): each is a reason.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from .text import Text
from .workdays import Arrangement

#: How many problems a refusal lists (a wrong file can have hundreds).
MAX_REASONS = 20
YEARS = range(1990, 2101)
TOML_KEYS = ("holidays", "workdays", "source")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEKDAYS = (Text("星期一", "Monday"), Text("星期二", "Tuesday"), Text("星期三", "Wednesday"),
             Text("星期四", "Thursday"), Text("星期五", "Friday"))


class ArrangementError(ValueError):
    """The file is not a usable arrangement; `reasons` say why, in both languages."""

    def __init__(self, reasons: list[Text]):
        super().__init__("; ".join(r.en for r in reasons))
        self.reasons = reasons[:MAX_REASONS]
        self.more = max(len(reasons) - MAX_REASONS, 0)


def _day(value: Any, problems: list[Text]) -> date | None:
    """A day from ISO text or a TOML date; a problem (and None) otherwise."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and _ISO.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(Text(f"“{value}”不是日期（应为 YYYY-MM-DD）",
                         f"“{value}” is not a date (expected YYYY-MM-DD)"))
    return None


def _year(value: Any, problems: list[Text]) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
        problems.append(Text(f"年份无效：{value!r}（应为 {YEARS[0]}–{YEARS[-1]}）",
                             f"not a year: {value!r} (expected {YEARS[0]}–{YEARS[-1]})"))
        return None
    return value


def check(year: int, off: Mapping[date, str], working: Mapping[date, str], source: str,
          problems: list[Text]) -> Arrangement:
    """The arrangement of `year` from its days off and working days, or ArrangementError
    with every problem found (those of the reading before included)."""
    for day in sorted(set(off) | set(working)):
        if day.year != year:
            problems.append(Text(f"{day} 不在 {year} 年内（其他年份的日子属于那一年的安排）",
                                 f"{day} is not in {year} (a day of another year belongs "
                                 "to that year's arrangement)"))
    for day in sorted(set(off) & set(working)):
        problems.append(Text(f"{day} 既是放假日又是上班日", f"{day} is both a day off and a "
                                                           "working day"))
    for day in sorted(d for d in working if d.weekday() < 5):
        weekday = _WEEKDAYS[day.weekday()]
        problems.append(Text(f"{day} 是{weekday.zh}：只有星期六、星期日才可能是调休上班日",
                             f"{day} is a {weekday.en}: only a Saturday or a Sunday can be "
                             "an adjusted working day"))
    if not off:
        problems.append(Text(f"没有 {year} 年的放假日：该年安排尚未公布，或文件不完整",
                             f"no day off in {year}: the arrangement is not published in this "
                             "file yet, or the file is incomplete"))
    if problems:
        raise ArrangementError(problems)
    return Arrangement(year, frozenset(off), frozenset(working),
                       names={**off, **working}, source=source.strip())


# --------------------------------------------------------------------------- holiday-cn JSON


def from_holiday_cn(data: Any, fallback_source: str) -> Arrangement:
    """The arrangement in a holiday-cn JSON document (already parsed)."""
    problems: list[Text] = []
    if not isinstance(data, dict) or "days" not in data or "year" not in data:
        raise ArrangementError([Text("不是 holiday-cn 格式：应有 \"year\" 和 \"days\"",
                                     "not the holiday-cn format: \"year\" and \"days\" "
                                     "expected")])
    year = _year(data["year"], problems)
    off: dict[date, str] = {}
    working: dict[date, str] = {}
    days = data["days"] if isinstance(data["days"], list) else None
    if days is None:
        problems.append(Text("\"days\" 应为列表", "\"days\" must be a list"))
    for index, item in enumerate(days or [], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("isOffDay"), bool):
            problems.append(Text(f"days 第 {index} 项应有 \"date\" 和 true/false 的 \"isOffDay\"",
                                 f"days item {index} needs \"date\" and \"isOffDay\" "
                                 "(true or false)"))
            continue
        day = _day(item.get("date"), problems)
        if day is not None:
            name = item.get("name") if isinstance(item.get("name"), str) else ""
            (off if item["isOffDay"] else working)[day] = name
    papers = data.get("papers")
    source = " ".join(p for p in papers if isinstance(p, str)) if isinstance(papers, list) \
        else ""
    if year is None:
        raise ArrangementError(problems)
    return check(year, off, working, source or fallback_source, problems)


# --------------------------------------------------------------------------- TOML


def _days(table: Mapping[str, Any], key: str, problems: list[Text]) -> dict[date, str]:
    value = table.get(key, [])
    if not isinstance(value, list):
        problems.append(Text(f"{key} 应为日期列表，例如 [\"2027-01-01\"]",
                             f"{key} must be a list of dates, e.g. [\"2027-01-01\"]"))
        return {}
    found = (_day(item, problems) for item in value)
    return {day: "" for day in found if day is not None}


def from_toml(data: Mapping[str, Any], fallback_source: str) -> Arrangement:
    """The arrangement in a TOML document (already parsed): one table named after its year."""
    if len(data) != 1:
        raise ArrangementError([Text(
            f"应恰有一个年份表，例如 [2027]；文件中有：{', '.join(data) or '（无）'}",
            f"exactly one year table expected, e.g. [2027]; the file has: "
            f"{', '.join(data) or '(none)'}")])
    [(key, table)] = data.items()
    problems: list[Text] = []
    year = _year(key, problems)
    if not isinstance(table, dict):
        raise ArrangementError(problems + [Text(f"[{key}] 应为表（holidays、workdays、source）",
                                                f"[{key}] must be a table (holidays, "
                                                "workdays, source)")])
    for unknown in sorted(set(table) - set(TOML_KEYS)):
        problems.append(Text(f"未知的键：{unknown}（可用：{', '.join(TOML_KEYS)}）",
                             f"unknown key: {unknown} (known: {', '.join(TOML_KEYS)})"))
    source = table.get("source", "")
    if not isinstance(source, str):
        problems.append(Text("source 应为文字", "source must be text"))
        source = ""
    off, working = _days(table, "holidays", problems), _days(table, "workdays", problems)
    if year is None:
        raise ArrangementError(problems)
    return check(year, off, working, source or fallback_source, problems)
