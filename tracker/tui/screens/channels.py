"""Reminder channels (R16, issue 13): where the daily digest goes, its last send, the
failures since and what waits; "send now" with a preview first, and a test message.

The screen shows what `tracker channel list` shows, URLs masked (`channels_overview`:
the secret never reaches this module), and how many items wait for each channel. Send
now previews exactly what `tracker notify --dry-run` prints, then sends it in a worker
with a progress bar, and says per channel what went, what had gone before and what
failed. A filter narrows the list by name or department; send now then sends to the
channels listed only (the preview names them).
"""
from __future__ import annotations

from rich.text import Text as RichText
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Header, Input, Label, ProgressBar, Static
from textual.worker import Worker, WorkerState

from ...errors import TrackerError
from ...i18n import t
from ...i18n.linebreak import Paragraph
from ..backend import ChannelPreview
from ..commands import Command, both
from ..common import FieldInput, KeyFooter, TrackerScreen, db_work, failure_text, key, plain
from ..tables import Col, FittedTable

COLUMNS = [
    Col("name", "col_reminder_channel", min=6),
    Col("url", "col_url_masked", min=10, soft=24, flex=True, drop=3),
    Col("lang", "col_lang", min=4, drop=4),
    Col("sends", "col_only", min=6, soft=12, flex=True, drop=2),
    Col("last_sent", "col_last_sent", min=16, drop=1),
    Col("failure", "col_last_failure", min=10, soft=18, flex=True),
    Col("waiting", "col_waiting", min=4),
]
FAILED = "bold #ff5f5f"
DONE = "bold #5fd75f"


def when(stamp: str | None) -> str:
    """A log's time stamp as read: "2026-12-02 09:30" (no seconds, no "T")."""
    return stamp.replace("T", " ")[:16] if stamp else t("tui_channel_never")


def sends(channel: dict) -> str:
    """What a channel wants: overdue / due / all, and its departments."""
    only = t(f"only_{channel['only']}")
    if not channel["departments"]:
        return only
    return t("tui_channel_sends", only=only, departments=t("tui_list_separator").join(
        channel["departments"]))


def failure(channel: dict) -> RichText:
    """The last attempt when it failed: its time and the transport's words."""
    if channel["last_ok"] is not False:
        return RichText("")
    return RichText(f"{when(channel['last_attempt'])} {channel['last_error'] or ''}",
                    style="#ff5f5f")


def row_cells(channel: dict, waiting: int) -> list:
    return [plain(channel["name"]), plain(channel["url"]), channel["lang"], plain(sends(channel)),
            when(channel["last_sent"]), failure(channel),
            RichText(str(waiting), style="bold #d7af00" if waiting else "dim")]


def channel_text(channel: dict, waiting: int) -> Paragraph:
    """The highlighted channel in full: nothing cut, the error whole."""
    text = RichText()
    text.append(t("tui_channel_heading", name=channel["name"], url=channel["url"]), style="bold")
    departments = (t("tui_list_separator").join(channel["departments"])
                   or t("tui_channel_all_departments"))
    text.append("\n" + t("tui_channel_settings", language=channel["lang"],
                         only=t(f"only_{channel['only']}"), departments=departments))
    text.append("\n" + t("tui_channel_last_sent", when=when(channel["last_sent"])))
    if channel["last_ok"] is False:
        text.append("\n" + t("tui_channel_last_failure", when=when(channel["last_attempt"]),
                             n=channel["failures"], error=channel["last_error"] or ""),
                    style="#ff5f5f")
    else:
        text.append("\n" + t("tui_channel_no_failure"), style="dim")
    text.append("\n" + t("tui_channel_waiting", n=waiting))
    return Paragraph(text)


class ChannelsScreen(TrackerScreen):
    BINDINGS = [
        key("s", "send_now", "k_send_now"),
        key("t", "test", "k_channel_test"),
        key("f5", "reload", "k_refresh"),
    ]
    AUTO_FOCUS = "#channels"
    #: What was read (the channels, the items waiting per channel), kept to relabel.
    shown: tuple[list[dict], dict[str, int]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="channel-bar"):
            yield FieldInput(placeholder=t("tui_channel_filter"), id="channel-filter",
                             table_below=True)
            yield Static(id="channel-count")
        with Vertical(id="channel-list", classes="panel"):
            yield Static(t("channels_title"), classes="panel-title")
            yield FittedTable(COLUMNS, id="channels", cursor_type="row", zebra_stripes=True)
            yield Static(Paragraph(t("tui_channels_empty")), id="channels-empty")
        yield Static(id="channel-detail", classes="panel")
        yield Static(id="channel-result")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#channels-empty").display = False
        self.reload()

    async def relabel(self) -> None:
        """Relabelled with the channels shown (no new query), the filter kept."""
        typed = self.query_one("#channel-filter", Input).value
        await self.recompose()
        self.query_one("#channel-filter", Input).value = typed
        if self.shown is not None:
            self._show(*self.shown)
        else:
            self.reload()

    # -- data ------------------------------------------------------------------------
    def reload(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.reload()

    @db_work(exclusive=True, group="channels")
    def load(self) -> None:
        self.loading("#channels")
        self.deliver(self._show, *self.app.backend.channels())

    def _show(self, channels: list[dict], waiting: dict[str, int]) -> None:
        self.loaded("#channels")
        self.shown = (channels, waiting)
        self.query_one("#channels-empty").display = not channels
        self.query_one("#channels").display = bool(channels)
        listed = self.listed()
        table = self.query_one("#channels", FittedTable)
        table.show([(c["name"], row_cells(c, waiting.get(c["name"], 0))) for c in listed])
        count = (t("tui_channel_count", n=len(channels)) if len(listed) == len(channels)
                 else t("tui_channel_count_of", n=len(listed), total=len(channels)))
        self.query_one("#channel-count", Static).update(count)
        self.show_selected()

    def listed(self) -> list[dict]:
        """The channels the filter keeps (a part of the name or of a department)."""
        if self.shown is None:
            return []
        typed = self.query_one("#channel-filter", Input).value.strip().lower()
        return [c for c in self.shown[0]
                if not typed or typed in c["name"].lower()
                or any(typed in d.lower() for d in c["departments"])]

    def selected(self) -> dict | None:
        table = self.query_one("#channels", FittedTable)
        if not table.row_count or self.shown is None:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((c for c in self.shown[0] if c["name"] == row_key.value), None)

    def show_selected(self) -> None:
        detail = self.query_one("#channel-detail", Static)
        channel = self.selected()
        detail.display = channel is not None or bool(self.shown and self.shown[0])
        if channel is not None:
            detail.update(channel_text(channel, self.shown[1].get(channel["name"], 0)))
        else:
            detail.update(t("tui_channels_no_match"))

    @on(DataTable.RowHighlighted, "#channels")
    def highlighted(self) -> None:
        self.show_selected()

    @on(Input.Changed, "#channel-filter")
    def filter_changed(self) -> None:
        if self.shown is not None:
            self._show(*self.shown)

    @on(Input.Submitted, "#channel-filter")
    def filter_done(self) -> None:
        self.leave_input()

    # -- send now --------------------------------------------------------------------
    def action_send_now(self) -> None:
        """A preview of what would go to the channels listed, then (Send) the sending."""
        names = None
        if self.shown is not None and len(self.listed()) != len(self.shown[0]):
            names = [c["name"] for c in self.listed()]
        if names == []:
            self.app.notify(t("tui_channels_no_match"), severity="warning")
            return
        self.query_one("#channel-result", Static).update(t("tui_notify_preparing"))
        self.prepare(names)

    @db_work(exclusive=True, group="channel-send")
    def prepare(self, names: list[str] | None) -> None:
        try:
            previews = self.app.backend.notify_preview(names)
        except TrackerError as error:  # a channel removed meanwhile
            self.app.call_from_thread(self._said, failure_text(error))
            return
        self.app.call_from_thread(self._preview, previews)

    def _preview(self, previews: list[ChannelPreview]) -> None:
        self.query_one("#channel-result", Static).update("")

        def closed(sent: bool | None) -> None:
            if sent:
                self.app.reload_all()

        self.app.push_screen(NotifyModal(previews), closed)

    # -- test ------------------------------------------------------------------------
    def action_test(self) -> None:
        channel = self.selected()
        if channel is None:
            return
        self._said(RichText(t("tui_channel_testing", name=channel["name"])))
        self.send_test(channel["name"], channel["url"])

    @db_work(exclusive=True, group="channel-send")
    def send_test(self, name: str, masked_url: str) -> None:
        try:
            error = self.app.backend.send_test(name)
        except TrackerError as error:
            self.app.call_from_thread(self._said, failure_text(error))
            return
        if error is None:
            said = RichText(t("channel_test_ok", name=name, url=masked_url), style=DONE)
        else:
            said = RichText(t("channel_test_failed", name=name, url=masked_url, error=error),
                            style=FAILED)
        self.app.call_from_thread(self._said, said)
        self.app.call_from_thread(self.app.reload_all)

    def _said(self, text) -> None:
        self.query_one("#channel-result", Static).update(
            text if isinstance(text, Paragraph) else Paragraph(text))

    def palette_commands(self) -> list[Command]:
        channel = self.selected()
        if channel is None:
            return []
        return [Command(t("cmd_channel_test", name=channel["name"]), self.action_test,
                        both("cmd_channel_test", name=channel["name"]))]


class NotifyModal(ModalScreen[bool]):
    """Send now: per channel the messages that would go out (scrollable), Send / Cancel;
    then the sending with a progress bar, and per channel what went. Dismissed with True
    when something was attempted (the screens refresh)."""

    BINDINGS = [("escape", "close", "")]

    def __init__(self, previews: list[ChannelPreview]) -> None:
        super().__init__()
        # Send goes to the channels previewed, never to one added meanwhile.
        self.previews, self.names = previews, [p.name for p in previews]
        self.total = sum(p.messages for p in previews)
        self.sending = False
        self.attempted = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="notify-dialog"):
            yield Label(t("tui_notify_title"), classes="dialog-title")
            if not self.previews:
                yield Static(Paragraph(t("tui_channels_empty")), id="notify-intro")
            elif not self.total:
                yield Static(Paragraph(t("tui_notify_nothing")), id="notify-intro")
            else:
                yield Static(Paragraph(t("tui_notify_intro")), id="notify-intro")
            with VerticalScroll(id="notify-preview"):
                yield Static(Paragraph(self.preview_text()), id="notify-text")
            yield ProgressBar(total=max(self.total, 1), show_eta=False, id="notify-progress")
            with Horizontal(classes="dialog-buttons"):
                if self.total:
                    yield Button(t("tui_notify_send", n=self.total), variant="primary",
                                 id="send")
                yield Button(t("tui_cancel") if self.total else t("tui_close"), id="close")

    def preview_text(self) -> RichText:
        text = RichText()
        for preview in self.previews:
            for kind, line in preview.lines:
                text.append(line + "\n", style="bold #5fafff" if kind == "heading" else "")
            text.append("\n")
        return text

    def on_mount(self) -> None:
        self.query_one("#notify-progress").display = False
        self.query_one("#notify-preview").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "close" and self.sending)  # no leaving while it sends

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if not self.sending:
            self.dismiss(self.attempted)

    @on(Button.Pressed, "#send")
    def send(self) -> None:
        self.sending = True
        self.query_one("#send", Button).remove()
        self.query_one("#close", Button).disabled = True
        self.query_one("#notify-progress").display = True
        self.query_one("#notify-intro", Static).update(t("tui_notify_sending"))
        self.run_notify()

    @work(thread=True, exclusive=True, group="notify", exit_on_error=False)
    def run_notify(self) -> None:
        bar = self.query_one("#notify-progress", ProgressBar)
        try:
            result = self.app.backend.notify(
                self.names, sent=lambda: self.app.call_from_thread(bar.advance, 1))
        except TrackerError as error:  # another notify is sending
            self.app.call_from_thread(self._done, failure_text(error))
            return
        self.app.call_from_thread(self._done, self.result_text(result))

    @staticmethod
    def result_text(result) -> RichText:
        """Per channel: sent, already sent, failed (the transport's words)."""
        text = RichText()
        for run in result.runs:
            plan, name = run.plan, run.plan.channel["name"]
            if run.error:
                text.append(t("notify_failed", name=name, error=run.error, items=len(run.sent),
                              failed=len(run.failed)) + "\n", style=FAILED)
            elif plan.messages:
                text.append(t("notify_sent", name=name, items=len(run.sent),
                              messages=run.delivered, skipped=len(plan.skipped)) + "\n",
                            style=DONE)
            else:
                text.append(t("notify_nothing_new", name=name, skipped=len(plan.skipped))
                            + "\n")
        return text

    def _done(self, text) -> None:
        self.sending, self.attempted = False, True
        self.query_one("#notify-intro", Static).update(t("tui_notify_done"))
        self.query_one("#notify-text", Static).update(
            text if isinstance(text, Paragraph) else Paragraph(text))
        self.query_one("#notify-progress").display = False
        close = self.query_one("#close", Button)
        close.label, close.disabled = t("tui_close"), False
        close.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in the sending is reported as every failure is, and the dialog closes."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.sending = False
            self.app.report_failure(event.worker.error)
            self.dismiss(True)
