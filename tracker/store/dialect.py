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

    def next_day(self, day: str) -> str:
        """The day after `day` (an ISO-day expression; for the index narrowing)."""
        if self.name == "sqlite":
            return f"date({day}, '+1 days')"
        return f"to_char(({day})::date + 1, 'YYYY-MM-DD')"

    def sub_days_then_next(self, day: str, days: str) -> str:
        """`day` minus `days`, plus one day."""
        if self.name == "sqlite":
            return f"date({day}, '-' || {days} || ' days', '+1 days')"
        return f"to_char(({day})::date - ({days})::integer + 1, 'YYYY-MM-DD')"

    def add_years(self, day: str) -> tuple[str, int]:
        """`day` plus a number of years given by parameters, Python's way (29 February
        becomes 28 February in a common year): (the expression, how many `?` it takes,
        each the same number of years)."""
        if self.name == "postgresql":  # date + interval already keeps Python's rule
            return (f"to_char((({day})::date + make_interval(years => (?)::integer))::date,"
                    f" 'YYYY-MM-DD')", 1)
        later = f"date({day}, '+' || ? || ' years')"
        return (f"(CASE WHEN substr({day}, 6, 5) = '02-29'"
                f" AND {later} IS NOT printf('%04d-02-29', substr({day}, 1, 4) + ?)"
                f" THEN printf('%04d-02-28', substr({day}, 1, 4) + ?) ELSE {later} END)", 4)

    def sub_years_then_two_days(self, day: str, years: str) -> str:
        """`day` minus `years` years, plus two days (the narrowing's margin)."""
        if self.name == "sqlite":
            return f"date({day}, '-' || {years} || ' years', '+2 days')"
        return (f"to_char((({day})::date - make_interval(years => ({years})::integer))::date"
                f" + 2, 'YYYY-MM-DD')")

    def add_months(self, day: str) -> tuple[str, int]:
        """`day` plus a number of months given by parameters; a day the month has not
        (31 January + 1 month) is its last day, as in Python: (expression, `?` count)."""
        if self.name == "postgresql":  # date + interval clamps to the month's end
            return (f"to_char((({day})::date + make_interval(months => (?)::integer))::date,"
                    f" 'YYYY-MM-DD')", 1)
        month = f"date({day}, 'start of month', '+' || ? || ' months')"
        return (f"min(date({month}, '+' || (CAST(substr({day}, 9, 2) AS INTEGER) - 1)"
                f" || ' days'), date({month}, '+1 month', '-1 day'))", 2)

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

    def is_json_object(self, column: str) -> str:
        if self.name == "sqlite":
            return f"json_valid({column}) AND json_type({column}) = 'object'"
        return f"jsonb_typeof(tracker_json({column})) = 'object'"

    def min_int_value(self, column: str) -> str:
        """The smallest integer value of a JSON object (NULL when none)."""
        if self.name == "sqlite":
            return f"(SELECT min(value) FROM json_each({column}) WHERE type = 'integer')"
        return ("(SELECT min((v #>> '{}')::bigint) FROM"
                f" jsonb_each(tracker_json({column})) AS j(k, v)"
                " WHERE jsonb_typeof(v) = 'number' AND (v #>> '{}') ~ '^-?[0-9]+$')")

    def int_values(self, column: str) -> str:
        """A derived table (column `value`) of the integer values of a JSON object."""
        if self.name == "sqlite":
            return f"(SELECT value FROM json_each({column}) WHERE type = 'integer')"
        return ("(SELECT (v #>> '{}')::bigint AS value FROM"
                f" jsonb_each(tracker_json({column})) AS j(k, v)"
                " WHERE jsonb_typeof(v) = 'number' AND (v #>> '{}') ~ '^-?[0-9]+$')")

    def json_key_is(self, column: str, key: str, value: str = "?") -> str:
        """The JSON object in `column` has `key` equal to `value` (a number or true; an
        SQL expression, a parameter by default). `key` is a constant of ours."""
        if self.name == "sqlite":
            return f"json_valid({column}) AND json_extract({column}, '$.{key}') = {value}"
        if value == "1":  # json_extract gives 1 for true
            return f"(tracker_json({column}) ->> '{key}') IN ('1', 'true')"
        return f"(tracker_json({column}) ->> '{key}') = ({value})::text"

    # ------------------------------------------------------------------ text search

    def nocase_equals(self, column: str) -> str:
        """`column` equal to a parameter, ASCII case ignored."""
        if self.name == "sqlite":
            return f"{column} = ? COLLATE NOCASE"
        return f"lower({column}) = lower(?)"

    def like_nocase(self, column: str) -> str:
        """`column LIKE ?` with `\\` as escape, ASCII case ignored (SQLite's LIKE)."""
        if self.name == "sqlite":
            return f"{column} LIKE ? ESCAPE '\\'"
        return f"lower({column}) LIKE lower(?) ESCAPE '\\'"

    def id_tail(self, column: str, length: int) -> str:
        """The last `length` characters (written as the schema's index on them)."""
        if self.name == "sqlite":
            return f"substr({column}, -{length})"
        return f"right({column}, {length})"

    def reading_prefix(self, letters: str) -> tuple[str, str]:
        """A lookup of person ids whose pinyin readings or initials have a word starting
        with `letters` (ASCII letters only): (SELECT …, its one parameter)."""
        if self.name == "sqlite":
            return "SELECT rowid FROM person_search WHERE person_search MATCH ?", f"{letters}*"
        return ("SELECT id FROM persons WHERE lower(name_pinyin || ' ' || name_initials)"
                " ~ ('(^|[^a-z0-9])' || ?)", letters.lower())

    # ------------------------------------------------------------------ statements

    def unindexed(self, column: str) -> str:
        """`column` such that SQLite's planner does not walk its index (`+column`)."""
        return f"+{column}" if self.name == "sqlite" else column

    def count_where(self, condition: str) -> str:
        """How many rows meet `condition`."""
        if self.name == "sqlite":
            return f"sum({condition})"
        return f"count(*) FILTER (WHERE {condition})"

    def false(self) -> str:
        return "0" if self.name == "sqlite" else "false"

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
