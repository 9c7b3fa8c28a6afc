"""Every file we write, asked before it is overwritten (issue 17, class 2).

Each command that writes a file the user names — a status sheet, the register, the
diagram, the reminder calendar, staff messages, the import's errors list, a backup —
refuses an existing file (exit code 2, the file named, `--force` named), before it
writes anything or changes the database; `--force` replaces a regular file of the
user's, never follows a link, never writes into a device. (Modes from the first byte
and the import's own output checks: test_security.py, test_import_trust.py.)
"""
from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest

from tracker import files
from tracker.errors import TrackerError

from .conftest import make_id

TODAY = date(2026, 6, 2)
#: Polyphonic surnames (曾 zēng, 单 shàn, 解 xiè, 仇 qiú).
NAMES = ["曾志伟", "单雄信", "解缙", "仇英"]


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def office(run, tmp_path):
    """Four people in review after a review notice, and a staff list with one bad row."""
    for index, name in enumerate(NAMES, start=1):
        number = make_id(f"3101151989{index:02d}{index:02d}{index:03d}")
        result = run("add", "--name", name, "--id-number", number, "--employee-no",
                     f"E{index:03d}", "--exam-year", "2025", "--phone", f"1380000{index:04d}",
                     "--contact-confirmed-on", "2026-05-01", today=date(2026, 5, 20))
        assert result.code == 0, result.err
    result = run("notice", "add", "--kind", "review", "--exam-year", "2025", "--deadline",
                 "2026-06-15", "--title", "复核通知", today=date(2026, 6, 1))
    assert result.code == 0, result.err
    staff = tmp_path / "staff.csv"
    staff.write_text("姓名,身份证号\n仇英英," + make_id("31011519900305123") + "\n解放,123\n",
                     encoding="utf-8")
    return staff


#: Each writing command, with {out} where its target goes.
WRITERS = {
    "export": ("export", "E001", "--format", "md", "--full-id", "-o", "{out}"),
    "export-all": ("export-all", "--format", "csv", "--full-id", "-o", "{out}"),
    "export-all xlsx": ("export-all", "--format", "xlsx", "-o", "{out}"),
    "diagram": ("diagram", "-o", "{out}"),
    "remind ics": ("remind", "--format", "ics", "-o", "{out}"),
    "remind table": ("remind", "-o", "{out}"),
    "notice message": ("notice", "message", "1", "-o", "{out}"),
    "import --errors": ("import", "{staff}", "--errors", "{out}"),
    "backup": ("backup", "{out}"),
}


def args_of(writer: str, out: Path, staff: Path, *extra: str) -> list[str]:
    return [a.format(out=out, staff=staff) for a in WRITERS[writer]] + list(extra)


def database_state(db_path: Path) -> tuple:
    """What a refused command must leave as it was: people, cases, history, "told on"."""
    with sqlite3.connect(db_path) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("persons", "cases", "history", "staff_notified"))


@pytest.mark.parametrize("lang, words", [("zh", "未覆盖"), ("en", "not replaced")])
@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_refuses_an_existing_file_and_force_replaces_it(
        run, office, db_path, tmp_path, writer, lang, words):
    out = tmp_path / "目标 out.file"
    out.write_text("kept", encoding="utf-8")
    before = database_state(db_path)
    refused = run(*args_of(writer, out, office), lang=lang, today=TODAY)
    assert refused.code == 2, refused.out + refused.err
    assert words in refused.err and "--force" in refused.err and str(out) in refused.err
    assert "Traceback" not in refused.err
    assert out.read_text(encoding="utf-8") == "kept"
    # Checked before anything was imported, recorded ("told on today") or snapshotted.
    assert database_state(db_path) == before
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []
    replaced = run(*args_of(writer, out, office, "--force"), lang=lang, today=TODAY)
    assert replaced.code in (0, 1), replaced.out + replaced.err  # 1: import with a bad row
    assert out.read_bytes() != b"kept" and mode(out) == 0o600


@pytest.mark.parametrize("writer", WRITERS)
def test_a_link_is_never_followed(run, office, tmp_path, writer):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's", encoding="utf-8")
    link = tmp_path / "link.out"
    link.symlink_to(victim)
    refused = run(*args_of(writer, link, office), today=TODAY)
    assert refused.code == 2 and "--force" in refused.err
    assert link.is_symlink()
    run(*args_of(writer, link, office, "--force"), today=TODAY)
    # --force replaces the link itself: what it pointed to is untouched.
    assert victim.read_text(encoding="utf-8") == "someone else's"
    assert not link.is_symlink() and mode(link) == 0o600


def test_a_dangling_link_is_an_existing_name_not_a_way_out(run, office, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "planted.csv"
    link = tmp_path / "register.csv"
    link.symlink_to(elsewhere)
    refused = run("export-all", "--format", "csv", "-o", str(link))
    assert refused.code == 2 and "--force" in refused.err
    assert not elsewhere.exists() and link.is_symlink()


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
@pytest.mark.parametrize("writer", WRITERS)
def test_a_device_is_refused_even_with_force(run, office, db_path, writer):
    before = database_state(db_path)
    refused = run(*args_of(writer, Path("/dev/null"), office, "--force"), today=TODAY)
    assert refused.code == 2, refused.out + refused.err
    assert "/dev/null" in refused.err and "Traceback" not in refused.err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # still the device, not a file
    assert database_state(db_path) == before


@pytest.fixture
def open_umask():
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.mark.parametrize("args", [("export-all", "--format", "csv"),
                                  ("export-all", "--format", "xlsx"),
                                  ("export", "E001", "--format", "html")])
def test_full_ids_forced_over_a_world_readable_file_end_private(run, office, tmp_path,
                                                                open_umask, args):
    out = tmp_path / "open.out"
    out.write_text("anyone may read this", encoding="utf-8")
    os.chmod(out, 0o666)
    result = run(*args, "--full-id", "--force", "-o", str(out), today=TODAY)
    assert result.code == 0, result.err
    assert mode(out) == 0o600
    assert b"anyone may read this" not in out.read_bytes()


def test_another_users_file_is_not_replaced_even_with_force(run, office, tmp_path,
                                                            monkeypatch):
    if not hasattr(os, "getuid"):
        pytest.skip("ownership is the ACL's business on Windows")
    out = tmp_path / "theirs.csv"
    out.write_text("theirs", encoding="utf-8")
    mine = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: mine + 1)  # the file is now someone else's
    refused = run("export-all", "--format", "csv", "--force", "-o", str(out), lang="zh")
    assert refused.code == 2 and "另一个用户" in refused.err
    assert out.read_text(encoding="utf-8") == "theirs"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_part_file_is_left_when_writing_fails(run, office, tmp_path, monkeypatch, fmt):
    from tracker.services import export, xlsx

    def failing(*args, **kwargs):
        raise OSError(28, "No space left on device")

    copy = xlsx.shutil.copyfileobj

    def failing_rows(source, target, *args):  # the rows into the workbook, not before
        if str(getattr(source, "name", "")).endswith("rows.xml"):
            failing()
        return copy(source, target, *args)

    # Both fail half-way through the file: the temporary file exists by then.
    monkeypatch.setattr(export, "write_csv", failing)
    monkeypatch.setattr(xlsx.shutil, "copyfileobj", failing_rows)
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("export-all", "--format", fmt, "-o", str(folder / f"register.{fmt}"))
    assert result.code != 0 and "Traceback" not in result.err, result.err
    assert list(folder.iterdir()) == [], result.out + result.err


def test_a_name_taken_while_the_file_is_written_is_not_overwritten(tmp_path):
    target = tmp_path / "名单.csv"
    with pytest.raises(TrackerError) as refused, \
            files.private_file(target, replace=False) as handle:
        handle.write("ours")
        target.write_text("theirs, written meanwhile", encoding="utf-8")
    assert refused.value.key == "output_exists"
    assert target.read_text(encoding="utf-8") == "theirs, written meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["名单.csv"]


def test_the_crash_log_is_private(run, monkeypatch, open_umask):
    from tracker import locations
    from tracker.services import cases

    def bug(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cases, "add_case", bug)
    result = run("add", "--name", "曾志伟", "--id-number", make_id("31011519890101001"))
    assert result.code == 3 and "Traceback" not in result.err
    log = locations.crash_log()
    assert "RuntimeError: a bug" in log.read_text(encoding="utf-8")
    assert mode(log) == 0o600
