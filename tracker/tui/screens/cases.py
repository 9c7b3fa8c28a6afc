"""The case list: search, filter, sort and page in SQL — never all rows in a widget.

At 100,000 cases the table holds one page (PAGE_SIZE rows); moving past its edge loads
the next page with LIMIT/OFFSET; the search is debounced and runs in a worker.
"""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Select, Static

from ... import i18n
from ...domain import reference
from ...domain.workflow import STAGES, STATES
from ...i18n import t
from ...services.listing import Page
from ..backend import list_query
from ..commands import Command, both
from ..common import (
    FieldInput,
    KeyFooter,
    PagedTable,
    TrackerScreen,
    days_text,
    db_work,
    due_text,
    key,
    plain,
    state_text,
)
from ..tables import Col

PAGE_SIZE = 100
SEARCH_DEBOUNCE = 0.05

#: The columns, least needed dropped first on a narrow screen (tui/tables.py).
COLUMNS = [
    Col("mark", "col_mark", min=1),
    Col("employee_no", "col_employee_no", min=6, drop=2),
    Col("name", "col_name", min=6),
    Col("department", "col_department", min=6, drop=3),
    Col("specialty", "col_specialty", min=6, drop=4),
    Col("state", "col_state_label", min=16, flex=True),
    Col("next_deadline", "col_next_deadline", min=10, drop=1),
    Col("days_left", "col_days_left", min=6),
]
#: The sort key of each column that sorts.
SORTS = {"employee_no": "employee_no", "name": "name", "department": "department",
         "specialty": "specialty", "state": "state", "next_deadline": "next_deadline",
         "days_left": "next_deadline"}
SORT_CYCLE = list(dict.fromkeys(SORTS.values()))


class CasesTable(PagedTable):
    """The case list: one page of cases."""


class CasesScreen(TrackerScreen):
    BINDINGS = [
        key("enter", "open", "k_open", show=False),
        key("space", "mark", "k_mark"),
        key("a", "mark_page", "k_mark_all"),
        key("b", "bulk", "k_bulk"),
        key("s", "sort", "k_sort"),
        key("r", "reverse", "k_reverse"),
        key("right_square_bracket", "page(1)", "k_next_page", key_display="]"),
        key("left_square_bracket", "page(-1)", "k_prev_page", key_display="["),
        key("x", "export", "k_export"),
    ]
    AUTO_FOCUS = "#cases"

    def __init__(self) -> None:
        super().__init__()
        self.page_offset = 0
        self.total = 0
        self.sort = "name"
        self.descending = False
        self.marked: set[int] = set()
        self.states: list[str] = []
        self.due: str | None = None
        self._debounce: Timer | None = None
        self._land_on: str = "first"
        self.page_shown: Page | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-bar"):
            yield FieldInput(placeholder=t("tui_search_placeholder"), id="search",
                             table_below=True)
            yield Select(self._state_options(), prompt=t("tui_all_states"), id="state-filter")
        yield CasesTable(COLUMNS, id="cases", cursor_type="row", zebra_stripes=True)
        yield Static(id="status")
        yield KeyFooter(compact=True)

    def _state_options(self) -> list[tuple[str, str]]:
        lang = i18n.get_lang()
        options = [(t("tui_overdue"), "due:overdue"), (t("tui_due_soon"), "due:soon")]
        options += [(f"▸ {stage.label.get(lang)}", f"stage:{stage.name}")
                    for stage in STAGES.values()]
        options += [(f"   {state.label.get(lang)}", state.name) for state in STATES.values()]
        return options

    def on_mount(self) -> None:
        self.setup()

    def setup(self) -> None:
        self.reload()

    async def relabel(self) -> None:
        """Relabelled with the page shown (no new query)."""
        search = self.query_one("#search", Input).value
        await self.recompose()
        box = self.query_one("#search", Input)
        with box.prevent(Input.Changed):
            box.value = search
        if self.page_shown is not None:
            self._land_on = "keep"
            self._show(self.page_shown)
        elif not self.working("page"):
            self.setup()

    def focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    # -- data ------------------------------------------------------------------------
    def reload(self) -> None:
        self.load_page(self.page_offset)

    @db_work(exclusive=True, group="page")
    def load_page(self, offset: int) -> None:
        self.loading("#cases")
        page = self.app.backend.page(self.current_query(), sort=self.sort,
                                     descending=self.descending, offset=offset,
                                     limit=PAGE_SIZE)
        self.deliver(self._show, page)

    def current_query(self):
        """The cases listed now: the dashboard filters, the search, the state filter."""
        search = self.query_one("#search", Input).value.strip()
        return list_query(self.app.filters, search=search, states=self.states, due=self.due)

    def _show(self, page: Page) -> None:
        self.page_shown = page
        self.loaded("#cases")
        lang = i18n.get_lang()
        table = self.query_one(CasesTable)
        keep = table.cursor_row if self._land_on == "keep" else None
        table.show([(str(row["case_id"]), self._cells(row, lang)) for row in page.rows])
        self._provisional_shown = any(r.get("next_deadline_provisional") for r in page.rows)
        self.page_offset, self.total = page.offset, page.total
        if page.rows:
            target = {"first": 0, "last": len(page.rows) - 1}.get(self._land_on, keep or 0)
            table.move_cursor(row=min(target, len(page.rows) - 1))
        self._land_on = "keep"
        self._update_status()

    def _cells(self, row: dict, lang: str) -> list:
        specialty = reference.SPECIALTIES.get(row.get("specialty") or "")
        return [
            "●" if row["case_id"] in self.marked else "",
            plain(row.get("employee_no")),
            plain(row["name"]),
            plain(row.get("department")),
            specialty.get(lang) if specialty else "",
            state_text(row["state"]),
            due_text(row["next_deadline"].get(lang) if row.get("next_deadline") else None,
                     row.get("next_deadline_provisional", False)),
            days_text(row.get("deadline")),
        ]

    def _update_status(self) -> None:
        if not self.total:
            text = t("tui_page_empty")
        else:
            text = t("tui_page", first=f"{self.page_offset + 1:,}",
                     last=f"{self.page_offset + self.query_one(CasesTable).row_count:,}",
                     total=f"{self.total:,}")
        column = next(t(c.header) for c in COLUMNS if SORTS.get(c.key) == self.sort)
        text += " · " + t("tui_sorted", column=column, arrow="↓" if self.descending else "↑")
        if self.marked:
            text += " · " + t("tui_marked", n=len(self.marked))
        if getattr(self, "_provisional_shown", False):
            text += " · " + t("tui_provisional_legend")
        self.query_one("#status", Static).update(text)

    # -- search and filters -------------------------------------------------------------
    @on(Input.Changed, "#search")
    def search_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE, self._search_now)

    def _search_now(self) -> None:
        self._land_on = "first"
        self.load_page(0)

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one(CasesTable).focus()

    @on(Select.Changed, "#state-filter")
    def state_filter_changed(self, event: Select.Changed) -> None:
        value = event.value
        self.due = None
        if value is Select.NULL:
            self.states = []
        elif str(value).startswith("due:"):
            self.states, self.due = [], str(value).split(":", 1)[1]
        elif str(value).startswith("stage:"):
            stage = str(value).split(":", 1)[1]
            self.states = [s.name for s in STATES.values() if s.stage == stage]
        else:
            self.states = [str(value)]
        self._land_on = "first"
        self.load_page(0)

    # -- paging and sorting -----------------------------------------------------------
    @on(CasesTable.PageRequest)
    def page_request(self, message: CasesTable.PageRequest) -> None:
        self.action_page(message.step)

    def action_page(self, step: int) -> None:
        new_offset = self.page_offset + step * PAGE_SIZE
        if new_offset < 0 or new_offset >= self.total:
            return
        self._land_on = "first" if step > 0 else "last"
        self.load_page(new_offset)

    def action_sort(self) -> None:
        index = SORT_CYCLE.index(self.sort) if self.sort in SORT_CYCLE else -1
        self.sort = SORT_CYCLE[(index + 1) % len(SORT_CYCLE)]
        self._land_on = "first"
        self.load_page(0)

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._land_on = "first"
        self.load_page(0)

    @on(DataTable.HeaderSelected)
    def header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = SORTS.get(event.column_key.value)
        if sort is None:
            return
        if sort == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = sort, False
        self._land_on = "first"
        self.load_page(0)

    # -- export ----------------------------------------------------------------------
    def action_export(self) -> None:
        """The cases listed now (every page, same filters and order) as a register."""
        from .modals import ExportModal

        default = f"register-{self.app.backend.ctx.today.isoformat()}.xlsx"

        def chosen(answer) -> None:
            if answer:
                self.write_register(*answer)

        self.app.push_screen(ExportModal(t("tui_export_register"), default,
                                         ["xlsx", "csv", "json"]), chosen)

    @db_work(group="export")
    def write_register(self, path: str, fmt: str) -> None:
        count = self.app.backend.export_register(self.current_query(), fmt, path,
                                                 i18n.get_lang(), sort=self.sort)
        self.app.call_from_thread(self.notify, t("tui_exported_rows", n=count, path=path))

    # -- opening, marking, bulk -------------------------------------------------------
    def _current_case(self) -> int | None:
        table = self.query_one(CasesTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def action_open(self) -> None:
        case_id = self._current_case()
        if case_id is not None:
            self.app.open_case(case_id)

    @on(DataTable.RowSelected, "#cases")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_case(int(event.row_key.value))

    def action_mark(self) -> None:
        case_id = self._current_case()
        if case_id is None:
            return
        self.marked ^= {case_id}
        table = self.query_one(CasesTable)
        table.set_cell(str(case_id), "mark", "●" if case_id in self.marked else "")
        table.action_cursor_down()
        self._update_status()

    def action_mark_page(self) -> None:
        table = self.query_one(CasesTable)
        keys = [int(k.value) for k in table.rows]
        if all(k in self.marked for k in keys):
            self.marked -= set(keys)
        else:
            self.marked |= set(keys)
        for case_id in keys:
            table.set_cell(str(case_id), "mark", "●" if case_id in self.marked else "")
        self._update_status()

    def action_bulk(self) -> None:
        if not self.marked:
            self.notify(t("tui_mark_first"), severity="warning")
            return
        from .modals import start_bulk

        start_bulk(self, sorted(self.marked), on_done=self.bulk_done)

    def bulk_done(self) -> None:
        self.marked.clear()
        self.app.reload_all()

    def palette_commands(self) -> list[Command]:
        return [Command(t("cmd_export_register"), self.action_export,
                        both("cmd_export_register"))]
