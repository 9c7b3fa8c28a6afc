"""Copies of the database through SQLite's online backup API, and checks of a copy.

A copy is taken through a connection (`sqlite3.Connection.backup`, one step): it is a
consistent picture of the last commit even while another process writes (WAL). It is
written to ``NAME.PID.partial`` (created 0600 before SQLite touches it: it holds ID
numbers), fsynced, then renamed: a crash never leaves a half-written file under a
backup's name. Copies are single files (journal mode DELETE), so that a backup is one
file to move, mail or restore.

Restoring writes a checked copy *into* the live database through the same API, so that
other connections see the change as one commit and nobody's WAL is orphaned; only a
database that cannot be opened at all is replaced as a file.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..files import create_private
from . import identity
from .db import BUSY_TIMEOUT_MS
from .schema import SCHEMA_VERSION

#: What a file must hold to be a tracker database (tables and the append-only triggers).
REQUIRED_TABLES = ("persons", "cases", "materials", "history", "meta")
REQUIRED_TRIGGERS = ("history_no_update", "history_no_delete")
#: The side files of a database in WAL mode.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def partial_name(target: Path) -> Path:
    return target.with_name(f"{target.name}.{os.getpid()}.partial")


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _finish(partial: Path, target: Path) -> None:
    _fsync(partial)
    os.replace(partial, target)
    _fsync(target.parent)


def copy_from_connection(source: sqlite3.Connection, target: Path) -> None:
    """The database behind `source` (outside a transaction) as the file `target`, 0600."""
    partial = partial_name(target)
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    create_private(partial)
    try:
        dest = sqlite3.connect(partial, isolation_level=None)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        _finish(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def copy_file(path: Path, target: Path) -> None:
    """A consistent copy of the database file `path` (with its WAL) as `target`, 0600."""
    source = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        copy_from_connection(source, target)
    finally:
        source.close()


def copy_bytes(path: Path, target: Path) -> None:
    """The raw bytes of a file that SQLite cannot read (and of its WAL), 0600.

    For a damaged database about to be replaced: what it held is kept, as it is.
    """
    for suffix in ("", *SIDE_SUFFIXES):
        source = Path(f"{path}{suffix}")
        if not source.exists():
            continue
        final = Path(f"{target}{suffix}")
        partial = partial_name(final)
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        create_private(partial)
        try:
            with open(source, "rb") as reader, open(partial, "wb") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
            _finish(partial, final)
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise


def stage_copy(source: Path, staging: Path) -> None:
    """The bytes of `source` (and of its WAL, if any) at `staging`, 0600, for checking.

    The file given to `tracker restore` is never opened by SQLite itself (opening would
    create side files next to it, or replay its WAL into it): its copy is checked and
    restored, so what was checked is exactly what is restored.
    """
    remove_with_sides(staging)
    for suffix in ("", "-wal"):
        origin = Path(f"{source}{suffix}")
        if suffix and not origin.exists():
            continue
        copy = Path(f"{staging}{suffix}")
        create_private(copy)
        with open(origin, "rb") as reader, open(copy, "wb") as writer:
            shutil.copyfileobj(reader, writer, 1 << 20)


def remove_with_sides(path: Path) -> None:
    for suffix in ("", *SIDE_SUFFIXES):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


@dataclass
class FileCheck:
    """What a candidate file is. `problem`: None (a good tracker database of a version
    this tracker can open), not_a_database, damaged, too_new, not_tracker,
    schema_mismatch (the tracker's names, not its exact tables, indexes, triggers, views)."""

    problem: str | None = None
    detail: str = ""
    version: int | None = None
    cases: int | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_file(path: Path, *, full: bool = True) -> FileCheck:
    """Integrity (`PRAGMA integrity_check`, or `quick_check` when not `full`), schema
    version and the tracker's tables and triggers, of a file that may be anything."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as error:
        return FileCheck("not_a_database", str(error))
    try:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = [r[0] for r in conn.execute(
                "PRAGMA integrity_check" if full else "PRAGMA quick_check")]
        except sqlite3.DatabaseError as error:
            text = str(error)
            kind = "not_a_database" if "not a database" in text else "damaged"
            return FileCheck(kind, text)
        if rows != ["ok"]:
            return FileCheck("damaged", "; ".join(rows[:3]), version=version)
        if version > SCHEMA_VERSION:
            return FileCheck("too_new", f"{version} > {SCHEMA_VERSION}", version=version)
        names = {(kind, name) for kind, name in conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
        missing = [n for n in REQUIRED_TABLES if ("table", n) not in names]
        missing += [n for n in REQUIRED_TRIGGERS if ("trigger", n) not in names]
        marker = identity.application_id(conn)
        if version == 0 or missing or marker not in (0, identity.APPLICATION_ID):
            detail = ", ".join(missing) or f"user_version {version}, application_id {marker}"
            return FileCheck("not_tracker", detail, version=version, missing=missing)
        # Names are not enough: every object, by its SQL text, as the version builds it.
        difference = identity.schema_difference(conn, version)
        if difference is not None:
            return FileCheck("schema_mismatch", difference, version=version)
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        return FileCheck(None, "", version=version, cases=cases)
    finally:
        conn.close()


def copy_into(source: Path, database_path: Path) -> None:
    """Write the database `source` into the live database at `database_path`, as one
    commit of that database (other connections may stay open: they see the new content)."""
    reader = sqlite3.connect(source, isolation_level=None)
    try:
        writer = sqlite3.connect(database_path, timeout=BUSY_TIMEOUT_MS / 1000,
                                 isolation_level=None)
        try:
            writer.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def replace_file(staging: Path, database_path: Path) -> None:
    """Put `staging` in place of a database file that cannot be opened (or is missing):
    its side files, which belong to the old file, go first."""
    for suffix in SIDE_SUFFIXES:
        with contextlib.suppress(FileNotFoundError):
            Path(f"{database_path}{suffix}").unlink()
    single = sqlite3.connect(staging, isolation_level=None)
    try:  # fold a WAL that came with the file into it: one self-contained file
        single.execute("PRAGMA journal_mode = DELETE")
    finally:
        single.close()
    _finish(staging, database_path)

