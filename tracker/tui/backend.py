"""The dashboard's access to the services: one connection, used by one worker at a time.

Database work runs in thread workers (never on the UI loop); SQLite connections are not
safe for concurrent use, so every call takes the lock. Textual-free on purpose: the
screens ask, this answers.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..services import cases as service
from ..services.context import Context
from ..store import cases as store

T = TypeVar("T")


@dataclass
class Filters:
    """What the dashboard's filters select; applied to every panel and to the case list."""

    company: str | None = None
    department: str | None = None
    specialty: str | None = None

    def case_filter(self, **more: Any) -> store.CaseFilter:
        return store.CaseFilter(company=self.company, department=self.department,
                                specialty=self.specialty, **more)


@dataclass
class Page:
    rows: list[dict]
    total: int
    offset: int


@dataclass
class DashboardData:
    counts: dict[str, int]
    recent: list[dict]
    due: list[Any] = field(default_factory=list)
    overdue: list[Any] = field(default_factory=list)


class Backend:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.lock = threading.RLock()

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self.lock:
            return function(self.ctx, *args, **kwargs)

    # -- reads ---------------------------------------------------------------------
    def data_version(self) -> int:
        with self.lock:
            return self.ctx.db.data_version()

    def dashboard(self, filters: Filters) -> DashboardData:
        with self.lock:
            case_filter = filters.case_filter()
            return DashboardData(
                counts=store.count_by_state(self.ctx.db, case_filter),
                recent=store.recent_history_filtered(self.ctx.db, case_filter, limit=12))

    def page(self, filters: Filters, *, search: str | None, states: list[str], sort: str,
             descending: bool, offset: int, limit: int) -> Page:
        with self.lock:
            case_filter = filters.case_filter(states=states, search=search or None)
            total = store.count_cases(self.ctx.db, case_filter)
            offset = max(0, min(offset, max(0, total - 1) // limit * limit))
            rows = store.list_cases(self.ctx.db, case_filter, limit=limit, offset=offset,
                                    sort=sort, descending=descending)
            return Page(rows=rows, total=total, offset=offset)

    def find(self, text: str, limit: int = 8) -> list[dict]:
        with self.lock:
            return store.list_cases(self.ctx.db, store.CaseFilter(search=text), limit=limit)

    def choices(self) -> dict[str, list[str]]:
        with self.lock:
            return {column: store.distinct_values(self.ctx.db, column)
                    for column in ("company", "department", "specialty")}

    def detail(self, case_id: int) -> service.CaseDetail:
        return self.call(service.case_detail, case_id)

    # -- writes (each one transaction, in the services) -----------------------------
    def fire(self, case_id: int, event: str, data: dict[str, str], note: str | None):
        return self.call(service.fire_event, case_id, event, data=data, note=note)

    def bulk(self, case_ids: list[int], event: str, data: dict[str, str], note: str | None,
             dry_run: bool = False):
        return self.call(service.fire_bulk, case_ids, event, data=data, note=note,
                         dry_run=dry_run)

    def undo(self, case_id: int):
        return self.call(service.undo, case_id)

    def set_material(self, case_id: int, item: str, received: bool) -> bool:
        return self.call(service.set_material, case_id, item, received=received)
