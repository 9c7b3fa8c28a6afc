"""The audit trail: every history row of every case, oldest first, streamed."""
from __future__ import annotations

import json
from collections.abc import Iterator

from .db import Database

AUDIT_SQL = (
    "SELECT h.id, h.at, h.case_id, p.employee_no, p.name, p.id_number, h.actor, h.event,"
    " h.from_state, h.to_state, h.note, h.data, h.undoes"
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
    cursor = database.conn.execute(AUDIT_SQL + where + " ORDER BY h.id", params)
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values))
        row["data"] = json.loads(row["data"]) if row["data"] else {}
        yield row
