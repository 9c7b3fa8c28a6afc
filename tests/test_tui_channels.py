"""The reminder channels on the dashboard (issue 13, item 5), driven as a person would.

Against the real servers of tests/test_notify.py: an HTTP server on localhost that
records what is posted (the webhook), and a port nobody listens on (a service that is
down). What is sent goes through Apprise, as from `tracker notify`.
"""
from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from tracker import i18n
from tracker.services import notify as notify_service
from tracker.services.channels import channels_overview
from tracker.services.context import Context
from tracker.store import Database
from tracker.tui.app import TrackerApp
from tracker.tui.screens.channels import ChannelsScreen, NotifyModal
from tracker.tui.screens.dashboard import DashboardScreen

from . import test_notify
from .test_notify import NAMES, STAGE_DAY, case_ids, free_port
from .test_tui import drive, settle, text_of
from .test_tui_keys import palette_texts

#: The fixtures of tests/test_notify.py: six people due on STAGE_DAY, a webhook server.
staff, webhook = test_notify.staff, test_notify.webhook
SECRET = "s3cretT0ken42"  # the path secret of Webhook.url()
ROBOT_KEY = "0123abcd-4567-89ef-0123-456789abcdef"


def channels_app(db_path, lang: str = "en") -> TrackerApp:
    """The dashboard on the day the six people's evidence reaches its 7-day stage."""
    i18n.set_lang(lang)
    return TrackerApp(Context(db=Database(db_path), today=STAGE_DAY, actor="hr"), poll=False)


async def open_channels(pilot, app) -> ChannelsScreen:
    await settle(pilot, app)
    await pilot.press("o")
    await settle(pilot, app)
    assert isinstance(app.screen, ChannelsScreen)
    return app.screen


def shown(app) -> str:
    """Everything the terminal shows now, as the person sees it."""
    return app.export_screenshot()


def cells(screen: ChannelsScreen) -> list[list[str]]:
    table = screen.query_one("#channels")
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def overview(app) -> dict[str, dict]:
    return {c["name"]: c for c in app.backend.call(channels_overview)}


def waiting(app) -> dict[str, int]:
    return {p.channel["name"]: len(p.new) for p in app.backend.call(notify_service.preview)}


# --------------------------------------------------------------------------- the list


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_screen_lists_the_channels_and_never_shows_a_secret(run, staff, webhook, db_path,
                                                                lang):
    assert run("channel", "add", "人事群", webhook.url(), "--lang", "zh").code == 0
    assert run("channel", "add", "曾经理", f"wecombot://{ROBOT_KEY}", "--only", "overdue",
               "--departments", "工程部").code == 0

    async def scenario(pilot, app):
        screen = await open_channels(pilot, app)
        rows = cells(screen)
        assert [r[0] for r in rows] == ["人事群", "曾经理"]
        assert rows[0][1].startswith("json://127.0.0.1:") and "****" in rows[0][1]
        assert rows[0][-1] == "6" and rows[1][-1] == "0"  # waiting: due, not overdue
        everything = shown(app) + " ".join(text_of(w) for w in screen.query("Static"))
        assert SECRET not in everything and ROBOT_KEY not in everything
        assert ROBOT_KEY[:12] not in everything
        detail = text_of(screen.query_one("#channel-detail"))
        assert "人事群" in detail and ("从未" if lang == "zh" else "never") in detail
        await pilot.press("down")
        detail = text_of(screen.query_one("#channel-detail"))
        assert "曾经理" in detail and "工程部" in detail

    drive(channels_app(db_path, lang), scenario)


@pytest.mark.parametrize("lang, words", [("zh", "尚未设置提醒渠道"), ("en", "No reminder channels")])
def test_no_channels_says_how_to_add_one(db_path, lang, words):
    Database(db_path).close()

    async def scenario(pilot, app):
        screen = await open_channels(pilot, app)
        empty = screen.query_one("#channels-empty")
        assert empty.display and not screen.query_one("#channels").display
        text = text_of(empty)
        assert words in text and "tracker channel add" in text and "wecombot://" in text
        await pilot.press("s")  # send now without a channel: said, nothing else
        await settle(pilot, app)
        assert isinstance(app.screen, NotifyModal)
        assert not app.screen.query(Button).filter("#send")
        assert "tracker channel add" in text_of(app.screen.query_one("#notify-intro"))

    drive(channels_app(db_path, lang), scenario)


# --------------------------------------------------------------------------- send now


async def send_now(pilot, app) -> NotifyModal:
    await pilot.press("s")
    await settle(pilot, app)
    assert isinstance(app.screen, NotifyModal)
    return app.screen


def test_send_now_previews_sends_and_a_second_send_finds_nothing_new(run, staff, webhook,
                                                                     db_path):
    assert run("channel", "add", "hook", webhook.url(), "--lang", "zh").code == 0

    async def scenario(pilot, app):
        screen = await open_channels(pilot, app)
        modal = await send_now(pilot, app)
        preview = text_of(modal.query_one("#notify-text"))
        assert all(name in preview for name in NAMES)  # the digest, in its language
        assert "nothing sent or recorded" in preview  # the dry run's own words
        assert webhook.posts == []  # a preview sends nothing
        await pilot.click("#send")
        await settle(pilot, app)
        assert sorted(case_ids(webhook.messages()[0]["message"])) == [1, 2, 3, 4, 5, 6]
        assert "6 items sent, messages: 1" in text_of(modal.query_one("#notify-text"))
        await pilot.click("#close")
        await settle(pilot, app)
        assert app.screen is screen
        [row] = cells(screen)
        assert row[4] != "never" and row[-1] == "0"  # last sent now, nothing waiting

        modal = await send_now(pilot, app)
        assert not modal.query(Button).filter("#send")  # nothing due: no Send
        assert "Nothing new to send" in text_of(modal.query_one("#notify-intro"))
        assert "would get 0 items" in text_of(modal.query_one("#notify-text"))
        await pilot.press("escape")
        await settle(pilot, app)
        assert len(webhook.posts) == 1

    drive(channels_app(db_path), scenario)


def test_cancel_sends_nothing_and_records_nothing(run, staff, webhook, db_path):
    assert run("channel", "add", "hook", webhook.url()).code == 0

    async def scenario(pilot, app):
        await open_channels(pilot, app)
        await send_now(pilot, app)
        await pilot.click("#close")  # Cancel
        await settle(pilot, app)
        assert isinstance(app.screen, ChannelsScreen)
        assert webhook.posts == []
        assert overview(app)["hook"]["last_sent"] is None
        assert overview(app)["hook"]["last_attempt"] is None
        assert waiting(app) == {"hook": 6}

    drive(channels_app(db_path), scenario)


def test_send_now_from_the_palette_in_chinese_previews_first(run, staff, webhook, db_path):
    assert run("channel", "add", "hook", webhook.url()).code == 0

    async def scenario(pilot, app):
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        await pilot.press(*"立即发送")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, NotifyModal)
        assert webhook.posts == []

    drive(channels_app(db_path, "zh"), scenario)


def test_a_channel_that_is_down_shows_its_failure_and_keeps_its_items(run, staff, db_path):
    port = free_port()  # nobody listens here
    url = f"json://127.0.0.1:{port}/hooks/{SECRET}"
    assert run("channel", "add", "hook", url).code == 0

    async def scenario(pilot, app):
        screen = await open_channels(pilot, app)
        modal = await send_now(pilot, app)
        await pilot.click("#send")
        await settle(pilot, app)
        result = text_of(modal.query_one("#notify-text"))
        assert "sending failed" in result and "the other 6 go out on the next run" in \
            " ".join(result.split())
        await pilot.click("#close")
        await settle(pilot, app)
        [row] = cells(screen)
        assert row[5] and row[-1] == "6"  # the failure, and the items still waiting
        detail = text_of(screen.query_one("#channel-detail"))
        assert "Last failure" in detail and "(failures since the last send: 1)" in detail
        assert overview(app)["hook"]["last_error"] in " ".join(detail.split())
        assert SECRET not in shown(app) + detail

    drive(channels_app(db_path), scenario)


# --------------------------------------------------------------------------- test message


def test_t_sends_a_test_message_and_says_how_it_went(run, webhook, db_path):
    assert run("channel", "add", "hook", webhook.url(), "--lang", "zh").code == 0
    assert run("channel", "add", "down", f"json://127.0.0.1:{free_port()}/x/{SECRET}").code == 0

    async def scenario(pilot, app):
        screen = await open_channels(pilot, app)
        assert [r[0] for r in cells(screen)] == ["down", "hook"]
        await pilot.press("t")  # "down", the first row
        await settle(pilot, app)
        said = " ".join(text_of(screen.query_one("#channel-result")).split())
        assert "could not be sent to “down”" in said and SECRET not in said
        assert overview(app)["down"]["last_ok"] is False
        assert cells(screen)[0][5]  # the failure in the list too
        await pilot.press("down", "t")
        await settle(pilot, app)
        [posted] = webhook.messages()
        assert posted["title"] == "二级建造师跟踪 · 测试消息"
        assert "test message sent to “hook”" in text_of(screen.query_one("#channel-result"))
        assert cells(screen)[1][4] != "never"

    drive(channels_app(db_path), scenario)


# --------------------------------------------------------------------------- keys, palette


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_palette_finds_the_channels_and_send_now_in_either_language(db_path, lang):
    Database(db_path).close()
    channels, notify = (i18n.t("cmd_channels", lang=lang), i18n.t("cmd_notify", lang=lang))

    async def scenario(pilot, app):
        await settle(pilot, app)
        for query in ("渠道", "channel"):
            assert channels in await palette_texts(pilot, app, query), query
        for query in ("通知", "发送", "notify", "send"):
            assert notify in await palette_texts(pilot, app, query), query

    drive(channels_app(db_path, lang), scenario)


def test_a_key_typed_in_the_filter_stays_there_until_esc(run, webhook, db_path):
    assert run("channel", "add", "hook", webhook.url()).code == 0
    assert run("channel", "add", "仇工", webhook.url("q"), "--departments", "技术部").code == 0

    async def scenario(pilot, app):
        screen = await open_channels(pilot, app)
        await pilot.click("#channel-filter")
        await pilot.press("d", "w", "o")
        await settle(pilot, app)
        assert app.screen is screen  # typed, not a screen switch
        assert screen.query_one("#channel-filter", Input).value == "dwo"
        assert cells(screen) == []
        screen.query_one("#channel-filter", Input).value = "技术"
        await settle(pilot, app)
        assert [r[0] for r in cells(screen)] == ["仇工"]
        assert "1 of 2" in text_of(screen.query_one("#channel-count"))
        await pilot.press("escape", "d")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)

    drive(channels_app(db_path), scenario)


def test_with_the_filter_in_use_send_now_sends_to_the_channels_listed_only(run, staff, webhook,
                                                                          db_path):
    assert run("channel", "add", "hook", webhook.url()).code == 0
    assert run("channel", "add", "单工", webhook.url("t"), "--departments", "工程部").code == 0

    async def scenario(pilot, app):
        screen = await open_channels(pilot, app)
        screen.query_one("#channel-filter", Input).value = "工程"
        await settle(pilot, app)
        screen.leave_input()
        modal = await send_now(pilot, app)
        preview = text_of(modal.query_one("#notify-text"))
        assert "“单工”" in preview and "“hook”" not in preview
        await pilot.click("#send")
        await settle(pilot, app)
        assert [p["path"] for p in webhook.posts] == ["/t"]
        assert waiting(app) == {"hook": 6, "单工": 0}

    drive(channels_app(db_path), scenario)
