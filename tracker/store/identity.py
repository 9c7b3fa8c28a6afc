"""Is this SQLite file a tracker database, and exactly the one its version says?

Two marks, checked before anything is written to a file that is opened or restored:
- `PRAGMA application_id` = APPLICATION_ID ("G2TR"): set when the tracker creates a
  database. A file carrying another program's id is refused unchanged.
- the schema: every table, index, trigger and view, by its SQL text, must be what the
  migrations build for the file's `user_version` — not merely have the right names. A
  trigger whose body was replaced, an extra trigger, a missing index: refused.

Databases made before the mark existed (application_id 0) are ours when their schema is
exactly the one of their version; the tracker then marks them (in the transaction that
migrates them). A file with id 0, version 0 and tables of its own is another program's.
"""
from __future__ import annotations

import re
import sqlite3
from functools import cache

from .schema import migrate

#: "G2TR" (Grade-2 TRacker), in PRAGMA application_id.
APPLICATION_ID = 0x47325452

Schema = dict[tuple[str, str], tuple[str, str]]
_SPACE = re.compile(r"\s+")
_QUOTED = re.compile(r'"(\w+)"')


def _normal(sql: str | None) -> str:
    """SQL text with its runs of white space made one space (SQLite keeps it as written)
    and simple names unquoted (SQLite's ALTER TABLE … RENAME quotes the new name, and
    how has varied between its versions)."""
    return _QUOTED.sub(r"\1", _SPACE.sub(" ", sql or "")).strip()


def schema_of(conn: sqlite3.Connection) -> Schema:
    """(type, name) -> (table, SQL text) of every object but SQLite's own."""
    return read(conn)[2]


def read(conn: sqlite3.Connection) -> tuple[int, int, Schema]:
    """(application_id, user_version, schema), read by one statement: one snapshot of
    the file even while another process migrates it."""
    rows = conn.execute(
        "SELECT a.application_id, v.user_version, m.type, m.name, m.tbl_name, m.sql"
        " FROM pragma_application_id a, pragma_user_version v"
        " LEFT JOIN sqlite_master m ON m.name NOT LIKE 'sqlite_%'").fetchall()
    schema = {(kind, name): (table, _normal(sql))
              for _, _, kind, name, table, sql in rows if kind is not None}
    return rows[0][0], rows[0][1], schema


@cache
def expected_schema(version: int) -> Schema:
    """What the migrations 1 … `version` build (in memory)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, 0, version)
        return schema_of(conn)
    finally:
        conn.close()


def schema_difference(conn: sqlite3.Connection, version: int) -> str | None:
    """None when the schema of `conn` is exactly that of `version`; else the first
    difference, named (e.g. "trigger history_no_update: changed")."""
    return difference(schema_of(conn), version)


def difference(found: Schema, version: int) -> str | None:
    """The first difference between `found` and the schema of `version`, or None."""
    expected = expected_schema(version)
    for key in sorted(set(found) | set(expected)):
        kind, name = key
        if key not in found:
            return f"{kind} {name}: missing"
        if key not in expected:
            return f"{kind} {name}: not the tracker's"
        if found[key] != expected[key]:
            return f"{kind} {name}: changed"
    return None


def application_id(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA application_id").fetchone()[0]
