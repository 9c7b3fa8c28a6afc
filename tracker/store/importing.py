"""Set-based SQL for the bulk import: look up many persons at once, write with executemany.

The caller holds the write transaction (BEGIN IMMEDIATE) for the whole import, so the
next free ids read here stay free: new persons and cases get explicit ids, which lets
the import link a case to its person and a history row to its case without a
round-trip per row. `executemany` with plain tuples: `insert_all` with its default
batches is ~9× slower here (architecture.md).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from .db import Database

#: The person columns an import compares and writes, in this order.
PERSON_COLUMNS = ("name", "employee_no", "department", "company", "phone")
#: The case columns an import compares and writes (never the state of an existing case).
CASE_COLUMNS = ("exam_year", "certificate_no", "registration_no", "valid_until", "ce_hours")


def next_ids(database: Database) -> tuple[int, int]:
    """The next free person id and case id."""
    person = database.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM persons").fetchone()[0]
    case = database.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
    return person, case


def persons_by_id_number(database: Database, id_numbers: Sequence[str]
                         ) -> dict[str, tuple]:
    """id_number -> (person id, name, employee_no, department, company, phone)."""
    if not id_numbers:
        return {}
    rows = database.conn.execute(
        "SELECT p.id_number, p.id, p.name, p.employee_no, p.department, p.company, p.phone"
        " FROM json_each(?) AS wanted JOIN persons p ON p.id_number = wanted.value",
        [json.dumps(list(id_numbers))])
    return {row[0]: row[1:] for row in rows}


def cases_of_persons(database: Database, person_ids: Sequence[int]
                     ) -> dict[tuple[int, str], tuple]:
    """(person id, specialty) -> (case id, state, exam_year, certificate_no,
    registration_no, valid_until, ce_hours) for the constructor qualification."""
    if not person_ids:
        return {}
    rows = database.conn.execute(
        "SELECT c.person_id, c.specialty, c.id, c.state, c.exam_year, c.certificate_no,"
        " c.registration_no, c.valid_until, c.ce_hours"
        " FROM json_each(?) AS wanted JOIN cases c ON c.person_id = wanted.value"
        " WHERE c.qualification = 'constructor_grade2'",
        [json.dumps(list(person_ids))])
    return {(row[0], row[1]): row[2:] for row in rows}


def insert_persons(database: Database, rows: Iterable[tuple]) -> None:
    """rows: (id, id_number, name, name_pinyin, name_initials, employee_no, department,
    company, phone, created_at)."""
    database.conn.executemany(
        "INSERT INTO persons (id, id_number, name, name_pinyin, name_initials, employee_no,"
        " department, company, phone, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?10)", rows)


def update_persons(database: Database, rows: Iterable[tuple]) -> None:
    """rows: (employee_no, department, company, phone, updated_at, id) — the whole
    person as it now stands (the name never changes through an import)."""
    database.conn.executemany(
        "UPDATE persons SET employee_no = ?, department = ?, company = ?, phone = ?,"
        " updated_at = ? WHERE id = ?", rows)


def insert_cases(database: Database, rows: Iterable[tuple]) -> None:
    """rows: (id, person_id, specialty, state, exam_year, certificate_no, registration_no,
    valid_until, ce_hours, created_at)."""
    database.conn.executemany(
        "INSERT INTO cases (id, person_id, specialty, state, exam_year, certificate_no,"
        " registration_no, valid_until, ce_hours, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, 0), ?, ?10)", rows)


def update_cases(database: Database, rows: Iterable[tuple]) -> None:
    """rows: (exam_year, certificate_no, registration_no, valid_until, ce_hours,
    updated_at, id) — the case's data as it now stands."""
    database.conn.executemany(
        "UPDATE cases SET exam_year = ?, certificate_no = ?, registration_no = ?,"
        " valid_until = ?, ce_hours = coalesce(?, 0), updated_at = ? WHERE id = ?", rows)


def insert_history(database: Database, rows: Iterable[tuple]) -> None:
    """rows: (case_id, at, actor, event, from_state, to_state, data JSON)."""
    database.conn.executemany(
        "INSERT INTO history (case_id, at, actor, event, from_state, to_state, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
