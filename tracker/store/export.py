"""Set-based reads for the exports: the whole (filtered) register as one streamed query.

One SELECT over `case_view`, with the same WHERE as `tracker list` (CaseFilter), read in
batches with `fetchmany`, so 100,000 cases never sit in memory at once. A single SELECT
sees one consistent snapshot even while another process writes (WAL).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .cases import SORTABLE, CaseFilter
from .db import Database

#: Rows fetched per round trip: large enough to amortise, small enough for memory.
BATCH = 2000


def register_query(case_filter: CaseFilter, sort: str = "case_id",
                   columns: str = "*") -> tuple[str, list[Any]]:
    """The SQL and parameters of the register (also what the benchmark gives sqlite3)."""
    where, params = case_filter.where()
    order = SORTABLE.get(sort, "case_id")
    return f"SELECT {columns} FROM case_view{where} ORDER BY {order}, case_id", params


def register_batches(database: Database, case_filter: CaseFilter, sort: str = "case_id",
                     size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    """The register as lists of case_view rows (dicts) of at most `size`, in `sort` order.

    Batches let the caller look up per-case facts (the next deadline) with one query per
    batch instead of one per case.
    """
    sql, params = register_query(case_filter, sort)
    cursor = database.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    try:
        while True:
            batch = cursor.fetchmany(size)
            if not batch:
                return
            yield [dict(zip(names, row)) for row in batch]
    finally:
        cursor.close()


def iter_register(database: Database, case_filter: CaseFilter,
                  sort: str = "case_id") -> Iterator[dict[str, Any]]:
    """Every case of the register as a case_view row (a dict), in `sort` order."""
    for batch in register_batches(database, case_filter, sort):
        yield from batch
