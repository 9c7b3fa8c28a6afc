"""Issue 17, class 4: restore and open trust nothing they find. The schema is compared
with the one of the file's version by SQL text; a file that is not ours (by
PRAGMA application_id, or by its tables) is refused unchanged; a read-only database is
opened read-only, with the right advice."""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.store import SCHEMA_VERSION, Database, StoreError, schema
from tracker.store.identity import APPLICATION_ID

from .conftest import ID_LI, ID_ZHANG
from .reliability_support import digest


@pytest.fixture
def two(run):
    for name, number, no in (("曾国藩", ID_ZHANG, "E1"), ("仇英", ID_LI, "E2")):
        assert run("add", "--name", name, "--id-number", number, "--employee-no", no,
                   "--phone", "13800000001").code == 0


def files_beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def tamper_triggers(path: Path) -> None:
    """The round's backup: the append-only triggers replaced by `SELECT 1` bodies under
    their own names, plus a trigger that rewrites every phone on each event."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name in ("history_no_update", "history_no_delete"):
        conn.execute(f"DROP TRIGGER {name}")
        kind = "UPDATE" if name.endswith("update") else "DELETE"
        conn.execute(f"CREATE TRIGGER {name} BEFORE {kind} ON history BEGIN SELECT 1; END")
    conn.execute("CREATE TRIGGER steal AFTER INSERT ON history BEGIN"
                 " UPDATE persons SET phone = '17000000000'; END")
    conn.close()


def test_restore_refuses_a_backup_whose_triggers_were_replaced(run, two, db_path, tmp_path):
    backup = tmp_path / "tampered.db"
    assert run("backup", str(backup)).code == 0
    tamper_triggers(backup)
    before, backup_bytes = digest(db_path), backup.read_bytes()
    for lang, words in (("en", "not the one the tracker builds"), ("zh", "结构与 tracker")):
        result = run("restore", str(backup), lang=lang)
        assert result.code == 2 and words in result.err, result.err
        assert "history_no_delete" in result.err or "steal" in result.err
    assert digest(db_path) == before and backup.read_bytes() == backup_bytes


def test_restore_refuses_an_extra_trigger_alone(run, two, db_path, tmp_path):
    backup = tmp_path / "extra.db"
    assert run("backup", str(backup)).code == 0
    conn = sqlite3.connect(backup, isolation_level=None)
    conn.execute("CREATE TRIGGER steal AFTER INSERT ON history BEGIN"
                 " UPDATE persons SET phone = '17000000000'; END")
    conn.close()
    result = run("restore", str(backup))
    assert result.code == 2 and "trigger steal: not the tracker's" in result.err


def test_opening_a_database_with_a_changed_trigger_is_refused_unchanged(run, two, db_path):
    tamper_triggers(db_path)
    before = db_path.read_bytes()
    for command in (("list",), ("event", "E1", "add_note", "--note", "x"), ("verify",)):
        result = run(*command)
        assert result.code == 2 and "tampered" in result.err, (command, result.err)
    assert db_path.read_bytes() == before


def another_programs_file(path: Path, *, app_id: int = 0, version: int = 0) -> bytes:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, taken TEXT, place TEXT)")
    conn.execute("INSERT INTO photos VALUES (1, '2026-05-01', '外滩')")
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    os.chmod(path, 0o644)
    return path.read_bytes()


@pytest.mark.parametrize("app_id, version, words", [
    (0, 0, "another program's SQLite database"),
    (0x4D504246, 0, "another program's SQLite database"),   # someone else's mark
    (0x4D504246, 7, "another program's SQLite database"),
    (0, 3, "not the one the tracker builds"),                 # a version, not our schema
])
@pytest.mark.parametrize("command", [("list",), ("add", "--name", "单田芳", "--id-number",
                                                  ID_ZHANG), ("backup",), ("verify",)])
def test_another_programs_sqlite_file_is_refused_and_left_as_it_was(run, tmp_path, app_id,
                                                                    version, words, command):
    other = tmp_path / "photos.sqlite"
    before = another_programs_file(other, app_id=app_id, version=version)
    result = run(*command, db=other)
    assert result.code == 2 and words in result.err, result.err
    assert other.read_bytes() == before  # no tables added, no WAL, no mark
    assert stat.S_IMODE(other.stat().st_mode) == 0o644  # not chmodded either
    assert files_beside(other) == ["photos.sqlite"]


def test_a_new_database_is_marked_as_ours(run, two, db_path):
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_our_databases_from_before_the_mark_open_and_are_marked(tmp_path, run):
    """A database made by an earlier tracker (no application_id): its schema is exactly
    that of its version, which is what makes it ours; it is marked when opened."""
    for version in (3, SCHEMA_VERSION):
        path = tmp_path / f"v{version}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN")
        schema.migrate(conn, 0, version)
        conn.execute("COMMIT")
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
        conn.close()
        result = run("list", "--format", "json", db=path)
        assert result.code == 0, result.err
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        conn.close()


def test_a_database_that_cannot_be_written_is_opened_read_only(run, two, db_path,
                                                               monkeypatch):
    """The file or its folder not writable (tests run as root: os.access is asked)."""
    from tracker.store import db as store_db

    real_access = os.access
    monkeypatch.setattr(store_db.os, "access", lambda p, mode, **kw: False if Path(p) in (
        db_path, db_path.parent) and mode == os.W_OK else real_access(p, mode, **kw))
    before = digest(db_path)
    assert [r["name"] for r in run("list", "--format", "json").json()] == ["曾国藩", "仇英"]
    for lang, words in (("en", "can only be read"), ("zh", "只能读取")):
        result = run("event", "E1", "add_note", "--note", "x", lang=lang)
        assert result.code == 2 and words in result.err
        assert "restore" not in result.err and "damaged" not in result.err
    with Database(db_path) as database:
        assert database.read_only
        with pytest.raises(StoreError) as raised:
            with database.transaction():
                pass
        assert raised.value.kind == "read_only_fs"
    assert digest(db_path) == before


def can_mount() -> bool:
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not can_mount(), reason="needs root and mount namespaces (Linux)")
def test_a_database_on_a_read_only_filesystem_reads_and_explains_writes(run, two, db_path,
                                                                        tmp_path):
    """A real read-only mount (in a private mount namespace): the database in WAL mode,
    without its -shm file, can still be read; a write names the read-only disk."""
    mount = tmp_path / "ro"
    mount.mkdir()
    tracker = f"{sys.executable} -m tracker --lang en --db {mount}/tracker.db"
    script = (f"mount -t tmpfs -o size=16m tmpfs {mount} && cp {db_path} {mount}/ && "
              f"mount -o remount,ro {mount} && {tracker} list --format json; echo rc=$?; "
              f"{tracker} event E1 add_note --note x; echo rc=$?")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                          text=True, env={**os.environ, "LANG": "en_US.UTF-8"}, timeout=120)
    out, err = done.stdout, done.stderr
    assert "曾国藩" in out and "rc=0" in out, (out, err)
    assert "rc=2" in out and "can only be read" in err, (out, err)
    assert "damaged" not in err and "Traceback" not in err
