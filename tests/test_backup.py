"""Backups: the automatic snapshot before imports and bulk events, `tracker backup`,
`tracker restore` (checked first, the replaced database kept), and their refusals."""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat

import pytest

from tracker.services import backup as service
from tracker.services.context import Context
from tracker.store import SCHEMA_VERSION, Database
from tracker.store import backup as store_backup
from tracker.store.schema import migrate

from .conftest import ID_LI, ID_WANG, ID_ZHANG, TODAY
from .reliability_support import digest, integrity, staff_csv


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def snapshots(db_path, reason: str | None = None):
    return [s.path for s in service.snapshots(db_path) if reason in (None, s.reason)]


@pytest.fixture
def two(run):
    for name, number, no in (("张伟", ID_ZHANG, "E1"), ("李娜", ID_LI, "E2")):
        assert run("add", "--name", name, "--id-number", number, "--employee-no", no).code == 0


# --------------------------------------------------------------------------- automatic


def test_an_import_is_preceded_by_a_snapshot_of_the_database_as_it_was(run, two, db_path,
                                                                       tmp_path):
    before = digest(db_path)
    result = run("import", str(staff_csv(tmp_path / "staff.csv", 5)))
    assert result.code == 0, result.err
    [snapshot] = snapshots(db_path, "import")
    assert snapshot.parent == tmp_path / "backups"
    assert digest(snapshot) == before and integrity(snapshot) == ["ok"]
    assert mode(snapshot) == 0o600 and mode(snapshot.parent) == 0o700
    # One self-contained file: no WAL to carry along.
    assert snapshot.read_bytes()[18:20] == b"\x01\x01"


def test_a_bulk_event_is_preceded_by_a_snapshot(run, two, db_path):
    before = digest(db_path)
    result = run("bulk", "open_review", "--state", "exam_passed",
                 "--set", "review_deadline=2026-12-20")
    assert result.code == 0, result.err
    [snapshot] = snapshots(db_path, "bulk")
    assert digest(snapshot) == before and digest(db_path) != before


def test_no_snapshot_when_nothing_can_change(run, two, db_path, tmp_path):
    staff = staff_csv(tmp_path / "staff.csv", 5)
    assert run("import", str(staff), "--dry-run").code == 0
    assert run("import", str(tmp_path / "missing.csv")).code == 2
    assert run("bulk", "open_review", "--state", "exam_passed", "--dry-run",
               "--set", "review_deadline=2026-12-20").code == 0
    assert run("bulk", "open_review", "--state", "registered").code == 0  # no case there
    assert snapshots(db_path) == []


def test_only_the_newest_automatic_snapshots_are_kept(run, two, db_path, tmp_path):
    (db_path.parent / "rules.toml").write_text("backups_keep = 3\n", encoding="utf-8")
    assert run("backup").code == 0
    digests = []
    for round_ in range(5):  # five imports that each add people: five distinct ways back
        digests.append(digest(db_path))
        staff = staff_csv(tmp_path / f"staff{round_}.csv", 3, start=3 * round_)
        assert run("import", str(staff)).code == 0
    kept = snapshots(db_path, "import")
    assert len(kept) == 3
    assert [digest(p) for p in kept] == digests[-3:]  # the newest three, oldest first
    assert len(snapshots(db_path, "manual")) == 1     # a manual backup is never pruned
    listed = run("backup", "--list", lang="zh")
    assert listed.code == 0 and "导入前自动备份" in listed.out and "手动备份" in listed.out
    assert "3" in listed.out


def test_the_number_kept_is_a_checked_rule(run, two, db_path):
    (db_path.parent / "rules.toml").write_text("backups_keep = 0\n", encoding="utf-8")
    result = run("rules")
    assert result.code == 2 and "backups_keep" in result.err
    (db_path.parent / "rules.toml").write_text("backups_keep = 2\n", encoding="utf-8")
    assert run("rules", "--format", "json").json()["rules"]["backups_keep"] == 2


@pytest.mark.parametrize("lang, words", [("en", "nothing was changed"), ("zh", "未作修改")])
def test_no_snapshot_no_import(run, two, db_path, tmp_path, lang, words):
    """When the snapshot cannot be written, the import is not started (exit code 2)."""
    (tmp_path / "backups").write_text("a file where the folder should be")
    before = digest(db_path)
    result = run("import", str(staff_csv(tmp_path / "staff.csv", 5)), lang=lang)
    assert result.code == 2 and words in result.err and "Traceback" not in result.err
    assert digest(db_path) == before


def test_a_disk_full_while_writing_the_snapshot_refuses_the_bulk_event(run, two, db_path,
                                                                       monkeypatch):
    def disk_full(partial, target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(partial))

    monkeypatch.setattr(store_backup, "_finish", disk_full)
    before = digest(db_path)
    result = run("bulk", "open_review", "--state", "exam_passed",
                 "--set", "review_deadline=2026-12-20", lang="zh")
    assert result.code == 2 and "自动备份" in result.err and "未作修改" in result.err
    assert digest(db_path) == before
    assert list((db_path.parent / "backups").iterdir()) == []  # the half-file is gone


def test_a_half_written_snapshot_of_a_killed_process_is_cleaned_up(run, two, db_path,
                                                                   tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    dead = 2 ** 22 + 12345  # above any pid_max: no such process
    leftover = folder / f"tracker.20260101T000000.000000.import.db.{dead}.partial"
    leftover.write_bytes(b"half a database")
    assert run("import", str(staff_csv(tmp_path / "staff.csv", 2))).code == 0
    assert not leftover.exists()
    assert len(snapshots(db_path, "import")) == 1


# --------------------------------------------------------------------------- backup


def test_backup_to_a_file_and_to_the_folder(run, two, db_path, tmp_path):
    target = tmp_path / "copies" / "tracker-copy.db"
    result = run("backup", str(target))
    assert result.code == 0 and str(target) in result.out
    assert digest(target) == digest(db_path) and mode(target) == 0o600
    again = run("backup", str(target), lang="zh")
    assert again.code == 2 and "未覆盖" in again.err and "--force" in again.err
    assert run("backup", str(tmp_path / "copies")).code == 0  # a folder: a named file in it
    assert len(list((tmp_path / "copies").glob("tracker.*.manual.db"))) == 1
    assert run("backup").code == 0
    [manual] = snapshots(db_path, "manual")
    assert digest(manual) == digest(db_path) and mode(manual) == 0o600


def test_backup_while_a_write_transaction_is_open_copies_the_last_commit(run, two, db_path,
                                                                         tmp_path):
    committed = digest(db_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE persons SET name = 'half-done'")
    target = tmp_path / "copy.db"
    assert run("backup", str(target)).code == 0
    writer.execute("ROLLBACK")
    writer.close()
    assert digest(target) == committed


# --------------------------------------------------------------------------- restore


@pytest.fixture
def saved(run, two, db_path, tmp_path):
    """A backup of the two-case database, then a third case added after it."""
    path = tmp_path / "saved.db"
    assert run("backup", str(path)).code == 0
    assert run("add", "--name", "欧阳娜娜", "--id-number", ID_WANG).code == 0
    return path


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(run, saved, db_path):
    replaced = digest(db_path)
    result = run("restore", str(saved), lang="zh")
    assert result.code == 0, result.err
    assert "2 个案件" in result.out and "被替换的数据库已保存为" in result.out
    assert digest(db_path) == digest(saved)
    [kept] = snapshots(db_path, "restore")
    assert digest(kept) == replaced and mode(kept) == 0o600
    assert mode(db_path) == 0o600 and integrity(db_path) == ["ok"]
    assert [r["name"] for r in run("list", "--format", "json").json()] == ["张伟", "李娜"]
    # The tracker goes on from there.
    assert run("add", "--name", "欧阳娜娜", "--id-number", ID_WANG).code == 0


def test_restore_under_an_open_connection(saved, db_path, run):
    """The dashboard may hold the database open: it sees the restored content next read."""
    database = Database(db_path)
    assert database.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 3
    assert run("restore", str(saved)).code == 0
    assert database.conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 2
    assert database.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    database.close()


def corrupt_page(path) -> None:
    """Overwrite a b-tree page in the middle of a database file with garbage (SQLite
    then says "database disk image is malformed")."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    data[page * 2:page * 3] = os.urandom(page)
    path.write_bytes(bytes(data))


def corrupt_index(path) -> None:
    """Change a name inside the index of names only: every page stays well-formed, but
    the index no longer matches the table (`PRAGMA integrity_check` lists the rows)."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'persons_name'"
                        ).fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page
    at = data.index("李娜".encode(), start, start + page)
    data[at:at + 6] = "李四".encode()
    path.write_bytes(bytes(data))


def refused(run, db_path, source, lang):
    before_db, before_file = digest(db_path), source.read_bytes()
    result = run("restore", str(source), lang=lang)
    assert result.code == 2 and "Traceback" not in result.err
    assert digest(db_path) == before_db            # the database: untouched
    assert source.read_bytes() == before_file      # the file given: untouched
    assert sorted(p.name for p in source.parent.iterdir()
                  if p.name.startswith(source.name)) == [source.name]  # no side files
    assert snapshots(db_path) == []                # nothing replaced, nothing kept
    return result.err


@pytest.mark.parametrize("lang, damage", [("en", corrupt_page), ("zh", corrupt_page),
                                         ("en", corrupt_index)])
def test_restore_refuses_a_damaged_backup(run, saved, db_path, lang, damage):
    damage(saved)
    err = refused(run, db_path, saved, lang)
    assert ("integrity check" in err) if lang == "en" else ("完整性检查" in err)
    if damage is corrupt_index:
        assert "persons_name" in err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_restore_refuses_a_backup_from_a_newer_tracker(run, saved, db_path, lang):
    conn = sqlite3.connect(saved)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    err = refused(run, db_path, saved, lang)
    assert f"{SCHEMA_VERSION + 1}" in err
    assert ("newer tracker" in err) if lang == "en" else ("更新版本" in err)


def test_restore_refuses_what_is_not_a_tracker_database(run, saved, db_path, tmp_path):
    text = tmp_path / "staff.csv"
    text.write_text("姓名,身份证号\n张伟,1\n", encoding="utf-8")
    assert "not a database" in refused(run, db_path, text, "en")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    assert "not a complete tracker database" in refused(run, db_path, other, "en")
    # A copy whose history could be rewritten (the append-only triggers removed).
    conn = sqlite3.connect(saved)
    conn.execute("DROP TRIGGER history_no_delete")
    conn.close()
    assert "history_no_delete" in refused(run, db_path, saved, "en")
    missing = run("restore", str(tmp_path / "nowhere.db"), lang="zh")
    assert missing.code == 2 and "找不到备份文件" in missing.err


def test_restore_over_a_damaged_database_keeps_its_bytes(run, saved, db_path):
    db_path.write_bytes(b"\x00garbage" * 1000)
    damaged = db_path.read_bytes()
    assert run("list").code == 2  # the tracker cannot open it
    result = run("restore", str(saved))
    assert result.code == 0 and "damaged" in result.out, result.err
    assert digest(db_path) == digest(saved)
    [kept] = snapshots(db_path, "damaged")
    assert kept.read_bytes() == damaged and mode(kept) == 0o600
    assert run("list", "--format", "json").code == 0


def test_a_restore_killed_half_way_leaves_nothing_behind_at_the_next(run, saved, db_path):
    dead = 2 ** 22 + 54321  # above any pid_max: no such process
    left = [db_path.with_name(f".tracker.db.restore.{dead}{s}") for s in ("", "-wal")]
    for path in left:
        path.write_bytes(b"a copy being checked when the power went")
    assert run("restore", str(saved)).code == 0
    assert not any(path.exists() for path in left)
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(".")) == []


def test_restore_where_there_is_no_database(run, saved, tmp_path):
    target = tmp_path / "new" / "tracker.db"
    result = run("restore", str(saved), db=target)
    assert result.code == 0, result.err
    assert digest(target) == digest(saved) and mode(target) == 0o600
    assert service.snapshots(target) == []


def test_restore_of_a_live_copy_with_its_wal(run, two, db_path, tmp_path):
    """A copy of tracker.db taken with its -wal (changes not yet checkpointed) restores
    with those changes."""
    database = Database(db_path)
    from tracker.services import cases as cases_service

    cases_service.add_case(Context(db=database, today=TODAY), name="欧阳娜娜",
                           id_number=ID_WANG)
    copy = tmp_path / "copy" / "tracker.db"
    copy.parent.mkdir()
    shutil.copy(db_path, copy)
    shutil.copy(f"{db_path}-wal", f"{copy}-wal")
    database.close()
    other = tmp_path / "other.db"
    assert run("restore", str(copy), db=other).code == 0
    assert len(run("list", "--format", "json", db=other).json()) == 3


def test_restore_of_an_older_backup_migrates_it(run, db_path, tmp_path):
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("BEGIN")
    migrate(conn, 0, 1)
    conn.execute("INSERT INTO persons (id, id_number, name, created_at, updated_at)"
                 " VALUES (1, ?, '张伟', 't', 't')", [ID_ZHANG])
    conn.execute("INSERT INTO cases (id, person_id, state, created_at, updated_at)"
                 " VALUES (1, 1, 'exam_passed', 't', 't')")
    conn.execute("INSERT INTO history (case_id, at, actor, event, to_state)"
                 " VALUES (1, 't', 'hr', 'create', 'exam_passed')")
    conn.execute("COMMIT")
    conn.close()
    result = run("restore", str(old))
    assert result.code == 0 and "upgraded" in result.out, result.err
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert run("show", "1", "--format", "json").json()["name"] == "张伟"


# --------------------------------------------------------------------------- the dashboard


def test_the_dashboard_takes_the_same_snapshots(run, two, db_path, tmp_path):
    """Import and bulk from the dashboard go through its backend: snapshots there too, and
    its errors sheet is private."""
    from tracker.services import cases as cases_service
    from tracker.tui.backend import Backend

    backend = Backend(Context(db=Database(db_path), today=TODAY, actor="hr"))
    try:
        before = digest(db_path)
        report = backend.run_import(str(staff_csv(tmp_path / "staff.csv", 3)), dry_run=False)
        assert report.inserted == 3
        [imported] = snapshots(db_path, "import")
        assert digest(imported) == before
        backend.run_import(str(tmp_path / "staff.csv"), dry_run=True)
        assert len(snapshots(db_path)) == 1
        before = digest(db_path)
        ids = [cases_service.resolve_case(backend.ctx, "E1")]
        backend.bulk(ids, "open_review", {"review_deadline": "2026-12-20"}, None)
        [bulk] = snapshots(db_path, "bulk")
        assert digest(bulk) == before
        bad = tmp_path / "bad.csv"
        bad.write_text("姓名,身份证号\n王五,123\n", encoding="utf-8")
        report = backend.run_import(str(bad), dry_run=True)
        sheet = tmp_path / "errors.csv"
        assert backend.write_errors_sheet(report, sheet, "zh") == 1
        assert mode(sheet) == 0o600
    finally:
        backend.ctx.db.close()
