"""Issue 17, classes 8 and 9: history `at` is the real time of recording, the pinned day
is kept beside it (`as_of`); each history row carries a hash chained to the row before,
and `tracker verify` (and `tracker backup`) names the first row that does not hold."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

import pytest

from tracker.services.context import Context
from tracker.services.verify import verify
from tracker.store import Database, schema

from .conftest import ID_LI, ID_WANG, ID_ZHANG
from .reliability_support import staff_csv


def history(db_path) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM history ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def trail(run, tmp_path):
    """Writes of every kind: add, event, material, undo, import, bulk, notice, sweep."""
    for name, number, no in (("曾国藩", ID_ZHANG, "E1"), ("单田芳", ID_LI, "E2"),
                             ("仇英", ID_WANG, "E3")):
        assert run("add", "--name", name, "--id-number", number, "--employee-no", no).code == 0
    assert run("event", "E1", "open_review", "--set", "review_deadline=2026-12-20").code == 0
    assert run("material", "E1", "education_report").code == 0
    assert run("undo", "E1").code == 0
    assert run("import", str(staff_csv(tmp_path / "staff.csv", 5))).code == 0
    assert run("bulk", "add_note", "--state", "exam_passed", "--note", "批量").code == 0
    assert run("notice", "add", "--kind", "review", "--exam-year", "2026", "--deadline",
               "2026-12-30").code == 0


# --------------------------------------------------------------------------- class 8


def test_history_records_the_real_time_and_keeps_the_pinned_day_beside_it(run, db_path,
                                                                         tmp_path):
    start = datetime.now().replace(microsecond=0)
    assert run("add", "--name", "解缙", "--id-number", ID_ZHANG, "--employee-no", "E1",
               today=date(2099, 12, 31)).code == 0
    result = run("import", str(staff_csv(tmp_path / "staff.csv", 3)), today=date(2031, 5, 1))
    assert result.code == 0
    assert "2031-05-01" in result.err and "--today" in result.err  # said on the terminal
    unpinned = run("event", "E1", "add_note", "--note", "不固定日期", today=None)
    assert unpinned.code == 0 and "--today" not in unpinned.err
    end = datetime.now().replace(microsecond=0)
    rows = history(db_path)
    assert len(rows) == 5
    for row in rows:  # never a day that has not happened
        assert start <= datetime.fromisoformat(row["at"]) <= end, row
    assert [r["as_of"] for r in rows] == ["2099-12-31"] + ["2031-05-01"] * 3 + [None]


def test_a_pinned_sweep_decides_by_the_pinned_day_and_records_the_real_time(run, db_path):
    assert run("add", "--name", "曾巩", "--id-number", ID_ZHANG, "--employee-no", "E1").code == 0
    assert run("event", "E1", "open_review", "--set", "review_deadline=2026-12-20").code == 0
    before = len(history(db_path))
    result = run("--today", "2027-01-10", "sweep", today=None)
    assert result.code == 0 and "2027-01-10" in result.err
    new = history(db_path)[before:]
    assert new, result.out  # the sweep moved the case, by the pinned day
    for row in new:
        assert row["at"][:4] == str(date.today().year) or row["at"][:4] == str(
            date.today().year + 1)
        assert row["as_of"] == "2027-01-10"


def test_a_read_with_a_pinned_day_says_nothing_about_it(run):
    assert run("add", "--name", "单雄信", "--id-number", ID_ZHANG).code == 0
    result = run("list", today=date(2030, 1, 1))
    assert result.code == 0 and "--today" not in result.err


# --------------------------------------------------------------------------- class 9


def test_every_write_path_chains_its_rows_and_verify_holds(run, trail, db_path):
    rows = history(db_path)
    assert len(rows) > 10 and all(r["hash"] for r in rows)
    assert len({r["hash"] for r in rows}) == len(rows)
    result = run("verify")
    assert result.code == 0, result.out
    assert f"({len(rows)} rows)" in result.out


def rewrite(db_path, statement: str, params=()) -> None:
    """What another program can do: drop the append-only triggers, change the history,
    put the triggers back exactly as they were (so that the schema looks untouched)."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                            " AND tbl_name = 'history'").fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute(statement, params)
    for _, sql in triggers:
        conn.execute(sql)
    conn.close()


@pytest.mark.parametrize("lang, words", [("en", "does not match its hash"), ("zh", "哈希不符")])
def test_a_history_row_edited_by_hand_is_named(run, trail, db_path, lang, words):
    target = history(db_path)[4]
    rewrite(db_path, "UPDATE history SET note = '改过的备注' WHERE id = ?", [target["id"]])
    result = run("verify", lang=lang)
    assert result.code == 2
    assert words in result.out and f" {target['id']} " in result.out
    data = json.loads(run("verify", "--format", "json").out)
    assert data["ok"] is False and data["chain_break"]["id"] == target["id"]
    assert data["schema"] is None  # the triggers were put back: only the chain tells


def test_a_removed_row_breaks_the_chain_at_the_next_one(run, trail, db_path):
    rows = history(db_path)
    rewrite(db_path, "DELETE FROM history WHERE id = ?", [rows[3]["id"]])
    data = json.loads(run("verify", "--format", "json").out)
    assert data["chain_break"]["id"] == rows[4]["id"]
    assert data["chain_break"]["reason"] == "mismatch"


def test_a_row_inserted_by_another_program_has_no_hash(run, trail, db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="no such function"):
        conn.execute("INSERT INTO history (case_id, at, actor, event, to_state)"
                     " VALUES (1, '2026-01-01T00:00:00', 'x', 'add_note', 'exam_passed')")
    conn.execute("DROP TRIGGER history_chain")
    conn.execute("INSERT INTO history (case_id, at, actor, event, from_state, to_state)"
                 " VALUES (1, '2026-01-01T00:00:00', 'x', 'add_note', 'exam_passed',"
                 " 'exam_passed')")
    conn.close()
    result = run("--db", str(db_path), "verify", db=db_path)
    assert result.code == 2 and "trigger history_chain: missing" in result.err


def test_a_state_that_is_not_its_replay_is_named(run, trail, db_path):
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("UPDATE cases SET state = 'registered' WHERE id = 2")
    conn.close()
    result = run("verify")
    assert result.code == 2 and "case 2 is registered" in result.out


def test_backup_runs_the_check_and_keeps_the_copy(run, trail, db_path, tmp_path):
    ok = run("backup", str(tmp_path / "good.db"))
    assert ok.code == 0 and "passed its check" in ok.out
    target = history(db_path)[2]
    rewrite(db_path, "UPDATE history SET actor = 'someone' WHERE id = ?", [target["id"]])
    bad = run("backup", str(tmp_path / "evidence.db"), lang="zh")
    assert bad.code == 1 and (tmp_path / "evidence.db").exists()
    assert "检查未通过" in bad.err and f"第 {target['id']} 行" in bad.err


def test_the_service_function_for_the_daily_run(ctx, trail):
    result = verify(ctx)
    assert result.ok and result.history_rows > 10 and result.cases == 8


def test_migration_chains_the_rows_already_there(tmp_path):
    """A database of version 5 with history: the chain migration (7) seals its rows in id order."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, 0, 5)
    conn.execute("INSERT INTO persons (id, id_number, name, created_at, updated_at)"
                 " VALUES (1, ?, '曾国藩', 'x', 'x')", [ID_ZHANG])
    conn.execute("INSERT INTO cases (id, person_id, state, created_at, updated_at)"
                 " VALUES (1, 1, 'review_pending', 'x', 'x')")
    for i, (src, dst) in enumerate(((None, "exam_passed"), ("exam_passed", "review_pending"))):
        conn.execute("INSERT INTO history (id, case_id, at, actor, event, from_state,"
                     " to_state) VALUES (?, 1, '2026-01-05T09:00:00', 'hr', 'e', ?, ?)",
                     [10 + 7 * i, src, dst])
    conn.close()
    with Database(path) as database:
        result = verify(Context(db=database))
        assert result.ok, result
        hashes = [r[0] for r in database.conn.execute("SELECT hash FROM history ORDER BY id")]
        assert all(hashes) and hashes[0] != hashes[1]
