"""A notice recorded by mistake: corrected or withdrawn (issue 14, item 7), on the command
line and on the notices screen; and the exam notice with its sitting on that screen."""
from __future__ import annotations

import json
from datetime import date

import pytest
from textual.widgets import Button, Input, Select

from tracker.tui.screens.modals import ConfirmModal, CorrectNoticeModal
from tracker.tui.screens.notices import NoticesScreen

from .test_notices import add, cohort, ids, review_notice, state_of  # noqa: F401
from .test_tui import drive, make_app, settle, text_of

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True

TODAY = date(2026, 6, 1)


def history_events(run, ref) -> list[str]:
    return [h["event"] for h in state_of(run, ref, today=TODAY)["history"]]


@pytest.mark.usefixtures("cohort")
def test_correct_a_deadline_moves_the_cases_that_still_hold_it(run):
    assert review_notice(run).code == 0
    moved = run("notice", "correct", "1", "--deadline", "2026-06-20", "--dry-run",
                today=TODAY)
    assert moved.code == 0 and "2026-06-15 → 2026-06-20" in moved.out
    assert "2 cases" in moved.out
    assert state_of(run, "E1", today=TODAY)["review_deadline"] == "2026-06-15"
    done = run("notice", "correct", "1", "--deadline", "2026-06-20", today=TODAY)
    assert "2026-06-15 → 2026-06-20" in done.out
    assert state_of(run, "E1", today=TODAY)["review_deadline"] == "2026-06-20"
    listed = json.loads(run("notice", "list", "--format", "json", today=TODAY).out)
    assert listed[0]["deadline"] == "2026-06-20"
    # The correction is one history row, which undo reverts.
    assert history_events(run, "E1")[-1] == "update"
    assert run("undo", "E1", today=TODAY).code == 0
    assert state_of(run, "E1", today=TODAY)["review_deadline"] == "2026-06-15"


@pytest.mark.usefixtures("cohort")
def test_withdraw_moves_back_what_nothing_touched_since_and_lists_the_rest(run):
    assert review_notice(run).code == 0
    assert state_of(run, "E1", today=TODAY)["state"] == "review_pending"
    assert run("event", "E2", "add_note", "--note", "已电话通知", today=TODAY).code == 0
    result = run("notice", "withdraw", "1", today=TODAY)
    assert result.code == 1, result.err  # partial: one case left as it was
    assert "1" in result.out
    assert state_of(run, "E1", today=TODAY)["state"] == "exam_passed"
    assert history_events(run, "E1")[-1] == "undo"  # append-only: a new row
    assert state_of(run, "E2", today=TODAY)["state"] == "review_pending"
    listed = json.loads(run("notice", "list", "--format", "json", today=TODAY).out)
    assert listed[0]["withdrawn_at"]
    again = run("notice", "withdraw", "1", today=TODAY)
    assert again.code == 2 and "withdrawn" in again.err
    assert run("notice", "correct", "1", "--deadline", "2026-06-20", today=TODAY).code == 2


@pytest.mark.usefixtures("cohort")
def test_a_withdrawn_exam_notice_no_longer_gives_the_sitting(run):
    add_exam = run("notice", "add", "--kind", "exam", "--exam-year", "2026", "--sitting",
                   "2026-06-07", today=TODAY)
    assert add_exam.code == 0, add_exam.err
    fixed = run("notice", "correct", "1", "--sitting", "2026-06-14", today=TODAY)
    assert fixed.code == 0 and "2026-06-07 → 2026-06-14" in fixed.out
    assert run("notice", "correct", "1", "--sitting", "2027-06-14", today=TODAY).code == 2
    assert run("notice", "withdraw", "1", today=TODAY).code == 0
    listed = json.loads(run("notice", "list", "--format", "json", today=TODAY).out)
    assert listed[0]["sitting"] == "2026-06-14" and listed[0]["withdrawn_at"]


# --------------------------------------------------------------------------- the screen


def test_the_screen_records_an_exam_notice_with_its_sitting(db_path, run):
    add(run, "曾志强", ids(1)[0], "E1", exam_year=2026)

    async def scenario(pilot, app):
        await pilot.press("n")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, NoticesScreen)
        assert screen.query_one("#notice-year", Input).value == str(app.backend.ctx.today.year)
        screen.query_one("#notice-kind", Select).value = "exam"
        await settle(pilot, app)
        assert screen.query_one("#notice-sitting").display
        assert not screen.query_one("#notice-deadline").display
        screen.query_one("#notice-preview", Button).press()  # (the form may scroll)
        await settle(pilot, app)
        refusal = text_of(screen.query_one("#notice-result"))
        assert "sitting" in refusal and "--" not in refusal  # the form's words, no flags
        screen.query_one("#notice-year", Input).value = "2026"
        screen.query_one("#notice-sitting", Input).value = "2026-06-07"
        screen.query_one("#notice-preview", Button).press()  # (the form may scroll)
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.click("#yes")
        await settle(pilot, app)
        table = screen.query_one("#notices")
        headers = [str(c.label) for c in table.columns.values()]
        assert "Exam sitting" in headers and "Exam year" in headers  # not cut
        assert "2026-06-07" in [str(c) for c in table.get_row_at(0)]

    drive(make_app(db_path, "en"), scenario)


@pytest.mark.usefixtures("cohort")
def test_the_screen_withdraws_and_corrects_a_notice(db_path, run):
    assert review_notice(run).code == 0

    async def scenario(pilot, app):
        await pilot.press("n")
        await settle(pilot, app)
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, CorrectNoticeModal)
        app.screen.query_one("#correct-date", Input).value = "2026-06-22"
        await pilot.click("#ok")
        await settle(pilot, app)
        assert isinstance(app.screen, ConfirmModal)  # the dry run first
        await pilot.click("#yes")
        await settle(pilot, app)
        assert "2026-06-22" in text_of(app.screen.query_one("#notice-result"))
        await pilot.press("u")
        await settle(pilot, app)
        await pilot.click("#yes")
        await settle(pilot, app)
        assert "withdrawn" in text_of(app.screen.query_one("#notice-result"))

    app = make_app(db_path, "en")
    app.backend.ctx.today = TODAY
    drive(app, scenario)
    assert state_of(run, "E1", today=TODAY)["state"] == "exam_passed"
