"""The case workflow: states, events, guards, effects and labels — the one source of truth.

One `transitions.Machine` is built once for the whole program (``model=None``): a case is
not added to it; `Workflow.fire` wraps the case in a short-lived `CaseModel`, triggers the
event on the shared machine and reads back the new state and the field changes. A Machine
per case costs ~255 µs and `add_model` is O(n²) (docs/architecture.md); firing on the shared
machine costs ~10 µs.

Guards explain themselves: each returns None when it holds, else a `Text` saying what is
missing ("缺少：工作年限证明"). Effects compute the field changes an event makes (the
registration number and validity on approval, the channel on collection, …); the service
layer writes them and records them in the history, so that undo can restore them.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from transitions import Machine

from . import fields, reference
from .rules import (
    DEFAULT_RULES,
    Rules,
    exam_window_years,
    iso_day,
    needs_ce_proof_for_first_registration,
    registration_valid_until,
    renewal_opens_on,
    renewal_valid_until,
)
from .text import Text

# --------------------------------------------------------------------------- stages, states


@dataclass(frozen=True)
class Stage:
    name: str
    label: Text


#: The evidence the post-exam review asks for (R3).
REVIEW_EVIDENCE = ("education_report", "work_years_proof")

STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        Stage("exam", Text("考试", "Exam")),
        Stage("review", Text("资格复核", "Review")),
        Stage("certificate", Text("资格证书", "Certificate")),
        Stage("registration", Text("注册", "Registration")),
        Stage("renewal", Text("延续注册", "Renewal")),
    )
}


@dataclass(frozen=True)
class State:
    """A state of a case, with every fact about it: its labels, its stage, the deadlines a
    case has in it, the materials its next step asks for, where it sits on the main line,
    and the advice (`tracker.domain.guidance`) for it."""

    name: str
    label: Text
    stage: str
    meaning: Text
    #: A dead end of the main line (nothing more will happen without outside action).
    final: bool = False
    #: The kinds of deadline (`tracker.domain.deadlines.KINDS`) a case has in this state.
    deadlines: tuple[str, ...] = ()
    #: The materials the next step of this state asks for (the checklist marks them).
    materials: tuple[str, ...] = ()
    #: Off the main line: (the slot it takes, shown as "current" or "stopped"); after the
    #: line ("after", …): the line is complete and this state follows it.
    line: tuple[str, str] | None = None
    #: The advice for this state (`guidance.ADVICE`); its own name unless shared.
    guidance: str = ""

    def __post_init__(self) -> None:
        if not self.guidance:
            object.__setattr__(self, "guidance", self.name)


STATES: dict[str, State] = {
    s.name: s
    for s in (
        State("exam_partial", Text("考试中（部分科目合格）", "Exam in progress (some subjects passed)"),
              "exam", Text("部分科目合格，两年滚动周期计时中（R2）",
                           "Some subjects passed; the 2-year window runs (R2)"),
              deadlines=("exam_window",), line=("exam_passed", "current")),
        State("exam_passed", Text("考试合格", "Exam passed"), "exam",
              Text("在有效期内通过全部科目", "All subjects passed within the window"),
              materials=REVIEW_EVIDENCE),
        State("review_pending", Text("待资格复核", "Review pending"), "review",
              Text("复核通知已发布，须在截止日前提交材料（R3）",
                   "Review notice out; evidence due by its deadline (R3)"),
              deadlines=("review_deadline",), materials=REVIEW_EVIDENCE),
        State("review_submitted", Text("复核材料已提交", "Review evidence submitted"), "review",
              Text("材料已提交，等待复核结果", "Evidence submitted, awaiting the result")),
        State("review_passed", Text("复核通过", "Review passed"), "review",
              Text("已列入准予发证名单", "On the issuance list")),
        State("review_failed", Text("复核未通过", "Review failed"), "review",
              Text("复核未通过，不能领证（R3）", "No certificate (R3)"), final=True,
              line=("review_passed", "stopped")),
        State("review_missed", Text("未参加复核", "Review missed"), "review",
              Text("截止日前未提交复核材料（R3）", "Deadline passed without submission (R3)"),
              final=True, line=("review_submitted", "stopped")),
        State("certificate_available", Text("证书可领取", "Certificate available"), "certificate",
              Text("电子证书已上线或纸质证书开放领取（R4–R6）",
                   "E-certificate online and/or paper collection open (R4–R6)"),
              # Paper only (the electronic certificate needs no materials); the proxy
              # variant's items are listed in its own step.
              deadlines=("paper_window",), materials=("id_card_original", "admission_ticket")),
        State("certified", Text("已取得资格证书", "Certified"), "certificate",
              Text("已下载电子证书或领取纸质证书（已记录渠道）",
                   "E-certificate downloaded or paper collected (channel recorded)"),
              # CE proof only for a late first registration: the advice says when.
              deadlines=("first_registration_limit",), materials=("labour_contract",)),
        State("correction_pending", Text("证书信息更正中", "Correction pending"), "certificate",
              Text("证书信息有误，正在更正（R6）",
                   "An error on the certificate is being corrected (R6)"),
              deadlines=("first_registration_limit",), materials=("labour_contract",),
              line=("certified", "current")),
        State("registration_applied", Text("注册申请中", "Registration applied"), "registration",
              Text("单位已提交注册申请（R7）", "The employer has applied (R7)")),
        State("registered", Text("已注册", "Registered"), "registration",
              Text("注册已批准，已记录注册编号与有效期",
                   "Registration approved; number and validity recorded"),
              deadlines=("ce_hours", "renewal_cutoff", "registration_expiry")),
        State("renewal_due", Text("待延续注册", "Renewal due"), "renewal",
              Text("已进入到期前的延续注册窗口（R9）",
                   "Inside the renewal window before expiry (R9)"),
              deadlines=("ce_hours", "renewal_cutoff", "registration_expiry"),
              materials=("ce_proof",), line=("after", "current")),
        State("renewal_applied", Text("延续注册申请中", "Renewal applied"), "renewal",
              Text("已申请延续注册", "Renewal applied for"),
              deadlines=("registration_expiry",), line=("after", "current")),
        State("registration_expired", Text("注册已失效", "Registration expired"), "renewal",
              Text("有效期届满未延续", "Validity ended without renewal"), final=True,
              materials=("labour_contract", "ce_proof"), line=("after", "stopped")),
    )
}

STATE_NAMES = tuple(STATES)

# --------------------------------------------------------------------------- event data fields


@dataclass(frozen=True)
class Field:
    """A value an event can record (`--set name=value`), with its type; its name in both
    languages comes from the one vocabulary (`tracker.domain.fields`)."""

    name: str
    kind: str  # date | datetime | text | bool | number | int | subjects | channel | specialty
    required: bool = False

    @property
    def label(self) -> Text:
        return fields.label(self.name)


class DataError(ValueError):
    """A `--set` value that does not parse; carries its reason in both languages."""

    def __init__(self, reason: Text):
        super().__init__(reason.en)
        self.reason = reason


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("exam_year", "int"),
        Field("subjects", "subjects"),
        Field("review_deadline", "date"),
        Field("submitted_on", "date"),
        Field("appointment", "datetime"),
        Field("certificate_no", "text"),
        Field("certificate_date", "date"),
        Field("channel_proxy", "bool"),
        Field("employer", "text"),
        Field("registration_no", "text"),
        Field("valid_from", "date"),
        Field("valid_until", "date"),
        Field("ce_hours", "number"),
        Field("name", "text"),
        Field("id_number", "text"),
        Field("channel", "channel"),
    )
}

#: Fields any event may also record with `--set` (data that is kept up to date over time).
GENERAL_FIELDS = ("employer", "ce_hours", "certificate_no")

_TRUE = {"1", "true", "yes", "y", "是", "对", "on"}
_FALSE = {"0", "false", "no", "n", "否", "off", ""}


def parse_date(value: str) -> date:
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DataError(Text(f"日期无效：{text!r}（应为 YYYY-MM-DD）",
                         f"invalid date: {text!r} (expected YYYY-MM-DD)"))


def parse_value(fld: Field, raw: str) -> Any:
    """Turn the text of `--set name=raw` into the stored value, or raise DataError."""
    text = str(raw).strip()
    if fld.kind == "date":
        return parse_date(text).isoformat()
    if fld.kind == "datetime":
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, fmt).strftime(fmt.replace("T", " "))
            except ValueError:
                continue
        raise DataError(Text(f"时间无效：{text!r}（应为 YYYY-MM-DD HH:MM）",
                             f"invalid time: {text!r} (expected YYYY-MM-DD HH:MM)"))
    if fld.kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise DataError(Text(f"{fld.label.zh} 应为 是/否（true/false）：{text!r}",
                             f"{fld.label.en} must be true or false: {text!r}"))
    if fld.kind in ("number", "int"):
        try:
            number = float(text) if fld.kind == "number" else int(text)
        except ValueError:
            raise DataError(Text(f"{fld.label.zh} 应为数字：{text!r}",
                                 f"{fld.label.en} must be a number: {text!r}")) from None
        if number < 0:
            raise DataError(Text(f"{fld.label.zh} 不能为负数", f"{fld.label.en} cannot be negative"))
        return number
    if fld.kind == "subjects":
        if text.lower() in ("all", "全部"):
            return list(reference.SUBJECTS)
        keys = []
        for part in text.replace("，", ",").split(","):
            key = reference.resolve(reference.SUBJECTS, part)
            if key is None:
                names = ", ".join(reference.SUBJECTS)
                raise DataError(Text(f"未知科目：{part!r}（可用：{names}、all）",
                                     f"unknown subject: {part!r} (use: {names}, all)"))
            keys.append(key)
        return keys
    if fld.kind == "channel":
        key = reference.resolve(reference.CHANNELS, text)
        if key is None:
            raise DataError(Text(f"未知渠道：{text!r}（electronic 或 paper）",
                                 f"unknown channel: {text!r} (electronic or paper)"))
        return key
    if not text and fld.required:
        raise DataError(Text(f"{fld.label.zh} 不能为空", f"{fld.label.en} cannot be empty"))
    return text


# --------------------------------------------------------------------------- the case model


@dataclass
class CaseModel:
    """What guards and effects see of a case while one event is fired."""

    state: str
    #: The day the event is fired on: every date rule reads it (the domain has no clock).
    today: date
    case: Mapping[str, Any] = field(default_factory=dict)
    materials: frozenset[str] = frozenset()
    #: The person's company: the employer unless another is set (R7).
    company: str | None = None
    rules: Rules = DEFAULT_RULES
    refusals: list[Text] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, data: Mapping[str, Any] | None = None) -> Any:
        """A field as it will be after this event: the event's data wins over the case."""
        if data and name in data and data[name] not in (None, ""):
            return data[name]
        return self.case.get(name)

    def get_date(self, name: str, data: Mapping[str, Any] | None = None) -> date | None:
        value = self.get(name, data)
        return date.fromisoformat(value) if value else None

    def subjects(self) -> dict[str, int]:
        value = self.case.get("subjects")
        if isinstance(value, str):
            value = json.loads(value) if value else {}
        return dict(value or {})


Guard = Callable[[CaseModel, Mapping[str, Any]], "Text | None"]

MISSING = Text("缺少材料：{items}", "missing: {items}")


def _missing(model: CaseModel, items: list[str]) -> Text | None:
    lacking = [reference.MATERIALS[i] for i in items if i not in model.materials]
    if not lacking:
        return None
    return Text(MISSING.zh.format(items="、".join(t.zh for t in lacking)),
                MISSING.en.format(items=", ".join(t.en for t in lacking)))


def guard_paper_materials(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """R6: own ID card; by proxy the letter, the candidate's ID copy and the agent's ID.

    The admission ticket is not required: "if lost, ID details suffice".
    """
    if model.get("channel_proxy", data):
        return _missing(model, ["proxy_authorization", "principal_id_copy", "agent_id"])
    return _missing(model, ["id_card_original"])


def guard_employer(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """R7: an employer applies; it is the person's company unless another is set."""
    if model.get("employer", data) or model.company:
        return None
    return Text("未设置聘用单位（人员的公司或 --set employer=…）",
                "no employer: set the person's company or --set employer=…")


def guard_first_registration_ce(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """A first registration long after the certificate needs continuing-education proof."""
    issued = model.get_date("certificate_date", data)
    if needs_ce_proof_for_first_registration(issued, model.today, model.rules):
        years = model.rules.first_registration_ce_years
        lacking = _missing(model, ["ce_proof"])
        if lacking:
            return Text(f"证书取得已超过 {years} 年，需继续教育证明；" + lacking.zh,
                        f"certificate older than {years} years needs CE proof; " + lacking.en)
    return None


def guard_registration_no(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    if model.get("registration_no", data):
        return None
    return Text("需要注册证书编号：--set registration_no=…",
                "the registration number is needed: --set registration_no=…")


def guard_appointment(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    if data.get("appointment"):
        return None
    return Text("需要预约时段：--set appointment=\"YYYY-MM-DD HH:MM\"",
                "the appointment is needed: --set appointment=\"YYYY-MM-DD HH:MM\"")


def guard_ce_hours(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """R9: the continuing-education hours of the period are complete."""
    done = float(model.get("ce_hours", data) or 0)
    required = model.rules.ce_hours_required
    if done >= required:
        return None
    return Text(f"继续教育学时不足：已完成 {done:g}，需 {required:g}",
                f"continuing-education hours incomplete: {done:g} of {required:g}")


def guard_review_deadline_passed(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    deadline = model.get_date("review_deadline")
    if deadline is None or model.today > deadline:
        return None
    days = (deadline - model.today).days
    return Text(f"复核截止日 {deadline} 尚未过（还有 {days} 天）",
                f"the review deadline {deadline} has not passed ({days} days left)")


def guard_has_validity(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    if model.get("valid_until", data):
        return None
    return Text("未记录注册有效期", "no registration validity recorded")


def guard_expired(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    until = model.get_date("valid_until")
    if until is None:
        return guard_has_validity(model, data)
    if model.today > until:
        return None
    return Text(f"注册有效期至 {until}，尚未失效", f"the registration is valid until {until}")


def guard_personal_data(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    if data.get("name") or data.get("id_number"):
        return None
    return Text("需要新的姓名或身份证号：--set name=… / --set id_number=…",
                "a new name or ID number is needed: --set name=… / --set id_number=…")


def guard_note(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    if data.get("_note"):
        return None
    return Text("需要备注内容：--note …", "a note is needed: --note …")


#: Guards that only ask for the event's own data, not for anything about the case.
DATA_GUARDS = frozenset({guard_registration_no, guard_appointment, guard_personal_data,
                         guard_note})

# --------------------------------------------------------------------------- effects

Effect = Callable[[CaseModel, Mapping[str, Any]], dict[str, Any]]


def subjects_after(model: CaseModel, data: Mapping[str, Any]) -> tuple[dict[str, int], int]:
    """R2: merge the newly passed subjects; passes outside the window no longer count."""
    year = int(data.get("exam_year") or model.case.get("exam_year") or model.today.year)
    passed = model.subjects()
    for subject in data.get("subjects") or []:
        passed[subject] = max(year, passed.get(subject, 0))
    latest = max(passed.values(), default=year)
    window = exam_window_years(latest, model.rules)
    return {s: y for s, y in passed.items() if y in window}, latest


def all_subjects_in_window(model: CaseModel, data: Mapping[str, Any]) -> bool:
    passed, _ = subjects_after(model, data)
    return set(reference.SUBJECTS) <= set(passed)


def effect_subjects(model: CaseModel, data: Mapping[str, Any]) -> dict[str, Any]:
    passed, latest = subjects_after(model, data)
    return {"subjects": json.dumps(passed, sort_keys=True), "exam_year": latest}


def _today(model: CaseModel) -> str:
    return model.today.isoformat()


def effect_submit_review(model, data):
    return {"review_submitted_on": data.get("submitted_on") or _today(model)}


def effect_certified(channel: str) -> Effect:
    def effect(model, data):
        return {
            "channel": channel,
            "channel_proxy": bool(data.get("channel_proxy")) if channel == "paper" else False,
            "certificate_date": data.get("certificate_date") or _today(model),
        }
    return effect


def effect_apply_registration(model, data):
    changes = {"registration_applied_on": _today(model)}
    if not model.get("employer", data):
        changes["employer"] = model.company
    return changes


def effect_approve_registration(model, data):
    valid_from = model.get_date("valid_from", data) if data.get("valid_from") else model.today
    until = data.get("valid_until") or registration_valid_until(valid_from, model.rules).isoformat()
    return {"valid_from": valid_from.isoformat(), "valid_until": until,
            "ce_hours": data.get("ce_hours", 0)}


def effect_approve_renewal(model, data):
    old_until = model.get_date("valid_until")
    if old_until is None:  # guarded by apply_renewal's path; keep the approval date as base
        old_until = model.today
    return {"valid_from": (old_until + timedelta(days=1)).isoformat(),
            "valid_until": renewal_valid_until(old_until, model.rules).isoformat(),
            "ce_hours": data.get("ce_hours", 0)}


def effect_review_result(model, data):
    return {"review_result_on": _today(model)}


def effect_publish(model, data):
    return {"certificate_available_on": _today(model)}


# --------------------------------------------------------------------------- events


Condition = Callable[[CaseModel, Mapping[str, Any]], bool]
#: When a time-driven event is due for a case row on a day (the sweep's reference).
Due = Callable[[Mapping[str, Any], date, Rules], bool]


class Branch(NamedTuple):
    """One outcome of an event that can end in several states, tried in order."""

    dest: str
    #: Taken when this holds; None: taken when no earlier branch was.
    condition: Condition | None = None


@dataclass(frozen=True)
class Event:
    """An event, with every fact about it: where it may start and lead, what it checks,
    the materials and data it needs, what it derives, and whether time fires it."""

    name: str
    label: Text
    sources: tuple[str, ...]
    #: The destination; None keeps the state (a side record or a booking).
    dest: str | None
    guards: tuple[Guard, ...] = ()
    fields: tuple[str, ...] = ()
    effect: Effect | None = None
    #: Materials the event always needs (checked before any other guard).
    materials: tuple[str, ...] = ()
    #: Several outcomes (tried in order) instead of the one `dest`.
    branches: tuple[Branch, ...] = ()
    #: Time-driven: when the sweep applies it (actor `system`), and in which order.
    due: Due | None = None
    sweep_rank: int = 0
    #: A side record (R10, R11, notes) that never moves the main state.
    side: bool = False

    @property
    def time_driven(self) -> bool:
        return self.due is not None

    @property
    def checks(self) -> tuple[Guard, ...]:
        """Every guard, the materials first."""
        if not self.materials:
            return self.guards
        return (_materials_guard(self.materials), *self.guards)

    def destinations(self, source: str) -> tuple[str, ...]:
        """Where the event can lead from `source` (a side record stays)."""
        if self.branches:
            return tuple(b.dest for b in self.branches)
        return (self.dest or source,)


@cache
def _materials_guard(items: tuple[str, ...]) -> Guard:
    def guard_materials(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
        return _missing(model, list(items))

    return guard_materials


def _due_expiry(row: Mapping[str, Any], today: date, rules: Rules) -> bool:
    """expire_registration: today is after the last valid day."""
    until = iso_day(row.get("valid_until"))
    return until is not None and today > until


def _due_renewal(row: Mapping[str, Any], today: date, rules: Rules) -> bool:
    """open_renewal: the renewal window (valid_until minus renewal_window_days) has opened
    and the registration has not expired."""
    until = iso_day(row.get("valid_until"))
    return until is not None and renewal_opens_on(until, rules) <= today <= until


def _due_review(row: Mapping[str, Any], today: date, rules: Rules) -> bool:
    """miss_review: today is after the review deadline."""
    deadline = iso_day(row.get("review_deadline"))
    return deadline is not None and today > deadline


ALL = STATE_NAMES

EVENTS: dict[str, Event] = {
    e.name: e
    for e in (
        Event("record_subject_pass", Text("登记科目合格", "Record subject pass"),
              ("exam_partial",), "exam_passed", fields=("subjects", "exam_year"),
              effect=effect_subjects,
              # R2: all subjects inside the window -> exam_passed, else stay partial.
              branches=(Branch("exam_passed", all_subjects_in_window),
                        Branch("exam_partial"))),
        Event("open_review", Text("开始资格复核", "Open review"), ("exam_passed",),
              "review_pending", fields=("review_deadline",)),
        Event("submit_review", Text("提交复核材料", "Submit review evidence"),
              ("review_pending",), "review_submitted", materials=REVIEW_EVIDENCE,
              fields=("submitted_on",), effect=effect_submit_review),
        Event("pass_review", Text("复核通过", "Pass review"), ("review_submitted",),
              "review_passed", effect=effect_review_result),
        Event("fail_review", Text("复核未通过", "Fail review"), ("review_submitted",),
              "review_failed", effect=effect_review_result),
        Event("miss_review", Text("错过复核", "Miss review"), ("review_pending",),
              "review_missed", guards=(guard_review_deadline_passed,), due=_due_review,
              sweep_rank=3),
        Event("publish_certificate", Text("证书发布", "Publish certificate"),
              ("review_passed",), "certificate_available", effect=effect_publish),
        Event("book_paper_appointment", Text("预约领取纸质证书", "Book paper appointment"),
              ("certificate_available",), None, guards=(guard_appointment,),
              fields=("appointment",)),
        Event("download_ecert", Text("下载电子证书", "Download e-certificate"),
              ("certificate_available",), "certified",
              fields=("certificate_no", "certificate_date"),
              effect=effect_certified("electronic")),
        Event("collect_paper", Text("领取纸质证书", "Collect paper certificate"),
              ("certificate_available",), "certified", guards=(guard_paper_materials,),
              fields=("channel_proxy", "certificate_no", "certificate_date"),
              effect=effect_certified("paper")),
        Event("report_certificate_error", Text("报告证书信息错误", "Report certificate error"),
              ("certified",), "correction_pending"),
        Event("correct_certificate", Text("证书信息已更正", "Certificate corrected"),
              ("correction_pending",), "certified", fields=("certificate_no",)),
        Event("apply_registration", Text("申请注册", "Apply for registration"),
              ("certified",), "registration_applied",
              materials=("labour_contract",),
              guards=(guard_employer, guard_first_registration_ce),
              fields=("employer",), effect=effect_apply_registration),
        Event("approve_registration", Text("注册批准", "Approve registration"),
              ("registration_applied",), "registered", guards=(guard_registration_no,),
              fields=("registration_no", "valid_from", "valid_until"),
              effect=effect_approve_registration),
        Event("reject_registration", Text("注册未批准", "Reject registration"),
              ("registration_applied",), "certified"),
        Event("open_renewal", Text("进入延续注册期", "Open renewal"), ("registered",),
              "renewal_due", guards=(guard_has_validity,), due=_due_renewal, sweep_rank=2),
        Event("apply_renewal", Text("申请延续注册", "Apply for renewal"), ("renewal_due",),
              "renewal_applied", guards=(guard_ce_hours,), fields=("ce_hours",)),
        Event("approve_renewal", Text("延续注册批准", "Approve renewal"), ("renewal_applied",),
              "registered", fields=("registration_no",), effect=effect_approve_renewal),
        Event("expire_registration", Text("注册失效", "Registration expires"),
              ("registered", "renewal_due"), "registration_expired",
              guards=(guard_expired,), due=_due_expiry, sweep_rank=1),
        Event("deregister", Text("注销注册（离职）", "Deregister (left employer)"),
              ("registered",), "certified"),
        # Side records (docs/domain.md): they never move the main state.
        Event("change_personal_data", Text("个人信息变更", "Change personal data"), ALL, None,
              guards=(guard_personal_data,), fields=("name", "id_number"), side=True),
        Event("reissue_certificate", Text("证书补办", "Reissue certificate"),
              ("certified", "correction_pending", "registration_applied", "registered",
               "renewal_due", "renewal_applied", "registration_expired"), None,
              fields=("certificate_no", "certificate_date", "channel"), side=True),
        Event("add_note", Text("添加备注", "Add note"), ALL, None, guards=(guard_note,),
              side=True),
    )
}

EVENT_NAMES = tuple(EVENTS)

#: The main line, in the order a case normally moves (used by the demo and the docs).
MAIN_LINE = (
    "exam_passed", "review_pending", "review_submitted", "review_passed",
    "certificate_available", "certified", "registration_applied", "registered",
)


# --------------------------------------------------------------------------- the machine


@dataclass
class Outcome:
    """What firing an event did: the states, the field changes, or why it was refused."""

    event: str
    ok: bool
    from_state: str
    to_state: str
    changes: dict[str, Any] = field(default_factory=dict)
    refusals: list[Text] = field(default_factory=list)


class EventNotAllowed(Exception):
    def __init__(self, event: str, state: str, allowed: list[str]):
        super().__init__(f"{event} not allowed from {state}")
        self.event, self.state, self.allowed = event, state, allowed


def _condition(guard: Guard):
    def check(event_data) -> bool:
        model: CaseModel = event_data.model
        reason = guard(model, event_data.kwargs.get("data", {}))
        if reason is not None:
            model.refusals.append(reason)
            return False
        return True

    check.__name__ = guard.__name__
    return check


def _holds(condition: Condition):
    def check(event_data) -> bool:
        return condition(event_data.model, event_data.kwargs.get("data", {}))

    check.__name__ = getattr(condition, "__name__", "condition")
    return check


def _run_effect(effect: Effect | None):
    def before(event_data) -> None:
        model: CaseModel = event_data.model
        data = event_data.kwargs.get("data", {})
        # Every field the event carries is recorded; the effect adds what it derives.
        model.changes.update({k: v for k, v in data.items() if not k.startswith("_")})
        if effect is not None:
            model.changes.update(effect(model, data))

    return before


class Workflow:
    """The shared state machine and everything the UI needs to know about it."""

    def __init__(self) -> None:
        transitions: list[dict[str, Any]] = []
        for event in EVENTS.values():
            conditions = [_condition(g) for g in event.checks]
            before = [_run_effect(event.effect)]
            for source in event.sources:
                if not event.branches:
                    transitions.append(dict(trigger=event.name, source=source,
                                            dest=event.dest, conditions=conditions,
                                            before=before))
                for branch in event.branches:  # tried in order: the first that holds
                    transitions.append(dict(
                        trigger=event.name, source=source, dest=branch.dest, before=before,
                        conditions=conditions + ([_holds(branch.condition)]
                                                 if branch.condition else [])))
        # model=None: cases are never added to the machine (docs/architecture.md).
        self._transitions = transitions
        self.machine = Machine(model=None, states=list(STATE_NAMES), initial=None,
                               transitions=transitions, auto_transitions=False,
                               send_event=True)

    # -- questions -------------------------------------------------------------------
    def allowed_events(self, state: str) -> list[str]:
        """Events with a transition from `state`, main-line events first."""
        triggers = set(self.machine.get_triggers(state))
        return [name for name in EVENT_NAMES if name in triggers]

    def check(self, model: CaseModel, event: str, data: Mapping[str, Any] | None = None,
              *, case_only: bool = False) -> list[Text]:
        """Why `event` would be refused now (empty when it would be accepted).

        With `case_only`, guards that only ask for the event's own data (a number, a note)
        are skipped: what is left says what the case still lacks.
        """
        spec = EVENTS[event]
        if model.state not in spec.sources:
            return [Text("当前状态不允许此操作", "not allowed in the current state")]
        data = dict(data or {})
        guards = [g for g in spec.checks if not (case_only and g in DATA_GUARDS)]
        return [r for g in guards if (r := g(model, data)) is not None]

    # -- firing ----------------------------------------------------------------------
    def fire(self, model: CaseModel, event: str, data: Mapping[str, Any] | None = None
             ) -> Outcome:
        """Fire `event` on `model` (mutated: state, changes, refusals)."""
        if event not in EVENTS:
            raise KeyError(event)
        from_state = model.state
        allowed = self.allowed_events(from_state)
        if event not in allowed:
            raise EventNotAllowed(event, from_state, allowed)
        model.refusals.clear()
        model.changes.clear()
        ok = self.machine.events[event].trigger(model, data=dict(data or {}))
        return Outcome(event=event, ok=bool(ok), from_state=from_state, to_state=model.state,
                       changes=dict(model.changes) if ok else {},
                       refusals=list(model.refusals) if not ok else [])

    # -- diagram ---------------------------------------------------------------------
    def mermaid(self, lang: str = "en") -> str:
        """A Mermaid state diagram of every state and event, labelled in `lang`.

        Drawn by transitions' GraphMachine (mermaid engine, no graphviz needed) from the
        same transition list as the working machine, so the picture cannot drift from it.
        """
        from transitions.extensions import GraphMachine

        class _Diagram:  # the one throwaway model a GraphMachine needs to draw
            pass

        model = _Diagram()
        title = "二级建造师 · 案件流程" if lang == "zh" else "Grade-2 Constructor case workflow"
        graph_machine = GraphMachine(
            model=model, states=list(STATE_NAMES), initial="exam_passed",
            transitions=[{k: v for k, v in t.items() if k in ("trigger", "source", "dest")}
                         for t in self._transitions if not EVENTS[t["trigger"]].side],
            auto_transitions=False, graph_engine="mermaid", title=title,
            show_state_attributes=False)
        for state in graph_machine.markup["states"]:
            state["label"] = f"{STATES[state['name']].label.get(lang)}<br/>{state['name']}"
        for transition in graph_machine.markup["transitions"]:
            transition["label"] = EVENTS[transition["trigger"]].label.get(lang)
        text = model.get_graph(force_new=True).draw(None)
        # The drawing model sits in its initial state; no state is "active" in a diagram.
        text = re.sub(r"^(\s*Class \w+) s_active$", r"\1 s_default", text, flags=re.M)
        side = [e.label.get(lang) for e in EVENTS.values() if e.side]
        heading = "附记（任何状态，不改变状态）" if lang == "zh" else "Side records (any state, no move)"
        return text.replace("\\l", "").rstrip("\n") + f"\n%% {heading}: {', '.join(side)}\n"


#: The one shared machine for the whole program.
WORKFLOW = Workflow()


#: What a history row records when it is not a workflow event.
RECORDS: dict[str, Text] = {
    "create": Text("建档", "Created"),
    "import": Text("导入", "Imported"),
    "update": Text("信息更新", "Data updated"),
    "material_received": Text("收到材料", "Material received"),
    "material_removed": Text("取消材料", "Material removed"),
    "undo": Text("撤销", "Undo"),
}


def state_label(state: str, lang: str) -> str:
    return STATES[state].label.get(lang) if state in STATES else state


def event_text(event: str) -> Text:
    """The name of a workflow event or of another history record (create, import, …)."""
    if event in EVENTS:
        return EVENTS[event].label
    return RECORDS.get(event) or Text(event, event)


def event_label(event: str, lang: str) -> str:
    return event_text(event).get(lang)


def history_label(event: str, data: Mapping[str, Any] | None = None) -> Text:
    """What a history row is called: the event, and for a material the item
    ("收到材料：劳动合同" / "Material received: Labour contract")."""
    label = event_text(event)
    item = (data or {}).get("item")
    if not item:
        return label
    material = reference.MATERIALS.get(item) or Text(item, item)
    return Text(f"{label.zh}：{material.zh}", f"{label.en}: {material.en}")


def resolve_state(value: str) -> str | None:
    """A state name from its name or either label."""
    from .reference import _fold

    wanted = _fold(value)
    for state in STATES.values():
        if wanted in (_fold(state.name), _fold(state.label.zh), _fold(state.label.en)):
            return state.name
    return None


def resolve_event(value: str) -> str | None:
    """An event name from its name or either label."""
    from .reference import _fold

    wanted = _fold(value)
    for event in EVENTS.values():
        if wanted in (_fold(event.name), _fold(event.label.zh), _fold(event.label.en)):
            return event.name
    return None
