"""Small pieces every screen uses: live-translated bindings, state colours, formatting."""
from __future__ import annotations

from dataclasses import replace

from rich.text import Text as RichText
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Footer

from .. import i18n
from ..domain.deadlines import days_label
from ..domain.workflow import STATES
from ..i18n import t

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
    """
    return RichText("" if value is None else str(value))


def state_colour(state: str) -> str:
    spec = STATES.get(state)
    if spec is None:
        return "white"
    return FINAL_COLOUR if spec.final else STAGE_COLOURS[spec.stage]


def state_text(state: str) -> RichText:
    label = STATES[state].label.get(i18n.get_lang()) if state in STATES else state
    return RichText(label, style=state_colour(state))


def days_text(days: int | None) -> RichText:
    """Days left in the one wording (`days_label`), coloured by urgency: overdue red, a
    week orange, a month yellow."""
    if days is None:
        return RichText("")
    if days < 0:
        style = "bold #ff5f5f"
    else:
        style = "#ff8700" if days <= 7 else "#d7af00" if days <= 30 else "#87af87"
    return RichText(days_label(days).get(i18n.get_lang()), style=style)


def localize_bindings(node: DOMNode) -> None:
    """Bindings carry an i18n key as description; show it in the current language.

    The message key is kept in the binding's `id`, so the switch works both ways.
    """
    bindings_map = node._bindings
    for key_name, bindings in list(bindings_map.key_to_bindings.items()):
        localized = []
        for binding in bindings:
            message_key = binding.id or binding.description
            if message_key in i18n.MESSAGES:
                binding = replace(binding, description=t(message_key), id=message_key)
            localized.append(binding)
        bindings_map.key_to_bindings[key_name] = localized


def key(keys: str, action: str, message_key: str, show: bool = True, **kwargs) -> Binding:
    """A binding whose footer text is the i18n message `message_key`."""
    return Binding(keys, action, message_key, show=show, id=message_key, **kwargs)


class KeyFooter(Footer):
    """Textual's Footer, recomposed only when the keys it shows actually change.

    The stock Footer rebuilds its ~20 key widgets on every bindings update (each focus
    change), which cost ~0.3 s each time a case was opened (tests/benchmarks/bench_tui.py).
    """

    _shown: tuple | None = None

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        shown = tuple((binding.key, binding.description, enabled)
                      for (_, binding, enabled, _) in screen.active_bindings.values()
                      if binding.show)
        if shown != self._shown:
            self._shown = shown
            self.call_after_refresh(self.recompose)
