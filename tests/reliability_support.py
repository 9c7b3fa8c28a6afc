"""Tools for the reliability tests: content digests, big staff lists, subprocesses, probes."""
from __future__ import annotations

import csv
import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from tracker.domain.idcard import check_digit
from tracker.services.cases import replay_state

HEADER = ["工号", "姓名", "身份证号", "部门", "手机", "专业", "考试合格日期"]
ROOT = Path(__file__).resolve().parents[1]


def staff_csv(path: Path, count: int, start: int = 0) -> Path:
    """`count` valid, fictitious staff rows (person `start` … `start + count - 1`).

    Fast (~0.5 s per 100,000 rows): the 17-digit stem changes only in its last three
    digits within a day, so the day's prefix is formatted once.
    """
    base = date(1950, 1, 1).toordinal()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        prefix, day = "", -1
        for i in range(start, start + count):
            if i // 1000 != day:
                day = i // 1000
                prefix = f"310112{date.fromordinal(base + day):%Y%m%d}"
            first = f"{prefix}{i % 1000:03d}"
            writer.writerow([f"E{i:06d}", "张伟", first + check_digit(first), "工程部",
                             f"138{i:08d}", "建筑工程", "2026-07-26"])
    return path


def digest(db_path: Path) -> str:
    """SHA-256 of everything the database holds: schema (tables, indexes, triggers,
    views), user_version, and every row of every table, in a canonical order."""
    conn = sqlite3.connect(db_path)
    try:
        hasher = hashlib.sha256()
        hasher.update(repr(conn.execute("PRAGMA user_version").fetchone()).encode())
        schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"
                              " ORDER BY type, name").fetchall()
        hasher.update(repr(schema).encode())
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type ="
                                      " 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                                      ).fetchall():
            hasher.update(name.encode())
            if "WITHOUT ROWID" in sql.upper():
                rows = sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr)
            else:
                rows = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
            hasher.update(repr(list(rows)).encode())
        return hasher.hexdigest()
    finally:
        conn.close()


def integrity(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def count(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def replay_mismatches(db_path: Path) -> list[int]:
    """Cases whose state is not the replay of their history (should be none)."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        rows: dict[int, list[dict]] = defaultdict(list)
        for row in conn.execute("SELECT id, case_id, from_state, to_state FROM history"
                                " ORDER BY case_id, id"):
            rows[row["case_id"]].append(dict(row))
        wrong = []
        for case_id, state in conn.execute("SELECT id, state FROM cases"):
            try:
                if replay_state(rows.get(case_id, [])) != state:
                    wrong.append(case_id)
            except ValueError:
                wrong.append(case_id)
        return wrong
    finally:
        conn.close()


def tracker_process(db_path: Path, *args: str, stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE) -> subprocess.Popen:
    """`python -m tracker --db DB ARGS…` as a separate process (English messages)."""
    env = {**os.environ, "LANG": "en_US.UTF-8", "PYTHONPATH": str(ROOT)}
    env.pop("LC_ALL", None)
    return subprocess.Popen([sys.executable, "-m", "tracker", "--db", str(db_path),
                             "--today", "2026-11-25", *args],
                            stdout=stdout, stderr=stderr, env=env, cwd=ROOT)


def write_lock_held(db_path: Path) -> bool:
    """True when another connection holds the database's write lock (is inside a write
    transaction). The probe takes the lock itself for an instant when it is free."""
    conn = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        return "locked" in str(error) or "busy" in str(error)
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def wal_size(db_path: Path) -> int:
    try:
        return os.path.getsize(f"{db_path}-wal")
    except FileNotFoundError:
        return 0


def wait_for(condition, process: subprocess.Popen, what: str, limit: float = 120.0,
             step: float = 0.005) -> None:
    """Poll `condition()` until true; fail if the process ends first (it was too quick
    to be caught in the middle: the test would prove nothing)."""
    deadline = time.monotonic() + limit
    while not condition():
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise AssertionError(f"the process ended (code {process.returncode}) before "
                                 f"{what}: {err}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(step)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL: no signal handler, no `finally`, no ROLLBACK: the process just stops."""
    assert process.poll() is None, "already finished: nothing was interrupted"
    process.kill()
    process.wait(timeout=30)
    assert process.returncode == -9


class RecordingConnection(sqlite3.Connection):
    """A connection that keeps the text of every statement it is given (the SQL as
    written, before any parameter is bound)."""

    statements: list[str] = []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return super().execute(sql, *args)

    def executemany(self, sql, *args):
        self.statements.append(sql)
        return super().executemany(sql, *args)

    def executescript(self, sql):
        self.statements.append(sql)
        return super().executescript(sql)


def record_sql(monkeypatch) -> list[str]:
    """Every statement the tracker's own connections (`tracker.store.db.Database`) run
    from now on, for this test."""
    from tracker.store import db as store_db

    statements: list[str] = []
    recording = type("Recording", (RecordingConnection,), {"statements": statements})
    real_connect = sqlite3.connect

    def connect(database, *args, **kwargs):
        if kwargs.get("check_same_thread") is False:  # the Database's connection
            kwargs["factory"] = recording
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(store_db.sqlite3, "connect", connect)
    return statements
