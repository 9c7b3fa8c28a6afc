"""Which deadlines a case has, given its row, the rules, the exam sittings and today.

Deadlines are computed when read, never stored: a stored "overdue" flag goes stale the
next morning. This module is the reference: `tracker.store.deadlines` computes the same
dates set-based in SQL for listing and reminding 100,000 cases, and the tests compare the
two on random rows.

Every date has a source a person could check: a notice recorded (the review deadline, the
paper window, the exam sitting), a day recorded on the case (the certificate, the
approval, the last confirmation of the contact data), or a rule of docs/domain.md applied
to it. No date is made up: where the source is not known yet — the sitting of the year in
which the remaining subjects must be passed, before its exam notice is recorded — the
deadline names the sitting ("2027 年度考试") and has no day.

The kinds (docs/domain.md):
- ``review_deadline``  R3: evidence due by the review notice's deadline (review_pending).
- ``paper_window``     R6: the paper-collection window of the paper notice closes.
- ``certificate_not_collected``  R5a: the certificate was published N days ago and is not
                        downloaded yet (a flag from that day on, no advance reminders).
- ``exam_window``      R2a: the remaining subjects must be passed at the last sitting that
                        counts for the oldest pass (exam_partial): due on that sitting's
                        day when its exam notice is recorded, else undated.
- ``contact_unconfirmed``  R14a: the phone and address were last confirmed (or, never
                        confirmed, recorded) N months ago (a flag from that day on).
- ``first_registration_limit``  R7a: a first registration later than the configured years
                        after the certificate's issue date (发证日期) needs
                        continuing-education proof (certified, correction_pending; none
                        without an issue date — the registration guard asks for it —, none
                        for a re-registration, gone once the CE proof is received).
- ``ce_hours``         R9c: continuing-education hours still missing for the period; due by
                        the renewal cut-off, since renewal needs them complete. Only when
                        the required hours are configured: no figure is invented.
- ``renewal_cutoff``   R9a: the last day to apply for renewal (expiry minus the configured
                        days), that day included.
- ``registration_expiry``  the registration's last valid day.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from . import reference
from .model import Sittings, exempt_of, last_sitting_year, passes_of, required_subjects
from .registration import ce_period_done, ce_status
from .rules import DEFAULT_RULES, Rules, add_months, add_years, iso_day, renewal_cutoff
from .text import Text
from .workflow import EVENTS, REVIEW_EVIDENCE, STATES

_date = iso_day
NO_SITTINGS: Sittings = {}


class Facts(NamedTuple):
    """What a deadline rule reads beside the case row."""

    rules: Rules
    #: The materials received (None: not known, e.g. a list of many cases).
    materials: frozenset[str] | None
    sittings: Sittings


@dataclass(frozen=True)
class Kind:
    name: str
    label: Text
    #: The due day of this deadline for a case row (None: the case has none of it).
    due: Callable[[Mapping[str, Any], Facts], date | None]
    #: The detail line: what is missing, the window, the figures.
    detail: Callable[[Mapping[str, Any], Facts], Text | None]
    #: Which rule holds its reminder stages; None: a flag, shown from its day on only.
    stages_rule: str | None = "reminder_stages"
    #: The deadline exists without a day (its source is not recorded yet): the sitting.
    undated: Callable[[Mapping[str, Any], Facts], int | None] | None = None

    @property
    def states(self) -> tuple[str, ...]:
        """The case states in which this deadline exists (`State.deadlines`)."""
        return tuple(s.name for s in STATES.values() if self.name in s.deadlines)

    @property
    def flag(self) -> bool:
        """A flag (no reminder stages): raised on its day, not announced before."""
        return self.stages_rule is None


# --------------------------------------------------------------------------- due days


def exam_window_last_year(row: Mapping[str, Any], rules: Rules = DEFAULT_RULES) -> int | None:
    """R2: the last exam year in which the remaining subjects can still be passed: the
    window of the oldest pass (None without passes: nothing to lose yet)."""
    years = list(passes_of(row).values())
    return last_sitting_year(min(years), rules) if years else None


def _exam_window_due(row, facts):
    last_year = exam_window_last_year(row, facts.rules)
    return facts.sittings.get(last_year) if last_year is not None else None


def _exam_window_undated(row, facts):
    last_year = exam_window_last_year(row, facts.rules)
    if last_year is None or last_year in facts.sittings:
        return None
    return last_year


def _not_collected_due(row, facts):
    published = _date(row.get("certificate_available_on"))
    if published is None:
        return None
    return published + timedelta(days=facts.rules.certificate_stale_days)


def _contact_due(row, facts):
    confirmed = _date(row.get("contact_confirmed_on")) or _date(row.get("created_at"))
    return add_months(confirmed, facts.rules.contact_stale_months) if confirmed else None


def _first_registration_due(row, facts):
    issued = _date(row.get("certificate_issued_on"))
    if issued is None or row.get("period_from") or \
            (facts.materials and "ce_proof" in facts.materials):
        return None
    try:
        return add_years(issued, facts.rules.first_registration_ce_years)
    except ValueError:  # beyond year 9999: no real deadline
        return None


def _ce_missing(row: Mapping[str, Any], rules: Rules) -> float:
    """The hours still missing; 0 when the requirement is not configured (R9c)."""
    if rules.ce_hours_required is None:
        return 0.0
    return max(rules.ce_hours_required - ce_period_done(row), 0.0)


def _ce_hours_due(row, facts):
    if _ce_missing(row, facts.rules) <= 0:
        return None
    return _renewal_cutoff_due(row, facts)


def _renewal_cutoff_due(row, facts):
    until = _date(row.get("valid_until"))
    return renewal_cutoff(until, facts.rules) if until is not None else None


# --------------------------------------------------------------------------- details


def _review_detail(row, facts):
    if facts.materials is None:
        return None
    lacking = [reference.MATERIALS[i] for i in REVIEW_EVIDENCE if i not in facts.materials]
    if not lacking:
        return Text("复核材料已备齐，待提交", "evidence complete, to be submitted")
    return Text("尚缺：" + "、".join(t.zh for t in lacking),
                "still missing: " + ", ".join(t.en for t in lacking))


def _paper_detail(row, facts):
    opens, closes = row.get("paper_opens"), row.get("paper_closes")
    text = Text(f"领取时间 {opens or '—'} 至 {closes}", f"collection from {opens or '—'} to {closes}")
    if row.get("appointment"):
        text = Text(text.zh + f"；已预约 {row['appointment']}",
                    text.en + f"; appointment {row['appointment']}")
    return text


def _not_collected_detail(row, facts):
    return Text(f"证书已于 {row.get('certificate_available_on')} 发布，仍未下载或领取："
                "先确认复核已通过，再咨询上海市职业能力考试院",
                f"published on {row.get('certificate_available_on')} and not downloaded or "
                "collected yet: first check that the review was passed, then ask "
                "上海市职业能力考试院")


def remaining_subjects(row: Mapping[str, Any]) -> list[str]:
    """The subjects still to pass: neither passed (in force) nor exempt."""
    passed = passes_of(row)
    return [s for s in required_subjects(exempt_of(row)) if s not in passed]


def _exam_window_detail(row, facts):
    last_year = exam_window_last_year(row, facts.rules)
    remaining = [reference.SUBJECTS[s] for s in remaining_subjects(row)]
    zh = "、".join(t.zh for t in remaining) or "—"
    en = ", ".join(t.en for t in remaining) or "—"
    return Text(f"须在 {last_year} 年度考试中通过：{zh}",
                f"to pass in the {last_year} sitting at the latest: {en}")


def _contact_detail(row, facts):
    confirmed = row.get("contact_confirmed_on")
    if confirmed:
        return Text(f"手机、通讯地址上次确认于 {confirmed}，请核对是否仍然有效",
                    f"phone and address last confirmed on {confirmed}: check they are "
                    "still valid")
    return Text("手机、通讯地址从未与本人确认", "phone and address never confirmed with the "
                "person")


def _first_registration_detail(row, facts):
    issued = row.get("certificate_issued_on")
    years = facts.rules.first_registration_ce_years
    return Text(f"发证日期 {issued}；超过 {years} 年首次注册需继续教育证明",
                f"certificate issued on {issued}; after {years} years a first "
                "registration needs CE proof")


def _ce_hours_detail(row, facts):
    missing = _ce_missing(row, facts.rules)
    status = ce_status(ce_period_done(row), facts.rules.ce_hours_required,
                       facts.rules.ce_hours_source)
    return Text(f"{status.zh}，尚缺 {missing:g}", f"{status.en}; {missing:g} missing")


def _renewal_cutoff_detail(row, facts):
    """R9a: the cut-off day itself still counts; reminders say so, and (R9c) say when the
    required hours are not configured."""
    days = facts.rules.renewal_cutoff_days
    until = _date(row.get("valid_until"))
    cutoff = renewal_cutoff(until, facts.rules) if until else None
    text = Text(f"最迟 {cutoff}（含当日）申请延续注册，此后为逾期申请；有效期至 {until}"
                f"（到期前 {days} 天截止）",
                f"apply for renewal by {cutoff} (that day included), later is a late "
                f"application; valid until {until} (cut-off {days} days before)")
    if facts.rules.ce_hours_required is None:
        text = Text(text.zh + "；继续教育学时要求未配置",
                    text.en + "; the required CE hours are not configured")
    return text


def _expiry_detail(row, facts):
    if row.get("state") == "renewal_applied":
        return Text("延续注册已申请，待批准", "renewal applied for, awaiting approval")
    number = row.get("registration_no")
    return Text(f"注册证书编号 {number}", f"registration no. {number}") if number else None


def _field(name: str) -> Callable[[Mapping[str, Any], Facts], date | None]:
    return lambda row, facts: _date(row.get(name))


#: In this order when two deadlines fall on the same day (the more actionable first).
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("review_deadline", Text("复核材料提交截止", "Review evidence due"),
             _field("review_deadline"), _review_detail),
        Kind("paper_window", Text("纸质证书领取截止", "Paper collection closes"),
             _field("paper_closes"), _paper_detail),
        Kind("certificate_not_collected", Text("证书发布后仍未领取", "Certificate not collected"),
             _not_collected_due, _not_collected_detail, stages_rule=None),
        Kind("exam_window", Text("其余科目须在此次考试中通过", "Last sitting for the other subjects"),
             _exam_window_due, _exam_window_detail, undated=_exam_window_undated),
        Kind("contact_unconfirmed", Text("联系方式待确认", "Contact data to confirm"),
             _contact_due, _contact_detail, stages_rule=None),
        Kind("first_registration_limit",
             Text("初始注册免继续教育证明期限", "First registration without CE proof until"),
             _first_registration_due, _first_registration_detail),
        Kind("ce_hours", Text("继续教育学时未完成", "Continuing-education hours missing"),
             _ce_hours_due, _ce_hours_detail),
        Kind("renewal_cutoff", Text("延续注册申请截止", "Renewal application cut-off"),
             _renewal_cutoff_due, _renewal_cutoff_detail),
        Kind("registration_expiry", Text("注册有效期届满", "Registration expires"),
             _field("valid_until"), _expiry_detail, stages_rule="expiry_reminder_stages"),
    )
}
KIND_ORDER = {name: index for index, name in enumerate(KINDS)}


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadline:
    """One obligation of a case, as of `today`: dated, or (its source not recorded yet)
    naming the exam sitting it belongs to."""

    kind: str
    label: Text
    #: None: the date is not known yet (see `sitting_year`).
    due_on: date | None
    #: Days from today to the due day: 0 on the day itself, negative when overdue.
    days_left: int | None
    overdue: bool
    detail: Text | None = None
    #: The reminder stages (days before `due_on`) configured for this kind, largest first.
    stages: tuple[int, ...] = ()
    #: The exam year whose sitting the deadline is, when its date is not recorded.
    sitting_year: int | None = None
    #: A flag (R5a, R14a): raised on `due_on`, something to follow up, never "overdue" —
    #: no official date has passed.
    flag: bool = False
    #: R15: counted in working days across a year nothing knows yet (Monday to Friday);
    #: set by the services from the notice the date came from.
    provisional: bool = False

    @property
    def stage(self) -> int | None:
        """The reminder stage reached today: the smallest stage not below days_left.

        None when no stage is reached yet, when the deadline is overdue or undated.
        """
        if self.overdue or self.days_left is None:
            return None
        reached = [s for s in self.stages if s >= self.days_left]
        return min(reached) if reached else None

    @property
    def days(self) -> Text:
        """How far off it is, in the one wording: "还有 5 天", "今天到期", "逾期 3 天" — or,
        without a date, "日期待公布" (no day to count from, R2a)."""
        if self.days_left is None:
            return Text("日期待公布", "date not yet published")
        if self.flag:
            return flag_label(-self.days_left)
        return days_label(self.days_left)

    @property
    def when(self) -> Text:
        """The due day, or the sitting it belongs to ("2027 年度考试")."""
        if self.due_on is None:
            return Text(f"{self.sitting_year} 年度考试", f"the {self.sitting_year} sitting")
        return Text(self.due_on.isoformat(), self.due_on.isoformat())

    def sort_key(self) -> tuple[date, int]:
        return (self.due_on or date.max, KIND_ORDER.get(self.kind, len(KIND_ORDER)))


def sitting_label(year: int | None) -> Text:
    """"2027 年度考试（日期待公布）" — a sitting whose exam notice is not recorded yet."""
    return Text(f"{year} 年度考试（日期待公布）", f"the {year} sitting (date not yet published)")


def stages_for(kind: str, rules: Rules = DEFAULT_RULES) -> tuple[int, ...]:
    rule = KINDS[kind].stages_rule
    return tuple(getattr(rules, rule)) if rule else ()


def window_for(kind: str, rules: Rules = DEFAULT_RULES) -> int:
    """How many days ahead a deadline of `kind` is reminded of: its largest stage (0 for a
    flag: from its day on)."""
    return max(stages_for(kind, rules), default=0)


def due_dates(row: Mapping[str, Any], rules: Rules = DEFAULT_RULES,
              materials: Iterable[str] = (), sittings: Sittings = NO_SITTINGS
              ) -> list[tuple[str, date]]:
    """(kind, due day) of every dated deadline the case has in its current state.

    Independent of today: today only decides days_left and overdue (`case_deadlines`).
    This is the function the SQL of `tracker.store.deadlines` must agree with.
    """
    state = STATES.get(row.get("state"))
    if state is None:
        return []
    facts = Facts(rules, frozenset(materials), sittings)
    found = ((kind, KINDS[kind].due(row, facts)) for kind in state.deadlines)
    return [(kind, day) for kind, day in found if day is not None]


def undated(row: Mapping[str, Any], rules: Rules = DEFAULT_RULES,
            sittings: Sittings = NO_SITTINGS) -> list[tuple[str, int]]:
    """(kind, exam year) of every deadline whose sitting date is not recorded yet."""
    state = STATES.get(row.get("state"))
    if state is None:
        return []
    facts = Facts(rules, None, sittings)
    found = ((kind, KINDS[kind].undated(row, facts)) for kind in state.deadlines
             if KINDS[kind].undated is not None)
    return [(kind, year) for kind, year in found if year is not None]


def describe(kind: str, row: Mapping[str, Any], rules: Rules = DEFAULT_RULES,
             materials: Iterable[str] | None = None, sittings: Sittings = NO_SITTINGS
             ) -> Text | None:
    """The detail line of a deadline: what is missing, the window, the figures behind it."""
    received = None if materials is None else frozenset(materials)
    return KINDS[kind].detail(row, Facts(rules, received, sittings))


def make_deadline(kind: str, due_on: date | None, row: Mapping[str, Any], today: date,
                  rules: Rules = DEFAULT_RULES, materials: Iterable[str] | None = None,
                  sittings: Sittings = NO_SITTINGS, sitting_year: int | None = None
                  ) -> Deadline:
    """A Deadline of `kind` due on `due_on` (None: undated, at `sitting_year`'s sitting),
    as seen on `today`."""
    days_left = (due_on - today).days if due_on is not None else None
    return Deadline(kind=kind, label=KINDS[kind].label, due_on=due_on, days_left=days_left,
                    overdue=days_left is not None and days_left < 0 and not KINDS[kind].flag,
                    detail=describe(kind, row, rules, materials, sittings),
                    stages=stages_for(kind, rules), sitting_year=sitting_year,
                    flag=KINDS[kind].flag)


def case_deadlines(row: Mapping[str, Any], today: date, rules: Rules = DEFAULT_RULES,
                   materials: Iterable[str] | None = None,
                   sittings: Sittings = NO_SITTINGS) -> list[Deadline]:
    """Every deadline of the case, soonest first (overdue ones first, undated ones last)."""
    received = list(materials) if materials is not None else None
    found = [make_deadline(kind, day, row, today, rules, received, sittings)
             for kind, day in due_dates(row, rules, received or (), sittings)
             if not KINDS[kind].flag or day <= today]
    found += [make_deadline(kind, None, row, today, rules, received, sittings, year)
              for kind, year in undated(row, rules, sittings)]
    return sorted(found, key=Deadline.sort_key)


def next_deadline(row: Mapping[str, Any], today: date, rules: Rules = DEFAULT_RULES,
                  materials: Iterable[str] | None = None,
                  sittings: Sittings = NO_SITTINGS) -> Deadline | None:
    found = case_deadlines(row, today, rules, materials, sittings)
    return found[0] if found else None


# --------------------------------------------------------------------------- the sweep


#: The time-driven events (docs/domain.md), in the order the sweep applies them.
TIME_DRIVEN = tuple(e.name for e in sorted((e for e in EVENTS.values() if e.time_driven),
                                           key=lambda e: e.sweep_rank))


def time_driven_event(row: Mapping[str, Any], today: date, rules: Rules = DEFAULT_RULES,
                      sittings: Sittings = NO_SITTINGS) -> str | None:
    """The time-driven event that is due for the case today, if any (reference of the sweep):
    the first, in sweep order, whose source is the case's state and whose `due` holds."""
    state = row.get("state")
    for name in TIME_DRIVEN:
        event = EVENTS[name]
        if state in event.sources and event.due(row, today, rules, sittings):
            return name
    return None


def flag_label(days_since: int) -> Text:
    """"今天标记" / "flagged today", "已标记 3 天" / "flagged for 3 days": a flag has no
    deadline to be overdue against."""
    if days_since <= 0:
        return Text("今天标记", "flagged today")
    return Text(f"已标记 {days_since} 天",
                f"flagged for {days_since} day{'s' if days_since != 1 else ''}")


def days_label(days_left: int) -> Text:
    """"还有 5 天" / "5 days left", "今天到期" / "due today", "逾期 3 天" / "3 days overdue"."""
    if days_left == 0:
        return Text("今天到期", "due today")
    if days_left < 0:
        n = -days_left
        return Text(f"逾期 {n} 天", f"{n} day{'s' if n != 1 else ''} overdue")
    return Text(f"还有 {days_left} 天", f"{days_left} day{'s' if days_left != 1 else ''} left")
