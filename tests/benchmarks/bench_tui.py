"""Benchmark: the dashboard with 100,000 cases, headless, against the naive DataTable.

Run by hand (not collected by pytest), from the repository root:

    . .venv/bin/activate
    python tests/benchmarks/bench_tui.py                 # 100,000 cases
    python tests/benchmarks/bench_tui.py --cases 20000

Measures, with Textual's run_test (no terminal), each in its own process so that the
peak memory (max RSS) belongs to that way of showing the cases alone:

- tracker: time to first paint of the dashboard and of the case list; keystroke-to-
  repaint of a search (median over several queries; with the debounce, and the query
  alone); opening a case; peak memory;
- the naive way, in the same run: every case loaded into Textual's DataTable.

Goals (issue 5): first paint <= 1 s, search <= 100 ms median, open a case <= 100 ms,
memory <= 250 MB. No assertions: it prints the figures and the ratios.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_deadlines import TODAY, build  # noqa: E402

from tracker.services.context import Context  # noqa: E402
from tracker.services.demo import fake_name  # noqa: E402
from tracker.services.names import pinyin_keys  # noqa: E402
from tracker.store import Database  # noqa: E402

SIZE = (140, 45)
QUERIES = ["zw", "wang", "李", "E004", "zhangwei", "lj", "陈", "liu"]


def build_with_names(path: Path, count: int) -> None:
    """bench_deadlines' cases, with realistic Chinese names and their pinyin."""
    build(path, count)
    rng = random.Random(7)
    database = Database(path)
    rows = []
    for person_id in range(1, count + 1):
        name = fake_name(rng)
        full, initials = pinyin_keys(name)
        rows.append((name, full, initials, person_id))
    with database.transaction():
        database.conn.executemany(
            "UPDATE persons SET name = ?, name_pinyin = ?, name_initials = ? WHERE id = ?", rows)
    database.conn.execute("ANALYZE")
    database.close()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def until(pilot, condition, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError
        await pilot.pause(0.002)


def measure_tracker(path: Path) -> dict:
    from tracker import i18n
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.cases import CasesScreen, CasesTable
    from tracker.tui.screens.detail import CaseDetailScreen

    i18n.set_lang("zh")
    figures: dict = {}

    async def run() -> None:
        start = time.perf_counter()
        app = TrackerApp(Context(db=Database(path), today=TODAY), poll=False)
        async with app.run_test(size=SIZE) as pilot:
            bars = app.screen.query_one("#bars")
            await until(pilot, lambda: "合计" in str(bars.content) or
                        bars.content.__class__.__name__ == "Table")
            await pilot.pause()
            figures["dashboard_first_paint_s"] = time.perf_counter() - start

            start = time.perf_counter()
            await pilot.press("c")
            await until(pilot, lambda: isinstance(app.screen, CasesScreen)
                        and app.screen.query_one(CasesTable).row_count > 0)
            await pilot.pause()
            figures["case_list_first_paint_s"] = time.perf_counter() - start
            screen = app.screen
            figures["cases"] = screen.total

            # Count repaints of the page: every _show is one page drawn.
            painted = {"n": 0}
            original = screen._show

            def counted(page):
                original(page)
                painted["n"] += 1

            screen._show = counted
            search = screen.query_one("#search")
            with_debounce, query_only = [], []
            for query in QUERIES:
                # The keystroke that completes the query: debounce, worker, SQL, repaint.
                before = painted["n"]
                start = time.perf_counter()
                search.value = query
                await until(pilot, lambda before=before: painted["n"] > before)
                await pilot.pause()
                with_debounce.append(time.perf_counter() - start)
                # The same query without the debounce: worker, SQL, repaint.
                before = painted["n"]
                start = time.perf_counter()
                screen.load_page(0)
                await until(pilot, lambda before=before: painted["n"] > before)
                await pilot.pause()
                query_only.append(time.perf_counter() - start)
                figures.setdefault("search_matches", {})[query] = screen.total
            figures["search_keystroke_to_repaint_median_s"] = statistics.median(with_debounce)
            figures["search_query_to_repaint_median_s"] = statistics.median(query_only)

            opens = []
            total = figures["cases"]
            for case_id in (17, total // 3, total // 2, total - 1):
                start = time.perf_counter()
                app.open_case(case_id)
                await until(pilot, lambda: isinstance(app.screen, CaseDetailScreen)
                            and app.screen.detail is not None)
                await pilot.pause()
                opens.append(time.perf_counter() - start)
                app.pop_screen()
                await pilot.pause()
            figures["open_case_median_s"] = statistics.median(opens)
        app.backend.ctx.db.close()

    asyncio.run(run())
    figures["peak_memory_mb"] = peak_mb()
    return figures


def measure_naive(path: Path) -> dict:
    """Every case into one DataTable: what a quick tool would do."""
    from textual.app import App
    from textual.widgets import DataTable

    from tracker.store import cases as store

    class Naive(App):
        def compose(self):
            yield DataTable()

    figures: dict = {}

    async def run() -> None:
        start = time.perf_counter()
        app = Naive()
        async with app.run_test(size=SIZE) as pilot:
            database = Database(path)
            rows = store.list_cases(database, store.CaseFilter())
            table = app.query_one(DataTable)
            for column in ("case", "employee_no", "name", "department", "state"):
                table.add_column(column)
            table.add_rows([(r["case_id"], r["employee_no"], r["name"], r["department"],
                             r["state"]) for r in rows])
            await pilot.pause()
            figures["first_paint_s"] = time.perf_counter() - start
            database.close()

    asyncio.run(run())
    figures["peak_memory_mb"] = peak_mb()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--measure", choices=["tracker", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure = measure_tracker if args.measure == "tracker" else measure_naive
        print(json.dumps(measure(args.db)))
        return

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        start = time.perf_counter()
        build_with_names(path, args.cases)
        print(f"built {args.cases:,} cases in {time.perf_counter() - start:.1f} s")
        results = {}
        for way in ("tracker", "naive"):
            out = subprocess.run([sys.executable, __file__, "--measure", way, "--db", str(path)],
                                 capture_output=True, text=True, check=True).stdout
            results[way] = json.loads(out.strip().splitlines()[-1])
    tracker, naive = results["tracker"], results["naive"]
    print(f"\n{'':42}{'tracker':>12}{'naive':>12}{'ratio':>10}   goal")
    rows = [
        ("first paint, dashboard (s)", tracker["dashboard_first_paint_s"], None, "<= 1 s"),
        ("first paint, case list (s)", tracker["case_list_first_paint_s"],
         naive["first_paint_s"], "<= 1 s"),
        ("search, keystroke to repaint, median (s)",
         tracker["search_keystroke_to_repaint_median_s"], None, "<= 0.1 s"),
        ("search, query to repaint, median (s)", tracker["search_query_to_repaint_median_s"],
         None, ""),
        ("open a case, median (s)", tracker["open_case_median_s"], None, "<= 0.1 s"),
        ("peak memory (MB)", tracker["peak_memory_mb"], naive["peak_memory_mb"], "<= 250 MB"),
    ]
    for label, mine, theirs, goal in rows:
        ratio = f"{mine / theirs:.3f}x" if theirs else ""
        theirs_text = f"{theirs:12.3f}" if theirs is not None else f"{'':12}"
        print(f"{label:42}{mine:12.3f}{theirs_text}{ratio:>10}   {goal}")
    print(f"\ncases: {tracker['cases']:,}; searches: {', '.join(QUERIES)}")


if __name__ == "__main__":
    main()
