"""The sweep: apply the time-driven events whose date has come, as actor `system`.

docs/domain.md: miss_review after the review deadline, open_renewal when the renewal window
opens, expire_registration after the last valid day, void_exam_passes when the last sitting
of a pass's window is over (R2a). The candidates are found set-based in SQL
(`tracker.store.deadlines.time_driven_candidates`, held to the Python reference
`tracker.domain.deadlines.time_driven_event` by the tests); each event is then fired
through the workflow (its guards check the date again) with `fire_bulk`, all in one
transaction. A case moved once no longer matches, so a second sweep changes nothing.

The sweep also reports what is flagged today and moves nothing: certificates published
long ago and still not collected (R5a).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.deadlines import TIME_DRIVEN
from ..store import deadlines as store
from .cases import BulkResult, fire_bulk
from .context import SYSTEM_ACTOR, Context
from .deadlines import DueItem, due_items

#: What the sweep reports without moving anything.
FLAGGED_KINDS = ("certificate_not_collected",)


@dataclass
class SweepResult:
    today: str
    dry_run: bool
    #: event -> its bulk result (applied and refused cases), in the order applied.
    results: dict[str, BulkResult] = field(default_factory=dict)
    #: Flags raised as of today (R5a): the items, soonest first.
    flagged: list[DueItem] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return sum(len(r.applied) for r in self.results.values())

    @property
    def refused(self) -> int:
        return sum(len(r.refused) for r in self.results.values())


def sweep(ctx: Context, *, dry_run: bool = False) -> SweepResult:
    """Fire every due time-driven event (one transaction); with dry_run, only report."""
    result = SweepResult(today=ctx.today.isoformat(), dry_run=dry_run)
    with ctx.db.transaction():
        candidates = store.time_driven_candidates(ctx.db, ctx.today.isoformat(),
                                                  ctx.rules.renewal_window_days,
                                                  ctx.rules.exam_window_years)
        for event in TIME_DRIVEN:
            result.results[event] = fire_bulk(ctx, candidates[event], event, dry_run=dry_run,
                                              actor=SYSTEM_ACTOR, extra={"sweep": True})
        result.flagged = due_items(ctx, within=0, kinds=FLAGGED_KINDS)
    return result
