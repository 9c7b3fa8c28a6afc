"""The dashboard application: modes, global keys, language switch, live refresh, and the
one place a worker's failure is reported."""
from __future__ import annotations

import traceback

from textual import work
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import ModalScreen
from textual.worker import Worker, WorkerState

from ..i18n import t
from ..i18n.linebreak import wrap
from ..services.context import Context
from ..services.failures import explain, record_crash
from .backend import Backend, Filters
from .commands import TrackerCommands
from .common import DataChanged, LanguageChanged, TrackerScreen, key
from .screens.cases import CasesScreen
from .screens.channels import ChannelsScreen
from .screens.dashboard import DashboardScreen
from .screens.detail import CaseDetailScreen
from .screens.help import HelpScreen
from .screens.importer import ImportScreen
from .screens.notices import NoticesScreen, RemindersScreen

#: How often the dashboard looks for writes by other processes (PRAGMA data_version).
POLL_SECONDS = 1.0
#: Actions that change screen: refused while a dialog is open.
NAVIGATION = {"switch_mode", "cases", "search", "toggle_language", "send_now"}


class TrackerApp(App):
    CSS_PATH = "tracker.tcss"
    MODES = {"dashboard": DashboardScreen, "cases": CasesScreen, "import": ImportScreen,
             "notices": NoticesScreen, "reminders": RemindersScreen, "channels": ChannelsScreen, "help": HelpScreen}
    DEFAULT_MODE = "dashboard"
    COMMANDS = App.COMMANDS | {TrackerCommands}
    #: Screen classes by terminal size (tracker.tcss lays the panels out by them).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (180, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    BINDINGS = [
        key("d", "switch_mode('dashboard')", "k_dashboard"),
        key("c", "cases", "k_cases"),
        key("slash", "search", "k_search", key_display="/"),
        key("i", "switch_mode('import')", "k_import_screen"),
        key("n", "switch_mode('notices')", "k_notices"),
        key("w", "switch_mode('reminders')", "k_reminders"),
        key("o", "switch_mode('channels')", "k_channels"),
        key("question_mark", "switch_mode('help')", "k_help", key_display="?"),
        key("f2", "toggle_language", "k_language"),
        key("q", "quit", "k_quit"),
    ]

    def __init__(self, ctx: Context, *, poll: bool = True):
        super().__init__()
        self.backend = Backend(ctx)
        self.filters = Filters()
        self._poll = poll
        self._data_version: int | None = None
        self.detail_screen: CaseDetailScreen | None = None
        #: The screens mounted now, in every mode: told when data or language change.
        self.screens_shown: set[TrackerScreen] = set()
        self.title = t("tui_title")

    # -- start-up ---------------------------------------------------------------------
    def on_mount(self) -> None:
        self.sub_title = self.backend.ctx.db.path.name
        if self._poll:
            # The baseline is taken now, so a write before the first tick is noticed too.
            self._data_version = self.backend.data_version()
            self.set_interval(POLL_SECONDS, self.check_outside_changes)

    # -- navigation -------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No screen switch under a dialog: its keys are the dialog's own."""
        if action in NAVIGATION and isinstance(self.screen, ModalScreen):
            return False
        return True

    async def action_cases(self) -> CasesScreen | None:
        """`c` from anywhere, a case included: the case list, its table focused."""
        await self.switch_mode("cases")
        while isinstance(self.screen, CaseDetailScreen):
            await self.pop_screen()
        if not isinstance(self.screen, CasesScreen):
            return None
        self.screen.leave_input()
        return self.screen

    async def action_search(self) -> None:
        """`/` from anywhere: the case list, search box focused."""
        screen = await self.action_cases()
        if screen is not None:
            screen.focus_search()

    def open_case(self, case_id: int) -> None:
        """Show the case (from any screen, a palette hit, a dashboard row)."""
        self.call_later(self._open_case, case_id)

    async def _open_case(self, case_id: int) -> None:
        if self.current_mode != "cases":
            await self.switch_mode("cases")
        # One detail screen, composed once and reused: composing a screen costs Textual
        # far more than loading a case does (measured in tests/benchmarks/bench_tui.py).
        if self.detail_screen is None:
            self.detail_screen = CaseDetailScreen(case_id)
            self.install_screen(self.detail_screen, name="case-detail")
        else:
            self.detail_screen.show_case(case_id)
        if self.screen is not self.detail_screen:
            await self.push_screen(self.detail_screen)

    async def action_export_register(self) -> None:
        """The register of the cases listed (with the dashboard's filters), from anywhere."""
        screen = await self.action_cases()
        if screen is not None:
            screen.action_export()

    async def action_send_now(self) -> None:
        """Send the reminders now, from anywhere (the palette): the channels screen, then
        its preview of what would go."""
        await self.switch_mode("channels")
        if isinstance(self.screen, ChannelsScreen):
            self.screen.action_send_now()

    # -- the palette --------------------------------------------------------------------
    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the user's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("tui_palette_placeholder"),
                                            id="--command-palette"))

    def get_system_commands(self, screen):
        """Textual's own commands, in the user's language (the theme is in
        `TrackerCommands`, found in both languages; the keys are on the help screen)."""
        yield SystemCommand(t("cmd_quit"), "", self.action_quit)
        if screen.maximized is not None:
            yield SystemCommand(t("cmd_minimize"), "", screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("cmd_maximize"), "", screen.action_maximize)
        yield SystemCommand(t("cmd_screenshot"), "",
                            lambda: self.set_timer(0.1, self.deliver_screenshot))

    # -- language ---------------------------------------------------------------------
    async def action_toggle_language(self) -> None:
        ctx = self.backend.ctx
        ctx.lang = "en" if ctx.lang == "zh" else "zh"
        self.title = t("tui_title")
        for screen in self._screens():
            screen.post_message(LanguageChanged())
        self.refresh_bindings()

    def _screens(self) -> list[TrackerScreen]:
        screens = set(self.screens_shown)
        if self.detail_screen is not None:
            screens.add(self.detail_screen)  # installed: kept while another case is shown
        return list(screens)

    # -- live data --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def check_outside_changes(self) -> None:
        version = self.backend.data_version()
        if self._data_version is not None and version != self._data_version:
            self.call_from_thread(self.reload_all, True)
        self._data_version = version

    def reload_all(self, outside: bool = False) -> None:
        """Refresh every screen that shows data (after a write here or elsewhere)."""
        for screen in self._screens():
            screen.post_message(DataChanged(outside))
        if outside:
            self.notify(t("tui_data_changed"), timeout=2)

    # -- failures ---------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (the screens forward theirs: `TrackerScreen`)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_failure(event.worker.error)

    def report_failure(self, error: BaseException) -> None:
        """Every worker that fails ends here: a refused action or a database problem is
        said in the user's words; anything else is a bug, said plainly (details kept)."""
        failure = explain(error)
        if failure is not None:
            self.notify(failure.text(), severity="error", timeout=8)
            return
        log = record_crash("".join(traceback.format_exception(error)))
        self.notify(t("internal_error", log=log), severity="error", timeout=15)

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification as plain text: messages carry names, notes, file paths and
        error details as typed, and a name with "[/]" in it is not markup. Laid out here
        for the toast's width (Textual's Toast: 60 cells, at most half the screen, less
        padding and border), so that Chinese lines break where they may (i18n.linebreak)."""
        width = min(60, self.size.width // 2 or 60) - 3
        message = "\n".join(wrap(message, width))
        super().notify(message, title=title, severity=severity, timeout=timeout,
                       markup=False)


def run_dashboard(ctx: Context) -> None:
    TrackerApp(ctx).run()
