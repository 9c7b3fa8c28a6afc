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
from ..common import KeyFooter, TrackerScreen, state_colour

KEYS = [
    ("/", "k_search"), ("d", "k_dashboard"), ("c", "k_cases"), ("i", "k_import_screen"),
    ("n", "k_notices"), ("w", "k_reminders"), ("?", "k_help"),
    ("F2", "k_language"), ("Ctrl+P", None), ("q", "k_quit"),
    ("Enter", "k_open"), ("Space", "k_mark"), ("a", "k_mark_all"), ("b", "k_bulk"),
    ("s / r", "k_sort"), ("] / [", "k_next_page"),
    ("e", "k_event"), ("u", "k_undo"), ("v", "k_reveal"), ("m", "k_materials"),
    ("x", "k_export"),
    ("Esc", "k_back"),
]


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
            yield Static(t("tui_help_intro"), classes="help-intro")
            keys = Table(title=t("tui_help_keys"), title_justify="left", show_header=False)
            keys.add_column(style="bold")
            keys.add_column()
            for keys_text, message in KEYS:
                keys.add_row(keys_text, t(message) if message else
                             ("命令面板" if lang == "zh" else "Command palette"))
            yield Static(keys)
            yield Static(RichText(t("tui_help_flow"), style="bold"))
            yield Static(flow(lang))
        yield KeyFooter(compact=True)

