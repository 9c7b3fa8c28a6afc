"""Which cases a use case reads, in the user's terms, and the store's filter made from it.

The faces say what they want (`CaseQuery`: states, a search, a department, "due within
30 days"); `to_filter` turns it into the store's `CaseFilter` with "today" and the rules
of the context, so that no face builds SQL or knows the store.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..domain.deadlines import KIND_ORDER, KINDS
from ..domain.rules import Rules
from ..store.deadlines import DeadlineSpec
from ..store.query import SORTABLE, CaseFilter, DueWindow
from .context import Context

#: What a list can be sorted by (`tracker list --sort`, `export-all --sort`).
SORT_KEYS = tuple(sorted(SORTABLE))


@dataclass
class CaseQuery:
    """Which cases, in the user's terms; every field narrows (all of them together)."""

    states: Sequence[str] = ()
    #: Name (or part of it), pinyin or initials, employee number or ID number.
    search: str | None = None
    department: str | None = None
    company: str | None = None
    specialty: str | None = None
    case_ids: Sequence[int] | None = None
    exam_year: int | None = None
    #: Only cases with a deadline due within this many days (the overdue ones included).
    due_within: int | None = None
    #: Only cases with an overdue deadline.
    overdue: bool = False


def spec_for(rules: Rules, today: date | None = None) -> DeadlineSpec:
    """The figures the deadline SQL needs, from the domain's kinds and the rules (and, for
    the flags raised on their day only, today)."""
    return DeadlineSpec(
        flags=tuple(name for name, kind in KINDS.items() if kind.flag),
        today=today.isoformat() if today else None,
        states={name: kind.states for name, kind in KINDS.items()}, rank=KIND_ORDER,
        first_registration_ce_years=rules.first_registration_ce_years,
        renewal_cutoff_days=rules.renewal_cutoff_days,
        ce_hours_required=rules.ce_hours_required,
        exam_window_years=rules.exam_window_years,
        certificate_stale_days=rules.certificate_stale_days,
        contact_stale_months=rules.contact_stale_months)


def to_filter(ctx: Context, query: CaseQuery | None) -> CaseFilter:
    """The store's filter for `query`, its due window computed from today and the rules."""
    query = query or CaseQuery()
    return CaseFilter(states=tuple(query.states), search=query.search or None,
                      department=query.department, company=query.company,
                      specialty=query.specialty, case_ids=query.case_ids,
                      exam_year=query.exam_year, due=_due_window(ctx, query))


def _due_window(ctx: Context, query: CaseQuery) -> DueWindow | None:
    if query.overdue:
        return DueWindow(spec_for(ctx.rules, ctx.today), before=ctx.today.isoformat())
    if query.due_within is not None:
        return DueWindow(spec_for(ctx.rules, ctx.today), on_or_before=(ctx.today + timedelta(
            days=query.due_within)).isoformat())
    return None
