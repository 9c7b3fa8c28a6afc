"""The case workflow: states, events and labels — the one source of truth.

One `transitions.Machine` is built once for the whole program (``model=None``): a case is
not added to it; `Workflow.fire` wraps the case in a short-lived `CaseModel`, triggers the
event on the shared machine and reads back the new state and the field changes. A Machine
per case costs ~255 µs and `add_model` is O(n²) (docs/architecture.md); firing on the shared
machine costs ~10 µs.

The guards and effects the events name live in `tracker.domain.model`; the values an event
can record in `tracker.domain.fields`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from transitions import Machine

from .model import (
    DATA_GUARDS,
    CaseModel,
    Effect,
    Guard,
    Sittings,
    _missing,
    all_subjects_in_window,
    effect_apply_registration,
    effect_approve_registration,
    effect_approve_renewal,
    effect_certified,
    effect_change_registration,
    effect_close_correction,
    effect_confirm_contact,
    effect_deregister,
    effect_expire,
    effect_open_correction,
    effect_paper_copy,
    effect_publish,
    effect_record_seal,
    effect_reject_renewal,
    effect_restart_exam,
    effect_review_result,
    effect_subjects,
    effect_submit_review,
    effect_void_passes,
    guard_appointment,
    guard_ce_hours,
    guard_correction_open,
    guard_employer,
    guard_expired,
    guard_has_validity,
    guard_new_employer,
    guard_note,
    guard_paper_materials,
    guard_past_days,
    guard_personal_data,
    guard_registration_ce,
    guard_registration_no,
    guard_renewal_cutoff,
    guard_review_deadline_passed,
    guard_seal_no,
    guard_supplement_deadline,
    passes_of,
    past_expiry,
    voided_passes,
)
from .registration import material_label
from .rules import Rules, iso_day, renewal_opens_on
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
    #: The end of the case: no event leads out (a revoked certificate, R1a).
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
    #: The materials are needed only once this case field is set (e.g. an appointment).
    materials_when: str | None = None

    def __post_init__(self) -> None:
        if not self.guidance:
            object.__setattr__(self, "guidance", self.name)

    def needs(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        """The materials the next step asks for, for this case (`materials_when`)."""
        if self.materials_when and not row.get(self.materials_when):
            return ()
        return self.materials


#: Where the certificate and the registration live once the qualification is held: an
#: error on the certificate may be reported in any of them (R6a), a revocation ends them.
QUALIFIED = ("certified", "correction_pending", "registration_applied", "registered",
             "renewal_due", "renewal_applied", "registration_expired")
#: The registration states: an error reported there is a side record (R6a).
REGISTRATION_STATES = QUALIFIED[2:]
#: Until the certificate is in hand the authority texts the person (R14a).
BEFORE_CERTIFICATE = ("exam_partial", "exam_passed", "review_pending", "review_submitted",
                      "review_passed", "certificate_available")

STATES: dict[str, State] = {
    s.name: s
    for s in (
        State("exam_partial", Text("考试中（部分科目合格）", "Exam in progress (some subjects passed)"),
              "exam", Text("部分科目已合格，其余科目须在有效的考试年度内通过",
                           "Some subjects passed; the others must be passed in time"),
              deadlines=("exam_window", "contact_unconfirmed"), line=("exam_passed", "current")),
        State("exam_passed", Text("考试合格", "Exam passed"), "exam",
              Text("全部科目已在有效期内合格", "All subjects passed in time"),
              deadlines=("contact_unconfirmed",), materials=REVIEW_EVIDENCE),
        State("review_pending", Text("待资格复核", "Review pending"), "review",
              Text("复核通知已发布，须在截止日前提交材料",
                   "The review notice is out; the evidence is due by its deadline"),
              deadlines=("review_deadline", "contact_unconfirmed"), materials=REVIEW_EVIDENCE),
        State("review_submitted", Text("复核材料已提交", "Review evidence submitted"), "review",
              Text("材料已提交，等待复核结果", "Evidence submitted, awaiting the result"),
              deadlines=("contact_unconfirmed",)),
        State("review_passed", Text("复核通过", "Review passed"), "review",
              Text("已列入准予发证名单", "On the issuance list"),
              deadlines=("contact_unconfirmed",)),
        State("review_failed", Text("复核未通过", "Review failed"), "review",
              Text("复核未通过，本次不能领证；可重新报考", "No certificate this time; the exam "
                   "may be sat again"), line=("review_passed", "stopped")),
        State("review_missed", Text("未参加复核", "Review missed"), "review",
              Text("截止日前未提交复核材料，本次不能领证；可重新报考",
                   "The evidence was not submitted in time; the exam may be sat again"),
              line=("review_submitted", "stopped")),
        State("certificate_available", Text("证书可领取", "Certificate available"), "certificate",
              Text("电子证书已上线或纸质证书开放领取",
                   "The electronic certificate is online and/or paper collection is open"),
              deadlines=("paper_window", "certificate_not_collected", "contact_unconfirmed"),
              # Paper only, once an appointment is booked (the electronic certificate needs
              # no materials; the admission ticket is not required: ID details suffice).
              materials=("id_card_original",), materials_when="appointment"),
        State("certified", Text("已取得资格证书", "Certified"), "certificate",
              Text("已下载电子证书或领取纸质证书",
                   "The certificate is in hand (downloaded or collected)"),
              # CE proof only for a late first registration: the advice says when.
              deadlines=("first_registration_limit",), materials=("labour_contract",)),
        State("correction_pending", Text("证书信息更正中", "Correction pending"), "certificate",
              Text("证书信息有误，正在更正", "An error on the certificate is being corrected"),
              deadlines=("first_registration_limit",), materials=("labour_contract",),
              line=("certified", "current")),
        State("registration_applied", Text("注册申请中", "Registration applied"), "registration",
              Text("单位已提交注册申请", "The employer has applied for registration")),
        State("registered", Text("已注册", "Registered"), "registration",
              Text("注册已批准，已记录注册编号与有效期",
                   "Registration approved; number and validity recorded"),
              deadlines=("ce_hours", "renewal_cutoff", "registration_expiry")),
        State("renewal_due", Text("待延续注册", "Renewal due"), "renewal",
              Text("已进入到期前的延续注册期", "Inside the renewal period before expiry"),
              deadlines=("ce_hours", "renewal_cutoff", "registration_expiry"),
              materials=("ce_proof",), line=("after", "current")),
        State("renewal_applied", Text("延续注册申请中", "Renewal applied"), "renewal",
              Text("已申请延续注册", "Renewal applied for"),
              deadlines=("registration_expiry",), line=("after", "current")),
        State("registration_expired", Text("注册已失效", "Registration expired"), "renewal",
              Text("有效期届满未延续", "Validity ended without renewal"),
              materials=("labour_contract", "ce_proof"), line=("after", "stopped")),
        State("certificate_revoked", Text("资格证书已撤销", "Certificate revoked"), "certificate",
              Text("资格证书因违规被撤销，案件终止", "The qualification was revoked: the case "
                   "ends"), final=True, line=("certified", "stopped")),
    )
}

STATE_NAMES = tuple(STATES)

# --------------------------------------------------------------------------- events


Condition = Callable[[CaseModel, Mapping[str, Any]], bool]
#: When a time-driven event is due for a case row on a day, with the exam sittings
#: recorded (the sweep's reference).
Due = Callable[[Mapping[str, Any], date, Rules, Sittings], bool]


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
    #: Sources from which the event is a side record (it stays in the state).
    stays: tuple[str, ...] = ()
    #: Time-driven: when the sweep applies it (actor `system`), and in which order.
    due: Due | None = None
    sweep_rank: int = 0
    #: A side record (R10, R11, notes) that never moves the main state.
    side: bool = False
    #: R7b, R9b: the event ends the registration found on the case (a change of
    #: employer, a deregistration, a re-registration after expiry), which the history
    #: then keeps as an earlier registration; the words for why.
    ends_registration: Text | None = None

    @property
    def time_driven(self) -> bool:
        return self.due is not None

    @property
    def checks(self) -> tuple[Guard, ...]:
        """Every guard: days that happened are not in the future (R7a), the materials,
        then the event's own."""
        if not self.materials:
            return (guard_past_days, *self.guards)
        return (guard_past_days, _materials_guard(self.materials), *self.guards)

    def destinations(self, source: str) -> tuple[str, ...]:
        """Where the event can lead from `source` (a side record stays)."""
        if source in self.stays:
            return (source,)
        if self.branches:
            return tuple(b.dest for b in self.branches)
        return (self.dest or source,)


@cache
def _materials_guard(items: tuple[str, ...]) -> Guard:
    def guard_materials(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
        return _missing(model, list(items), data)

    return guard_materials


def _due_expiry(row: Mapping[str, Any], today: date, rules: Rules, sittings: Sittings
                ) -> bool:
    """expire_registration: today is after the last valid day."""
    until = iso_day(row.get("valid_until"))
    return until is not None and today > until


def _due_renewal(row: Mapping[str, Any], today: date, rules: Rules, sittings: Sittings
                 ) -> bool:
    """open_renewal: the renewal window (valid_until minus renewal_window_days) has opened
    and the registration has not expired."""
    until = iso_day(row.get("valid_until"))
    return until is not None and renewal_opens_on(until, rules) <= today <= until


def _due_review(row: Mapping[str, Any], today: date, rules: Rules, sittings: Sittings
                ) -> bool:
    """miss_review: today is after the review deadline."""
    deadline = iso_day(row.get("review_deadline"))
    return deadline is not None and today > deadline


def _due_void(row: Mapping[str, Any], today: date, rules: Rules, sittings: Sittings) -> bool:
    """void_exam_passes (R2a): a pass whose window's last sitting is over."""
    return bool(voided_passes(passes_of(row), sittings, today, rules))


ALL = STATE_NAMES
#: Every state but the end: side records (notes, contact data) apply to living cases.
LIVING = tuple(s for s in STATE_NAMES if not STATES[s].final)

EVENTS: dict[str, Event] = {
    e.name: e
    for e in (
        Event("record_subject_pass", Text("登记科目合格", "Record subject pass"),
              ("exam_partial",), "exam_passed", fields=("subjects", "exam_year"),
              effect=effect_subjects,
              # R2: all subjects inside the window -> exam_passed, else stay partial.
              branches=(Branch("exam_passed", all_subjects_in_window),
                        Branch("exam_partial"))),
        Event("record_subject_fail", Text("登记科目未通过或缺考", "Record subject failed or absent"),
              ("exam_partial",), None, fields=("failed_subjects", "exam_year", "absent")),
        Event("open_review", Text("开始资格复核", "Open review"), ("exam_passed",),
              "review_pending", fields=("review_deadline",)),
        Event("submit_review", Text("提交复核材料", "Submit review evidence"),
              ("review_pending",), "review_submitted", materials=REVIEW_EVIDENCE,
              fields=("submitted_on",), effect=effect_submit_review),
        Event("request_supplement", Text("要求补充复核材料", "Request review supplement"),
              ("review_submitted",), "review_pending", guards=(guard_supplement_deadline,),
              fields=("review_deadline",)),
        Event("pass_review", Text("复核通过", "Pass review"), ("review_submitted",),
              "review_passed", effect=effect_review_result),
        Event("fail_review", Text("复核未通过", "Fail review"), ("review_submitted",),
              "review_failed", effect=effect_review_result),
        Event("miss_review", Text("错过复核", "Miss review"), ("review_pending",),
              "review_missed", guards=(guard_review_deadline_passed,), due=_due_review,
              sweep_rank=3),
        Event("restart_exam", Text("重新参加考试", "Sit the exam again"),
              ("review_failed", "review_missed"), "exam_partial", fields=("exam_year",),
              effect=effect_restart_exam),
        Event("publish_certificate", Text("证书发布", "Publish certificate"),
              ("review_passed",), "certificate_available", effect=effect_publish),
        Event("book_paper_appointment", Text("预约领取纸质证书", "Book paper appointment"),
              ("certificate_available",), None, guards=(guard_appointment,),
              fields=("appointment",)),
        # R7a: the issue date printed on the certificate (certificate_issued_on) is what
        # the first registration reads; certificate_date is the day it came into hand.
        Event("download_ecert", Text("下载电子证书", "Download e-certificate"),
              ("certificate_available",), "certified",
              fields=("certificate_no", "certificate_issued_on", "certificate_date"),
              effect=effect_certified("electronic")),
        Event("collect_paper", Text("领取纸质证书", "Collect paper certificate"),
              ("certificate_available",), "certified", guards=(guard_paper_materials,),
              fields=("channel_proxy", "certificate_no", "certificate_issued_on",
                      "certificate_date"),
              effect=effect_certified("paper")),
        Event("receive_by_mail", Text("邮寄收到证书", "Certificate received by mail"),
              ("certificate_available",), "certified",
              fields=("postage", "certificate_no", "certificate_issued_on", "certificate_date"),
              effect=effect_certified("mail")),
        Event("report_certificate_error", Text("报告证书信息错误", "Report certificate error"),
              ("certified", *REGISTRATION_STATES), "correction_pending",
              stays=REGISTRATION_STATES, effect=effect_open_correction),
        Event("correct_certificate", Text("证书信息已更正", "Certificate corrected"),
              ("correction_pending", *REGISTRATION_STATES), "certified",
              stays=REGISTRATION_STATES, guards=(guard_correction_open,),
              fields=("certificate_no",), effect=effect_close_correction),
        # R7, R7a, R9b: from certified a first registration (CE proof by the issue date),
        # from registration_expired a re-registration (CE proof of this period).
        Event("apply_registration", Text("申请注册", "Apply for registration"),
              ("certified", "registration_expired"), "registration_applied",
              materials=("labour_contract",),
              guards=(guard_employer, guard_registration_ce),
              fields=("employer", "certificate_issued_on"), effect=effect_apply_registration,
              ends_registration=Text("有效期届满未延续，注册已失效",
                                     "expired without renewal")),
        Event("approve_registration", Text("注册批准", "Approve registration"),
              ("registration_applied",), "registered", guards=(guard_registration_no,),
              fields=("registration_no", "approved_on", "valid_from", "valid_until"),
              effect=effect_approve_registration),
        Event("reject_registration", Text("注册未批准", "Reject registration"),
              ("registration_applied",), "certified"),
        # R7b: the new employer re-registers the person; the validity is unchanged.
        Event("change_registration", Text("变更注册（更换聘用单位）",
                                          "Change of registration (new employer)"),
              ("registered", "renewal_due"), None, materials=("labour_contract",),
              guards=(guard_new_employer,),
              fields=("employer", "registration_no", "approved_on"),
              effect=effect_change_registration,
              ends_registration=Text("变更注册：更换聘用单位", "changed employer")),
        Event("open_renewal", Text("进入延续注册期", "Open renewal"), ("registered",),
              "renewal_due", guards=(guard_has_validity,), due=_due_renewal, sweep_rank=2),
        # R9a: by the cut-off day, or recorded as late with a note; R9c: the hours.
        Event("apply_renewal", Text("申请延续注册", "Apply for renewal"), ("renewal_due",),
              "renewal_applied", guards=(guard_renewal_cutoff, guard_ce_hours),
              fields=("ce_hours", "late")),
        Event("approve_renewal", Text("延续注册批准", "Approve renewal"), ("renewal_applied",),
              "registered", fields=("registration_no", "approved_on"),
              effect=effect_approve_renewal),
        Event("reject_renewal", Text("延续注册未批准", "Renewal rejected"), ("renewal_applied",),
              "renewal_due", effect=effect_reject_renewal,
              branches=(Branch("registration_expired", past_expiry), Branch("renewal_due"))),
        Event("expire_registration", Text("注册失效", "Registration expires"),
              ("registered", "renewal_due"), "registration_expired",
              guards=(guard_expired,), effect=effect_expire, due=_due_expiry, sweep_rank=1),
        Event("deregister", Text("注销注册（离职）", "Deregister (left employer)"),
              ("registered", "renewal_due"), "certified", fields=("deregistered_on",),
              effect=effect_deregister,
              ends_registration=Text("注销注册", "deregistered")),
        Event("revoke_certificate", Text("资格证书被撤销", "Certificate revoked"), QUALIFIED,
              "certificate_revoked", guards=(guard_note,)),
        # Side records (docs/domain.md): they never move the main state.
        Event("void_exam_passes", Text("考试成绩过期作废", "Exam passes expired"),
              ("exam_partial",), None, effect=effect_void_passes, due=_due_void,
              sweep_rank=4, side=True),
        Event("change_personal_data", Text("个人信息变更", "Change personal data"), LIVING, None,
              materials=("police_certificate",), guards=(guard_personal_data,),
              fields=("name", "id_number"), side=True),
        Event("update_contact", Text("确认联系方式", "Confirm contact data"), LIVING, None,
              fields=("phone", "address", "contact_confirmed_on"),
              effect=effect_confirm_contact, side=True),
        Event("collect_paper_copy", Text("另领纸质证书", "Collect a paper copy too"),
              QUALIFIED, None, guards=(guard_paper_materials,), fields=("channel_proxy",),
              effect=effect_paper_copy, side=True),
        Event("reissue_certificate", Text("证书补办", "Reissue certificate"), QUALIFIED, None,
              fields=("certificate_no", "certificate_date", "channel"), side=True),
        # R7c: the practice seal made after approval.
        Event("record_seal", Text("登记执业印章", "Record practice seal"),
              ("registered", "renewal_due", "renewal_applied"), None, guards=(guard_seal_no,),
              fields=("seal_no", "seal_made_on"), effect=effect_record_seal, side=True),
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
        # (a list or mapping — exemptions — is stored as its JSON text, as subjects are)
        model.changes.update({k: json.dumps(v, ensure_ascii=False, sort_keys=True)
                              if isinstance(v, (list, dict)) else v
                              for k, v in data.items() if not k.startswith("_")})
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
                if source in event.stays or not event.branches:
                    dest = None if source in event.stays else event.dest
                    transitions.append(dict(trigger=event.name, source=source, dest=dest,
                                            conditions=conditions, before=before))
                    continue
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
    "ce_course_added": Text("登记继续教育课程", "CE course recorded"),
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
    """What a history row is called: the event, and for a material the item and what it
    is for ("收到材料：劳动合同（聘用单位：上海申建）", R7d); for a course its hours and day."""
    label = event_text(event)
    data = data or {}
    item = data.get("item")
    if item:
        material = material_label(item, data.get("scope"))
        return Text(f"{label.zh}：{material.zh}", f"{label.en}: {material.en}")
    if event == "ce_course_added" and data.get("hours") is not None:
        hours, day = f"{float(data['hours']):g}", data.get("taken_on")
        return Text(f"{label.zh}：{hours} 学时（{day}）", f"{label.en}: {hours} h ({day})")
    return label


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
