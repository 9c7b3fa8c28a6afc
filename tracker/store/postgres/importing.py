"""The bulk import on PostgreSQL: the same steps as tracker/store/importing.py, staged
with COPY (docs/postgresql-design.md, phase 2, step 5).

- The explicit ids the import gives new persons and cases are taken under a lock on
  both tables (another officer's import or `tracker add` waits, it cannot take the same
  ids), and the identity sequences are moved past them afterwards.
- New rows go into a typed temporary table (ON COMMIT DROP) through COPY, one stream.
- The history row of each new case is built in Python, as `json.dumps` writes it (the
  bytes SQLite's json_object gives: sorted keys, no spaces), not with json_build_object.
- No index is dropped and no page cache is set: the server's business.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from psycopg import sql

#: The staging table's columns and their types (tracker.store.importing.STAGED_COLUMNS).
_INTEGER = {"case_id", "person_id", "new_person", "line"}


def next_ids(database) -> tuple[int, int]:
    """The next free person and case ids, held until the transaction ends."""
    database.execute("LOCK TABLE persons, cases IN SHARE ROW EXCLUSIVE MODE")
    row = database.execute("SELECT (SELECT coalesce(max(id), 0) + 1 FROM persons),"
                           " (SELECT coalesce(max(id), 0) + 1 FROM cases)").fetchone()
    return row[0], row[1]


def begin_staging(database, columns: tuple[str, ...]) -> None:
    typed = ", ".join(f"{c} {'bigint' if c in _INTEGER else 'ctext'}" for c in columns)
    database.execute("DROP TABLE IF EXISTS pg_temp.import_rows")
    database.execute(f"CREATE TEMP TABLE import_rows ({typed}) ON COMMIT DROP")


def stage(database, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """COPY the rows (in the order of `columns`) into the staging table."""
    statement = sql.SQL("COPY pg_temp.import_rows ({}) FROM STDIN").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    with database._mapped(), database.conn.cursor() as cursor, \
            cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _history_data(line: int, exam_passed_on: str, file_name: str, sha256: str) -> str:
    data = {"file": file_name, "line": line, "sha256": sha256}
    if exam_passed_on:
        data["exam_passed_on"] = exam_passed_on
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def insert_staged(database, *, at: str, actor: str, file_name: str, sha256: str,
                  merge_persons: bool) -> None:
    """The staged persons and cases into the tables, each case with its history row."""
    params = {"at": at}
    persons = (
        "SELECT person_id, min(id_number), min(name), min(name_pinyin), min(name_initials),"
        " nullif(max(employee_no), ''), nullif(max(department), ''),"
        " nullif(max(company), ''), nullif(max(phone), ''), nullif(max(address), ''),"
        " nullif(max(contact_confirmed_on), ''), :at, :at FROM pg_temp.import_rows"
        " WHERE new_person = 1 GROUP BY person_id ORDER BY person_id" if merge_persons else
        "SELECT person_id, id_number, name, name_pinyin, name_initials,"
        " nullif(employee_no, ''), nullif(department, ''), nullif(company, ''),"
        " nullif(phone, ''), nullif(address, ''), nullif(contact_confirmed_on, ''),"
        " :at, :at FROM pg_temp.import_rows WHERE new_person = 1 ORDER BY case_id")
    database.execute(
        "INSERT INTO persons (id, id_number, name, name_pinyin, name_initials,"
        " employee_no, department, company, phone, address, contact_confirmed_on,"
        f" created_at, updated_at) {persons}", params)
    database.execute(
        "INSERT INTO cases (id, person_id, specialty, state, exam_year, certificate_no,"
        " registration_no, valid_until, ce_hours, exempt, certificate_issued_on,"
        " created_at, updated_at)"
        " SELECT case_id, person_id, specialty, state, nullif(exam_year, '')::integer,"
        " nullif(certificate_no, ''), nullif(registration_no, ''), nullif(valid_until, ''),"
        " coalesce(nullif(ce_hours, '')::double precision, 0), nullif(exempt, ''),"
        " nullif(certificate_issued_on, ''), :at, :at FROM pg_temp.import_rows"
        " ORDER BY case_id", params)
    staged = database.execute("SELECT case_id, state, line, exam_passed_on"
                              " FROM pg_temp.import_rows ORDER BY case_id").fetchall()
    database.executemany(
        "INSERT INTO history (case_id, at, actor, event, from_state, to_state, data)"
        " VALUES (?, ?, ?, 'import', NULL, ?, ?)",
        [(case_id, at, actor, state, _history_data(line, passed or "", file_name, sha256))
         for case_id, state, line, passed in staged])
    from .db import advance_identities

    advance_identities(database, ("persons", "cases"))


def persons_by_id_number(database, id_numbers: list[str]) -> dict[str, tuple]:
    rows = database.execute(
        "SELECT p.id_number, p.id, p.name, p.employee_no, p.department, p.company, p.phone,"
        " p.address, p.contact_confirmed_on"
        " FROM jsonb_array_elements_text((?)::jsonb) AS wanted(value)"
        " JOIN persons p ON p.id_number = wanted.value::ctext",
        [json.dumps(id_numbers)])
    return {row[0]: row[1:] for row in rows}


def cases_of_persons(database, person_ids: list[int]) -> dict[tuple[int, str], tuple]:
    rows = database.execute(
        "SELECT c.person_id, c.specialty, c.id, c.state, c.exam_year, c.certificate_no,"
        " c.registration_no, c.valid_until, c.ce_hours, c.exempt, c.certificate_issued_on"
        " FROM jsonb_array_elements_text((?)::jsonb) AS wanted(value)"
        " JOIN cases c ON c.person_id = wanted.value::bigint"
        " WHERE c.qualification = 'constructor_grade2'",
        [json.dumps(person_ids)])
    return {(row[0], row[1]): row[2:] for row in rows}
