"""Reminders: what is due within the window and everything overdue, soonest first.

Three renderings of the same list (`due_items`): rows for the table, the documented JSON
objects, and an iCalendar file (RFC 5545, through the `icalendar` package) with one
all-day VEVENT per deadline and one VALARM per reminder stage.

The UID of an event is derived from the case and the deadline kind only
(``tracker-case-42-review_deadline@grade2-tracker``), never from the date: when a deadline
moves, re-importing the file updates the event in Outlook, Thunderbird or a phone's
calendar instead of adding a second one. SEQUENCE grows with the case's last change, so
the newer export wins. A provisional deadline (R15) says so in its summary and description;
when the year's arrangement is recorded and it moves, the next export moves the event.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..domain.deadlines import days_label, flag_label
from ..domain.text import Text
from ..domain.workflow import state_label
from ..files import write_private_bytes
from ..i18n import t
from .context import Context
from .deadlines import DueItem, due_items
from .query import CaseQuery

UID_DOMAIN = "grade2-tracker"
#: Alarms go off at 09:00 on the stage's day (an all-day event starts at 00:00).
ALARM_HOUR = 9
#: SEQUENCE counts seconds of the case's last change from this day (grows with each change).
_EPOCH = datetime(2020, 1, 1)


def reminders(ctx: Context, *, within: int | None = None, query: CaseQuery | None = None,
              kinds: Sequence[str] | None = None, limit: int | None = None) -> list[DueItem]:
    """The reminder list (see `tracker.services.deadlines.due_items`): the dated ones, then
    the deadlines at a sitting whose day is not published yet (R2a: named, no day count)."""
    return due_items(ctx, within=within, query=query, kinds=kinds, limit=limit, undated=True)


def reminder_object(item: DueItem, lang: str) -> dict[str, Any]:
    """The documented JSON object of one reminder (docs/json.md, `tracker remind`)."""
    deadline, row = item.deadline, item.row
    return {
        "case_id": row["case_id"],
        "employee_no": row.get("employee_no"),
        "name": row["name"],
        "kind": deadline.kind,
        "due_on": deadline.due_on.isoformat() if deadline.due_on else None,
        "sitting_year": deadline.sitting_year,
        "days_left": deadline.days_left,
        "overdue": deadline.overdue,
        "label": deadline.label.get(lang),
        "detail": deadline.detail.get(lang) if deadline.detail else None,
        "stage": deadline.stage,
        "state": row["state"],
        "department": row.get("department"),
        "provisional": deadline.provisional,
    }


def uid(case_id: int, kind: str) -> str:
    """Stable per case and deadline kind: never derived from the date."""
    return f"tracker-case-{case_id}-{kind}@{UID_DOMAIN}"


def summary(item: DueItem, lang: str) -> str:
    row, label = item.row, item.deadline.label.get(lang)
    if item.deadline.provisional:
        label = t("provisional_label", lang=lang, label=label)
    who = row["name"]
    if row.get("employee_no"):
        who += f"（{row['employee_no']}）" if lang == "zh" else f" ({row['employee_no']})"
    return f"{label}：{who}" if lang == "zh" else f"{label}: {who}"


def _sequence(row: dict) -> int:
    try:
        changed = datetime.fromisoformat(str(row.get("updated_at")))
    except ValueError:
        return 0
    return max(int((changed.replace(tzinfo=None) - _EPOCH).total_seconds()), 0)


def _description(item: DueItem, lang: str) -> str:
    deadline, row = item.deadline, item.row
    lines = [
        Text(f"{deadline.label.zh}：{deadline.when.zh}",
             f"{deadline.label.en}: {deadline.when.en}").get(lang),
        Text(f"案件 {row['case_id']} · 状态：{state_label(row['state'], 'zh')}",
             f"Case {row['case_id']} · status: {state_label(row['state'], 'en')}").get(lang),
    ]
    if row.get("department"):
        lines.append(Text(f"部门：{row['department']}", f"Department: {row['department']}"
                          ).get(lang))
    if deadline.detail:
        lines.append(deadline.detail.get(lang))
    if deadline.provisional:
        lines.append(t("provisional_advice", lang=lang))
    lines.append(Text(f"查看：tracker show {row['case_id']}",
                      f"See: tracker show {row['case_id']}").get(lang))
    return "\n".join(lines)


def _alarm(stage: int, text: str, lang: str, flag: bool = False):
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    when = flag_label(0) if flag else days_label(stage)
    alarm.add("description", f"{text}（{when.zh}）" if lang == "zh" else f"{text} ({when.en})")
    # Relative to the all-day start (00:00): back `stage` days, then forward to 09:00.
    alarm.add("trigger", timedelta(days=-stage, hours=ALARM_HOUR))
    return alarm


def reminders_ics(items: Sequence[DueItem], lang: str, *, stamp: datetime | None = None
                  ) -> bytes:
    """An iCalendar file: one all-day VEVENT per deadline, one VALARM per reminder stage."""
    from icalendar import Calendar, Event  # only when a calendar is asked for (startup time)

    calendar = Calendar()
    calendar.add("prodid", "-//grade2-tracker//tracker deadlines//" + lang.upper())
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = "二级建造师 · 期限提醒" if lang == "zh" else "Grade-2 Constructor deadlines"
    calendar.add("x-wr-calname", name)
    dtstamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(
        microsecond=0)
    for item in (i for i in items if i.deadline.due_on is not None):  # a day to put it on
        deadline, row = item.deadline, item.row
        event = Event()
        event.add("uid", uid(row["case_id"], deadline.kind))
        event.add("dtstamp", dtstamp)
        event.add("sequence", _sequence(row))
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + timedelta(days=1))
        text = summary(item, lang)
        event.add("summary", text)
        event.add("description", _description(item, lang))
        event.add("categories", [deadline.label.get(lang)])
        event.add("transp", "TRANSPARENT")  # a deadline does not make the officer busy
        event.add("status", "CONFIRMED")
        for stage in deadline.stages or (0,):  # a flag: on its day
            event.add_component(_alarm(stage, text, lang, deadline.flag))
        calendar.add_component(event)
    return calendar.to_ical()


def write_ics(ctx: Context, path: Path | str, lang: str, *, within: int | None = None,
              query: CaseQuery | None = None) -> int:
    """The reminder list as an iCalendar file at `path` (private, written whole); the count of
    events (the dated deadlines: a calendar cannot hold an undated one)."""
    items = [i for i in reminders(ctx, within=within, query=query) if i.deadline.due_on]
    write_private_bytes(path, reminders_ics(items, lang, stamp=stamp_for(ctx)))
    return len(items)


def stamp_for(ctx: Context) -> datetime:
    """DTSTAMP: now (written in UTC); on a pinned day, that day at the clock's time."""
    return ctx.clock_on_today().astimezone()

