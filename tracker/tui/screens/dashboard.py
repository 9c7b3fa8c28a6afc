"""Home: cases per state by stage, what is overdue and due soon, the latest activity."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Select, Static

from ... import i18n
from ...domain import reference
from ...domain.workflow import STAGES, STATES
from ...i18n import t
from ...services.overview import Overview
from ...services.sheet import history_line
from ..common import (
    KeyFooter,
    TrackerScreen,
    days_text,
    db_work,
    due_text,
    key,
    plain,
    provisional_legend,
    state_colour,
    state_text,
)

BAR_WIDTH = 28


def state_bars(counts: dict[str, int]) -> Table:
    """Cases per state, grouped by stage, as horizontal bars (widths in cells)."""
    lang = i18n.get_lang()
    biggest = max(counts.values(), default=0) or 1
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    for stage in STAGES.values():
        grid.add_row(RichText(stage.label.get(lang), style="bold underline"), "", "")
        for state in (s for s in STATES.values() if s.stage == stage.name):
            count = counts.get(state.name, 0)
            length = round(BAR_WIDTH * count / biggest)
            bar = RichText("█" * length or ("▏" if count else ""), style=state_colour(state.name))
            grid.add_row(RichText("  " + state.label.get(lang)), bar, str(count))
    total = sum(counts.values())
    grid.add_row("", "", "")
    grid.add_row(RichText(t("tui_total", total=f"{total:,}"), style="bold"), "", "")
    return grid


class DashboardScreen(TrackerScreen):
    AUTO_FOCUS = "#overdue"
    BINDINGS = [
        key("x", "clear_filters", "k_clear"),
        key("f5", "reload", "k_refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Select([], prompt=t("tui_all_companies"), id="company")
            yield Select([], prompt=t("tui_all_departments"), id="department")
            yield Select([], prompt=t("tui_all_specialties"), id="specialty")
        with Horizontal(id="dashboard-body"):
            with Vertical(id="bars-panel", classes="panel"):
                yield Static(t("tui_by_state"), classes="panel-title")
                yield Static(id="bars")
            with Vertical(id="due-panel"):
                with Vertical(classes="panel"):
                    yield Static(t("tui_follow_up"), classes="panel-title", id="overdue-title")
                    yield DataTable(id="overdue", cursor_type="row", zebra_stripes=True)
                with Vertical(classes="panel"):
                    yield Static(t("tui_due_soon"), classes="panel-title", id="due-title")
                    yield DataTable(id="due", cursor_type="row", zebra_stripes=True)
        with Vertical(id="recent-panel", classes="panel"):
            yield Static(t("tui_recent"), classes="panel-title")
            yield DataTable(id="recent", cursor_type="row", zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.setup()
        self.check_calendar()

    def setup(self) -> None:
        self._setup_tables()
        self.load_choices()
        self.reload()

    def _setup_tables(self) -> None:
        for table_id in ("overdue", "due"):
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear(columns=True)
            table.add_column(t("col_name"), width=10, key="name")
            table.add_column(t("col_deadline_kind"), width=22, key="kind")
            table.add_column(t("col_due_on"), width=12, key="due")
            table.add_column(t("col_days_left"), width=12, key="days")
        recent = self.query_one("#recent", DataTable)
        recent.clear(columns=True)
        recent.add_column(t("col_at"), width=16)
        recent.add_column(t("col_name"), width=10)
        recent.add_column(t("col_event"), width=22)
        recent.add_column(t("col_to"), width=22)
        recent.add_column(t("col_actor"), width=10)

    async def relabel(self) -> None:
        await self.recompose()
        self.setup()

    # -- data ------------------------------------------------------------------------
    @db_work(exclusive=True, group="choices")
    def load_choices(self) -> None:
        choices = self.app.backend.choices()
        self.app.call_from_thread(self._show_choices, choices)

    def _show_choices(self, choices: dict[str, list[str]]) -> None:
        lang = i18n.get_lang()
        filters = self.app.filters
        for column in ("company", "department", "specialty"):
            select = self.query_one(f"#{column}", Select)
            if column == "specialty":
                options = [(reference.SPECIALTIES[k].get(lang) if k in reference.SPECIALTIES
                            else k, k) for k in choices[column]]
            else:
                options = [(v, v) for v in choices[column]]
            with select.prevent(Select.Changed):
                select.set_options(options)
                current = getattr(filters, column)
                if current in [v for _, v in options]:
                    select.value = current

    def reload(self) -> None:
        self.load_data()

    def action_reload(self) -> None:
        self.load_choices()
        self.reload()

    @db_work(exclusive=True, group="dashboard")
    def load_data(self) -> None:
        self.loading("#overdue")
        self.loading("#due")
        self.deliver(self._show, self.app.backend.overview(self.app.filters))
        overdue, soon = self.app.backend.due_panels(self.app.filters)
        self.deliver(self._show_due, overdue, soon)

    @db_work(group="calendar")
    def check_calendar(self) -> None:
        """R15: next year's holiday arrangement not recorded yet (from the rule's month
        on), or a recount due: said once a day, as a notification that stays a while."""
        warning = self.app.backend.calendar_warning()
        if warning:
            self.app.call_from_thread(self.app.notify, "\n".join(warning.lines()),
                                      severity="warning", timeout=30)

    def _show_due(self, overdue: list, soon: list) -> None:
        self.loaded("#overdue")
        self.loaded("#due")
        lang = i18n.get_lang()
        for table_id, items in (("overdue", overdue), ("due", soon)):
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear()
            for item in items:
                deadline = item.deadline
                table.add_row(plain(item.row["name"]), deadline.label.get(lang),
                              due_text(deadline.when.get(lang), deadline.provisional),
                              days_text(deadline),
                              key=f"{item.case_id}:{deadline.kind}")
            if not items:
                table.add_row(t("tui_nothing_due"), "", "", "")
            title = t("tui_overdue") if table_id == "overdue" else t("tui_due_soon")
            self.query_one(f"#{table_id}-title", Static).update(provisional_legend(
                title, any(item.deadline.provisional for item in items)))

    def _show(self, data: Overview) -> None:
        lang = i18n.get_lang()
        self.query_one("#bars", Static).update(state_bars(data.counts))
        recent = self.query_one("#recent", DataTable)
        recent.clear()
        for row in data.recent:
            h = history_line(row)
            recent.add_row(h.at, plain(row["name"]), h.label.get(lang), state_text(h.to_state),
                           plain(h.actor),
                           key=f"{row['case_id']}:{row['id']}")

    # -- interaction -----------------------------------------------------------------
    @on(Select.Changed)
    def filter_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else event.value
        setattr(self.app.filters, event.select.id, value)
        self.app.reload_all()

    def action_clear_filters(self) -> None:
        for column in ("company", "department", "specialty"):
            setattr(self.app.filters, column, None)
            select = self.query_one(f"#{column}", Select)
            with select.prevent(Select.Changed):
                select.clear()
        self.app.reload_all()

    @on(DataTable.RowSelected)
    def open_row(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None:
            return  # the "nothing" row
        case_id = int(str(event.row_key.value).split(":")[0])
        self.app.open_case(case_id)
