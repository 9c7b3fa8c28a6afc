"""Recorded holiday arrangements (R15): the append-only `calendar` table.

One row per version of a year: an import writes the arrangement, an undo writes the
version it restores (or NULL days: nothing recorded any more). The newest row of a year
is in force. Days are JSON lists of ISO days; `moved` is the JSON list of the deadlines
the change moved (its audit, next to who and when).
"""
from __future__ import annotations

import json
from typing import Any

from .db import Database

COLUMNS = ("year", "action", "holidays", "workdays", "names", "source", "file", "at", "actor",
           "note", "undoes", "moved")
_JSON = ("holidays", "workdays", "names", "moved")


def _decode(row: dict) -> dict:
    for key in _JSON:
        row[key] = json.loads(row[key]) if row.get(key) is not None else None
    return row


def insert_version(database: Database, record: dict[str, Any]) -> int:
    values = {k: record.get(k) for k in COLUMNS}
    for key in _JSON:
        if values[key] is not None:
            values[key] = json.dumps(values[key], ensure_ascii=False, sort_keys=True)
    columns = ", ".join(COLUMNS)  # constants of this module
    return database.insert_returning_id(
        f"INSERT INTO calendar ({columns}) VALUES ({', '.join('?' * len(COLUMNS))})",
        [values[k] for k in COLUMNS])


def versions(database: Database, year: int) -> list[dict]:
    """Every version of `year`, oldest first."""
    return [_decode(r) for r in database.query(
        "SELECT * FROM calendar WHERE year = ? ORDER BY id", [year])]


def in_force(database: Database) -> list[dict]:
    """The newest version of each year that has an arrangement recorded now."""
    return [_decode(r) for r in database.query(
        "SELECT c.* FROM calendar c"
        " WHERE c.id = (SELECT max(id) FROM calendar WHERE year = c.year)"
        " AND c.holidays IS NOT NULL ORDER BY c.year")]
