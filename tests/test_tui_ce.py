"""Continuing education in the case detail (R9c), driven as a person would: the period's
hours against the requirement (or "not configured"), and a course added from the form,
its bad values refused in the form's words and nothing written."""
from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input

from tracker import i18n
from tracker.domain.rules import DEFAULT_RULES
from tracker.services import ce as ce_service
from tracker.services.context import Context
from tracker.store import Database
from tracker.store import cases as store
from tracker.tui.app import TrackerApp
from tracker.tui.screens.ce import CeCourseModal
from tracker.tui.screens.detail import CaseDetailScreen

from . import test_tui
from .conftest import TODAY
from .test_tui import drive, settle, text_of
from .test_tui_keys import palette_texts

#: The demo database of tests/test_tui.py (built once), a fresh copy per test.
demo_file, demo_db = test_tui.demo_file, test_tui.demo_db
SOURCE = "沪建建管〔2024〕1号"


def registered_case(path) -> int:
    database = Database(path)
    try:
        return store.list_cases(database, store.CaseFilter(states=["registered"]),
                                limit=1)[0]["case_id"]
    finally:
        database.close()


def ce_app(path, lang: str, required: float | None = None) -> TrackerApp:
    i18n.set_lang(lang)
    rules = (replace(DEFAULT_RULES, ce_hours_required=required, ce_hours_source=SOURCE)
             if required else DEFAULT_RULES)
    return TrackerApp(Context(db=Database(path), today=TODAY, actor="hr", rules=rules),
                      poll=False)


async def open_case(pilot, app, case_id: int) -> CaseDetailScreen:
    await settle(pilot, app)
    app.open_case(case_id)
    await settle(pilot, app)
    assert isinstance(app.screen, CaseDetailScreen)
    return app.screen


async def submit(pilot, app, **values: str) -> str:
    """Fill the form and press OK; what the dialog then says ("" when it closed)."""
    for field, value in values.items():
        app.screen.query_one(f"#ce-{field}", Input).value = value
    await pilot.click("#ok")
    await settle(pilot, app)
    if not isinstance(app.screen, CeCourseModal):
        return ""
    return " ".join(text_of(app.screen.query_one("#refusal")).split())


def courses(app, case_id: int) -> list:
    return [e for e in app.backend.call(ce_service.entries, case_id) if e.id is not None]


@pytest.mark.parametrize("lang, words", [("zh", "学时要求未配置"), ("en", "not configured")])
def test_the_panel_says_when_the_requirement_is_not_configured(demo_db, lang, words):
    case_id = registered_case(demo_db)

    async def scenario(pilot, app):
        screen = await open_case(pilot, app, case_id)
        panel = text_of(screen.query_one("#ce"))
        assert words in panel and "ce_hours_required" in panel  # where to configure it

    drive(ce_app(demo_db, lang), scenario)


def test_a_course_added_from_the_form_counts_against_the_requirement(demo_db):
    case_id = registered_case(demo_db)

    async def scenario(pilot, app):
        screen = await open_case(pilot, app, case_id)
        assert "0 of 60 hours done this period" in text_of(screen.query_one("#ce"))
        await pilot.press("h")
        await settle(pilot, app)
        assert isinstance(app.screen, CeCourseModal)
        said = await submit(pilot, app, hours="abc", taken_on="2026-11-01", provider="市建培")
        assert "the hours must be a number above 0 and at most 500: abc" in said
        said = await submit(pilot, app, hours="8", taken_on="2026-12-01")
        assert "the course day 2026-12-01 is after today (2026-11-25)" in said
        said = await submit(pilot, app, taken_on="2026-13-01")
        assert "invalid value for Day of the course" in said and "--on" not in said
        said = await submit(pilot, app, taken_on="2026-11-01", provider="  ")
        assert "Enter the provider of the course" in said and "--provider" not in said
        assert courses(app, case_id) == []  # every refusal wrote nothing
        assert await submit(pilot, app, provider="上海市建设工程培训中心",
                            certificate_no="JX-2026-0815") == ""
        assert app.screen is screen
        [course] = courses(app, case_id)
        assert (course.hours, course.taken_on, course.in_period) == (8.0, "2026-11-01", True)
        panel = text_of(screen.query_one("#ce"))
        assert f"8 of 60 hours done this period (source: {SOURCE})" in panel
        assert "上海市建设工程培训中心" in panel
        await pilot.press("u")  # a course added is undone like any step
        await settle(pilot, app)
        assert courses(app, case_id) == []
        assert "0 of 60 hours done this period" in text_of(screen.query_one("#ce"))

    drive(ce_app(demo_db, "en", required=60), scenario)


def test_the_chinese_form_refuses_in_chinese_and_esc_adds_nothing(demo_db):
    case_id = registered_case(demo_db)

    async def scenario(pilot, app):
        await open_case(pilot, app, case_id)
        for query in ("学时", "继续教育", "continuing education"):
            assert i18n.t("cmd_ce_add") in await palette_texts(pilot, app, query), query
        await pilot.press("h")
        await settle(pilot, app)
        said = await submit(pilot, app, hours="0", taken_on="2026-11-01", provider="仇老师")
        assert "学时应为大于 0、不超过 500 的数字：0" in said
        said = await submit(pilot, app, hours="4", provider="")
        assert "请填写培训机构" in said
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, CaseDetailScreen)
        assert courses(app, case_id) == []

    drive(ce_app(demo_db, "zh"), scenario)
