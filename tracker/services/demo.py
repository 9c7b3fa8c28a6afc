"""A deterministic demo database: fictitious staff spread over every state, with histories.

Every case is walked along the workflow through the same services the user has, on
back-dated days, so its history is a real one (guards checked, dates derived by the
rules). Same seed and same "today" -> the same database, byte for byte in content.

The demo records its own (fictitious) exam notices, one per year up to this year's, each
with the day of that year's sitting; a case's exam year is the last sitting before its
review opened, and nothing of a case happens before its sitting. Next year's exam notice
is not out yet: the cases that must pass the rest at that sitting show it undated.

A few stories go further than a state (R7b, R9a–R9c): a change of employer with its new
labour contract and seal, a renewal applied for after its cut-off (recorded as late), a
refused renewal, a re-registration after an expiry (its approval dated before the day it
was typed in), and continuing-education courses logged one by one.
"""
from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from pathlib import Path

from ..domain import idcard
from ..domain.workflow import EVENTS, STATE_NAMES, WORKFLOW
from ..errors import TrackerError
from ..store import Database
from ..store import cases as store
from . import cases as service
from .context import Context

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉晓玉兰海峰春梅宇浩然子轩雨欣佳怡思涵梓萱一诺子涵浩宇俊杰鹏飞嘉怡"
DEPARTMENTS = ["工程部", "项目一部", "项目二部", "技术部", "安全质量部", "市场经营部"]
STREETS = ["莘庄镇莘建路", "七宝镇七莘路", "颛桥镇都市路", "梅陇镇春申路", "江川路街道沧源路"]
COMPANIES = ["上海申建工程有限公司", "上海闵行建设集团有限公司"]
SPECIALTY_WEIGHTS = [("building", 50), ("municipal", 20), ("mechanical_electrical", 15),
                     ("highway", 6), ("water_conservancy", 6), ("mining", 3)]
#: Shanghai district codes used for fictitious ID numbers.
REGIONS = ["310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112",
           "310113", "310114", "310115", "310116", "310117", "310118", "310120"]

#: How many demo cases end in each state (every state is present).
STATE_COUNTS = {
    "exam_partial": 14, "exam_passed": 22, "review_pending": 24, "review_submitted": 18,
    "review_passed": 14, "review_failed": 5, "review_missed": 6, "certificate_available": 20,
    "certified": 28, "correction_pending": 4, "registration_applied": 12, "registered": 45,
    "renewal_due": 10, "renewal_applied": 6, "registration_expired": 4,
    "certificate_revoked": 1,
}
#: Exam years the demo records a sitting for (this year's included), back from today.
SITTING_YEARS = 7
DEMO_MARKER = "demo"


def fake_id_number(rng: random.Random, used: set[str]) -> str:
    while True:
        born = date(1972, 1, 1) + timedelta(days=rng.randrange(0, 365 * 28))
        first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
        number = first17 + idcard.check_digit(first17)
        if number not in used:
            used.add(number)
            return number


def fake_name(rng: random.Random) -> str:
    surname = "欧阳" if rng.random() < 0.02 else rng.choice(SURNAMES[:-2])
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return surname + given


def _at(ctx: Context, day: date) -> Context:
    """The context on a back-dated `day` (never after the demo's today: no future history)."""
    return replace(ctx, today=min(day, ctx.today))


# --------------------------------------------------------------------------- walking a case


def path_to(target: str, start: str = "exam_passed") -> list[str]:
    """The events that take a case from `start` to `target`: the shortest way through the
    workflow's definitions, main-line events first, never a side record."""
    queue, seen = deque([(start, [])]), {start}
    while queue:
        state, events = queue.popleft()
        if state == target:
            return events
        for name in WORKFLOW.allowed_events(state):
            if EVENTS[name].side:
                continue
            for dest in EVENTS[name].destinations(state):
                if dest not in seen:
                    seen.add(dest)
                    queue.append((dest, [*events, name]))
    raise ValueError(f"no way from {start} to {target}")


#: The states of the review cohort that is under way now (its deadline is around today).
RECENT_REVIEW = ("review_pending", "review_submitted", "review_missed")
#: Registration targets: how many days ago the registration was approved.
APPROVED_DAYS_AGO = {
    "registered": (20, 1000),
    "renewal_due": (365 * 3 - 85, 365 * 3 - 35),
    "renewal_applied": (365 * 3 - 85, 365 * 3 - 35),
    "registration_expired": (365 * 3 + 5, 365 * 3 + 120),
}


def demo_sitting(year: int) -> date:
    """The (fictitious) day of a year's sitting in the demo: the first Sunday of June."""
    first = date(year, 6, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7)


def record_sittings(ctx: Context) -> dict[int, date]:
    """The demo's exam notices: one per year, recorded in March of that year."""
    from .notices import add_notice

    sittings = {}
    for year in range(ctx.today.year - SITTING_YEARS + 1, ctx.today.year + 1):
        sitting = demo_sitting(year)
        add_notice(_at(ctx, date(year, 3, 1)), kind="exam", exam_year=year, sitting=sitting,
                   title=f"（演示）{year} 年度二级建造师资格考试通知")
        sittings[year] = sitting
    return sittings


@dataclass
class Walk:
    """One demo case on its way: the days its steps fall on, decided as it goes."""

    ctx: Context
    target: str
    rng: random.Random
    today: date
    sittings: dict[int, date]
    case_id: int = 0
    #: The day the review opened, its deadline, and (registration targets) the approval.
    opened: date = date.min
    deadline: date = date.min
    approval: date | None = None
    #: The case's exam year: the last sitting before the review opened (or, for a case
    #: still in the exam, the year of its passes).
    exam_year: int = 0
    #: The day of the last step.
    day: date = date.min

    def days(self, low: int, high: int) -> int:
        return self.rng.randrange(low, high)

    def plan(self) -> None:
        """When the review opened and closes, so that every step lies in the past, in
        order, and the case ends where it should (the steps take at most ~170 days)."""
        if self.target in RECENT_REVIEW:
            self.opened = self.today - timedelta(days=self.days(5, 25))
            self.deadline = self.today + timedelta(days=self.rng.choice(
                (-6, -2, 1, 3, 5, 9, 14, 20, 28, 40)))
            if self.target == "review_missed":
                self.opened = self.today - timedelta(days=self.days(25, 40))
                self.deadline = self.opened + timedelta(days=self.days(10, 20))
            if self.target == "review_submitted":
                self.deadline = self.today + timedelta(days=self.days(2, 30))
            return
        if self.target in APPROVED_DAYS_AGO:
            self.approval = self.today - timedelta(days=self.days(*APPROVED_DAYS_AGO[self.target]))
            self.opened = self.approval - timedelta(days=self.days(175, 260))
        elif self.target in ("review_passed", "review_failed"):
            self.opened = self.today - timedelta(days=self.days(30, 120))
        else:
            self.opened = self.today - timedelta(days=self.days(175, 320))
        self.deadline = self.opened + timedelta(days=20)

    def sit(self) -> date:
        """The exam year (the last sitting at least a month before the review opened, or for
        an exam target this year's) and the day the case is created, after that sitting."""
        if self.target in ("exam_partial", "exam_passed"):
            self.exam_year = max(self.sittings)
        else:
            self.exam_year = max(y for y, day in self.sittings.items()
                                 if day <= self.opened - timedelta(days=30))
        # A case still in the exam may have passed something at last year's sitting: it is
        # on record from then (no history before the case).
        first = self.exam_year - 1 if self.target == "exam_partial" else self.exam_year
        created = self.sittings.get(first, self.sittings[self.exam_year]) + timedelta(
            days=self.days(40, 60))
        if self.opened != date.min:
            created = min(created, self.opened - timedelta(days=1))
        self.day = min(created, self.today)
        return self.day

    def receive(self, items, day: date) -> None:
        for item in items:
            service.set_material(_at(self.ctx, day), self.case_id, item)

    def fire(self, event: str, day: date, data: dict | None = None,
             note: str | None = None) -> None:
        self.receive(EVENTS[event].materials, day)  # what the event needs, from its definition
        service.fire_event(_at(self.ctx, day), self.case_id, event, data=data or {}, note=note)
        self.day = day

    def after(self, low: int, high: int | None = None) -> date:
        return self.day + timedelta(days=low if high is None else self.days(low, high))

    def recent(self, days_ago: int) -> date:
        """`days_ago` before today, but never before the last step (nor after today)."""
        return min(max(self.day, self.today - timedelta(days=days_ago)), self.today)

    def until(self) -> date:
        return date.fromisoformat(service.get_case(self.ctx, self.case_id)["valid_until"])


def _review_result(walk: Walk) -> date:
    after = walk.deadline + timedelta(days=15)
    return min(after, walk.today - timedelta(days=1)) if walk.target in RECENT_REVIEW else after


def _certificate(walk: Walk) -> tuple[date, dict]:
    """The day the certificate is in hand, its number and the issue date printed on it
    (R7a: the day it was published, in the demo)."""
    issued = walk.day
    day = walk.after(1, 20)
    return day, {"certificate_no": f"沪{day.year}{walk.days(100000, 999999)}",
                 "certificate_issued_on": issued.isoformat()}


#: Each event of a demo walk: (the day it happens, the data it records, a note).
STEPS: dict[str, Callable[[Walk], tuple[date, dict, str | None]]] = {
    "open_review": lambda w: (w.opened, {"review_deadline": w.deadline.isoformat()}, None),
    "submit_review": lambda w: (w.opened + timedelta(days=3), {}, None),
    "miss_review": lambda w: (w.deadline + timedelta(days=1), {}, "截止日前未提交"),
    "pass_review": lambda w: (_review_result(w), {}, None),
    "fail_review": lambda w: (_review_result(w), {}, "工作年限不符合报考条件"),
    "publish_certificate": lambda w: (w.after(30), {}, None),
    "download_ecert": lambda w: (*_certificate(w), None),
    "report_certificate_error": lambda w: (w.after(1), {}, "证书上专业填写有误"),
    "apply_registration": lambda w: (w.after(10, 60), {}, None),
    "approve_registration": lambda w: (
        day := max(w.after(15, 40), w.approval or w.day),
        {"registration_no": f"沪232{w.days(1000000, 9999999)}", "approved_on": day.isoformat()},
        None),
    "open_renewal": lambda w: (min(w.until() - timedelta(days=w.ctx.rules.renewal_window_days),
                                   w.today), {}, None),
    "apply_renewal": lambda w: (min(w.after(5), w.today), {}, None),
    "expire_registration": lambda w: (w.until() + timedelta(days=1), {}, None),
    "revoke_certificate": lambda w: (w.after(60, 200), {}, "（演示）因违规被撤销资格"),
}


def _paper_instead(walk: Walk, day: date, data: dict) -> None:
    """Some certificates come on paper: by mail, in person or (three in ten) by proxy."""
    if walk.rng.random() < 0.3:
        walk.fire("receive_by_mail", day, {**data, "postage": "22"})
        return
    proxy = walk.rng.random() < 0.3
    walk.receive(["proxy_authorization", "principal_id_copy", "agent_id"] if proxy
                 else ["id_card_original", "admission_ticket"], day)
    walk.fire("collect_paper", day, {**data, "channel_proxy": "true" if proxy else "false"})


def _finish(walk: Walk) -> None:
    """What a case of some targets also has: evidence in hand, a booking, CE hours."""
    if walk.target == "review_pending" and walk.rng.random() < 0.5:
        walk.receive(["education_report"], walk.opened + timedelta(days=2))
    elif walk.target == "certificate_available" and walk.rng.random() < 0.3:
        slot = walk.today + timedelta(days=walk.days(2, 15))
        walk.fire("book_paper_appointment", walk.after(2), {"appointment": f"{slot} 09:30"})
    elif walk.target == "registered" and walk.rng.random() < 0.5:
        _courses(walk, walk.rng.randrange(1, 4))


#: Fictitious course providers of the demo.
PROVIDERS = ("（演示）建设行业继续教育培训中心", "（演示）建造师网络学习平台")


def _courses(walk: Walk, count: int) -> None:
    """R9c: continuing-education courses of the current period, logged one by one."""
    from .ce import add_course

    for _ in range(count):
        day = walk.after(60, 200)
        if day >= walk.today:
            return
        add_course(_at(walk.ctx, day), walk.case_id, hours=walk.rng.choice((8, 12, 16, 24)),
                   taken_on=day.isoformat(), provider=walk.rng.choice(PROVIDERS),
                   certificate_no=f"JX{day:%Y%m%d}{walk.days(100, 999)}")
        walk.day = day


def _exam_partial(walk: Walk) -> None:
    """Some subjects passed at this year's sitting (the rest due at next year's, whose
    notice is not out); or (one in four) passed the year before, absent this year, and
    voided by the sweep (R2a)."""
    some = walk.rng.choice(["management", "management,regulations", "practice,regulations"])
    results = walk.sittings[walk.exam_year] + timedelta(days=walk.days(30, 50))
    if walk.rng.random() >= 0.25:
        walk.fire("record_subject_pass", max(results, walk.day),
                  {"subjects": some, "exam_year": str(walk.exam_year)})
        return
    earlier = walk.exam_year - 1
    walk.fire("record_subject_pass", max(walk.sittings[earlier] + timedelta(days=45), walk.day),
              {"subjects": some, "exam_year": str(earlier)})
    walk.fire("record_subject_fail", max(results, walk.day),
              {"failed_subjects": "all", "exam_year": str(walk.exam_year), "absent": "true"})
    service.fire_event(walk.ctx, walk.case_id, "void_exam_passes", actor="system")


def _walk(walk: Walk) -> None:
    """Move a new case along the workflow to its target on back-dated days: the events
    come from the definitions (`path_to`), the days and data from STEPS."""
    if walk.target == "exam_partial":
        _exam_partial(walk)
        return
    rng = walk.rng
    for event in path_to(walk.target):
        day, data, note = STEPS[event](walk)
        if event == "download_ecert" and rng.random() >= 0.7:
            _paper_instead(walk, day, data)
        else:
            walk.fire(event, day, data, note)
    _finish(walk)


def _new_case(ctx: Context, rng: random.Random, used: set[str], index: int, target: str,
              sittings: dict[int, date], approved_days_ago: int | None = None) -> Walk:
    """One fictitious person, created after the sitting of the case's exam year, walked
    to `target` (its registration approved `approved_days_ago` when given)."""
    walk = Walk(ctx, target, rng, ctx.today, sittings)
    if target not in ("exam_partial", "exam_passed"):
        walk.plan()
    if approved_days_ago is not None:
        walk.approval = ctx.today - timedelta(days=approved_days_ago)
        walk.opened = walk.approval - timedelta(days=walk.days(175, 260))
        walk.deadline = walk.opened + timedelta(days=20)
    created = walk.sit()
    specialty = rng.choices([s for s, _ in SPECIALTY_WEIGHTS],
                            [w for _, w in SPECIALTY_WEIGHTS])[0]
    confirmed = None if rng.random() < 0.15 else created.isoformat()
    walk.case_id = service.add_case(
        _at(ctx, created), name=fake_name(rng), id_number=fake_id_number(rng, used),
        employee_no=f"E{index:05d}", specialty=specialty,
        department=rng.choice(DEPARTMENTS), company=rng.choice(COMPANIES),
        phone=f"1{rng.choice('3578')}{rng.randrange(100000000, 999999999)}",
        address=f"上海市闵行区{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
        contact_confirmed_on=confirmed, exam_year=walk.exam_year,
        state="exam_partial" if target == "exam_partial" else "exam_passed", note="演示数据")
    _walk(walk)
    return walk


def _change_of_employer(walk: Walk) -> None:
    """R7b, R7c: the person moves to another employer; the new one re-registers them with
    a labour contract of its own; the validity stays; a new seal is made."""
    new = next(c for c in COMPANIES if c != service.get_case(walk.ctx, walk.case_id)["company"])
    walk.day = walk.recent(60)
    service.set_material(_at(walk.ctx, walk.day), walk.case_id, "labour_contract",
                         employer=new)
    approved = walk.recent(45)
    walk.fire("change_registration", walk.recent(40),
              {"employer": new, "approved_on": approved.isoformat()},
              note="（演示）调入新单位，办理变更注册")
    walk.fire("record_seal", walk.recent(20), {"seal_no": f"沪二建印{walk.days(10000, 99999)}"})


def _late_renewal(walk: Walk) -> None:
    """R9a: the renewal applied for after its cut-off day, recorded as late with a note."""
    walk.fire("apply_renewal", walk.today, {"late": "true"},
              note="（演示）单位延误，截止日后才提交延续注册申请")


def _refused_renewal(walk: Walk) -> None:
    """R9a: a renewal refused goes back to renewal due (before the expiry)."""
    walk.fire("reject_renewal", walk.recent(3), note="（演示）继续教育证明不全，退回补正")


def _re_registration(walk: Walk) -> None:
    """R9b: after the expiry, a proof of this period and a new application; the approval
    is dated before the day it is typed in, and the validity runs from that date."""
    walk.receive(["ce_proof"], walk.recent(50))
    walk.fire("apply_registration", walk.recent(45), {}, note="（演示）重新注册")
    approved = walk.recent(20)
    walk.fire("approve_registration", walk.recent(12),
              {"registration_no": f"沪232{walk.days(1000000, 9999999)}",
               "approved_on": approved.isoformat()})


#: The stories (module docstring): (state walked to, state it ends in, days since the
#: approval, what follows). They are among the STATE_COUNTS of the state they end in.
STORIES: tuple[tuple[str, str, int, Callable[[Walk], None]], ...] = (
    ("registered", "registered", 400, _change_of_employer),
    ("registered", "registered", 700, _change_of_employer),
    ("renewal_due", "renewal_applied", 365 * 3 - 20, _late_renewal),
    ("renewal_applied", "renewal_due", 365 * 3 - 80, _refused_renewal),
    ("registration_expired", "registered", 365 * 3 + 90, _re_registration),
    ("registration_expired", "registered", 365 * 3 + 110, _re_registration),
)


def _targets() -> list[str]:
    """The state each plain case is walked to: STATE_COUNTS less the stories' ends."""
    ends = [end for _, end, _, _ in STORIES]
    return [state for state in STATE_NAMES
            for _ in range(STATE_COUNTS[state] - ends.count(state))]


def _stories(ctx: Context, rng: random.Random, used: set[str], first: int,
             sittings: dict[int, date]) -> None:
    for offset, (target, _, approved, story) in enumerate(STORIES):
        walk = _new_case(ctx, rng, used, first + offset, target, sittings, approved)
        if target == "registered":
            _courses(walk, 2)
        story(walk)


def build_demo(path: Path, today: date, *, seed: int = 2026) -> dict[str, int]:
    """(Re)build the demo database at `path`; returns the count of cases per state.

    An existing file is replaced only if it is a demo database itself.
    """
    if path.exists():
        try:
            with Database(path, create=False) as existing:
                is_demo = store.get_meta(existing, DEMO_MARKER) == "1"
        except Exception:
            is_demo = False
        if not is_demo:
            raise TrackerError("demo_refuses_overwrite", path=path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    rng = random.Random(seed)
    used: set[str] = set()
    database = Database(path)
    try:
        ctx = Context(db=database, today=today, actor="demo", today_pinned=True,
                      fixed_time=time(9, 0))
        targets = _targets()
        rng.shuffle(targets)
        with database.transaction():  # one transaction: every service call nests inside
            store.set_meta(database, DEMO_MARKER, "1")
            sittings = record_sittings(ctx)
            for index, target in enumerate(targets, start=1):
                _new_case(ctx, rng, used, index, target, sittings)
            _stories(ctx, rng, used, len(targets) + 1, sittings)
        return store.count_by_state(database)
    finally:
        database.close()
