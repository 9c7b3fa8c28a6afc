"""Benchmark of `tracker import` (run by hand; not part of pytest, no timing assertions).

    . .venv/bin/activate && python tests/benchmarks/bench_import.py [--rows 100000] [--runs 5]

Generates a staff list of N fictitious people (7 columns, Chinese headers, UTF-8, as the
issue asks), then times, in the same run and each as a whole process started fresh:

- `tracker import FILE` into an empty database (validation, pinyin, persons, cases and
  the first history row of every case, all in one transaction);
- `sqlite-utils insert DB staff FILE --csv` of the same file: what a user would reach
  for; it validates nothing and writes one table;
- a raw `csv` + `executemany` load into one TEXT table: the floor;
- `tracker import FILE` again into the database it filled (nothing changes).

For each: wall seconds and CPU seconds (user + system of the process, from wait4: on a
shared machine the CPU time is the steadier figure), peak memory (max RSS), and the
ratio to sqlite-utils. The runs are interleaved (tracker, sqlite-utils, floor, tracker,
…) so that a busy moment hits all alike; the table shows the median of --runs runs
(and the fastest), the ratios are of medians. The load average before and after is
printed: on a shared machine, other work slows wall times (sqlite-utils, which waits
on ~1,000 fsyncs, differently from the others). Goal (issue 3): tracker import at most
0.35× sqlite-utils, peak memory under 200 MB.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

# Nothing of the tracker is imported here: each contender runs in a fresh process, and
# this one stays small (a child's peak memory counts the parent's pages it starts with).

HEADER = ["工号", "姓名", "身份证号", "部门", "手机", "专业", "考试合格日期"]
DEPARTMENTS = ["工程部", "项目一部", "项目二部", "技术部", "安全质量部", "市场经营部"]
SPECIALTIES = ["建筑工程", "市政公用工程", "机电工程", "公路工程", "水利水电工程", "矿业工程"]
REGIONS = ["310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
           "310113", "310114", "310115", "310116", "310117", "310118", "310120"]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉晓玉兰海峰春梅宇浩然子轩雨欣"
         "佳怡思涵梓萱一诺俊鹏飞嘉晨阳博瑞泽昊天凯鑫雪婷琳颖慧琪薇倩婧")
GOAL_RATIO = 0.35
GOAL_MB = 200

FLOOR = """
import csv, sqlite3, sys
database, path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(database, isolation_level=None)
with open(path, encoding="utf-8", newline="") as handle:
    reader = csv.reader(handle)
    header = next(reader)
    conn.execute("CREATE TABLE staff (%s)" % ", ".join('"%s" TEXT' % h for h in header))
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO staff VALUES (%s)" % ", ".join("?" * len(header)), reader)
    conn.execute("COMMIT")
"""


def check_digit(first17: str) -> str:
    """GB 11643 check digit (as stdnum computes it)."""
    checksum = (1 - 2 * int(first17, 13)) % 11
    return "X" if checksum == 10 else str(checksum)


def fake_name(rng: random.Random) -> str:
    surname = "欧阳" if rng.random() < 0.02 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A staff list as an HR system exports it: unique valid ID numbers, Chinese names."""
    rng = random.Random(seed)
    used: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            while True:
                born = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 35))
                first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
                number = first17 + check_digit(first17)
                if number not in used:
                    used.add(number)
                    break
            passed = date(2024, 8, 1) + timedelta(days=rng.randrange(700))
            writer.writerow([f"E{i + 1:06d}", fake_name(rng), number,
                             rng.choice(DEPARTMENTS), f"13{rng.randrange(10 ** 9):09d}",
                             rng.choice(SPECIALTIES), passed.isoformat()])


def measure(argv: list[str], log: Path, cwd: str | None = None
            ) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one child process; raises if it failed."""
    with open(log, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=sink, stderr=sink, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(argv)}\n"
                         + log.read_text(errors="replace")[-2000:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--also", metavar="DIR", action="append", default=[],
                        help="also time the `tracker` package found in DIR (e.g. an older "
                             "version from `git archive REV tracker | tar -x -C DIR`)")
    options = parser.parse_args()

    bin_dir = Path(sys.executable).parent
    tracker = [sys.executable, "-m", "tracker"]
    sqlite_utils = [str(bin_dir / "sqlite-utils")]
    work = Path(tempfile.mkdtemp(prefix="bench_import_"))
    staff = work / "staff.csv"
    generate(staff, options.rows)
    log = work / "log.txt"
    size_mb = staff.stat().st_size / 1e6
    print(f"{options.rows:,} rows, {len(HEADER)} columns ({', '.join(HEADER)}), UTF-8, "
          f"{size_mb:.1f} MB; {options.runs} runs; Python {sys.version.split()[0]}, "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, "
          f"load average before: {os.getloadavg()[0]:.1f}")

    contenders = {
        "tracker import": lambda db: tracker + ["--db", str(db), "import", str(staff)],
        **{f"tracker import ({folder})": (lambda db: tracker + ["--db", str(db), "import",
                                                                str(staff)])
           for folder in options.also},
        "sqlite-utils insert --csv": lambda db: sqlite_utils + ["insert", str(db), "staff",
                                                                str(staff), "--csv"],
        "raw csv + executemany (floor)": lambda db: [sys.executable, "-c", FLOOR, str(db),
                                                     str(staff)],
    }
    folders = {f"tracker import ({folder})": folder for folder in options.also}
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in contenders}
    reimport: list[tuple[float, float, float]] = []
    # Interleaved, so that a busy moment on the machine does not hit one contender only.
    for _ in range(options.runs):
        for name, argv in contenders.items():
            database = fresh(work / f"{name.split()[0]}.db")
            results[name].append(measure(argv(database), log, cwd=folders.get(name)))
            if name == "tracker import":
                count = sqlite3.connect(database).execute("SELECT count(*) FROM cases").fetchone()[0]
                if count != options.rows:
                    raise SystemExit(f"tracker imported {count} cases, not {options.rows}")
                reimport.append(measure(argv(database), log))

    def median(runs):
        return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
                max(r[2] for r in runs), min(r[0] for r in runs), min(r[1] for r in runs))

    peer = median(results["sqlite-utils insert --csv"])
    rows = [(name, median(runs)) for name, runs in results.items()]
    rows.insert(1, ("tracker import again (no change)", median(reimport)))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    width = max(34, *(len(name) + 1 for name, _ in rows))
    print(f"\n{'median of ' + str(options.runs) + ' runs':{width}}{'wall s':>8}{'CPU s':>8}"
          f"{'peak MB':>9}{'× peer wall':>13}{'× peer CPU':>12}{'fastest wall/CPU':>18}")
    for name, (wall, cpu, peak, fast_wall, fast_cpu) in rows:
        print(f"{name:{width}}{wall:8.2f}{cpu:8.2f}{peak:9.0f}{wall / peer[0]:13.2f}"
              f"{cpu / peer[1]:12.2f}{fast_wall:11.2f} /{fast_cpu:5.2f}")
    wall, cpu, peak, _, _ = median(results["tracker import"])
    floor = median(results["raw csv + executemany (floor)"])
    print(f"\ntracker import / floor: {wall / floor[0]:.1f}× wall, {cpu / floor[1]:.1f}× CPU")
    ratio = wall / peer[0]
    verdict = "met" if ratio <= GOAL_RATIO else f"missed by {ratio / GOAL_RATIO:.2f}×"
    print(f"goal {GOAL_RATIO}× sqlite-utils (wall): {ratio:.2f}× — {verdict}; "
          f"CPU {cpu / peer[1]:.2f}×")
    print(f"goal peak < {GOAL_MB} MB: {peak:.0f} MB — {'met' if peak < GOAL_MB else 'missed'}")
    if options.keep:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work)  # with the snapshots `tracker import` takes first


if __name__ == "__main__":
    main()
