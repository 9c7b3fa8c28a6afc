"""The store: migrations from an empty file, file mode, pragmas, transactions, append-only."""
from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from tracker.services import cases as service
from tracker.store import SCHEMA_VERSION, Database, StoreError
from tracker.store import cases as store

from .conftest import ID_LI, ID_ZHANG

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True


def test_a_new_file_is_created_0600_with_the_current_schema(db_path):
    with Database(db_path):
        pass
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"persons", "cases", "materials", "history", "meta"} <= tables


@pytest.mark.sqlite_only
def test_wal_and_shm_files_are_private_too(ctx, db_path):
    service.add_case(ctx, name="张伟", id_number=ID_ZHANG)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            assert stat.S_IMODE(os.stat(side).st_mode) & 0o077 == 0


def test_a_loose_mode_is_tightened(db_path):
    with Database(db_path):
        pass
    os.chmod(db_path, 0o644)
    with Database(db_path):
        pass
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600


def test_migration_from_an_existing_empty_file(db_path):
    db_path.touch()
    with Database(db_path) as database:
        assert database.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_foreign_keys_and_busy_timeout_are_on(db_path):
    with Database(db_path) as database:
        assert database.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert database.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_a_newer_schema_is_refused_and_left_alone(db_path):
    with Database(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as info:
        Database(db_path)
    assert info.value.kind == "too_new"
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(db_path):
    db_path.write_bytes(b"this is a spreadsheet, not a database" * 200)
    with pytest.raises(StoreError) as info:
        Database(db_path)
    assert info.value.kind == "not_a_database"


def test_history_cannot_be_updated_or_deleted(ctx):
    case_id = service.add_case(ctx, name="张伟", id_number=ID_ZHANG)
    # SQLite's trigger; on PostgreSQL the server's trigger (a StoreError by its SQLSTATE).
    with pytest.raises((sqlite3.IntegrityError, StoreError)):
        ctx.db.execute("UPDATE history SET note = 'rewritten' WHERE case_id = ?", [case_id])
    with pytest.raises((sqlite3.IntegrityError, StoreError)):
        ctx.db.execute("DELETE FROM history WHERE case_id = ?", [case_id])
    assert len(store.history(ctx.db, case_id)) == 1


def test_one_action_is_one_transaction(ctx, monkeypatch):
    """A failure while writing the history leaves the case exactly as it was."""
    case_id = service.add_case(ctx, name="张伟", id_number=ID_ZHANG)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "add_history", broken)
    with pytest.raises(sqlite3.OperationalError):
        service.fire_event(ctx, case_id, "open_review", data={"review_deadline": "2026-12-20"})
    row = store.get_case(ctx.db, case_id)
    assert row["state"] == "exam_passed" and row["review_deadline"] is None
    assert not ctx.db.in_transaction


def test_a_failed_add_leaves_no_person_behind(ctx, monkeypatch):
    monkeypatch.setattr(store, "insert_case", lambda *a, **k: (_ for _ in ()).throw(
        sqlite3.OperationalError("database or disk is full")))
    with pytest.raises(sqlite3.OperationalError):
        service.add_case(ctx, name="李娜", id_number=ID_LI)
    assert store.person_by_id_number(ctx.db, ID_LI) is None


def test_chinese_text_round_trips(ctx):
    case_id = service.add_case(ctx, name="欧阳娜娜", id_number=ID_LI, department="项目一部",
                               company="上海申建工程有限公司", specialty="市政公用工程")
    row = store.get_case(ctx.db, case_id)
    assert (row["name"], row["department"], row["company"], row["specialty"]) == (
        "欧阳娜娜", "项目一部", "上海申建工程有限公司", "municipal")
    # The name's reading first (the sort key), then the other readings of 娜 (na, nuo).
    assert row["name_pinyin"].split()[0] == "ouyangnana"
    assert "ouyangnuona" in row["name_pinyin"].split()
    assert row["name_initials"] == "oynn"


def test_employee_numbers_keep_their_leading_zeros(ctx):
    case_id = service.add_case(ctx, name="张伟", id_number=ID_ZHANG, employee_no="03715")
    assert store.get_case(ctx.db, case_id)["employee_no"] == "03715"
    assert service.resolve_case(ctx, "03715") == case_id


def test_search_by_pinyin_initials_and_full_pinyin(ctx):
    zhang = service.add_case(ctx, name="张伟", id_number=ID_ZHANG)
    service.add_case(ctx, name="李娜", id_number=ID_LI)
    for needle in ("zw", "zhangwei", "ZhangW", "张", ID_ZHANG):
        found = store.list_cases(ctx.db, store.CaseFilter(search=needle))
        assert [r["case_id"] for r in found] == [zhang], needle


def test_search_text_is_a_parameter_not_sql(ctx):
    service.add_case(ctx, name="张伟", id_number=ID_ZHANG)
    assert store.list_cases(ctx.db, store.CaseFilter(search="%' OR 1=1 --")) == []
    assert store.list_cases(ctx.db, store.CaseFilter(search="%")) == []
