"""Home: cases per state by stage, what is overdue and due soon, the latest activity."""
from __future__ import annotations

from rich.console import Group
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
from ...i18n.linebreak import Paragraph
from ...services.overview import Overview
from ...services.sheet import history_line
from ..common import (
    STAGE_COLOURS,
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
from ..tables import Col, FittedTable

#: The shortest bar column worth drawing; below it the bars go and the counts stay.
MIN_BAR = 6

DUE_COLUMNS = [Col("name", "col_name", min=4), Col("kind", "col_deadline_kind", min=12, flex=True),
               Col("due", "col_due_on", min=10, drop=1), Col("days", "col_days_left", min=5)]
RECENT_COLUMNS = [Col("at", "col_at", min=10, drop=2), Col("name", "col_name", min=4),
                  Col("event", "col_event", min=8, flex=True),
                  Col("to", "col_to", min=8, flex=True, drop=1),
                  Col("actor", "col_actor", min=4, drop=3)]


def state_bars(counts: dict[str, int], width: int = 60, height: int = 100) -> Group:
    """Cases per state, grouped by stage: label, bar, count — the count always shown, the
    label cut with "…" only when the width leaves no room, the bars as long as the width
    allows. Lower than every state needs, the empty states are left out; lower still,
    one line per stage."""
    lang = i18n.get_lang()
    total = sum(counts.values())
    lines = [(stage, [s for s in STATES.values() if s.stage == stage.name])
             for stage in STAGES.values()]
    if sum(1 + len(states) for _, states in lines) + 2 > height:
        lines = [(stage, [s for s in states if counts.get(s.name)]) for stage, states in lines]
    by_stage = sum(1 + len(states) for _, states in lines) + 2 > height
    rows: list[tuple[RichText, int | None, str | None]] = []
    for stage, states in lines:
        stage_total = sum(counts.get(s.name, 0) for s in STATES.values()
                          if s.stage == stage.name)
        rows.append((RichText(stage.label.get(lang), style="bold underline"),
                     stage_total if by_stage else None,
                     STAGE_COLOURS[stage.name] if by_stage else None))
        for state in ([] if by_stage else states):
            rows.append((RichText("  " + state.label.get(lang)), counts.get(state.name, 0),
                         state_colour(state.name)))
    counted = [count for _, count, _ in rows if count is not None]
    count_width = max(len(f"{n:,}") for n in [0, *counted])
    room = width - count_width - 2  # two gaps between the three columns
    label_width = min(max(label.cell_len for label, _, _ in rows), max(6, room - MIN_BAR))
    bar_width = room - label_width
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=label_width, overflow="ellipsis")
    if bar_width >= MIN_BAR:
        grid.add_column(no_wrap=True, width=bar_width)
    grid.add_column(justify="right", no_wrap=True, width=count_width)
    biggest = max(counted, default=0) or 1
    for label, count, colour in rows:
        cells: list[RichText] = [label]
        if bar_width >= MIN_BAR:
            length = round(bar_width * count / biggest) if count else 0
            cells.append(RichText("█" * length or ("▏" if count else ""), style=colour or ""))
        cells.append(RichText("" if count is None else f"{count:,}"))
        grid.add_row(*cells)
    return Group(grid, RichText(""), RichText(t("tui_total", total=f"{total:,}"),
                                              style="bold"))


class StateBars(Static):
    """The bars, laid out again for every size they are given."""

    counts: dict[str, int] | None = None

    def show(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        if self.counts is not None:
            self.update(state_bars(self.counts, self.size.width or 60,
                                   self.size.height or 100))


class DashboardScreen(TrackerScreen):
    AUTO_FOCUS = "#overdue"
    #: What is shown (choices, data, due), kept to relabel it.
    shown: dict | None = None

    def remember(self, part: str, value) -> None:
        self.shown = {**(self.shown or {}), part: value}
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
                yield StateBars(id="bars")
            with Vertical(id="due-panel"):
                with Vertical(classes="panel"):
                    yield Static(t("tui_follow_up"), classes="panel-title", id="overdue-title")
                    yield FittedTable(DUE_COLUMNS, id="overdue", cursor_type="row",
                                      zebra_stripes=True)
                with Vertical(classes="panel"):
                    yield Static(t("tui_due_soon"), classes="panel-title", id="due-title")
                    yield FittedTable(DUE_COLUMNS, id="due", cursor_type="row",
                                      zebra_stripes=True)
                with Vertical(id="recent-panel", classes="panel"):
                    yield Static(t("tui_recent"), classes="panel-title")
                    yield FittedTable(RECENT_COLUMNS, id="recent", cursor_type="row",
                                      zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.setup()
        self.check_calendar()

    def setup(self) -> None:
        self.load_choices()
        self.reload()

    async def relabel(self) -> None:
        """Relabelled with the data shown (no new query; F2 during a load costs nothing)."""
        await self.recompose()
        if self.shown is None:
            if not self.working("dashboard"):
                self.setup()
            return
        self._show_choices(self.shown["choices"]) if "choices" in self.shown \
            else self.load_choices()
        if "data" in self.shown:
            self._show(self.shown["data"])
        if "due" in self.shown:
            self._show_due(*self.shown["due"])
        if ("data" not in self.shown or "due" not in self.shown) \
                and not self.working("dashboard"):
            self.reload()

    # -- data ------------------------------------------------------------------------
    @db_work(exclusive=True, group="choices")
    def load_choices(self) -> None:
        choices = self.app.backend.choices()
        self.app.call_from_thread(self._show_choices, choices)

    def _show_choices(self, choices: dict[str, list[str]]) -> None:
        self.remember("choices", choices)
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
        self.remember("due", (overdue, soon))
        self.loaded("#overdue")
        self.loaded("#due")
        lang = i18n.get_lang()
        for table_id, items in (("overdue", overdue), ("due", soon)):
            table = self.query_one(f"#{table_id}", FittedTable)
            rows = [(f"{item.case_id}:{item.deadline.kind}",
                     [plain(item.row["name"]), item.deadline.label.get(lang),
                      due_text(item.deadline.when.get(lang), item.deadline.provisional),
                      days_text(item.deadline)]) for item in items]
            table.show(rows or [(None, [t("tui_nothing_due"), "", "", ""])])
            title = t("tui_follow_up") if table_id == "overdue" else t("tui_due_soon")
            self.query_one(f"#{table_id}-title", Static).update(provisional_legend(
                title, any(item.deadline.provisional for item in items)))

    def _show(self, data: Overview) -> None:
        self.remember("data", data)
        lang = i18n.get_lang()
        self.query_one("#bars", StateBars).show(data.counts)
        if not sum(data.counts.values()):  # a new database: say where to start
            self.query_one("#bars", StateBars).update(Paragraph(t("tui_empty_hint")))
        rows = []
        for row in data.recent:
            h = history_line(row)
            rows.append((f"{row['case_id']}:{row['id']}",
                         [h.at, plain(row["name"]), h.label.get(lang), state_text(h.to_state),
                          plain(h.actor)]))
        self.query_one("#recent", FittedTable).show(rows)

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
