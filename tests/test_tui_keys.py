"""The keyboard model of the dashboard (issue 14), driven as a person would with Pilot.

Single-letter keys switch screens and never type into a text box; a text box is entered
with `/` (or a click, or Tab) and left with Esc or Enter; Down from the search goes into
the table; `c d w n i` work from every screen, a case included; Space marks a row.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from tracker.services import cases as service
from tracker.services.context import Context
from tracker.store import Database
from tracker.store import cases as store
from tracker.tui.screens.cases import CasesScreen, CasesTable
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.detail import CaseDetailScreen
from tracker.tui.screens.importer import ImportScreen
from tracker.tui.screens.notices import NoticesScreen, RemindersScreen

from .conftest import ID_LI, ID_WANG, ID_ZHANG, TODAY, make_id
from .test_tui import drive, make_app, open_first, search, settle, table_names, text_of

ID_ZENG = make_id("31010519870203404")  # 310105198702034042


@pytest.fixture
def people_db(tmp_path) -> Path:
    """Polyphonic surnames and mixed-case employee numbers."""
    path = tmp_path / "people.db"
    database = Database(path)
    ctx = Context(db=database, today=TODAY, actor="hr")
    for name, id_number, number in (("张伟", ID_ZHANG, "E001"), ("曾志强", ID_ZENG, "E000001"),
                                    ("单丽", ID_LI, "E002"), ("欧阳娜娜", ID_WANG, "E003")):
        service.add_case(ctx, name=name, id_number=id_number, employee_no=number,
                         department="技术部", company="上海申建")
    database.close()
    return path


def focused_id(app) -> str | None:
    return app.screen.focused.id if app.screen.focused is not None else None


# --------------------------------------------------------------------------- traps


def test_c_opens_the_list_with_the_table_focused_and_w_then_switches(people_db):
    async def scenario(pilot, app):
        await pilot.press("c")
        await settle(pilot, app)
        assert isinstance(app.screen, CasesScreen) and focused_id(app) == "cases"
        await pilot.press("w")
        await settle(pilot, app)
        assert isinstance(app.screen, RemindersScreen)
        assert focused_id(app) == "reminders"  # not "Days ahead"
        await pilot.press("d", "n", "i")  # not typed into the days: they switch screens
        await settle(pilot, app)
        assert isinstance(app.screen, ImportScreen)
        await pilot.press("w")
        await settle(pilot, app)
        assert app.screen.query_one("#remind-days", Input).value == "30"

    drive(make_app(people_db, "en"), scenario)


def test_a_key_typed_in_the_search_stays_there_until_esc(people_db):
    async def scenario(pilot, app):
        await pilot.press("slash")
        await settle(pilot, app)
        assert focused_id(app) == "search"
        await pilot.press("w")
        await settle(pilot, app)
        assert isinstance(app.screen, CasesScreen)  # typed, not a screen switch
        assert app.screen.query_one("#search", Input).value == "w"
        await pilot.press("escape", "w")
        await settle(pilot, app)
        assert isinstance(app.screen, RemindersScreen)

    drive(make_app(people_db), scenario)


def test_down_from_the_search_moves_into_the_table_and_space_marks(people_db):
    async def scenario(pilot, app):
        await search(pilot, app, "e00")
        await pilot.press("down")
        assert focused_id(app) == "cases"
        await pilot.press("space")
        assert len(app.screen.marked) == 1
        await pilot.press("slash", "tab")  # Tab too goes to the table, not the state filter
        assert focused_id(app) == "cases"
        await pilot.press("space")
        assert len(app.screen.marked) == 2

    drive(make_app(people_db), scenario)


def test_the_days_box_takes_only_digits_and_esc_leaves_it(people_db):
    async def scenario(pilot, app):
        await pilot.press("w")
        await settle(pilot, app)
        await pilot.click("#remind-days")
        days = app.screen.query_one("#remind-days", Input)
        days.value = ""
        await pilot.press("d", "n", "6", "0")
        assert days.value == "60"
        await pilot.press("enter")
        await settle(pilot, app)
        assert focused_id(app) == "reminders"
        await pilot.press("escape", "d")
        await settle(pilot, app)
        assert isinstance(app.screen, DashboardScreen)

    drive(make_app(people_db), scenario)


@pytest.mark.parametrize("key, screen", [("c", CasesScreen), ("d", DashboardScreen),
                                         ("w", RemindersScreen), ("n", NoticesScreen),
                                         ("i", ImportScreen)])
def test_screen_keys_work_from_a_case(people_db, key, screen):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zhangwei")
        await pilot.press(key)
        await settle(pilot, app)
        assert type(app.screen) is screen

    drive(make_app(people_db), scenario)


def test_c_from_the_dashboard_brings_the_list_not_the_last_case(people_db):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zhangwei")
        await pilot.press("d")
        await settle(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
        assert isinstance(app.screen, CasesScreen) and focused_id(app) == "cases"

    drive(make_app(people_db), scenario)


def test_no_screen_switch_under_a_dialog(people_db):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zhangwei")
        app.screen.fire("add_note")
        await settle(pilot, app)
        await pilot.press("tab", "tab")  # off the text boxes, onto the buttons
        await pilot.press("d")
        await settle(pilot, app)
        assert not isinstance(app.screen, (DashboardScreen, CaseDetailScreen))

    drive(make_app(people_db), scenario)


def test_checklist_ticks_what_is_highlighted_and_shows_both_marks(people_db):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zhangwei")
        await pilot.press("m", "down", "space")  # the second item, not the first
        await settle(pilot, app)
        detail = app.screen.detail
        received = [m.key for m in detail.materials if m.received_on]
        assert received == [detail.materials[1].key]
        materials = app.screen.query_one("#materials", OptionList)
        prompts = [str(materials.get_option_at_index(i).prompt)
                   for i in range(materials.option_count)]
        assert prompts[1].startswith("☑") and prompts[0].startswith("☐")
        case_id = app.screen.case_id
        assert list(store.materials(app.backend.ctx.db, case_id)) == received

    drive(make_app(people_db), scenario)


# --------------------------------------------------------------------------- palette


async def palette_texts(pilot, app, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot, app)
    assert CommandPalette.is_open(app)
    await pilot.press(*query)
    await pilot.pause(0.6)
    await settle(pilot, app)
    options = app.screen.query_one(OptionList)
    texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    await pilot.press("escape")
    await settle(pilot, app)
    return texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_palette_finds_events_exports_and_screens_in_either_language(people_db, lang):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zhangwei")  # exam_passed: open_review is allowed
        review = await palette_texts(pilot, app, "复核")
        assert any("复核" in text or "review" in text.lower() for text in review), review
        key = await palette_texts(pilot, app, "open_review")
        assert key, "an event is found by its key"
        export = await palette_texts(pilot, app, "导出")
        english = await palette_texts(pilot, app, "export")
        assert export and english and len(export) == len(english)
        assert await palette_texts(pilot, app, "提醒") and await palette_texts(pilot, app,
                                                                               "remind")
        if lang == "zh":
            quit_ = await palette_texts(pilot, app, "退出")
            assert "退出" in quit_
            assert not any(text in ("Quit", "Keys", "Screenshot") for text in
                           await palette_texts(pilot, app, "s"))

    drive(make_app(people_db, lang), scenario)


def test_palette_fires_an_event_found_in_chinese_on_an_english_screen(people_db):
    async def scenario(pilot, app):
        await open_first(pilot, app, "zhangwei")
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        await pilot.press(*"复核")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, (CaseDetailScreen, CommandPalette))  # the modal

    drive(make_app(people_db, "en"), scenario)


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("query, expected", [
    ("zeng", ["曾志强"]), ("ceng", ["曾志强"]), ("zzq", ["曾志强"]),
    ("shan", ["单丽"]), ("danli", ["单丽"]),
    (ID_ZENG[-4:], ["曾志强"]), (ID_ZENG[-6:], ["曾志强"]), (ID_ZENG[:8], ["曾志强"]),
    ("e000001", ["曾志强"]), ("E000001", ["曾志强"]),
])
def test_search_finds_readings_id_tails_and_numbers_in_any_case(people_db, query, expected):
    async def scenario(pilot, app):
        await search(pilot, app, query)
        assert table_names(app) == expected

    drive(make_app(people_db), scenario)


def test_list_sorts_a_surname_by_its_surname_reading(people_db):
    async def scenario(pilot, app):
        await pilot.press("c")
        await settle(pilot, app)
        # 欧阳 (o), 单 as shan (s), 张 (zh), 曾 as zeng (ze) — not 单 as dan under D
        assert table_names(app) == ["欧阳娜娜", "单丽", "曾志强", "张伟"]

    drive(make_app(people_db), scenario)


def test_show_finds_a_case_by_a_lower_case_employee_number(people_db):
    database = Database(people_db)
    try:
        ctx = Context(db=database, today=TODAY)
        assert service.resolve_case(ctx, "e000001") == service.resolve_case(ctx, "E000001")
    finally:
        database.close()


def test_the_table_under_the_search_is_the_table_focused(people_db):
    async def scenario(pilot, app):
        await search(pilot, app, "zhang")
        await pilot.press("enter")
        assert app.screen.focused is app.screen.query_one(CasesTable)
        assert text_of(app.screen.query_one("#status"))

    drive(make_app(people_db), scenario)


# --------------------------------------------------------------------------- the keys written down


def test_the_readme_keys_table_is_the_help_screens():
    from cogapp import Cog

    readme = Path(__file__).resolve().parents[1] / "README.md"
    cog = Cog()
    cog.options.verbosity = 0
    text = readme.read_text(encoding="utf-8")
    assert cog.process_string(text, fname=str(readme)) == text, "run: cog -r README.md"


def test_the_help_screen_lists_the_keyboard_model(people_db):
    async def scenario(pilot, app):
        await pilot.press("question_mark")
        await settle(pilot, app)
        shown = " ".join(text_of(w) for w in app.screen.query("Static"))
        for words in ("Esc", "Space", "Ctrl+P", "Tab"):
            assert words in shown

    drive(make_app(people_db, "en"), scenario)


# --------------------------------------------------------------------------- layout


def test_columns_are_dropped_by_priority_and_cut_only_without_room():
    from tracker.tui.tables import PADDING, Col, fit_widths

    columns = [Col("name", "col_name", min=4), Col("kind", "col_deadline_kind", min=8, flex=True),
               Col("due", "col_due_on", min=10, drop=1), Col("days", "col_days_left", min=5)]
    natural = {"name": 6, "kind": 24, "due": 10, "days": 12}
    wide = fit_widths(columns, natural, 200)
    assert wide == natural  # room: nothing cut, nothing stretched
    narrow = fit_widths(columns, natural, 40)
    assert "due" not in narrow and narrow["days"] == 12 and narrow["name"] == 6
    assert sum(w + PADDING for w in narrow.values()) <= 40
    assert narrow["kind"] == 40 - (6 + 12 + 3 * PADDING)  # the freed room given back


# --------------------------------------------------------------------------- exports


def test_export_dialog_is_centred_in_the_exports_folder_and_asks_before_replacing(
        people_db, tmp_path):
    from tracker.tui.screens.modals import ConfirmModal, ExportModal

    async def scenario(pilot, app):
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        assert isinstance(app.screen, ExportModal)
        dialog = app.screen.query_one(".dialog").region
        assert abs(dialog.x - (app.size.width - dialog.right)) <= 1  # centred
        path = app.screen.query_one("#export-path", Input).value
        assert path.startswith(str(tmp_path / "exports"))
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text("kept", encoding="utf-8")
        await pilot.click("#ok")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)  # asked, not replaced
        await pilot.click("#no")
        await settle(pilot, app)
        assert Path(path).read_text(encoding="utf-8") == "kept"

    drive(make_app(people_db), scenario)


def test_an_empty_database_says_how_to_import(tmp_path):
    path = tmp_path / "empty.db"
    Database(path).close()

    async def scenario(pilot, app):
        await settle(pilot, app)
        assert "tracker import" in text_of(app.screen.query_one("#bars"))

    drive(make_app(path, "en"), scenario)


def test_the_chinese_event_picker_shows_labels_only(people_db):
    from tracker.tui.screens.modals import ChooseEventModal

    async def scenario(pilot, app):
        await open_first(pilot, app, "zhangwei")
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, ChooseEventModal)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert prompts and not any("_" in p for p in prompts)

    drive(make_app(people_db), scenario)
