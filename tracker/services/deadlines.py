"""Deadlines of cases as of `ctx.today`: one case (pure Python) or many (set-based SQL).

The per-case API other parts call (the dashboard, exports):

- `case_deadlines(ctx, row, materials=None)` -> every deadline of the case, soonest first;
- `next_deadline(ctx, row)` -> the soonest one, or None.

For many cases (`tracker remind`, `tracker list --due-within`), the dates come from one SQL
statement (`tracker.store.deadlines`) and are turned into the same `Deadline` objects by
`tracker.domain.deadlines.make_deadline`; the tests hold the SQL to the Python reference.

R15: a deadline that came from a notice counted in working days across a year nothing
knew yet is marked `provisional` (`provisional_deadlines`, one query for every case):
every face shows the mark, and the JSON carries `"provisional": true`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from ..domain import deadlines as domain
from ..domain.deadlines import KINDS, Deadline, make_deadline
from ..store import cases as case_store
from ..store import deadlines as store
from ..store import notices as notice_store
from .cases import sittings
from .context import Context
from .query import CaseQuery, spec_for, to_filter

__all__ = ["Deadline", "DueItem", "case_deadlines", "deadline_object", "due_items",
           "due_summary", "next_deadline", "next_deadlines"]


# --------------------------------------------------------------------------- provisional

#: The case column a notice writes -> the deadline kind it makes.
_FIELD_KINDS = {"review_deadline": "review_deadline", "paper_closes": "paper_window"}


def provisional_deadlines(ctx: Context) -> set[tuple[int, str]]:
    """(case id, deadline kind) of every deadline that holds a provisional count (R15)."""
    return {(case_id, _FIELD_KINDS[field])
            for case_id, field in notice_store.provisional_links(ctx.db)}


def _marked(deadline: Deadline | None, case_id: int, marks: set[tuple[int, str]]
            ) -> Deadline | None:
    if deadline is not None and (case_id, deadline.kind) in marks:
        return replace(deadline, provisional=True)
    return deadline


# --------------------------------------------------------------------------- one case


def case_deadlines(ctx: Context, row: Mapping[str, Any],
                   materials: Iterable[str] | None = None) -> list[Deadline]:
    """Every deadline of the case in `row` (a case_view row), soonest first.

    `materials` (the items received) are read from the database when not given: they
    decide the first-registration limit (gone once the CE proof is in) and the review
    detail (what evidence is still missing).
    """
    if materials is None:
        materials = case_store.materials(ctx.db, row["case_id"])
    found = domain.case_deadlines(row, ctx.today, ctx.rules, list(materials), sittings(ctx))
    marks = provisional_deadlines(ctx) if found else set()
    return [_marked(d, row["case_id"], marks) for d in found]


def next_deadline(ctx: Context, row: Mapping[str, Any]) -> Deadline | None:
    found = case_deadlines(ctx, row)
    return found[0] if found else None


def next_deadlines(ctx: Context, rows: Sequence[Mapping[str, Any]]
                   ) -> dict[int, Deadline | None]:
    """The next deadline of each row, in one query (for `tracker list` pages and exports)."""
    ids = [r["case_id"] for r in rows]
    result: dict[int, Deadline | None] = {i: None for i in ids}
    if not ids:
        return result
    earliest: dict[int, tuple[str, str]] = {}
    # Ordered by case, day and rank: the first of each case is its next deadline.
    for case_id, kind, due_on in store.all_due_dates(ctx.db, spec_for(ctx.rules, ctx.today), ids):
        earliest.setdefault(case_id, (kind, due_on))
    received = case_store.materials_of(ctx.db, list(earliest)) if earliest else {}
    known = sittings(ctx)
    marks = provisional_deadlines(ctx) if earliest else set()
    for row in rows:
        found = earliest.get(row["case_id"])
        if found is not None:
            kind, due_on = found
            result[row["case_id"]] = _marked(make_deadline(
                kind, date.fromisoformat(due_on), row, ctx.today, ctx.rules,
                received.get(row["case_id"], set()), known), row["case_id"], marks)
        elif row.get("state") == "exam_partial":  # the sitting it belongs to, undated
            for kind, year in domain.undated(row, ctx.rules, known)[:1]:
                result[row["case_id"]] = make_deadline(kind, None, row, ctx.today, ctx.rules,
                                                       None, known, year)
    return result


# --------------------------------------------------------------------------- many cases


#: The case_view columns a due item carries: who, where, and what the detail line needs.
#: (Fetching only these keeps `tracker remind` fast at 10,000 reminders.)
ITEM_COLUMNS = ("case_id", "employee_no", "name", "department", "company", "specialty",
                "state", "exam_year", "subjects", "exempt", "review_deadline", "appointment",
                "certificate_available_on", "certificate_date", "certificate_issued_on",
                "registration_no", "valid_until", "ce_hours", "ce_period_hours",
                "period_from", "paper_opens", "paper_closes",
                "contact_confirmed_on", "created_at", "updated_at")


@dataclass(frozen=True)
class DueItem:
    """One deadline of one case, with the case's row (the ITEM_COLUMNS of case_view)."""

    row: dict
    deadline: Deadline

    @property
    def case_id(self) -> int:
        return self.row["case_id"]


def windows(ctx: Context, within: int | None) -> dict[str, str] | str:
    """The last due day included: today+within for all kinds, else per kind its stages."""
    if within is not None:
        return (ctx.today + timedelta(days=within)).isoformat()
    return {kind: (ctx.today + timedelta(days=domain.window_for(kind, ctx.rules))).isoformat()
            for kind in KINDS}


def due_items(ctx: Context, *, within: int | None = None, query: CaseQuery | None = None,
              kinds: Sequence[str] | None = None, overdue_only: bool = False,
              limit: int | None = None, undated: bool = False,
              from_today: bool = False) -> list[DueItem]:
    """Deadlines due within the window and every overdue one, soonest first; then, with
    `undated`, the deadlines whose exam sitting has no recorded day yet (R2a: they name the
    sitting and count no days). `overdue_only`: only what is past its day (the overdue
    deadlines, and the flags raised before today); `from_today`: nothing past its day.

    Without `within`, each kind's window is its largest reminder stage (30 days for an
    ordinary deadline, 90 for a registration expiry with the default rules).
    """
    until = _until(ctx, within, overdue_only)
    case_filter = to_filter(ctx, query)
    rows = store.due_rows(ctx.db, spec_for(ctx.rules, ctx.today), until=until, case_filter=case_filter,
                          kinds=kinds, limit=limit, columns=ITEM_COLUMNS,
                          since=ctx.today.isoformat() if from_today else None)
    review_ids = [r["case_id"] for r in rows if r["deadline_kind"] == "review_deadline"]
    received = case_store.materials_of(ctx.db, review_ids) if review_ids else {}
    known = sittings(ctx)
    marks = provisional_deadlines(ctx) if rows else set()
    items = []
    for row in rows:
        kind = row.pop("deadline_kind")
        due_on = date.fromisoformat(row.pop("deadline_due_on"))
        row.pop("deadline_rank", None)
        materials = received.get(row["case_id"]) if kind == "review_deadline" else None
        deadline = make_deadline(kind, due_on, row, ctx.today, ctx.rules, materials, known)
        items.append(DueItem(row, _marked(deadline, row["case_id"], marks)))
    if undated and not overdue_only and (kinds is None or "exam_window" in kinds):
        left = None if limit is None else max(limit - len(items), 0)
        items += undated_items(ctx, case_filter, known, left)
    return items


def undated_items(ctx: Context, case_filter, known: Mapping[int, date],
                  limit: int | None = None) -> list[DueItem]:
    """R2a: the cases whose remaining subjects must be passed at a sitting whose day is
    not recorded yet (its exam notice is not out), by exam year."""
    if limit == 0:
        return []
    items = []
    for row in store.undated_exam_rows(ctx.db, case_filter, ctx.rules.exam_window_years,
                                       ITEM_COLUMNS, limit):
        for kind, year in domain.undated(row, ctx.rules, known):
            items.append(DueItem(row, make_deadline(kind, None, row, ctx.today, ctx.rules,
                                                    None, known, year)))
    return items


def _until(ctx: Context, within: int | None, overdue_only: bool = False
           ) -> dict[str, str] | str:
    if overdue_only:
        return (ctx.today - timedelta(days=1)).isoformat()
    return windows(ctx, within)


@dataclass(frozen=True)
class DueSummary:
    """How many deadlines `due_items` would list: the dated ones (`total`), overdue, due
    within 7 days; and, when asked, the undated ones (R2a: a sitting with no day yet)."""

    total: int
    overdue: int
    soon: int
    undated: int = 0

    @property
    def listed(self) -> int:
        """Everything the reminder list holds, the undated ones included."""
        return self.total + self.undated


def due_summary(ctx: Context, *, within: int | None = None, query: CaseQuery | None = None,
                kinds: Sequence[str] | None = None, soon_days: int = 7,
                undated: bool = False) -> DueSummary:
    """The counts of the reminder list, in one query (the table shows only its top)."""
    case_filter = to_filter(ctx, query)
    total, overdue, soon = store.due_summary(
        ctx.db, spec_for(ctx.rules, ctx.today), until=_until(ctx, within),
        today=ctx.today.isoformat(),
        soon_until=(ctx.today + timedelta(days=soon_days)).isoformat(),
        case_filter=case_filter, kinds=kinds)
    count = 0
    if undated and (kinds is None or "exam_window" in kinds):
        count = len(undated_items(ctx, case_filter, sittings(ctx)))
    return DueSummary(total, overdue, soon, count)


def deadline_object(deadline: Deadline, lang: str) -> dict[str, Any]:
    """The documented JSON object of a deadline (`tracker show --format json`); an undated
    one (R2a) has `due_on` null and the `sitting_year` it belongs to."""
    return {
        "kind": deadline.kind,
        "label": deadline.label.get(lang),
        "due_on": deadline.due_on.isoformat() if deadline.due_on else None,
        "sitting_year": deadline.sitting_year,
        "days_left": deadline.days_left,
        "overdue": deadline.overdue,
        "detail": deadline.detail.get(lang) if deadline.detail else None,
        "stage": deadline.stage,
        "provisional": deadline.provisional,
    }
