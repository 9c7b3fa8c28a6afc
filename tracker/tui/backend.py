"""The dashboard's door to the services: one connection, used by one worker at a time.

Database work runs in thread workers (never on the UI loop); an SQLite connection is not
safe for concurrent use, so every call takes the lock. Each method is one service call:
the dashboard does what the command line does, through the same use cases (the
automatic snapshot before an import or a bulk event included). Textual-free on purpose:
the screens ask, this answers.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..services import cases, export, listing, overview, render, sheet
from ..services.context import Context
from ..services.query import CaseQuery

if TYPE_CHECKING:  # loaded when first used: the dashboard starts without them
    from ..services import importer, notices

T = TypeVar("T")


@dataclass
class Filters:
    """What the dashboard's filters select; applied to every panel and to the case list."""

    company: str | None = None
    department: str | None = None
    specialty: str | None = None

    def query(self, **more: Any) -> CaseQuery:
        return CaseQuery(company=self.company, department=self.department,
                         specialty=self.specialty, **more)


def list_query(filters: Filters, *, search: str | None, states: list[str],
               due: str | None) -> CaseQuery:
    """What the case list shows: the dashboard filters, the search, states, and "due"
    (a deadline due within 30 days: "soon", or an overdue one: "overdue")."""
    return filters.query(states=states, search=search or None,
                         due_within=overview.SOON_DAYS if due == "soon" else None,
                         overdue=due == "overdue")


class Backend:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.lock = threading.RLock()

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`function(ctx, *args, **kwargs)` while holding the connection."""
        with self.lock:
            return function(self.ctx, *args, **kwargs)

    # -- reads ---------------------------------------------------------------------
    def data_version(self) -> int:
        with self.lock:
            return self.ctx.db.data_version()

    def overview(self, filters: Filters) -> overview.Overview:
        return self.call(overview.overview, filters.query())

    def due_panels(self, filters: Filters) -> tuple[list, list]:
        return self.call(overview.due_panels, filters.query())

    def page(self, query: CaseQuery, *, sort: str, descending: bool, offset: int,
             limit: int) -> listing.Page:
        return self.call(listing.case_page, query, sort=sort, descending=descending,
                         offset=offset, limit=limit)

    def find(self, text: str, limit: int = 8) -> list[dict]:
        return self.call(listing.find_cases, text, limit)

    def choices(self) -> dict[str, list[str]]:
        return self.call(listing.filter_choices)

    def detail(self, case_id: int) -> sheet.CaseSheet:
        return self.call(sheet.case_sheet, case_id)

    def notices(self) -> list[dict]:
        from ..services.notices import list_notices

        return self.call(list_notices)

    def calendar_warning(self):
        """R15's early warning for the dashboard, at most once a day (services.calendar)."""
        from ..services.calendar import arrangement_warning

        return self.call(arrangement_warning, "dashboard")

    def reminders(self, filters: Filters, within: int, limit: int | None = None) -> list:
        from ..services.reminders import reminders

        return self.call(reminders, within=within, query=filters.query(), limit=limit)

    # -- import ----------------------------------------------------------------------
    def preview_import(self, path: str):
        from ..services.import_preview import preview_file

        return preview_file(path)

    def run_import(self, path: str, *, dry_run: bool, progress=None) -> importer.ImportReport:
        from ..services.importer import import_file

        return self.call(import_file, path, dry_run=dry_run, progress=progress)

    def write_errors_sheet(self, report: importer.ImportReport, path, lang: str) -> int:
        from ..services.importer import write_errors_sheet

        return write_errors_sheet(report, path, lang)

    # -- writes (each one transaction, in the services) -----------------------------
    def add_notice(self, form: dict, *, dry_run: bool) -> notices.NoticeResult:
        from ..services.notices import add_notice

        return self.call(add_notice, dry_run=dry_run, **form)

    def change_notice(self, notice_id: int, change: str, values: dict, *, dry_run: bool):
        """Correct (`values`: deadline, working_days, sitting) or withdraw a notice."""
        from ..services.notices import correct_notice, withdraw_notice

        if change == "withdraw":
            return self.call(withdraw_notice, notice_id, dry_run=dry_run)
        return self.call(correct_notice, notice_id, dry_run=dry_run, **values)

    def fire(self, case_id: int, event: str, data: dict[str, str], note: str | None):
        return self.call(cases.fire_event, case_id, event, data=data, note=note)

    def bulk(self, case_ids: list[int], event: str, data: dict[str, str], note: str | None,
             dry_run: bool = False) -> cases.BulkResult:
        return self.call(cases.bulk_event, case_ids, event, data=data, note=note,
                         dry_run=dry_run)

    def undo(self, case_id: int) -> dict:
        return self.call(cases.undo, case_id)

    def set_material(self, case_id: int, item: str, received: bool) -> bool:
        return self.call(cases.set_material, case_id, item, received=received)

    # -- files -----------------------------------------------------------------------
    def export_sheet(self, case_id: int, fmt: str, path: str, lang: str):
        return self.call(render.write_sheet, case_id, fmt, path, lang)

    def export_register(self, query: CaseQuery, fmt: str, path: str, lang: str,
                        sort: str = "case_id") -> int:
        return self.call(export.export_register, query, fmt, path, lang, sort=sort)

    def write_ics(self, filters: Filters, within: int, path: str, lang: str) -> int:
        from ..services.reminders import write_ics

        return self.call(write_ics, path, lang, within=within, query=filters.query())

    # -- continuing education (R9c) ------------------------------------------------
    def add_ce_course(self, case_id: int, form: dict[str, str]):
        """One course (one transaction, undoable); refused whole on a bad value."""
        from ..services.ce import add_course

        return self.call(add_course, case_id, **form)

    # -- reminder channels (R16) ----------------------------------------------------
    def channels(self) -> tuple[list[dict], dict[str, int]]:
        """Every channel as shown (its URL masked, its last send, the failures since) and
        how many items wait for each: one read, under one lock."""
        from ..services.channels import channels_overview
        from ..services.notify import preview

        def read(ctx: Context) -> tuple[list[dict], dict[str, int]]:
            waiting = {plan.channel["name"]: len(plan.new) for plan in preview(ctx)}
            return channels_overview(ctx), waiting

        return self.call(read)

    def notify_preview(self, names: list[str] | None) -> list[ChannelPreview]:
        """What "send now" would send to each channel (all, or those named): the lines of
        `tracker notify --dry-run`. Nothing is sent or recorded; no URL leaves here."""
        from ..services.notify import preview, preview_lines

        plans = self.call(preview, names)
        return [ChannelPreview(p.channel["name"], preview_lines(p), len(p.messages))
                for p in plans]

    def notify(self, names: list[str] | None, sent: Callable[[], None] | None = None):
        """Send now (`tracker notify`, the channels named or all): `sent` is told after
        each message the transport tried, for a progress bar."""
        from ..services.channels import apprise_send
        from ..services.notify import notify

        def transport(url: str, body: str, title: str, markdown: bool) -> str | None:
            error = apprise_send(url, body, title, markdown)
            if sent is not None:
                sent()
            return error

        return self.call(notify, names=names, transport=transport)

    def send_test(self, name: str) -> str | None:
        """One test message to the channel: None when accepted, else the transport's
        error (scrubbed of the URL's secrets)."""
        from ..services.notify import send_test

        return self.call(send_test, name)


@dataclass
class ChannelPreview:
    """One channel's part of the "send now" preview."""

    name: str
    #: ("heading" | "text", line), as `services.notify.preview_lines` gives them.
    lines: list[tuple[str, str]]
    messages: int
