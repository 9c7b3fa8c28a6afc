"""Official notices (R4), the cohorts they apply to, and the case deadlines that came
from each notice (`notice_deadlines`, R15). All SQL is parameterised."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .db import Database

NOTICE_COLUMNS = ("kind", "exam_year", "opens_on", "deadline", "working_days", "title", "ref",
                  "recorded_at", "actor", "applied", "sitting_on",
                  "deadline_calendar")
#: The case columns a notice's deadline is written to (an exam or certificate notice writes
#: none).
DEADLINE_FIELDS = ("review_deadline", "paper_closes")


def insert_notice(database: Database, record: dict[str, Any]) -> int:
    columns = [c for c in NOTICE_COLUMNS if c in record]
    return database.insert_returning_id(
        f"INSERT INTO notices ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [record[c] for c in columns])


def set_applied(database: Database, notice_id: int, applied: int) -> None:
    database.execute("UPDATE notices SET applied = ? WHERE id = ?", [applied, notice_id])


def get_notice(database: Database, notice_id: int) -> dict | None:
    rows = list(database.query("SELECT * FROM notices WHERE id = ?", [notice_id]))
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
    return list(database.query(f"SELECT * FROM notices{where} ORDER BY id", params))


def cohort(database: Database, states: Sequence[str], exam_year: int) -> list[int]:
    """Ids of the cases of `exam_year` in one of `states` (index cases_state_exam_year)."""
    if not states:  # `IN ()` is SQLite's only
        return []
    return [r[0] for r in database.execute(
        f"SELECT id FROM cases WHERE state IN ({', '.join('?' * len(states))})"
        " AND exam_year = ? ORDER BY id", [*states, exam_year])]


def count_without_exam_year(database: Database, states: Sequence[str]) -> int:
    """Cases in `states` with no exam year: no notice can reach them (the officer is told)."""
    if not states:
        return 0
    return database.execute(
        f"SELECT count(*) FROM cases WHERE state IN ({', '.join('?' * len(states))})"
        " AND exam_year IS NULL", list(states)).fetchone()[0]


# --------------------------------------------------------------------------- R15: recounting


def counted_notices(database: Database) -> list[dict]:
    """The notices whose deadline is N working days after their opening day, oldest first."""
    return list(database.query(
        "SELECT * FROM notices WHERE working_days IS NOT NULL AND opens_on IS NOT NULL"
        " AND withdrawn_at IS NULL ORDER BY id"))


def set_deadline(database: Database, notice_id: int, deadline: str, basis: str) -> None:
    database.execute("UPDATE notices SET deadline = ?, deadline_calendar = ? WHERE id = ?",
                          [deadline, basis, notice_id])


def link_deadlines(database: Database, notice_id: int, field: str, case_ids: Sequence[int]
                   ) -> None:
    """Remember that the cases' `field` now holds the deadline of the notice."""
    if field not in DEADLINE_FIELDS:
        raise KeyError(field)
    database.executemany(
        database.dialect.insert_or_replace("notice_deadlines", ("case_id", "field", "notice_id"),
                                           ("case_id", "field")),
        [(case_id, field, notice_id) for case_id in case_ids])


def linked_cases(database: Database, notice_id: int, column: str, value: str) -> list[dict]:
    """The cases (case_view rows) whose `column` came from the notice and still holds
    `value` (a date changed since by hand is not the notice's any more)."""
    if column not in DEADLINE_FIELDS:  # a constant of ours, never user text
        raise KeyError(column)
    return list(database.query(
        "SELECT v.* FROM notice_deadlines l JOIN case_view v ON v.case_id = l.case_id"
        f" WHERE l.notice_id = ? AND l.field = ? AND v.{column} = ? ORDER BY v.case_id",
        [notice_id, column, value]))


def provisional_links(database: Database) -> list[tuple[int, str]]:
    """(case id, field) of every case deadline that still holds a provisional count."""
    return [(r[0], r[1]) for r in database.execute(
        "SELECT l.case_id, l.field FROM notices n"
        " JOIN notice_deadlines l ON l.notice_id = n.id JOIN cases c ON c.id = l.case_id"
        " WHERE n.deadline_calendar = 'provisional' AND n.withdrawn_at IS NULL"
        " AND ((l.field = 'review_deadline' AND c.review_deadline = n.deadline)"
        " OR (l.field = 'paper_closes' AND c.paper_closes = n.deadline))")]


# --------------------------------------------------------------------------- corrections


def notice_history_rows(database: Database, notice_id: int) -> list[tuple[int, int]]:
    """(history id, case id) of every history row the notice wrote (its data names it)."""
    return [(r[0], r[1]) for r in database.execute(
        f"SELECT id, case_id FROM history WHERE {database.dialect.json_key_is('data', 'notice_id')}"
        " AND undoes IS NULL ORDER BY id",
        [notice_id])]


def correct_notice(database: Database, notice_id: int, changes: dict[str, Any]) -> None:
    """Set the notice's corrected deadline (or sitting) and how it was counted."""
    allowed = {"deadline", "deadline_calendar", "opens_on", "working_days", "sitting_on"}
    columns = [c for c in changes if c in allowed]  # constants of ours, never user text
    assignments = ", ".join(f"{c} = ?" for c in columns)
    database.execute(f"UPDATE notices SET {assignments} WHERE id = ?",
                          [changes[c] for c in columns] + [notice_id])


def withdraw(database: Database, notice_id: int, at: str) -> None:
    database.execute("UPDATE notices SET withdrawn_at = ? WHERE id = ?", [at, notice_id])
    database.execute("DELETE FROM notice_deadlines WHERE notice_id = ?", [notice_id])


def add_change(database: Database, record: dict[str, Any]) -> int:
    columns = ["notice_id", "at", "actor", "change", "before", "after", "note", "moved", "kept"]
    return database.insert_returning_id(
        f"INSERT INTO notice_changes ({', '.join(columns)})"
        f" VALUES ({', '.join('?' * len(columns))})", [record.get(c) for c in columns])


def notice_changes(database: Database, notice_id: int) -> list[dict]:
    return list(database.query(
        "SELECT * FROM notice_changes WHERE notice_id = ? ORDER BY id", [notice_id]))
