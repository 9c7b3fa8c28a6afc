"""Benchmark: the dashboard at 100,000 cases against the same steps at 1,000, headless.

Run by hand (not collected by pytest), from the repository root:

    . .venv/bin/activate
    python tests/benchmarks/bench_tui.py                    # 100,000 vs 1,000 cases
    python tests/benchmarks/bench_tui.py --cases 20000 --small 500
    python tests/benchmarks/bench_tui.py --naive            # also every case in a DataTable

Each database is measured in its own process (so that the peak memory, max RSS, belongs
to it), with Textual's run_test and Pilot pressing the keys a person would:

- first paint of the dashboard (the bars), and of its due panels;
- each screen switch (c, w, n, i, d) until its first rows are shown;
- F2 pressed while Reminders loads for the first time, until the screen is relabelled;
- a search keystroke to the repainted page (median over several queries; with the
  debounce, and the query alone); opening a case; peak memory.

Goals (issue 14): first paint <= 1 s, a screen switch <= 0.3 s to its first rows, search
keystroke to repaint <= 100 ms, open a case <= 100 ms. No assertions: it prints the
figures and the ratio of each to the same step on the small database.
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
QUERIES = ["zw", "wang", "李", "e0004", "zhangwei", "lj", "陈", "liu", "zeng", "4047"]


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


def busy(app) -> bool:
    return any(w.is_running and w.group not in ("_loader", "poll") for w in app.workers)


def measure_tracker(path: Path) -> dict:
    from textual.widgets import DataTable

    from tracker import i18n
    from tracker.tui.app import TrackerApp
    from tracker.tui.screens.cases import CasesScreen, CasesTable
    from tracker.tui.screens.dashboard import DashboardScreen
    from tracker.tui.screens.detail import CaseDetailScreen
    from tracker.tui.screens.importer import ImportScreen
    from tracker.tui.screens.notices import NoticesScreen, RemindersScreen

    i18n.set_lang("zh")
    figures: dict = {}

    async def switch(pilot, app, key: str, screen_type, table: str | None) -> float:
        """Press `key`; seconds until the screen shows its first rows (or, with none to
        show, its load is over)."""
        start = time.perf_counter()
        await pilot.press(key)

        def shown() -> bool:
            if not isinstance(app.screen, screen_type):
                return False
            if table is None:
                return True
            rows = app.screen.query_one(table, DataTable).row_count
            return rows > 0 or not busy(app)

        await until(pilot, shown)
        await pilot.pause()
        return time.perf_counter() - start

    async def run() -> None:
        start = time.perf_counter()
        app = TrackerApp(Context(db=Database(path), today=TODAY), poll=False)
        async with app.run_test(size=SIZE) as pilot:
            bars = app.screen.query_one("#bars")
            await until(pilot, lambda: bars.counts is not None)
            await pilot.pause()
            figures["dashboard_first_paint_s"] = time.perf_counter() - start
            overdue = app.screen.query_one("#overdue", DataTable)
            await until(pilot, lambda: overdue.row_count > 0)
            figures["dashboard_due_panels_s"] = time.perf_counter() - start

            # F2 while Reminders loads for the first time: until relabelled, rows shown.
            await pilot.press("w")
            start = time.perf_counter()
            await pilot.press("f2")
            await until(pilot, lambda: isinstance(app.screen, RemindersScreen)
                        and app.screen.query_one("#reminders", DataTable).row_count > 0
                        and "Days" in str(app.screen.query_one("Label").content))
            await pilot.pause()
            figures["f2_during_reminders_load_s"] = time.perf_counter() - start
            await pilot.press("f2")
            await pilot.press("d")
            await until(pilot, lambda: not busy(app))

            for key, screen_type, table in (("c", CasesScreen, "#cases"),
                                            ("w", RemindersScreen, "#reminders"),
                                            ("n", NoticesScreen, "#notices"),
                                            ("i", ImportScreen, None),
                                            ("d", DashboardScreen, "#overdue"),
                                            ("c", CasesScreen, "#cases")):
                name = f"switch_{key}_{screen_type.__name__}_s"
                if name in figures:
                    name = name.replace("_s", "_again_s")
                figures[name] = await switch(pilot, app, key, screen_type, table)
                await until(pilot, lambda: not busy(app))
            screen = app.screen
            figures["cases"] = screen.total

            # Count repaints of the page: every _show is one page drawn.
            painted = {"n": 0}
            original = screen._show

            def counted(page):
                original(page)
                painted["n"] += 1

            screen._show = counted
            await pilot.press("slash")
            search = screen.query_one("#search")
            with_debounce, query_only = [], []
            for query in QUERIES:
                # The keystroke that completes the query: debounce, worker, SQL, repaint.
                search.value = query[:-1]
                search.cursor_position = len(search.value)  # typing goes on at the end
                await until(pilot, lambda: not busy(app))
                await pilot.pause(0.1)
                before = painted["n"]
                start = time.perf_counter()
                await pilot.press(query[-1])
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
                await until(pilot, lambda case_id=case_id: isinstance(app.screen,
                                                                      CaseDetailScreen)
                            and app.screen.detail is not None
                            and app.screen.detail.case["case_id"] == case_id)
                await pilot.pause()
                opens.append(time.perf_counter() - start)
                app.pop_screen()
                await pilot.pause()
            figures["open_case_median_s"] = statistics.median(opens)
            assert isinstance(app.screen, CasesScreen) and app.screen.query_one(CasesTable)
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


def measure(way: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure", way, "--db", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


GOALS = {"dashboard_first_paint_s": "<= 1 s", "search_keystroke_to_repaint_median_s":
         "<= 0.1 s", "open_case_median_s": "<= 0.1 s", "peak_memory_mb": "<= 250 MB"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--naive", action="store_true",
                        help="also every case loaded into one DataTable")
    parser.add_argument("--measure", choices=["tracker", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        way = measure_tracker if args.measure == "tracker" else measure_naive
        print(json.dumps(way(args.db)))
        return

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for count in (args.small, args.cases):
            path = Path(folder) / f"bench-{count}.db"
            start = time.perf_counter()
            build_with_names(path, count)
            print(f"built {count:,} cases in {time.perf_counter() - start:.1f} s")
            results[count] = measure("tracker", path)
            if args.naive and count == args.cases:
                results["naive"] = measure("naive", path)
    big, small = results[args.cases], results[args.small]
    print(f"\n{'':44}{args.cases:>12,}{args.small:>12,}{'ratio':>10}   goal")
    for name, mine in big.items():
        if not isinstance(mine, float):
            continue
        theirs = small[name]
        goal = GOALS.get(name, "<= 0.3 s" if name.startswith(("switch", "f2")) else "")
        print(f"{name:44}{mine:12.3f}{theirs:12.3f}{mine / theirs:9.1f}x   {goal}")
    if "naive" in results:
        print(f"\nnaive DataTable of every case: first paint {results['naive']['first_paint_s']:.2f}"
              f" s, peak memory {results['naive']['peak_memory_mb']:.0f} MB")
    print(f"\nsearches: {', '.join(QUERIES)}; matches at {args.cases:,}: "
          f"{big['search_matches']}")


if __name__ == "__main__":
    main()
