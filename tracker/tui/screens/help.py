"""Help: the keys, and the workflow drawn from the same definition the program runs."""
from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from ... import i18n
from ...domain.workflow import EVENTS, STAGES, STATES
from ...i18n import t
from ...i18n.linebreak import Paragraph
from ..common import KeyFooter, TrackerScreen, state_colour

#: The keys, as the help screen and the README list them (the README's table is generated
#: from this list: `cog -r README.md`, checked by tests/test_tui_keys.py).
KEYS = [
    ("/", "k_search"), ("d", "k_dashboard"), ("c", "k_cases"), ("i", "k_import_screen"),
    ("n", "k_notices"), ("w", "k_reminders"), ("o", "k_channels_long"), ("?", "k_help"),
    ("F2", "k_language_long"), ("Ctrl+P", "k_palette_long"), ("q", "k_quit"),
    ("Esc / Enter", "k_leave_box"), ("↓ / Tab", "k_box_to_table"),
    ("Enter", "k_open"), ("Space", "k_mark_long"), ("a", "k_mark_all"), ("b", "k_bulk"),
    ("s / r", "k_sort_long"), ("] / [", "k_pages_long"),
    ("e", "k_case_keys"), ("u", "k_undo_long"), ("v", "k_reveal_long"), ("m", "k_materials_long"),
    ("h", "k_ce_add_long"),
    ("x", "k_export_long"), ("e / u", "k_notice_keys"), ("s / t", "k_channel_keys"),
    ("Esc", "k_back"),
]


def keys_markdown() -> str:
    """The keys as a Markdown table, both languages (the README's)."""
    lines = ["| 键 Key | 中文 | English |", "| --- | --- | --- |"]
    for keys, message in KEYS:
        zh, en = i18n.MESSAGES[message]
        lines.append(f"| `{keys}` | {zh} | {en} |")
    return "\n".join(lines)


def flow(lang: str) -> Group:
    """Every state, grouped by stage, with the events leaving it and where they lead."""
    parts = []
    for stage in STAGES.values():
        parts.append(RichText(stage.label.get(lang), style="bold underline"))
        for state in (s for s in STATES.values() if s.stage == stage.name):
            line = RichText("  ")
            line.append(state.label.get(lang), style=f"bold {state_colour(state.name)}")
            line.append(f"  {state.name}", style="dim")
            parts.append(line)
            for event in EVENTS.values():
                if event.side or state.name not in event.sources:
                    continue
                for dest in event.destinations(state.name):
                    arrow = RichText("      —" + event.label.get(lang) + "→ ")
                    arrow.append(STATES[dest].label.get(lang), style=state_colour(dest))
                    parts.append(arrow)
    side = "、".join(e.label.get(lang) for e in EVENTS.values() if e.side)
    parts.append(RichText(("附记（任何状态）：" if lang == "zh" else "Side records (any state): ")
                          + side, style="dim"))
    return Group(*parts)


class HelpScreen(TrackerScreen):
    AUTO_FOCUS = "#help"
    def compose(self) -> ComposeResult:
        lang = i18n.get_lang()
        yield Header()
        with VerticalScroll(id="help"):
            yield Static(Paragraph(t("tui_help_intro")), classes="help-intro")
            yield Static(Paragraph(t("tui_help_model")), classes="help-intro")
            keys = Table(title=t("tui_help_keys"), title_justify="left", show_header=False)
            keys.add_column(style="bold", no_wrap=True)
            keys.add_column()
            for keys_text, message in KEYS:
                keys.add_row(keys_text, Paragraph(t(message)))
            yield Static(keys)
            yield Static(RichText(t("tui_help_flow"), style="bold"))
            yield Static(flow(lang))
        yield KeyFooter(compact=True)

