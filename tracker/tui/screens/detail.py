"""One case: person, state, what to do next, materials, deadlines, history, events."""
from __future__ import annotations

from functools import partial

from rich.console import Group
from rich.table import Table
from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ... import i18n
from ...domain import reference
from ...domain.text import visible
from ...domain.workflow import EVENTS, event_label, state_label
from ...i18n import pick, t
from ...i18n.linebreak import Paragraph
from ...services.sheet import CaseSheet, labelled
from ..commands import Command, both
from ..common import (
    KeyFooter,
    TrackerScreen,
    days_text,
    db_work,
    due_text,
    key,
    plain,
    state_colour,
    state_text,
)
from ..tables import Col, FittedTable


def person_panel(sheet: CaseSheet, reveal: bool, lang: str) -> Table:
    """The person and the case's data, labelled as everywhere (the ID masked unless
    revealed)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    for label, value in labelled(sheet.person(full_id=reveal) + sheet.data(), lang):
        grid.add_row(label, plain(value))
    return grid


def state_panel(sheet: CaseSheet, lang: str) -> Group:
    spec = sheet.state
    heading = RichText.assemble((spec.label.get(lang), f"bold {state_colour(spec.name)}"),
                                f"  ·  {sheet.stage.get(lang)}")
    return Group(heading, RichText(spec.meaning.get(lang), style="dim"))


def steps_panel(sheet: CaseSheet, lang: str) -> Group:
    parts = []
    for step in sheet.steps:
        style = {"warning": "bold #ff8700", "info": "bold #87afd7"}.get(step.kind, "bold")
        parts.append(Paragraph(RichText(step.title.get(lang), style=style)))
        parts.append(Paragraph(step.body.get(lang)))
        for item in step.items:
            parts.append(Paragraph("  • " + item.get(lang)))
        if step.officer:  # R17: what the officer records, never on the person's sheet
            parts.append(Paragraph("▸ " + step.officer.get(lang), style="italic #87afd7"))
        if step.rules:
            parts.append(Paragraph(t("tui_rules", rules=", ".join(step.rules)), style="dim"))
        parts.append(RichText(""))
    return Group(*parts)


def deadlines_panel(items: list, lang: str) -> RichText | Table:
    if not items:
        return RichText(t("tui_no_deadlines"), style="dim")
    grid = Table.grid(padding=(0, 1))
    for item in items:
        grid.add_row(RichText(item.label.get(lang)),
                     due_text(item.when.get(lang), item.provisional),
                     days_text(item))
        if item.detail:
            grid.add_row(Paragraph("  " + item.detail.get(lang), style="dim"), "", "")
        if item.provisional:  # R15: what the star means, and what to do
            grid.add_row(Paragraph("  " + t("tui_provisional_detail"),
                                   style="italic #d7af00"), "", "")
    return grid


HISTORY_COLUMNS = [Col("at", "col_at", min=10, drop=3), Col("event", "col_event", min=8, flex=True),
                   Col("from", "col_from", min=8, flex=True, drop=2),
                   Col("to", "col_to", min=8, flex=True), Col("actor", "col_actor", min=4, drop=4),
                   Col("note", "col_note", min=8, flex=True, drop=1)]


class Checklist(OptionList):
    """The materials: ☑ received, ☐ not yet; Space or Enter ticks the highlighted one."""

    BINDINGS = [Binding("space", "select", show=False)]

    def show(self, items: list[tuple[str, str, bool]]) -> None:
        """(key, label, received) of every item; the highlight stays where it was."""
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(RichText.assemble(("☑ " if done else "☐ "),
                                                   (label, "" if done else "bold")), id=key)
                          for key, label, done in items])
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)


class CaseDetailScreen(TrackerScreen):
    BINDINGS = [
        key("escape", "back", "k_back"),
        key("e", "choose_event", "k_event"),
        key("u", "undo", "k_undo"),
        key("v", "reveal", "k_reveal"),
        key("m", "focus_materials", "k_materials"),
        key("x", "export", "k_export"),
        key("h", "add_course", "k_ce_add"),
    ]
    AUTO_FOCUS = "#events"

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.detail: CaseSheet | None = None
        self.reveal = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="detail-left"):
                yield Static(t("tui_person"), classes="panel-title")
                yield Static(id="person")
                yield Static(t("tui_state"), classes="panel-title")
                yield Static(id="state")
                yield Static(t("ce_section"), classes="panel-title ce-part")
                yield Static(id="ce", classes="ce-part")
                yield Static(t("tui_next_steps"), classes="panel-title")
                yield Static(id="steps")
            with Vertical(id="detail-right"):
                yield Static(t("materials"), classes="panel-title")
                yield Checklist(id="materials")
                yield Static(t("tui_deadlines"), classes="panel-title")
                yield Static(id="deadlines")
                yield Static(t("tui_events"), classes="panel-title")
                yield OptionList(id="events")
        yield Static(t("history"), classes="panel-title")
        yield FittedTable(HISTORY_COLUMNS, id="history", cursor_type="row",
                          zebra_stripes=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.setup()

    def setup(self) -> None:
        self.reload()

    async def relabel(self) -> None:
        """The case shown, relabelled (no new query)."""
        await self.recompose()
        if self.detail is not None:
            self._show(self.detail)
        else:
            self.reload()

    # -- data ------------------------------------------------------------------------
    def reload(self) -> None:
        self.load()

    @db_work(exclusive=True, group="detail")
    def load(self) -> None:
        self.app.call_from_thread(self._show, self.app.backend.detail(self.case_id))

    def _show(self, detail: CaseSheet) -> None:
        self.detail = detail
        lang = i18n.get_lang()
        self._show_ce(detail, lang)
        row = detail.case
        self.sub_title = f"{visible(row['name'])} · {t('case_no', case_id=row['case_id'])}"
        self.query_one("#person", Static).update(person_panel(detail, self.reveal, lang))
        self.query_one("#state", Static).update(state_panel(detail, lang))
        self.query_one("#steps", Static).update(steps_panel(detail, lang))
        self.query_one("#deadlines", Static).update(deadlines_panel(detail.deadlines or [],
                                                                    lang))
        self.query_one("#materials", Checklist).show([
            (m.key, m.label.get(lang) + (" ←" if m.needed_now and not m.received_on else ""),
             bool(m.received_on)) for m in detail.materials])
        self._show_events(detail, lang)
        self.query_one("#history", FittedTable).show([
            (None, [h.at, h.label.get(lang) + (f" (#{h.undoes})" if h.undoes else ""),
                    state_label(h.from_state, lang) if h.from_state else "",
                    state_text(h.to_state), plain(h.actor), plain(h.note)])
            for h in reversed(detail.history)])

    def _show_ce(self, detail: CaseSheet, lang: str) -> None:
        """Continuing education, for a registered person (or one with courses logged)."""
        from .ce import ce_panel

        ce = detail.registration.ce if detail.registration is not None else None
        shown = ce is not None and (detail.state.stage in ("registration", "renewal")
                                    or bool(ce.entries))
        for part in self.query(".ce-part"):
            part.display = shown
        if shown:
            self.query_one("#ce", Static).update(ce_panel(ce, lang))

    def action_add_course(self) -> None:
        """A course of continuing education: the form, then the panel shows it."""
        if not self.detail:
            return
        from .ce import CeCourseModal

        case_id, name = self.case_id, self.detail.case["name"]

        def done(entry) -> None:
            if entry is None:
                return
            self.notify(t("ce_added", name=name, hours=f"{entry.hours:g}", day=entry.taken_on,
                          provider=entry.provider,
                          counted=t("ce_counted" if entry.in_period else "ce_not_counted")))
            self.app.reload_all()

        self.app.push_screen(CeCourseModal(
            name, lambda form: self.app.backend.add_ce_course(case_id, form)), done)

    def _show_events(self, detail: CaseSheet, lang: str) -> None:
        """The events allowed now, one option each (Enter fires); what a case still lacks
        for an event is written under it. One OptionList, not a button per event: mounting
        widgets on every case shown cost more than the case itself."""
        options = []
        for event in detail.allowed_events:
            blockers = detail.blockers.get(event) or []
            label = RichText(event_label(event, lang),
                             style="dim" if EVENTS[event].side else "bold")
            if blockers:
                label.append("\n  " + t("tui_needs", why="; ".join(pick(b) for b in blockers)),
                             style="#d7af00")
            options.append(Option(label, id=event))
        events = self.query_one("#events", OptionList)
        events.clear_options()
        events.add_options(options)

    # -- actions ---------------------------------------------------------------------
    def show_case(self, case_id: int) -> None:
        """Reuse this screen for another case (the screen stays composed)."""
        if case_id != self.case_id:
            self.case_id = case_id
            self.detail = None
            self.reveal = False
        if self.is_mounted:
            self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reveal(self) -> None:
        self.reveal = not self.reveal
        if self.detail:
            self.query_one("#person", Static).update(
                person_panel(self.detail, self.reveal, i18n.get_lang()))
        if self.reveal:
            self.notify(t("tui_revealed"), timeout=3)

    def action_export(self) -> None:
        """The person's status sheet (HTML prints on A4; Markdown pastes into chat)."""
        if not self.detail:
            return
        from ...services.render import sheet_filename
        from .modals import ExportModal

        # The file name the command line would choose.
        default = sheet_filename(self.detail.case, "html")

        def chosen(answer) -> None:
            if answer:
                self.write_export(*answer)

        self.app.push_screen(ExportModal(t("tui_export_sheet"), default,
                                         ["html", "md", "json"]), chosen)

    @db_work(group="export")
    def write_export(self, path: str, fmt: str) -> None:
        written = self.app.backend.export_sheet(self.case_id, fmt, path, i18n.get_lang())
        self.app.call_from_thread(self.notify, t("tui_exported", path=written))

    def palette_commands(self) -> list[Command]:
        """Fire an allowed event (found by its label in either language or its key),
        export the sheet, the materials, undo."""
        commands = [Command(t("cmd_export_sheet"), self.action_export, both("cmd_export_sheet")),
                    Command(t("cmd_materials"), self.action_focus_materials,
                            both("cmd_materials")),
                    Command(t("cmd_ce_add"), self.action_add_course, both("cmd_ce_add"))]
        if self.detail is None:
            return commands
        lang = i18n.get_lang()
        for event in self.detail.allowed_events:
            labels = [event_label(event, "zh"), event_label(event, "en")]
            commands.append(Command(t("cmd_fire", event=event_label(event, lang)),
                                    partial(self.fire, event),
                                    both("cmd_fire", event=labels[0])
                                    + both("cmd_fire", event=labels[1]) + [event]))
        for m in self.detail.materials:
            key = "cmd_material_off" if m.received_on else "cmd_material_on"
            commands.append(Command(t(key, item=m.label.get(lang)),
                                    partial(self.toggle_material, m.key, not m.received_on),
                                    both(key, item=m.label.get("zh"))
                                    + both(key, item=m.label.get("en"))))
        commands.append(Command(t("cmd_undo"), self.action_undo, both("cmd_undo")))
        return commands

    def action_focus_materials(self) -> None:
        materials = self.query_one("#materials", Checklist)
        materials.focus()
        if materials.highlighted is None and materials.option_count:
            materials.highlighted = 0

    def action_choose_event(self) -> None:
        if not self.detail:
            return
        from .modals import ChooseEventModal

        def chosen(event: str | None) -> None:
            if event:
                self.fire(event)

        self.app.push_screen(ChooseEventModal(self.detail.allowed_events), chosen)

    @on(OptionList.OptionSelected, "#events")
    def event_chosen(self, event: OptionList.OptionSelected) -> None:
        self.fire(event.option.id)

    def fire(self, event: str) -> None:
        """Open the modal for `event`; it fires, shows a refusal, or closes on success."""
        if not self.detail:
            return
        from .modals import EventModal

        row = self.detail.case

        def submit(data: dict[str, str], note: str | None):
            return self.app.backend.fire(self.case_id, event, data, note)

        def done(result) -> None:
            if result is None:
                return
            outcome = result.outcome
            lang = i18n.get_lang()
            self.notify(t("tui_fired", name=visible(row["name"]), event=event_label(event, lang),
                          from_=state_label(outcome.from_state, lang),
                          to=state_label(outcome.to_state, lang)))
            self.app.reload_all()

        self.app.push_screen(EventModal(event, row["name"], row["state"], submit), done)

    def action_undo(self) -> None:
        self.undo()

    @db_work(exclusive=True, group="write")
    def undo(self) -> None:
        target = self.app.backend.undo(self.case_id)
        label = event_label(target["event"], i18n.get_lang())
        self.app.call_from_thread(self.notify, t("tui_undone", event=label))
        self.app.call_from_thread(self.app.reload_all)

    @on(OptionList.OptionSelected, "#materials")
    def material_toggled(self, event: OptionList.OptionSelected) -> None:
        if not self.detail:
            return
        item = event.option.id
        received = {m.key: bool(m.received_on) for m in self.detail.materials}
        self.toggle_material(item, not received.get(item, False))

    @db_work(group="write")
    def toggle_material(self, item: str, received: bool) -> None:
        self.app.backend.set_material(self.case_id, item, received)
        label = pick(reference.MATERIALS[item])
        self.app.call_from_thread(
            self.notify, t("tui_material_on" if received else "tui_material_off", item=label),
            timeout=2)
        self.app.call_from_thread(self.app.reload_all)
