"""The dashboard's first screen: cases per state, the latest activity, what is due.

Two reads, so that the counts show at once and the deadline panels follow: counting is an
index scan, the deadlines are computed for every case.
"""
from __future__ import annotations

from dataclasses import dataclass

from .context import Context
from .deadlines import DueItem, due_items
from .listing import counts_by_state, recent_activity
from .query import CaseQuery

#: The deadline panels' horizon: due within this many days.
SOON_DAYS = 30


@dataclass
class Overview:
    counts: dict[str, int]
    recent: list[dict]


def overview(ctx: Context, query: CaseQuery | None = None, *, recent: int = 12) -> Overview:
    """Cases per state and the latest history rows of the cases `query` selects."""
    return Overview(counts=counts_by_state(ctx, query),
                    recent=recent_activity(ctx, query, limit=recent))


def due_panels(ctx: Context, query: CaseQuery | None = None, *, limit: int = 50
               ) -> tuple[list[DueItem], list[DueItem]]:
    """(overdue or flagged — to follow up now —, due from today to SOON_DAYS days ahead),
    soonest first, `limit` each."""
    past = [item for item in due_items(ctx, within=0, query=query, limit=limit * 2)
            if item.deadline.overdue or item.deadline.flag][:limit]
    soon = [item for item in due_items(ctx, within=SOON_DAYS, query=query, limit=limit * 2,
                                       from_today=True)
            if not item.deadline.flag][:limit]
    return past, soon
