"""CSV and terminal injection (issue 17, class 3).

Every CSV the tracker produces comes from one writer (tracker.services.csvfile): UTF-8
with a BOM, a field with CR, LF, a quote or a comma quoted — a bare CR too —, and every
text cell that would start a formula neutralised. Every piece of user text printed on
the terminal has its control characters written out (tracker.domain.text.visible),
on the command line and in the dashboard.
"""
from __future__ import annotations

import asyncio
import csv
import io
import re
import sys
from datetime import date

import pytest

from tracker import i18n
from tracker.domain.spreadsheet import FORMULA_TRIGGERS
from tracker.domain.text import visible
from tracker.services.csvfile import write_csv

from .conftest import make_id

TODAY = date(2026, 6, 2)
FORMULA_NAME = '=HYPERLINK("http://x","y")'
ESC_NAME = "曾\x1b[2J伟"           # a polyphonic surname, and the screen cleared
DEPARTMENT = "\x1b[2J\x1b[H"       # erase the screen, cursor home
NOTES = ("\r=cmd|' /C calc'!A0",   # the formula after a CR at the start
         "单据\r=cmd|' /C calc'!A0")  # and after a bare CR inside the cell
NUMBER = re.compile(r"-?\d+(\.\d+)?")
OSC_NOTE = "\x1b]0;owned\x07\x9b31m解\x7f"  # a window title, a C1 CSI, DEL


def spreadsheet_rows(text: str) -> list[list[str]]:
    """`text` as a spreadsheet would read it, after checking that it cannot be misread:
    a BOM; outside quotes, CR and LF only as CRLF (a bare CR ends a row in Excel); no
    cell that starts a formula."""
    assert text.startswith("\ufeff"), text[:20]
    body = text[1:]
    quoted = False
    for index, char in enumerate(body):
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "\r":
            assert body[index + 1:index + 2] == "\n", body[max(0, index - 30):index + 30]
        elif not quoted and char == "\n":
            assert body[index - 1] == "\r", body[max(0, index - 30):index + 30]
    rows = list(csv.reader(io.StringIO(body, newline="")))
    for row in rows:
        for cell in row:  # (a number is typed: -3 is minus three, not a formula)
            assert NUMBER.fullmatch(cell) or not cell.startswith(FORMULA_TRIGGERS), (cell, row)
    return rows


# --------------------------------------------------------------------------- the writer


def test_the_writer_quotes_a_bare_cr_and_neutralises_every_text_cell():
    out = io.StringIO(newline="")
    write_csv(out, ["姓名", "=header"], [[FORMULA_NAME, NOTES[1]], [-3, "a,b"],
                                        ["@SUM(A1)", 'say "hi"'], ["+1", "\tx"]])
    text = out.getvalue()
    assert '"单据\r=cmd|\' /C calc\'!A0"' in text  # the bare CR is inside quotes
    rows = spreadsheet_rows(text)
    assert rows == [["姓名", "'=header"], ["'" + FORMULA_NAME, NOTES[1]], ["-3", "a,b"],
                    ["'@SUM(A1)", 'say "hi"'], ["'+1", "'\tx"]]


# --------------------------------------------------------------------------- every CSV


@pytest.fixture
def hostile_office(run, tmp_path):
    """People in review whose name, department and notes are attacks."""
    for index, name in enumerate((FORMULA_NAME, ESC_NAME, "单雄信"), start=1):
        result = run("add", "--name", name, "--id-number",
                     make_id(f"3101151989{index:02d}{index:02d}{index:03d}"),
                     "--employee-no", f"E{index:03d}", "--department", DEPARTMENT,
                     "--exam-year", "2025", "--phone", f"1380000{index:04d}",
                     "--contact-confirmed-on", "2026-05-01", today=date(2026, 5, 20))
        assert result.code == 0, result.err
    for note in (*NOTES, OSC_NOTE):
        assert run("event", "E001", "add_note", "--note", note, today=TODAY).code == 0
        assert run("event", "E002", "add_note", "--note", note, today=TODAY).code == 0
    result = run("notice", "add", "--kind", "review", "--exam-year", "2025", "--deadline",
                 "2026-06-15", "--title", "=复核通知", today=date(2026, 6, 1))
    assert result.code == 0, result.err


def test_every_csv_we_produce_is_safe_to_open(run, hostile_office, tmp_path):
    texts = {
        "list": run("list", "--format", "csv").out,
        "history": run("history", "E001", "--format", "csv").out,
        "history --all": run("history", "--all").out,
    }
    register = tmp_path / "register.csv"
    assert run("export-all", "--format", "csv", "-o", str(register)).code == 0
    messages = tmp_path / "sms.csv"
    assert run("notice", "message", "1", "-o", str(messages), today=TODAY).code == 0
    staff = tmp_path / "staff.csv"
    with open(staff, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["姓名", "身份证号", "部门"],
                                      [FORMULA_NAME, "123", NOTES[1]],
                                      ["仇英", "=1+1", DEPARTMENT]])
    errors = tmp_path / "errors.csv"
    run("import", str(staff), "--errors", str(errors))
    for path in (register, messages, errors):
        texts[path.name] = path.read_bytes().decode("utf-8")
    for what, text in texts.items():
        rows = spreadsheet_rows(text)
        assert len(rows) > 1, what
        cells = [cell for row in rows for cell in row]
        if what in ("list", "register.csv", "sms.csv", "errors.csv"):
            assert "'" + FORMULA_NAME in cells, what
        if what.startswith("history"):
            assert "'" + NOTES[0] in cells and NOTES[1] in cells, what
    assert "'=1+1" in texts["errors.csv"] and NOTES[1] in texts["errors.csv"]


# --------------------------------------------------------------------------- terminal


def test_visible_writes_out_what_a_terminal_would_obey():
    assert visible(DEPARTMENT) == "\\x1b[2J\\x1b[H"
    assert visible(OSC_NOTE) == "\\x1b]0;owned\\x07\\x9b31m解\\x7f"
    assert visible("a\rb\r\nc\nd\te\x00") == "a\\x0db\r\nc\nd\te\\x00"
    assert visible("曾志伟 [bold] =1") == "曾志伟 [bold] =1"


def test_user_text_never_reaches_the_terminal_raw(run, hostile_office, tmp_path,
                                                  monkeypatch):
    from tracker.cli.output import console, err_console

    monkeypatch.setattr(console, "width", 250)  # every column shown
    monkeypatch.setattr(err_console, "width", 250)
    staff = tmp_path / "名单\x1b[31m.csv"
    staff.write_text(f"姓名,身份证号\n{ESC_NAME},\x1b[2J123\n", encoding="utf-8")
    outputs = {
        "show": run("show", "E002", today=TODAY),
        "show E001": run("show", "E001", today=TODAY),
        "list": run("list"),
        "history": run("history", "E002"),
        "remind": run("remind", today=TODAY),
        "import": run("import", str(staff)),
        "unknown case": run("show", "\x1b[2J"),
    }
    for what, result in outputs.items():
        printed = result.out + result.err
        assert "\x1b" not in printed and "\x9b" not in printed and "\x07" not in printed, what
        assert "Traceback" not in printed, what
    assert "\\x1b[2J" in outputs["show"].out and "\\x1b]0;owned\\x07" in outputs["show"].out
    assert "\\x1b[2J\\x1b[H" in outputs["list"].out
    assert "\\x1b[31m" in outputs["import"].out + outputs["import"].err


def test_data_written_to_a_terminal_is_shown_not_obeyed(run, hostile_office, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for args in (("export", "E002", "--format", "md", "-o", "-"),
                 ("list", "--format", "json"), ("history", "E002", "--format", "csv"),
                 ("notice", "message", "1", "--dry-run")):
        printed = run(*args, today=TODAY).out
        assert "\x1b" not in printed and "\x9b" not in printed, args
        assert "\\x1b" in printed or "\\u001b" in printed, args  # JSON escapes ESC itself


def test_data_written_to_a_pipe_is_kept_as_it_is(run, hostile_office):
    names = [row["name"] for row in run("list", "--format", "json").json()]
    assert ESC_NAME in names


# --------------------------------------------------------------------------- dashboard


def test_control_characters_do_not_reach_the_dashboards_terminal(run, hostile_office,
                                                                 db_path):
    from tracker.services.context import Context
    from tracker.store import Database
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.detail import CaseDetailScreen

    from .test_security_tui import screen_text, settle

    i18n.set_lang("en")
    app = TrackerApp(Context(db=Database(db_path), today=TODAY, actor="hr"), poll=False)
    seen: dict[str, str] = {}

    async def scenario():
        async with app.run_test(size=(160, 60)) as pilot:
            await settle(pilot, app)
            seen["dashboard"] = screen_text(app)
            await pilot.press("c")
            await settle(pilot, app)
            seen["cases"] = screen_text(app)
            app.open_case(2)
            await settle(pilot, app)
            assert isinstance(app.screen, CaseDetailScreen)
            seen["detail"] = screen_text(app)
            await pilot.press("h")  # the continuing-education form names the person too
            await settle(pilot, app)
            seen["ce_form"] = screen_text(app)
            await pilot.press("escape")
            await settle(pilot, app)
            assert isinstance(app.screen, CaseDetailScreen)
            app.screen.fire("add_note")
            await settle(pilot, app)
            seen["modal"] = screen_text(app)
            app.screen.query_one("#note").value = "ok"
            await pilot.click("#ok")
            await settle(pilot, app)
            await pilot.pause(0.2)
            seen["notified"] = screen_text(app)
            await pilot.press("escape")
            await settle(pilot, app)
            await pilot.press("ctrl+p")
            await settle(pilot, app)
            await pilot.press(*"E002")
            await pilot.pause(0.5)
            seen["palette"] = screen_text(app)

    try:
        asyncio.run(scenario())
    finally:
        app.backend.ctx.db.close()
    for what, text in seen.items():
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text, what
    assert "曾\\x1b[2J伟" in seen["cases"] and "\\x1b[2J\\x1b[H" in seen["cases"]
    assert "曾\\x1b[2J伟" in seen["detail"] and "曾\\x1b[2J伟" in seen["palette"]
    assert "owned" in seen["detail"] and "曾\\x1b[2J伟" in seen["ce_form"]
