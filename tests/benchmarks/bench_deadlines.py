"""Benchmark: reminders, deadline filters and the sweep over 100,000 cases.

Run by hand (not collected by pytest), from the repository root:

    . .venv/bin/activate
    python tests/benchmarks/bench_deadlines.py            # 100,000 cases
    python tests/benchmarks/bench_deadlines.py --mix stress   # a third of all cases due
    python tests/benchmarks/bench_deadlines.py --cases 20000 --repeat 5

It builds a database of fictitious cases spread over every state (dates around "today"
so that some deadlines are due, some overdue and some time-driven events are due), then
times each operation and prints the figures, with the pure-Python reference (every row
through `tracker.domain.deadlines.due_dates`) measured in the same run as the peer.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tracker.domain.deadlines import KINDS, due_dates
from tracker.domain.rules import DEFAULT_RULES
from tracker.services import deadlines as deadline_service
from tracker.services import listing
from tracker.services.context import Context
from tracker.services.query import CaseQuery
from tracker.services.reminders import reminder_object, reminders, reminders_ics
from tracker.services.sweep import sweep
from tracker.store import Database
from tracker.store import cases as case_store
from tracker.store import deadlines as deadline_store

TODAY = date(2026, 11, 25)
#: Share of cases per state in the stress mix (roughly the demo's, everything near its date).
STATES = {
    "exam_partial": 5, "exam_passed": 8, "review_pending": 8, "review_submitted": 6,
    "review_passed": 5, "review_failed": 2, "review_missed": 2, "certificate_available": 7,
    "certified": 10, "correction_pending": 1, "registration_applied": 4, "registered": 30,
    "renewal_due": 5, "renewal_applied": 3, "registration_expired": 4,
}


def _row(state: str, rng: random.Random, mix: str) -> dict:
    """The dated fields of one case in `state`.

    realistic: what a company running the sweep daily has: registrations spread evenly
    over their three years (hours done in step with the period, a fifth behind), a current
    review cohort and certificate window, certificates of the last few years.
    stress: many deadlines at once: everything near its date, most hours missing.
    """
    def day(lo: int, hi: int) -> str:
        return (TODAY + timedelta(days=rng.randint(lo, hi))).isoformat()

    row = {"state": state, "exam_year": 2025, "subjects": None, "review_deadline": None,
           "certificate_date": None, "valid_until": None, "paper_closes": None,
           "ce_hours": 0.0}
    stress = mix == "stress"
    if state == "exam_partial":
        row["subjects"] = json.dumps({"management": rng.choice([2025, 2026])})
    elif state == "review_pending":
        row["review_deadline"] = day(-10, 40) if stress else day(-2, 25)
    elif state == "certificate_available":
        row["paper_closes"] = day(-5, 60) if stress else day(10, 60)
    elif state in ("certified", "correction_pending"):
        row["certificate_date"] = day(-1400, -30) if stress else day(-1150, -30)
    elif state == "registered":
        # With a daily sweep, a registration 90 days from expiry is already renewal_due:
        # the realistic mix leaves three days' worth for the sweep to move.
        left = rng.randint(-3, 1100) if stress else rng.randint(88, 1095)
        row["valid_until"] = (TODAY + timedelta(days=left)).isoformat()
        if stress:
            row["ce_hours"] = float(rng.choice([0, 24, 60, 120]))
        else:  # hours done in step with the period; one in five is behind
            done = 120 * (1 - (left - 30) / 1065) * (0.5 if rng.random() < 0.2 else 1.2)
            row["ce_hours"] = float(min(max(round(done), 0), 120))
    elif state in ("renewal_due", "renewal_applied"):
        row["valid_until"] = day(-3, 90) if stress else day(0, 90)
        row["ce_hours"] = 120.0 if state == "renewal_applied" or (
            not stress and rng.random() < 0.7) else 60.0
    return row


#: Share of cases per state.
MIXES = {
    "realistic": {
        "exam_partial": 6, "exam_passed": 6, "review_pending": 2, "review_submitted": 2,
        "review_passed": 2, "review_failed": 2, "review_missed": 2,
        "certificate_available": 2, "certified": 15, "correction_pending": 1,
        "registration_applied": 2, "registered": 50, "renewal_due": 4,
        "renewal_applied": 2, "registration_expired": 2},
    "stress": STATES,
}


def build(path: Path, count: int, seed: int = 4, mix: str = "realistic") -> None:
    """Write `count` persons and cases straight into a fresh database (executemany)."""
    rng = random.Random(seed)
    database = Database(path)
    states = [s for s, w in MIXES[mix].items() for _ in range(w)]
    persons, cases, materials = [], [], []
    at = "2026-01-01T09:00:00"
    for index in range(1, count + 1):
        # The store does not check ID numbers (the services do): a unique stand-in will do.
        persons.append((index, f"ID{index:016d}", f"员工{index}", f"yuangong{index}", "yg",
                        f"E{index:06d}", f"部门{index % 20}", "上海申建工程有限公司", at, at))
        row = _row(rng.choice(states), rng, mix)
        cases.append((index, index, row["state"], row["exam_year"], row["subjects"],
                      row["review_deadline"], row["certificate_date"], row["valid_until"],
                      row["paper_closes"], row["ce_hours"], at, at))
        if row["state"] == "review_pending" and rng.random() < 0.5:
            materials.append((index, "education_report", "2026-01-02"))
        if row["certificate_date"] and rng.random() < 0.3:
            materials.append((index, "ce_proof", "2026-01-02"))
    with database.transaction():
        database.conn.executemany(
            "INSERT INTO persons (id, id_number, name, name_pinyin, name_initials, employee_no,"
            " department, company, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            persons)
        database.conn.executemany(
            "INSERT INTO cases (id, person_id, state, exam_year, subjects, review_deadline,"
            " certificate_date, valid_until, paper_closes, ce_hours, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", cases)
        database.conn.executemany(
            "INSERT INTO materials (case_id, item, received_on) VALUES (?,?,?)", materials)
    database.close()


def timed(function, repeat: int) -> tuple[float, object]:
    """Median wall time in seconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mix", choices=sorted(MIXES), default="realistic",
                        help="realistic (default) or stress (a third of all cases due)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        build(path, args.cases, mix=args.mix)
        print(f"built {args.cases:,} cases ({args.mix} mix) in "
              f"{time.perf_counter() - start:.1f} s  (today pinned to {TODAY})")
        database = Database(path)
        ctx = Context(db=database, today=TODAY, actor="bench", today_pinned=True,
                      rules=DEFAULT_RULES)
        figures: list[tuple[str, float, str]] = []

        def record(name, seconds, note=""):
            figures.append((name, seconds, note))

        spec = deadline_service.spec_for(ctx.rules, ctx.today)
        seconds, items = timed(lambda: reminders(ctx), args.repeat)
        record("remind: SQL + Deadline objects (default windows)", seconds,
               f"{len(items):,} reminders")
        seconds, _ = timed(lambda: (reminders(ctx, limit=100), deadline_service.due_summary(ctx)),
                           args.repeat)
        record("remind (table): the first 100 + the counts", seconds)
        seconds, _ = timed(lambda: [reminder_object(i, "zh") for i in items], args.repeat)
        record("remind: JSON objects", seconds)
        # icalendar builds and folds every line in Python (~1.5 ms an event): time 1,000.
        seconds, data = timed(lambda: reminders_ics(items[:1000], "zh"), 1)
        record("remind: ICS file of 1,000 events", seconds, f"{len(data) / 1e6:.1f} MB")
        seconds, found = timed(lambda: reminders(ctx, within=7), args.repeat)
        record("remind --within 7", seconds, f"{len(found):,} reminders")
        seconds, total = timed(lambda: listing.count_cases(ctx, CaseQuery(due_within=7)),
                               args.repeat)
        record("list --due-within 7 (count)", seconds, f"{total:,} cases")
        page = case_store.list_cases(database, case_store.CaseFilter(), limit=100)
        seconds, _ = timed(lambda: deadline_service.next_deadlines(ctx, page), args.repeat)
        record("next_deadline for a page of 100", seconds)
        seconds, every = timed(lambda: deadline_store.all_due_dates(database, spec),
                               args.repeat)
        record("all deadlines of all cases (SQL)", seconds, f"{len(every):,} deadlines")

        # The peer: the same dates through the pure-Python reference, row by row.
        def python_reference():
            rows = case_store.list_cases(database, case_store.CaseFilter())
            received = case_store.materials_of(database, [r["case_id"] for r in rows])
            return [(r["case_id"], kind, day) for r in rows
                    for kind, day in due_dates(r, ctx.rules, received[r["case_id"]])
                    if not KINDS[kind].flag or day <= ctx.today]  # a flag from its day on

        seconds_py, reference = timed(python_reference, 1)
        record("all deadlines of all cases (Python reference, peer)", seconds_py,
               f"{len(reference):,} deadlines")
        assert len(reference) == len(every), (len(reference), len(every))

        seconds, candidates = timed(lambda: deadline_store.time_driven_candidates(
            database, TODAY.isoformat(), ctx.rules.renewal_window_days,
            ctx.rules.exam_window_years), args.repeat)
        due = sum(len(v) for v in candidates.values())
        record("sweep: find the due events (SQL)", seconds, f"{due:,} due")
        start = time.perf_counter()
        first = sweep(ctx)
        record("sweep: first run, fires them", time.perf_counter() - start,
               f"{first.applied:,} moved")
        seconds, second = timed(lambda: sweep(ctx), args.repeat)
        record("sweep: second run (nothing to do)", seconds, f"{second.applied} moved")
        database.close()

        # End to end through the command line (includes starting Python and imports).
        command = [sys.executable, "-m", "tracker", "--db", str(path), "--today",
                   TODAY.isoformat()]
        for name, extra in (("CLI: tracker remind --format json > file", ["remind", "--format",
                                                                            "json"]),
                            ("CLI: tracker sweep (nothing to do)", ["sweep"]),
                            ("CLI: tracker --version (startup only, peer)", ["--version"])):
            seconds, _ = timed(lambda extra=extra: subprocess.run(
                command + extra, check=True, stdout=subprocess.DEVNULL), args.repeat)
            record(name, seconds)

    width = max(len(n) for n, _, _ in figures)
    print(f"\n{'operation':<{width}}  {'median':>9}  note")
    for name, seconds, note in figures:
        print(f"{name:<{width}}  {seconds * 1000:7.1f} ms  {note}")
    sql = next(s for n, s, _ in figures if n.startswith("all deadlines of all cases (SQL)"))
    print(f"\nSQL vs Python reference for every deadline: {seconds_py / sql:.1f}x faster")


if __name__ == "__main__":
    main()
