"""Crash safety: a process killed (SIGKILL) in the middle of a 100,000-row import or of a
bulk event leaves the database exactly as it was, intact; running again finishes the job.

The kill comes while the process is inside its write transaction, observed from outside:
its write lock is held (a probe cannot take it) and, for the write phase, uncommitted
pages have already spilled into the -wal file. SQLite ignores WAL frames without a
commit record, so the next opening sees the last commit: what the user had before.
"""
from __future__ import annotations

import json
import time
from datetime import date

import pytest

from tracker.cli import main
from tracker.services import cases as service
from tracker.services import importer
from tracker.services.context import Context
from tracker.services.notices import add_notice
from tracker.store import Database
from tracker.store.cases import set_meta

from .conftest import ID_LI, ID_ZHANG, TODAY
from .reliability_support import (
    count,
    digest,
    integrity,
    kill,
    replay_mismatches,
    staff_csv,
    tracker_process,
    wait_for,
    wal_size,
    write_lock_held,
)

BIG = 100_000
#: Uncommitted pages in the WAL beyond this: the writer is writing, far from its commit.
SPILLED = 1 << 20
#: The import's write phase is well under way (persons written, cases and history being
#: written: ~70 MB of WAL in all for 100,000 rows) and its commit record is still to come.
IMPORT_WRITING = 24 << 20


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    return staff_csv(tmp_path_factory.mktemp("big") / "staff-100k.csv", BIG)


def seed(db_path) -> None:
    """A small database with a little of everything: persons, cases, events, materials."""
    database = Database(db_path)
    ctx = Context(db=database, today=TODAY, actor="hr")
    zhang = service.add_case(ctx, name="张伟", id_number=ID_ZHANG, employee_no="E900001")
    service.add_case(ctx, name="李娜", id_number=ID_LI, employee_no="E900002")
    service.fire_event(ctx, zhang, "open_review", data={"review_deadline": "2026-12-20"})
    service.set_material(ctx, zhang, "education_report")
    database.close()


def seed_settings(db_path) -> None:
    """No staff yet (the first import takes the bulk path: secondary indexes dropped and
    rebuilt in its transaction), but a notice and a setting the import must not lose."""
    database = Database(db_path)
    add_notice(Context(db=database, today=TODAY, actor="hr"), kind="review",
               exam_year=2026, deadline=date(2026, 12, 20), title="复核通知")
    with database.transaction():
        set_meta(database, "owner", "人事部")
    database.close()


def rerun(db_path, staff, capfd) -> dict:
    code = main(["--db", str(db_path), "--today", "2026-11-25", "import", str(staff),
                 "--format", "json"])
    report = json.loads(capfd.readouterr().out)
    assert code == 0 and report["rejected"] == 0
    return report


def test_the_first_import_killed_mid_transaction_leaves_the_database_as_it_was(
        tmp_path, big_csv, capfd):
    db_path = tmp_path / "tracker.db"
    seed_settings(db_path)
    before = digest(db_path)

    # 1. Killed while reading and checking the rows (write lock held, the secondary
    #    indexes dropped for the bulk load, nothing committed).
    process = tracker_process(db_path, "import", str(big_csv))
    wait_for(lambda: write_lock_held(db_path), process, "the import took the write lock")
    time.sleep(0.3)
    kill(process)
    assert integrity(db_path) == ["ok"]
    assert digest(db_path) == before

    # 2. Killed while writing: tens of megabytes of uncommitted pages in the WAL.
    process = tracker_process(db_path, "import", str(big_csv))
    wait_for(lambda: wal_size(db_path) > IMPORT_WRITING, process,
             "the import wrote to the WAL")
    kill(process)
    assert integrity(db_path) == ["ok"]
    assert digest(db_path) == before

    # The copies taken before each attempt are not kept: no write happened (issue 17).
    assert not list((tmp_path / "backups").glob("tracker.*.import.db"))

    # 3. Running it again finishes the job: every row, once; history replays; the
    #    snapshot before it, the one kept, holds exactly the state before.
    assert rerun(db_path, big_csv, capfd)["inserted"] == BIG
    [snapshot] = (tmp_path / "backups").glob("tracker.*.import.db")
    assert digest(snapshot) == before
    assert integrity(db_path) == ["ok"]
    assert count(db_path, "cases") == BIG and count(db_path, "notices") == 1
    assert replay_mismatches(db_path) == []
    # A killed snapshot leaves no half-file: nothing but finished snapshots remain.
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_an_import_into_a_database_in_use_killed_mid_transaction(tmp_path, capfd):
    """The ordinary path (staff already on record), killed as soon as it writes to the
    database; running it again completes. (That the whole import is one transaction is
    what the test above proves, killing it late in its write phase.)"""
    db_path = tmp_path / "tracker.db"
    seed(db_path)
    before = digest(db_path)
    staff = staff_csv(tmp_path / "staff.csv", 30_000)
    process = tracker_process(db_path, "import", str(staff))
    wait_for(lambda: wal_size(db_path) > SPILLED, process, "the import wrote to the WAL")
    assert write_lock_held(db_path)
    kill(process)
    assert integrity(db_path) == ["ok"]
    assert digest(db_path) == before
    assert rerun(db_path, staff, capfd)["inserted"] == 30_000
    assert count(db_path, "cases") == 30_002 and replay_mismatches(db_path) == []


@pytest.fixture
def many_cases(tmp_path):
    """10,000 cases waiting for the review notice (exam_passed)."""
    db_path = tmp_path / "tracker.db"
    seed(db_path)
    database = Database(db_path)
    importer.import_file(Context(db=database, today=TODAY, actor="hr"),
                         staff_csv(tmp_path / "staff.csv", 10_000))
    database.close()
    return db_path


BULK = ("bulk", "open_review", "--state", "exam_passed", "--set", "review_deadline=2026-12-20",
        "--format", "json")


def test_a_bulk_event_killed_mid_transaction_leaves_the_database_as_it_was(many_cases,
                                                                           capfd):
    db_path = many_cases
    before = digest(db_path)
    waiting = count(db_path, "cases") - 1  # all but the seeded case already in review

    process = tracker_process(db_path, *BULK)
    wait_for(lambda: wal_size(db_path) > SPILLED, process, "the bulk event wrote to the WAL")
    assert write_lock_held(db_path)
    kill(process)
    assert integrity(db_path) == ["ok"]
    assert digest(db_path) == before
    # The copy taken before the killed attempt is not kept: no write happened.
    assert not list((db_path.parent / "backups").glob("tracker.*.bulk.db"))

    code = main(["--db", str(db_path), "--today", "2026-11-25", *BULK])
    result = json.loads(capfd.readouterr().out)
    assert code == 0 and len(result["applied"]) == waiting and result["refused"] == []
    [snapshot] = (db_path.parent / "backups").glob("tracker.*.bulk.db")
    assert digest(snapshot) == before
    assert not list((db_path.parent / "backups").glob("*.partial"))
    assert integrity(db_path) == ["ok"]
    assert count(db_path, "history") == count(db_path, "cases") + 2 + waiting
    assert replay_mismatches(db_path) == []
