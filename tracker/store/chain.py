"""Tamper evidence: each history row carries a SHA-256 chained to the row before it.

The hash of a row covers every column it was written with and the hash of the previous
row (by id), so editing, inserting or removing any row breaks the chain from that row on.
It is computed where rows are inserted, in the database itself: the trigger
`history_chain` (migration 7) seals each new row, whoever inserts it (an event, an
import's bulk INSERT … SELECT, a notice), with the function registered here on every
connection the tracker opens. The same trigger keeps `as_of`, the pinned "today" of the
command that wrote the row (NULL when the day was not pinned), beside `at`, the real time.

A program that has not registered the function cannot add history rows at all (the
trigger fails); one that drops the triggers to rewrite rows leaves a chain that
`verify_chain` names the first broken row of.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

#: The columns a row's hash covers, in order (after the previous row's hash).
COLUMNS = ("id", "case_id", "at", "as_of", "actor", "event", "from_state", "to_state",
           "note", "data", "undoes")
LINK_FUNCTION = "tracker_history_link"
AS_OF_FUNCTION = "tracker_as_of"


def link(previous: str | None, *values) -> str:
    """The hash of a history row: SHA-256 of the previous row's hash and the row's values
    (as stored: integers, text or NULL), as canonical JSON."""
    payload = json.dumps([previous, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def register(conn: sqlite3.Connection, as_of: Callable[[], str | None] = lambda: None) -> None:
    """Make the functions of the history triggers known to `conn` (every connection that
    may insert history rows, or migrate); `as_of` gives the pinned day, if any."""
    conn.create_function(LINK_FUNCTION, 1 + len(COLUMNS), link, deterministic=True)
    conn.create_function(AS_OF_FUNCTION, 0, as_of)


@dataclass(frozen=True)
class ChainBreak:
    """The first history row whose hash is not the one its content and the previous
    row give: `row_id`, and why (missing: no hash at all; mismatch: another hash)."""

    row_id: int
    reason: str


def verify_chain(conn: sqlite3.Connection) -> tuple[int, ChainBreak | None]:
    """Walk the whole history in id order: (rows checked, the first break or None)."""
    cursor = conn.execute(f"SELECT {', '.join(COLUMNS)}, hash FROM history ORDER BY id")
    previous, count = None, 0
    for row in cursor:
        count += 1
        stored = row[-1]
        if stored is None:
            return count, ChainBreak(row[0], "missing")
        if stored != link(previous, *row[:-1]):
            return count, ChainBreak(row[0], "mismatch")
        previous = stored
    return count, None
