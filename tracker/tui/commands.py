"""The command palette (Ctrl+P): jump to a person by name or pinyin, fire an event on the
open case, undo, switch screen and language. Themes come from Textual's own commands."""
from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .. import i18n
from ..domain.workflow import state_label
from ..i18n import t
from .common import TrackerScreen


class TrackerCommands(Provider):
    def _static(self) -> list[tuple[str, object]]:
        app = self.app
        commands = [
            (t("cmd_dashboard"), partial(app.switch_mode, "dashboard")),
            (t("cmd_cases"), app.action_search),
            (t("cmd_import"), partial(app.switch_mode, "import")),
            (t("cmd_notices"), partial(app.switch_mode, "notices")),
            (t("cmd_reminders"), partial(app.switch_mode, "reminders")),
            (t("cmd_help"), partial(app.switch_mode, "help")),
            (t("cmd_language"), app.action_toggle_language),
        ]
        if isinstance(self.screen, TrackerScreen):  # the screen the palette was opened on
            commands += self.screen.palette_commands()
        return commands

    async def discover(self) -> Hits:
        for text, callback in self._static():
            yield DiscoveryHit(text, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback in self._static():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback)
        if not query.strip():
            return
        rows = await asyncio.to_thread(self.app.backend.find, query.strip())
        lang = i18n.get_lang()
        for row in rows:
            text = t("cmd_open_case", name=f"{row['name']} {row.get('employee_no') or ''}"
                     f" · {state_label(row['state'], lang)}")
            # Content, not str: the palette would read a name like "x[/]y" as markup.
            yield Hit(1.0, Content(text), partial(self.app.open_case, row["case_id"]),
                      help=Content(row.get("department") or ""))
