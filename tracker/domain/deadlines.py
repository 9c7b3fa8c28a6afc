"""Which deadlines a case has, given its row, the rules and today: pure date rules.

Deadlines are computed when read, never stored: a stored "overdue" flag goes stale the
next morning. This module is the reference: `tracker.store.deadlines` computes the same
dates set-based in SQL for listing and reminding 100,000 cases, and the tests compare the
two on random rows.

The kinds (docs/domain.md):
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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import reference
from .rules import DEFAULT_RULES, Rules, add_years, iso_day, renewal_cutoff
from .text import Text
from .workflow import EVENTS, REVIEW_EVIDENCE, STATES


@dataclass(frozen=True)
class Kind:
    name: str
    label: Text
    #: The due day of this deadline for a case row (None: the case has none of it).
    due: Callable[[Mapping[str, Any], Rules, frozenset[str]], date | None]
    #: The detail line: what is missing, the window, the figures (materials: None unknown).
    detail: Callable[[Mapping[str, Any], Rules, set[str] | None], Text | None]
    #: Which rule holds its reminder stages: "reminder_stages" or "expiry_reminder_stages".
    stages_rule: str = "reminder_stages"

    @property
    def states(self) -> tuple[str, ...]:
        """The case states in which this deadline exists (`State.deadlines`)."""
        return tuple(s.name for s in STATES.values() if self.name in s.deadlines)


def _review_due(row, rules, received):
    return _date(row.get("review_deadline"))


def _paper_due(row, rules, received):
    return _date(row.get("paper_closes"))


def _exam_window_due(row, rules, received):
    last_year = exam_window_last_year(row, rules)
    if last_year is None or not 1 <= last_year <= 9999:
        return None
    return date(last_year, 12, 31)


def _first_registration_due(row, rules, received):
    issued = _date(row.get("certificate_date"))
    if issued is None or "ce_proof" in received:
        return None
    try:
        return add_years(issued, rules.first_registration_ce_years)
    except ValueError:  # beyond year 9999: no real deadline
        return None


def _ce_hours_due(row, rules, received):
    if _ce_missing(row, rules) <= 0:
        return None
    return _renewal_cutoff_due(row, rules, received)


def _renewal_cutoff_due(row, rules, received):
    until = _date(row.get("valid_until"))
    return renewal_cutoff(until, rules) if until is not None else None


def _expiry_due(row, rules, received):
    return _date(row.get("valid_until"))


def _review_detail(row, rules, materials):
    if materials is None:
        return None
    lacking = [reference.MATERIALS[i] for i in REVIEW_EVIDENCE if i not in materials]
    if not lacking:
        return Text("复核材料已备齐，待提交", "evidence complete, to be submitted")
    return Text("尚缺：" + "、".join(t.zh for t in lacking),
                "still missing: " + ", ".join(t.en for t in lacking))


def _paper_detail(row, rules, materials):
    opens, closes = row.get("paper_opens"), row.get("paper_closes")
    text = Text(f"领取时间 {opens or '—'} 至 {closes}", f"collection from {opens or '—'} to {closes}")
    if row.get("appointment"):
        text = Text(text.zh + f"；已预约 {row['appointment']}",
                    text.en + f"; appointment {row['appointment']}")
    return text


def _exam_window_detail(row, rules, materials):
    last_year = exam_window_last_year(row, rules)
    passed = subject_years(row)
    remaining = [reference.SUBJECTS[s] for s in reference.SUBJECTS if s not in passed]
    zh = "、".join(t.zh for t in remaining) or "—"
    en = ", ".join(t.en for t in remaining) or "—"
    return Text(f"须在 {last_year} 年度考试中通过：{zh}",
                f"to pass in the {last_year} exam at the latest: {en}")


def _first_registration_detail(row, rules, materials):
    issued = row.get("certificate_date")
    years = rules.first_registration_ce_years
    return Text(f"证书日期 {issued}；超过 {years} 年初始注册需继续教育证明",
                f"certificate of {issued}; after {years} years a first registration "
                "needs CE proof")


def _ce_hours_detail(row, rules, materials):
    done = float(row.get("ce_hours") or 0)
    required = rules.ce_hours_required
    missing = _ce_missing(row, rules)
    return Text(f"已完成 {done:g} / {required:g} 学时，尚缺 {missing:g}",
                f"{done:g} of {required:g} hours done, {missing:g} missing")


def _renewal_cutoff_detail(row, rules, materials):
    return Text(f"有效期至 {row.get('valid_until')}，须提前 {rules.renewal_cutoff_days} 天申请",
                f"valid until {row.get('valid_until')}; apply "
                f"{rules.renewal_cutoff_days} days before")


def _expiry_detail(row, rules, materials):
    if row.get("state") == "renewal_applied":
        return Text("延续注册已申请，待批准", "renewal applied for, awaiting approval")
    number = row.get("registration_no")
    return Text(f"注册证书编号 {number}", f"registration no. {number}") if number else None


#: In this order when two deadlines fall on the same day (the more actionable first).
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("review_deadline", Text("复核材料提交截止", "Review evidence due"), _review_due,
             _review_detail),
        Kind("paper_window", Text("纸质证书领取截止", "Paper collection closes"), _paper_due,
             _paper_detail),
        Kind("exam_window", Text("考试成绩有效期截止", "Exam window closes"), _exam_window_due,
             _exam_window_detail),
        Kind("first_registration_limit",
             Text("初始注册免继续教育证明期限", "First registration without CE proof until"),
             _first_registration_due,
             _first_registration_detail),
        Kind("ce_hours", Text("继续教育学时未完成", "Continuing-education hours missing"),
             _ce_hours_due,
             _ce_hours_detail),
        Kind("renewal_cutoff", Text("延续注册申请截止", "Renewal application cut-off"),
             _renewal_cutoff_due,
             _renewal_cutoff_detail),
        Kind("registration_expiry", Text("注册有效期届满", "Registration expires"),
             _expiry_due, _expiry_detail, stages_rule="expiry_reminder_stages"),
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
    #: R15: counted in working days across a year nothing knows yet (Monday to Friday);
    #: set by the services from the notice the date came from.
    provisional: bool = False

    @property
    def stage(self) -> int | None:
        """The reminder stage reached today: the smallest stage not below days_left.

        None when no stage is reached yet, or when the deadline is overdue.
        """
        if self.overdue:
            return None
        reached = [s for s in self.stages if s >= self.days_left]
        return min(reached) if reached else None

    @property
    def days(self) -> Text:
        """How far off it is, in the one wording: "还有 5 天", "今天到期", "逾期 3 天"."""
        return days_label(self.days_left)

    def sort_key(self) -> tuple[date, int]:
        return (self.due_on, KIND_ORDER.get(self.kind, len(KIND_ORDER)))


def stages_for(kind: str, rules: Rules = DEFAULT_RULES) -> tuple[int, ...]:
    return tuple(getattr(rules, KINDS[kind].stages_rule))


def window_for(kind: str, rules: Rules = DEFAULT_RULES) -> int:
    """How many days ahead a deadline of `kind` is reminded of: its largest stage."""
    return max(stages_for(kind, rules), default=0)


# --------------------------------------------------------------------------- row helpers


_date = iso_day


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
    state = STATES.get(row.get("state"))
    if state is None:
        return []
    received = frozenset(materials)
    found = ((kind, KINDS[kind].due(row, rules, received)) for kind in state.deadlines)
    return [(kind, day) for kind, day in found if day is not None]


def describe(kind: str, row: Mapping[str, Any], rules: Rules = DEFAULT_RULES,
             materials: Iterable[str] | None = None) -> Text | None:
    """The detail line of a deadline: what is missing, the window, the figures behind it."""
    return KINDS[kind].detail(row, rules, None if materials is None else set(materials))


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


#: The time-driven events (docs/domain.md), in the order the sweep applies them.
TIME_DRIVEN = tuple(e.name for e in sorted((e for e in EVENTS.values() if e.time_driven),
                                           key=lambda e: e.sweep_rank))


def time_driven_event(row: Mapping[str, Any], today: date, rules: Rules = DEFAULT_RULES
                      ) -> str | None:
    """The time-driven event that is due for the case today, if any (reference of the sweep):
    the first, in sweep order, whose source is the case's state and whose `due` holds."""
    state = row.get("state")
    for name in TIME_DRIVEN:
        event = EVENTS[name]
        if state in event.sources and event.due(row, today, rules):
            return name
    return None


def days_label(days_left: int) -> Text:
    """"还有 5 天" / "5 days left", "今天到期" / "due today", "逾期 3 天" / "3 days overdue"."""
    if days_left == 0:
        return Text("今天到期", "due today")
    if days_left < 0:
        n = -days_left
        return Text(f"逾期 {n} 天", f"{n} day{'s' if n != 1 else ''} overdue")
    return Text(f"还有 {days_left} 天", f"{days_left} day{'s' if days_left != 1 else ''} left")
