"""Continuing education (R9c): the course log of a case, the hours of its current period,
and the requirement — configured with its source, or said to be not configured.

The API the faces call (the CLI's `tracker ce`, the case detail's CE panel, the status
sheet):

- `summary(ctx, case_id)` -> `CeSummary`: the entries (courses, and the hours recorded
  as a total without course detail), which of them count for the current period, the
  period's total, the requirement and its source;
- `entries(ctx, case_id)` -> the entries alone, oldest first;
- `add_course(ctx, case_id, hours=…, taken_on=…, provider=…)` -> one course, one history
  row (undo takes it back);
- `record_total(ctx, case_id, hours, add=False)` -> the recorded total of the period (the
  bulk path and `tracker ce-hours`);
- `ce_object(summary, lang)` -> the documented JSON (docs/json.md, `ce`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..domain.fields import DataError, parse_date
from ..domain.registration import ce_period_hours, ce_status, ce_window, in_window
from ..domain.text import Text
from ..errors import TrackerError
from ..store import cases as store
from . import cases as case_service
from .context import Context

#: A single course longer than this is a typing error, not a course.
MAX_COURSE_HOURS = 500.0
#: What the hours recorded as a total are called in the log (an import, `--set ce_hours=`).
RECORDED_TOTAL = Text("合计登记（导入或手工录入，未列明课程）",
                      "recorded total (imported or entered, no course detail)")


@dataclass(frozen=True)
class CeEntry:
    """One line of the log: a course, or (id None) the total recorded for the period."""

    id: int | None
    taken_on: str | None
    hours: float
    provider: str | None
    certificate_no: str | None
    #: Counted for the current period.
    in_period: bool
    recorded_at: str | None = None
    actor: str | None = None

    @property
    def kind(self) -> str:
        return "course" if self.id is not None else "recorded_total"


@dataclass(frozen=True)
class CeSummary:
    case_id: int
    #: The current period: first day (None before any registration) and last (None: open).
    period_from: str | None
    period_until: str | None
    entries: list[CeEntry]
    total: float
    required: float | None
    source: str

    @property
    def configured(self) -> bool:
        return self.required is not None

    @property
    def missing(self) -> float | None:
        """Hours still missing; None when the requirement is not configured."""
        return None if self.required is None else max(self.required - self.total, 0.0)

    @property
    def status(self) -> Text:
        """"本注册期已完成 36 / 要求 60 学时（来源：…）" or "…；学时要求未配置"."""
        return ce_status(self.total, self.required, self.source)

    def period(self) -> Text:
        start, end = self.period_from, self.period_until
        if not start:
            return Text("首次注册前：全部课程", "before the first registration: every course")
        if end:
            return Text(f"{start} 至 {end}", f"{start} to {end}")
        return Text(f"{start} 起", f"from {start}")


def entries(ctx: Context, case_id: int) -> list[CeEntry]:
    return summary(ctx, case_id).entries


def summary(ctx: Context, case_id: int) -> CeSummary:
    """The log and the figures of the current period, as of the case row."""
    row = case_service.get_case(ctx, case_id)
    courses = store.ce_courses(ctx.db, case_id)
    window = ce_window(row)
    found = [CeEntry(c["id"], c["taken_on"], float(c["hours"]), c["provider"],
                     c["certificate_no"], in_window(str(c["taken_on"]), window),
                     c["recorded_at"], c["actor"]) for c in courses]
    lump = float(row.get("ce_hours") or 0)
    if lump:
        found.append(CeEntry(None, None, lump, None, None, True))
    start, end = window
    return CeSummary(case_id=case_id, period_from=start or None, period_until=end,
                     entries=found, total=ce_period_hours(row, courses),
                     required=ctx.rules.ce_hours_required, source=ctx.rules.ce_hours_source)


# --------------------------------------------------------------------------- writing


def _hours(value: Any) -> float:
    try:
        hours = float(value)
    except (TypeError, ValueError):
        raise TrackerError("ce_bad_hours", value=value) from None
    if not math.isfinite(hours) or not 0 < hours <= MAX_COURSE_HOURS:
        raise TrackerError("ce_bad_hours", value=value)
    return hours


def _day(ctx: Context, value: Any) -> str:
    try:
        day = parse_date(str(value))
    except DataError as error:
        raise TrackerError("bad_value", key="--on", reasons=[error.reason]) from None
    if day > ctx.today:
        raise TrackerError("ce_future_day", day=day.isoformat(), today=ctx.today.isoformat())
    return day.isoformat()


def add_course(ctx: Context, case_id: int, *, hours: Any, taken_on: Any, provider: str,
               certificate_no: str | None = None, note: str | None = None) -> CeEntry:
    """Log one course (one transaction, one history row `ce_course_added`)."""
    amount, day = _hours(hours), _day(ctx, taken_on)
    provider = " ".join(str(provider or "").split())
    if not provider:
        raise TrackerError("ce_provider_empty")
    number = " ".join(str(certificate_no or "").split()) or None
    at = ctx.now()
    with ctx.db.transaction():
        row = case_service.get_case(ctx, case_id)
        if number and (same := store.ce_course_with_certificate(ctx.db, case_id, number)):
            raise TrackerError("ce_duplicate_certificate", number=number,
                               day=same["taken_on"], provider=same["provider"])
        record = {"case_id": case_id, "taken_on": day, "hours": amount, "provider": provider,
                  "certificate_no": number, "recorded_at": at, "actor": ctx.actor}
        course_id = store.add_ce_course(ctx.db, record)
        store.add_history(ctx.db, case_id=case_id, at=at, actor=ctx.actor,
                          event=case_service.CE_COURSE_ADDED, from_state=row["state"],
                          to_state=row["state"], note=note,
                          data={"course_id": course_id, "taken_on": day, "hours": amount,
                                "provider": provider, "certificate_no": number})
    return CeEntry(course_id, day, amount, provider, number, in_window(day, ce_window(row)),
                   at, ctx.actor)


def record_total(ctx: Context, case_id: int, hours: float, *, add: bool = False,
                 note: str | None = None) -> tuple[float, float]:
    """The hours of the current period recorded as a total (no course detail): set, or
    with `add` increased. Returns (before, after). An undoable event (`add_note`)."""
    row = case_service.get_case(ctx, case_id)
    before = float(row.get("ce_hours") or 0)
    after = before + hours if add else hours
    if not math.isfinite(after):  # inf, nan: a number a form or a JSON cannot hold
        raise TrackerError("ce_total_not_a_number", value=f"{hours:g}")
    if after < 0:
        raise TrackerError("ce_total_negative", total=f"{after:g}")
    case_service.fire_event(ctx, case_id, "add_note",
                            note=note or Text(f"继续教育学时合计：{after:g}",
                                              f"continuing-education hours: {after:g}"
                                              ).get(ctx.lang),
                            data={"ce_hours": f"{after:g}"})
    return before, after


# --------------------------------------------------------------------------- JSON


def entry_object(entry: CeEntry, lang: str) -> dict[str, Any]:
    return {"id": entry.id, "kind": entry.kind, "taken_on": entry.taken_on,
            "hours": entry.hours,
            "provider": entry.provider if entry.id is not None else RECORDED_TOTAL.get(lang),
            "certificate_no": entry.certificate_no, "in_period": entry.in_period,
            "recorded_at": entry.recorded_at, "actor": entry.actor}


def ce_object(found: CeSummary, lang: str) -> dict[str, Any]:
    """The documented JSON of a case's continuing education (docs/json.md, `ce`):
    `required` is null when not configured, and `status` says so in words."""
    return {"period_from": found.period_from, "period_until": found.period_until,
            "period_total": found.total, "required": found.required,
            "required_source": found.source or None, "configured": found.configured,
            "missing": found.missing, "status": found.status.get(lang),
            "entries": [entry_object(e, lang) for e in found.entries]}
