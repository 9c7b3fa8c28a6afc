"""The dashboard's access to the services: one connection, used by one worker at a time.

Database work runs in thread workers (never on the UI loop); SQLite connections are not
safe for concurrent use, so every call takes the lock. Textual-free on purpose: the
screens ask, this answers.
"""
from __future__ import annotations

import threading
from pathlib import Path
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..services import backup
from ..services import cases as service
from ..services import deadlines, export, render
from ..services.context import Context
from ..store import cases as store
from ..store import deadlines as deadline_store

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
        """The quick part of the dashboard: counts per state and the latest activity."""
        with self.lock:
            case_filter = filters.case_filter()
            return DashboardData(
                counts=store.count_by_state(self.ctx.db, case_filter),
                recent=store.recent_history_filtered(self.ctx.db, case_filter, limit=12))

    def due_lists(self, filters: Filters, limit: int = 50) -> tuple[list, list]:
        """(overdue, due within 30 days): the deadline panels, loaded after the counts."""
        with self.lock:
            case_filter = filters.case_filter()
            overdue = deadlines.due_items(self.ctx, overdue_only=True, case_filter=case_filter,
                                          limit=limit)
            soon = [item for item in deadlines.due_items(
                        self.ctx, within=30, case_filter=case_filter, limit=limit * 2)
                    if not item.deadline.overdue][:limit]
            return overdue, soon

    def page(self, filters: Filters, *, search: str | None, states: list[str], sort: str,
             descending: bool, offset: int, limit: int, due: str | None = None) -> Page:
        """One page of cases, with the next deadline of each (one query for the page).

        `due` narrows to cases with a deadline due within 30 days ("soon") or overdue.
        """
        with self.lock:
            case_filter = self.list_filter(filters, search=search, states=states, due=due)
            total = store.count_cases(self.ctx.db, case_filter)
            offset = max(0, min(offset, max(0, total - 1) // limit * limit))
            if sort == "next_deadline":
                rows = deadline_store.list_by_next_deadline(
                    self.ctx.db, deadlines.spec_for(self.ctx.rules), case_filter, limit=limit,
                    offset=offset, descending=descending)
            else:
                rows = store.list_cases(self.ctx.db, case_filter, limit=limit, offset=offset,
                                        sort=sort, descending=descending)
            for row, found in zip(rows, deadlines.next_deadlines(self.ctx, rows).values()):
                row["next_deadline"] = found.due_on.isoformat() if found else None
                row["next_deadline_label"] = found.label if found else None
                row["days_left"] = found.days_left if found else None
            return Page(rows=rows, total=total, offset=offset)

    def list_filter(self, filters: Filters, *, search: str | None, states: list[str],
                    due: str | None) -> store.CaseFilter:
        """What the case list shows: the dashboard filters, the search, states, due."""
        extra = []
        if due == "soon":
            extra.append(deadlines.due_filter(self.ctx, within=30))
        elif due == "overdue":
            extra.append(deadlines.due_filter(self.ctx, overdue=True))
        return filters.case_filter(states=states, search=search or None, extra=extra)

    def find(self, text: str, limit: int = 8) -> list[dict]:
        with self.lock:
            return store.list_cases(self.ctx.db, store.CaseFilter(search=text), limit=limit)

    def choices(self) -> dict[str, list[str]]:
        with self.lock:
            return {column: store.distinct_values(self.ctx.db, column)
                    for column in ("company", "department", "specialty")}

    def detail(self, case_id: int) -> service.CaseDetail:
        return self.call(service.case_detail, case_id)

    # -- import ----------------------------------------------------------------------
    def preview_import(self, path: str):
        from ..services.import_preview import preview_file

        return preview_file(path)

    def run_import(self, path: str, *, dry_run: bool, progress=None):
        from ..services.importer import import_file

        with self.lock:
            if not dry_run and Path(path).is_file():
                backup.snapshot_before(self.ctx, "import")  # as `tracker import` does
            return self.call(import_file, path, dry_run=dry_run, progress=progress)

    def write_errors_sheet(self, report, path, lang: str) -> int:
        from ..services.importer import write_errors_sheet

        backup.make_private(path)  # the rejected rows carry ID numbers in full
        return write_errors_sheet(report, path, lang)

    # -- notices and reminders ---------------------------------------------------------
    def notices(self) -> list[dict]:
        from ..services.notices import list_notices

        return self.call(list_notices)

    def add_notice(self, form: dict, *, dry_run: bool):
        from ..services.notices import add_notice

        return self.call(add_notice, dry_run=dry_run, **form)

    def reminders(self, filters: Filters, within: int) -> list:
        from ..services.reminders import reminders

        return self.call(reminders, within=within, case_filter=filters.case_filter())

    def write_ics(self, filters: Filters, within: int, path: str, lang: str) -> int:
        from ..services.reminders import reminders, reminders_ics, stamp_for

        with self.lock:
            items = reminders(self.ctx, within=within, case_filter=filters.case_filter())
            data = reminders_ics(items, lang, stamp=stamp_for(self.ctx))
        Path(path).write_bytes(data)
        return len(items)

    # -- exports ---------------------------------------------------------------------
    def export_sheet(self, case_id: int, fmt: str, path: str, lang: str):
        return self.call(render.write_sheet, case_id, fmt, path, lang)

    def export_register(self, case_filter: store.CaseFilter, fmt: str, path: str, lang: str,
                        sort: str = "case_id") -> int:
        return self.call(export.export_register, case_filter, fmt, path, lang, sort=sort)

    # -- writes (each one transaction, in the services) -----------------------------
    def fire(self, case_id: int, event: str, data: dict[str, str], note: str | None):
        return self.call(service.fire_event, case_id, event, data=data, note=note)

    def bulk(self, case_ids: list[int], event: str, data: dict[str, str], note: str | None,
             dry_run: bool = False):
        with self.lock:
            if case_ids and not dry_run:
                backup.snapshot_before(self.ctx, "bulk")  # as `tracker bulk` does
            return self.call(service.fire_bulk, case_ids, event, data=data, note=note,
                             dry_run=dry_run)

    def undo(self, case_id: int):
        return self.call(service.undo, case_id)

    def set_material(self, case_id: int, item: str, received: bool) -> bool:
        return self.call(service.set_material, case_id, item, received=received)
