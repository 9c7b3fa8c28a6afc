"""Set-based SQL for the bulk import.

The caller holds the write transaction (BEGIN IMMEDIATE) for the whole import, so the
next free ids read here stay free: new persons and cases get explicit ids, which links
a case to its person and a history row to its case without a round-trip per row.

New persons and cases are staged in a TEMP table with `executemany` (one binding of each
row), then moved with three INSERT … SELECT statements, the history rows built in SQL. Measured on 100,000 rows here: executemany straight into `persons` with its seven
indexes took 5.8 s, staging plus INSERT … SELECT 2.4 s. For a large import into a
table that is empty (the first import of a staff list) the secondary indexes
are dropped and rebuilt inside the same transaction: CREATE INDEX sorts once instead of
700,000 random B-tree inserts (~1 s saved then with SQLite's default 2 MB page cache,
0.15 s with the 8 MiB cache the import now sets). The UNIQUE constraints stay, and a
rollback restores the indexes with everything else.

Changes to existing persons and cases are few; they are written with executemany.

On PostgreSQL the same steps stage with COPY instead (tracker/store/postgres/importing.py:
ids taken under a table lock, history JSON built in Python, no index dropped).
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Sequence

from .db import Database

#: Tables whose secondary indexes a bulk load rebuilds instead of maintaining.
BULK_TABLES = ("persons", "cases", "history")


def _server(database: Database):
    """The PostgreSQL steps, for a database on a server; None for SQLite."""
    if database.engine != "postgresql":
        return None
    from .postgres import importing

    return importing


def next_ids(database: Database) -> tuple[int, int]:
    """The next free person id and case id."""
    if (server := _server(database)) is not None:
        return server.next_ids(database)
    person = database.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM persons").fetchone()[0]
    case = database.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0]
    return person, case


def bulk_tables_empty(database: Database) -> bool:
    """No row yet in persons, cases or history (the tables whose indexes a bulk load
    may rebuild)."""
    return not database.execute(
        "SELECT EXISTS (SELECT 1 FROM persons) OR EXISTS (SELECT 1 FROM cases)"
        " OR EXISTS (SELECT 1 FROM history)").fetchone()[0]


def persons_by_id_number(database: Database, id_numbers: Sequence[str]
                         ) -> dict[str, tuple]:
    """id_number -> (person id, name, employee_no, department, company, phone, address,
    contact_confirmed_on)."""
    if not id_numbers:
        return {}
    if (server := _server(database)) is not None:
        return server.persons_by_id_number(database, list(id_numbers))
    rows = database.conn.execute(
        "SELECT p.id_number, p.id, p.name, p.employee_no, p.department, p.company, p.phone,"
        " p.address, p.contact_confirmed_on"
        " FROM json_each(?) AS wanted JOIN persons p ON p.id_number = wanted.value",
        [json.dumps(list(id_numbers))])
    return {row[0]: row[1:] for row in rows}


def cases_of_persons(database: Database, person_ids: Sequence[int]
                     ) -> dict[tuple[int, str], tuple]:
    """(person id, specialty) -> (case id, state, exam_year, certificate_no,
    registration_no, valid_until, ce_hours, exempt, certificate_issued_on) for the
    constructor qualification."""
    if not person_ids:
        return {}
    if (server := _server(database)) is not None:
        return server.cases_of_persons(database, list(person_ids))
    rows = database.conn.execute(
        "SELECT c.person_id, c.specialty, c.id, c.state, c.exam_year, c.certificate_no,"
        " c.registration_no, c.valid_until, c.ce_hours, c.exempt, c.certificate_issued_on"
        " FROM json_each(?) AS wanted JOIN cases c ON c.person_id = wanted.value"
        " WHERE c.qualification = 'constructor_grade2'",
        [json.dumps(list(person_ids))])
    return {(row[0], row[1]): row[2:] for row in rows}


# --------------------------------------------------------------------------- staging


#: The staging table: one row per new case, with its person (new or not).
STAGED_COLUMNS = (
    "case_id", "person_id", "new_person", "id_number", "name", "name_pinyin",
    "name_initials", "employee_no", "department", "company", "phone", "specialty", "state",
    "exam_year", "certificate_no", "registration_no", "valid_until", "ce_hours", "line",
    "exam_passed_on", "address", "contact_confirmed_on", "exempt", "certificate_issued_on",
)


def begin_staging(database: Database) -> None:
    if (server := _server(database)) is not None:
        return server.begin_staging(database, STAGED_COLUMNS)
    database.conn.execute("DROP TABLE IF EXISTS temp.import_rows")
    # case_id is the rowid: the rows are read back in case order without a sort.
    columns = ", ".join(("case_id INTEGER PRIMARY KEY" if c == "case_id" else c)
                        for c in STAGED_COLUMNS)
    database.conn.execute(f"CREATE TEMP TABLE import_rows ({columns})")


def stage(database: Database, rows: Iterable[tuple]) -> None:
    """rows: tuples in the order of STAGED_COLUMNS; new_person is 1 on every row of a
    person this import creates (the person fields then hold what the file says).

    An empty value is staged as '' rather than None (insert_staged turns it into NULL):
    Python 3.11's sqlite3 binds None through its adapter lookup, ~1 µs a parameter,
    measured 0.5 s of 1.1 s for staging 100,000 rows; '' binds like any string."""
    if (server := _server(database)) is not None:
        return server.stage(database, STAGED_COLUMNS, rows)
    database.conn.executemany(
        f"INSERT INTO temp.import_rows VALUES ({', '.join('?' * len(STAGED_COLUMNS))})", rows)


def insert_staged(database: Database, *, at: str, actor: str, file_name: str,
                  sha256: str, merge_persons: bool) -> None:
    """Move the staged persons and cases into the database, each case with its first
    history row: event "import", from no state, data naming the file, its SHA-256 and
    the line (and the exam-passed date, which has no column of its own).

    With `merge_persons` (some new person has several rows), a person's fields are the
    non-empty values of its rows, which the import has checked do not disagree.
    """
    if (server := _server(database)) is not None:
        return server.insert_staged(database, at=at, actor=actor, file_name=file_name,
                                    sha256=sha256, merge_persons=merge_persons)
    conn = database.conn
    params = {"at": at}
    if merge_persons:
        conn.execute(
            "INSERT INTO persons (id, id_number, name, name_pinyin, name_initials,"
            " employee_no, department, company, phone, address, contact_confirmed_on,"
            " created_at, updated_at)"
            " SELECT person_id, min(id_number), min(name), min(name_pinyin),"
            " min(name_initials), nullif(max(employee_no), ''), nullif(max(department), ''),"
            " nullif(max(company), ''), nullif(max(phone), ''), nullif(max(address), ''),"
            " nullif(max(contact_confirmed_on), ''), :at, :at"
            " FROM temp.import_rows WHERE new_person GROUP BY person_id ORDER BY person_id",
            params)
    else:
        conn.execute(
            "INSERT INTO persons (id, id_number, name, name_pinyin, name_initials,"
            " employee_no, department, company, phone, address, contact_confirmed_on,"
            " created_at, updated_at)"
            " SELECT person_id, id_number, name, name_pinyin, name_initials,"
            " nullif(employee_no, ''), nullif(department, ''), nullif(company, ''),"
            " nullif(phone, ''), nullif(address, ''), nullif(contact_confirmed_on, ''),"
            " :at, :at FROM temp.import_rows WHERE new_person"
            # One row per new person, whose ids grow with the case ids: in person order.
            " ORDER BY case_id", params)
    conn.execute(
        "INSERT INTO cases (id, person_id, specialty, state, exam_year, certificate_no,"
        " registration_no, valid_until, ce_hours, exempt, certificate_issued_on,"
        " created_at, updated_at)"
        " SELECT case_id, person_id, specialty, state, nullif(exam_year, ''),"
        " nullif(certificate_no, ''), nullif(registration_no, ''), nullif(valid_until, ''),"
        " coalesce(nullif(ce_hours, ''), 0), nullif(exempt, ''),"
        " nullif(certificate_issued_on, ''), :at, :at FROM temp.import_rows ORDER BY case_id",
        params)
    # json_object keeps the keys in the order given: sorted, as store.add_history writes.
    conn.execute(
        "INSERT INTO history (case_id, at, actor, event, from_state, to_state, data)"
        " SELECT case_id, :at, :actor, 'import', NULL, state, CASE WHEN exam_passed_on = ''"
        " THEN json_object('file', :file, 'line', line, 'sha256', :sha)"
        " ELSE json_object('exam_passed_on', exam_passed_on, 'file', :file, 'line', line,"
        " 'sha256', :sha) END FROM temp.import_rows ORDER BY case_id",
        {"at": at, "actor": actor, "file": file_name, "sha": sha256})


def end_staging(database: Database) -> None:
    database.execute(f"DROP TABLE IF EXISTS {database.dialect.temp_table('import_rows')}")


#: SQLite's page cache while a bulk import runs (its default, -2000, is 2,000 KiB).
#: Measured on 100,000 rows: 8 MiB saves ~0.15 s of CPU and ~0.3 s of waiting (pages no
#: longer spill to the WAL and are read back) for 9 MB more memory; 32 MiB gains nothing
#: more. Constant statements: a PRAGMA takes no bound parameter.
BULK_CACHE = "PRAGMA cache_size = -8192"
DEFAULT_CACHE = "PRAGMA cache_size = -2000"


@contextlib.contextmanager
def page_cache(database: Database) -> Iterator[None]:
    """An 8 MiB page cache for the duration of a bulk import, then SQLite's default
    again (it grows only as pages are used). A connection given another size keeps it.
    Nothing on PostgreSQL (the server's memory)."""
    if database.engine != "sqlite":
        yield
        return
    conn = database.conn
    if conn.execute("PRAGMA cache_size").fetchone()[0] != -2000:
        yield
        return
    conn.execute(BULK_CACHE)
    try:
        yield
    finally:
        conn.execute(DEFAULT_CACHE)


# --------------------------------------------------------------------------- indexes


def drop_secondary_indexes(database: Database) -> list[str]:
    """Drop the indexes of persons, cases and history that SQLite does not own (those of
    UNIQUE constraints stay); return their CREATE statements for `recreate_indexes`.
    None on PostgreSQL (COPY into the staging table makes it moot)."""
    if database.engine != "sqlite":
        return []
    rows = database.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({', '.join('?' * len(BULK_TABLES))}) ORDER BY name",
        BULK_TABLES).fetchall()
    for name, _ in rows:
        database.conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def recreate_indexes(database: Database, statements: Iterable[str]) -> None:
    for sql in statements:
        database.conn.execute(sql)


# --------------------------------------------------------------------------- changes


def update_persons(database: Database, rows: Iterable[tuple]) -> None:
    """rows: (employee_no, department, company, phone, address, contact_confirmed_on,
    updated_at, id) — the whole person as it now stands (the name never changes through
    an import)."""
    database.executemany(
        "UPDATE persons SET employee_no = ?, department = ?, company = ?, phone = ?,"
        " address = ?, contact_confirmed_on = ?, updated_at = ? WHERE id = ?", rows)


def update_cases(database: Database, rows: Iterable[tuple]) -> None:
    """rows: (exam_year, certificate_no, registration_no, valid_until, ce_hours, exempt,
    certificate_issued_on, updated_at, id) — the case's data as it now stands."""
    database.executemany(
        "UPDATE cases SET exam_year = ?, certificate_no = ?, registration_no = ?,"
        " valid_until = ?, ce_hours = coalesce(?, 0), exempt = ?, certificate_issued_on = ?,"
        " updated_at = ?, version = version + 1 WHERE id = ?", rows)


def insert_history(database: Database, rows: Iterable[tuple]) -> None:
    """rows: (case_id, at, actor, event, from_state, to_state, data JSON)."""
    database.executemany(
        "INSERT INTO history (case_id, at, actor, event, from_state, to_state, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
