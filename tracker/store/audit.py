"""The audit trail: every history row of every case, oldest first, streamed."""
from __future__ import annotations

import json
from collections.abc import Iterator

from . import chain, identity
from .db import Database
from .schema import SCHEMA_VERSION

AUDIT_SQL = (
    "SELECT h.id, h.at, h.as_of, h.case_id, p.employee_no, p.name, p.id_number, h.actor, h.event,"
    " h.from_state, h.to_state, h.note, h.data, h.undoes, h.hash"
    " FROM history h JOIN cases c ON c.id = h.case_id JOIN persons p ON p.id = c.person_id"
)


def audit_rows(database: Database, since: str | None = None, case_id: int | None = None
               ) -> Iterator[dict]:
    """History rows (with the person they concern) from `since` (an ISO date or time,
    compared with the row's time stamp), of one case or all, in the order written."""
    clauses, params = [], []
    if since is not None:
        clauses.append("h.at >= ?")
        params.append(since)
    if case_id is not None:
        clauses.append("h.case_id = ?")
        params.append(case_id)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    cursor = database.execute(AUDIT_SQL + where + " ORDER BY h.id", params)
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values))
        row["data"] = json.loads(row["data"]) if row["data"] else {}
        yield row


def integrity_problems(database: Database) -> list[str]:
    """What `PRAGMA integrity_check` finds (nothing when the file is sound). A database
    server keeps its own pages: nothing to check from here."""
    if database.engine != "sqlite":
        return []
    rows = [r[0] for r in database.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def schema_difference(database: Database) -> str | None:
    """The first table, index, trigger or view that is not, by its SQL text, what this
    version of the tracker builds (the append-only and chain triggers among them). On
    PostgreSQL the schema is built by one script per version, checked when opened."""
    if database.engine != "sqlite":
        return None
    return identity.schema_difference(database.conn, SCHEMA_VERSION)


def history_chain(database: Database) -> tuple[int, dict | None]:
    """(history rows checked, the first row that breaks the hash chain, with its case,
    time, event and why — or None). PostgreSQL computes no chain yet (its history is
    append-only by trigger and privileges): the rows are counted, no break is reported."""
    if database.engine != "sqlite":
        return database.execute("SELECT count(*) FROM history").fetchone()[0], None
    count, found = chain.verify_chain(database)
    if found is None:
        return count, None
    row = database.execute("SELECT id, case_id, at, event FROM history WHERE id = ?",
                                [found.row_id]).fetchone()
    return count, {"id": row[0], "case_id": row[1], "at": row[2], "event": row[3],
                   "reason": found.reason}


def case_histories(database: Database) -> Iterator[tuple[int, str, list[dict]]]:
    """(case id, its state, its history rows in order) of every case, streamed."""
    cursor = database.execute(
        "SELECT c.id, c.state, h.id, h.from_state, h.to_state FROM cases c"
        " LEFT JOIN history h ON h.case_id = c.id ORDER BY c.id, h.id")
    current, state, rows = None, None, []
    for case_id, case_state, row_id, from_state, to_state in cursor:
        if case_id != current:
            if current is not None:
                yield current, state, rows
            current, state, rows = case_id, case_state, []
        if row_id is not None:
            rows.append({"id": row_id, "from_state": from_state, "to_state": to_state})
    if current is not None:
        yield current, state, rows
