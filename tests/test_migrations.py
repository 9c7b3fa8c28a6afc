"""Schema versions: a database of every earlier version, with data, is migrated on opening
and keeps every row; a failed migration changes nothing; a newer database is refused and
left byte for byte as it was."""
from __future__ import annotations

import json
import sqlite3

import pytest

from tracker.store import SCHEMA_VERSION, Database, StoreError, schema

from .conftest import ID_LI, ID_ZHANG
from .reliability_support import integrity, replay_mismatches

AT = "2026-01-05T09:00:00"

#: Rows valid at every version: table -> rows, as column -> value. A column missing from
#: the table at a version is left out; NOT NULL columns are all given.
SAMPLE: dict[str, list[dict]] = {
    "persons": [
        {"id": 1, "id_number": ID_ZHANG, "name": "张伟", "name_pinyin": "zhangwei",
         "name_initials": "zw", "employee_no": "03715", "department": "项目一部",
         "company": "上海申建", "phone": "13800138000", "created_at": AT, "updated_at": AT},
        {"id": 2, "id_number": ID_LI, "name": "李娜", "name_pinyin": "lina",
         "name_initials": "ln", "employee_no": None, "department": None, "company": None,
         "phone": None, "created_at": AT, "updated_at": AT},
    ],
    "cases": [
        {"id": 1, "person_id": 1, "qualification": "constructor_grade2",
         "specialty": "building", "state": "review_pending", "exam_year": 2025,
         "review_deadline": "2026-02-01", "ce_hours": 0, "channel_proxy": 0,
         "paper_opens": None, "paper_closes": None, "created_at": AT, "updated_at": AT},
        {"id": 2, "person_id": 2, "qualification": "constructor_grade2", "specialty": "",
         "state": "exam_passed", "exam_year": 2025, "ce_hours": 12.5, "channel_proxy": 0,
         "created_at": AT, "updated_at": AT},
    ],
    "materials": [{"case_id": 1, "item": "education_report", "received_on": "2026-01-04"},
                  {"case_id": 1, "item": "work_years_proof", "received_on": "2026-01-04"}],
    "history": [
        {"id": 1, "case_id": 1, "at": AT, "actor": "hr", "event": "create",
         "from_state": None, "to_state": "exam_passed", "note": None, "data": None},
        {"id": 2, "case_id": 2, "at": AT, "actor": "hr", "event": "import",
         "from_state": None, "to_state": "exam_passed", "note": None,
         "data": json.dumps({"file": "staff.csv", "line": 3})},
        {"id": 3, "case_id": 1, "at": AT, "actor": "hr", "event": "open_review",
         "from_state": "exam_passed", "to_state": "review_pending", "note": "通知",
         "data": json.dumps({"set": {"review_deadline": "2026-02-01"},
                             "before": {"review_deadline": None}})},
    ],
    "meta": [{"key": "demo", "value": "0"}],
    "notices": [{"id": 1, "kind": "review", "exam_year": 2025, "deadline": "2026-02-01",
                 "title": "复核通知", "recorded_at": AT, "actor": "hr", "applied": 1}],
}


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def build(path, version: int) -> dict[str, list[tuple]]:
    """A database at `version` (MIGRATIONS[:version]) holding SAMPLE; returns its rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    schema.migrate(conn, 0, version)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    written = {}
    for table, rows in SAMPLE.items():
        if table not in tables:
            continue
        known = columns(conn, table)
        for row in rows:
            values = {k: v for k, v in row.items() if k in known}
            conn.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES"
                         f" ({', '.join('?' * len(values))})", list(values.values()))
        written[table] = (known, conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall())
    conn.execute("COMMIT")
    conn.close()
    return written


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_earlier_version_with_data_is_migrated_and_keeps_every_row(tmp_path, version,
                                                                         run):
    path = tmp_path / "tracker.db"
    written = build(path, version)
    with Database(path) as database:
        conn = database.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        for table, (known, rows) in written.items():
            now = conn.execute(f"SELECT {', '.join(known)} FROM {table} ORDER BY 1, 2"
                               ).fetchall()
            assert now == rows, table
        triggers = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"history_no_update", "history_no_delete"} <= triggers
        # What later versions added is there, empty, around the old rows.
        assert conn.execute("SELECT count(*) FROM notices").fetchone()[0] == \
            len(SAMPLE["notices"]) * (version >= 2)
        assert conn.execute("SELECT paper_opens FROM case_view WHERE case_id = 1"
                            ).fetchone() == (None,)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM history")
    assert integrity(path) == ["ok"]
    assert replay_mismatches(path) == []
    # The tracker goes on with the migrated data as with its own.
    shown = run("show", "03715", "--format", "json", "--full-id", db=path).json()
    assert (shown["name"], shown["id_number"], shown["state"]) == ("张伟", ID_ZHANG,
                                                                   "review_pending")
    assert [h["event"] for h in shown["history"]] == ["create", "open_review"]
    assert run("event", "03715", "submit_review", db=path).code == 0
    assert replay_mismatches(path) == []


def test_the_migrations_from_nothing_build_what_each_step_builds(tmp_path):
    """Migrating 0 -> N in one go or one version at a time gives the same schema."""
    at_once, stepwise = tmp_path / "a.db", tmp_path / "b.db"
    build(at_once, SCHEMA_VERSION)
    for version in range(1, SCHEMA_VERSION + 1):
        conn = sqlite3.connect(stepwise, isolation_level=None)
        schema.migrate(conn, version - 1, version)
        conn.close()

    def shape(path):
        conn = sqlite3.connect(path)
        try:
            return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master"))
        finally:
            conn.close()

    assert shape(at_once) == shape(stepwise)


def test_a_failing_migration_leaves_the_database_at_its_version_unchanged(tmp_path,
                                                                         monkeypatch, run):
    path = tmp_path / "tracker.db"
    written = build(path, 1)
    # Version 2 goes through, version 3 breaks half-way: both must be undone.
    broken = schema.MIGRATIONS[2] + "\nINSERT INTO no_such_table VALUES (1);\n"
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS[:2], broken])
    with pytest.raises(sqlite3.OperationalError):
        Database(path)
    result = run("list", db=path, lang="zh")
    assert result.code == 2 and "Traceback" not in result.err and "数据库错误" in result.err
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "notices" not in tables
    for table, (_, rows) in written.items():
        assert conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == rows
    conn.close()
    monkeypatch.undo()
    with Database(path) as database:  # the real migrations then go through
        assert database.schema_version == SCHEMA_VERSION


@pytest.mark.parametrize("lang, words", [("en", "newer tracker"), ("zh", "更新版本")])
@pytest.mark.parametrize("command", [("list",), ("import", "staff.csv"),
                                     ("bulk", "open_review", "--state", "exam_passed"),
                                     ("backup",), ("history", "--all")])
def test_a_database_from_a_newer_tracker_is_refused_and_never_altered(tmp_path, run, lang,
                                                                     words, command):
    path = tmp_path / "tracker.db"
    build(path, SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    (tmp_path / "staff.csv").write_text("姓名,身份证号\n张伟," + ID_ZHANG + "\n",
                                        encoding="utf-8")
    before = path.read_bytes()
    result = run(*[str(tmp_path / c) if c.endswith(".csv") else c for c in command],
                 db=path, lang=lang)
    assert result.code == 2 and words in result.err and "Traceback" not in result.err
    assert str(SCHEMA_VERSION + 1) in result.err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staff.csv", "tracker.db"]


def test_a_database_from_a_newer_tracker_is_refused_by_the_store(tmp_path):
    path = tmp_path / "tracker.db"
    build(path, SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError) as info:
        Database(path)
    assert info.value.kind == "too_new"
