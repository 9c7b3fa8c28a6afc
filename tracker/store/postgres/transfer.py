"""Copying an SQLite tracker database into an empty PostgreSQL one (`tracker migrate-to`).

The SQLite file is never written: it is read through a read-only connection into a
private temporary copy (SQLite's online backup API), and that copy is read. Each table
goes through COPY (the fastest way into PostgreSQL), parents first, ids kept as they
are, then every identity sequence moves past them. The caller holds one transaction on
the target: a failure anywhere leaves it empty. `compare_tables` then reads both sides
back in key order and compares them row by row (values, time stamps, actors), which is
stronger than counting.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

from ...files import create_private
from ..db import Database
from . import schema as pg_schema
from .db import PgDatabase, advance_identities, driver

#: The key each table is read in (the same order on both engines: bytewise text).
ORDER = {
    "meta": "key", "persons": "id", "cases": "id", "materials": "case_id, item, scope",
    "notices": "id", "history": "id", "calendar": "id",
    "notice_deadlines": "case_id, field", "channels": "id",
    "notify_sent": "channel_id, case_id, item", "notify_log": "id", "staff_notified": "id",
    "ce_courses": "id", "name_readings_stale": "person_id", "notice_changes": "id",
}


class TargetNotEmpty(Exception):
    """The PostgreSQL database already holds tracker rows (detail: table=count, …)."""


class RowRefused(Exception):
    """PostgreSQL would not take a row: (table, row number from 1, the server's reason)."""

    def __init__(self, table: str, row: int, detail: str):
        super().__init__(table, row, detail)
        self.table, self.row, self.detail = table, row, detail


def snapshot(source: Path, target: Path) -> None:
    """A consistent copy of the database `source` at `target` (0600), read through a
    read-only connection: `source` itself is not written."""
    create_private(target)
    reader = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def columns(source: Database, table: str) -> list[str]:
    """The table's columns on SQLite, in their order (the PostgreSQL schema has the same)."""
    if table not in ORDER:  # constants of ours, never user text
        raise KeyError(table)
    return [row[1] for row in source.conn.execute(f"PRAGMA table_info({table})")]


def _rows(source: Database, table: str, names: list[str]) -> Iterator[tuple]:
    cursor = source.conn.execute(
        f"SELECT {', '.join(names)} FROM {table} ORDER BY {ORDER[table]}")
    try:
        yield from cursor
    finally:
        cursor.close()


def target_counts(target: PgDatabase) -> dict[str, int]:
    return {table: target.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in pg_schema.TABLES}


def copy_all(source: Database, target: PgDatabase) -> dict[str, int]:
    """Every table of `source` into `target` (empty, at the same schema version); the
    rows copied per table. The caller holds the target's transaction."""
    held = {t: n for t, n in target_counts(target).items() if n}
    if held:
        raise TargetNotEmpty(", ".join(f"{t}={n}" for t, n in held.items()))
    sql = driver().sql
    counts: dict[str, int] = {}
    for table in pg_schema.TABLES:
        names = columns(source, table)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names)))
        count = 0
        try:
            with target.conn.cursor() as cursor, cursor.copy(statement) as copy:
                for row in _rows(source, table, names):
                    count += 1
                    copy.write_row(row)
        except driver().Error as error:
            detail = error.diag.message_primary if error.diag else str(error)
            raise RowRefused(table, _line(error) or count, detail or str(error)) from None
        counts[table] = count
    advance_identities(target)
    return counts


def _line(error) -> int | None:
    """The row COPY stopped at, from the server's context ("COPY persons, line 5 …")."""
    context = (error.diag.context or "") if error.diag else ""
    with contextlib.suppress(ValueError, IndexError):
        return int(context.split("line ", 1)[1].split(",")[0].split(":")[0])
    return None


def compare_tables(source: Database, target: PgDatabase) -> list[str]:
    """The tables whose rows differ between the two (read back in key order), with the
    first differing key; empty when every row is the same."""
    differences = []
    for table in pg_schema.TABLES:
        names = columns(source, table)
        theirs = target.execute(
            f"SELECT {', '.join(names)} FROM {table} ORDER BY {ORDER[table]}")
        for mine, copied in zip_longest(_rows(source, table, names), theirs):
            if mine is None or copied is None or tuple(mine) != tuple(copied):
                differences.append(f"{table}: {mine[:2] if mine else copied[:2]}")
                break
    return differences


def case_histories(target: PgDatabase) -> Iterator[tuple[int, str, list[dict]]]:
    """(case id, its state, its history rows in order) of every case, for the replay."""
    current: tuple[int, str] | None = None
    rows: list[dict] = []
    for row in target.query(
            "SELECT c.id AS case_id, c.state, h.id, h.from_state, h.to_state FROM cases c"
            " LEFT JOIN history h ON h.case_id = c.id ORDER BY c.id, h.id"):
        key = (row["case_id"], row["state"])
        if current is not None and key[0] != current[0]:
            yield current[0], current[1], rows
            rows = []
        current = key
        if row["id"] is not None:
            rows.append(row)
    if current is not None:
        yield current[0], current[1], rows
