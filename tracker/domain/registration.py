"""Registration periods (R7a–R7d, R9a–R9c): what belongs to which employer and period.

- A labour contract belongs to one employer, a continuing-education proof to one
  registration period (R7d). A material row carries that as its *scope*: the employer's
  name, or the day the period it counts for began (`period_from`; "" before any
  registration). Only the rows of the current employer and period count for a guard;
  the others are shown as "earlier".
- The current period is counted from `period_from`, a case field the events keep: the
  approval of a registration (its approval date), of a renewal (the new validity's first
  day), an expiry (the day after the last valid day), a deregistration (its day).
- Continuing-education courses count when dated within the current period: from
  `period_from` to the last valid day of the current registration (open when there is
  none, e.g. after an expiry). Hours recorded as a total without course detail (an import,
  `--set ce_hours=`) count for the current period as they stand (the approval of the next
  period starts them at 0).
- Earlier registrations are read from the history: the event that ended one (a change of
  employer, a deregistration, a re-registration after expiry) recorded the registration as
  it was (`before`), and undo takes it back.

Pure: the service layer reads rows and courses, this module decides.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import reference
from .text import Text

#: States in which the case holds a registration in force (or applied for its renewal).
REGISTERED = ("registered", "renewal_due", "renewal_applied")

#: What the registration of a case is made of (the current one is on the case row; an
#: earlier one is what the event that ended it recorded as `before`).
REGISTRATION_KEYS = ("registration_no", "employer", "approved_on", "valid_from",
                     "valid_until", "seal_no", "seal_made_on")

#: R7d: what a material belongs to; items not named belong to the case as a whole.
MATERIAL_SCOPES = {"labour_contract": "employer", "ce_proof": "period"}


def current_employer(row: Mapping[str, Any], company: str | None = None) -> str:
    """The employer the case's registration is (or will be) with: the recorded employer,
    else the person's company."""
    return str(row.get("employer") or company or row.get("company") or "")


def period_key(row: Mapping[str, Any]) -> str:
    """The scope of the current period: the day it began, "" before any registration."""
    return str(row.get("period_from") or "")


def current_scope(item: str, row: Mapping[str, Any], employer: str | None = None) -> str:
    """The scope a row of `item` must have to count now (for `employer` when given: the
    employer an event is about, e.g. the new one of a change of registration)."""
    kind = MATERIAL_SCOPES.get(item)
    if kind == "employer":
        return employer if employer is not None else current_employer(row)
    if kind == "period":
        return period_key(row)
    return ""


def scope_label(item: str, scope: str) -> Text | None:
    """What a material row counts for, in words ("上海申建", "注册期自 2026-06-01"); None
    for an item that belongs to the case as a whole."""
    kind = MATERIAL_SCOPES.get(item)
    if kind == "employer":
        return Text(f"聘用单位：{scope}", f"employer: {scope}") if scope else \
            Text("聘用单位未记录", "employer not recorded")
    if kind == "period":
        return Text(f"{scope} 起的注册期", f"period from {scope}") if scope else \
            Text("首次注册前", "before the first registration")
    return None


def is_registration_material(item: str) -> bool:
    return item in MATERIAL_SCOPES


def material_label(item: str, scope: str | None = None) -> Text:
    """"劳动合同（聘用单位：上海申建）": the item and, for a scoped one, what it is for."""
    label = reference.MATERIALS.get(item) or Text(item, item)
    extra = scope_label(item, scope) if scope is not None else None
    if extra is None:
        return label
    return Text(f"{label.zh}（{extra.zh}）", f"{label.en} ({extra.en})")


# --------------------------------------------------------------------------- CE courses


def ce_window(row: Mapping[str, Any]) -> tuple[str, str | None]:
    """The current period for continuing education, as ISO day strings: (first day, last
    day or None when open). "" as the first day: no period yet, every course counts.

    Compared as text, as the SQL of the case view does (the same result by construction).
    """
    start = period_key(row)
    until = row.get("valid_until")
    end = str(until) if start and until is not None and str(until) >= start else None
    return start, end


def in_window(day: str, window: tuple[str, str | None]) -> bool:
    start, end = window
    return day >= start and (end is None or day <= end)


def ce_period_hours(row: Mapping[str, Any], courses: Iterable[Mapping[str, Any]]) -> float:
    """R9c: the hours that count for the current period: the recorded total (hours
    without course detail) plus the courses dated within the period."""
    window = ce_window(row)
    dated = sum(float(c["hours"]) for c in courses if in_window(str(c["taken_on"]), window))
    return float(row.get("ce_hours") or 0) + dated


def ce_period_done(row: Mapping[str, Any]) -> float:
    """R9c: the hours of the current period as a case row has them: the case view's
    `ce_period_hours` (the recorded total and the courses dated in the period), or the
    recorded total alone for a row without it."""
    value = row.get("ce_period_hours")
    return float(value if value is not None else row.get("ce_hours") or 0)


def ce_status(done: float, required: float | None, source: str) -> Text:
    """"已完成 36 / 要求 60 学时（来源：…）", or "已完成 36 学时；学时要求未配置": the
    requirement with its source (R9c), never a figure of its own."""
    if required is None:
        return Text(f"本注册期已完成 {done:g} 学时；学时要求未配置",
                    f"{done:g} hours done this period; the required hours are not "
                    "configured")
    return Text(f"本注册期已完成 {done:g} / 要求 {required:g} 学时（来源：{source}）",
                f"{done:g} of {required:g} hours done this period (source: {source})")


# --------------------------------------------------------------------------- history


def earlier_registrations(rows: Sequence[Mapping[str, Any]], endings: Mapping[str, Text]
                          ) -> list[dict[str, Any]]:
    """The registrations a case had before its current one, oldest first, from its
    history rows (as stored, `data` decoded): each ending event (`endings`: event name ->
    why it ends a registration) that found a registration recorded it as `before`.

    Rows undone (and the undo rows) do not count. Each result has the REGISTRATION_KEYS,
    `ended_on` (the last valid day of an expired one, else the day of the change or
    deregistration as recorded, else the day of the row), `reason` (Text) and `event`.
    """
    undone = {r.get("undoes") for r in rows if r.get("undoes")}
    found = []
    for row in rows:
        if row.get("id") in undone or row.get("undoes") or row["event"] not in endings:
            continue
        data = row.get("data") or {}
        before = data.get("before") or {}
        if not (before.get("registration_no") or before.get("valid_until")):
            continue  # nothing was registered: nothing ended
        record = {key: before.get(key) for key in REGISTRATION_KEYS}
        record.update(event=row["event"], reason=endings[row["event"]],
                      ended_on=_ended_on(row, data, before))
        found.append(record)
    return found


def _ended_on(row: Mapping[str, Any], data: Mapping[str, Any], before: Mapping[str, Any]
              ) -> str:
    if row.get("from_state") == "registration_expired":
        return str(before.get("valid_until") or "")[:10]
    for part in ("set", "recorded"):
        values = data.get(part) or {}
        for key in ("deregistered_on", "approved_on"):
            if values.get(key):
                return str(values[key])
    return str(row.get("at") or "")[:10]
