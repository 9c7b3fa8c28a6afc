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
