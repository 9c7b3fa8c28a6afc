"""Reading many cases: what `tracker list`, the dashboard and the bulk events select.

Every function takes a `CaseQuery` (tracker.services.query): the faces never see the
store's filter or its SQL.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..store import cases as store
from ..store import deadlines as deadline_store
from ..store.query import CaseFilter
from . import deadlines
from .context import Context
from .query import CaseQuery, spec_for, to_filter

#: The dashboard's list also sorts by each case's next deadline (computed in SQL).
NEXT_DEADLINE = "next_deadline"
#: The values a filter can choose from (the dashboard's drop-downs).
CHOICE_COLUMNS = ("company", "department", "specialty")


def list_cases(ctx: Context, query: CaseQuery | None = None, *, limit: int | None = None,
               offset: int = 0, sort: str = "case_id", descending: bool = False
               ) -> list[dict]:
    """Case rows (the case view), sorted; a page of them with `limit` and `offset`."""
    case_filter = to_filter(ctx, query)
    if sort == NEXT_DEADLINE:
        return deadline_store.list_by_next_deadline(
            ctx.db, spec_for(ctx.rules, ctx.today), case_filter,
            limit=-1 if limit is None else limit, offset=offset, descending=descending)
    return store.list_cases(ctx.db, case_filter, limit=limit, offset=offset, sort=sort,
                            descending=descending)


def count_cases(ctx: Context, query: CaseQuery | None = None) -> int:
    return store.count_cases(ctx.db, to_filter(ctx, query))


def case_ids(ctx: Context, query: CaseQuery) -> list[int]:
    """The ids of the cases `query` selects, in case order (a bulk event's selection)."""
    return [row["case_id"] for row in list_cases(ctx, query)]


def counts_by_state(ctx: Context, query: CaseQuery | None = None) -> dict[str, int]:
    return store.count_by_state(ctx.db, to_filter(ctx, query))


def recent_activity(ctx: Context, query: CaseQuery | None = None, limit: int = 12
                    ) -> list[dict]:
    """The latest history rows of the cases `query` selects, newest first, with names."""
    return store.recent_history_filtered(ctx.db, to_filter(ctx, query), limit=limit)


def filter_choices(ctx: Context) -> dict[str, list[str]]:
    """The companies, departments and specialties on record, most common first."""
    return {column: store.distinct_values(ctx.db, column) for column in CHOICE_COLUMNS}


def find_cases(ctx: Context, text: str, limit: int = 8) -> list[dict]:
    """Cases whose person matches `text` (as the list's search), for a quick jump."""
    return store.list_cases(ctx.db, CaseFilter(search=text), limit=limit)


@dataclass
class Page:
    """One page of a case list: its rows, how many cases in all, where it starts."""

    rows: list[dict]
    total: int
    offset: int


def case_page(ctx: Context, query: CaseQuery, *, sort: str, descending: bool, offset: int,
              limit: int) -> Page:
    """One page of cases, each row with its next deadline (`next_deadline`,
    `next_deadline_label`, `days_left`, `next_deadline_provisional`), in one query for
    the page."""
    total = count_cases(ctx, query)
    offset = max(0, min(offset, max(0, total - 1) // limit * limit))
    rows = list_cases(ctx, query, limit=limit, offset=offset, sort=sort, descending=descending)
    for row, found in zip(rows, deadlines.next_deadlines(ctx, rows).values(), strict=True):
        row["next_deadline"] = found.when if found else None
        row["next_deadline_label"] = found.label if found else None
        row["days_left"] = found.days_left if found else None
        row["deadline"] = found
        row["next_deadline_provisional"] = bool(found and found.provisional)
    return Page(rows=rows, total=total, offset=offset)


def case_rows(ctx: Context, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The case view rows of `ids`, in case order."""
    return list_cases(ctx, CaseQuery(case_ids=list(ids)))
