"""The dashboard shows what people typed as they typed it: a name or a note that looks like
markup (`[bold]…`, an unbalanced `[/]`) or HTML is text, never styling, and never an error
that stops the dashboard."""
from __future__ import annotations

import asyncio
import html
import re

from textual.widgets import Static
from textual.widgets._toast import Toast

from tracker import i18n
from tracker.services import cases as service
from tracker.services.context import Context
from tracker.store import Database
from tracker.tui.app import TrackerApp
from tracker.tui.screens.detail import CaseDetailScreen

from .conftest import TODAY, make_id

NAMES = ["[bold]红[/bold]", "x[/]y", "'; DROP TABLE cases; --", "<script>alert(1)</script>"]
NOTE = "[/red] [link=http://x]点我[/link] <b>"


def screen_text(app: TrackerApp) -> str:
    """What the terminal shows, as text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    text = "".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
    return html.unescape(text).replace("\u00a0", " ")


async def settle(pilot, app) -> None:
    for _ in range(40):
        await pilot.pause(0.05)
        if not any(w.is_running for w in app.workers):
            break
    await pilot.pause()


def test_markup_in_names_and_notes_is_shown_literally(tmp_path):
    path = tmp_path / "hostile.db"
    database = Database(path)
    ctx = Context(db=database, today=TODAY, actor="[i]hr[/i]")
    for index, name in enumerate(NAMES):
        case_id = service.add_case(ctx, name=name, id_number=make_id(f"3101121990010130{index}"),
                                   employee_no=f"[E{index}]", department="[/]部")
        service.fire_event(ctx, case_id, "add_note", note=NOTE)
    database.close()
    i18n.set_lang("en")
    app = TrackerApp(Context(db=Database(path), today=TODAY, actor="hr"), poll=False)
    seen: dict[str, str] = {}

    async def scenario():
        async with app.run_test(size=(160, 100), notifications=True) as pilot:
            await settle(pilot, app)
            seen["dashboard"] = screen_text(app)
            await pilot.press("c")  # the case list
            await settle(pilot, app)
            seen["cases"] = screen_text(app)
            await pilot.press("slash")  # into the search box, then open the case found
            app.screen.query_one("#search").value = ""
            await pilot.press(*"红")
            await pilot.pause(0.3)
            await settle(pilot, app)
            await pilot.press("enter", "enter")
            await settle(pilot, app)
            assert isinstance(app.screen, CaseDetailScreen)
            seen["detail"] = screen_text(app)
            # The palette finds a person by employee number and shows the name as typed.
            await pilot.press("ctrl+p")
            await settle(pilot, app)
            await pilot.press(*"[E1]")
            await pilot.pause(0.5)
            seen["palette"] = screen_text(app)
            await pilot.press("enter")
            await settle(pilot, app)
            assert app.screen.case_id == 2
            seen["detail 2"] = screen_text(app)
            # An event fired on that case: the modal and the notification name the person.
            app.screen.fire("add_note")
            await settle(pilot, app)
            seen["modal"] = " ".join(str(w.render()) for w in app.screen.query(Static))
            app.screen.query_one("#note").value = NOTE
            await pilot.click("#ok")
            await settle(pilot, app)
            await pilot.pause(0.2)  # the toast is mounted after the notification
            seen["notified"] = " ".join(str(w.render()) for w in app.screen.query(Toast))

    try:
        asyncio.run(scenario())
    finally:
        app.backend.ctx.db.close()
    # (the name column of the latest activity is narrow: the name is cut, not styled)
    assert "[bold]红[/" in seen["dashboard"] and "x[/]y" in seen["dashboard"]
    assert "[i]hr[/i]" in seen["dashboard"]
    for name in NAMES:  # (cut to the column's width, never styled)
        assert name[:8] in seen["cases"], name
    assert "[E0]" in seen["cases"] and "[/]部" in seen["cases"]
    assert "[bold]红[/bold]" in seen["detail"]
    assert NOTE[:20] in seen["detail"] and "[i]hr[/i" in seen["detail"]  # (cut, not styled)
    assert "x[/]y" in seen["palette"] and "x[/]y" in seen["detail 2"]
    assert "x[/]y" in seen["modal"] and "x[/]y: Add note" in seen["notified"]


def test_a_hostile_staff_list_is_previewed_and_imported_as_text(tmp_path):
    from tracker.tui.screens.importer import ImportScreen
    from tracker.tui.screens.modals import ConfirmModal

    staff = tmp_path / "[bold]名单.csv"  # (a file name cannot hold a slash)
    staff.write_text("姓名,身份证号,[/]备注\n"
                     f"x[/]y,{make_id('31011219900101400')},[red]\n"
                     "[/]坏行,[/]12345,<script>\n", encoding="utf-8")
    path = tmp_path / "empty.db"
    Database(path).close()
    i18n.set_lang("en")
    app = TrackerApp(Context(db=Database(path), today=TODAY, actor="hr"), poll=False)
    seen: dict[str, str] = {}

    async def until(pilot, condition) -> None:
        for _ in range(100):
            if condition():
                return
            await pilot.pause(0.05)
        raise AssertionError("the import screen did not get there")

    async def scenario():
        async with app.run_test(size=(160, 60), notifications=True) as pilot:
            await pilot.press("i")
            await until(pilot, lambda: isinstance(app.screen, ImportScreen))
            app.screen.query_one("#import-path").value = str(staff)
            app.screen.action_preview()
            await until(pilot, lambda: app.screen.preview is not None)
            await pilot.click("#dry-run")
            await until(pilot, lambda: app.screen.report is not None)
            await pilot.pause()
            seen["preview"] = screen_text(app)
            await pilot.click("#run")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
            seen["confirm"] = " ".join(str(w.render()) for w in app.screen.query(Static))
            await pilot.click("#yes")
            await until(pilot, lambda: isinstance(app.screen, ImportScreen)
                        and app.screen.report.written)
            assert app.screen.report.inserted == 1

    try:
        asyncio.run(scenario())
    finally:
        app.backend.ctx.db.close()
    for text in ("[/]备注", "x[/]y", "[red]", "[/]坏行", "[/]12345"):
        assert text in seen["preview"], text
    assert "[bold]名单.csv" in seen["confirm"]
