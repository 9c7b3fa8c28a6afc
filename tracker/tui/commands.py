"""The command palette (Ctrl+P): jump to a person by name, pinyin, employee or ID number;
fire an event on the open case, export, tick a material, undo; switch screen, language and
theme. A command is found by its words in either language (and an event by its key too):
申请, 导出, apply and export all find what they name, whichever language is shown."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .. import i18n
from ..domain.text import visible
from ..domain.workflow import state_label
from ..i18n import t
from .common import TrackerScreen


@dataclass
class Command:
    """One palette entry: shown in the current language, found by `also` (the other
    language, an event's key) as well."""

    text: str
    callback: object
    also: list[str] = field(default_factory=list)
    help: str = ""


def both(key: str, **values) -> list[str]:
    """A message in both languages (what a command is found by)."""
    return [i18n.MESSAGES[key][0].format(**values), i18n.MESSAGES[key][1].format(**values)]


def global_commands(app) -> list[Command]:
    """The screens, the language, the theme: on every screen."""
    entries = [("cmd_dashboard", partial(app.switch_mode, "dashboard")),
               ("cmd_cases", app.action_cases),
               ("cmd_search_cases", app.action_search),
               ("cmd_import", partial(app.switch_mode, "import")),
               ("cmd_notices", partial(app.switch_mode, "notices")),
               ("cmd_reminders", partial(app.switch_mode, "reminders")),
               ("cmd_channels", partial(app.switch_mode, "channels")),
               ("cmd_notify", app.action_send_now),
               ("cmd_help", partial(app.switch_mode, "help")),
               ("cmd_language", app.action_toggle_language),
               ("cmd_theme", app.action_change_theme),
               ("cmd_export_all", app.action_export_register)]
    return [Command(t(key), callback, both(key)) for key, callback in entries]


class TrackerCommands(Provider):
    def commands(self) -> list[Command]:
        commands = global_commands(self.app)
        if isinstance(self.screen, TrackerScreen):  # the screen the palette was opened on
            commands += self.screen.palette_commands()
        return commands

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.text, command.callback, help=command.help or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        words = query.lower().split()
        for command in self.commands():
            score = matcher.match(command.text)  # fuzzy, in the language shown
            shown = matcher.highlight(command.text) if score else Content(command.text)
            if not score and words and any(all(w in a.lower() for w in words)
                                           for a in command.also):
                score = 1.0  # every word in the other language (or the event's key)
            if score > 0:
                yield Hit(score, shown, command.callback, help=command.help or None)
        if not query.strip():
            return
        rows = await asyncio.to_thread(self.app.backend.find, query.strip())
        lang = i18n.get_lang()
        for row in rows:
            text = t("cmd_open_case", name=f"{row['name']} {row.get('employee_no') or ''}"
                     f" · {state_label(row['state'], lang)}")
            # Content, not str: the palette would read a name like "x[/]y" as markup;
            # control characters written out (visible), as everywhere user text is shown.
            yield Hit(1.0, Content(visible(text)), partial(self.app.open_case, row["case_id"]),
                      help=Content(visible(row.get("department") or "")))
