"""A PostgreSQL database behind the interface the services use from `store.Database`.

psycopg 3 (the `postgres` extra, imported only here and only when a PostgreSQL URL is
opened: the SQLite path never loads it). The URL is libpq's; the password comes from
`PGPASSWORD` or `~/.pgpass` as libpq reads them, never from the command line, and is
never shown (`display_url`).

The store's SQL is written once, with SQLite's `?` and `:name` parameters;
`translate()` turns it into psycopg's `%s` / `%(name)s` (cached per statement). What the
two engines spell differently comes from `tracker.store.postgres.dialect`.

Errors become `StoreError` kinds by SQLSTATE, not by message text (`as_store_error`).
"""
from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ...errors import StoreError
from ..db import is_server_url as is_url
from ..dialect import POSTGRESQL
from ..schema import SCHEMA_VERSION
from . import schema as pg_schema

__all__ = ["PgDatabase", "advance_identities", "as_store_error", "display_url", "is_url"]


def display_url(url: str) -> str:
    """The URL without any password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


class DisplayUrl(str):
    """The URL without its password, with a `name` (the database's) as a file path has."""

    @property
    def name(self) -> str:
        return urlsplit(self).path.lstrip("/") or str(self)


#: The channel the history and notices triggers NOTIFY (schema version 10).
CHANGES_CHANNEL = "tracker_changes"


def driver():
    """psycopg, or StoreError('driver_missing') when the extra is not installed."""
    try:
        import psycopg
    except ImportError:
        raise StoreError("driver_missing", "", "pip install 'grade2-tracker[postgres]'") from None
    return psycopg


# --------------------------------------------------------------------------- parameters

#: A string literal, a quoted identifier, a comment, a dollar-quoted body, a `::` cast,
#: a `?`, a `:name`, or a `%`: the tokens `translate` looks at.
_TOKENS = re.compile(r"""
    (?P<skip>'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\$\$.*?\$\$|::)
  | (?P<qmark>\?)
  | (?P<named>(?<![:\w]):[A-Za-z_]\w*)
  | (?P<percent>%)
""", re.VERBOSE | re.DOTALL)


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """SQLite-style parameters (`?`, `:name`) as psycopg's (`%s`, `%(name)s`); a
    literal `%` doubled (psycopg reads `%` everywhere). `?` and `:name` inside quotes and
    comments are left alone."""

    def replace(match: re.Match) -> str:
        if match.group("qmark"):
            return "%s"
        if match.group("named"):
            return f"%({match.group('named')[1:]})s"
        # psycopg reads every `%`, inside quotes too: double them all.
        return match.group(0).replace("%", "%%")

    return _TOKENS.sub(replace, sql)


# --------------------------------------------------------------------------- errors

#: SQLSTATE (or its class, two characters) -> StoreError kind.
_KINDS = {
    "40001": "conflict",        # serialization_failure: someone else changed it first
    "40P01": "conflict",        # deadlock_detected: one of two was rolled back
    "55P03": "locked",          # lock_not_available (lock_timeout)
    "57014": "locked",          # query_canceled (statement_timeout)
    "25006": "read_only",       # read_only_sql_transaction (a standby, or a read-only role)
    "42501": "permission_denied",  # insufficient_privilege (also the append-only triggers)
    "28000": "permission_denied",  # invalid_authorization_specification
    "28P01": "permission_denied",  # invalid_password
    "53100": "disk_full",       # disk_full
    "3D000": "missing",         # invalid_catalog_name: no such database
    "08": "cannot_connect",     # connection_exception
    "53": "locked",             # insufficient_resources (too many connections, memory)
    "57P": "cannot_connect",    # the server is shutting down / cannot connect now
}


def error_kind(sqlstate: str | None, connection_failed: bool = False) -> str:
    if not sqlstate:  # no SQLSTATE: the connection itself failed, or psycopg refused
        return "cannot_connect" if connection_failed else "error"
    for key in (sqlstate, sqlstate[:3], sqlstate[:2]):
        if key in _KINDS:
            return _KINDS[key]
    return "error"


def as_store_error(error: BaseException, url: str = "") -> StoreError | None:
    """A psycopg error as the StoreError the user is told about; None when `error` is
    not psycopg's (or psycopg is not installed: then it cannot be one)."""
    try:
        import psycopg
    except ImportError:
        return None
    if not isinstance(error, psycopg.Error):
        return None
    detail = (error.diag.message_primary if error.diag and error.diag.message_primary
              else str(error).strip())
    kind = error_kind(error.sqlstate, isinstance(error, psycopg.OperationalError))
    return StoreError(kind, display_url(url), detail)


# --------------------------------------------------------------------------- the database


class PgDatabase:
    """One connection to a tracker database on PostgreSQL.

    The same methods as the SQLite `Database` gives the store (docs/postgresql-design.md,
    "The store interface"): `transaction()`, `execute`, `executemany`, `query`,
    `insert_returning_id`, `close`; `path` is the URL without its password.
    """

    engine = "postgresql"
    dialect = POSTGRESQL
    #: A server database is never opened read-only by the program (privileges decide).
    read_only = False

    def __init__(self, url: str, *, create: bool = True, autocommit_connect: bool = True,
                 connect_timeout: int = 10):
        psycopg = driver()
        self.url = url
        self.path = DisplayUrl(display_url(url))
        #: A second session that LISTENs for others' changes (opened by data_version).
        self._listener = None
        self._changes = 0
        #: The pinned "today" of the command (SQLite keeps it beside history rows).
        self.as_of: str | None = None
        #: Write transactions committed since the database was opened.
        self.commits = 0
        self._after_write: list = []
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout,
                                        application_name="tracker")
        except psycopg.Error as error:
            raise as_store_error(error, url) from None
        #: The logged-in role: the actor of what this session records.
        self.role = self.conn.info.user
        self._depth = 0
        try:
            self.schema_version = self._open_schema(create)
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ schema

    def stored_version(self) -> int:
        """The schema version of the database (0: no tracker schema yet)."""
        exists = self.conn.execute("SELECT to_regclass('tracker_schema') IS NOT NULL"
                                   ).fetchone()[0]
        if not exists:
            return 0
        row = self.conn.execute("SELECT version FROM tracker_schema").fetchone()
        return row[0] if row else 0

    def _open_schema(self, create: bool) -> int:
        with self._mapped():
            server = self.conn.info.server_version
            if server < pg_schema.MIN_SERVER_VERSION:
                raise StoreError("server_too_old", self.path, f"{server}")
            version = self.stored_version()
            if version > SCHEMA_VERSION or version > pg_schema.PG_SCHEMA_VERSION:
                raise StoreError("too_new", self.path,
                                 f"{version} > {min(SCHEMA_VERSION, pg_schema.PG_SCHEMA_VERSION)}")
            if not pg_schema.in_step():
                # This tracker's SQLite schema has versions PostgreSQL does not have yet.
                raise StoreError("engine_behind", self.path,
                                 f"{pg_schema.PG_SCHEMA_VERSION} < {SCHEMA_VERSION}")
            if version == SCHEMA_VERSION:
                return version
            if version == 0 and not create:
                raise StoreError("not_a_database", self.path, "no tracker schema")
            with self.transaction():
                # Others may be migrating at the same moment: one waits for the other.
                self.conn.execute("SELECT pg_advisory_xact_lock(hashtext('tracker_schema'))")
                current = self.stored_version()
                for number, script in pg_schema.steps(current):
                    self.conn.execute(script)
                    self.conn.execute(
                        "INSERT INTO tracker_schema (version) VALUES (%s) ON CONFLICT"
                        " (only_row) DO UPDATE SET version = EXCLUDED.version", [number])
            return SCHEMA_VERSION

    # ------------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def _mapped(self) -> Iterator[None]:
        """psycopg errors raised inside become StoreErrors."""
        psycopg = driver()
        try:
            yield
        except psycopg.Error as error:
            raise as_store_error(error, self.url) from None

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN … COMMIT (READ COMMITTED, the server's default); nested calls become
        savepoints. A failure rolls back and is raised as a StoreError (or as itself,
        when it is not the engine's)."""
        outermost = self._depth == 0
        try:
            with self._mapped():
                with self.conn.transaction():
                    self._depth += 1
                    try:
                        yield self
                    finally:
                        self._depth -= 1
        except BaseException:
            if outermost:
                self._settle(False)
            raise
        if outermost:
            self.commits += 1
            self._settle(True)

    def after_next_write(self, callback) -> None:
        """`callback(True)` after the next write transaction commits, else `callback(False)`
        (the SQLite Database's interface; the automatic snapshot is SQLite's only)."""
        self._after_write.append(callback)

    def _settle(self, wrote: bool) -> None:
        callbacks, self._after_write = self._after_write, []
        for callback in callbacks:
            callback(wrote)

    def data_version(self) -> int:
        """Changes when anyone commits history or notices (the dashboard's live refresh):
        the notifications received on a listening session, no query per call."""
        with self._mapped():
            if self._listener is None:
                self._listener = driver().connect(self.url, autocommit=True,
                                                  application_name="tracker listen")
                self._listener.execute(f"LISTEN {CHANGES_CHANNEL}")
            self._changes += sum(1 for _ in self._listener.notifies(timeout=0))
        return self._changes

    # ------------------------------------------------------------------ statements

    def execute(self, sql: str, params: Sequence | Mapping | None = None):
        """Run one statement written with `?` / `:name` parameters; the cursor."""
        with self._mapped():
            return self.conn.execute(translate(sql), () if params is None else params)

    def executemany(self, sql: str, rows: Iterable[Sequence | Mapping]) -> None:
        with self._mapped():
            with self.conn.cursor() as cursor:
                cursor.executemany(translate(sql), rows)

    def query(self, sql: str, params: Sequence | Mapping | None = None) -> Iterator[dict]:
        """Rows as dicts (sqlite-utils' `db.query`)."""
        from psycopg.rows import dict_row

        with self._mapped():
            cursor = self.conn.cursor(row_factory=dict_row)
            cursor.execute(translate(sql), () if params is None else params)
            yield from cursor

    def insert_returning_id(self, sql: str, params: Sequence | Mapping | None = None) -> int:
        """An INSERT of one row; the id it was given (SQLite: cursor.lastrowid)."""
        return self.execute(f"{sql} RETURNING id", params).fetchone()[0]

    def close(self) -> None:
        self._settle(False)
        with contextlib.suppress(Exception):
            self.conn.close()
        if self._listener is not None:
            with contextlib.suppress(Exception):
                self._listener.close()

    def __enter__(self) -> PgDatabase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def advance_identities(database: PgDatabase, tables: Iterable[str] = pg_schema.IDENTITY_TABLES
                       ) -> None:
    """Move each identity's sequence past the ids written explicitly (bulk import,
    migrate-to), so that the next INSERT without an id does not collide."""
    for table in tables:
        if table not in pg_schema.IDENTITY_TABLES:  # constants of ours, never user text
            raise KeyError(table)
        database.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
