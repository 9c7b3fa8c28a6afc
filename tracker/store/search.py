"""The search keys of names: which ones are stale, and writing them back (the full-text
index `person_search` follows through its triggers, schema migration of issue 14)."""
from __future__ import annotations

from collections.abc import Iterable

from .db import Database


def has_stale_readings(database: Database) -> bool:
    """Names written before every reading was kept (a database from before issue 14)."""
    return database.execute("SELECT 1 FROM name_readings_stale LIMIT 1").fetchone() \
        is not None


def stale_names(database: Database) -> list[tuple[int, str]]:
    """(person id, name) of the names whose readings are to be computed again."""
    return database.execute(
        "SELECT p.id, p.name FROM name_readings_stale s JOIN persons p ON p.id = s.person_id"
    ).fetchall()


def write_readings(database: Database, rows: Iterable[tuple[str, str, int]]) -> None:
    """(name_pinyin, name_initials, person id) for every stale name, in one transaction."""
    with database.transaction() as conn:
        conn.executemany("UPDATE persons SET name_pinyin = ?, name_initials = ? WHERE id = ?",
                         list(rows))
        conn.execute("DELETE FROM name_readings_stale")
