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
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlite_utils

from ..errors import StoreError
from . import chain, identity
from .dialect import SQLITE
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


def _writable(path: Path) -> bool:
    """Can the file, and its folder (SQLite's -wal, -shm and -journal), be written?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """The file opened read-only; on a read-only filesystem a database in WAL mode whose
    -shm file is not there can only be read as immutable (nobody can change it there)."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None,
                           check_same_thread=False)


def _problem(marker: int, version: int, found: identity.Schema) -> tuple[str, str] | None:
    """Why the file is not a tracker database this tracker may open: (kind, detail)."""
    if marker not in (0, identity.APPLICATION_ID):
        return "not_ours", f"application_id {marker:#010x}"
    if version > SCHEMA_VERSION:
        return "too_new", f"{version} > {SCHEMA_VERSION}"
    if version == 0:
        return ("not_ours", "user_version 0") if found else None
    difference = identity.difference(found, version)
    return None if difference is None else ("schema_mismatch", difference)


def _is_locked(error: sqlite3.OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


#: What the database engine raises; the services catch these without naming the engine.
DatabaseErrors = (sqlite3.Error,)


def as_store_error(error: BaseException, path: Path | str = "") -> StoreError | None:
    """An engine error as the StoreError the user is told about, or None when `error` is
    not the engine's: read-only, locked (busy too long), disk full, damaged, other
    (PostgreSQL's errors by their SQLSTATE, when psycopg is loaded)."""
    if not isinstance(error, sqlite3.Error):
        return _server_error(error, path)
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


def _server_error(error: BaseException, path: Path | str) -> StoreError | None:
    """A psycopg error as a StoreError; None without psycopg loaded (then it is none)."""
    import sys

    if "psycopg" not in sys.modules:
        return None
    from .postgres.db import as_store_error as pg_store_error

    return pg_store_error(error, str(path))


def is_server_url(target: object) -> bool:
    """Whether a --db value names a PostgreSQL database (a URL) rather than a file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def open_database(target: Path | str, *, create: bool = True):
    """The tracker database at `target`: a `Database` for a file, a `PgDatabase` for a
    PostgreSQL URL (psycopg is loaded only then)."""
    if is_server_url(target):
        from .postgres.db import PgDatabase

        return PgDatabase(str(target), create=create)
    return Database(target, create=create)


class Database:
    """One connection to the tracker database (sqlite-utils underneath, as `self.db`).

    Opening refuses, before anything is written to the file, a file that is not the
    tracker's (another program's application_id or tables) and one whose schema is not
    exactly the one of its version (store/identity.py). A database that cannot be
    written (its file or folder read-only, a read-only filesystem) is opened read-only:
    reading works, a write says why (StoreError "read_only_fs").
    """

    #: What this engine spells its own way (tracker/store/dialect.py).
    dialect = SQLITE
    engine = "sqlite"

    def __init__(self, path: Path | str, *, create: bool = True):
        self.path = Path(path)
        #: The pinned "today" (ISO day) the history rows written now carry as `as_of`.
        self.as_of: str | None = None
        #: Write transactions committed since the database was opened (and migrated).
        self.commits = 0
        self.read_only = False
        self._after_write: list[Callable[[bool], None]] = []
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
        self.conn = self._connect()
        self.db = sqlite_utils.Database(self.conn)
        version, marked = self._identify()
        if self.read_only and version < SCHEMA_VERSION:  # it would have to be migrated
            self.close()
            raise StoreError("read_only_fs", self.path, f"schema {version} < {SCHEMA_VERSION}")
        if not self.read_only:
            self._tighten_mode()
            self._prepare(version, marked)
        self.schema_version = SCHEMA_VERSION
        self.commits = 0

    def _connect(self) -> sqlite3.Connection:
        """A read-write connection, or a read-only one when the file cannot be written."""
        try:
            if _writable(self.path):
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None, check_same_thread=False)
            else:
                conn = _connect_read_only(self.path)
                self.read_only = True
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as error:
            raise StoreError("not_a_database", self.path, str(error)) from None
        chain.register(conn, self._as_of)
        return conn

    def _as_of(self) -> str | None:
        return self.as_of

    def _identify(self) -> tuple[int, bool]:
        """(user_version, marked as ours); StoreError for a file that is not a tracker
        database of a version this tracker knows."""
        try:
            marker, version, found = identity.read(self.conn)
        except sqlite3.DatabaseError as error:
            self.close()
            raise StoreError("not_a_database", self.path, str(error)) from None
        problem = _problem(marker, version, found)
        if problem is not None:
            self.close()
            raise StoreError(problem[0], self.path, problem[1])
        return version, marker == identity.APPLICATION_ID

    def _prepare(self, version: int, marked: bool) -> None:
        """WAL, then (one transaction) the migrations and the mark, as needed."""
        try:
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            if version < SCHEMA_VERSION or not marked:
                with self.transaction():
                    # Re-read inside the lock: another process may have migrated meanwhile.
                    current = self.conn.execute("PRAGMA user_version").fetchone()[0]
                    if current < SCHEMA_VERSION:
                        migrate(self.conn, current)
                        chain.register(self.conn, self._as_of)
                    self.conn.execute(f"PRAGMA application_id = {identity.APPLICATION_ID}")
        except sqlite3.OperationalError as error:
            if "readonly" in str(error).lower() or "read-only" in str(error).lower():
                self.close()
                raise StoreError("read_only", self.path, str(error)) from None
            raise

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
        if self.read_only:
            raise StoreError("read_only_fs", self.path)
        if self.conn.in_transaction:
            with self.db.atomic():
                yield self.conn
            return
        self._drop_stale_watchers()
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
        changes = self.conn.total_changes
        try:
            yield self.conn
            self.conn.execute("COMMIT")
            self.commits += 1
        except BaseException:
            # Also when COMMIT itself fails (disk full, I/O error): the connection must
            # not stay inside a transaction that later writes would silently join.
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            self._settle(False)
            raise
        self._settle(self.conn.total_changes > changes)

    # ------------------------------------------------------------------ the store's interface
    # (docs/postgresql-design.md, "The store interface both engines give")

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def execute(self, sql: str, params=()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def query(self, sql: str, params=None) -> Iterator[dict]:
        """Rows as dicts."""
        return self.db.query(sql, params)

    def insert_returning_id(self, sql: str, params=()) -> int:
        """An INSERT of one row; the id it was given."""
        return self.conn.execute(sql, params).lastrowid

    def after_next_write(self, callback: Callable[[bool], None]) -> None:
        """Call `callback(True)` when the next write transaction commits a change, else
        `callback(False)`: it rolled back or changed nothing, another connection wrote
        first (what was prepared before no longer describes the database), or the
        database was closed before (for the automatic snapshot: kept only before a
        write that happened)."""
        self._after_write.append(callback)
        self._watched = (self.data_version(), self.conn.total_changes)

    def _drop_stale_watchers(self) -> None:
        if self._after_write and self._watched != (self.data_version(),
                                                   self.conn.total_changes):
            self._settle(False)

    def _settle(self, wrote: bool) -> None:
        callbacks, self._after_write = self._after_write, []
        for callback in callbacks:
            callback(wrote)

    def data_version(self) -> int:
        """Changes when another connection commits (for live refresh)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self._settle(False)
        with contextlib.suppress(Exception):
            self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
