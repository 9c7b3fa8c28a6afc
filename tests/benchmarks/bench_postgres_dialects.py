"""How should the store speak two dialects? Prototypes, measured on SQLite (run by hand).

Two ways, each on the same three representative queries:

- **dialect fragments** (`tracker.store.dialect`): the SQL stays text, written once; what
  the engines spell differently comes from a small per-engine table of fragments;
- **SQLAlchemy Core**: tables declared as `Table` objects, queries built as expressions,
  compiled per engine (date arithmetic through `@compiles` constructs).

The queries: the case lookup (`tracker show`), the bulk insert of the import (staging
100,000 rows), and the deadline union (`tracker.store.deadlines`; three of its kinds).

Usage (SQLAlchemy only for this benchmark: `pip install sqlalchemy`):

    python tests/benchmarks/bench_postgres_dialects.py check [--db DEMO.db]
        # the fragments give SQLite byte-identical SQL; in-process timings of the three
        # queries for current / fragments / Core, with ratios
    python tests/benchmarks/bench_postgres_dialects.py cli VARIANT -- TRACKER ARGS
        # `tracker ARGS` with the case lookup and the staging of the import done the
        # VARIANT way (current, dialect, sqlalchemy): for whole-process pairs, e.g.
        #   /usr/bin/time -v python … cli sqlalchemy -- --db demo.db show 1
    python tests/benchmarks/bench_postgres_dialects.py pg URL [--db DEMO.db]
        # the fragment queries on PostgreSQL (a database made by `tracker migrate-to`)
        # give the rows SQLite gives

Nothing here asserts a time; the figures are in docs/postgresql-design.md.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

KINDS = ("review_deadline", "certificate_not_collected", "registration_expiry")


def spec():
    from tracker.domain.rules import DEFAULT_RULES
    from tracker.services.query import spec_for

    return spec_for(DEFAULT_RULES, date(2026, 11, 25))


# --------------------------------------------------------------------------- fragments


def union_with_fragments(spec, dialect, kinds=KINDS):
    """The deadline union of `kinds`, its differences taken from `dialect` (the shape
    `tracker.store.deadlines.deadline_union` takes in phase 2)."""

    def _in(values):
        return "(" + ", ".join("?" * len(values)) + ")"

    published = dialect.iso_day("certificate_available_on")
    due = {
        "review_deadline": (dialect.iso_day("review_deadline"), ()),
        "certificate_not_collected": (dialect.add_days(published, "?"),
                                      (spec.certificate_stale_days,)),
        "registration_expiry": (dialect.iso_day("valid_until"), ()),
    }
    parts, params = [], []
    for kind in kinds:
        states = list(spec.states[kind])
        expression, due_params = due[kind]
        if kind in spec.flags and spec.today is not None:  # raised on its day only
            expression = f"(CASE WHEN {expression} <= ? THEN {expression} END)"
            due_params = (*due_params, spec.today, *due_params)
        parts.append(f"SELECT case_id, ? AS kind, {expression} AS due_on, ? AS rank FROM ("
                     f"SELECT id AS case_id, * FROM cases WHERE state IN {_in(states)}"
                     f") AS {kind}")
        params.extend([kind, *due_params, spec.rank[kind], *states])
    return "\nUNION ALL\n".join(parts), params


def union_reference(spec, kinds=KINDS):
    """The same three branches as the store writes them today."""
    from tracker.store.deadlines import deadline_union

    sql, params = deadline_union(spec)
    parts = sql.split("\nUNION ALL\n")
    # Parameters per branch: kind, due params, rank, states (no narrowing, no filter).
    from tracker.store.deadlines import branches

    kept_sql, kept_params, offset = [], [], 0
    for part, branch in zip(parts, branches(spec)):
        count = (2 + len(branch.due_params) + len(spec.states[branch.kind])
                 + len(branch.where_params))
        if branch.kind in spec.flags and spec.today is not None:
            count += 1 + len(branch.due_params)
        if branch.kind in kinds:
            kept_sql.append(part)
            kept_params.extend(params[offset:offset + count])
        offset += count
    return "\nUNION ALL\n".join(kept_sql), kept_params


# --------------------------------------------------------------------------- SQLAlchemy


def sqlalchemy_model():
    """Every table and view the store reads, as SQLAlchemy Core would need them (a real
    port declares them all: the import-time cost below is that of the whole model)."""
    import sqlalchemy as sa

    metadata = sa.MetaData()
    text, integer, real = sa.Text, sa.Integer, sa.Float
    person_columns = [("id_number", text), ("name", text), ("name_pinyin", text),
                      ("name_initials", text), ("employee_no", text), ("department", text),
                      ("company", text), ("phone", text), ("created_at", text),
                      ("updated_at", text), ("address", text), ("contact_confirmed_on", text)]
    case_columns = [("qualification", text), ("specialty", text), ("state", text),
                    ("exam_year", integer), ("subjects", text), ("review_deadline", text),
                    ("review_submitted_on", text), ("review_result_on", text),
                    ("certificate_available_on", text), ("appointment", text),
                    ("certificate_no", text), ("certificate_date", text), ("channel", text),
                    ("channel_proxy", integer), ("employer", text),
                    ("registration_applied_on", text), ("registration_no", text),
                    ("valid_from", text), ("valid_until", text), ("ce_hours", real),
                    ("created_at", text), ("updated_at", text), ("paper_opens", text),
                    ("paper_closes", text), ("exempt", text), ("postage", real),
                    ("paper_collected_on", text), ("correction_open", integer)]
    persons = sa.Table("persons", metadata, sa.Column("id", integer, primary_key=True),
                       *(sa.Column(n, t) for n, t in person_columns))
    cases = sa.Table("cases", metadata, sa.Column("id", integer, primary_key=True),
                     sa.Column("person_id", integer, sa.ForeignKey("persons.id")),
                     *(sa.Column(n, t) for n, t in case_columns))
    sa.Table("materials", metadata, sa.Column("case_id", integer, primary_key=True),
             sa.Column("item", text, primary_key=True), sa.Column("received_on", text))
    sa.Table("history", metadata, sa.Column("id", integer, primary_key=True),
             *(sa.Column(n, t) for n, t in [
                 ("case_id", integer), ("at", text), ("actor", text), ("event", text),
                 ("from_state", text), ("to_state", text), ("note", text), ("data", text),
                 ("undoes", integer)]))
    sa.Table("notices", metadata, sa.Column("id", integer, primary_key=True),
             *(sa.Column(n, t) for n, t in [
                 ("kind", text), ("exam_year", integer), ("opens_on", text),
                 ("deadline", text), ("working_days", integer), ("title", text),
                 ("ref", text), ("recorded_at", text), ("actor", text),
                 ("applied", integer), ("sitting_on", text), ("deadline_calendar", text)]))
    view_columns = [("case_id", integer), ("person_id", integer)] + [
        c for c in person_columns if c[0] not in ("created_at", "updated_at")] + case_columns
    case_view = sa.Table("case_view", metadata,
                         *(sa.Column(n, t, primary_key=(n == "case_id"))
                           for n, t in dict(view_columns).items()))
    staged = sa.Table("import_rows", metadata, *(
        sa.Column(n, integer if n in ("case_id", "person_id") else text,
                  primary_key=(n == "case_id"))
        for n in _staged_columns()), prefixes=["TEMPORARY"])
    return sa, metadata, persons, cases, case_view, staged


def _staged_columns():
    from tracker.store.importing import STAGED_COLUMNS

    return STAGED_COLUMNS


def sqlalchemy_iso_day(sa):
    """`iso_day(column)` as a construct compiled per engine (what Core needs for the
    date arithmetic: it has no portable spelling)."""
    from sqlalchemy.ext.compiler import compiles
    from sqlalchemy.sql.expression import FunctionElement

    from tracker.store.dialect import POSTGRESQL, SQLITE

    class iso_day(FunctionElement):  # noqa: N801 (SQLAlchemy's naming of constructs)
        type = sa.Text()
        inherit_cache = True

    class add_days(FunctionElement):  # noqa: N801
        type = sa.Text()
        inherit_cache = True

    @compiles(iso_day, "sqlite")
    def _iso_sqlite(element, compiler, **kw):
        return SQLITE.iso_day(compiler.process(element.clauses, **kw))

    @compiles(iso_day, "postgresql")
    def _iso_pg(element, compiler, **kw):
        return POSTGRESQL.iso_day(compiler.process(element.clauses, **kw))

    @compiles(add_days, "sqlite")
    def _add_sqlite(element, compiler, **kw):
        day, days = list(element.clauses)
        return SQLITE.add_days(compiler.process(day, **kw), compiler.process(days, **kw))

    @compiles(add_days, "postgresql")
    def _add_pg(element, compiler, **kw):
        day, days = list(element.clauses)
        return POSTGRESQL.add_days(compiler.process(day, **kw), compiler.process(days, **kw))

    return iso_day, add_days


def union_with_core(sa, cases, iso_day, add_days, spec, kinds=KINDS):
    due = {
        "review_deadline": iso_day(cases.c.review_deadline),
        "certificate_not_collected": add_days(iso_day(cases.c.certificate_available_on),
                                              sa.literal(spec.certificate_stale_days)),
        "registration_expiry": iso_day(cases.c.valid_until),
    }
    for kind in kinds:
        if kind in spec.flags and spec.today is not None:
            due[kind] = sa.case((due[kind] <= sa.literal(spec.today), due[kind]))
    selects = [sa.select(cases.c.id.label("case_id"), sa.literal(kind).label("kind"),
                         due[kind].label("due_on"), sa.literal(spec.rank[kind]).label("rank"))
               .where(cases.c.state.in_(list(spec.states[kind]))) for kind in kinds]
    return sa.union_all(*selects)


# --------------------------------------------------------------------------- variants


def install(variant: str) -> None:
    """Replace the case lookup and the import's staging by the VARIANT's."""
    if variant == "current":
        return
    from tracker.store import cases as store_cases
    from tracker.store import importing as store_importing

    if variant == "dialect":
        from tracker.store.dialect import SQLITE

        def get_case(database, case_id):
            rows = list(database.db.query(
                "SELECT * FROM case_view WHERE case_id = ?", [case_id]))
            return rows[0] if rows else None

        def stage(database, rows):
            columns = _staged_columns()
            database.conn.executemany(
                f"INSERT INTO {SQLITE.temp_table('import_rows')}"
                f" VALUES ({', '.join('?' * len(columns))})", rows)

    elif variant == "sqlalchemy":
        sa, _, _, _, case_view, staged = sqlalchemy_model()
        from sqlalchemy.pool import StaticPool

        from tracker.store import db as store_db

        opened = store_db.Database.__init__
        connections = {}

        def init(database, *args, **kwargs):
            # One SQLAlchemy connection over the tracker's own sqlite3 connection, made
            # when the database opens (outside any transaction: SQLAlchemy's first
            # connect ends with a ROLLBACK) and never closed (closing rolls back too).
            opened(database, *args, **kwargs)
            engine = sa.create_engine("sqlite://", creator=lambda: database.conn,
                                      poolclass=StaticPool, pool_reset_on_return=None)
            connections[id(database)] = engine.connect()

        store_db.Database.__init__ = init

        def connection(database):
            return contextlib.nullcontext(connections[id(database)])

        def get_case(database, case_id):
            with connection(database) as conn:
                row = conn.execute(sa.select(case_view).where(
                    case_view.c.case_id == case_id)).mappings().first()
                return dict(row) if row else None

        def stage(database, rows):
            names = [c.name for c in staged.columns]
            with connection(database) as conn:
                conn.execute(staged.insert(), [dict(zip(names, row)) for row in rows])
    else:
        raise SystemExit(f"unknown variant {variant}")
    store_cases.get_case = get_case
    store_importing.stage = stage


# --------------------------------------------------------------------------- check


def _medians(functions, repeat: int) -> list[float]:
    """Each function's median time, run in turn (A B C A B C …) so that a busy moment
    of the machine hits all alike."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(repeat):
        for function, kept in zip(functions, times):
            start = time.perf_counter()
            function()
            kept.append(time.perf_counter() - start)
    return [statistics.median(kept) for kept in times]


def check(db: Path) -> None:
    import sqlite3

    from tracker.store.dialect import SQLITE

    the_spec = spec()
    reference_sql, reference_params = union_reference(the_spec)
    sql, params = union_with_fragments(the_spec, SQLITE)
    print("fragments give SQLite the same SQL:", sql == reference_sql and
          params == reference_params)

    start = time.perf_counter()
    sa, _, persons, cases, case_view, staged = sqlalchemy_model()
    iso_day, add_days = sqlalchemy_iso_day(sa)
    print(f"import sqlalchemy + declare the model: {time.perf_counter() - start:.3f} s")
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    engine = sa.create_engine(f"sqlite:///{db}")
    conn = sqlite3.connect(db)
    rows = [
        ("deadline union (3 kinds): build + run",
         lambda: conn.execute(*union_reference(the_spec)).fetchall(),
         lambda: conn.execute(*union_with_fragments(the_spec, SQLITE)).fetchall(),
         lambda: _core_run(engine, union_with_core(sa, cases, iso_day, add_days, the_spec)),
         200),
        ("deadline union (3 kinds): build only",
         lambda: union_reference(the_spec),
         lambda: union_with_fragments(the_spec, SQLITE),
         lambda: str(union_with_core(sa, cases, iso_day, add_days, the_spec).compile(
             dialect=sqlite_dialect.dialect())),
         200),
        ("case lookup x1000",
         lambda: [conn.execute("SELECT * FROM case_view WHERE case_id = ?", [i % 50 + 1])
                  .fetchone() for i in range(1000)],
         lambda: [conn.execute("SELECT * FROM case_view WHERE case_id = ?", [i % 50 + 1])
                  .fetchone() for i in range(1000)],
         lambda: _core_lookups(engine, sa, case_view),
         15),
    ]
    _staging_row(rows, sa, staged)
    print(f"{'':44} {'current':>9} {'fragments':>10} {'Core':>9} {'Core/current':>13}")
    for name, current, fragments, core, repeat in rows:
        a, b, c = _medians((current, fragments, core), repeat)
        print(f"{name:44} {a * 1000:8.2f}ms {b * 1000:9.2f}ms {c * 1000:8.2f}ms {c / a:12.2f}x")


def _core_run(engine, statement):
    with engine.connect() as conn:
        return conn.execute(statement).fetchall()


def _core_lookups(engine, sa, case_view):
    with engine.connect() as conn:
        for i in range(1000):
            conn.execute(sa.select(case_view).where(case_view.c.case_id == i % 50 + 1)
                         ).mappings().first()


def _staging_row(rows, sa, staged, count: int = 100_000):
    """Staging `count` import rows into the TEMP table, as the import does."""
    import sqlite3

    from tracker.store.dialect import SQLITE

    columns = [c.name for c in staged.columns]
    data = [tuple(i if n == "case_id" else f"{n}{i % 97}" for n in columns)
            for i in range(1, count + 1)]
    create = (f"CREATE TEMP TABLE import_rows ({', '.join(('case_id INTEGER PRIMARY KEY' if c == 'case_id' else c) for c in columns)})")
    insert = f"INSERT INTO temp.import_rows VALUES ({', '.join('?' * len(columns))})"

    def plain():
        conn = sqlite3.connect(":memory:")
        conn.execute(create)
        conn.executemany(insert, data)

    def fragments():
        conn = sqlite3.connect(":memory:")
        conn.execute(create)
        conn.executemany(f"INSERT INTO {SQLITE.temp_table('import_rows')}"
                         f" VALUES ({', '.join('?' * len(columns))})", data)

    def core():
        engine = sa.create_engine("sqlite://")
        with engine.begin() as conn:
            conn.exec_driver_sql(create)
            conn.execute(staged.insert(), [dict(zip(columns, row)) for row in data])

    rows.append((f"import staging, {count:,} rows", plain, fragments, core, 5))


# --------------------------------------------------------------------------- PostgreSQL


def on_postgresql(url: str, db: Path) -> None:
    """The fragment queries on PostgreSQL give the rows SQLite gives."""
    import sqlite3

    from tracker.store.dialect import POSTGRESQL, SQLITE
    from tracker.store.postgres.db import PgDatabase

    the_spec = spec()
    lite = sorted(sqlite3.connect(db).execute(*union_with_fragments(the_spec, SQLITE)))
    with PgDatabase(url, create=False) as database:
        pg = sorted(tuple(r) for r in database.execute(
            *union_with_fragments(the_spec, POSTGRESQL)))
        lookup = list(database.query("SELECT * FROM case_view WHERE case_id = ?", [1]))
    print(f"deadline union: SQLite {len(lite)} rows, PostgreSQL {len(pg)} rows,"
          f" equal: {lite == pg}")
    print("case lookup on PostgreSQL:", bool(lookup))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("check")
    one.add_argument("--db", type=Path, default=Path("demo.db"))
    cli = sub.add_parser("cli")
    cli.add_argument("variant", choices=("current", "dialect", "sqlalchemy"))
    cli.add_argument("args", nargs=argparse.REMAINDER)
    pg = sub.add_parser("pg")
    pg.add_argument("url")
    pg.add_argument("--db", type=Path, default=Path("demo.db"))
    options = parser.parse_args()
    if options.command == "check":
        check(options.db)
    elif options.command == "pg":
        on_postgresql(options.url, options.db)
    else:
        install(options.variant)
        from tracker.cli import main as tracker_main

        args = options.args[1:] if options.args[:1] == ["--"] else options.args
        sys.exit(tracker_main(args))


if __name__ == "__main__":
    main()
