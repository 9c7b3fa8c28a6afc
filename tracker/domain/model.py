"""What guards and effects see of a case while one event is fired, and the rules they apply.

Guards explain themselves: each returns None when it holds, else a `Text` saying what is
missing ("缺少：工作年限证明"). Effects compute the field changes an event makes (the
registration number and validity on approval, the channel on collection, …); the service
layer writes them and records them in the history, so that undo can restore them.

The exam (R2, R2a): a pass of the sitting of year Y counts together with passes of the
following `exam_window_years - 1` sittings only. Once the last sitting of its window is
over (the sitting's date, recorded from that year's exam notice, has passed) with
subjects still missing, the pass is void. Exempt subjects (免考, recorded per case) are
never required.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from . import reference
from .rules import (
    DEFAULT_RULES,
    Rules,
    needs_ce_proof_for_first_registration,
    registration_valid_until,
    renewal_valid_until,
)
from .text import Text

#: The recorded date of each year's exam sitting (from the exam notices), by exam year.
Sittings = Mapping[int, date]

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
    #: The exam sittings recorded (R2a): when a pass stops counting.
    sittings: Sittings = field(default_factory=dict)
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
        return passes_of(self.case)


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
    """R3a: a review is missed only after a recorded deadline has passed."""
    deadline = model.get_date("review_deadline")
    if deadline is None:
        return Text("未记录复核截止日，不能标记为错过复核（先登记复核通知或截止日）",
                    "no review deadline is recorded: a review cannot be missed without one "
                    "(record the review notice or the deadline first)")
    if model.today > deadline:
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



# --------------------------------------------------------------------------- effects

Effect = Callable[[CaseModel, Mapping[str, Any]], dict[str, Any]]


def passes_of(row: Mapping[str, Any]) -> dict[str, int]:
    """The exam year of each subject passed, from the row's JSON (bad data counts as none)."""
    value = row.get("subjects")
    if isinstance(value, str):
        try:
            value = json.loads(value) if value else {}
        except ValueError:
            return {}
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)}


def exempt_of(row: Mapping[str, Any]) -> list[str]:
    """The subjects the person is exempt from (免考), from the row's JSON list."""
    value = row.get("exempt")
    if isinstance(value, str):
        try:
            value = json.loads(value) if value else []
        except ValueError:
            return []
    return [s for s in (value or []) if s in reference.SUBJECTS]


def required_subjects(exempt: list[str]) -> list[str]:
    return [s for s in reference.SUBJECTS if s not in exempt]


def last_sitting_year(first_year: int, rules: Rules = DEFAULT_RULES) -> int:
    """The last exam year in which a pass of `first_year` still counts (R2)."""
    return first_year + rules.exam_window_years - 1


def voided_passes(passes: Mapping[str, int], sittings: Sittings, today: date,
                  rules: Rules = DEFAULT_RULES) -> dict[str, int]:
    """R2a: the passes whose window's last sitting is over (recorded and before today)."""
    void = {}
    for subject, year in passes.items():
        last = sittings.get(last_sitting_year(year, rules))
        if last is not None and today > last:
            void[subject] = year
    return void


def subjects_after(model: CaseModel, data: Mapping[str, Any]) -> tuple[dict[str, int], int]:
    """R2, R2a: merge the newly passed subjects; passes outside the window of the latest
    pass, and passes whose window's last sitting is over, no longer count."""
    year = int(data.get("exam_year") or model.case.get("exam_year") or model.today.year)
    passed = model.subjects()
    for subject in data.get("subjects") or []:
        passed[subject] = max(year, passed.get(subject, 0))
    latest = max(passed.values(), default=year)
    window = range(latest - model.rules.exam_window_years + 1, latest + 1)
    in_window = {s: y for s, y in passed.items() if y in window}
    void = voided_passes(in_window, model.sittings, model.today, model.rules)
    return {s: y for s, y in in_window.items() if s not in void}, latest


def all_subjects_in_window(model: CaseModel, data: Mapping[str, Any]) -> bool:
    passed, _ = subjects_after(model, data)
    exempt = data.get("exempt") if data.get("exempt") is not None else exempt_of(model.case)
    return set(required_subjects(list(exempt))) <= set(passed)


def effect_subjects(model: CaseModel, data: Mapping[str, Any]) -> dict[str, Any]:
    passed, latest = subjects_after(model, data)
    return {"subjects": json.dumps(passed, sort_keys=True), "exam_year": latest}


def effect_void_passes(model: CaseModel, data: Mapping[str, Any]) -> dict[str, Any]:
    """R2a: the sweep drops the passes whose window ended without the other subjects."""
    passes = model.subjects()
    void = voided_passes(passes, model.sittings, model.today, model.rules)
    return {"subjects": json.dumps({s: y for s, y in passes.items() if s not in void},
                                   sort_keys=True),
            "voided": json.dumps(void, sort_keys=True)}


def effect_restart_exam(model: CaseModel, data: Mapping[str, Any]) -> dict[str, Any]:
    """R3c: a new exam cycle on the same case — no passes, no review (the old cycle stays
    in the history)."""
    return {"subjects": json.dumps({}), "exam_year": data.get("exam_year"),
            "review_deadline": None, "review_submitted_on": None, "review_result_on": None}


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


def effect_paper_copy(model, data):
    """R6a: the paper certificate collected after the electronic one (a side record)."""
    return {"paper_collected_on": _today(model)}


def effect_open_correction(model, data):
    """R6a: an error reported while the person is registered keeps the main state: the
    correction is open on the case until it is corrected."""
    return {"correction_open": 1} if model.state != "certified" else {}


def effect_close_correction(model, data):
    return {"correction_open": 0} if model.state != "correction_pending" else {}


def guard_correction_open(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    if model.state == "correction_pending" or model.case.get("correction_open"):
        return None
    return Text("没有正在更正的证书信息错误", "no certificate error is being corrected")


def guard_supplement_deadline(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """R3b: a request for more evidence comes with its new deadline."""
    if data.get("review_deadline"):
        return None
    return Text("需要补充材料的截止日：--set review_deadline=YYYY-MM-DD",
                "the supplement's deadline is needed: --set review_deadline=YYYY-MM-DD")


def effect_confirm_contact(model, data):
    """R14a: the person confirmed the phone and address (today unless a day is given)."""
    return {"contact_confirmed_on": data.get("contact_confirmed_on") or _today(model)}


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


#: Guards that only ask for the event's own data, not for anything about the case.
DATA_GUARDS = frozenset({guard_registration_no, guard_appointment, guard_personal_data,
                         guard_note, guard_supplement_deadline})
