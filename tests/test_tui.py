"""The dashboard driven as a user would, headless (Textual's run_test and Pilot)."""
from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest

from tracker import i18n
from tracker.services import cases as service
from tracker.services.context import Context
from tracker.services.demo import build_demo
from tracker.store import Database
from tracker.store import cases as store
from tracker.tui.app import TrackerApp
from tracker.tui.screens.cases import CasesScreen, CasesTable
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.detail import CaseDetailScreen
from tracker.tui.screens.modals import BulkSummaryModal, ConfirmModal, EventModal

from .conftest import ID_LI, ID_WANG, ID_ZHANG, TODAY

SIZE = (140, 45)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, TODAY)
    return path


@pytest.fixture
def demo_db(demo_file, tmp_path) -> Path:
    target = tmp_path / "demo.db"
    shutil.copy(demo_file, target)
    return target


@pytest.fixture
def small_db(tmp_path) -> Path:
    path = tmp_path / "small.db"
    database = Database(path)
    ctx = Context(db=database, today=TODAY, actor="hr")
    service.add_case(ctx, name="张伟", id_number=ID_ZHANG, employee_no="E001",
                     department="项目一部", company="上海申建")
    service.add_case(ctx, name="李娜", id_number=ID_LI, employee_no="E002",
                     department="技术部", company="上海申建")
    service.add_case(ctx, name="欧阳娜娜", id_number=ID_WANG, employee_no="E003",
                     department="技术部", company="上海申建")
    database.close()
    return path


def make_app(path: Path, lang: str = "zh", poll: bool = False) -> TrackerApp:
    i18n.set_lang(lang)
    return TrackerApp(Context(db=Database(path), today=TODAY, actor="hr"), poll=poll)


def drive(app: TrackerApp, scenario) -> None:
    async def main():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await scenario(pilot, app)
    asyncio.run(main())
    app.backend.ctx.db.close()


def busy(app) -> bool:
    """Our workers still running (the file tree's loader never stops: it waits for work)."""
    return any(w.is_running and w.group != "_loader" for w in app.workers)


async def settle(pilot, app, seconds: float = 0.05) -> None:
    """Let workers finish and the screen repaint (up to 15 s on a busy machine)."""
    for _ in range(300):
        await pilot.pause(seconds)
        if not busy(app):
            break
    await pilot.pause()


def text_of(widget) -> str:
    """What a Static shows, as plain text (rich renderables rendered wide)."""
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def statics(app: TrackerApp) -> str:
    return " ".join(text_of(w) for w in app.screen.query("Static"))


def table_names(app: TrackerApp) -> list[str]:
    table = app.screen.query_one(CasesTable)
    return [str(table.get_row_at(i)[2]) for i in range(table.row_count)]


async def search(pilot, app, text: str) -> None:
    await pilot.press("slash")
    await settle(pilot, app)
    search_box = app.screen.query_one("#search")
    search_box.value = ""
    await pilot.press(*text)
    await pilot.pause(0.3)  # the debounce
    await settle(pilot, app)


def test_dashboard_shows_every_stage_and_the_latest_activity(demo_db):
    async def scenario(pilot, app):
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)
        bars = text_of(app.screen.query_one("#bars"))
        for label in ("考试", "资格复核", "资格证书", "注册", "延续注册", "已注册", "合计 233"):
            assert label in bars
        assert app.screen.query_one("#recent").row_count > 0

    drive(make_app(demo_db), scenario)


def test_search_by_name_and_by_pinyin(small_db):
    async def scenario(pilot, app):
        await search(pilot, app, "zw")
        assert isinstance(app.screen, CasesScreen)
        assert table_names(app) == ["张伟"]
        await search(pilot, app, "ouyang")
        assert table_names(app) == ["欧阳娜娜"]
        await search(pilot, app, "娜")
        assert sorted(table_names(app)) == sorted(["李娜", "欧阳娜娜"])
        await search(pilot, app, "E002")
        assert table_names(app) == ["李娜"]

    drive(make_app(small_db), scenario)


def test_filter_by_state_and_by_department(small_db, tmp_path):
    database = Database(small_db)
    ctx = Context(db=database, today=TODAY, actor="hr")
    service.fire_event(ctx, 1, "open_review")
    database.close()

    async def scenario(pilot, app):
        await pilot.press("c")
        await settle(pilot, app)
        screen = app.screen
        screen.query_one("#state-filter").value = "review_pending"
        await settle(pilot, app)
        assert table_names(app) == ["张伟"]
        screen.query_one("#state-filter").value = "stage:exam"
        await settle(pilot, app)
        assert sorted(table_names(app)) == ["李娜", "欧阳娜娜"]
        # The dashboard's department filter applies to the list too.
        app.filters.department = "技术部"
        screen.query_one("#state-filter").clear()
        await settle(pilot, app)
        assert sorted(table_names(app)) == ["李娜", "欧阳娜娜"]

    drive(make_app(small_db), scenario)


async def open_first(pilot, app, text: str) -> None:
    await search(pilot, app, text)
    await pilot.press("enter")   # from the search box to the table
    await pilot.press("enter")   # open the case
    await settle(pilot, app)
    assert isinstance(app.screen, CaseDetailScreen)


def test_open_a_case_fire_an_event_through_the_modal_and_undo(small_db):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zhangwei")
        assert "310112********" in text_of(app.screen.query_one("#person"))
        await pilot.press("v")
        assert ID_ZHANG in text_of(app.screen.query_one("#person"))
        app.screen.fire("open_review")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)
        app.screen.query_one("#field-review_deadline").value = "2026-12-20"
        app.screen.query_one("#note").value = "市考试院通知"
        await pilot.click("#ok")
        await settle(pilot, app)
        assert isinstance(app.screen, CaseDetailScreen)
        row = app.backend.call(service.get_case, 1)
        assert row["state"] == "review_pending" and row["review_deadline"] == "2026-12-20"
        assert "待资格复核" in text_of(app.screen.query_one("#state"))
        await pilot.press("u")
        await settle(pilot, app)
        assert app.backend.call(service.get_case, 1)["state"] == "exam_passed"
        assert app.backend.call(service.history, 1)[-1]["event"] == "undo"

    drive(make_app(small_db), scenario)


def test_a_refused_event_shows_the_failed_guard_and_changes_nothing(small_db):
    async def scenario(pilot, app):
        app.backend.call(service.fire_event, 1, "open_review")
        await open_first(pilot, app, "zw")
        app.screen.fire("submit_review")
        await settle(pilot, app)
        await pilot.click("#ok")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)  # stays open, says why
        refusal = text_of(app.screen.query_one("#refusal"))
        assert "学历认证报告" in refusal and "工作年限证明" in refusal
        assert app.backend.call(service.get_case, 1)["state"] == "review_pending"
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, CaseDetailScreen)

    drive(make_app(small_db), scenario)


def test_a_bad_value_in_the_modal_is_explained(small_db):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zw")
        app.screen.fire("open_review")
        await settle(pilot, app)
        app.screen.query_one("#field-review_deadline").value = "明天"
        await pilot.click("#ok")
        await settle(pilot, app)
        assert "日期无效" in text_of(app.screen.query_one("#refusal"))
        assert app.backend.call(service.get_case, 1)["state"] == "exam_passed"

    drive(make_app(small_db), scenario)


def test_materials_toggle_from_the_checklist(small_db):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zw")
        materials = app.screen.query_one("#materials")
        materials.focus()
        materials.highlighted = 0
        await pilot.press("space")
        await settle(pilot, app)
        assert store.materials(app.backend.ctx.db, 1).keys() == {"education_report"}

    drive(make_app(small_db), scenario)


def test_bulk_event_on_marked_rows_with_a_summary_of_refusals(small_db):
    async def scenario(pilot, app):
        app.backend.call(service.fire_event, 2, "open_review")
        await pilot.press("c")
        await settle(pilot, app)
        app.screen.query_one(CasesTable).focus()
        await pilot.press("a")  # mark the whole page (3 cases)
        assert len(app.screen.marked) == 3
        await pilot.press("b")
        await settle(pilot, app)
        choice = app.screen.query_one("#event-choice")
        choice.highlighted = [o.id for o in choice.options].index("open_review")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, EventModal)
        await pilot.click("#ok")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        assert "2" in text_of(app.screen.query_one("Static"))
        await pilot.click("#yes")
        await settle(pilot, app)
        assert isinstance(app.screen, BulkSummaryModal)
        text = statics(app)
        assert "已执行 2 个" in text and "拒绝 1 个" in text and "李娜" in text
        states = {r["case_id"]: r["state"] for r in app.backend.call(
            lambda ctx: store.list_cases(ctx.db, store.CaseFilter()))}
        assert states == {1: "review_pending", 2: "review_pending", 3: "review_pending"}

    drive(make_app(small_db), scenario)


def test_language_switch_is_live(small_db):
    async def scenario(pilot, app):
        await settle(pilot, app)
        assert "考试" in text_of(app.screen.query_one("#bars"))
        await pilot.press("f2")
        await settle(pilot, app)
        assert i18n.get_lang() == "en"
        assert "Exam" in text_of(app.screen.query_one("#bars"))
        assert app.title == "Grade-2 Constructor tracker"
        await pilot.press("f2")
        await settle(pilot, app)
        assert "考试" in text_of(app.screen.query_one("#bars"))

    drive(make_app(small_db), scenario)


def test_live_refresh_after_an_outside_write(small_db):
    async def scenario(pilot, app):
        await pilot.press("c")
        await settle(pilot, app)
        assert app.screen.total == 3
        # Another process adds a case (a separate connection, as the CLI would).
        other = Database(small_db)
        service.add_case(Context(db=other, today=TODAY), name="王芳",
                         id_number="11010519491231002X")
        other.close()
        for _ in range(50):  # the dashboard polls every second; allow two polls and slack
            await pilot.pause(0.1)
            if app.screen.total == 4:
                break
        assert app.screen.total == 4

    drive(make_app(small_db, poll=True), scenario)


def test_paging_stays_in_sql(demo_db):
    async def scenario(pilot, app):
        await pilot.press("c")
        await settle(pilot, app)
        table = app.screen.query_one(CasesTable)
        assert table.row_count == 100 and app.screen.total == 233
        table.focus()
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        assert app.screen.page_offset == 100 and table.row_count == 100
        table.move_cursor(row=99)
        await pilot.press("down")  # past the last row: the next page
        await settle(pilot, app)
        assert app.screen.page_offset == 200 and table.row_count == 33
        await pilot.press("up")  # at the first row of this page: back one page, last row
        await settle(pilot, app)
        assert app.screen.page_offset == 100 and table.cursor_row == 99

    drive(make_app(demo_db), scenario)


def test_help_and_command_palette_open_a_case_by_pinyin(small_db):
    async def scenario(pilot, app):
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert "提交复核材料" in statics(app)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        await pilot.press(*"oyn")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CaseDetailScreen) and app.screen.case_id == 3

    drive(make_app(small_db), scenario)


def test_escaped_markup_in_names(tmp_path):
    path = tmp_path / "m.db"
    database = Database(path)
    service.add_case(Context(db=database, today=TODAY), name="[bold]红[/bold]",
                     id_number=ID_ZHANG)
    database.close()

    async def scenario(pilot, app):
        await search(pilot, app, "红")
        assert table_names(app) == ["[bold]红[/bold]"]
        await pilot.press("enter", "enter")
        await settle(pilot, app)
        assert "[bold]红[/bold]" in text_of(app.screen.query_one("#person"))

    drive(make_app(path), scenario)


def test_export_the_open_case_and_the_listed_cases(small_db, tmp_path):
    from openpyxl import load_workbook

    from tracker.tui.screens.modals import ExportModal

    sheet = tmp_path / "张伟.html"
    register = tmp_path / "register.xlsx"

    async def scenario(pilot, app):
        await open_first(pilot, app, "zw")
        await pilot.press("x")
        await settle(pilot, app)
        assert isinstance(app.screen, ExportModal)
        assert app.screen.query_one("#export-path").value.endswith("status-1-张伟.html")
        app.screen.query_one("#export-path").value = str(sheet)
        await pilot.click("#ok")
        await settle(pilot, app)
        await search(pilot, app, "娜")
        app.screen.query_one(CasesTable).focus()
        await pilot.press("x")
        await settle(pilot, app)
        app.screen.query_one("#export-path").value = str(register)
        await pilot.click("#ok")
        await settle(pilot, app)

    drive(make_app(small_db), scenario)
    html = sheet.read_text(encoding="utf-8")
    assert "张伟" in html and ID_ZHANG not in html and ID_ZHANG[:6] + "********" in html
    rows = list(load_workbook(register).active.iter_rows(values_only=True))
    assert len(rows) == 3 and "李娜" in str(rows) and "欧阳娜娜" in str(rows)
    assert ID_LI not in str(rows)


def write_staff_csv(path: Path) -> Path:
    """A GBK staff list as Chinese Excel saves it: a title row, one bad row."""
    path.write_bytes((
        "员工花名册\r\n"
        "姓名,身份证号码,工号,部门,手机号,专业\r\n"
        f"王芳,{ID_WANG},E010,项目一部,13800138000,建筑工程\r\n"
        "赵强,3.10112E+17,E011,技术部,13900139000,市政公用工程\r\n"
    ).encode("gbk"))
    return path


def test_import_screen_preview_dry_run_and_import_with_a_bad_row(tmp_path):
    from tracker.tui.screens.importer import ImportScreen

    staff = write_staff_csv(tmp_path / "花名册.csv")
    db = tmp_path / "empty.db"
    Database(db).close()

    async def scenario(pilot, app):
        await pilot.press("i")
        await settle(pilot, app)
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-path").value = str(staff)
        app.screen.action_preview()
        await settle(pilot, app)
        source = text_of(app.screen.query_one("#import-source"))
        assert "GB18030（兼容 GBK" in source and "2" in source  # encoding in words, header line
        assert "gb18030" not in source  # not the internal name twice
        assert app.screen.query_one("#import-mapping").row_count == 6
        await pilot.click("#dry-run")
        await settle(pilot, app)
        assert app.screen.report.dry_run and app.screen.report.rejected == 1
        assert app.backend.call(lambda ctx: store.count_cases(ctx.db, store.CaseFilter())) == 0
        rejected = app.screen.query_one("#import-rejected")
        assert rejected.row_count == 1 and "4" == str(rejected.get_row_at(0)[0])
        assert "Excel" in str(rejected.get_row_at(0)[3])
        await pilot.click("#run")
        await settle(pilot, app)
        await pilot.click("#yes")
        await settle(pilot, app)
        await settle(pilot, app)
        assert app.screen.report.written and app.screen.report.inserted == 1
        await pilot.click("#errors-sheet")
        await settle(pilot, app)

    drive(make_app(db), scenario)
    database = Database(db)
    assert [r["name"] for r in store.list_cases(database, store.CaseFilter())] == ["王芳"]
    database.close()
    sheet = tmp_path / "花名册-错误行.csv"
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf") and "赵强" in sheet.read_text("utf-8-sig")


def test_record_a_notice_after_seeing_how_many_cases_it_moves(small_db):
    from tracker.tui.screens.notices import NoticesScreen

    async def scenario(pilot, app):
        database_ctx = app.backend.ctx
        for case_id in (1, 2):
            store.update_case(database_ctx.db, case_id, {"exam_year": 2026}, "2026-01-01")
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, NoticesScreen)
        screen = app.screen
        screen.query_one("#notice-year").value = "2026"
        screen.query_one("#notice-opens").value = "2026-09-29"
        screen.query_one("#notice-working-days").value = "5"
        screen.query_one("#notice-title").value = "2026年度二级建造师考后资格复核通知"
        await pilot.click("#notice-preview")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        question = text_of(app.screen.query_one("Static"))
        assert "2 个案件" in question
        # 5 working days from 29 Sept 2026 skip the National Day holiday (1-7 Oct).
        assert "2026-10-1" in question or "2026-10-0" in question
        assert app.backend.call(service.get_case, 1)["state"] == "exam_passed"  # not yet
        await pilot.click("#yes")
        await settle(pilot, app)
        assert app.screen.query_one("#notices").row_count == 1
        assert app.backend.call(service.get_case, 1)["state"] == "review_pending"
        assert app.backend.call(service.get_case, 3)["state"] == "exam_passed"

    drive(make_app(small_db), scenario)


def test_reminders_list_and_calendar_export(demo_db, tmp_path):
    from icalendar import Calendar

    from tracker.tui.screens.notices import RemindersScreen

    target = tmp_path / "deadlines.ics"

    async def scenario(pilot, app):
        await pilot.press("w")
        await settle(pilot, app)
        assert isinstance(app.screen, RemindersScreen)
        count = app.screen.query_one("#reminders").row_count
        assert count > 0
        app.screen.query_one("#reminders").focus()
        await pilot.press("x")
        await settle(pilot, app)
        app.screen.query_one("#export-path").value = str(target)
        await pilot.click("#ok")
        await settle(pilot, app)
        # a calendar holds only dated deadlines; an exam window with no recorded sitting is
        # listed but undated
        app.calendar_events = sum(1 for item in app.screen.items if item.deadline.due_on)
        assert app.calendar_events < count

    app = make_app(demo_db)
    drive(app, scenario)
    calendar = Calendar.from_ical(target.read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == app.calendar_events and events[0].walk("VALARM")


def test_sort_by_next_deadline_puts_the_most_urgent_first(demo_db):
    async def scenario(pilot, app):
        await pilot.press("c")
        await settle(pilot, app)
        app.screen.query_one(CasesTable).focus()
        while app.screen.sort != "next_deadline":
            await pilot.press("s")
            await settle(pilot, app)
        table = app.screen.query_one(CasesTable)
        days = [str(table.get_row_at(i)[6]) for i in range(table.row_count)]
        dated = [d for d in days if d]
        assert dated and dated == sorted(dated) and days[:len(dated)] == dated
        # the earliest day first: an overdue deadline or a flag (R5a, R14a: never "overdue")
        assert re.search("逾期|overdue|已标记|flagged", str(table.get_row_at(0)[7]))
        await pilot.press("r")  # reversed: the furthest deadline first
        await settle(pilot, app)
        first = str(app.screen.query_one(CasesTable).get_row_at(0)[6])
        assert first >= max(dated)

    drive(make_app(demo_db), scenario)


def test_a_failing_worker_is_said_by_the_one_handler_and_the_dashboard_stays(small_db, tmp_path,
                                                                             monkeypatch):
    """A refused action in a worker (nothing to undo) is said in the user's words; a bug
    (any other exception) is said plainly, its details kept in the crash log; the
    dashboard keeps running after both."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    said: list[tuple[str, str]] = []

    async def scenario(pilot, app):
        original = app.notify

        def notify(message, **options):
            said.append((message, options.get("severity", "information")))
            original(message, **options)

        app.notify = notify
        await open_first(pilot, app, "zhangwei")
        await pilot.press("u")  # a new case: nothing to undo
        await settle(pilot, app)
        assert any("没有可撤销的操作" in m and s == "error" for m, s in said), said

        def broken(case_id):
            raise RuntimeError("a bug")

        app.backend.undo = broken
        await pilot.press("u")
        await settle(pilot, app)
        assert any("程序内部错误" in m for m, _ in said), said
        assert "RuntimeError: a bug" in (tmp_path / "config" / "tracker" / "crash.log").read_text()
        assert isinstance(app.screen, CaseDetailScreen) and app.is_running

    drive(make_app(small_db), scenario)
