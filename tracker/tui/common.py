"""Small pieces every screen uses: live-translated bindings, state colours, formatting."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text as RichText
from textual import work
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from .. import i18n
from ..domain.deadlines import Deadline
from ..domain.text import visible
from ..domain.workflow import STATES
from ..i18n import t
from ..i18n.linebreak import Paragraph
from ..services.failures import explain
from .tables import FittedTable

#: One colour per stage; dead ends in red (the table's state column, the bars).
STAGE_COLOURS = {
    "exam": "#5fafff",
    "review": "#d7af00",
    "certificate": "#5fd75f",
    "registration": "#00d7d7",
    "renewal": "#d787ff",
}
FINAL_COLOUR = "#ff5f5f"


def plain(value: object) -> RichText:
    """What someone typed (a name, a note, a cell of a staff list), shown as typed.

    A DataTable reads a `str` cell as Rich markup: a name like "[bold]张三[/bold]" would
    be styled, and one with a stray "[/]" would stop the dashboard with a MarkupError.
    Control characters are written out (``\\x1b``, tracker.domain.text.visible): Textual
    sends a cell's text to the terminal as it is, and ESC [2J would clear it.
    """
    return RichText("" if value is None else visible(str(value)))


def state_colour(state: str) -> str:
    spec = STATES.get(state)
    if spec is None:
        return "white"
    return FINAL_COLOUR if spec.final else STAGE_COLOURS[spec.stage]


def state_text(state: str) -> RichText:
    label = STATES[state].label.get(i18n.get_lang()) if state in STATES else state
    return RichText(label, style=state_colour(state))


def days_text(deadline: Deadline | None) -> RichText:
    """How far off a deadline is, in the one wording (`Deadline.days`), coloured by
    urgency: overdue red, a week orange, a month yellow; a flag (to follow up, never
    overdue) magenta; an undated one ("日期待公布": its sitting has no day yet) dim."""
    if deadline is None:
        return RichText("")
    if deadline.days_left is None:
        return RichText(deadline.days.get(i18n.get_lang()), style="dim")
    days = deadline.days_left
    if deadline.flag:
        style = "#d787d7"
    elif days < 0:
        style = "bold #ff5f5f"
    else:
        style = "#ff8700" if days <= 7 else "#d7af00" if days <= 30 else "#87af87"
    return RichText(deadline.days.get(i18n.get_lang()), style=style)


def due_text(day: str | None, provisional: bool = False) -> RichText:
    """A due day; a provisional one (R15: counted Monday to Friday across a year nothing
    knows yet) starred and coloured, explained by `provisional_legend`."""
    if not day:
        return RichText("")
    return RichText(f"{day} *", style="italic #d7af00") if provisional else RichText(day)


def provisional_legend(title: str, provisional: bool) -> RichText:
    """A panel's title, with the star's meaning when one of its dates is provisional."""
    text = RichText(title)
    if provisional:
        text.append("  " + t("tui_provisional_legend"), style="italic #d7af00")
    return text


def key(keys: str, action: str, message_key: str, show: bool = True, **kwargs) -> Binding:
    """A binding whose footer text is the i18n message `message_key` (kept as its id and
    its description; the footer translates it when it draws, so F2 switches it live)."""
    return Binding(keys, action, message_key, show=show, id=message_key, **kwargs)


def binding_text(binding: Binding) -> str:
    """What a binding is called in the current language."""
    message_key = binding.id or binding.description
    return t(message_key) if message_key in i18n.MESSAGES else binding.description


class FooterItem(Static):
    """One key of the footer; a click runs its action where the binding was found."""

    def __init__(self, key_display: str, text: str, action: str, node, enabled: bool,
                 key_colour: str) -> None:
        content = RichText.assemble((key_display, f"bold {key_colour}"), " ", text)
        super().__init__(content, markup=False, classes="" if enabled else "-disabled")
        self.action, self.node, self.enabled = action, node, enabled

    async def on_click(self) -> None:
        if self.enabled:
            await self.app.run_action(self.action, self.node)


class KeyFooter(Horizontal):
    """The keys of the screen, in the current language, redrawn only when they change.

    Built on public API: the screen's `active_bindings` and its bindings signal. (The
    stock Footer rebuilt its ~20 key widgets on every focus change, ~0.3 s each time a case
    was opened — tests/benchmarks/bench_tui.py — and cannot translate its keys live.)
    """

    DEFAULT_CSS = """
    KeyFooter { dock: bottom; height: 1; background: $footer-background; }
    KeyFooter > #footer-keys { width: 1fr; height: 1; overflow: hidden hidden; }
    KeyFooter FooterItem { width: auto; height: 1; padding: 0 1;
                           color: $footer-foreground; }
    KeyFooter FooterItem:hover { background: $footer-item-background; }
    KeyFooter FooterItem.-disabled { text-opacity: 50%; }
    """

    def __init__(self, **kwargs) -> None:
        kwargs.pop("compact", None)
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def compose(self):
        yield Horizontal(id="footer-keys")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.call_after_refresh(self.redraw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self.redraw()

    def keys(self) -> list[tuple[str, str, str, object, bool]]:
        """(key display, text, action, node, enabled) of every key shown, the palette last."""
        app = self.app
        active = self.screen.active_bindings
        shown, palette = [], None
        for node, binding, enabled, _ in active.values():
            item = (app.get_key_display(binding), binding_text(binding), binding.action, node,
                    enabled)
            if binding.key == app.COMMAND_PALETTE_BINDING:
                palette = item[:1] + (t("k_palette"),) + item[2:]
            elif binding.show:
                shown.append(item)
        return shown + ([palette] if palette and app.ENABLE_COMMAND_PALETTE else [])

    def on_resize(self) -> None:
        self.redraw()

    @staticmethod
    def fitting(keys: list[tuple], width: int) -> list[tuple]:
        """The keys that fit whole in `width` cells, in order (the palette key last, always
        shown): a key that does not fit is left out, never cut to a stray letter."""
        def cells(item) -> int:
            return cell_len(item[0]) + 1 + cell_len(item[1]) + 2  # padding 0 1

        palette = [keys[-1]] if keys and keys[-1][1] == t("k_palette") else []
        room = width - sum(cells(item) for item in palette)
        shown = []
        for item in keys[:len(keys) - len(palette)]:
            if cells(item) > room:
                break
            shown.append(item)
            room -= cells(item)
        return shown + palette

    def redraw(self) -> None:
        """Recompose when the keys (or the language, or the width) changed."""
        keys = self.fitting(self.keys(), self.size.width or self.app.size.width)
        signature = tuple((k, text, enabled) for k, text, _, _, enabled in keys)
        if signature == self._shown:
            return
        self._shown = signature
        colour = self.app.get_css_variables().get("footer-key-foreground", "")
        items = [FooterItem(*item, key_colour=colour) for item in keys]
        palette = items.pop() if keys and keys[-1][1] == t("k_palette") else None
        row = self.query_one("#footer-keys", Horizontal)
        row.remove_children()
        row.mount_all(items)
        for old in self.query(FooterItem).exclude("#footer-keys FooterItem"):
            old.remove()
        if palette is not None:
            self.mount(palette)


# --------------------------------------------------------------------------- screens

#: A query that takes longer than this shows the loading state (a quick one would only
#: flicker).
LOADING_DELAY = 0.15


class PagedTable(FittedTable):
    """A table that holds one page and asks for the next/previous one at its edges."""

    class PageRequest(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.PageRequest(+1))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.PageRequest(-1))
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.PageRequest(+1))
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.PageRequest(-1))
        else:
            super().action_page_up()


def db_work(**options):
    """A thread worker for database work: its failure goes to the app's one handler
    (`TrackerApp.report_failure`) instead of closing the dashboard."""
    return work(thread=True, exit_on_error=False, **options)



class DataChanged(Message):
    """The database changed (here or in another process): show what is there now."""

    def __init__(self, outside: bool = False) -> None:
        super().__init__()
        self.outside = outside


class LanguageChanged(Message):
    """F2 switched the language: relabel everything."""


class FieldInput(Input):
    """A text box in the keyboard model of the dashboard (help screen, README): entered
    with `/` (the search), a click or Tab, never by a screen switch; left with Esc (or
    Enter, which the screen handles) back to the screen's home widget (its table), so
    single-letter keys go back to being keys. With `table_below`, Down and Tab also move
    into the table under it."""

    BINDINGS = [
        Binding("escape", "leave", show=False),
        Binding("down,tab", "leave_down", show=False),
    ]

    def __init__(self, *args, table_below: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.table_below = table_below

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Down and Tab leave only a box with a table under it; elsewhere Tab moves on.
        return self.table_below if action == "leave_down" else True

    def action_leave(self) -> None:
        self.screen.leave_input()

    def action_leave_down(self) -> None:
        self.screen.leave_input()


class TrackerScreen(Screen):
    """A screen of the dashboard: told when the data or the language changes (typed
    messages, not probes), and offering its own commands to the palette.

    `AUTO_FOCUS` is the screen's home widget (a table, never a text box): where a screen
    switch lands and where Esc from a text box goes back to."""

    AUTO_FOCUS = "DataTable"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: The loading indicators about to be shown (`loading`), by widget selector.
        self.loading_timers: dict[str, Timer] = {}

    def leave_input(self) -> None:
        """Leave a text box for the home widget."""
        for widget in self.query(self.AUTO_FOCUS or "DataTable"):
            if widget.focusable:
                widget.focus()
                return
        self.set_focus(None)

    def on_mount(self) -> None:
        self.app.screens_shown.add(self)

    def on_unmount(self) -> None:
        self.app.screens_shown.discard(self)

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker's state reaches only the node that started it: a screen's failed
        workers go on to the app's one handler."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_failure(event.worker.error)

    async def on_language_changed(self, message: LanguageChanged) -> None:
        await self.relabel()
        for footer in self.query(KeyFooter):
            footer.redraw()

    def loading(self, selector: str) -> None:
        """From a worker: the widget's data is on its way; after LOADING_DELAY it shows
        Textual's loading indicator until `loaded`."""
        def start() -> None:
            widget = self.query_one(selector)
            previous = self.loading_timers.pop(selector, None)
            if previous is not None:
                previous.stop()
            self.loading_timers[selector] = self.set_timer(
                LOADING_DELAY, lambda: setattr(widget, "loading", True))

        self.app.call_from_thread(start)

    def loaded(self, selector: str) -> None:
        """On the UI thread: the widget's data is shown."""
        timer = self.loading_timers.pop(selector, None)
        if timer is not None:
            timer.stop()
        self.query_one(selector).loading = False

    def working(self, group: str) -> bool:
        """A load of this screen's in that worker group is under way (its result will be
        shown when it comes: no need to start another)."""
        return any(w.node is self and w.group == group and w.is_running
                   for w in self.app.workers)

    def deliver(self, callback, *args) -> None:
        """From a worker: hand its result to the UI thread, unless a newer load of the
        same kind replaced it meanwhile (an exclusive worker is cancelled, not stopped)."""
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(callback, *args)

    def reload(self) -> None:
        """Load the screen's data again (a worker); nothing for a screen without data."""

    async def relabel(self) -> None:
        """Show the labels in the current language (most screens recompose)."""
        await self.recompose()

    def palette_commands(self) -> list:
        """The `commands.Command`s the command palette offers on this screen."""
        return []


def failure_text(error: BaseException, heading: str | None = None) -> Paragraph:
    """A failure as the dashboard shows it inline (a form, a dialog): the heading and the
    headline in red, then its reasons. Under a heading, a refused event's own headline
    ("event refused (case 7, …)") is not repeated."""
    failure = explain(error)
    if failure is None:
        return Paragraph(RichText(t("internal_error", log="-"), style="bold #ff5f5f"))
    lines = [heading] if heading else []
    if not (heading and failure.key == "event_refused"):
        lines.append(failure.message())
    text = RichText("\n".join(lines))
    text.stylize("bold #ff5f5f")  # the headline only: the reasons follow in plain text
    for reason in failure.reason_lines():
        text.append("\n• " + reason)
    return Paragraph(text)
