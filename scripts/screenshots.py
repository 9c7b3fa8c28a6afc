"""Regenerate screenshots/*.svg from the demo database, at a fixed size, in both languages.

    python scripts/screenshots.py            # writes screenshots/<scene>-<lang>.svg

The same scenes are the snapshot tests (tests/test_tui_snapshots.py), so the README's
pictures are exactly what the tests check. Everything is pinned: the demo's "today", the
seed, the terminal size.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker import i18n  # noqa: E402
from tracker.services.calendar import arrangement_warning  # noqa: E402
from tracker.services.context import Context  # noqa: E402
from tracker.services.demo import build_demo  # noqa: E402
from tracker.store import Database  # noqa: E402
from tracker.store import cases as store  # noqa: E402
from tracker.tui.app import TrackerApp  # noqa: E402

TODAY = date(2026, 11, 25)
SIZE = (130, 42)
LANGS = ("zh", "en")


def busy(app) -> bool:
    """Our workers still running (the file tree's loader never stops: it waits for work)."""
    return any(w.is_running and w.group != "_loader" for w in app.workers)


async def settle(pilot, app, rounds: int = 300) -> None:
    """Let the workers finish; stop cursors blinking so that two shots are identical."""
    for _ in range(rounds):
        await pilot.pause(0.05)
        if not busy(app):
            break
    for widget in app.screen.query("Input"):
        widget.cursor_blink = False
    await pilot.pause()


def first_case_in(app: TrackerApp, state: str) -> int:
    rows = app.backend.call(lambda ctx: store.list_cases(
        ctx.db, store.CaseFilter(states=[state]), limit=1))
    return rows[0]["case_id"]


async def dashboard(pilot, app) -> None:
    await settle(pilot, app)


async def cases(pilot, app) -> None:
    await pilot.press("c")
    await settle(pilot, app)
    app.screen.query_one("#state-filter").value = "stage:review"
    await settle(pilot, app)


async def search(pilot, app) -> None:
    await pilot.press("slash", *"zh")
    await pilot.pause(0.3)
    await settle(pilot, app)


async def detail(pilot, app) -> None:
    app.open_case(first_case_in(app, "certificate_available"))
    await settle(pilot, app)
    await settle(pilot, app)


async def event_modal(pilot, app) -> None:
    await detail(pilot, app)
    app.screen.fire("collect_paper")
    await settle(pilot, app)
    app.screen.query_one("#field-channel_proxy").value = True
    await pilot.click("#ok")
    await settle(pilot, app)


async def ce_course(pilot, app) -> None:
    """A registered person's continuing education, and the form to add a course: the
    provider left out, refused in the form's words."""
    app.open_case(first_case_in(app, "registered"))
    await settle(pilot, app)
    await pilot.press("h")
    await settle(pilot, app)
    for field, value in (("hours", "8"), ("taken_on", "2026-11-20")):
        app.screen.query_one(f"#ce-{field}").value = value
    await pilot.click("#ok")
    await settle(pilot, app)


async def import_preview(pilot, app) -> None:
    """The shipped sample staff list (GBK, a title row, two bad rows), previewed and tried."""
    await pilot.press("i")
    await settle(pilot, app)
    app.screen.query_one("#import-path").value = "sample-staff.csv"
    app.screen.action_preview()
    await settle(pilot, app)
    await pilot.click("#dry-run")
    await settle(pilot, app)
    await settle(pilot, app)


async def notices(pilot, app) -> None:
    await pilot.press("n")
    await settle(pilot, app)


async def reminders(pilot, app) -> None:
    await pilot.press("w")
    await settle(pilot, app)


#: The demo's reminder channels (fictitious keys): a WeCom group robot that took the test
#: message, a DingTalk robot for the manager that refused it.
DEMO_CHANNELS = [
    ("人事群", "wecombot://5f3c9a1e-0d2b-4c7e-9a41-7be2d3c4f501", {}, None),
    ("曾经理", "dingtalk://SEC7c1f0e9b2a4d@a91b2c3d4e5f60718293a4b5c6d7e8f9/",
     {"only": "overdue", "departments": "工程部,项目一部"},
     "DingTalk notification failed: 310000 sign not match (error=400)"),
]


def add_demo_channels(ctx) -> None:
    """The channels and one test message each, at a fixed time (the screen shows it)."""
    from datetime import time

    from tracker.services.channels import add_channel
    from tracker.services.notify import send_test

    ctx.fixed_time = time(9, 30)
    try:
        for name, url, options, error in DEMO_CHANNELS:
            add_channel(ctx, name, url, lang="zh", **options)
            send_test(ctx, name, transport=lambda *_, error=error: error)
    finally:
        ctx.fixed_time = None


async def channels(pilot, app) -> None:
    app.backend.call(add_demo_channels)
    await pilot.press("o")
    await settle(pilot, app)


async def channels_send(pilot, app) -> None:
    """Send now: the preview of what would go out."""
    await channels(pilot, app)
    await pilot.press("s")
    await settle(pilot, app)


async def help_screen(pilot, app) -> None:
    await pilot.press("question_mark")
    await settle(pilot, app)


SCENES = {
    "dashboard": dashboard,
    "cases": cases,
    "search": search,
    "detail": detail,
    "event-modal": event_modal,
    "ce-course": ce_course,
    "import-preview": import_preview,
    "notices": notices,
    "reminders": reminders,
    "channels": channels,
    "channels-send": channels_send,
    "help": help_screen,
}


def demo_database(folder: Path) -> Path:
    path = folder / "demo.db"
    build_demo(path, TODAY)
    return path


def make_app(path: Path, lang: str, scene: str = "dashboard") -> TrackerApp:
    i18n.set_lang(lang)
    ctx = Context(db=Database(path), today=TODAY, actor="hr")
    if scene != "dashboard":
        # The demo's day is in November and nobody recorded the 2027 holiday arrangement:
        # the dashboard says so once a day (R15). The dashboard scene shows that; the
        # other scenes are about their screen, as on the officer's second look that day.
        arrangement_warning(ctx, "dashboard")
    return TrackerApp(ctx, poll=False)


async def shoot(path: Path, scene: str, lang: str, target: Path) -> None:
    os.chdir(ROOT / "data")  # the import scene's file tree shows this folder only
    app = make_app(path, lang, scene)
    # Notifications shown, as in the snapshot tests (pytest-textual-snapshot shows them).
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await SCENES[scene](pilot, app)
        app.save_screenshot(str(target))
    app.backend.ctx.db.close()


def main() -> None:
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_database(Path(folder))
        for lang in LANGS:
            for scene in SCENES:
                # Each shot on a fresh copy, as in the snapshot tests: one shot's writes
                # (an event fired, the day's calendar warning given) stay out of the next.
                path = Path(folder) / "shot" / "demo.db"  # the name the header shows
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(demo.read_bytes())
                target = out / f"{scene}-{lang}.svg"
                asyncio.run(shoot(path, scene, lang, target))
                print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
