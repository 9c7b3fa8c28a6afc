"""The same program on PostgreSQL, through the command line: `--db` / `TRACKER_DB` take a
URL, the password never on the command line, the actor is the logged-in role, and a
URL without the driver installed says what to install (docs/postgresql-design.md,
phase 2, step 7)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ID_LI, ID_ZHANG


def _without_driver(*args: str) -> subprocess.CompletedProcess:
    """The CLI in a process where `import psycopg` fails (the extra not installed)."""
    code = ("import sys; sys.modules['psycopg'] = None\n"
            "from tracker.cli import main\n"
            f"sys.exit(main({list(args)!r}))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("lang, words", [
    ("zh", "未安装 PostgreSQL 驱动"), ("en", "the PostgreSQL driver is not installed")])
def test_a_url_without_the_driver_names_the_extra_to_install(lang, words):
    done = _without_driver("--lang", lang, "--db", "postgresql://hr@db.example/tracker",
                           "list")
    assert done.returncode == 2
    assert words in done.stderr
    assert "pip install 'grade2-tracker[postgres]'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("lang, words", [("zh", "请不要在命令行中写入密码"),
                                         ("en", "do not put the password on the command")])
def test_a_password_on_the_command_line_is_refused_and_never_shown(run, lang, words):
    result = run("--db", "postgresql://hr:s3cret@db.example/tracker", "list", lang=lang)
    assert result.code == 2
    assert words in result.err
    assert "s3cret" not in result.err + result.out


def test_the_cli_runs_on_a_url_and_the_actor_is_the_logged_in_role(run, pg_url):
    added = run("--db", pg_url, "add", "--name", "张伟", "--id-number", ID_ZHANG,
                "--employee-no", "E1", "--company", "一公司")
    assert added.code == 0, added.err
    assert run("--db", pg_url, "event", "E1", "open_review", "--set",
               "review_deadline=2026-12-10").code == 0
    history = run("--db", pg_url, "history", "E1", "--format", "json")
    assert history.code == 0, history.err
    assert {row["actor"] for row in history.json()} == {"tracker_ci"}
    assert [row["to_state"] for row in history.json()] == ["exam_passed", "review_pending"]


def test_tracker_db_may_be_a_url(run, pg_url, monkeypatch, capfd):
    from tracker.cli import main

    monkeypatch.setenv("TRACKER_DB", pg_url)
    assert main(["--today", "2026-11-25", "add", "--name", "李娜", "--id-number", ID_LI,
                 "--employee-no", "E2"]) == 0
    capfd.readouterr()
    assert main(["list", "--format", "json"]) == 0
    assert [row["name"] for row in __import__("json").loads(capfd.readouterr().out)] == ["李娜"]


# --------------------------------------------------------------------------- companies

from test_postgres import COMPANY_A, COMPANY_B, group  # noqa: E402,F401 (the fixture)


def test_an_officer_cannot_list_show_or_export_another_companys_cases(group, run,  # noqa: F811
                                                                      pg_url_as):
    """Through the program as officer 曾丽 (company A): B's staff are not there at all —
    the server filters every read, whatever the program asks."""
    everyone = run("--db", group, "list", "--format", "json")
    assert everyone.code == 0, everyone.err
    b_cases = {r["case_id"] for r in everyone.json() if r["company"] == COMPANY_B}
    assert len(b_cases) == 2
    zeng = pg_url_as(group, "曾丽")
    listed = run("--db", zeng, "list", "--format", "json")
    assert listed.code == 0, listed.err
    assert {r["company"] for r in listed.json()} == {COMPANY_A}
    for case_id in b_cases:
        shown = run("--db", zeng, "show", str(case_id))
        assert shown.code == 2 and "欧阳娜娜" not in shown.out + shown.err
        sheet = run("--db", zeng, "export", str(case_id), "--format", "json", "-o", "-")
        assert sheet.code == 2 and "欧阳娜娜" not in sheet.out
    register = run("--db", zeng, "export-all", "--format", "json", "-o", "-")
    assert register.code == 0, register.err
    assert {r["name"] for r in register.json()} == {"张伟", "李娜"}
    audit = run("--db", zeng, "history", "--all", "--format", "json")
    assert audit.code == 0, audit.err
    assert {r["name"] for r in audit.json()} == {"张伟", "李娜"}
    # The manager sees every company.
    manager = run("--db", pg_url_as(group, "解明"), "list", "--format", "json")
    assert {r["company"] for r in manager.json()} == {COMPANY_A, COMPANY_B}


def test_an_officer_cannot_fire_events_on_another_companys_case(group, run, pg_url_as):  # noqa: F811
    b_case = next(r["case_id"] for r in run("--db", group, "list", "--format", "json").json()
                  if r["company"] == COMPANY_B)
    fired = run("--db", pg_url_as(group, "曾丽"), "event", str(b_case), "open_review",
                "--set", "review_deadline=2026-12-10")
    assert fired.code == 2
    owner_view = run("--db", group, "history", str(b_case), "--format", "json").json()
    assert [h["event"] for h in owner_view] == ["create"]


# --------------------------------------------------------------------------- backups


def test_backup_is_pg_dump_custom_format_and_restore_is_left_to_the_administrator(
        run, pg_url, tmp_path):
    import shutil

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    assert run("--db", pg_url, "add", "--name", "张伟", "--id-number", ID_ZHANG).code == 0
    target = tmp_path / "group.dump"
    done = run("--db", pg_url, "backup", str(target))
    assert done.code == 0, done.err
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert (target.stat().st_mode & 0o077) == 0
    listed = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True,
                            text=True, timeout=60)
    assert "TABLE DATA public history" in listed.stdout
    again = run("--db", pg_url, "backup", str(target))
    assert again.code == 2 and "--force" in again.err  # never over a file unasked
    target.write_bytes(b"old")
    forced = run("--db", pg_url, "backup", str(target), "--force")
    assert forced.code == 0 and target.read_bytes()[:5] == b"PGDMP", forced.err
    assert (target.stat().st_mode & 0o077) == 0
    for lang, words in (("zh", "pg_restore"), ("en", "replace every officer's data")):
        refused = run("--db", pg_url, "restore", str(target), lang=lang)
        assert refused.code == 2 and words in refused.err


def test_without_pg_dump_the_backup_names_the_server_s_own(run, pg_url, tmp_path,
                                                           monkeypatch):
    from tracker.store.postgres import backup as server_backup

    monkeypatch.setattr(server_backup, "pg_dump", lambda: None)
    for lang, words in (("zh", "服务器自身的备份"), ("en", "the server's own backups")):
        refused = run("--db", pg_url, "backup", str(tmp_path / "x.dump"), lang=lang)
        assert refused.code == 2 and words in refused.err
    assert not (tmp_path / "x.dump").exists()


def test_an_import_on_postgresql_writes_history_json_as_sqlite_does(run, pg_url, db_path,
                                                                    tmp_path):
    """COPY into the staging table; the history JSON built in Python is byte for byte
    what SQLite's json_object writes (the hash chain hashes these bytes)."""
    import sqlite3

    staff = tmp_path / "staff.csv"
    staff.write_text("工号,姓名,身份证号,部门,手机,专业,考试合格日期\n"
                     f"E1,张伟,{ID_ZHANG},项目一部,13800000000,建筑工程,2026-05-29\n"
                     f"E2,李娜,{ID_LI},项目二部,,市政公用工程,\n", encoding="utf-8")
    assert run("--db", pg_url, "import", str(staff)).code == 0
    assert run("import", str(staff)).code == 0
    on_sqlite = [r[0] for r in sqlite3.connect(db_path).execute(
        "SELECT data FROM history ORDER BY case_id")]
    import psycopg

    with psycopg.connect(pg_url) as conn:
        on_server = [r[0] for r in conn.execute("SELECT data FROM history ORDER BY case_id")]
        assert conn.execute("SELECT count(*) FROM persons").fetchone()[0] == 2
    assert on_server == on_sqlite and len(on_server) == 2
    # The identities moved past the explicit ids: the next add gets a fresh id.
    assert run("--db", pg_url, "add", "--name", "欧阳娜娜", "--id-number",
               __import__("conftest").ID_WANG).code == 0


def test_an_import_killed_mid_transaction_leaves_postgresql_as_before(pg_url, run, tmp_path):
    """SIGKILL while the import writes (its COPY and INSERTs inside the one transaction):
    the server rolls the transaction back when the connection drops."""
    import psycopg
    from reliability_support import kill, staff_csv, tracker_process, wait_for

    assert run("--db", pg_url, "add", "--name", "张伟", "--id-number", ID_ZHANG).code == 0
    staff = staff_csv(tmp_path / "staff.csv", 20_000)

    def counts() -> tuple[int, int, int]:
        with psycopg.connect(pg_url) as conn:
            return conn.execute("SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM"
                                " cases), (SELECT count(*) FROM history)").fetchone()

    def writing() -> bool:  # the import holds its lock on persons and cases
        with psycopg.connect(pg_url) as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " WHERE c.relname = 'persons' AND l.mode = 'ShareRowExclusiveLock'"
                " AND l.granted").fetchone()[0] > 0

    before = counts()
    process = tracker_process(pg_url, "import", str(staff))
    wait_for(writing, process, "the import took its lock", step=0.05)
    kill(process)
    assert counts() == before == (1, 1, 1)
    done = run("--db", pg_url, "import", str(staff))
    assert done.code == 0, done.err
    assert counts() == (20_001, 20_001, 20_001)


# --------------------------------------------------------------------------- live refresh


def test_another_officers_event_reaches_the_dashboard_by_notify(pg_url):
    """The dashboard polls data_version(); on PostgreSQL it counts the NOTIFYs of the
    history trigger on a listening session (no query per poll)."""
    import time
    from datetime import date

    from tracker.services import cases as service
    from tracker.services.context import Context
    from tracker.store.db import open_database

    with open_database(pg_url) as watching, open_database(pg_url) as writing:
        from urllib.parse import urlsplit

        assert watching.path.name == urlsplit(pg_url).path[1:]  # the dashboard's title
        first = watching.data_version()
        assert watching.data_version() == first  # nothing happened
        ctx = Context(db=writing, today=date(2026, 11, 25))
        service.add_case(ctx, name="张伟", id_number=ID_ZHANG)
        for _ in range(200):  # delivery is asynchronous: wait for it, bounded
            if watching.data_version() != first:
                break
            time.sleep(0.05)
        assert watching.data_version() != first


def test_admin_takes_the_database_of_db_when_url_is_not_given(run, pg_url):
    assert run("--db", pg_url, "admin", "init").code == 0
    added = run("--db", pg_url, "admin", "officer", "add", "曾丽", "--company", "一公司")
    assert added.code == 0, added.err
