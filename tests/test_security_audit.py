"""The audit trail: `tracker history --all [--since DATE] [--format csv|json]`."""
from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date

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


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


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
    assert review["at"].startswith("2026-03-03T") and review["id_number"] == idcard.mask(ID_ZHANG)
    assert '"review_deadline": "2026-12-20"' in review["data"]


def test_since_keeps_the_rows_from_that_day_on(run, days):
    rows = rows_of(run("history", "--all", "--since", "2026-03-02").out)
    assert [(r["employee_no"], r["event"]) for r in rows] == [
        ("E2", "create"), ("E1", "open_review"), ("E2", "add_note")]
    assert rows_of(run("history", "--all", "--since", "2026-03-04").out) == []


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
