"""Three processes at once: an import, a bulk event and a reader (`tracker list` and the
dashboard's backend). All succeed, nobody sees "database is locked", no update is lost.

The bulk event starts while the import holds the write lock (observed from outside), so
its BEGIN IMMEDIATE must wait for the import's commit: busy_timeout and the retry with
backoff in `Database.transaction` are what make it wait instead of failing. Readers
never wait (WAL: a read that may not wait at all still succeeds while the import
writes), and see the import all or nothing.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

from tracker.services import importer
from tracker.services.context import Context
from tracker.store import Database
from tracker.store.db import open_database

from .conftest import TODAY
from .reliability_support import (
    ROOT,
    count,
    integrity,
    replay_mismatches,
    staff_csv,
    tracker_process,
    wait_for,
    write_lock_held,
)

SEEDED, IMPORTED = 3_000, 50_000

READER = textwrap.dedent("""
    import contextlib, io, json, os, sys
    from datetime import date
    from tracker.cli import main
    from tracker.services.context import Context
    from tracker.store.db import open_database
    from tracker.tui.backend import Backend, Filters

    db, stop, report = sys.argv[1:4]  # a file or a PostgreSQL URL
    backend = Backend(Context(db=open_database(db), today=date(2026, 11, 25)))
    runs, failures, totals = 0, [], set()
    while runs < 5 or not os.path.exists(stop):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--db", db, "--today", "2026-11-25", "list", "--format", "json",
                         "--limit", "5"])
        runs += 1
        if code != 0 or err.getvalue():
            failures.append([code, err.getvalue()])
        json.loads(out.getvalue())
        totals.add(sum(backend.overview(Filters()).counts.values()))
    json.dump({"runs": runs, "failures": failures, "totals": sorted(totals)},
              open(report, "w"))
""")


def _all_done(importing, bulk, reader, stop, report) -> tuple[bytes, bytes, dict]:
    """Wait for the import and the bulk, then stop the reader: each succeeded, none was
    told the database is locked; (import's output, bulk's output, what the reader saw)."""
    import_out, import_err = importing.communicate(timeout=300)
    bulk_out, bulk_err = bulk.communicate(timeout=300)
    stop.touch()
    _, reader_err = reader.communicate(timeout=300)
    for name, process, err in (("import", importing, import_err), ("bulk", bulk, bulk_err),
                               ("reader", reader, reader_err)):
        assert process.returncode == 0, (name, err.decode())
        assert b"locked" not in err and b"Traceback" not in err, (name, err.decode())
    seen = json.loads(report.read_text())
    assert seen["failures"] == [] and seen["runs"] >= 5
    return import_out, bulk_out, seen


def test_import_bulk_and_readers_at_once_lose_nothing(tmp_path):
    db_path = tmp_path / "tracker.db"
    database = Database(db_path)
    importer.import_file(Context(db=database, today=TODAY, actor="hr"),
                         staff_csv(tmp_path / "seed.csv", SEEDED))
    database.close()
    new_staff = staff_csv(tmp_path / "new.csv", IMPORTED, start=SEEDED)
    stop, report = tmp_path / "stop", tmp_path / "reader.json"

    importing = tracker_process(db_path, "import", str(new_staff), "--format", "json",
                                stdout=subprocess.PIPE)
    wait_for(lambda: write_lock_held(db_path), importing, "the import took the write lock")
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db_path), str(stop),
                               str(report)], cwd=ROOT, stderr=subprocess.PIPE)
    bulk = tracker_process(db_path, "bulk", "open_review", "--state", "exam_passed",
                           "--set", "review_deadline=2026-12-20", "--format", "json",
                           stdout=subprocess.PIPE)
    # Meanwhile, reads that do not wait at all (timeout 0) never find the file locked.
    instant_reads, blocked = set(), []
    probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    while importing.poll() is None:
        try:
            instant_reads.add(probe.execute("SELECT count(*) FROM cases").fetchone()[0])
        except sqlite3.OperationalError as error:
            blocked.append(str(error))
    probe.close()
    assert blocked == [] and instant_reads <= {SEEDED, SEEDED + IMPORTED}
    import_out, bulk_out, seen = _all_done(importing, bulk, reader, stop, report)
    # Readers saw the import all or nothing, never half of it.
    assert set(seen["totals"]) <= {SEEDED, SEEDED + IMPORTED}

    imported = json.loads(import_out)
    applied = json.loads(bulk_out)["applied"]
    assert imported["inserted"] == IMPORTED and applied
    assert json.loads(bulk_out)["refused"] == []
    # Every history row is there: the seed's, the import's, one per case the bulk moved.
    assert count(db_path, "cases") == SEEDED + IMPORTED
    assert count(db_path, "history") == SEEDED + IMPORTED + len(applied)
    conn = sqlite3.connect(db_path)
    moved = {r[0] for r in conn.execute("SELECT case_id FROM history WHERE event = 'open_review'")}
    in_review = {r[0] for r in conn.execute("SELECT id FROM cases WHERE state = 'review_pending'")}
    conn.close()
    assert moved == in_review == set(applied)
    assert replay_mismatches(db_path) == []
    assert integrity(db_path) == ["ok"]


def test_on_postgresql_import_bulk_and_readers_at_once_lose_nothing(pg_url, tmp_path):
    """The same three at once on a server. The import holds its lock on persons and
    cases; the bulk event reads the cases of its state (the import not yet visible),
    then its UPDATE waits for the import's commit; readers never wait and see the import
    all or nothing. Every case the bulk moved has its history row, none is lost."""
    import psycopg

    seeded, imported_rows = 1_000, 10_000
    database = open_database(pg_url)
    importer.import_file(Context(db=database, today=TODAY, actor="hr"),
                         staff_csv(tmp_path / "seed.csv", seeded))
    database.close()
    new_staff = staff_csv(tmp_path / "new.csv", imported_rows, start=seeded)
    stop, report = tmp_path / "stop", tmp_path / "reader.json"

    def import_holds_its_lock() -> bool:
        with psycopg.connect(pg_url) as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " WHERE c.relname = 'cases' AND l.mode = 'ShareRowExclusiveLock'"
                " AND l.granted").fetchone()[0] > 0

    importing = tracker_process(pg_url, "import", str(new_staff), "--format", "json",
                                stdout=subprocess.PIPE)
    wait_for(import_holds_its_lock, importing, "the import took its lock", step=0.05)
    reader = subprocess.Popen([sys.executable, "-c", READER, pg_url, str(stop),
                               str(report)], cwd=ROOT, stderr=subprocess.PIPE)
    bulk = tracker_process(pg_url, "bulk", "open_review", "--state", "exam_passed",
                           "--set", "review_deadline=2026-12-20", "--format", "json",
                           stdout=subprocess.PIPE)
    import_out, bulk_out, seen = _all_done(importing, bulk, reader, stop, report)
    assert set(seen["totals"]) <= {seeded, seeded + imported_rows}
    assert json.loads(import_out)["inserted"] == imported_rows
    applied = json.loads(bulk_out)["applied"]
    assert applied and json.loads(bulk_out)["refused"] == []
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == \
            seeded + imported_rows
        assert conn.execute("SELECT count(*) FROM history").fetchone()[0] == \
            seeded + imported_rows + len(applied)
        moved = {r[0] for r in conn.execute(
            "SELECT case_id FROM history WHERE event = 'open_review'")}
        in_review = {r[0] for r in conn.execute(
            "SELECT id FROM cases WHERE state = 'review_pending'")}
        rows = conn.execute("SELECT c.id, c.state, h.id, h.from_state, h.to_state FROM cases c"
                            " JOIN history h ON h.case_id = c.id ORDER BY c.id, h.id").fetchall()
    assert moved == in_review == set(applied)
    last = {}
    for case_id, state, _, _, to_state in rows:
        last[case_id] = (state, to_state)
    assert all(state == to_state for state, to_state in last.values())  # replay: last move
