"""Commands of the working-day calendar (R15): calendar import, show, undo, recount."""
from __future__ import annotations

from pathlib import Path

import click

from .. import i18n
from ..domain.workdays import SOURCE_LABELS, Arrangement
from ..i18n import pick, t
from ..services import calendar as service
from ..services.calendar import CalendarChange, YearView
from ..services.notices import NOTICE_KINDS
from .app import State, cli
from .output import console, escape, print_json, table, weekday

YEAR = click.IntRange(1990, 2100)


def _lang() -> str:
    return i18n.get_lang()


@cli.group()
def calendar():
    """The working-day calendar (工作日历, R15): record each year's holiday arrangement.

    "N working days" count by the State Council's arrangement of each year (holidays
    and adjusted working weekends): a recorded arrangement first, then the
    chinese-calendar package; a year neither knows is counted Monday to Friday and the
    deadline is marked provisional until the year is recorded.
    """


# --------------------------------------------------------------------------- a change


def _label(item) -> str:
    notice = item.notice
    spec = NOTICE_KINDS.get(notice["kind"])
    kind = spec.label.get(_lang()) if spec else notice["kind"]
    return t("calendar_notice", id=notice["id"], kind=kind, year=notice["exam_year"])


def _cases(ids: list[int]) -> str:
    shown = ", ".join(f"#{i}" for i in ids[:20])
    return shown + (" …" if len(ids) > 20 else "")


def _print_plan(change: CalendarChange) -> None:
    """Which deadlines moved (notice, cases, old → new), which were confirmed."""
    if not change.plan:
        console.print("  " + t("calendar_nothing_moves"))
        return
    for item in change.moved:
        new = t("provisional_label", label=item.new) if item.count.provisional else item.new
        line = t("calendar_moved", notice=_label(item), old=item.old, new=new,
                 n=len(item.cases), cases=_cases([r["case_id"] for r in item.cases]))
        console.print("  " + escape(line.rstrip()), soft_wrap=True)  # one line: grep-able
        if item.missed:
            console.print("[yellow]    " + escape(t("calendar_missed_check",
                                                   cases=_cases(item.missed))) + "[/]",
                          soft_wrap=True)
    for item in change.confirmed:
        console.print("  " + escape(t("calendar_confirmed", notice=_label(item),
                                      date=item.new)), soft_wrap=True)
    for item in change.provisional_now:
        if not item.moved:
            console.print("  " + escape(t("calendar_provisional_again", notice=_label(item),
                                          date=item.new)), soft_wrap=True)


def _print_arrangement_line(change: CalendarChange, arrangement: Arrangement) -> None:
    console.print("  " + escape(t("calendar_days", holidays=len(arrangement.holidays),
                                  workdays=len(arrangement.workdays),
                                  source=arrangement.source or "—")))
    differs = change.library_differs
    if differs is not None:
        key = "calendar_library_differs" if differs else "calendar_library_same"
        console.print("  " + t(key, n=len(differs),
                               days=", ".join(d.isoformat() for d in differs[:10])))


def _print_change(change: CalendarChange) -> None:
    lang = _lang()
    year = change.year
    if change.unchanged:
        console.print(t("calendar_unchanged", year=year))
        return
    before = SOURCE_LABELS[change.source_before].get(lang)
    after = SOURCE_LABELS[change.source_after].get(lang)
    if change.action == service.IMPORT:
        key = "calendar_record_dry_run" if change.dry_run else "calendar_recorded"
        console.print(t(key, year=year, version=change.version, before=before),
                      soft_wrap=True)
        _print_arrangement_line(change, change.arrangement)
    else:
        key = "calendar_undo_dry_run" if change.dry_run else "calendar_undone"
        console.print(t(key, year=year, undone=change.undoes, version=change.version,
                        after=after), soft_wrap=True)
    console.print(t("calendar_recount_title"))
    _print_plan(change)


def _change_object(change: CalendarChange) -> dict:
    arrangement = change.arrangement
    return {
        "year": change.year or None, "action": change.action, "version": change.version,
        "undoes": change.undoes, "dry_run": change.dry_run, "unchanged": change.unchanged,
        "calendar_before": change.source_before or None,
        "calendar_after": change.source_after or None,
        "source": arrangement.source if arrangement else None,
        "holidays": len(arrangement.holidays) if arrangement else None,
        "workdays": len(arrangement.workdays) if arrangement else None,
        "library_differs": None if change.library_differs is None else [
            d.isoformat() for d in change.library_differs],
        "changes": [item.to_dict() for item in change.plan],
        "moved": [item.notice["id"] for item in change.moved],
        "confirmed": [item.notice["id"] for item in change.confirmed],
        "provisional": [item.notice["id"] for item in change.provisional_now],
    }


def _finish(change: CalendarChange, fmt: str) -> None:
    if fmt == "json":
        print_json(_change_object(change))
    elif change.action == "recount":
        console.print((t("calendar_dry_run") + " " if change.dry_run else "")
                      + t("calendar_recount_done"))
        _print_plan(change)
    else:
        _print_change(change)


FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
DRY_RUN = click.option("--dry-run", is_flag=True,
                       help="Report what would change (and which deadlines would move); "
                            "change nothing.")


@calendar.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--note", help="A note kept with the record (e.g. where the file came from).")
@DRY_RUN
@FORMAT
@click.pass_obj
def calendar_import(state: State, file, note, dry_run, fmt):
    """Record a year's holiday arrangement (节假日安排) from FILE.

    FILE is the year's JSON of the holiday-cn project ({"year": 2027, "days": [{"name":
    "元旦", "date": "2027-01-01", "isOffDay": true}, …]}) or a TOML table:
    [2027] holidays = ["2027-01-01", …] workdays = ["2027-02-06", …]
    source = "国办发明电〔…〕…号". The file is checked whole (days inside the year, no day
    both off and working, only weekends as adjusted working days) and refused whole with
    the reasons. The recorded arrangement replaces chinese-calendar for its year; every
    deadline counted in working days is recounted in the same transaction, and the
    command lists the deadlines that moved (notice, cases, old → new).
    """
    arrangement = service.read_arrangement(file)  # a bad file never opens the database
    change = service.record_arrangement(state.context(), arrangement, file=file.name,
                                        note=note, dry_run=dry_run)
    _finish(change, fmt)


@calendar.command("undo")
@click.argument("year", type=YEAR)
@click.option("--note", help="Why it is undone.")
@DRY_RUN
@FORMAT
@click.pass_obj
def calendar_undo(state: State, year, note, dry_run, fmt):
    """Undo the last import of YEAR: the arrangement in force before it comes back (or,
    if there was none, the library's or the provisional count), as a new version; the
    deadlines are recounted (provisional ones become provisional again)."""
    change = service.undo_arrangement(state.context(), year, note=note, dry_run=dry_run)
    _finish(change, fmt)


@calendar.command("recount")
@DRY_RUN
@FORMAT
@click.pass_obj
def calendar_recount(state: State, dry_run, fmt):
    """Count every deadline given in working days again on the calendar in force (after
    upgrading chinese-calendar, which may now know a year that was provisional)."""
    _finish(service.recount(state.context(), dry_run=dry_run), fmt)


# --------------------------------------------------------------------------- show


def _day_rows(days: list, arrangement: Arrangement) -> list[list[str]]:
    lang = _lang()
    return [[day.isoformat(), weekday(day, lang), pick(arrangement.name(day)) or ""]
            for day in sorted(days)]


def _version_object(row: dict) -> dict:
    return {"version": row["id"], "action": row["action"], "at": row["at"],
            "actor": row["actor"], "undoes": row["undoes"], "file": row["file"],
            "source": row["source"], "note": row["note"],
            "holidays": None if row["holidays"] is None else len(row["holidays"]),
            "workdays": None if row["workdays"] is None else len(row["workdays"]),
            "moved": row["moved"] or []}


def _show_object(view: YearView, lang: str) -> dict:
    arrangement = view.arrangement

    def days(which) -> list[dict]:
        return [{"date": d.isoformat(), "weekday": weekday(d, lang),
                 "name": pick(arrangement.name(d), lang) or None} for d in sorted(which)]

    return {
        "year": view.year, "source": view.source,
        "source_label": SOURCE_LABELS[view.source].get(lang),
        "arrangement_source": arrangement.source if arrangement else None,
        "holidays": days(arrangement.holidays) if arrangement else [],
        "workdays": days(arrangement.workdays) if arrangement else [],
        "recorded": _version_object(view.recorded) if view.recorded else None,
        "library": {"package": "chinese-calendar", "version": view.library_version,
                    "years": [view.library_years[0], view.library_years[-1]]},
        "versions": [_version_object(r) for r in view.versions],
    }


def _print_show(view: YearView, lang: str) -> None:
    arrangement = view.arrangement
    console.print("[bold]" + escape(t("calendar_show_title", year=view.year,
                                      source=SOURCE_LABELS[view.source].get(lang))) + "[/]")
    years = view.library_years
    console.print("  " + t("calendar_library", version=view.library_version,
                           first=years[0], last=years[-1]))
    if view.recorded:
        row = view.recorded
        console.print("  " + escape(t("calendar_recorded_by", version=row["id"],
                                      at=row["at"].replace("T", " ")[:16], actor=row["actor"],
                                      file=row["file"] or "—")))
    if arrangement is None:
        console.print("[yellow]  " + escape(t("calendar_provisional_year", year=view.year))
                      + "[/]")
    else:
        console.print("  " + escape(t("calendar_source", source=arrangement.source or "—")))
        header = [t("col_date"), t("col_weekday"), t("col_holiday_name")]
        console.print(table(t("calendar_holidays", n=len(arrangement.holidays)), header,
                            _day_rows(arrangement.holidays, arrangement)))
        console.print(table(t("calendar_workdays", n=len(arrangement.workdays)), header,
                            _day_rows(arrangement.workdays, arrangement)))
    if view.versions:
        rows = [[f"#{r['id']}", t(f"calendar_action_{r['action']}")
                 + (f" #{r['undoes']}" if r["undoes"] else ""),
                 r["at"].replace("T", " ")[:16], r["actor"], r["file"] or "",
                 len(r["moved"] or [])] for r in view.versions]
        console.print(table(t("calendar_versions"), [
            t("col_version"), t("col_action"), t("col_at"), t("col_actor"), t("col_file"),
            t("col_moved")], rows))


@calendar.command("show")
@click.argument("year", type=YEAR)
@FORMAT
@click.pass_obj
def calendar_show(state: State, year, fmt):
    """The holidays and adjusted working days of YEAR and where they come from: recorded
    (with its versions), library (chinese-calendar) or provisional (Monday to Friday)."""
    lang = _lang()
    view = service.year_view(state.context(), year)
    if fmt == "json":
        print_json(_show_object(view, lang))
        return
    _print_show(view, lang)
