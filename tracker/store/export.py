"""Set-based reads for the exports: the whole (filtered) register as one streamed query.

One SELECT over `case_view`, with the same WHERE as `tracker list` (CaseFilter), read in
batches with `fetchmany`, so 100,000 cases never sit in memory at once. A single SELECT
sees one consistent snapshot even while another process writes (WAL).

The next deadline of every case comes from the same statement: the deadline SQL of
`tracker.store.deadlines` (held to the Python reference by its tests), reduced to the
soonest deadline per case with a window function, and LEFT JOINed — one query for the
whole register instead of one per case or per batch.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .db import Database
from .deadlines import DeadlineSpec, deadline_union
from .dialect import SQLITE, Dialect
from .query import SORTABLE, CaseFilter

#: Rows fetched per round trip: large enough to amortise, small enough for memory.
BATCH = 2000

#: The case_view columns the register reads, in this order (rows are tuples).
REGISTER_FIELDS = (
    "case_id", "employee_no", "name", "id_number", "company", "department", "phone",
    "specialty", "state", "exam_year", "review_deadline", "certificate_no",
    "certificate_date", "channel", "channel_proxy", "employer", "registration_no",
    "valid_from", "valid_until", "ce_hours", "updated_at", "subjects",
)
#: Appended after REGISTER_FIELDS when deadlines are asked for.
DEADLINE_FIELDS = ("next_deadline_kind", "next_deadline_on")


def register_query(case_filter: CaseFilter, sort: str = "case_id",
                   deadlines: DeadlineSpec | None = None,
                   fields: tuple[str, ...] = REGISTER_FIELDS,
                   dialect: Dialect = SQLITE) -> tuple[str, list[Any]]:
    """The SQL and parameters of the register (also what the benchmark gives sqlite3).

    With `deadlines`, two more columns: the kind and the day of each case's soonest
    deadline (NULL when it has none).
    """
    where, params = case_filter.where(dialect)
    order = SORTABLE.get(sort, "case_id")
    columns = ", ".join(fields)
    if deadlines is None:
        return (f"SELECT {columns} FROM case_view{where} ORDER BY {order}, case_id",
                list(params))
    union, union_params = deadline_union(deadlines, dialect=dialect)
    sql = (f"WITH due AS ({union}),"
           " soonest AS (SELECT case_id, kind, due_on FROM (SELECT case_id, kind, due_on,"
           " row_number() OVER (PARTITION BY case_id ORDER BY due_on, rank) AS n"
           " FROM due WHERE due_on IS NOT NULL) AS ranked WHERE n = 1)"
           f" SELECT {columns}, next_deadline_kind, next_deadline_on FROM ("
           " SELECT v.*, s.kind AS next_deadline_kind, s.due_on AS next_deadline_on"
           " FROM case_view v LEFT JOIN soonest s ON s.case_id = v.case_id) AS register"
           f"{where} ORDER BY {order}, case_id")
    return sql, [*union_params, *params]


def register_batches(database: Database, case_filter: CaseFilter, sort: str = "case_id",
                     deadlines: DeadlineSpec | None = None,
                     size: int = BATCH) -> Iterator[list[tuple]]:
    """The register as lists of tuples (REGISTER_FIELDS [+ DEADLINE_FIELDS]), in order."""
    sql, params = register_query(case_filter, sort, deadlines, dialect=database.dialect)
    cursor = database.execute(sql, params)
    try:
        while True:
            batch = cursor.fetchmany(size)
            if not batch:
                return
            yield batch
    finally:
        cursor.close()
