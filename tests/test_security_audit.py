"""The audit trail: `tracker history --all [--since DATE] [--format csv|json]`."""
from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, timedelta

import pytest

from tracker.domain import idcard

from .conftest import ID_LI, ID_ZHANG


@pytest.fixture
def days(run):
    """Two people; events on three different days."""
    run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E1",
        today=date(2026, 3, 1))
    run("add", "--name", "李娜", "--id-number", ID_LI, "--employee-no", "E2",
        today=date(2026, 3, 2))
    assert run("event", "E1", "open_review", "--set", "review_deadline=2026-12-20",
               "--note", "复核通知", today=date(2026, 3, 3)).code == 0
    assert run("event", "E2", "add_note", "--note", "电话已通知", today=date(2026, 3, 3)).code == 0


#: The days the fixture's rows can have been recorded on (a run may cross midnight).
RECORDED = {date.today().isoformat(), (date.today() + timedelta(days=1)).isoformat()}


def rows_of(text: str) -> list[dict]:
    assert text.startswith("\ufeff")  # UTF-8 with a BOM: Excel and WPS read it right
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_whole_trail_as_csv_in_the_order_written(run, days, db_path):
    result = run("history", "--all")
    assert result.code == 0
    rows = rows_of(result.out)
    conn = sqlite3.connect(db_path)
    ids = [r[0] for r in conn.execute("SELECT id FROM history ORDER BY id")]
    conn.close()
    assert [int(r["id"]) for r in rows] == ids
    assert [(r["employee_no"], r["event"]) for r in rows] == [
        ("E1", "create"), ("E2", "create"), ("E1", "open_review"), ("E2", "add_note")]
    review = rows[2]
    assert (review["name"], review["from_state"], review["to_state"], review["note"]) == (
        "张伟", "exam_passed", "review_pending", "复核通知")
    # `at` is when it was recorded (issue 17); the pinned day is kept beside it.
    assert review["at"][:10] in RECORDED and review["as_of"] == "2026-03-03"
    assert review["id_number"] == idcard.mask(ID_ZHANG)
    assert '"review_deadline": "2026-12-20"' in review["data"]


def test_since_keeps_the_rows_recorded_from_that_day_on(run, days, db_path):
    conn = sqlite3.connect(db_path)
    first = conn.execute("SELECT min(at) FROM history").fetchone()[0][:10]
    conn.close()
    rows = rows_of(run("history", "--all", "--since", first).out)
    assert [(r["employee_no"], r["event"]) for r in rows] == [
        ("E1", "create"), ("E2", "create"), ("E1", "open_review"), ("E2", "add_note")]
    # Filtered on the real time of recording, not on the pinned days (2026-03-01 … 03).
    later = (date.fromisoformat(first) + timedelta(days=1)).isoformat()
    assert rows_of(run("history", "--all", "--since", later).out) == []


def test_json_holds_the_same_rows(run, days):
    objects = run("history", "--all", "--format", "json").json()
    assert [o["id"] for o in objects] == [int(r["id"]) for r in rows_of(run("history",
                                                                           "--all").out)]
    assert objects[2]["data"] == {"set": {"review_deadline": "2026-12-20"},
                                  "before": {"review_deadline": None}}
    assert run("history", "--all", "--format", "json", "--since", "2099-01-01").json() == []


def test_one_case_as_csv_too(run, days):
    rows = rows_of(run("history", "E2", "--format", "csv").out)
    assert [r["event"] for r in rows] == ["create", "add_note"]


@pytest.mark.parametrize("lang, args, words", [
    ("en", ("history",), "name a CASE, or use --all"),
    ("zh", ("history",), "请指定案件"),
    ("en", ("history", "E1", "--all"), "either a CASE or --all"),
    ("zh", ("history", "E1", "--since", "2026-01-01"), "--since 只能与 --all 一起使用"),
    ("en", ("history", "--all", "--since", "2026-02-30"), "invalid date 2026-02-30"),
    ("zh", ("history", "--all", "--format", "table"), "--format csv"),
])
def test_mistakes_are_explained(run, days, lang, args, words):
    result = run(*args, lang=lang)
    assert result.code == 2 and words in result.err and "Traceback" not in result.err
