"""Reminder channels (R16): where the daily digest goes, and how it gets there.

A channel is a name, an Apprise URL, a language, what it wants (`only`: overdue, due or
all) and optionally the departments it covers. Apprise (https://github.com/caronc/apprise)
is the one transport: ``mailto://`` / ``mailtos://`` for SMTP (腾讯企业邮: port 465 with
``mode=ssl`` and the authorisation code as password), ``wecombot://KEY`` for a WeCom
group robot, ``dingtalk://SECRET@TOKEN/`` for a signed DingTalk robot, ``json://`` and
``form://`` for a generic webhook.

What each service accepts (`SERVICES`): the size of one message in UTF-8 bytes (WeCom's
text message: 2,048; chat robots are kept to 4,096 so that a message reads whole on a
phone), whether it renders Markdown, and how many messages a minute it takes (WeCom and
DingTalk robots: 20). The digest is split to the size and paced to the rate
(`RateLimiter`, on a clock that tests replace): a message waits, it is never dropped.

A URL holds a secret. It is stored in the database (0600, like everything) and shown
only masked (`mask_url`); an error from the transport is scrubbed of it (`scrub`).
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlsplit

from ..errors import TrackerError
from ..store import channels as store
from .context import Context

ONLY = ("all", "due", "overdue")
#: Title placement: passed apart (an e-mail's subject, a webhook's title field); put by
#: Apprise as a "# heading" line above the body (DingTalk Markdown); none at all (WeCom:
#: the heading is the body's first line).
SEPARATE, HEADING, NONE = "separate", "heading", "none"


@dataclass(frozen=True)
class Service:
    """What one kind of channel accepts."""

    #: The most UTF-8 bytes of one message's text (the body, and the title where the
    #: service puts it into the text).
    max_bytes: int
    markdown: bool
    #: Messages a minute the service accepts (None: no published limit).
    per_minute: int | None
    title: str = SEPARATE

    def overhead(self, title: str) -> int:
        """Bytes the transport adds to the body for the title."""
        if self.title == HEADING:
            return len(f"# {title}\n".encode())
        return 0


#: By Apprise scheme. WeCom robot text: "最长不超过2048个字节" (the robot's API); DingTalk
#: and WeCom robots: 20 messages a minute. E-mail has no size that matters for a digest.
SERVICES: dict[str, Service] = {
    "wecombot": Service(2048, markdown=False, per_minute=20, title=NONE),
    "dingtalk": Service(4096, markdown=True, per_minute=20, title=HEADING),
    "mailto": Service(1_000_000, markdown=True, per_minute=None),
    "mailtos": Service(1_000_000, markdown=True, per_minute=None),
}
#: Any other Apprise service (json://, form://, …): plain text, chat-sized.
DEFAULT_SERVICE = Service(4096, markdown=False, per_minute=None)
#: Schemes whose host part is the secret itself (the robot's key or token).
HOST_IS_SECRET = ("wecombot", "dingtalk")
#: Query parameters that are settings, not secrets (shown as they are).
PLAIN_QUERY = {"mode", "format", "from", "to", "cc", "bcc", "name", "lang", "method",
               "overflow", "smtp", "user", "reply", "cto", "port"}


def scheme_of(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def service_for(url: str) -> Service:
    return SERVICES.get(scheme_of(url), DEFAULT_SERVICE)


# --------------------------------------------------------------------------- secrets


def _masked(value: str) -> str:
    """"ab…yz" for a long value (enough to tell two apart), "****" for a short one."""
    return f"{value[:2]}…{value[-2:]}" if len(value) >= 12 else "****"


def mask_url(url: str) -> str:
    """The URL as shown anywhere: the password, every path segment and every query
    value that may be a token masked; for a robot, the key or token too."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme in HOST_IS_SECRET:
        host = _masked(host)
    user = ""
    if parts.username:
        user = ("****" if scheme in HOST_IS_SECRET else parts.username)
        user += ":****@" if parts.password else "@"
    port = f":{parts.port}" if _port(parts) else ""
    path = "/".join(_masked(s) if s else "" for s in parts.path.split("/"))
    query = "&".join(f"{k}={v if k.lower() in PLAIN_QUERY else '****'}"
                     for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return f"{scheme}://{user}{host}{port}{path}" + (f"?{query}" if query else "")


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError:
        return None


def url_secrets(url: str) -> list[str]:
    """Every part of the URL that `mask_url` hides, longest first (for `scrub`)."""
    parts = urlsplit(url)
    found = [parts.password or "", *parts.path.split("/")]
    found += [v for k, v in parse_qsl(parts.query) if k.lower() not in PLAIN_QUERY]
    if parts.scheme.lower() in HOST_IS_SECRET:
        found += [parts.hostname or "", parts.username or ""]
    found = [s for s in found if len(s) >= 4]
    found += [quote(s, safe="") for s in found]
    return sorted(set(found), key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """`text` (an error from the transport) without any secret of `url`."""
    text = text.replace(url, mask_url(url))
    for secret in url_secrets(url):
        text = text.replace(secret, "****")
    return text


# --------------------------------------------------------------------------- transport


class Transport(Protocol):
    """Sends one message; returns None when the service accepted it, else its error."""

    def __call__(self, url: str, body: str, title: str, markdown: bool) -> str | None: ...


def check_url(url: str) -> None:
    """Refuse what Apprise cannot use (an unknown scheme, a malformed key)."""
    import apprise

    if apprise.Apprise.instantiate(url) is None:
        raise TrackerError("channel_bad_url", url=mask_url(url))


def apprise_send(url: str, body: str, title: str, markdown: bool) -> str | None:
    """One message through Apprise; the error is what Apprise logged, scrubbed."""
    import apprise  # only when something is sent (startup time of the other commands)

    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return "invalid URL"
    # We pace the messages ourselves (RateLimiter): Apprise would sleep 5.5 s before each.
    plugin.request_rate_per_sec = 0
    body_format = apprise.NotifyFormat.MARKDOWN if markdown else apprise.NotifyFormat.TEXT
    with apprise.LogCapture(level=apprise.logging.WARNING, fmt="%(message)s") as logs:
        try:
            ok = plugin.notify(body=body, title=title, body_format=body_format)
        except Exception as error:  # a plugin bug must not lose the rest of the run
            return scrub(f"{type(error).__name__}: {error}", url)
        text = logs.getvalue().strip()
    if ok:
        return None
    return scrub(" ".join(text.split()) or "the service refused the message", url)


class RateLimiter:
    """At most `per_minute` messages in any 60 seconds: waits (never drops) for the next
    slot. `clock` and `sleep` are replaced in tests (no test sleeps)."""

    def __init__(self, per_minute: int | None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.per_minute, self.clock, self.sleep = per_minute, clock, sleep
        self.sent: deque[float] = deque()
        self.waited = 0.0

    def wait(self) -> None:
        """Block until one more message may go, and count it as sent now."""
        if not self.per_minute:
            return
        now = self.clock()
        while self.sent and now - self.sent[0] >= 60:
            self.sent.popleft()
        if len(self.sent) >= self.per_minute:
            pause = 60 - (now - self.sent[0])
            self.sleep(pause)
            self.waited += pause
            now = self.clock()
            while self.sent and now - self.sent[0] >= 60:
                self.sent.popleft()
        self.sent.append(now)


# --------------------------------------------------------------------------- channels


def _departments(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [d.strip() for d in items if d and d.strip()]


def add_channel(ctx: Context, name: str, url: str, *, lang: str | None = None,
                only: str = "all", departments: str | list[str] | None = None) -> dict:
    """Record a channel (the URL is checked by Apprise first); one transaction."""
    name, url = (name or "").strip(), (url or "").strip()
    if not name:
        raise TrackerError("channel_name_empty")
    if only not in ONLY:
        raise TrackerError("channel_bad_only", only=only, known=", ".join(ONLY))
    check_url(url)
    with ctx.db.transaction():
        if store.channel_by_name(ctx.db, name) is not None:
            raise TrackerError("channel_exists", name=name)
        channel_id = store.insert_channel(ctx.db, {
            "name": name, "url": url, "lang": lang or ctx.lang, "wants": only,
            "departments": _departments(departments), "created_at": ctx.now(),
            "actor": ctx.actor})
        store.add_log(ctx.db, {"channel_id": channel_id, "channel": name, "at": ctx.now(),
                               "actor": ctx.actor, "action": "added", "ok": 1,
                               "error": None})
    return get_channel(ctx, name)


def get_channel(ctx: Context, name: str) -> dict:
    """The channel's row, URL included (for sending; show it with `channel_object`)."""
    row = store.channel_by_name(ctx.db, name)
    if row is None:
        known = ", ".join(c["name"] for c in store.list_channels(ctx.db)) or "—"
        raise TrackerError("channel_unknown", name=name, known=known)
    return row


def remove_channel(ctx: Context, name: str) -> dict:
    """Remove a channel; what was sent to it stays in the log."""
    with ctx.db.transaction():
        row = get_channel(ctx, name)
        store.delete_channel(ctx.db, row["id"])
        store.add_log(ctx.db, {"channel_id": row["id"], "channel": row["name"],
                               "at": ctx.now(), "actor": ctx.actor, "action": "removed",
                               "ok": 1, "error": None})
    return row


def list_channels(ctx: Context) -> list[dict]:
    return store.list_channels(ctx.db)


def channel_object(row: dict, activity: dict | None = None) -> dict[str, Any]:
    """The documented JSON object of a channel: its URL masked, never in full."""
    service = service_for(row["url"])
    activity = activity or {}
    last = activity.get("last") or {}
    return {
        "name": row["name"], "url": mask_url(row["url"]), "scheme": scheme_of(row["url"]),
        "lang": row["lang"], "only": row["wants"], "departments": row["departments"],
        "max_bytes": service.max_bytes, "markdown": service.markdown,
        "per_minute": service.per_minute, "created_at": row["created_at"],
        "last_sent": activity.get("last_sent"),
        "last_attempt": last.get("at"), "last_ok": bool(last["ok"]) if last else None,
        "last_error": last.get("error"), "failures": activity.get("failures", 0),
    }


def channels_overview(ctx: Context) -> list[dict[str, Any]]:
    """Every channel with its last send and the failures since (for a dashboard screen
    and `channel list`), URLs masked."""
    activity = store.channel_activity(ctx.db)
    return [channel_object(r, activity.get(r["id"])) for r in store.list_channels(ctx.db)]


def log_entry(ctx: Context, row: dict, action: str, *, error: str | None, messages: int = 0,
              items: int = 0) -> None:
    """One delivery attempt in the log (its own transaction), the error already scrubbed."""
    with ctx.db.transaction():
        store.add_log(ctx.db, {"channel_id": row["id"], "channel": row["name"],
                               "at": ctx.now(), "actor": ctx.actor, "action": action,
                               "ok": int(error is None), "messages": messages,
                               "items": items, "error": error})
