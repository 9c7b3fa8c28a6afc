"""The working-day calendar the officer keeps (R15): recorded holiday arrangements, what
recording one moves, and the early warning that next year's is still missing.

Where a year comes from, strongest first: the arrangement recorded here, the
`chinese-calendar` package, else *provisional* (Monday to Friday) — see
`tracker.domain.workdays`. Nothing is invented: a year nobody recorded and the package
does not know stays provisional, however late in the year.

**Record and undo.** An arrangement is not a case, so it has no place in `history`
(whose rows belong to a case). It has its own append-only table, `calendar`: one row per
*version* of a year, written by `tracker calendar import` (action ``import``) or by
`tracker calendar undo` (action ``undo``, which writes the version it restores — or no
days at all, when nothing was recorded before — and names the row it undoes). The newest
row of a year is in force; nothing is ever updated or deleted (triggers refuse it), so
what was in force on any day, who changed it and when can always be read back. Each row
also carries the deadlines the change moved (notice, cases, old and new date).

Recording or undoing a year is one transaction with its consequence: every notice counted
in working days is counted again on the new calendar, and the notice's deadline and the
cases' that still hold it move (`update` history rows naming the notice and the calendar
version; a case's own undo can revert such a row). Undoing an import therefore puts the
provisional deadlines back. A re-import of the arrangement in force changes nothing.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..domain import arrangements, workdays
from ..domain.arrangements import ArrangementError
from ..domain.text import Text
from ..domain.workdays import PROVISIONAL, RECORDED, Arrangement, WorkCalendar
from ..errors import TrackerError
from ..i18n import get_lang, t
from ..store import DatabaseErrors
from ..store import calendar as store
from ..store import cases as case_store
from .context import Context

#: A holiday arrangement is a few kilobytes; anything much bigger is not one.
MAX_FILE_BYTES = 1_000_000
#: The faces that give the early warning, each at most once a day (R15).
WARNING_FACES = ("remind", "sweep", "dashboard")
IMPORT, UNDO = "import", "undo"


# --------------------------------------------------------------------------- the calendar


def _arrangement(row: dict) -> Arrangement:
    names = {date.fromisoformat(k): v for k, v in (row.get("names") or {}).items()}
    return Arrangement(row["year"], frozenset(map(date.fromisoformat, row["holidays"])),
                       frozenset(map(date.fromisoformat, row["workdays"] or [])),
                       names=names, source=row.get("source") or "")


def work_calendar(ctx: Context) -> WorkCalendar:
    """The calendar in force: the arrangements recorded here, then the library."""
    return WorkCalendar(_arrangement(row) for row in store.in_force(ctx.db))


# --------------------------------------------------------------------------- reading a file


def _invalid(path: Path, reasons: list[Text]) -> TrackerError:
    return TrackerError("calendar_file_invalid", path=str(path), reasons=reasons)


def _parse(path: Path, text: str) -> Any:
    """The JSON or TOML document in `text` (by the file's suffix, else by its first
    character: holiday-cn files are JSON objects)."""
    as_json = path.suffix.lower() == ".json" or (
        path.suffix.lower() != ".toml" and text.lstrip().startswith("{"))
    try:
        return ("json", json.loads(text)) if as_json else ("toml", tomllib.loads(text))
    except json.JSONDecodeError as error:
        raise _invalid(path, [Text(f"JSON 格式错误：{error}", f"not valid JSON: {error}")]
                       ) from None
    except tomllib.TOMLDecodeError as error:
        raise _invalid(path, [Text(f"TOML 格式错误：{error}", f"not valid TOML: {error}")]
                       ) from None


def read_arrangement(path: Path | str) -> Arrangement:
    """The arrangement in a holiday-cn JSON or a TOML file, checked whole; TrackerError
    with every reason otherwise (nothing is read from or written to the database)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _invalid(path, [Text(f"文件过大（超过 {MAX_FILE_BYTES:,} 字节），不是节假日安排",
                                       f"too big for a holiday arrangement (over "
                                       f"{MAX_FILE_BYTES:,} bytes)")])
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise TrackerError("calendar_file_unreadable", path=str(path),
                           detail=error.strerror or str(error)) from None
    except UnicodeDecodeError:
        raise _invalid(path, [Text("文件不是 UTF-8 编码", "the file is not UTF-8 text")]
                       ) from None
    kind, document = _parse(path, text)
    try:
        if kind == "json":
            return arrangements.from_holiday_cn(document, path.name)
        return arrangements.from_toml(document, path.name)
    except ArrangementError as error:
        more = [Text(f"……另有 {error.more} 个问题", f"… and {error.more} more")] \
            if error.more else []
        raise _invalid(path, error.reasons + more) from None


# --------------------------------------------------------------------------- import, undo


@dataclass
class CalendarChange:
    """What recording (or undoing) a year's arrangement did, or would do (dry run)."""

    year: int
    action: str
    #: The arrangement recorded now (None: nothing recorded for the year any more).
    arrangement: Arrangement | None
    source_before: str
    source_after: str
    #: The calendar row written (None: dry run, or nothing changed).
    version: int | None = None
    #: The version undone (undo only).
    undoes: int | None = None
    #: The notices whose deadline or basis changes, with the cases that move.
    plan: list = field(default_factory=list)
    #: The same arrangement was already in force: nothing written.
    unchanged: bool = False
    #: Days the recorded arrangement counts otherwise than chinese-calendar (None: the
    #: library does not know the year).
    library_differs: list[date] | None = None
    dry_run: bool = False

    @property
    def moved(self) -> list:
        return [r for r in self.plan if r.moved]

    @property
    def confirmed(self) -> list:
        """Provisional deadlines that are no longer provisional and kept their date."""
        return [r for r in self.plan if not r.moved and r.count.basis != PROVISIONAL
                and r.notice["deadline_calendar"] == PROVISIONAL]

    @property
    def provisional_now(self) -> list:
        return [r for r in self.plan if r.count.basis == PROVISIONAL]


def _apply_change(ctx: Context, change: CalendarChange, calendar: WorkCalendar,
                  record: dict[str, Any], note: str) -> CalendarChange:
    """Plan the recount on `calendar`, then (unless a dry run) write the version row with
    what it moves and the moves themselves: one transaction, the caller's."""
    from . import notices  # notices counts on this module's calendar

    change.plan = notices.plan_recount(ctx, calendar)
    if change.dry_run:
        return change
    at = ctx.now()
    change.version = store.insert_version(ctx.db, {
        **record, "year": change.year, "action": change.action, "at": at,
        "actor": ctx.actor, "undoes": change.undoes,
        "moved": [r.to_dict() for r in change.plan]})
    notices.apply_recount(ctx, change.plan, at=at, note=note, calendar_version=change.version)
    return change


def _days_record(arrangement: Arrangement | None, file: str | None) -> dict[str, Any]:
    if arrangement is None:
        return {"holidays": None, "workdays": None, "names": None, "source": None,
                "file": None}
    return {"holidays": sorted(d.isoformat() for d in arrangement.holidays),
            "workdays": sorted(d.isoformat() for d in arrangement.workdays),
            "names": {d.isoformat(): n for d, n in sorted(arrangement.names.items()) if n},
            "source": arrangement.source, "file": file}


def import_arrangement(ctx: Context, path: Path | str, *, note: str | None = None,
                       dry_run: bool = False) -> CalendarChange:
    """Read the file (`read_arrangement`) and record it (`record_arrangement`)."""
    return record_arrangement(ctx, read_arrangement(path), file=Path(path).name, note=note,
                              dry_run=dry_run)


def record_arrangement(ctx: Context, arrangement: Arrangement, *, file: str | None = None,
                       note: str | None = None, dry_run: bool = False) -> CalendarChange:
    """Record the arrangement (it replaces the library for its year) and recount every
    notice counted in working days, in one transaction."""
    year = arrangement.year
    library = workdays.library_arrangement(year)
    with ctx.db.transaction():
        current = work_calendar(ctx)
        change = CalendarChange(
            year, IMPORT, arrangement, current.source(year), RECORDED, dry_run=dry_run,
            library_differs=arrangement.differing_days(library) if library else None)
        before = current.recorded.get(year)
        if arrangement.same_days(before) and arrangement.source == before.source:
            change.unchanged = True
            return change
        others = [a for y, a in current.recorded.items() if y != year]
        record = {**_days_record(arrangement, file), "note": note}
        return _apply_change(ctx, change, WorkCalendar([*others, arrangement]), record,
                             note or t("calendar_recount_note", year=year))


def last_undoable(rows: list[dict]) -> tuple[dict, dict | None] | None:
    """(the newest import not undone, the version in force before it) of one year's
    versions, oldest first; None when there is nothing to undo."""
    undone = {r["undoes"] for r in rows if r.get("undoes")}
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        if row["action"] == IMPORT and row["id"] not in undone:
            return row, rows[index - 1] if index else None
    return None


def undo_arrangement(ctx: Context, year: int, *, note: str | None = None,
                     dry_run: bool = False) -> CalendarChange:
    """Restore the version of `year` in force before its last import, as a new version,
    and recount (provisional deadlines become provisional again)."""
    with ctx.db.transaction():
        found = last_undoable(store.versions(ctx.db, year))
        if found is None:
            raise TrackerError("calendar_nothing_to_undo", year=year)
        target, previous = found
        restored = _arrangement(previous) if previous and previous["holidays"] else None
        current = work_calendar(ctx)
        others = [a for y, a in current.recorded.items() if y != year]
        calendar = WorkCalendar([*others, *([restored] if restored else [])])
        change = CalendarChange(year, UNDO, restored, current.source(year),
                                calendar.source(year), undoes=target["id"], dry_run=dry_run)
        record = {**_days_record(restored, previous["file"] if restored else None),
                  "note": note}
        return _apply_change(ctx, change, calendar, record,
                             note or t("calendar_undo_note", year=year, version=target["id"]))


# --------------------------------------------------------------------------- show


@dataclass
class YearView:
    """One year of the working-day calendar, as `tracker calendar show` lays it out."""

    year: int
    source: str
    arrangement: Arrangement | None
    #: The version in force when the year is recorded.
    recorded: dict | None
    versions: list[dict]
    library_version: str
    library_years: range


def year_view(ctx: Context, year: int) -> YearView:
    from importlib.metadata import PackageNotFoundError, version

    try:
        library_version = version("chinese-calendar")
    except PackageNotFoundError:  # run from a checkout without the distribution metadata
        library_version = "?"
    calendar = work_calendar(ctx)
    versions = store.versions(ctx.db, year)
    source = calendar.source(year)
    return YearView(year, source, calendar.arrangement(year),
                    versions[-1] if source == RECORDED else None, versions,
                    library_version, workdays.library_years())


def recount(ctx: Context, *, dry_run: bool = False) -> CalendarChange:
    """Count every notice again on the calendar in force, without recording a year: after
    chinese-calendar was upgraded and now knows a year that was provisional."""
    from . import notices

    with ctx.db.transaction():
        calendar = work_calendar(ctx)
        change = CalendarChange(0, "recount", None, "", "", dry_run=dry_run)
        change.plan = notices.plan_recount(ctx, calendar)
        if not dry_run:
            notices.apply_recount(ctx, change.plan, at=ctx.now(),
                                  note=t("calendar_recount_library"), calendar_version=None)
    return change


# --------------------------------------------------------------------------- early warning


@dataclass
class CalendarWarning:
    """What the officer should do about the calendar now (R15)."""

    #: Years whose arrangement should be recorded by now and is not.
    missing: list[int]
    #: Notices the calendar in force counts otherwise than recorded (`tracker calendar
    #: recount`: chinese-calendar was upgraded).
    recount: int = 0

    def __bool__(self) -> bool:
        return bool(self.missing or self.recount)

    def lines(self, lang: str | None = None) -> list[str]:
        """What to tell the officer, one line per matter."""
        lines = []
        if self.missing:
            years = ("、" if (lang or get_lang()) == "zh" else ", ").join(map(str, self.missing))
            lines.append(t("calendar_missing", lang=lang, years=years))
        if self.recount:
            lines.append(t("calendar_recount_pending", lang=lang, n=self.recount))
        return lines


def calendar_warning(ctx: Context) -> CalendarWarning:
    """The years missing (this year when nothing knows it; next year too from the rule
    `calendar_warning_month` on) and the notices waiting for a recount."""
    from . import notices

    calendar = work_calendar(ctx)
    missing = workdays.missing_arrangements(ctx.today, calendar,
                                            ctx.rules.calendar_warning_month)
    return CalendarWarning(missing, len(notices.plan_recount(ctx, calendar)))


def arrangement_warning(ctx: Context, face: str, *, record: bool = True) -> CalendarWarning:
    """The warning to give through `face` (remind, sweep, dashboard), at most once a day
    per face: empty when there is nothing to say or it was said today. With `record` the
    day is remembered (a dry run does not write); a database that cannot be written
    (read-only) does not stop the warning."""
    if face not in WARNING_FACES:
        raise KeyError(face)
    key = f"calendar_warning_{face}"
    if case_store.get_meta(ctx.db, key) == ctx.today.isoformat():
        return CalendarWarning([])
    warning = calendar_warning(ctx)
    if warning and record:
        try:
            with ctx.db.transaction():
                case_store.set_meta(ctx.db, key, ctx.today.isoformat())
        except DatabaseErrors:
            pass  # said again next time: better twice than never
    return warning
