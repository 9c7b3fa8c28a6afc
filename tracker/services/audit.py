"""The audit trail (`tracker history --all`): what happened to every case, for auditors.

History rows are append-only (triggers refuse UPDATE and DELETE on the table, and no
code path of the tracker issues either), so this export is the complete record. ID
numbers are masked unless asked for, as in every other export; CSV cells that would
start a formula are neutralised.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from ..domain import idcard
from ..store import audit as store
from .context import Context
from .views import history_object

#: Columns of the CSV export, in order (JSON objects have the same keys).
#: `at` is the real time of recording, `as_of` the pinned day of the command (if any);
#: `hash` is the row's link in the tamper-evident chain (`tracker verify`).
COLUMNS = ("id", "at", "case_id", "employee_no", "name", "id_number", "actor", "event",
           "from_state", "to_state", "note", "undoes", "data", "as_of", "hash")


def audit_trail(ctx: Context, *, since: date | None = None, case_id: int | None = None,
                full_id: bool = False) -> Iterator[dict[str, Any]]:
    """Every history row from `since` on (all without it), of one case or of all,
    oldest first, as objects."""
    for row in store.audit_rows(ctx.db, since.isoformat() if since else None, case_id):
        obj = history_object(row, full_id)
        yield {
            "id": obj["id"], "at": obj["at"], "case_id": row["case_id"],
            "employee_no": row["employee_no"], "name": row["name"],
            "id_number": row["id_number"] if full_id else idcard.mask(row["id_number"]),
            "actor": obj["actor"], "event": obj["event"], "from_state": obj["from_state"],
            "to_state": obj["to_state"], "note": obj["note"], "undoes": obj["undoes"],
            "data": obj["data"], "as_of": row["as_of"], "hash": row["hash"],
        }


def csv_cells(obj: dict[str, Any]) -> list[Any]:
    """One CSV row: the data as JSON text (the CSV writer, tracker.services.csvfile,
    makes every text cell safe to open in Excel or WPS)."""
    cells = []
    for key in COLUMNS:
        value = obj[key]
        if key == "data":
            value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
        cells.append("" if value is None else value)
    return cells
