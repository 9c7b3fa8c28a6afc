"""Benchmark of the exports (run by hand; not part of pytest, no timing assertions).

    . .venv/bin/activate && python tests/benchmarks/bench_export.py [--cases 100000]

Builds a database of N fictitious cases spread over every state (direct SQL inserts: the
import is not what is measured), then measures, in the same run:

- `sqlite3 -csv -header` of the register's own query (the peer: the floor for "read
  100,000 rows and write CSV"), against `tracker export-all --format csv` — both as a
  whole process (what the user waits for) and as the service call alone;
- `tracker export-all --format xlsx`: wall time and peak memory (max RSS) of the process;
- one status sheet (build + render HTML, and Markdown) for one case with a history.

Goals from the issue: CSV at most 2x sqlite3; XLSX under 15 s and 300 MB; one status
sheet well under 100 ms. Prints the figures and the ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tracker.domain import idcard  # noqa: E402
from tracker.domain.rules import DEFAULT_RULES  # noqa: E402
from tracker.services import cases as case_service  # noqa: E402
from tracker.services import export  # noqa: E402
from tracker.services.context import Context  # noqa: E402
from tracker.services.demo import STATE_COUNTS, fake_name  # noqa: E402
from tracker.services.query import CaseQuery, spec_for  # noqa: E402
from tracker.services.render import render  # noqa: E402
from tracker.services.sheet import case_sheet  # noqa: E402
from tracker.store import Database  # noqa: E402
from tracker.store.export import register_query  # noqa: E402
from tracker.store.query import CaseFilter  # noqa: E402

TODAY = date(2026, 11, 25)
SPECIALTIES = ["building", "municipal", "mechanical_electrical", "highway",
               "water_conservancy", "mining"]


def build(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    states = [s for s, count in STATE_COUNTS.items() for _ in range(count)]
    database = Database(path)
    at = f"{TODAY.isoformat()}T09:00:00"
    persons, cases = [], []
    for i in range(1, n + 1):
        first17 = f"310112{date(1970, 1, 1) + timedelta(days=i % 12000):%Y%m%d}{i % 1000:03d}"
        number = first17 + idcard.check_digit(first17)
        name = fake_name(rng)
        if i % 5000 == 0:  # a few hostile names, to keep neutralising honest
            name = '=HYPERLINK("http://x","y")'
        persons.append((i, number + ("" if i < 100000000 else ""), name, f"E{i:06d}",
                        rng.choice(["工程部", "项目一部", "技术部"]),
                        rng.choice(["上海申建工程有限公司", "上海闵行建设集团有限公司"]),
                        f"139{i:08d}", at, at))
        state = rng.choice(states)
        day = TODAY - timedelta(days=rng.randrange(0, 1000))
        cert = day.isoformat() if state in ("certified", "correction_pending",
                                            "registration_applied", "registered",
                                            "renewal_due", "renewal_applied",
                                            "registration_expired") else None
        registered = state in ("registered", "renewal_due", "renewal_applied",
                               "registration_expired")
        cases.append((i, i, rng.choice(SPECIALTIES), state, TODAY.year - 1,
                       (TODAY + timedelta(days=rng.randrange(-10, 40))).isoformat()
                       if state.startswith("review") else None,
                       f"沪{i:08d}" if cert else None, cert,
                       "electronic" if cert else None,
                       f"沪232{i:07d}" if registered else None,
                       day.isoformat() if registered else None,
                       (day + timedelta(days=1095)).isoformat() if registered else None,
                       float(rng.choice((0, 24, 60, 120))), at, at))
    # Unique ID numbers: the toy generator above repeats after 12,000 days x 1,000.
    seen: set[str] = set()
    unique = []
    for p in persons:
        number = p[1]
        while number in seen:
            first17 = f"{rng.randrange(310101, 310120)}{date(1965, 1, 1) + timedelta(days=rng.randrange(0, 15000)):%Y%m%d}{rng.randrange(0, 1000):03d}"
            number = first17 + idcard.check_digit(first17)
        seen.add(number)
        unique.append((p[0], number, *p[2:]))
    with database.transaction():
        database.conn.executemany(
            "INSERT INTO persons (id, id_number, name, employee_no, department, company, phone,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", unique)
        database.conn.executemany(
            "INSERT INTO cases (id, person_id, specialty, state, exam_year, review_deadline,"
            " certificate_no, certificate_date, channel, registration_no, valid_from,"
            " valid_until, ce_hours, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cases)
    database.conn.execute("ANALYZE")
    database.close()


#: Runs the measured command from a small process: Linux carries a process's peak RSS
#: across fork and exec, so a child of this (large) benchmark would report our own peak.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def timed(argv: list[str], stdout: Path | str = os.devnull) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one child process (stdout to a file)."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, str(stdout), *argv],
                          capture_output=True, text=True, check=True)
    seconds, max_rss_kb, code = done.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"failed: {argv}\n{done.stderr}")
    return float(seconds), int(max_rss_kb) // 1024


def inline(sql: str, params: list) -> str:
    """The statement with its parameters as literals (all are the tracker's own constants),
    for the sqlite3 shell."""
    parts = sql.split("?")
    assert len(parts) == len(params) + 1
    def literal(value):
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        return repr(value)
    return parts[0] + "".join(literal(v) + rest for v, rest in zip(params, parts[1:]))


def best(runs: int, function):
    results = [function() for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sqlite3 = shutil.which("sqlite3")
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    db = work / "bench.db"
    t0 = time.perf_counter()
    build(db, args.cases)
    print(f"built {args.cases:,} cases in {time.perf_counter() - t0:.1f} s ({db})")
    tracker = [sys.executable, "-m", "tracker", "--db", str(db), "--today", TODAY.isoformat(),
               "--lang", "zh"]

    # --- CSV: the peer, then tracker (process), then the service call alone
    # The same statement export-all runs: the register with each case's next deadline.
    sql = inline(*register_query(CaseFilter(), deadlines=spec_for(DEFAULT_RULES)))
    peer = None
    if sqlite3:
        peer = best(args.runs, lambda: timed([sqlite3, "-csv", "-header", str(db), sql],
                                             stdout=work / "peer.csv"))
    csv_run = best(args.runs, lambda: timed([*tracker, "export-all", "--format", "csv",
                                             "-o", str(work / "register.csv")]))
    database = Database(db)
    ctx = Context(db=database, today=TODAY, actor="bench", today_pinned=True)

    def in_process():
        start = time.perf_counter()
        export.export_register(ctx, CaseQuery(), "csv", work / "inproc.csv", "zh")
        return time.perf_counter() - start, 0

    service_csv = best(args.runs, in_process)
    # Python start-up and imports alone, to read the process figure fairly.
    startup = best(args.runs, lambda: timed([*tracker, "--help"]))

    # --- XLSX
    xlsx_run = best(1, lambda: timed([*tracker, "export-all", "--format", "xlsx",
                                      "-o", str(work / "register.xlsx")]))
    json_run = best(1, lambda: timed([*tracker, "export-all", "--format", "json",
                                      "-o", str(work / "register.json")]))

    # --- one status sheet (a case with a real history)
    case_id = case_service.add_case(ctx, name="张伟", id_number="31011219880512123"
                                    + idcard.check_digit("31011219880512123"),
                                    specialty="建筑工程", company="上海申建工程有限公司")
    for event, data in (("open_review", {"review_deadline": "2026-12-09"}),):
        case_service.fire_event(ctx, case_id, event, data=data)
    for item in ("education_report", "work_years_proof"):
        case_service.set_material(ctx, case_id, item)
    for event in ("submit_review", "pass_review", "publish_certificate"):
        case_service.fire_event(ctx, case_id, event)
    samples_html, samples_md = [], []
    for _ in range(50):
        start = time.perf_counter()
        render(case_sheet(ctx, case_id), "html", "zh")
        samples_html.append(time.perf_counter() - start)
        start = time.perf_counter()
        render(case_sheet(ctx, case_id), "md", "zh")
        samples_md.append(time.perf_counter() - start)
    database.close()

    rows = args.cases
    size = (work / "register.csv").stat().st_size / 1e6
    print()
    print(f"{'what':<44}{'seconds':>9}{'peak MB':>9}{'ratio':>8}")
    if peer:
        print(f"{'sqlite3 -csv -header (the same statement)':<44}{peer[0]:>9.2f}{peer[1]:>9}"
              f"{1:>8.2f}")
    ratio = (lambda s: f"{s / peer[0]:>8.2f}") if peer else (lambda s: f"{'-':>8}")
    print(f"{'tracker export-all csv (process)':<44}{csv_run[0]:>9.2f}{csv_run[1]:>9}"
          f"{ratio(csv_run[0])}")
    print(f"{'  of which start-up (tracker --help)':<44}{startup[0]:>9.2f}{startup[1]:>9}")
    print(f"{'export_register csv (service call)':<44}{service_csv[0]:>9.2f}{'':>9}"
          f"{ratio(service_csv[0])}")
    print(f"{'tracker export-all xlsx (process)':<44}{xlsx_run[0]:>9.2f}{xlsx_run[1]:>9}"
          f"{ratio(xlsx_run[0])}")
    print(f"{'tracker export-all json (process)':<44}{json_run[0]:>9.2f}{json_run[1]:>9}"
          f"{ratio(json_run[0])}")
    print(f"{'status sheet html (build+render), median':<44}"
          f"{statistics.median(samples_html) * 1000:>8.1f}ms")
    print(f"{'status sheet md (build+render), median':<44}"
          f"{statistics.median(samples_md) * 1000:>8.1f}ms")
    print()
    print(f"{rows:,} rows; register.csv {size:.1f} MB; "
          f"peer.csv {(work / 'peer.csv').stat().st_size / 1e6 if peer else 0:.1f} MB")
    goals = {
        "csv <= 2x sqlite3 (process)": peer is not None and csv_run[0] <= 2 * peer[0],
        "csv <= 2x sqlite3 (service call)": peer is not None and service_csv[0] <= 2 * peer[0],
        "xlsx < 15 s": xlsx_run[0] < 15, "xlsx < 300 MB": xlsx_run[1] < 300,
        "status sheet < 100 ms": statistics.median(samples_html) < 0.1,
    }
    print(json.dumps(goals, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
