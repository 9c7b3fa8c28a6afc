"""The command palette (Ctrl+P): jump to a person by name or pinyin, fire an event on the
open case, undo, switch screen and language. Themes come from Textual's own commands."""
from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .. import i18n
from ..domain.workflow import event_label, state_label
from ..i18n import t


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
        screen = app.screen
        if hasattr(screen, "action_export"):
            key = "cmd_export_sheet" if hasattr(screen, "case_id") else "cmd_export_register"
            commands.append((t(key), screen.action_export))
        detail = getattr(screen, "detail", None)
        if detail is not None:
            lang = i18n.get_lang()
            for event in detail.allowed_events:
                commands.append((t("cmd_fire", event=event_label(event, lang)),
                                 partial(screen.fire, event)))
            commands.append((t("cmd_undo"), screen.action_undo))
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
