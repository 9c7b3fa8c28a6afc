"""Which deadlines a case has, given its row, the rules and today: pure date rules.

Deadlines are computed when read, never stored: a stored "overdue" flag goes stale the
next morning. This module is the reference: `tracker.store.deadlines` computes the same
dates set-based in SQL for listing and reminding 100,000 cases, and the tests compare the
two on random rows.

The kinds (domain.md):
- ``review_deadline``  R3: evidence due by the review notice's deadline (review_pending).
- ``paper_window``     R6: the paper-collection window of the paper notice closes
                        (certificate_available, while the paper certificate is not collected).
- ``exam_window``      R2: the remaining subjects must be passed within the window
                        (exam_partial); due on 31 December of the last exam year that counts.
- ``first_registration_limit``  a first registration later than the configured years after
                        the certificate needs continuing-education proof (certified,
                        correction_pending; gone once the CE proof is received).
- ``ce_hours``         R9: continuing-education hours still missing for the period; due by
                        the renewal cut-off, since renewal needs them complete.
- ``renewal_cutoff``   the last day to apply for renewal (expiry minus the configured days).
- ``registration_expiry``  the registration's last valid day.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import reference
from .rules import DEFAULT_RULES, Rules, add_years, renewal_cutoff, renewal_opens_on
from .text import Text


@dataclass(frozen=True)
class Kind:
    name: str
    label: Text
    #: The case states in which this deadline exists.
    states: tuple[str, ...]
    #: Which rule holds its reminder stages: "reminder_stages" or "expiry_reminder_stages".
    stages_rule: str = "reminder_stages"


#: In this order when two deadlines fall on the same day (the more actionable first).
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("review_deadline", Text("复核材料提交截止", "Review evidence due"),
             ("review_pending",)),
        Kind("paper_window", Text("纸质证书领取截止", "Paper collection closes"),
             ("certificate_available",)),
        Kind("exam_window", Text("考试成绩有效期截止", "Exam window closes"), ("exam_partial",)),
        Kind("first_registration_limit",
             Text("初始注册免继续教育证明期限", "First registration without CE proof until"),
             ("certified", "correction_pending")),
        Kind("ce_hours", Text("继续教育学时未完成", "Continuing-education hours missing"),
             ("registered", "renewal_due")),
        Kind("renewal_cutoff", Text("延续注册申请截止", "Renewal application cut-off"),
             ("registered", "renewal_due")),
        Kind("registration_expiry", Text("注册有效期届满", "Registration expires"),
             ("registered", "renewal_due", "renewal_applied"),
             stages_rule="expiry_reminder_stages"),
    )
}
KIND_ORDER = {name: index for index, name in enumerate(KINDS)}


@dataclass(frozen=True)
class Deadline:
    """One dated obligation of a case, as of `today`."""

    kind: str
    label: Text
    due_on: date
    #: Days from today to the due day: 0 on the day itself, negative when overdue.
    days_left: int
    overdue: bool
    detail: Text | None = None
    #: The reminder stages (days before `due_on`) configured for this kind, largest first.
    stages: tuple[int, ...] = ()

    @property
    def stage(self) -> int | None:
        """The reminder stage reached today: the smallest stage not below days_left.

        None when no stage is reached yet, or when the deadline is overdue.
        """
        if self.overdue:
            return None
        reached = [s for s in self.stages if s >= self.days_left]
        return min(reached) if reached else None

    def sort_key(self) -> tuple[date, int]:
        return (self.due_on, KIND_ORDER.get(self.kind, len(KIND_ORDER)))


def stages_for(kind: str, rules: Rules = DEFAULT_RULES) -> tuple[int, ...]:
    return tuple(getattr(rules, KINDS[kind].stages_rule))


def window_for(kind: str, rules: Rules = DEFAULT_RULES) -> int:
    """How many days ahead a deadline of `kind` is reminded of: its largest stage."""
    return max(stages_for(kind, rules), default=0)


# --------------------------------------------------------------------------- row helpers


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(value: Any) -> date | None:
    """A stored day: the first ten characters when they are a real ISO day, else None.

    Years before 1000 are not days of this process (and would overflow the arithmetic).
    """
    if not value:
        return None
    if isinstance(value, date):
        return value if value.year >= 1000 else None
    text = str(value)[:10]
    if not _ISO_DAY.fullmatch(text) or text < "1000":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def subject_years(row: Mapping[str, Any]) -> dict[str, int]:
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


def exam_window_last_year(row: Mapping[str, Any], rules: Rules = DEFAULT_RULES) -> int | None:
    """R2: the last exam year in which the remaining subjects can still be passed."""
    years = list(subject_years(row).values())
    exam_year = row.get("exam_year")
    if years:
        first = min(years)
    elif isinstance(exam_year, int) and not isinstance(exam_year, bool):
        first = exam_year
    else:
        return None
    return first + rules.exam_window_years - 1


def _ce_missing(row: Mapping[str, Any], rules: Rules) -> float:
    done = float(row.get("ce_hours") or 0)
    return max(rules.ce_hours_required - done, 0.0)


# --------------------------------------------------------------------------- the due dates


def due_dates(row: Mapping[str, Any], rules: Rules = DEFAULT_RULES,
              materials: Iterable[str] = ()) -> list[tuple[str, date]]:
    """(kind, due day) of every deadline the case has in its current state.

    Independent of today: today only decides days_left and overdue (`case_deadlines`).
    This is the function the SQL of `tracker.store.deadlines` must agree with.
    """
    state = row.get("state")
    received = set(materials)
    found: list[tuple[str, date]] = []
    if state == "review_pending":
        if (day := _date(row.get("review_deadline"))) is not None:
            found.append(("review_deadline", day))
    elif state == "certificate_available":
        if (day := _date(row.get("paper_closes"))) is not None:
            found.append(("paper_window", day))
    elif state == "exam_partial":
        last_year = exam_window_last_year(row, rules)
        if last_year is not None and 1 <= last_year <= 9999:
            found.append(("exam_window", date(last_year, 12, 31)))
    elif state in ("certified", "correction_pending"):
        issued = _date(row.get("certificate_date"))
        if issued is not None and "ce_proof" not in received:
            try:
                limit = add_years(issued, rules.first_registration_ce_years)
            except ValueError:  # beyond year 9999: no real deadline
                limit = None
            if limit is not None:
                found.append(("first_registration_limit", limit))
    if state in ("registered", "renewal_due", "renewal_applied"):
        until = _date(row.get("valid_until"))
        if until is not None:
            if state != "renewal_applied":
                cutoff = renewal_cutoff(until, rules)
                if _ce_missing(row, rules) > 0:
                    found.append(("ce_hours", cutoff))
                found.append(("renewal_cutoff", cutoff))
            found.append(("registration_expiry", until))
    return found


def describe(kind: str, row: Mapping[str, Any], rules: Rules = DEFAULT_RULES,
             materials: Iterable[str] | None = None) -> Text | None:
    """The detail line of a deadline: what is missing, the window, the figures behind it."""
    if kind == "review_deadline":
        if materials is None:
            return None
        lacking = [reference.MATERIALS[i] for i in ("education_report", "work_years_proof")
                   if i not in set(materials)]
        if not lacking:
            return Text("复核材料已备齐，待提交", "evidence complete, to be submitted")
        return Text("尚缺：" + "、".join(t.zh for t in lacking),
                    "still missing: " + ", ".join(t.en for t in lacking))
    if kind == "paper_window":
        opens, closes = row.get("paper_opens"), row.get("paper_closes")
        text = Text(f"领取时间 {opens or '—'} 至 {closes}",
                    f"collection from {opens or '—'} to {closes}")
        if row.get("appointment"):
            text = Text(text.zh + f"；已预约 {row['appointment']}",
                        text.en + f"; appointment {row['appointment']}")
        return text
    if kind == "exam_window":
        last_year = exam_window_last_year(row, rules)
        passed = subject_years(row)
        remaining = [reference.SUBJECTS[s] for s in reference.SUBJECTS if s not in passed]
        zh = "、".join(t.zh for t in remaining) or "—"
        en = ", ".join(t.en for t in remaining) or "—"
        return Text(f"须在 {last_year} 年度考试中通过：{zh}",
                    f"to pass in the {last_year} exam at the latest: {en}")
    if kind == "first_registration_limit":
        issued = row.get("certificate_date")
        years = rules.first_registration_ce_years
        return Text(f"证书日期 {issued}；超过 {years} 年初始注册需继续教育证明",
                    f"certificate of {issued}; after {years} years a first registration "
                    "needs CE proof")
    if kind == "ce_hours":
        done = float(row.get("ce_hours") or 0)
        required = rules.ce_hours_required
        missing = _ce_missing(row, rules)
        return Text(f"已完成 {done:g} / {required:g} 学时，尚缺 {missing:g}",
                    f"{done:g} of {required:g} hours done, {missing:g} missing")
    if kind == "renewal_cutoff":
        return Text(f"有效期至 {row.get('valid_until')}，须提前 {rules.renewal_cutoff_days} 天申请",
                    f"valid until {row.get('valid_until')}; apply "
                    f"{rules.renewal_cutoff_days} days before")
    if kind == "registration_expiry":
        if row.get("state") == "renewal_applied":
            return Text("延续注册已申请，待批准", "renewal applied for, awaiting approval")
        number = row.get("registration_no")
        return Text(f"注册证书编号 {number}", f"registration no. {number}") if number else None
    return None


def make_deadline(kind: str, due_on: date, row: Mapping[str, Any], today: date,
                  rules: Rules = DEFAULT_RULES, materials: Iterable[str] | None = None
                  ) -> Deadline:
    """A Deadline of `kind` due on `due_on`, as seen on `today`."""
    days_left = (due_on - today).days
    return Deadline(kind=kind, label=KINDS[kind].label, due_on=due_on, days_left=days_left,
                    overdue=days_left < 0, detail=describe(kind, row, rules, materials),
                    stages=stages_for(kind, rules))


def case_deadlines(row: Mapping[str, Any], today: date, rules: Rules = DEFAULT_RULES,
                   materials: Iterable[str] | None = None) -> list[Deadline]:
    """Every deadline of the case, soonest first (overdue ones come first)."""
    received = list(materials) if materials is not None else None
    found = [make_deadline(kind, day, row, today, rules, received)
             for kind, day in due_dates(row, rules, received or ())]
    return sorted(found, key=Deadline.sort_key)


def next_deadline(row: Mapping[str, Any], today: date, rules: Rules = DEFAULT_RULES,
                  materials: Iterable[str] | None = None) -> Deadline | None:
    found = case_deadlines(row, today, rules, materials)
    return found[0] if found else None


# --------------------------------------------------------------------------- the sweep


#: The time-driven events (domain.md), in the order the sweep applies them.
TIME_DRIVEN = ("expire_registration", "open_renewal", "miss_review")


def time_driven_event(row: Mapping[str, Any], today: date, rules: Rules = DEFAULT_RULES
                      ) -> str | None:
    """The time-driven event that is due for the case today, if any (reference of the sweep).

    - expire_registration: registered or renewal_due, and today is after the last valid day;
    - open_renewal: registered, and the renewal window (valid_until minus
      renewal_window_days) has opened;
    - miss_review: review_pending, and today is after the review deadline.
    """
    state = row.get("state")
    if state in ("registered", "renewal_due"):
        until = _date(row.get("valid_until"))
        if until is None:
            return None
        if today > until:
            return "expire_registration"
        if state == "registered" and renewal_opens_on(until, rules) <= today:
            return "open_renewal"
        return None
    if state == "review_pending":
        deadline = _date(row.get("review_deadline"))
        if deadline is not None and today > deadline:
            return "miss_review"
    return None


def days_label(days_left: int) -> Text:
    """"还有 5 天" / "5 days left", "今天到期" / "due today", "逾期 3 天" / "3 days overdue"."""
    if days_left == 0:
        return Text("今天到期", "due today")
    if days_left < 0:
        n = -days_left
        return Text(f"逾期 {n} 天", f"{n} day{'s' if n != 1 else ''} overdue")
    return Text(f"还有 {days_left} 天", f"{days_left} day{'s' if days_left != 1 else ''} left")


def shift(day: date, days: int) -> date:
    return day + timedelta(days=days)
