"""Official notices (R4) and the cohorts they apply to. All SQL is parameterised."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .db import Database

NOTICE_COLUMNS = ("kind", "exam_year", "opens_on", "deadline", "working_days", "title", "ref",
                  "recorded_at", "actor", "applied", "sitting_on")


def insert_notice(database: Database, record: dict[str, Any]) -> int:
    columns = [c for c in NOTICE_COLUMNS if c in record]
    cursor = database.conn.execute(
        f"INSERT INTO notices ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [record[c] for c in columns])
    return cursor.lastrowid


def set_applied(database: Database, notice_id: int, applied: int) -> None:
    database.conn.execute("UPDATE notices SET applied = ? WHERE id = ?", [applied, notice_id])


def get_notice(database: Database, notice_id: int) -> dict | None:
    rows = list(database.db.query("SELECT * FROM notices WHERE id = ?", [notice_id]))
    return rows[0] if rows else None


def list_notices(database: Database, *, kind: str | None = None,
                 exam_year: int | None = None) -> list[dict]:
    clauses, params = [], []
    if kind:
        clauses.append("kind = ?")
        params.append(kind)
    if exam_year is not None:
        clauses.append("exam_year = ?")
        params.append(exam_year)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return list(database.db.query(f"SELECT * FROM notices{where} ORDER BY id", params))


def cohort(database: Database, states: Sequence[str], exam_year: int) -> list[int]:
    """Ids of the cases of `exam_year` in one of `states` (index cases_state_exam_year)."""
    return [r[0] for r in database.conn.execute(
        f"SELECT id FROM cases WHERE state IN ({', '.join('?' * len(states))})"
        " AND exam_year = ? ORDER BY id", [*states, exam_year])]


def count_without_exam_year(database: Database, states: Sequence[str]) -> int:
    """Cases in `states` with no exam year: no notice can reach them (the officer is told)."""
    return database.conn.execute(
        f"SELECT count(*) FROM cases WHERE state IN ({', '.join('?' * len(states))})"
        " AND exam_year IS NULL", list(states)).fetchone()[0]
