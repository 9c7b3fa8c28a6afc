"""`tracker import FILE`: load a staff list, explain every rejected row."""
from __future__ import annotations

from pathlib import Path

import click

from .. import i18n
from ..i18n import t
from ..services import importer
from .app import State, cli
from .output import console, err_console, escape, print_json, table

#: Rows of errors (and of notices) printed on the terminal; --errors writes them all.
SHOWN = 50


def _encoding_label(report: importer.ImportReport) -> str:
    from ..services.import_preview import encoding_label

    return encoding_label(report.encoding, report.encoding_reason)


def _report_object(report: importer.ImportReport, lang: str) -> dict:
    """The documented JSON object (docs/json.md, `tracker import`)."""
    def issue(i: importer.RowIssue) -> dict:
        return {"line": i.line, "column": i.column, "value": i.value,
                "reason": i.reason.get(lang)}

    return {
        "file": report.file,
        "encoding": report.encoding,
        "sheet": report.sheet,
        "sha256": report.sha256,
        "header_line": report.header_line,
        "columns": report.columns,
        "unknown_columns": report.unknown_columns,
        "rows": report.rows,
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "skipped_blank": report.skipped_blank,
        "dry_run": report.dry_run,
        "written": report.written,
        "errors": [issue(i) for i in report.errors],
        "notices": [issue(i) for i in report.notices],
    }


def _issue_table(title: str, issues: list[importer.RowIssue], lang: str):
    header = [t("import_col_line"), t("import_col_column"), t("import_col_value"),
              t("col_reason")]
    return table(title, header, ([i.line, i.column, i.value, i.reason.get(lang)]
                                 for i in issues[:SHOWN]))


def _print_report(report: importer.ImportReport, lang: str) -> None:
    name = escape(Path(report.file).name)
    title = t("import_dry_title" if report.dry_run else "import_title", file=name)
    where = []
    if report.encoding:
        where.append(t("import_encoding", encoding=_encoding_label(report)))
    if report.sheet:
        where.append(t("import_sheet", sheet=escape(report.sheet)))
    where.append(t("import_header_line", line=report.header_line))
    console.print(f"[bold]{title}[/]")
    console.print("  " + escape(" · ".join(where)))
    separator = "、" if lang == "zh" else ", "
    console.print("  " + escape(t("import_columns", columns=separator.join(
        report.columns.values()))))
    if report.unknown_columns:
        console.print("  [yellow]" + escape(t("import_unknown_columns", columns=separator.join(
            report.unknown_columns))) + "[/]")
    if report.duplicate_columns:
        console.print("  [yellow]" + escape(t("import_duplicate_columns",
                                              columns=separator.join(report.duplicate_columns)))
                      + "[/]")
    counts = t("import_counts", rows=report.rows, inserted=report.inserted,
               updated=report.updated, unchanged=report.unchanged, rejected=report.rejected)
    if report.skipped_blank:
        counts += " " + t("import_blank", count=report.skipped_blank)
    console.print("  " + counts)
    if report.errors:
        console.print(_issue_table(t("import_errors_title"), report.errors, lang))
        if len(report.errors) > SHOWN:
            console.print(t("import_more", count=len(report.errors) - SHOWN))
    if report.notices:
        console.print(_issue_table(t("import_notices_title"), report.notices, lang))
        if len(report.notices) > SHOWN:
            console.print(t("import_more_notices", count=len(report.notices) - SHOWN))


def _verdict(report: importer.ImportReport) -> str:
    if report.strict and report.rejected:
        return "[bold red]" + t("import_strict_refused", rejected=report.rejected) + "[/]"
    if report.refused:
        return "[bold red]" + t("import_all_rejected") + "[/]"
    if report.dry_run:
        return "[bold]" + t("import_dry_done") + "[/]"
    if report.rows == 0:
        return t("import_no_rows")
    if report.rejected:
        return "[yellow]" + t("import_done_partial") + "[/]"
    return "[green]" + t("import_done") + "[/]"


class _Bar:
    """A rich progress bar on stderr, shown only on a terminal and only for large files
    (it appears with the first progress report, after the first 1,000 rows); during the
    final write it says so, since the row count no longer moves."""

    def __init__(self) -> None:
        self.progress = None
        self.task = None

    def __call__(self, done: int, total: int, phase: str = "read") -> None:
        if self.progress is None:
            if phase != "read":
                return  # a small file: done before the first report
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                     BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                     console=err_console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task(t("import_progress"), total=total)
        description = t("import_progress_write") if phase == "write" else t("import_progress")
        self.progress.update(self.task, completed=done, total=total, description=description)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report everything; write nothing.")
@click.option("--strict", is_flag=True, help="Refuse the whole file if any row is bad.")
@click.option("--encoding", metavar="ENC",
              help="Encoding of a text file (default: BOM, else UTF-8, else GB18030).")
@click.option("--sheet", metavar="NAME", help="Worksheet of an Excel file (default: the first).")
@click.option("--errors", "errors_path", type=click.Path(path_type=Path),
              metavar="OUT.csv",
              help="Write the rejected rows, with their reasons, to a CSV for Excel.")
@click.option("--force", is_flag=True,
              help="Replace the --errors file if it exists (refused by default).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def import_command(state: State, file, dry_run, strict, encoding, sheet, errors_path, force,
                   fmt):
    """Import a staff list (人员名单): CSV, tab-separated text or Excel (.xlsx).

    Every good row is loaded and every bad row is listed with its line, column, value
    and reason; the whole import is one transaction. Exit code 0: all rows good;
    1: some rows rejected, the rest imported; 2: nothing imported (file refused,
    --strict with a bad row, or every row bad).
    """
    ctx = state.context()
    lang = i18n.get_lang()
    bar = _Bar() if err_console.is_terminal else None
    try:
        # The errors list is checked before anything is imported, and written with it.
        report = importer.import_file(ctx, file, dry_run=dry_run, strict=strict,
                                      encoding=encoding, sheet=sheet, progress=bar,
                                      errors_to=errors_path, replace_errors=force)
    finally:
        if bar is not None:
            bar.close()
    written = report.errors_written
    if fmt == "json":
        print_json(_report_object(report, lang))
    else:
        _print_report(report, lang)
        if written is not None:
            console.print(t("import_errors_written", path=escape(str(errors_path)),
                            count=written), soft_wrap=True)
        console.print(_verdict(report))
    click.get_current_context().exit(report.exit_code)


__all__ = ["import_command"]
