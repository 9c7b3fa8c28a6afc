"""Official notices (R4) and the reminders they lead to.

Notices: the recorded notices, and a form to record one — it shows how many cases it
will move (a dry run) before anything is written. Reminders: what is due within N days
and everything overdue, soonest first, with a key to save it as an iCalendar file.
"""
from __future__ import annotations

from datetime import date

from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Header, Input, Label, Select, Static

from ... import i18n
from ...domain.workflow import event_label
from ...errors import TrackerError
from ...i18n import t
from ...services.notices import NOTICE_KINDS
from ..commands import Command, both
from ..common import (
    FieldInput,
    KeyFooter,
    PagedTable,
    TrackerScreen,
    days_text,
    db_work,
    due_text,
    failure_text,
    key,
    plain,
    provisional_legend,
    state_text,
)
from ..tables import Col, FittedTable

#: Reminders shown at a time.
REMINDER_PAGE = 100
REMINDER_COLUMNS = [
    Col("employee_no", "col_employee_no", min=6, drop=3), Col("name", "col_name", min=4),
    Col("department", "col_department", min=6, drop=4),
    Col("state", "col_state_label", min=14, flex=True, drop=2),
    Col("kind", "col_deadline_kind", min=8, flex=True),
    Col("due", "col_due_on", min=10, drop=1), Col("days", "col_days_left", min=5),
]


def _date(text: str) -> date | None:
    from ...domain.fields import parse_date

    return parse_date(text) if text.strip() else None


#: The form's fields each kind of notice takes (the rest are hidden).
KIND_FIELDS = {"exam": {"sitting"}, "review": {"opens", "deadline", "working-days"},
               "certificate": set(), "paper": {"opens", "deadline", "working-days"}}
#: Refusals worded for the command line (its flags), said in the form's words here.
FORM_WORDS = {"notice_needs_deadline": "tui_notice_needs_deadline",
              "notice_deadline_twice": "tui_notice_deadline_twice",
              "notice_working_days_need_opens": "tui_notice_days_need_opens",
              "notice_working_days_positive": "tui_notice_days_positive",
              "notice_needs_sitting": "tui_notice_needs_sitting"}
NOTICE_COLUMNS = [
    Col("id", "col_notice_id", min=2), Col("kind", "tui_notice_kind", min=6, soft=20, flex=True),
    Col("year", "tui_notice_exam_year", min=4), Col("sitting", "col_sitting", min=10, drop=1),
    Col("opens", "tui_notice_opens", min=10, drop=4),
    Col("deadline", "tui_notice_deadline", min=10),
    Col("applied", "tui_notice_applied", min=3, drop=3),
    Col("title", "tui_notice_title", min=6, soft=12, flex=True, drop=2),
]


class NoticesScreen(TrackerScreen):
    BINDINGS = [
        key("e", "correct", "k_notice_correct"),
        key("u", "withdraw", "k_notice_withdraw"),
        key("f5", "reload", "k_refresh"),
    ]
    AUTO_FOCUS = "#notices"
    rows: list[dict] | None = None

    def compose(self) -> ComposeResult:
        lang = i18n.get_lang()
        yield Header()
        with Horizontal(id="notice-body"):
            with VerticalScroll(id="notice-form", classes="panel"):
                yield Static(t("tui_notice_new"), classes="panel-title")
                yield Label(t("tui_notice_kind"))
                yield Select([(k.label.get(lang), k.name) for k in NOTICE_KINDS.values()],
                             value="review", allow_blank=False, id="notice-kind")
                yield Label(t("tui_notice_exam_year"))
                yield FieldInput(str(self.app.backend.ctx.today.year), id="notice-year",
                                 type="integer", max_length=4)
                for name, label, hint in (
                        ("sitting", "tui_notice_sitting", "tui_format_date"),
                        ("opens", "tui_notice_opens", "tui_format_date"),
                        ("deadline", "tui_notice_deadline", "tui_format_date"),
                        ("working-days", "tui_notice_working_days", "tui_notice_days_hint")):
                    yield Label(t(label), id=f"label-{name}", classes="notice-field")
                    yield FieldInput(placeholder=t(hint), id=f"notice-{name}",
                                     classes="notice-field")
                yield Label(t("tui_notice_title"))
                yield FieldInput(id="notice-title")
                yield Label(t("tui_notice_ref"))
                yield FieldInput(id="notice-ref")
                yield Button(t("tui_notice_preview"), variant="primary", id="notice-preview")
                yield Static(id="notice-result")
            with Vertical(id="notice-list", classes="panel"):
                yield Static(t("tui_notices"), classes="panel-title", id="notices-title")
                yield FittedTable(NOTICE_COLUMNS, id="notices", cursor_type="row",
                                  zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.setup()

    def setup(self) -> None:
        self.show_fields(str(self.query_one("#notice-kind", Select).value))
        self.reload()

    async def relabel(self) -> None:
        kind = self.query_one("#notice-kind", Select).value
        await self.recompose()
        self.query_one("#notice-kind", Select).value = kind
        self.show_fields(str(kind))
        if self.rows is not None:
            self._show(self.rows)
        else:
            self.reload()

    @on(Select.Changed, "#notice-kind")
    def kind_changed(self, event: Select.Changed) -> None:
        self.show_fields(str(event.value))

    def show_fields(self, kind: str) -> None:
        """The dates a kind of notice takes: an exam notice its sitting, a review or
        paper notice its window."""
        wanted = KIND_FIELDS.get(kind, set())
        for widget in self.query(".notice-field"):
            name = (widget.id or "").split("-", 1)[1]
            widget.display = name in wanted

    def reload(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.reload()

    @db_work(exclusive=True, group="notices")
    def load(self) -> None:
        self.deliver(self._show, self.app.backend.notices())

    def _show(self, rows: list[dict]) -> None:
        self.rows = rows
        lang = i18n.get_lang()
        shown = []
        for row in rows:
            spec = NOTICE_KINDS.get(row["kind"])
            kind = spec.label.get(lang) if spec else row["kind"]
            if row.get("withdrawn_at"):
                kind = RichText(kind + " " + t("notice_withdrawn_mark"), style="strike dim")
            shown.append((str(row["id"]), [
                str(row["id"]), kind, str(row["exam_year"]), row.get("sitting_on") or "",
                row["opens_on"] or "",
                due_text(row["deadline"], row.get("deadline_calendar") == "provisional"),
                str(row["applied"]), plain(row["title"] or row["ref"])]))
        self.query_one("#notices", FittedTable).show(shown)
        self.query_one("#notices-title", Static).update(provisional_legend(
            t("tui_notices"), any(r.get("deadline_calendar") == "provisional" for r in rows)))

    def _form(self) -> dict:
        def value(widget_id: str) -> str:
            widget = self.query_one(f"#{widget_id}", Input)
            return widget.value.strip() if widget.display else ""

        kind = str(self.query_one("#notice-kind", Select).value)
        year = value("notice-year")
        days = value("notice-working-days")
        if not year.isdigit():
            raise TrackerError("tui_notice_bad_year", value=year)
        if days and not days.isdigit():
            raise TrackerError("tui_notice_bad_days", value=days)
        try:
            opens, deadline, sitting = (_date(value("notice-opens")),
                                        _date(value("notice-deadline")),
                                        _date(value("notice-sitting")))
        except ValueError as error:  # DataError carries the reason in both languages
            raise TrackerError("bad_value", key="date",
                               reasons=[getattr(error, "reason", str(error))]) from None
        return {"kind": kind, "exam_year": int(year), "opens": opens, "deadline": deadline,
                "working_days": int(days) if days else None, "sitting": sitting,
                "title": value("notice-title"), "ref": value("notice-ref")}

    @on(Button.Pressed, "#notice-preview")
    @on(Input.Submitted, "#notice-form Input")
    def preview(self) -> None:
        try:
            form = self._form()
        except TrackerError as error:
            self._error(error)
            return
        self.dry_run(form)

    @db_work(exclusive=True, group="notice-write")
    def dry_run(self, form: dict) -> None:
        try:
            result = self.app.backend.add_notice(form, dry_run=True)
        except TrackerError as error:
            self.app.call_from_thread(self._error, error)
            return
        self.app.call_from_thread(self._confirm, form, result)

    def _error(self, error: TrackerError) -> None:
        if error.key in FORM_WORDS:  # the form's words, not the command line's flags
            error = TrackerError(FORM_WORDS[error.key], **error.params)
        self.query_one("#notice-result", Static).update(failure_text(error))

    def _confirm(self, form: dict, result) -> None:
        from .modals import ConfirmModal

        lang = i18n.get_lang()
        spec = NOTICE_KINDS[form["kind"]]
        if form["kind"] == "exam":
            question = t("tui_notice_will_sitting", kind=spec.label.get(lang),
                         year=form["exam_year"], sitting=form["sitting"].isoformat())
        else:
            action = event_label(spec.event, lang) if spec.event else t("tui_notice_window")
            question = t("tui_notice_will", kind=spec.label.get(lang), year=form["exam_year"],
                         action=action, n=len(result.applied), refused=len(result.refused))
        if result.deadline:
            question += "\n" + t("tui_notice_deadline_is", deadline=result.deadline.isoformat())
        if result.provisional:  # R15: counted Monday to Friday across an unknown year
            question += "\n" + t("provisional_advice")
        if result.without_exam_year:
            question += "\n" + t("tui_notice_without_year", n=result.without_exam_year)

        def go(yes: bool | None) -> None:
            if yes:
                self.record(form)

        self.app.push_screen(ConfirmModal(question), go)

    @db_work(exclusive=True, group="notice-write")
    def record(self, form: dict) -> None:
        try:
            result = self.app.backend.add_notice(form, dry_run=False)
        except TrackerError as error:
            self.app.call_from_thread(self._error, error)
            return
        self.app.call_from_thread(
            self.query_one("#notice-result", Static).update,
            RichText(t("tui_notice_recorded", n=len(result.applied),
                       refused=len(result.refused)), style="bold #5fd75f"))
        self.app.call_from_thread(self.app.reload_all)

    # -- correcting and withdrawing ---------------------------------------------------
    def _selected(self) -> dict | None:
        table = self.query_one("#notices", FittedTable)
        if not table.row_count or self.rows is None:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((r for r in self.rows if str(r["id"]) == row_key.value), None)

    def action_correct(self) -> None:
        """The highlighted notice's deadline (its sitting, for an exam notice), corrected:
        a dry run says what moves, then it is written."""
        notice = self._selected()
        if notice is None:
            return
        from .modals import CorrectNoticeModal

        def chosen(answer) -> None:
            if answer:
                self.change_notice(notice["id"], "correct", answer, True)

        self.app.push_screen(CorrectNoticeModal(notice), chosen)

    def action_withdraw(self) -> None:
        notice = self._selected()
        if notice is not None:
            self.change_notice(notice["id"], "withdraw", {}, True)

    @db_work(exclusive=True, group="notice-write")
    def change_notice(self, notice_id: int, change: str, values: dict, dry_run: bool) -> None:
        try:
            result = self.app.backend.change_notice(notice_id, change, values, dry_run=dry_run)
        except TrackerError as error:
            self.app.call_from_thread(self._error, error)
            return
        self.app.call_from_thread(self._changed, notice_id, change, values, result)

    def _changed(self, notice_id: int, change: str, values: dict, result) -> None:
        from .modals import ConfirmModal

        text = change_text(result)
        if not result.dry_run:
            self.query_one("#notice-result", Static).update(text)
            self.app.reload_all()
            return

        def go(yes: bool | None) -> None:
            if yes:
                self.change_notice(notice_id, change, values, False)

        self.app.push_screen(ConfirmModal(text.plain), go)


def change_text(result) -> RichText:
    """What correcting or withdrawing a notice does (or did), and the cases it leaves."""
    lang = i18n.get_lang()
    state = "dry_run" if result.dry_run else "done"
    text = RichText(t(f"notice_{result.change}_{state}", id=result.notice["id"],
                      before=result.before or "—", after=result.after or "—",
                      moved=len(result.moved), kept=len(result.kept)),
                    style="" if result.dry_run else "bold #5fd75f")
    for case_id, why in result.kept[:20]:
        text.append(f"\n• {t('case_no', case_id=case_id)}: {why.get(lang)}")
    if len(result.kept) > 20:
        text.append("\n…")
    return text


class RemindersScreen(TrackerScreen):
    """What is due, a page at a time: at 100,000 cases a month ahead is ~15,000
    deadlines, which no widget should hold (filling them took seconds)."""

    BINDINGS = [
        key("enter", "open", "k_open", show=False),
        key("x", "export_ics", "k_export_ics"),
        key("right_square_bracket", "page(1)", "k_next_page", key_display="]"),
        key("left_square_bracket", "page(-1)", "k_prev_page", key_display="["),
        key("f5", "reload", "k_refresh"),
    ]
    AUTO_FOCUS = "#reminders"

    def __init__(self) -> None:
        super().__init__()
        self.items: list = []
        self.complete = False
        self.first_shown = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="remind-bar"):
            yield Label(t("tui_remind_within"))
            yield FieldInput("30", id="remind-days", type="integer", max_length=4,
                             table_below=True)
            yield Static(id="remind-count")
        yield PagedTable(REMINDER_COLUMNS, id="reminders", cursor_type="row",
                         zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.setup()

    def setup(self) -> None:
        self.reload()

    async def relabel(self) -> None:
        """Relabelled with the reminders shown (no new query)."""
        days = self.query_one("#remind-days", Input).value
        await self.recompose()
        self.query_one("#remind-days", Input).value = days
        if self.items or self.complete:
            self._fill(self.first_shown)
        elif not self.working("reminders"):
            self.setup()

    def _days(self) -> int:
        text = self.query_one("#remind-days", Input).value.strip()
        return int(text) if text.isdigit() else 30

    def reload(self) -> None:
        self.load(self._days())

    def action_reload(self) -> None:
        self.reload()

    @on(Input.Submitted, "#remind-days")
    def days_changed(self) -> None:
        self.reload()
        self.query_one("#reminders", DataTable).focus()

    @db_work(exclusive=True, group="reminders")
    def load(self, days: int) -> None:
        """The first page as soon as it is known, then the whole list (for the count
        and the pages after it)."""
        self.loading("#reminders")
        first = self.app.backend.reminders(self.app.filters, days, limit=REMINDER_PAGE)
        self.deliver(self._show, first, False, 0)
        if len(first) == REMINDER_PAGE:
            self.deliver(self._show, self.app.backend.reminders(self.app.filters, days),
                         True, None)
        else:
            self.deliver(self._show, first, True, 0)

    def _show(self, items: list, complete: bool, offset: int | None) -> None:
        self.loaded("#reminders")
        self.items, self.complete = items, complete
        self._fill(self.first_shown if offset is None else offset)

    def _fill(self, offset: int) -> None:
        lang = i18n.get_lang()
        self.first_shown = offset
        table = self.query_one("#reminders", PagedTable)
        keep = table.cursor_row
        rows = []
        for index, item in enumerate(self.items[offset:offset + REMINDER_PAGE], offset):
            row, deadline = item.row, item.deadline
            rows.append((f"{index}:{row['case_id']}",
                         [plain(row.get("employee_no")), plain(row["name"]),
                          plain(row.get("department")), state_text(row["state"]),
                          deadline.label.get(lang),
                          due_text(deadline.when.get(lang), deadline.provisional),
                          days_text(deadline)]))
        table.show(rows)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._count()

    def _count(self) -> None:
        items = self.items
        text = provisional_legend(
            t("tui_remind_count", n=f"{len(items):,}" if self.complete else "…",
              overdue=sum(1 for item in items if item.deadline.overdue)
              if self.complete else "…"),
            any(item.deadline.provisional for item in items))
        if len(items) > REMINDER_PAGE:
            text.append("  " + t("tui_page", first=f"{self.first_shown + 1:,}",
                                 last=f"{min(self.first_shown + REMINDER_PAGE, len(items)):,}",
                                 total=f"{len(items):,}"), style="dim")
        self.query_one("#remind-count", Static).update(text)

    @on(PagedTable.PageRequest)
    def page_request(self, message: PagedTable.PageRequest) -> None:
        self.action_page(message.step)

    def action_page(self, step: int) -> None:
        offset = self.first_shown + step * REMINDER_PAGE
        if 0 <= offset < len(self.items):
            table = self.query_one("#reminders", DataTable)
            self._fill(offset)
            table.move_cursor(row=0 if step > 0 else table.row_count - 1)

    @on(DataTable.RowSelected, "#reminders")
    def open_row(self, event: DataTable.RowSelected) -> None:
        self.app.open_case(int(str(event.row_key.value).split(":")[1]))

    def action_export_ics(self) -> None:
        from .modals import ExportModal

        default = f"deadlines-{self.app.backend.ctx.today.isoformat()}.ics"

        def chosen(answer) -> None:
            if answer:
                self.write_ics(answer[0])

        self.app.push_screen(ExportModal(t("tui_remind_export"), default, ["ics"]), chosen)

    def palette_commands(self) -> list[Command]:
        return [Command(t("cmd_export_ics"), self.action_export_ics, both("cmd_export_ics"))]

    @db_work(group="export")
    def write_ics(self, path: str) -> None:
        count = self.app.backend.write_ics(self.app.filters, self._days(), path,
                                           i18n.get_lang())
        self.app.call_from_thread(self.notify, t("tui_exported_rows", n=count, path=path))
