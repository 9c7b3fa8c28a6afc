"""Benchmark: building the daily digests (R16) for 100,000 cases, and their sizes.

Run by hand (not collected by pytest), from the repository root:

    . .venv/bin/activate
    python tests/benchmarks/bench_notify.py                 # 100,000 cases
    python tests/benchmarks/bench_notify.py --cases 20000 --repeat 5

It builds the database of `bench_deadlines.py` (the realistic mix: about 13,000
deadlines due at a stage, overdue or flagged), adds four channels (a WeCom robot, a
DingTalk robot, an e-mail and a webhook), then times

- the digests as `tracker notify` builds them: every item of today, each channel's
  choice, what it was sent before, the lines and the split into messages (`preview`);
- the peer measured in the same run: `tracker remind`'s list alone (`reminders`);
- a delivery to a transport that accepts everything at once (what the recording costs,
  one transaction per message), and the second run of the day, which sends nothing.

For each channel it prints the messages, their bytes, the largest message against the
service's limit, and the messages per 4,096 bytes of digest (packed messages: at most 1
for a channel whose limit is 4,096 bytes or more).
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_deadlines import TODAY, build, timed  # noqa: E402

from tracker.domain.rules import DEFAULT_RULES  # noqa: E402
from tracker.services import channels as channel_service  # noqa: E402
from tracker.services import notify as notify_service  # noqa: E402
from tracker.services.context import Context  # noqa: E402
from tracker.services.reminders import reminders  # noqa: E402
from tracker.store import Database  # noqa: E402

CHANNELS = (
    ("wecom", "wecombot://abcdef0123456789abcdef", "zh"),
    ("dingtalk", "dingtalk://SEC0123456789abcdef@aa11bb22cc33dd44ee55ff66/", "zh"),
    ("mail", "mailtos://hr:code@smtp.exmail.qq.com:465?mode=ssl&from=hr@corp.cn", "en"),
    ("webhook", "json://127.0.0.1:9/hook", "zh"),
)


def accept(url, body, title, markdown):  # a transport that accepts everything at once
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, args.cases)
        database = Database(path)
        ctx = Context(db=database, today=TODAY, actor="bench", today_pinned=True,
                      rules=DEFAULT_RULES)
        for name, url, lang in CHANNELS:
            channel_service.add_channel(ctx, name, url, lang=lang)
        print(f"{args.cases:,} cases, today {TODAY}, {len(CHANNELS)} channels")

        peer, due = timed(lambda: reminders(ctx), args.repeat)
        seconds, plans = timed(lambda: notify_service.preview(ctx), args.repeat)
        items = len(notify_service.digest_items(ctx))
        print(f"\n{'digests (all channels): items, lines, split':<48}{seconds:8.3f} s"
              f"   {items:,} items")
        print(f"{'peer: remind list alone (reminders)':<48}{peer:8.3f} s"
              f"   {len(due):,} reminders   ratio {seconds / peer:.2f}")
        verdict = "under" if seconds < 1 else "OVER"
        print(f"target: digests under 1 s -> {verdict} ({seconds:.3f} s)\n")

        print(f"{'channel':<10}{'items':>8}{'msgs':>7}{'bytes':>11}{'largest':>10}"
              f"{'limit':>11}{'msgs/4096 B':>13}{'ceil(bytes/limit)':>19}")
        for plan in plans:
            sizes = [m.size(plan.service) for m in plan.messages]
            total = sum(sizes)
            limit = plan.service.max_bytes
            assert max(sizes) <= limit, plan.channel["name"]
            assert sum(len(m.items) for m in plan.messages) == len(plan.new)
            print(f"{plan.channel['name']:<10}{len(plan.new):>8,}{len(sizes):>7,}"
                  f"{total:>11,}{max(sizes):>10,}{limit:>11,}"
                  f"{len(sizes) / (total / 4096):>13.2f}{math.ceil(total / limit):>19,}")

        clock = [0.0]
        start = time.perf_counter()
        result = notify_service.notify(ctx, transport=accept, clock=lambda: clock[0],
                                       sleep=lambda s: clock.__setitem__(0, clock[0] + s))
        sent = time.perf_counter() - start
        messages = sum(r.delivered for r in result.runs)
        waited = max(r.waited for r in result.runs)
        print(f"\n{'deliver to an accepting transport + record':<48}{sent:8.3f} s"
              f"   {messages:,} messages; robots' pacing would wait {waited / 60:.0f} min")
        seconds, again = timed(lambda: notify_service.notify(ctx, transport=accept),
                               args.repeat)
        print(f"{'second run the same day (nothing new)':<48}{seconds:8.3f} s"
              f"   {sum(r.delivered for r in again.runs)} messages")
        database.close()


if __name__ == "__main__":
    main()
