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
from .registration import (
    MATERIAL_SCOPES,
    REGISTRATION_KEYS,
    ce_status,
    current_scope,
    material_label,
)
from .rules import (
    DEFAULT_RULES,
    Rules,
    needs_ce_proof_for_first_registration,
    registration_valid_until,
    renewal_cutoff,
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
    #: R7d: every material row as (item, scope) — a labour contract for an employer, a CE
    #: proof for a period. None: only `materials` is known (the items that count now).
    held: frozenset[tuple[str, str]] | None = None

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


def target_employer(model: CaseModel, data: Mapping[str, Any] | None = None) -> str:
    """R7: the employer an event is about: the one it names, else the case's, else the
    person's company."""
    return str(model.get("employer", data) or model.company or "")


def has_material(model: CaseModel, item: str, data: Mapping[str, Any] | None = None
                 ) -> bool:
    """R7d: the item is in hand for what the event is about — a labour contract for the
    employer, a CE proof for the current period; any other item for the case."""
    if model.held is None or item not in MATERIAL_SCOPES:
        return item in model.materials
    employer = target_employer(model, data) if MATERIAL_SCOPES[item] == "employer" else None
    return (item, current_scope(item, model.case, employer)) in model.held


def _needed_label(model: CaseModel, item: str, data: Mapping[str, Any] | None) -> Text:
    """A missing item; a scoped one says for what, and that the one in hand is older."""
    if model.held is None or item not in MATERIAL_SCOPES:
        return reference.MATERIALS[item]
    employer = target_employer(model, data) if MATERIAL_SCOPES[item] == "employer" else None
    label = material_label(item, current_scope(item, model.case, employer))
    if any(held == item for held, _ in model.held):
        return Text(label.zh + "（已收到的属于其他单位或较早的注册期）",
                    label.en + " (the one in hand is for another employer or an earlier "
                    "period)")
    return label


def _missing(model: CaseModel, items: list[str], data: Mapping[str, Any] | None = None
             ) -> Text | None:
    lacking = [_needed_label(model, i, data) for i in items if not has_material(model, i, data)]
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


def is_re_registration(model: CaseModel) -> bool:
    """R9b: the case was registered before (a period was counted) or its registration
    expired: applying again is a re-registration."""
    return bool(model.case.get("period_from")) or model.state == "registration_expired"


def guard_registration_ce(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """R7a, R9b: continuing-education proof for a registration.

    A re-registration (after an expiry or a deregistration) always needs the proof of the
    current period. A first registration needs it when the certificate's issue date
    (发证日期, not the day it was downloaded) is more than N years back; an unknown issue
    date is asked for, never taken as recent.
    """
    if is_re_registration(model):
        lacking = _missing(model, ["ce_proof"], data)
        if lacking:
            return Text("重新注册需要本期的继续教育证明；" + lacking.zh,
                        "a re-registration needs continuing-education proof of this "
                        "period; " + lacking.en)
        return None
    issued = model.get_date("certificate_issued_on", data)
    if issued is None:
        return Text("资格证书的发证日期未记录，无法判断首次注册是否需要继续教育证明："
                    "--set certificate_issued_on=YYYY-MM-DD（证书上印有发证日期）",
                    "the certificate's issue date (发证日期) is not recorded, so it cannot "
                    "be decided whether the first registration needs CE proof: "
                    "--set certificate_issued_on=YYYY-MM-DD (it is printed on the "
                    "certificate)")
    if needs_ce_proof_for_first_registration(issued, model.today, model.rules):
        years = model.rules.first_registration_ce_years
        lacking = _missing(model, ["ce_proof"], data)
        if lacking:
            return Text(f"发证日期 {issued} 已超过 {years} 年，首次注册需继续教育证明；"
                        + lacking.zh,
                        f"issued on {issued}, more than {years} years ago: a first "
                        "registration needs CE proof; " + lacking.en)
    return None


def guard_new_employer(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """R7b: a change of registration names the new employer, another than the current."""
    new = str(data.get("employer") or "").strip()
    if not new:
        return Text("需要新的聘用单位：--set employer=…",
                    "the new employer is needed: --set employer=…")
    if new == str(model.case.get("employer") or model.company or ""):
        return Text(f"“{new}”已是当前的聘用单位：变更注册是换到另一家单位",
                    f"“{new}” is the current employer already: a change of registration "
                    "is to another employer")
    return None


def guard_renewal_cutoff(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """R9a: the renewal is applied for by the cut-off day (expiry minus N days, that day
    included); later only when recorded explicitly as late (`late=true`) with a note."""
    until = model.get_date("valid_until")
    if until is None:
        return guard_has_validity(model, data)
    cutoff = renewal_cutoff(until, model.rules)
    days = model.rules.renewal_cutoff_days
    late = bool(data.get("late"))
    if model.today <= cutoff:
        if late:
            return Text(f"申请截止日是 {cutoff}（含当日），今天并未逾期：不要标记为逾期申请",
                        f"the cut-off is {cutoff} (that day included): today is not late, "
                        "do not record it as a late application")
        return None
    if late and data.get("_note"):
        return None
    return Text(f"延续注册须在到期日 {until} 前 {days} 天、即最迟 {cutoff}（含当日）申请，"
                "已逾期；如确要提交，请登记为逾期申请：--set late=true 并用 --note 说明",
                f"the renewal had to be applied for {days} days before the expiry "
                f"{until}, by {cutoff} (that day included): it is late; to record it "
                "anyway, mark it as late: --set late=true with a --note saying why")


def guard_seal_no(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    if data.get("seal_no"):
        return None
    return Text("需要执业印章编号：--set seal_no=…", "the seal number is needed: --set seal_no=…")


#: Days that happened: they cannot lie ahead (R7a).
PAST_DAYS = ("certificate_issued_on", "approved_on", "deregistered_on", "seal_made_on")


def guard_past_days(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """A day that happened (an issue, an approval, a deregistration) is not after today."""
    for key in PAST_DAYS:
        value = data.get(key)
        if value and str(value) > model.today.isoformat():
            return Text(f"{key}={value} 晚于今天（{model.today}）：只能记录已经发生的日期",
                        f"{key}={value} is after today ({model.today}): only a day that "
                        "has happened can be recorded")
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


def ce_done(model: CaseModel, data: Mapping[str, Any] | None = None) -> float:
    """R9c: the hours of the current period: the recorded total (as this event sets it)
    plus the courses dated within the period (`ce_period_hours` of the case view)."""
    lump = float(model.case.get("ce_hours") or 0)
    period = model.case.get("ce_period_hours")
    courses = float(period) - lump if period is not None else 0.0
    return float(model.get("ce_hours", data) or 0) + max(courses, 0.0)


def guard_ce_hours(model: CaseModel, data: Mapping[str, Any]) -> Text | None:
    """R9, R9c: the continuing-education hours of the period are complete — when the
    requirement is configured; unset, it holds nothing back (no figure is invented)."""
    required = model.rules.ce_hours_required
    done = ce_done(model, data)
    if required is None or done >= required:
        return None
    status = ce_status(done, required, model.rules.ce_hours_source)
    return Text("继续教育学时不足：" + status.zh,
                "continuing-education hours incomplete: " + status.en)


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


#: What leaves the current view when a registration ends (the history keeps it).
_CLEARED = dict.fromkeys(k for k in REGISTRATION_KEYS if k != "employer")


def effect_apply_registration(model, data):
    """R7; R9b: applying again after an expiry moves the expired registration out of the
    current view (the history keeps it as an earlier registration)."""
    changes: dict[str, Any] = {"registration_applied_on": _today(model)}
    if not model.get("employer", data):
        changes["employer"] = model.company
    if model.state == "registration_expired":
        # The employer is recorded too, so that the history keeps the old one whole.
        changes.update(_CLEARED, employer=target_employer(model, data) or None)
    return changes


def _approved_on(model: CaseModel, data: Mapping[str, Any], *aliases: str) -> str:
    """R7a: the approval's own date as recorded (`approved_on`), else today."""
    for key in ("approved_on", *aliases):
        if data.get(key):
            return str(data[key])
    return _today(model)


def effect_approve_registration(model, data):
    """R7a: the validity runs from the approval date recorded (`approved_on`, default
    today; `valid_from` is read the same), not from the day it is typed in."""
    approved = _approved_on(model, data, "valid_from")
    until = data.get("valid_until") or registration_valid_until(
        date.fromisoformat(approved), model.rules).isoformat()
    return {"approved_on": approved, "valid_from": approved, "valid_until": until,
            "period_from": approved, "ce_hours": data.get("ce_hours", 0),
            "employer": target_employer(model, data) or None}


def effect_approve_renewal(model, data):
    old_until = model.get_date("valid_until")
    if old_until is None:  # guarded by apply_renewal's path; keep the approval date as base
        old_until = model.today
    valid_from = (old_until + timedelta(days=1)).isoformat()
    return {"approved_on": _approved_on(model, data), "valid_from": valid_from,
            "valid_until": renewal_valid_until(old_until, model.rules).isoformat(),
            "period_from": valid_from, "ce_hours": data.get("ce_hours", 0)}


def effect_change_registration(model, data):
    """R7b: the new employer, the validity unchanged (recorded as it stands, so that the
    history keeps the old employer's registration whole); the seal, which names the
    employer, is made anew."""
    return {"employer": data["employer"], "approved_on": _approved_on(model, data),
            "registration_no": data.get("registration_no") or model.case.get("registration_no"),
            "valid_from": model.case.get("valid_from"),
            "valid_until": model.case.get("valid_until"),
            "seal_no": None, "seal_made_on": None}


def effect_deregister(model, data):
    """R7b: the registration leaves the current view (the history keeps it); a new
    period is counted from the day of the deregistration."""
    day = str(data.get("deregistered_on") or _today(model))
    return {**_CLEARED, "employer": None, "ce_hours": 0, "period_from": day,
            "deregistered_on": day}


def effect_expire(model, data):
    """The registration stays on view as expired; the period after it is counted from the
    day after the last valid day (not from the day the sweep ran)."""
    until = model.get_date("valid_until")
    if until is None:
        return {}
    return {"period_from": (until + timedelta(days=1)).isoformat(), "ce_hours": 0}


def past_expiry(model: CaseModel, data: Mapping[str, Any]) -> bool:
    until = model.get_date("valid_until")
    return until is not None and model.today > until


def effect_reject_renewal(model, data):
    """R9a: a refused renewal goes back to renewal due, or expires when past the expiry."""
    return effect_expire(model, data) if past_expiry(model, data) else {}


def effect_record_seal(model, data):
    """R7c: the practice seal made after approval (today unless its day is given)."""
    return {"seal_made_on": data.get("seal_made_on") or _today(model)}


def effect_review_result(model, data):
    return {"review_result_on": _today(model)}


def effect_publish(model, data):
    return {"certificate_available_on": _today(model)}


#: Guards that only ask for the event's own data, not for anything about the case.
DATA_GUARDS = frozenset({guard_registration_no, guard_appointment, guard_personal_data,
                         guard_note, guard_supplement_deadline, guard_new_employer,
                         guard_seal_no, guard_past_days})
