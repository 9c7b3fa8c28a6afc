"""Reminders that reach people (R16): channels, the daily digest, `notify`, `daily`.

Against real servers the tests start on this machine: an SMTP server (aiosmtpd) for the
e-mail digest and an HTTP server for the webhook; a port nobody listens on for a service
that is down. Rate limits are checked on an injected clock: no test sleeps.
"""
from __future__ import annotations

import email
import json
import re
import socket
import threading
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from tracker.services import channels as channel_service
from tracker.services import notify as notify_service
from tracker.services.channels import SERVICES, RateLimiter
from tracker.services.digest import Item, Message, build_messages, deadline_item
from tracker.services.staff_messages import last_notified
from tracker.store import Database

from .conftest import make_id

#: The review notice's deadline; a week before it the 7-day stage is reached.
DEADLINE = "2026-06-15"
STAGE_DAY = date(2026, 6, 8)
AFTER = date(2026, 6, 16)
#: Polyphonic surnames and a compound one (曾 zēng, 单 shàn, 解 xiè, 仇 qiú).
NAMES = ["曾志伟", "单雄信", "解缙", "仇英", "欧阳娜娜", "张伟"]


def ids(n: int, first: int = 1) -> list[str]:
    return [make_id(f"3101151989{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i:03d}")
            for i in range(first, first + n)]


def add_staff(run, names, *, department="工程部", first=1):
    for offset, (name, number) in enumerate(zip(names, ids(len(names), first))):
        result = run("add", "--name", name, "--id-number", number,
                     "--employee-no", f"E{first + offset:03d}", "--department", department,
                     "--phone", f"1380000{first + offset:04d}", "--exam-year", "2025",
                     "--contact-confirmed-on", "2026-05-01", today=date(2026, 5, 20))
        assert result.code == 0, result.err


def review_notice(run):
    result = run("notice", "add", "--kind", "review", "--exam-year", "2025", "--deadline",
                 DEADLINE, "--title", "2025年度考后资格复核通知", today=date(2026, 6, 1))
    assert result.code == 0, result.err


@pytest.fixture
def staff(run):
    """Six people in review, their evidence due on DEADLINE."""
    add_staff(run, NAMES)
    review_notice(run)


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Webhook:
    """An HTTP server on localhost that records what is posted to it."""

    def __init__(self, port: int | None = None, status: int = 200):
        self.posts: list[dict] = []
        self.status = status
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                hook.posts.append({"path": self.path, "body": body,
                                   "type": self.headers.get("Content-Type")})
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port or 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="hooks/s3cretT0ken42") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def messages(self) -> list[dict]:
        return [json.loads(p["body"]) for p in self.posts]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    server = Webhook()
    yield server
    server.close()


class Mailbox:
    def __init__(self):
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.url = f"mailto://127.0.0.1:{port}?from=hr@example.com&to=boss@example.com"
    yield mailbox
    controller.stop()


def case_ids(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"#(\d+) ", text)]


# --------------------------------------------------------------------------- e-mail


def test_the_email_digest_arrives_in_chinese_and_a_second_run_sends_nothing(run, staff,
                                                                           smtp):
    assert run("channel", "add", "人事邮箱", smtp.url, "--lang", "zh").code == 0
    result = run("notify", today=STAGE_DAY)
    assert result.code == 0, result.err
    assert len(smtp.received) == 1
    message = email.message_from_bytes(smtp.received[0])
    assert str(make_header(decode_header(message["Subject"]))) == \
        "二级建造师 · 每日提醒 2026-06-08"
    [plain] = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    assert plain.get_content_charset() == "utf-8"
    body = plain.get_payload(decode=True).decode("utf-8")
    assert "即将到期（6）" in body
    for name in NAMES:
        assert name in body
    assert "2026-06-15（还有 7 天）" in body and "复核材料提交截止" in body
    # The same day again: nothing new, nothing sent.
    again = run("notify", today=STAGE_DAY)
    assert again.code == 0 and len(smtp.received) == 1
    assert "nothing new (6 sent before)" in again.out
    # The next stage (1 day before) is a new item: sent once more.
    assert run("notify", today=date(2026, 6, 14)).code == 0
    assert len(smtp.received) == 2


def test_a_second_notify_while_one_sends_is_refused_and_sends_nothing(run, staff, webhook,
                                                                     db_path):
    """Two schedulers, or a hand run during the timer's: the same items never go twice."""
    assert run("channel", "add", "hook", webhook.url(), "--lang", "zh").code == 0
    held = (datetime.now().astimezone() - timedelta(minutes=5)).isoformat(timespec="seconds")
    with Database(db_path) as database, database.transaction():
        database.conn.execute("INSERT INTO meta (key, value) VALUES ('notify_running_since', ?)",
                              [held])
    refused = run("notify", lang="zh", today=STAGE_DAY)
    assert refused.code == 1 and "另一个 notify 正在发送" in refused.err and held in refused.err
    assert webhook.posts == []
    # A claim left by a run that died (older than 30 minutes) is taken over.
    stale = (datetime.now().astimezone() - timedelta(hours=2)).isoformat(timespec="seconds")
    with Database(db_path) as database, database.transaction():
        database.conn.execute("UPDATE meta SET value = ? WHERE key = 'notify_running_since'",
                              [stale])
    assert run("notify", today=STAGE_DAY).code == 0 and len(webhook.posts) == 1
    with Database(db_path) as database:  # released when done
        assert database.conn.execute(
            "SELECT count(*) FROM meta WHERE key = 'notify_running_since'").fetchone()[0] == 0


# --------------------------------------------------------------------------- webhook


def test_the_webhook_receives_the_digest_as_json_each_item_once(run, staff, webhook):
    assert run("channel", "add", "hook", webhook.url(), "--lang", "zh").code == 0
    result = run("notify", "--format", "json", today=STAGE_DAY)
    assert result.code == 0, result.err
    [posted] = webhook.messages()
    assert posted["title"] == "二级建造师 · 每日提醒 2026-06-08"
    assert all(name in posted["message"] for name in NAMES)
    assert sorted(case_ids(posted["message"])) == [1, 2, 3, 4, 5, 6]
    [channel] = result.json()["channels"]
    assert channel["channel"]["name"] == "hook" and channel["error"] is None
    assert sorted(i["case_id"] for i in channel["sent"]) == [1, 2, 3, 4, 5, 6]
    assert {i["section"] for i in channel["sent"]} == {"due"}
    assert {i["stage"] for i in channel["sent"]} == {7}
    assert channel["skipped"] == [] and channel["failed"] == []

    again = run("notify", "--format", "json", today=STAGE_DAY).json()
    assert len(webhook.posts) == 1
    [channel] = again["channels"]
    assert channel["sent"] == [] and len(channel["skipped"]) == 6


def test_a_service_that_is_down_fails_the_run_and_the_next_run_sends_it(run, staff):
    port = free_port()  # nobody listens here yet
    assert run("channel", "add", "hook", f"json://127.0.0.1:{port}/hooks/s3cretT0ken42").code == 0
    down = run("notify", "--format", "json", today=STAGE_DAY)
    assert down.code == 1
    [channel] = down.json()["channels"]
    assert channel["sent"] == [] and len(channel["failed"]) == 6
    assert channel["error"] and "s3cretT0ken42" not in down.out + down.err
    listed = run("channel", "list", "--format", "json").json()
    assert listed[0]["failures"] == 1 and listed[0]["last_sent"] is None
    assert listed[0]["last_ok"] is False and listed[0]["last_error"]

    server = Webhook(port)
    try:
        up = run("notify", today=STAGE_DAY)
        assert up.code == 0, up.err
        assert "6 items sent, messages: 1" in up.out
        assert sorted(case_ids(server.messages()[0]["message"])) == [1, 2, 3, 4, 5, 6]
        listed = run("channel", "list", "--format", "json").json()
        # (the real time of sending: logs never take the pinned day)
        assert listed[0]["failures"] == 0 and listed[0]["last_sent"] is not None
    finally:
        server.close()


def test_a_refusing_service_is_reported_in_plain_words(run, staff):
    server = Webhook(status=500)
    try:
        assert run("channel", "add", "hook", server.url()).code == 0
        result = run("notify", today=STAGE_DAY)
        assert result.code == 1
        assert "sending failed" in result.err and "500" in result.err
        assert "the other 6 go out on the next run" in " ".join(result.err.split())
        tested = run("channel", "test", "hook")
        assert tested.code == 2 and "500" in tested.err
    finally:
        server.close()


def test_a_long_digest_arrives_as_several_messages_none_over_the_limit(run, webhook):
    names = [f"{s}{g}" for s in ("曾", "单", "解", "仇", "欧阳") for g in
             ("志伟", "雄信", "缙", "英", "娜娜", "建国", "晓明", "海燕", "国强", "秀英")]
    add_staff(run, names)
    review_notice(run)
    assert run("channel", "add", "hook", webhook.url(), "--lang", "zh").code == 0
    result = run("notify", "--format", "json", today=STAGE_DAY)
    assert result.code == 0, result.err
    posted = webhook.messages()
    assert len(posted) >= 2
    limit = channel_service.DEFAULT_SERVICE.max_bytes
    assert all(len(p["message"].encode()) <= limit for p in posted)
    seen = [case for p in posted for case in case_ids(p["message"])]
    assert sorted(seen) == list(range(1, len(names) + 1))  # none lost, none twice
    assert [p["title"][-5:] for p in posted][0].endswith(f"/{len(posted)}）")
    assert len(result.json()["channels"][0]["sent"]) == len(names)


def test_the_wecom_limit_is_2048_bytes_of_utf8(ctx):
    # Sweep moves as stand-ins: a line each, no deadline needed.
    items = [Item(i, f"miss_review|h{i}", "moved", {"case_id": i, "name": "曾" * 20,
                                                    "department": "工程部"},
                  event="miss_review", moved_to="review_missed", moved_at="2026-06-16")
             for i in range(1, 301)]
    service = SERVICES["wecombot"]
    messages = build_messages(items, service, "zh", STAGE_DAY)
    assert len(messages) > 5
    assert all(m.size(service) <= 2048 for m in messages)
    assert all(m.body.startswith("二级建造师 · 每日提醒 2026-06-08（") for m in messages)
    carried = [i.case_id for m in messages for i in m.items]
    assert carried == list(range(1, 301))
    total = sum(m.size(service) for m in messages)
    assert len(messages) <= total // 2048 + 2  # packed, not one item per message


# --------------------------------------------------------------------------- rate


class FakeClock:
    """A clock that moves only when someone sleeps on it."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_25_messages_to_one_robot_keep_to_20_a_minute(ctx):
    row = channel_service.add_channel(ctx, "群机器人", "wecombot://abcdef0123456789abcdef")
    clock = FakeClock()
    times: list[float] = []

    def transport(url, body, title, markdown):
        times.append(clock())
        clock.now += 0.2  # each request takes a moment
        return None

    plan = notify_service.ChannelPlan(row, SERVICES["wecombot"], [], [],
                                      [Message(f"m{n}", f"m{n}") for n in range(25)])
    limiter = RateLimiter(SERVICES["wecombot"].per_minute, clock, clock.sleep)
    run = notify_service.deliver(ctx, plan, transport, limiter)
    assert run.delivered == 25 and run.error is None  # waited, nothing dropped
    assert len(times) == 25
    assert all(times[i + 20] - times[i] >= 60 for i in range(len(times) - 20))
    assert len(clock.slept) >= 1 and 55 < run.waited <= 60


def test_a_webhook_without_a_published_limit_is_not_paced():
    clock = FakeClock()
    limiter = RateLimiter(channel_service.DEFAULT_SERVICE.per_minute, clock, clock.sleep)
    for _ in range(100):
        limiter.wait()
    assert clock.slept == []


# --------------------------------------------------------------------------- secrets


SECRETS = {
    "mailtos://hr:AuthC0de9876@smtp.exmail.qq.com:465?mode=ssl&from=hr@corp.cn&to=boss@corp.cn":
        ["AuthC0de9876"],
    "wecombot://9f8e7d6c5b4a39281706f5e4d3c2b1a0": ["9f8e7d6c5b4a39281706f5e4d3c2b1a0"],
    "dingtalk://SEC0123456789abcdef@aa11bb22cc33dd44ee55ff66/": ["SEC0123456789abcdef",
                                                                 "aa11bb22cc33dd44ee55ff66"],
    "json://127.0.0.1:9/hooks/s3cretT0ken42?token=QueryS3cret": ["s3cretT0ken42",
                                                                 "QueryS3cret"],
}


def test_a_secret_never_appears_in_lists_history_exports_or_backups(run, staff, tmp_path):
    for number, url in enumerate(SECRETS, start=1):
        assert run("channel", "add", f"c{number}", url).code == 0
    # A run that fails (port 9 refuses), its errors logged.
    run("notify", "--channel", "c4", today=STAGE_DAY)
    run("channel", "test", "c4")
    outputs = [run("channel", "list"), run("channel", "list", "--format", "json"),
               run("notify", "--dry-run", "--format", "json", today=STAGE_DAY),
               run("notify", "--dry-run", today=STAGE_DAY),
               run("history", "--all", "--format", "json"),
               run("history", "1", "--format", "json"),
               run("export-all", "--format", "json", "-o", "-"),
               run("export-all", "--format", "csv", "-o", "-"),
               run("backup"), run("backup", "--list"), run("channel", "remove", "c1")]
    text = "".join(o.out + o.err for o in outputs)
    assert "c2" in text and "wecombot://" in text
    for secrets in SECRETS.values():
        for secret in secrets:
            assert secret not in text
    assert "AuthC0de9876" not in (tmp_path / "xdg-config").as_posix()


def test_mask_url_keeps_what_tells_channels_apart():
    assert channel_service.mask_url("wecombot://9f8e7d6c5b4a39281706f5e4d3c2b1a0") == \
        "wecombot://9f…a0"
    masked = channel_service.mask_url(
        "mailtos://hr:AuthC0de9876@smtp.exmail.qq.com:465?mode=ssl&from=hr@corp.cn")
    assert masked == "mailtos://hr:****@smtp.exmail.qq.com:465?mode=ssl&from=hr@corp.cn"
    error = channel_service.scrub(
        "POST https://qyapi.weixin.qq.com/send?key=9f8e7d6c5b4a39281706f5e4d3c2b1a0 failed",
        "wecombot://9f8e7d6c5b4a39281706f5e4d3c2b1a0")
    assert "9f8e7d6c5b4a39281706f5e4d3c2b1a0" not in error


# --------------------------------------------------------------------------- channels


def test_bad_channels_are_refused_and_nothing_is_written(run, db_path):
    assert run("channel", "add", "x", "nonsense://abc").code == 2
    refused = run("--lang", "zh", "channel", "add", "x", "wecombot://")
    assert refused.code == 2 and "无法使用的通知地址" in refused.err
    assert "Traceback" not in refused.err
    assert run("channel", "list", "--format", "json").json() == []
    assert run("channel", "add", "x", "wecombot://abcdef0123456789abcdef").code == 0
    duplicate = run("channel", "add", "x", "json://127.0.0.1/x")
    assert duplicate.code == 2 and "exists already" in duplicate.err
    unknown = run("channel", "remove", "nope")
    assert unknown.code == 2 and "no channel named" in unknown.err and "x" in unknown.err
    assert run("channel", "test", "nope").code == 2
    assert len(run("channel", "list", "--format", "json").json()) == 1


def test_channel_test_sends_one_message(run, webhook):
    assert run("channel", "add", "hook", webhook.url(), "--lang", "zh").code == 0
    result = run("channel", "test", "hook")
    assert result.code == 0, result.err
    [posted] = webhook.messages()
    assert posted["title"] == "二级建造师跟踪 · 测试消息" and "“hook”" in posted["message"]
    assert run("channel", "list", "--format", "json").json()[0]["last_sent"]


def test_no_channels_is_said_and_is_not_an_error(run, staff):
    result = run("notify", today=STAGE_DAY)
    assert result.code == 0 and "no reminder channels" in result.out


def test_a_manager_gets_only_what_is_overdue_and_departments_filter(run, staff, webhook):
    add_staff(run, ["仇建国"], department="技术部", first=40)
    opened = run("event", "E040", "open_review", "--set", "review_deadline=2026-06-10",
                 today=date(2026, 6, 2))
    assert opened.code == 0, opened.err
    assert run("channel", "add", "manager", webhook.url("m"), "--only", "overdue").code == 0
    assert run("channel", "add", "tech", webhook.url("t"), "--departments", "技术部").code == 0
    result = run("notify", "--format", "json", today=date(2026, 6, 12))
    by_name = {c["channel"]["name"]: c for c in result.json()["channels"]}
    assert [i["name"] for i in by_name["manager"]["sent"]] == ["仇建国"]
    assert by_name["manager"]["sent"][0]["section"] == "overdue"
    assert {i["name"] for i in by_name["tech"]["sent"]} == {"仇建国"}
    assert by_name["manager"]["channel"]["departments"] == []
    assert by_name["tech"]["channel"]["departments"] == ["技术部"]


def test_dry_run_prints_the_messages_and_records_nothing(run, staff, webhook):
    assert run("channel", "add", "hook", webhook.url(), "--lang", "zh").code == 0
    preview = run("notify", "--dry-run", today=STAGE_DAY)
    assert preview.code == 0 and webhook.posts == []
    assert "曾志伟" in preview.out and "nothing sent or recorded" in preview.out
    assert run("notify", today=STAGE_DAY).code == 0
    assert sorted(case_ids(webhook.messages()[0]["message"])) == [1, 2, 3, 4, 5, 6]


# --------------------------------------------------------------------------- what is told


def test_flags_are_to_follow_up_never_overdue(ctx):
    from tracker.domain.deadlines import make_deadline

    row = {"case_id": 7, "name": "解缙", "contact_confirmed_on": "2025-01-01",
           "state": "registered"}
    deadline = make_deadline("contact_unconfirmed", date(2026, 1, 1), row, STAGE_DAY)
    item = deadline_item(row, deadline)
    assert item.section == "flag" and item.key == "contact_unconfirmed|2026-01-01|flag"
    [message] = build_messages([item], SERVICES["wecombot"], "en", STAGE_DAY)
    assert "To follow up (1)" in message.body and "flagged for" in message.body
    assert "overdue" not in message.body.split("\n", 2)[2]


def test_a_sitting_without_a_date_is_not_in_a_digest(run, webhook):
    number = ids(1, first=60)[0]
    assert run("add", "--name", "单田芳", "--id-number", number, "--state", "exam_partial",
               "--exam-year", "2026", "--contact-confirmed-on", "2026-11-01").code == 0
    passed = run("event", "1", "record_subject_pass", "--set", "subjects=management",
                 "--set", "exam_year=2026")
    assert passed.code == 0, passed.err
    assert run("remind", "--format", "json").json()  # it is a reminder (no date) …
    assert run("channel", "add", "hook", webhook.url()).code == 0
    result = run("notify", "--format", "json")
    assert result.json()["channels"][0]["sent"] == []  # … but nothing to send on a day


def test_daily_sweeps_then_tells_what_the_sweep_moved(run, staff, webhook):
    assert run("channel", "add", "hook", webhook.url(), "--lang", "en",
               today=STAGE_DAY).code == 0
    result = run("daily", "--format", "json", today=AFTER)
    assert result.code == 0, result.err
    data = result.json()
    assert len(data["sweep"]["events"]["miss_review"]["applied"]) == 6
    [channel] = data["notify"]["channels"]
    assert {i["section"] for i in channel["sent"]} == {"moved"}
    [posted] = webhook.messages()
    assert "Moved by the sweep (6)" in posted["message"]
    assert "Review missed" in posted["message"] or "review" in posted["message"].lower()
    again = run("daily", today=AFTER)
    assert again.code == 0 and len(webhook.posts) == 1


def test_daily_exit_code_is_the_worse_of_sweep_and_notify(run, staff):
    assert run("channel", "add", "hook", f"json://127.0.0.1:{free_port()}/x",
               today=STAGE_DAY).code == 0
    result = run("daily", today=AFTER)
    assert result.code == 1  # the sweep did its work, the channel failed


# --------------------------------------------------------------------------- staff


def test_notice_messages_speak_to_the_person_and_record_when_told(run, staff, ctx, tmp_path):
    result = run("--lang", "zh", "notice", "message", "1", "--format", "json",
                 today=date(2026, 6, 2))
    assert result.code == 0, result.err
    messages = result.json()
    assert [m["name"] for m in messages] == NAMES
    first = messages[0]
    assert first["phone"] == "13800000001"
    assert first["text"].startswith("曾志伟：在截止日前提交复核材料。截止日：2026-06-15（含当日）")
    for message in messages:  # R17: nothing for the officer
        assert "tracker" not in message["text"] and "记录" not in message["text"]
        assert "R3" not in message["text"]
    told = last_notified(ctx, 1)
    assert told["on"] == "2026-06-02" and told["notice_id"] == 1
    assert told["notice_title"] == "2025年度考后资格复核通知"
    # show and the person's status sheet say when they were told, and of what
    shown = run("--lang", "zh", "show", "1", today=date(2026, 6, 3)).out
    assert "上次通知本人：2026-06-02（资格复核通知：2025年度考后资格复核通知）" in shown
    assert run("show", "1", "--format", "json").json()["last_notified"]["on"] == "2026-06-02"
    sheet = run("export", "1", "--format", "md", "-o", "-", "--lang", "en").out
    assert "Last told: 2026-06-02 (Review notice: 2025年度考后资格复核通知)" in sheet

    out = tmp_path / "sms.csv"
    written = run("notice", "message", "1", "-o", str(out), "--dry-run")
    assert written.code == 0 and "nothing recorded" in written.out
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Case,Employee no.,Name,Phone,Department,Message" or \
        text.splitlines()[0].count(",") == 5
    assert "Submit the review evidence before the deadline" in text
    assert run("notice", "message", "99").code == 2


def test_last_notified_is_none_before_anyone_was_told(ctx):
    assert last_notified(ctx, 1) is None
