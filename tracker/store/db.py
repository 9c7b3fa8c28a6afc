"""Opening the database: location, file mode, pragmas, schema version, transactions.

SQLite through sqlite-utils. The file holds ID numbers: it is created 0600 before SQLite
touches it (SQLite gives the -wal and -shm files the same mode). WAL lets the dashboard
read while an import writes; `busy_timeout` plus a retry with backoff on BEGIN IMMEDIATE
keeps "database is locked" away from the user; one user action is one transaction.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from ..errors import StoreError
from .schema import SCHEMA_VERSION, migrate

BUSY_TIMEOUT_MS = 10_000
#: Attempts to start a write transaction before giving up (each waits busy_timeout).
WRITE_ATTEMPTS = 5


def _create_private(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where the folder should be: not the race below
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR),
                                 str(path.parent)) from None
    from ..files import create_private  # only a new database is created

    create_private(path)


def _is_locked(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


#: What the database engine raises; the services catch these without naming the engine.
DatabaseErrors = (sqlite3.Error,)


def as_store_error(error: BaseException, path: Path | str = "") -> StoreError | None:
    """An engine error as the StoreError the user is told about, or None when `error` is
    not the engine's: read-only, locked (busy too long), disk full, damaged, other."""
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        if "readonly" in text or "read-only" in text:
            kind = "read_only"
        elif _is_locked(error):
            kind = "locked"
        elif "disk" in text and "full" in text:
            kind = "disk_full"
        else:
            kind = "error"
        return StoreError(kind, path, str(error))
    if isinstance(error, sqlite3.DatabaseError):
        return StoreError("not_a_database", path, str(error))
    return None


class Database:
    """One connection to the tracker database (sqlite-utils underneath, as `self.db`)."""

    def __init__(self, path: Path | str, *, create: bool = True):
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError("is_directory", self.path)
        if not self.path.exists():
            if not create:
                raise StoreError("missing", self.path)
            try:
                _create_private(self.path)
            except FileExistsError:
                pass
            except OSError as error:
                raise StoreError("cannot_create", self.path,
                                 error.strerror or str(error)) from None
        self._tighten_mode()
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                        isolation_level=None, check_same_thread=False)
            self.db = sqlite_utils.Database(self.conn)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StoreError("not_a_database", self.path, str(error)) from None
        if version > SCHEMA_VERSION:
            self.conn.close()
            raise StoreError("too_new", self.path, f"{version} > {SCHEMA_VERSION}")
        try:
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            if version < SCHEMA_VERSION:
                with self.transaction():
                    # Re-read inside the lock: another process may have migrated meanwhile.
                    current = self.conn.execute("PRAGMA user_version").fetchone()[0]
                    migrate(self.conn, current)
        except sqlite3.OperationalError as error:
            if "readonly" in str(error).lower() or "read-only" in str(error).lower():
                raise StoreError("read_only", self.path, str(error)) from None
            raise
        self.schema_version = SCHEMA_VERSION

    def _tighten_mode(self) -> None:
        """The file holds ID numbers: nobody but the owner may read it."""
        try:
            mode = stat.S_IMODE(self.path.stat().st_mode)
            if mode & 0o077:
                os.chmod(self.path, mode & 0o700)
        except OSError:
            pass  # not our file to chmod; SQLite will say whether it can be used

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, retried with backoff while another writer holds the lock.

        IMMEDIATE takes the write lock up front, so a transaction never fails half-way on
        a lock upgrade; nested calls become savepoints (sqlite-utils' `atomic`).
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.conn
            return
        delay = 0.05
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as error:
                if not _is_locked(error) or attempt == WRITE_ATTEMPTS - 1:
                    raise
                time.sleep(delay)
                delay *= 2
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            # Also when COMMIT itself fails (disk full, I/O error): the connection must
            # not stay inside a transaction that later writes would silently join.
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            raise

    def data_version(self) -> int:
        """Changes when another connection commits (for live refresh)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
