"""A deterministic demo database: fictitious staff spread over every state, with histories.

Every case is walked along the workflow through the same services the user has, on
back-dated days, so its history is a real one (guards checked, dates derived by the
rules). Same seed and same "today" -> the same database, byte for byte in content.
"""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

from ..domain import idcard
from ..domain.workflow import STATE_NAMES
from ..errors import TrackerError
from ..store import Database
from ..store import cases as store
from . import cases as service
from .context import Context

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉晓玉兰海峰春梅宇浩然子轩雨欣佳怡思涵梓萱一诺子涵浩宇俊杰鹏飞嘉怡"
DEPARTMENTS = ["工程部", "项目一部", "项目二部", "技术部", "安全质量部", "市场经营部"]
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
}
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


def _walk(ctx: Context, case_id: int, target: str, rng: random.Random, today: date) -> None:
    """Move a new exam_passed case along the workflow to `target` on back-dated days."""
    fire = service.fire_event
    material = service.set_material
    approval: date | None = None  # the approval day of the registration targets

    if target == "exam_partial":
        fire(_at(ctx, today - timedelta(days=rng.randrange(20, 300))), case_id,
             "record_subject_pass", data={"subjects": rng.choice(
                 ["management", "management,regulations", "practice,regulations"]),
                 "exam_year": str(today.year - rng.choice((0, 1)))})
        return
    if target == "exam_passed":
        return

    # Review: either the current cohort (deadline around today) or an older one.
    recent = target in ("review_pending", "review_submitted", "review_missed")
    if recent:
        opened = today - timedelta(days=rng.randrange(5, 25))
        deadline = today + timedelta(days=rng.choice((-6, -2, 1, 3, 5, 9, 14, 20, 28, 40)))
        if target == "review_missed":
            opened = today - timedelta(days=rng.randrange(25, 40))
            deadline = opened + timedelta(days=rng.randrange(10, 20))
        if target == "review_submitted":
            deadline = today + timedelta(days=rng.randrange(2, 30))
    else:
        # Work back from the approval day the target needs, so that every step of the
        # history lies in the past and in order (the steps below take at most ~170 days).
        approval = {
            "registered": today - timedelta(days=rng.randrange(20, 1000)),
            "renewal_due": today - timedelta(days=365 * 3 - rng.randrange(35, 85)),
            "renewal_applied": today - timedelta(days=365 * 3 - rng.randrange(35, 85)),
            "registration_expired": today - timedelta(days=365 * 3 + rng.randrange(5, 120)),
        }.get(target)
        if approval is not None:
            opened = approval - timedelta(days=rng.randrange(175, 260))
        elif target in ("review_passed", "review_failed"):
            opened = today - timedelta(days=rng.randrange(30, 120))
        else:
            opened = today - timedelta(days=rng.randrange(175, 320))
        deadline = opened + timedelta(days=20)
    fire(_at(ctx, opened), case_id, "open_review", data={"review_deadline": deadline.isoformat()})
    if target == "review_pending":
        if rng.random() < 0.5:
            material(_at(ctx, opened + timedelta(days=2)), case_id, "education_report")
        return
    if target == "review_missed":
        fire(_at(ctx, deadline + timedelta(days=1)), case_id, "miss_review",
             note="截止日前未提交")
        return
    step = opened + timedelta(days=3)
    material(_at(ctx, step), case_id, "education_report")
    material(_at(ctx, step), case_id, "work_years_proof")
    fire(_at(ctx, step), case_id, "submit_review")
    if target == "review_submitted":
        return
    step = min(deadline + timedelta(days=15), today - timedelta(days=1)) if recent else \
        deadline + timedelta(days=15)
    if target == "review_failed":
        fire(_at(ctx, step), case_id, "fail_review", note="工作年限不符合报考条件")
        return
    fire(_at(ctx, step), case_id, "pass_review")
    if target == "review_passed":
        return
    step = step + timedelta(days=30)
    fire(_at(ctx, step), case_id, "publish_certificate")
    if target == "certificate_available":
        if rng.random() < 0.3:
            fire(_at(ctx, step + timedelta(days=2)), case_id, "book_paper_appointment",
                 data={"appointment": f"{today + timedelta(days=rng.randrange(2, 15))} 09:30"})
        return
    step = step + timedelta(days=rng.randrange(1, 20))
    cert_no = f"沪{step.year}{rng.randrange(100000, 999999)}"
    if rng.random() < 0.75:
        fire(_at(ctx, step), case_id, "download_ecert", data={"certificate_no": cert_no})
    else:
        proxy = rng.random() < 0.3
        items = (["proxy_authorization", "principal_id_copy", "agent_id"] if proxy
                 else ["id_card_original", "admission_ticket"])
        for item in items:
            material(_at(ctx, step), case_id, item)
        fire(_at(ctx, step), case_id, "collect_paper",
             data={"certificate_no": cert_no, "channel_proxy": "true" if proxy else "false"})
    if target == "certified":
        return
    if target == "correction_pending":
        fire(_at(ctx, step + timedelta(days=1)), case_id, "report_certificate_error",
             note="证书上专业填写有误")
        return
    step = step + timedelta(days=rng.randrange(10, 60))
    material(_at(ctx, step), case_id, "labour_contract")
    fire(_at(ctx, step), case_id, "apply_registration")
    if target == "registration_applied":
        return
    step = max(step + timedelta(days=rng.randrange(15, 40)), approval or step)
    fire(_at(ctx, step), case_id, "approve_registration",
         data={"registration_no": f"沪232{rng.randrange(1000000, 9999999)}",
               "valid_from": step.isoformat()})
    if target == "registered":
        if rng.random() < 0.5:
            fire(_at(ctx, step + timedelta(days=200)), case_id, "add_note",
                 note=f"继续教育已完成 {rng.choice((24, 40, 60))} 学时",
                 data={"ce_hours": str(rng.choice((24, 40, 60)))})
        return
    row = service.get_case(ctx, case_id)
    until = date.fromisoformat(row["valid_until"])
    if target == "registration_expired":
        fire(_at(ctx, until + timedelta(days=1)), case_id, "expire_registration")
        return
    opens = until - timedelta(days=ctx.rules.renewal_window_days)
    fire(_at(ctx, min(opens, today)), case_id, "open_renewal")
    if target == "renewal_due":
        return
    fire(_at(ctx, min(opens + timedelta(days=5), today)), case_id, "apply_renewal",
         data={"ce_hours": str(ctx.rules.ce_hours_required)})


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
        targets = [state for state in STATE_NAMES for _ in range(STATE_COUNTS[state])]
        rng.shuffle(targets)
        with database.transaction():  # one transaction: every service call nests inside
            store.set_meta(database, DEMO_MARKER, "1")
            for index, target in enumerate(targets, start=1):
                specialty = rng.choices([s for s, _ in SPECIALTY_WEIGHTS],
                                        [w for _, w in SPECIALTY_WEIGHTS])[0]
                created = today - timedelta(days=1800 if target in (
                    "registered", "renewal_due", "renewal_applied", "registration_expired")
                    else 320)
                exam_year = created.year if target != "exam_partial" else None
                case_id = service.add_case(
                    _at(ctx, created), name=fake_name(rng), id_number=fake_id_number(rng, used),
                    employee_no=f"E{index:05d}", specialty=specialty,
                    department=rng.choice(DEPARTMENTS), company=rng.choice(COMPANIES),
                    phone=f"1{rng.choice('3578')}{rng.randrange(100000000, 999999999)}",
                    exam_year=exam_year,
                    state="exam_partial" if target == "exam_partial" else "exam_passed",
                    note="演示数据")
                _walk(ctx, case_id, target, rng, today)
        return store.count_by_state(database)
    finally:
        database.close()
