"""Modal screens: choose an event, fill in its data and fire it, confirm, bulk summary."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.table import Table
from rich.text import Text as RichText
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ... import i18n
from ...domain.fields import FIELDS
from ...domain.text import visible
from ...domain.workflow import EVENTS, event_label, state_label
from ...errors import TrackerError
from ...i18n import pick, t
from ...services.cases import parse_event_data
from ..common import failure_text

FORMAT_HINTS = {"date": "tui_format_date", "datetime": "tui_format_datetime",
                "subjects": "tui_format_subjects", "channel": "tui_format_channel"}


def refusal_text(error: TrackerError) -> RichText:
    return failure_text(error, heading=t("tui_refused"))


class ChooseEventModal(ModalScreen[str | None]):
    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def compose(self) -> ComposeResult:
        lang = i18n.get_lang()
        with Vertical(classes="dialog"):
            yield Label(t("tui_choose_event"), classes="dialog-title")
            yield OptionList(*[Option(event_label(e, lang), id=e) for e in self.events],
                             id="event-choice")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SubmitModal(ModalScreen[Any]):
    """A form whose `submit(*args)` runs in a worker: a TrackerError (a refused guard, a
    bad value) is shown in its `#refusal` and the dialog stays open with `#ok` enabled
    again; success dismisses with submit's result. Subclasses say how a refusal reads."""

    BINDINGS = [("escape", "cancel", "")]
    submit: Callable[..., Any]

    def refusal(self, error: TrackerError) -> RichText:
        return refusal_text(error)

    def start_submit(self, *args: Any) -> None:
        self.query_one("#ok", Button).disabled = True
        self.run_submit(*args)

    @work(thread=True, exclusive=True, group="write")
    def run_submit(self, *args: Any) -> None:
        try:
            result = self.submit(*args)
        except TrackerError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _refused(self, error: TrackerError) -> None:
        self.query_one("#refusal", Static).update(self.refusal(error))
        self.query_one("#ok", Button).disabled = False

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class EventModal(SubmitModal):
    """Ask for the data an event needs, validate it, fire it through `submit`.

    `submit(data, note)` runs in a worker; a TrackerError (a refused guard, a bad value)
    is shown in the dialog, which stays open; success dismisses with submit's result.
    """

    def __init__(self, event: str, name: str, state: str,
                 submit: Callable[[dict[str, str], str | None], Any],
                 heading: str | None = None) -> None:
        super().__init__()
        self.event = event
        self.case_name = name
        self.state = state
        self.submit = submit
        self.heading = heading

    def _fields(self) -> list[str]:
        """The event's own data (the command line also takes the general fields)."""
        return list(EVENTS[self.event].fields)

    def compose(self) -> ComposeResult:
        lang = i18n.get_lang()
        with Vertical(classes="dialog", id="event-dialog"):
            yield Label(t("tui_fire_title", event=event_label(self.event, lang)),
                        classes="dialog-title")
            # markup=False: the name is shown as typed ("x[/]y" is a name, not markup).
            yield Static(self.heading or t("tui_fire_on", name=visible(self.case_name),
                                           state=state_label(self.state, lang)), markup=False)
            with VerticalScroll(id="event-fields"):
                for name in self._fields():
                    spec = FIELDS[name]
                    if spec.kind == "bool":
                        yield Checkbox(spec.label.get(lang), id=f"field-{name}")
                        continue
                    hint = t(FORMAT_HINTS[spec.kind]) if spec.kind in FORMAT_HINTS else ""
                    yield Label(spec.label.get(lang) + (f"  [dim]{hint}[/]" if hint else ""))
                    yield Input(id=f"field-{name}", placeholder=hint)
                note = "tui_note_required" if self.event == "add_note" else "tui_note"
                yield Label(t(note))
                yield Input(id="note")
            yield Static(id="refusal")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui_ok"), variant="primary", id="ok")
                yield Button(t("tui_cancel"), id="cancel")

    def on_mount(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()

    def collect(self) -> tuple[dict[str, str], str | None]:
        data: dict[str, str] = {}
        for name in self._fields():
            widget = self.query_one(f"#field-{name}")
            if isinstance(widget, Checkbox):
                if widget.value:
                    data[name] = "true"
            elif widget.value.strip():
                data[name] = widget.value.strip()
        note = self.query_one("#note", Input).value.strip() or None
        return data, note

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def ok(self) -> None:
        data, note = self.collect()
        try:
            parse_event_data(self.event, data)  # bad values are shown before any write
        except TrackerError as error:
            self.query_one("#refusal", Static).update(refusal_text(error))
            return
        self.start_submit(data, note)


class BulkSummaryModal(ModalScreen[None]):
    BINDINGS = [("escape", "close", ""), ("enter", "close", "")]

    def __init__(self, result) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        lang = i18n.get_lang()
        result = self.result
        with Vertical(classes="dialog"):
            yield Label(t("tui_bulk_summary"), classes="dialog-title")
            yield Static(t("tui_bulk_result", event=event_label(result.event, lang),
                           applied=len(result.applied), refused=len(result.refused)))
            if result.refused:
                table = Table(t("col_case_id"), t("col_name"), t("col_reason"),
                              header_style="bold")
                for case_id, row, reasons in result.refused:
                    table.add_row(str(case_id), RichText(row.get("name", "")),
                                  RichText("; ".join(pick(r) for r in reasons)))
                with VerticalScroll(id="bulk-refused"):
                    yield Static(table)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui_close"), variant="primary", id="close")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


def start_bulk(screen: Screen, case_ids: list[int], on_done: Callable[[], None]) -> None:
    """Marked rows -> choose an event -> its data -> a dry run to confirm -> fire -> summary
    (then `on_done`, on the UI thread)."""
    app = screen.app
    lang = i18n.get_lang()
    events = [name for name, spec in EVENTS.items() if not spec.side or name == "add_note"]

    def with_event(event: str | None) -> None:
        if not event:
            return

        def submit(data: dict[str, str], note: str | None):
            preview = app.backend.bulk(case_ids, event, data, note, dry_run=True)
            return event, data, note, preview

        def confirmed_data(value) -> None:
            if value is None:
                return
            event_name, data, note, preview = value

            def go(yes: bool | None) -> None:
                if yes:
                    fire_all(event_name, data, note)

            app.push_screen(ConfirmModal(t("tui_bulk_preview", event=event_label(event_name, lang),
                                           applied=len(preview.applied),
                                           refused=len(preview.refused))), go)

        app.push_screen(EventModal(event, "", "", submit,
                                   heading=t("tui_bulk_on", n=len(case_ids))), confirmed_data)

    def fire_all(event: str, data: dict[str, str], note: str | None) -> None:
        def run() -> None:
            result = app.backend.bulk(case_ids, event, data, note)
            app.call_from_thread(app.push_screen, BulkSummaryModal(result))
            app.call_from_thread(on_done)

        app.run_worker(run, thread=True, group="write", exit_on_error=False)

    app.push_screen(ChooseEventModal(events), with_event)


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [("escape", "no", "")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False)  # it may quote a file or person name
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui_ok"), variant="primary", id="yes")
                yield Button(t("tui_cancel"), id="no")

    @on(Button.Pressed, "#yes")
    def yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class ExportModal(ModalScreen[tuple[str, str] | None]):
    """Where to write an export and in which format; ID numbers stay masked here (the
    command line's --full-id is for the rare full copy). The file is proposed in the
    exports folder (`locations.exports_dir`); one that exists is replaced only when the
    user says so."""

    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, title: str, file_name: str, formats: list[str]) -> None:
        from ...locations import exports_dir

        super().__init__()
        self.title_text = title
        self.folder = exports_dir()
        self.default_path = str(self.folder / file_name)
        self.formats = formats

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(t("tui_export_format"))
            yield Select([(f, f) for f in self.formats], value=self.formats[0],
                         allow_blank=False, id="export-format")
            yield Label(t("tui_export_path"))
            yield Input(self.default_path, id="export-path")
            yield Static(t("tui_export_folder", folder=self.folder), classes="dim",
                         markup=False)
            yield Static(t("tui_export_masked"), classes="dim")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui_ok"), variant="primary", id="ok")
                yield Button(t("tui_cancel"), id="cancel")

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        stem, dot, _ = path.value.rpartition(".")
        if dot:
            path.value = f"{stem}.{event.value}"

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def ok(self) -> None:
        from pathlib import Path

        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            return
        answer = (path, str(self.query_one("#export-format", Select).value))
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if not Path(path).expanduser().is_file():
            self.dismiss(answer)
            return

        def replace(yes: bool | None) -> None:
            if yes:
                self.dismiss(answer)

        self.app.push_screen(ConfirmModal(t("tui_export_replace", path=path)), replace)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CorrectNoticeModal(ModalScreen[dict | None]):
    """The corrected date of a notice: its deadline (or N working days after its opening
    day), or the sitting of an exam notice. What it moves is said before it is written."""

    BINDINGS = [("escape", "cancel", "")]

    def __init__(self, notice: dict) -> None:
        super().__init__()
        self.notice = notice

    def compose(self) -> ComposeResult:
        from ...services.notices import NOTICE_KINDS

        notice = self.notice
        spec = NOTICE_KINDS.get(notice["kind"])
        exam = notice["kind"] == "exam"
        with Vertical(classes="dialog"):
            yield Label(t("tui_correct_title", id=notice["id"], year=notice["exam_year"],
                          kind=spec.label.get(i18n.get_lang()) if spec else notice["kind"]),
                        classes="dialog-title")
            now = notice["sitting_on"] if exam else notice["deadline"]
            yield Static(t("tui_correct_now", value=now or "—"), markup=False)
            yield Label(t("tui_notice_sitting" if exam else "tui_notice_deadline")
                        + "  [dim]" + t("tui_format_date") + "[/]")
            yield Input(id="correct-date", placeholder=t("tui_format_date"))
            if not exam:
                yield Label(t("tui_notice_working_days"))
                yield Input(id="correct-days", placeholder=t("tui_notice_days_hint"),
                            type="integer")
            yield Static(id="refusal")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui_ok"), variant="primary", id="ok")
                yield Button(t("tui_cancel"), id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def ok(self) -> None:
        from ...domain.fields import parse_date

        text = self.query_one("#correct-date", Input).value.strip()
        days = self.query(Input).filter("#correct-days")
        working = days.first().value.strip() if days else ""
        try:
            day = parse_date(text) if text else None
        except ValueError as error:
            self.query_one("#refusal", Static).update(refusal_text(TrackerError(
                "bad_value", key="date", reasons=[getattr(error, "reason", str(error))])))
            return
        if self.notice["kind"] == "exam":
            self.dismiss({"sitting": day} if day else None)
        elif day or working:
            self.dismiss({"deadline": day, "working_days": int(working) if working else None})

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
