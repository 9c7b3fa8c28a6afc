"""`tracker notify` and `tracker daily` (R16): one digest per channel, each item once.

For every channel: the items of today (`tracker.services.digest`) that the channel wants
and has not been sent yet, as messages split to its service's size, paced to its rate,
sent through Apprise. Each message's items are recorded as sent in one transaction right
after the service accepted the message — so a crash between the two sends it again
rather than never. A channel whose service fails stops there: the rest of its items stay
unsent and go out on the next run (exit code 1); the other channels go on. A second run
the same day sends nothing new. `dry_run` builds the same messages and records nothing.

For the faces (a dashboard screen): `channels_overview` (in `.channels`: each channel,
its last send, the failures since) and `preview` (the digests as they would go now).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..errors import EXIT_OK, EXIT_PARTIAL, TrackerError
from ..i18n import t
from ..store import channels as store
from .channels import (
    NONE,
    RateLimiter,
    Service,
    Transport,
    apprise_send,
    channel_object,
    get_channel,
    log_entry,
    service_for,
)
from .context import Context
from .deadlines import ITEM_COLUMNS, due_items
from .digest import Item, Lines, Message, build_messages, deadline_item, move_item, select

#: How far back the sweep's moves are told (a channel down for a few days catches up;
#: never before the channel was added).
MOVES_LOOKBACK_DAYS = 7


def digest_items(ctx: Context) -> list[Item]:
    """Everything a digest can tell today, before any channel's choice: the deadlines at
    a stage, overdue or flagged (soonest first), then the sweep's recent moves."""
    items = [i for i in (deadline_item(d.row, d.deadline) for d in due_items(ctx)) if i]
    since = (ctx.today - timedelta(days=MOVES_LOOKBACK_DAYS)).isoformat()
    items += [move_item(r) for r in store.sweep_moves(ctx.db, since, ITEM_COLUMNS)]
    return items


@dataclass
class ChannelPlan:
    """What one channel would be sent now."""

    channel: dict
    service: Service
    #: Items not sent yet, in the messages below.
    new: list[Item]
    #: Items it wants that were sent before.
    skipped: list[Item]
    messages: list[Message]


def plan_channel(ctx: Context, row: dict, items: Sequence[Item],
                 lines: Lines | None = None) -> ChannelPlan:
    service = service_for(row["url"])
    added = str(row["created_at"])[:10]
    wanted = [i for i in select(items, row["wants"], row["departments"])
              if i.section != "moved" or (i.moved_at or "") >= added]
    sent = store.sent_items(ctx.db, row["id"])
    new = [i for i in wanted if (i.case_id, i.key) not in sent]
    skipped = [i for i in wanted if (i.case_id, i.key) in sent]
    return ChannelPlan(row, service, new, skipped,
                       build_messages(new, service, row["lang"], ctx.today, lines))


def preview(ctx: Context, names: Sequence[str] | None = None) -> list[ChannelPlan]:
    """The digests as they would go now, per channel (nothing sent, nothing recorded)."""
    rows = ([get_channel(ctx, n) for n in names] if names else store.list_channels(ctx.db))
    if not rows:
        return []
    items, lines = digest_items(ctx), Lines()
    return [plan_channel(ctx, row, items, lines) for row in rows]


@dataclass
class ChannelRun:
    plan: ChannelPlan
    sent: list[Item] = field(default_factory=list)
    failed: list[Item] = field(default_factory=list)
    #: Messages the service accepted.
    delivered: int = 0
    error: str | None = None
    #: Seconds waited for the service's rate.
    waited: float = 0.0


@dataclass
class NotifyResult:
    today: str
    dry_run: bool
    runs: list[ChannelRun]

    @property
    def exit_code(self) -> int:
        """0 every channel done (or nothing to send), 1 a channel failed (docs/exit-codes)."""
        return EXIT_PARTIAL if any(r.error for r in self.runs) else EXIT_OK


def send_message(transport: Transport, url: str, service: Service, message: Message
                 ) -> str | None:
    """One message; the title goes where the service puts it (for WeCom it is the body's
    first line already)."""
    title = "" if service.title == NONE else message.title
    return transport(url, message.body, title, service.markdown)


def deliver(ctx: Context, plan: ChannelPlan, transport: Transport,
            limiter: RateLimiter) -> ChannelRun:
    """Send a channel's messages in order; record each one's items once it is accepted.
    Stop at the first failure: what is left goes out on the next run."""
    run, row = ChannelRun(plan), plan.channel
    for number, message in enumerate(plan.messages):
        limiter.wait()
        error = send_message(transport, row["url"], plan.service, message)
        if error is not None:
            run.error = error
            run.failed = [i for m in plan.messages[number:] for i in m.items]
            break
        with ctx.db.transaction():
            store.record_sent(ctx.db, row["id"],
                              [(i.case_id, i.key, i.section) for i in message.items],
                              ctx.now())
        run.sent.extend(message.items)
        run.delivered += 1
    run.waited = limiter.waited
    if plan.messages:
        log_entry(ctx, row, "digest", error=run.error, messages=run.delivered,
                  items=len(run.sent))
    return run


def notify(ctx: Context, *, dry_run: bool = False, names: Sequence[str] | None = None,
           transport: Transport = apprise_send, clock: Callable[[], float] = time.monotonic,
           sleep: Callable[[float], None] = time.sleep) -> NotifyResult:
    """One digest per channel (or per channel named); see the module's docstring. One
    sending run at a time: a second `notify` started meanwhile (two schedulers, a hand
    run during the timer's) is refused rather than send the same items twice."""
    result = NotifyResult(ctx.today.isoformat(), dry_run, [])
    if dry_run:
        result.runs = [ChannelRun(plan) for plan in preview(ctx, names)]
        return result
    _claim(ctx)
    try:
        for plan in preview(ctx, names):
            limiter = RateLimiter(plan.service.per_minute, clock, sleep)
            result.runs.append(deliver(ctx, plan, transport, limiter))
    finally:
        with ctx.db.transaction():
            store.release_run(ctx.db)
    return result


#: A run holding the claim longer than this is taken to have died (a killed process).
RUN_STALE = timedelta(minutes=30)


def _claim(ctx: Context) -> None:
    now = datetime.now().astimezone()
    with ctx.db.transaction():
        holder = store.claim_run(ctx.db, now.isoformat(timespec="seconds"),
                                 (now - RUN_STALE).isoformat(timespec="seconds"))
    if holder is not None:
        raise TrackerError("notify_running", since=holder, exit_code=EXIT_PARTIAL)


def send_test(ctx: Context, name: str, transport: Transport = apprise_send) -> str | None:
    """Send one test message to the channel; None when it was accepted, else the
    transport's error (scrubbed of secrets). The attempt is logged."""
    row = get_channel(ctx, name)
    service = service_for(row["url"])
    title = t("channel_test_title", lang=row["lang"])
    body = t("channel_test_body", lang=row["lang"], name=row["name"],
             at=ctx.now().replace("T", " "))
    message = Message(title, f"{title}\n{body}" if service.title == NONE else body)
    error = send_message(transport, row["url"], service, message)
    log_entry(ctx, row, "test", error=error, messages=0 if error else 1)
    return error


def preview_lines(plan: ChannelPlan) -> list[tuple[str, str]]:
    """What `tracker notify --dry-run` shows of one channel, line by line (the dashboard's
    preview shows the same): ("heading", …) for the tracker's own lines — what the channel
    would get, each message's size — and ("text", …) for a message as it would go out (its
    title where the service takes it apart, then its body)."""
    lines = [("heading", t("notify_dry_run", name=plan.channel["name"], items=len(plan.new),
                           messages=len(plan.messages), skipped=len(plan.skipped)))]
    for number, message in enumerate(plan.messages, start=1):
        lines.append(("heading", t("notify_message_header", n=number, total=len(plan.messages),
                                   bytes=message.size(plan.service),
                                   limit=plan.service.max_bytes)))
        if plan.service.title != NONE:
            lines.append(("text", message.title))
        lines.append(("text", message.body))
    return lines


def run_object(run: ChannelRun, lang: str, *, texts: bool = False) -> dict:
    """The documented JSON object of one channel's run (`tracker notify --format json`)."""
    plan = run.plan
    obj = {
        "channel": channel_object(plan.channel), "messages": len(plan.messages),
        "delivered": run.delivered, "error": run.error, "waited_seconds": round(run.waited, 1),
        "sent": [i.to_dict(lang) for i in run.sent],
        "skipped": [i.to_dict(lang) for i in plan.skipped],
        "failed": [i.to_dict(lang) for i in run.failed],
    }
    if texts:
        obj["pending"] = [i.to_dict(lang) for i in plan.new]
        obj["texts"] = [{"title": m.title, "body": m.body, "bytes": m.size(plan.service)}
                        for m in plan.messages]
    return obj
