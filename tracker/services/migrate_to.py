"""`tracker migrate-to URL`: an office's SQLite database moves to the group's PostgreSQL.

The SQLite file is only read (through a private temporary copy, brought to the current
schema there); the PostgreSQL database must be empty. Everything is copied in one
transaction, then checked in the same transaction before it commits: the row counts,
every row read back equal (times and actors included), and the replay of every case's
history ending in its current state. Any difference rolls the whole copy back.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError, TrackerError
from ..store import Database, DatabaseErrors, as_store_error
from ..store.postgres import transfer as store
from ..store.postgres.db import PgDatabase
from .admin import require_url, server_errors
from .cases import replay_state


@dataclass(frozen=True)
class MigrationReport:
    url: str
    counts: dict[str, int]
    cases_replayed: int


def _replay_all(target: PgDatabase) -> int:
    cases = 0
    for case_id, state, rows in store.case_histories(target):
        try:
            replayed = replay_state(rows)
        except ValueError as error:
            raise TrackerError("pg_migrate_check_failed", detail=f"case {case_id}: {error}"
                               ) from None
        if replayed != state:
            raise TrackerError("pg_migrate_check_failed",
                               detail=f"case {case_id}: {state} != {replayed}")
        cases += 1
    return cases


def migrate_to(sqlite_path: Path, url: str | None) -> MigrationReport:
    url = require_url(url)
    if not Path(sqlite_path).is_file():
        raise StoreError("missing", sqlite_path)
    with tempfile.TemporaryDirectory(prefix="tracker-migrate-") as folder:
        copy = Path(folder) / "source.db"
        try:
            store.snapshot(Path(sqlite_path), copy)
        except DatabaseErrors as error:  # not an SQLite database, or a damaged one
            raise as_store_error(error, sqlite_path) from None
        with Database(copy, create=False) as source, server_errors(), \
                PgDatabase(url) as target:
            try:
                with target.transaction():
                    counts = store.copy_all(source, target)
                    if store.target_counts(target) != counts:
                        raise TrackerError("pg_migrate_check_failed", detail="counts")
                    differences = store.compare_tables(source, target)
                    if differences:
                        raise TrackerError("pg_migrate_check_failed",
                                           detail="; ".join(differences))
                    replayed = _replay_all(target)
            except store.TargetNotEmpty as error:
                raise TrackerError("pg_target_not_empty", path=target.path,
                                   detail=str(error)) from None
            except store.RowRefused as error:
                raise TrackerError("pg_migrate_row_refused", table=error.table,
                                   row=error.row, detail=error.detail) from None
            return MigrationReport(target.path, counts, replayed)
