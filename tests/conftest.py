"""Shared fixtures: a fresh database per test and a way to run the CLI in-process."""
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
from tracker.store import Database

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


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def run(db_path, capfd):
    """run("add", "--name", …) -> Result(code, out, err), against `db_path`, today pinned."""

    def _run(*args: str, lang: str = "en", today: date | None = TODAY, db: Path | None = None
             ) -> Result:
        argv = ["--db", str(db or db_path), "--lang", lang]
        if today is not None:
            argv += ["--today", today.isoformat()]
        code = main([*argv, *args])
        captured = capfd.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def ctx(db_path):
    database = Database(db_path)
    yield Context(db=database, today=TODAY, actor="tester", today_pinned=True)
    database.close()
