"""What the two engines spell differently, as small SQL fragments (one table per engine).

The store writes its SQL once, in the common subset both engines run (with SQLite's `?`
and `:name` parameters; the PostgreSQL connection translates them). Where SQLite and
PostgreSQL differ (date arithmetic, JSON, upserts, temporary tables, a MATERIALIZED hint
with another meaning), the store asks `database.dialect` for the fragment. The SQLite
fragments are exactly the text the store used before, so the SQLite path runs the same
statements at the same speed (docs/postgresql-design.md, "Decision"; the benchmark
`tests/benchmarks/bench_postgres_dialects.py` checks it). Nothing here imports a driver.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str

    # ------------------------------------------------------------------ dates (ISO text)

    def add_days(self, day: str, days: str) -> str:
        """`day` (an ISO-day expression) plus `days` (an SQL integer expression), as
        ISO text; NULL stays NULL."""
        if self.name == "sqlite":
            return f"date({day}, '+' || {days} || ' days')"
        return f"to_char(({day})::date + ({days})::integer, 'YYYY-MM-DD')"

    def sub_days(self, day: str, days: str) -> str:
        if self.name == "sqlite":
            return f"date({day}, '-' || {days} || ' days')"
        return f"to_char(({day})::date - ({days})::integer, 'YYYY-MM-DD')"

    def iso_day(self, column: str) -> str:
        """The column's first ten characters when they are a real ISO day, else NULL."""
        if self.name == "postgresql":
            return f"tracker_iso_day({column})"
        day = f"substr({column}, 1, 10)"
        # '+0 days' makes SQLite normalise (2026-02-30 -> 2026-03-02): a real day is
        # unchanged. The first test is the common case (a bare day): one date() per row.
        return (f"(CASE WHEN date({column}, '+0 days') IS {column} AND {column} >= '1000'"
                f" THEN {column}"
                f" WHEN date({day}, '+0 days') = {day} AND {day} >= '1000' THEN {day} END)")

    # ------------------------------------------------------------------ JSON (as text)

    def ids_in(self, column: str) -> str:
        """`column IN` the ids of one parameter holding a JSON list of integers."""
        if self.name == "sqlite":
            return f"{column} IN (SELECT value FROM json_each(?))"
        return (f"{column} IN (SELECT value::bigint FROM"
                f" jsonb_array_elements_text((?)::jsonb) AS ids(value))")

    # ------------------------------------------------------------------ statements

    def materialized(self) -> str:
        """The hint that a CTE is computed once (SQLite inlines it otherwise; PostgreSQL
        12+ computes a CTE named more than once only once anyway, and MATERIALIZED there
        would also stop it from pushing filters down)."""
        return "MATERIALIZED " if self.name == "sqlite" else ""

    def insert_or_replace(self, table: str, columns: tuple[str, ...], key: tuple[str, ...]
                          ) -> str:
        """INSERT of one row that replaces the row with the same `key` (column names of
        ours, like `columns`)."""
        if self.name == "sqlite":
            return (f"INSERT OR REPLACE INTO {table} ({', '.join(columns)})"
                    f" VALUES ({', '.join('?' * len(columns))})")
        assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in key)
        return (f"INSERT INTO {table} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})"
                f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {assignments}")

    def insert_or_ignore(self, table: str, columns: tuple[str, ...]) -> str:
        if self.name == "sqlite":
            return (f"INSERT OR IGNORE INTO {table} ({', '.join(columns)})"
                    f" VALUES ({', '.join('?' * len(columns))})")
        return (f"INSERT INTO {table} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))}) ON CONFLICT DO NOTHING")

    def temp_table(self, name: str) -> str:
        """How a temporary table is named in DML (`temp.x` is SQLite's schema name)."""
        return f"temp.{name}" if self.name == "sqlite" else f"pg_temp.{name}"


SQLITE = Dialect("sqlite")
POSTGRESQL = Dialect("postgresql")
