"""Shared fixtures: a fresh database per test and a way to run the CLI in-process.

Both engines: a test module that sets `BOTH_ENGINES = True` runs each of its tests that
use `ctx`, `run`, `db_target` or `engine` on SQLite and on PostgreSQL (a new database per
test, cloned from a template holding the schema); a test SQLite-only by nature (PRAGMA,
file modes, backup files) carries `@pytest.mark.sqlite_only`, or names `db_path` (the
file) among its arguments. Without PostgreSQL the
PostgreSQL half is skipped with the reason (a failure under CI: tests/pg.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tracker import i18n
from tracker.cli import main
from tracker.domain import idcard
from tracker.services.context import Context
from tracker.store.db import open_database

#: The fixtures pg_server (one server per session) and pg_url (a new database per test).
pytest_plugins = ["pg"]

ENGINES = ("sqlite", "postgresql")

TODAY = date(2026, 11, 25)


def make_id(first17: str) -> str:
    """A valid ID number from 17 digits (region, birth date, sequence)."""
    return first17 + idcard.check_digit(first17)


#: Valid ID numbers for tests (Shanghai districts, fictitious people).
ID_ZHANG = make_id("31011219880512123")   # 张伟
ID_LI = make_id("31010419900101456")      # 李娜
ID_WANG = make_id("31011519851130789")    # 欧阳娜娜


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def _isolate(monkeypatch, tmp_path):
    """No test touches the user's data dir or depends on the machine's locale."""
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("TRACKER_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv("LANGUAGE", raising=False)
    i18n.set_lang("en")
    yield
    i18n.set_lang("en")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: SQLite by nature (PRAGMA, file modes, "
                            "backup files): not run on PostgreSQL")


def pytest_generate_tests(metafunc):
    """Each test of a BOTH_ENGINES module that uses the database runs on both engines."""
    if "engine" not in metafunc.fixturenames:
        return
    # A test that names `db_path` itself works on the file (sqlite3, its mode, backups).
    sqlite_only = (metafunc.definition.get_closest_marker("sqlite_only") is not None
                   or "db_path" in metafunc.definition._fixtureinfo.argnames)
    if getattr(metafunc.module, "BOTH_ENGINES", False) and not sqlite_only:
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request) -> str:
    """The engine a test runs on: sqlite, unless its module runs on both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """The name of a database holding the current schema, to clone for each test."""
    from pg import create_database, drop_database

    name = "tracker_test_template"
    drop_database(pg_server, name)
    with open_database(create_database(pg_server, name)):
        pass  # creates the schema
    return name


@pytest.fixture
def pg_db(pg_server, pg_template) -> str:
    """A new tracker database on the test server, the schema already in (a clone)."""
    import uuid

    from pg import create_database, drop_database

    name = f"e_{uuid.uuid4().hex[:12]}"
    yield create_database(pg_server, name, template=pg_template)
    drop_database(pg_server, name)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def db_target(engine, db_path, request) -> Path | str:
    """The database of the test: the file `db_path`, or a PostgreSQL URL."""
    if engine == "sqlite":
        return db_path
    return request.getfixturevalue("pg_db")


@pytest.fixture
def run(db_target, capfd):
    """run("add", "--name", …) -> Result(code, out, err), against `db_target`, today pinned."""

    def _run(*args: str, lang: str = "en", today: date | None = TODAY, db: Path | None = None
             ) -> Result:
        argv = ["--db", str(db or db_target), "--lang", lang]
        if today is not None:
            argv += ["--today", today.isoformat()]
        code = main([*argv, *args])
        captured = capfd.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def ctx(db_target):
    database = open_database(db_target)
    yield Context(db=database, today=TODAY, actor="tester", today_pinned=True)
    database.close()
