"""Queries on persons, cases, materials and history. All SQL is parameterised."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .db import Database
from .query import CASE_BASE, SORTABLE, CaseFilter
from .schema import CASE_FIELDS, PERSON_FIELDS

# --------------------------------------------------------------------------- persons


def person_by_id_number(database: Database, id_number: str) -> dict | None:
    rows = list(database.query("SELECT * FROM persons WHERE id_number = ?", [id_number]))
    return rows[0] if rows else None


def insert_person(database: Database, record: dict[str, Any]) -> int:
    return database.insert_returning_id(
        "INSERT INTO persons (id_number, name, name_pinyin, name_initials, employee_no,"
        " department, company, phone, address, contact_confirmed_on, created_at, updated_at)"
        " VALUES (:id_number, :name, :name_pinyin, :name_initials, :employee_no,"
        " :department, :company, :phone, :address, :contact_confirmed_on, :at, :at)",
        {k: record.get(k) for k in ("id_number", "name", "name_pinyin", "name_initials",
                                    "employee_no", "department", "company", "phone",
                                    "address", "contact_confirmed_on", "at")},
    )


def update_person(database: Database, person_id: int, changes: dict[str, Any], at: str) -> None:
    allowed = set(PERSON_FIELDS) | {"name_pinyin", "name_initials"}
    unknown = set(changes) - allowed
    if unknown:
        raise KeyError(f"not person fields: {sorted(unknown)}")
    if not changes:
        return
    assignments = ", ".join(f"{column} = ?" for column in changes)
    database.execute(f"UPDATE persons SET {assignments}, updated_at = ? WHERE id = ?",
                          [*changes.values(), at, person_id])


# --------------------------------------------------------------------------- cases


def insert_case(database: Database, record: dict[str, Any]) -> int:
    columns = ["person_id", "state", "created_at", "updated_at"]
    columns += [c for c in CASE_FIELDS if c in record and c != "state"]
    values = [record["person_id"], record["state"], record["at"], record["at"]]
    values += [record[c] for c in columns[4:]]
    return database.insert_returning_id(
        f"INSERT INTO cases ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        values)


def update_case(database: Database, case_id: int, changes: dict[str, Any], at: str,
                version: int | None = None) -> bool:
    """Write `changes` and move the case's version on. With `version` (the one read), only
    over that version: False, and nothing written, when someone else changed the case
    since (on PostgreSQL the UPDATE waits for their commit, then finds the version moved)."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise KeyError(f"not case fields: {sorted(unknown)}")
    if not changes and version is None:
        return True
    assignments = "".join(f"{column} = ?, " for column in changes)
    stamp, stamp_params = ("updated_at = ?, ", [at]) if changes else ("", [])
    check, check_params = (" AND version = ?", [version]) if version is not None else ("", [])
    cursor = database.execute(
        f"UPDATE cases SET {assignments}{stamp}version = version + 1 WHERE id = ?{check}",
        [*changes.values(), *stamp_params, case_id, *check_params])
    return cursor.rowcount == 1


def case_versions(database: Database, case_ids: Iterable[int]) -> dict[int, int]:
    """The version of each case (moved on by every write of the case)."""
    return dict(database.execute(
        f"SELECT id, version FROM cases WHERE {database.dialect.ids_in('id')}",
        [json.dumps(list(case_ids))]).fetchall())


def get_case(database: Database, case_id: int) -> dict | None:
    rows = list(database.query("SELECT * FROM case_view WHERE case_id = ?", [case_id]))
    return rows[0] if rows else None


def case_of_person(database: Database, person_id: int, specialty: str) -> dict | None:
    rows = list(database.query(
        "SELECT * FROM case_view WHERE person_id = ? AND specialty = ?", [person_id, specialty]))
    return rows[0] if rows else None


def find_case_ids(database: Database, reference: str) -> list[int]:
    """Cases matching a case id, an employee number (in any case: e000001 is E000001) or
    a full ID number, in that order."""
    text = reference.strip()
    found: list[int] = []
    if text.isdigit() and len(text) < 15:
        found += [r[0] for r in database.execute("SELECT id FROM cases WHERE id = ?",
                                                       [int(text)])]
    found += [r[0] for r in database.execute(
        "SELECT c.id FROM cases c JOIN persons p ON p.id = c.person_id"
        f" WHERE {database.dialect.nocase_equals('p.employee_no')} OR p.id_number = ?"
        " ORDER BY c.id",
        [text, text.upper()])]
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------- listing


def list_cases(database: Database, case_filter: CaseFilter, *, limit: int | None = None,
               offset: int = 0, sort: str = "case_id", descending: bool = False) -> list[dict]:
    where, params = case_filter.where(database.dialect)
    order = SORTABLE.get(sort, "case_id")
    direction = "DESC" if descending else "ASC"
    sql = f"SELECT * FROM case_view{where} ORDER BY {order} {direction}, case_id {direction}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return list(database.query(sql, params))


def count_cases(database: Database, case_filter: CaseFilter) -> int:
    where, params = case_filter.where(database.dialect)
    return database.execute(f"SELECT count(*) FROM {CASE_BASE}{where}", params).fetchone()[0]


def count_by_state(database: Database, case_filter: CaseFilter | None = None) -> dict[str, int]:
    where, params = (case_filter or CaseFilter()).where(database.dialect)
    rows = database.execute(
        f"SELECT state, count(*) FROM {CASE_BASE}{where} GROUP BY state", params)
    return {state: count for state, count in rows}


# --------------------------------------------------------------------------- materials
# R7d: a material row has a scope (the employer of a labour contract, the period of a CE
# proof, '' for the rest); the view current_materials holds the rows that count now.


def materials(database: Database, case_id: int) -> dict[str, str]:
    """Items that count now (current employer and period), with the day each was received."""
    return {item: on for item, on in database.execute(
        "SELECT item, max(received_on) FROM current_materials WHERE case_id = ?"
        " GROUP BY item ORDER BY item", [case_id])}


def materials_of(database: Database, case_ids: Iterable[int]) -> dict[int, set[str]]:
    """The items that count now, of each case."""
    ids = list(case_ids)
    result: dict[int, set[str]] = {i: set() for i in ids}
    for case_id, item in database.execute(
            "SELECT case_id, item FROM current_materials WHERE"
            f" {database.dialect.ids_in('case_id')}", [json.dumps(ids)]):
        result[case_id].add(item)
    return result


def material_rows(database: Database, case_id: int) -> list[tuple[str, str, str]]:
    """Every material row of the case, current or not: (item, scope, received_on)."""
    return [tuple(r) for r in database.execute(
        "SELECT item, scope, received_on FROM materials WHERE case_id = ?"
        " ORDER BY item, received_on, scope", [case_id])]


def material_rows_of(database: Database, case_ids: Iterable[int]
                     ) -> dict[int, set[tuple[str, str]]]:
    """(item, scope) of every material row of each case."""
    ids = list(case_ids)
    result: dict[int, set[tuple[str, str]]] = {i: set() for i in ids}
    for case_id, item, scope in database.execute(
            "SELECT case_id, item, scope FROM materials WHERE"
            f" {database.dialect.ids_in('case_id')}", [json.dumps(ids)]):
        result[case_id].add((item, scope))
    return result


def add_material(database: Database, case_id: int, item: str, on: str, scope: str = "") -> bool:
    cursor = database.execute(
        database.dialect.insert_or_ignore("materials", ("case_id", "item", "scope",
                                                        "received_on")),
        [case_id, item, scope, on])
    return cursor.rowcount > 0


def remove_material(database: Database, case_id: int, item: str, scope: str = "") -> bool:
    cursor = database.execute(
        "DELETE FROM materials WHERE case_id = ? AND item = ? AND scope = ?",
        [case_id, item, scope])
    return cursor.rowcount > 0


def received_on(database: Database, case_id: int, item: str, scope: str) -> str | None:
    row = database.execute(
        "SELECT received_on FROM materials WHERE case_id = ? AND item = ? AND scope = ?",
        [case_id, item, scope]).fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------- CE courses


def ce_courses(database: Database, case_id: int) -> list[dict]:
    """The continuing-education courses of the case, oldest first."""
    return list(database.query(
        "SELECT id, case_id, taken_on, hours, provider, certificate_no, recorded_at, actor"
        " FROM ce_courses WHERE case_id = ? ORDER BY taken_on, id", [case_id]))


def add_ce_course(database: Database, record: dict[str, Any]) -> int:
    return database.insert_returning_id(
        "INSERT INTO ce_courses (case_id, taken_on, hours, provider, certificate_no,"
        " recorded_at, actor) VALUES (:case_id, :taken_on, :hours, :provider,"
        " :certificate_no, :recorded_at, :actor)", record)


def remove_ce_course(database: Database, course_id: int) -> bool:
    cursor = database.execute("DELETE FROM ce_courses WHERE id = ?", [course_id])
    return cursor.rowcount > 0


def ce_course_with_certificate(database: Database, case_id: int, certificate_no: str
                               ) -> dict | None:
    rows = list(database.query(
        "SELECT id, taken_on, hours, provider FROM ce_courses WHERE case_id = ?"
        " AND certificate_no = ?", [case_id, certificate_no]))
    return rows[0] if rows else None


# --------------------------------------------------------------------------- history


def add_history(database: Database, *, case_id: int, at: str, actor: str, event: str,
                from_state: str | None, to_state: str, note: str | None = None,
                data: dict | None = None, undoes: int | None = None) -> int:
    return database.insert_returning_id(
        "INSERT INTO history (case_id, at, actor, event, from_state, to_state, note, data,"
        " undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [case_id, at, actor, event, from_state, to_state, note,
         json.dumps(data, ensure_ascii=False, sort_keys=True) if data else None, undoes])


def _decode(row: dict) -> dict:
    row["data"] = json.loads(row["data"]) if row.get("data") else {}
    return row


def history(database: Database, case_id: int) -> list[dict]:
    return [_decode(r) for r in database.query(
        "SELECT * FROM history WHERE case_id = ? ORDER BY id", [case_id])]


def recent_history(database: Database, limit: int = 20) -> list[dict]:
    return [_decode(r) for r in database.query(
        "SELECT h.*, p.name, p.employee_no FROM history h JOIN cases c ON c.id = h.case_id"
        " JOIN persons p ON p.id = c.person_id ORDER BY h.at DESC, h.id DESC LIMIT ?", [limit])]


# --------------------------------------------------------------------------- exam sittings


def exam_sittings(database: Database) -> list[tuple[int, str]]:
    """(exam year, sitting day) of each year's latest exam notice (the exam_sittings view)."""
    return [tuple(r) for r in database.execute(
        "SELECT exam_year, sitting_on FROM exam_sittings ORDER BY exam_year")]


# --------------------------------------------------------------------------- meta


def get_meta(database: Database, key: str) -> str | None:
    row = database.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(database: Database, key: str, value: str) -> None:
    database.execute(database.dialect.insert_or_replace("meta", ("key", "value"), ("key",)),
                     [key, value])


def distinct_values(database: Database, column: str) -> list[str]:
    """The values a filter can take (company, department, specialty), most common first."""
    if column not in ("company", "department", "specialty"):
        raise KeyError(column)
    table = "cases" if column == "specialty" else "persons"
    rows = database.execute(
        f"SELECT {column}, count(*) AS n FROM {table} WHERE {column} IS NOT NULL"
        f" AND {column} != '' GROUP BY {column} ORDER BY n DESC, {column}")
    return [r[0] for r in rows]


def recent_history_filtered(database: Database, case_filter: CaseFilter, limit: int = 20
                            ) -> list[dict]:
    """The latest history rows of the cases a filter selects, newest first."""
    where, params = case_filter.where(database.dialect)
    if not where:
        return recent_history(database, limit)
    return [_decode(r) for r in database.query(
        "SELECT h.*, p.name, p.employee_no FROM history h JOIN cases c ON c.id = h.case_id"
        " JOIN persons p ON p.id = c.person_id"
        f" WHERE h.case_id IN (SELECT case_id FROM {CASE_BASE}{where})"
        " ORDER BY h.at DESC, h.id DESC LIMIT ?", [*params, limit])]
