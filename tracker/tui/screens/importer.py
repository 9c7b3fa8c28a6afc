"""Import a staff list from the dashboard: pick the file, see how it will be read, try
it (dry run), import it with a progress bar that never freezes the screen, and keep the
rejected rows as a sheet to fix in Excel."""
from __future__ import annotations

from pathlib import Path

from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, DirectoryTree, Header, Input, ProgressBar, Static

from ... import i18n
from ...errors import TrackerError
from ...i18n import pick, t
from ...services.import_folder import browse_root
from ...services.import_preview import Preview, encoding_label
from ..common import (
    FieldInput,
    KeyFooter,
    TrackerScreen,
    db_work,
    failure_text,
    key,
    plain,
)

SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"}


class StaffFileTree(DirectoryTree):
    """Folders and the files an import can read."""

    def filter_paths(self, paths):
        return [p for p in paths if not p.name.startswith(".")
                and (p.is_dir() or p.suffix.lower() in SUFFIXES)]


class ImportScreen(TrackerScreen):
    BINDINGS = [
        key("f3", "preview", "k_preview"),
        key("f4", "dry_run", "k_dry_run"),
        key("f6", "run_import", "k_import"),
    ]
    AUTO_FOCUS = "#import-tree"

    def __init__(self) -> None:
        super().__init__()
        self.preview: Preview | None = None
        self.report = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="import-path-bar"):
            yield FieldInput(placeholder=t("tui_import_path"), id="import-path")
            yield Button(t("k_preview"), id="preview")
        with Horizontal(id="import-body"):
            yield StaffFileTree(browse_root(), id="import-tree")
            with Vertical(id="import-right"):
                yield Static(t("tui_import_pick"), id="import-source")
                yield DataTable(id="import-mapping", cursor_type="none")
                yield DataTable(id="import-rows", cursor_type="none", zebra_stripes=True)
        with Horizontal(id="import-actions"):
            yield Button(t("k_dry_run"), id="dry-run", disabled=True)
            yield Button(t("k_import"), id="run", variant="primary", disabled=True)
            yield Button(t("tui_import_errors_sheet"), id="errors-sheet", disabled=True)
            yield ProgressBar(id="import-progress", show_eta=False)
        yield Static(id="import-summary")
        yield DataTable(id="import-rejected", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.setup()

    def setup(self) -> None:
        mapping = self.query_one("#import-mapping", DataTable)
        mapping.add_columns(t("tui_import_file_column"), t("tui_import_field"))
        rejected = self.query_one("#import-rejected", DataTable)
        rejected.add_column(t("tui_import_line"), width=6)
        rejected.add_column(t("tui_import_column"), width=14)
        rejected.add_column(t("tui_import_value"), width=22)
        rejected.add_column(t("col_reason"), width=90)

    async def relabel(self) -> None:
        path = self.query_one("#import-path", Input).value
        await self.recompose()
        self.setup()
        self.query_one("#import-path", Input).value = path
        if self.preview:
            self._show_preview(self.preview)
        if self.report:
            self._show_report(self.report)

    # -- choosing and previewing ------------------------------------------------------
    @on(DirectoryTree.FileSelected)
    def file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)
        self.action_preview()

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        path = self.query_one("#import-path", Input).value.strip()
        if path:
            self.load_preview(path)

    @db_work(exclusive=True, group="import-preview")
    def load_preview(self, path: str) -> None:
        try:
            preview = self.app.backend.preview_import(path)
        except TrackerError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self._show_preview, preview)

    def _refused(self, error: TrackerError) -> None:
        self.preview = None
        self.query_one("#import-source", Static).update(failure_text(error))
        for button in ("#dry-run", "#run"):
            self.query_one(button, Button).disabled = True

    def _show_preview(self, preview: Preview) -> None:
        self.preview = preview
        lang = i18n.get_lang()
        info = RichText()
        info.append(Path(preview.path).name, style="bold")
        if preview.encoding:
            info.append("  ·  " + t("import_encoding", encoding=encoding_label(
                preview.encoding, preview.encoding_reason)))
        if preview.sheet:
            info.append("  ·  " + t("tui_import_sheet", sheet=preview.sheet))
        if preview.header_line:
            info.append("  ·  " + t("tui_import_header_line", line=preview.header_line))
        if preview.missing:
            info.append("\n" + t("tui_import_missing",
                                 columns="、".join(m.get(lang) for m in preview.missing)),
                        style="bold #ff5f5f")
        self.query_one("#import-source", Static).update(info)
        mapping = self.query_one("#import-mapping", DataTable)
        mapping.clear()
        for header, label in preview.mapping:
            mapping.add_row(plain(header), label.get(lang) if label else
                            RichText(t("tui_import_unknown"), style="dim"))
        rows = self.query_one("#import-rows", DataTable)
        rows.clear(columns=True)
        rows.add_column(t("tui_import_line"))
        for header in preview.headers:
            rows.add_column(plain(header) if header else "—")
        for line, cells in preview.rows:
            cells = (cells + [""] * len(preview.headers))[:len(preview.headers)]
            rows.add_row(str(line), *[plain(c) for c in cells])
        usable = not preview.missing and preview.header_line is not None
        self.query_one("#dry-run", Button).disabled = not usable
        self.query_one("#run", Button).disabled = not usable

    # -- dry run and import --------------------------------------------------------------
    @on(Button.Pressed, "#dry-run")
    def action_dry_run(self) -> None:
        if self.preview:
            self.run_import(self.preview.path, True)

    @on(Button.Pressed, "#run")
    def action_run_import(self) -> None:
        if not self.preview:
            return
        from .modals import ConfirmModal

        path = self.preview.path

        def go(yes: bool | None) -> None:
            if yes:
                self.run_import(path, False)

        self.app.push_screen(ConfirmModal(t("tui_import_confirm_rows", file=Path(path).name)),
                             go)

    @db_work(exclusive=True, group="import")
    def run_import(self, path: str, dry_run: bool) -> None:
        bar = self.query_one("#import-progress", ProgressBar)

        def progress(done: int, total: int, phase: str) -> None:
            self.app.call_from_thread(bar.update, total=max(total, 1), progress=done)

        self.app.call_from_thread(self._busy, True)
        try:
            report = self.app.backend.run_import(path, dry_run=dry_run, progress=progress)
        except TrackerError as error:
            self.app.call_from_thread(self._refused, error)
            return
        finally:
            self.app.call_from_thread(self._busy, False)
        self.app.call_from_thread(self._show_report, report)
        if report.written:
            self.app.call_from_thread(self.app.reload_all)
            self.app.call_from_thread(
                self.notify, t("tui_import_done", inserted=report.inserted,
                               updated=report.updated, rejected=report.rejected))

    def _busy(self, busy: bool) -> None:
        for button in ("#dry-run", "#run", "#preview"):
            self.query_one(button, Button).disabled = busy

    def _show_report(self, report) -> None:
        self.report = report
        key_name = "tui_import_dry_summary" if report.dry_run else "tui_import_summary"
        summary = RichText(t(key_name, rows=report.rows, inserted=report.inserted,
                             updated=report.updated, unchanged=report.unchanged,
                             rejected=report.rejected),
                           style="bold #ff5f5f" if report.rejected else "bold #5fd75f")
        if report.refused:
            summary.append("\n" + t("tui_import_refused"), style="bold #ff5f5f")
        self.query_one("#import-summary", Static).update(summary)
        rejected = self.query_one("#import-rejected", DataTable)
        rejected.clear()
        for issue in report.errors:
            rejected.add_row(str(issue.line), plain(issue.column), plain(issue.value),
                             pick(issue.reason))
        self.query_one("#errors-sheet", Button).disabled = not report.rejected_rows

    @on(Button.Pressed, "#errors-sheet")
    def write_errors(self) -> None:
        if not self.report:
            return
        source = Path(self.report.file)
        target = source.with_name(source.stem + ("-错误行" if i18n.get_lang() == "zh"
                                                  else "-errors") + ".csv")
        if not target.exists():
            self.write_errors_to(target)
            return
        from .modals import ConfirmModal

        def replace(yes: bool | None) -> None:
            if yes:
                self.write_errors_to(target)

        self.app.push_screen(ConfirmModal(t("tui_export_replace", path=target)), replace)

    def write_errors_to(self, target: Path) -> None:
        try:
            count = self.app.backend.write_errors_sheet(self.report, target, i18n.get_lang())
        except (OSError, TrackerError) as error:
            self.app.report_failure(error)
            return
        self.notify(t("tui_exported_rejected", n=count, path=target))
