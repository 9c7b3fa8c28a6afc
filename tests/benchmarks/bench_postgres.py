"""Benchmark: PostgreSQL against SQLite in the same run (issue 16; run by hand, never by
pytest, no timing assertions).

    python tests/benchmarks/bench_postgres.py [--rows 100000] [--officers 10]
        [--events 1000] [--url postgresql://USER@HOST/postgres]

Without --url a throw-away cluster is started (tests/pg.py: the OS package's initdb,
a Unix socket in a temporary folder; note its fsync=off, the figures of a real server
with fsync on are slower for PostgreSQL's commits). Two measurements, each engine in
turn:

1. **Import**: `tracker import FILE` of --rows generated staff (bench_import.generate),
   each a whole process started fresh into an empty database: wall seconds, the child's
   CPU seconds, rows per second, and the ratio PostgreSQL / SQLite.
2. **Officers at once**: --officers processes, each an officer of its own company
   (on PostgreSQL its own login role, row-level security on), each firing --events
   events (add_note, one transaction each, as `tracker event` does) on its company's
   cases, all released at the same moment: events per second over all of them (from
   the release to the last one done), and the ratio. SQLite lets one writer in at a
   time (BEGIN IMMEDIATE, busy_timeout and retries); PostgreSQL writes rows side by side.

Prints a table and the ratios; where each engine wins is what the ratios say.
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE), str(ROOT / "tests")]


def _timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU of the child) of a command run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _new_database(server: str, name: str) -> str:
    from pg import create_database, drop_database

    drop_database(server, name)
    return create_database(server, name)


def _drop(server: str, name: str) -> None:
    from pg import drop_database

    drop_database(server, name)


def bench_import(server: str, folder: Path, rows: int) -> dict[str, tuple[float, float]]:
    from bench_import import generate

    staff = folder / "staff.csv"
    generate(staff, rows)
    tracker = [sys.executable, "-m", "tracker"]
    results = {}
    results["sqlite"] = _timed([*tracker, "--db", str(folder / "import.db"), "import",
                                str(staff)])
    url = _new_database(server, "bench_import")
    try:
        results["postgresql"] = _timed([*tracker, "--db", url, "import", str(staff)])
    finally:
        _drop(server, "bench_import")
    return results


# --------------------------------------------------------------------------- officers


def _staff_of_companies(path: Path, officers: int, per_company: int) -> None:
    """A staff list with a company column: `per_company` people in each of the companies."""
    from bench_import import generate

    plain = path.with_suffix(".plain.csv")
    generate(plain, officers * per_company)
    with open(plain, encoding="utf-8-sig", newline="") as source, \
            open(path, "w", encoding="utf-8", newline="") as target:
        reader, writer = csv.reader(source), csv.writer(target)
        writer.writerow([*next(reader), "公司"])
        for index, row in enumerate(reader):
            writer.writerow([*row, f"公司{index % officers + 1}"])


def worker(target: str, company: str, events: int, go: str) -> None:
    """One officer: wait for the release, then fire `events` add_note events."""
    from datetime import date

    from tracker.services import cases as service
    from tracker.services.context import Context
    from tracker.store import cases as store
    from tracker.store.db import open_database
    from tracker.store.query import CaseFilter

    database = open_database(target)
    ctx = Context(db=database, today=date(2026, 11, 25), actor=company, today_pinned=True)
    ids = [r["case_id"] for r in store.list_cases(database, CaseFilter(company=company))]
    while not os.path.exists(go):
        time.sleep(0.001)
    for number in range(events):
        service.fire_event(ctx, ids[number % len(ids)], "add_note", note=f"第 {number} 条")
    database.close()


def _release(targets: list[tuple[str, str]], events: int, folder: Path) -> float:
    """Start one process per (target, company), release them together: the wall time
    from the release to the last one done."""
    go = folder / "go"
    go.unlink(missing_ok=True)
    processes = [subprocess.Popen([sys.executable, __file__, "worker", target, company,
                                   str(events), str(go)]) for target, company in targets]
    time.sleep(3 + 0.3 * len(targets))  # each has opened its connection and read its ids
    start = time.perf_counter()
    go.touch()
    codes = [p.wait() for p in processes]
    if any(codes):
        raise SystemExit(f"a worker failed: {codes}")
    return time.perf_counter() - start


def bench_officers(server: str, folder: Path, officers: int, events: int) -> dict[str, float]:
    from pg import url_as

    from tracker.services import admin

    staff = folder / "companies.csv"
    _staff_of_companies(staff, officers, 100)
    companies = [f"公司{i + 1}" for i in range(officers)]
    tracker = [sys.executable, "-m", "tracker"]
    sqlite_db = folder / "officers.db"
    subprocess.run([*tracker, "--db", str(sqlite_db), "import", str(staff)], check=True,
                   stdout=subprocess.DEVNULL)
    results = {"sqlite": _release([(str(sqlite_db), c) for c in companies], events, folder)}
    url = _new_database(server, "bench_officers")
    try:
        admin.init(url)
        subprocess.run([*tracker, "--db", url, "import", str(staff)], check=True,
                       stdout=subprocess.DEVNULL)
        for index, company in enumerate(companies):
            admin.add_officer(url, f"officer{index + 1}", [company])
        targets = [(url_as(url, f"officer{i + 1}"), c) for i, c in enumerate(companies)]
        results["postgresql"] = _release(targets, events, folder)
    finally:
        _drop(server, "bench_officers")
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(*sys.argv[2:4], int(sys.argv[4]), sys.argv[5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--officers", type=int, default=10)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--url", help="a server's URL (a role that creates databases and "
                                      "roles); default: a throw-away cluster")
    args = parser.parse_args()
    import pg

    server = args.url or pg.server()
    if server is None:
        raise SystemExit(pg.unavailable())
    try:
        with tempfile.TemporaryDirectory(prefix="bench-pg-") as name:
            folder = Path(name)
            imported = bench_import(server, folder, args.rows)
            print(f"import of {args.rows:,} rows (whole process, fresh database):")
            for engine, (wall, cpu) in imported.items():
                print(f"  {engine:<10} wall {wall:7.2f} s  cpu {cpu:7.2f} s"
                      f"  {args.rows / wall:9,.0f} rows/s")
            ratio = imported["postgresql"][0] / imported["sqlite"][0]
            print(f"  ratio PostgreSQL / SQLite (wall): {ratio:.2f}")
            fired = bench_officers(server, folder, args.officers, args.events)
            total = args.officers * args.events
            print(f"{args.officers} officers at once, {args.events:,} events each "
                  f"({total:,} transactions):")
            for engine, wall in fired.items():
                print(f"  {engine:<10} wall {wall:7.2f} s  {total / wall:9,.0f} events/s")
            print(f"  ratio of throughput PostgreSQL / SQLite: "
                  f"{fired['sqlite'] / fired['postgresql']:.2f}")
            print(f"load average after: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    finally:
        if args.url is None:
            pg.stop()


if __name__ == "__main__":
    main()
