"""Official notices (R4): recording one applies it to its cohort, in one transaction.

- a **review** notice (资格复核通知) fires `open_review` on every `exam_passed` case of its
  exam year and gives each the notice's deadline;
- a **certificate** notice (证书发布通知) fires `publish_certificate` on every
  `review_passed` case of its exam year;
- a **paper** notice (纸质证书领取通知) sets the paper-collection window on the cases of its
  exam year that have not got their certificate yet (review pending … certificate available).

Every history row written names the notice (`data.notice_id`), and each case deadline a
notice gives is linked to it (`notice_deadlines`). The deadline is a date or N working
days after the opening date on the Chinese working calendar (`domain.workdays`, R15): a
count across a year nothing knows yet is *provisional* (Monday to Friday); when that
year's arrangement is recorded, `plan_recount` and `apply_recount` move the notice's
deadline and the cases' that still hold it (`tracker.services.calendar`). A deadline
given as a date never moves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain.text import Text
from ..domain.workdays import PROVISIONAL, WorkCalendar, WorkdayCount
from ..errors import TrackerError
from ..store import cases as case_store
from ..store import notices as store
from ..store.query import CaseFilter
from . import cases as case_service
from .calendar import work_calendar
from .context import Context


@dataclass(frozen=True)
class NoticeKind:
    name: str
    label: Text
    #: The workflow event the notice fires on its cohort (None: it only sets data).
    event: str | None
    #: The states of the cohort.
    states: tuple[str, ...]
    deadline_required: bool


NOTICE_KINDS: dict[str, NoticeKind] = {
    k.name: k
    for k in (
        # R2a: the year's exam notice gives the day of its sitting; no case moves.
        NoticeKind("exam", Text("考试通知（考试日期）", "Exam notice (sitting date)"), None, (),
                   False),
        NoticeKind("review", Text("资格复核通知", "Review notice"), "open_review",
                   ("exam_passed",), True),
        NoticeKind("certificate", Text("证书发布通知", "Certificate notice"),
                   "publish_certificate", ("review_passed",), False),
        NoticeKind("paper", Text("纸质证书领取通知", "Paper collection notice"), None,
                   ("review_pending", "review_submitted", "review_passed",
                    "certificate_available"), True),
    )
}

#: The history event of a data change that is not a workflow event (undo can revert it).
UPDATE = "update"
#: The case column each kind of notice writes its deadline to (R15: what a recount moves).
DEADLINE_FIELD = {"review": "review_deadline", "paper": "paper_closes"}


@dataclass
class NoticeResult:
    kind: str
    exam_year: int
    opens_on: date | None
    deadline: date | None
    working_days: int | None
    notice_id: int | None = None
    event: str | None = None
    #: Cases the notice moved (or, for a paper notice, gave the window).
    applied: list[int] = field(default_factory=list)
    #: (case_id, row, reasons) of cases of the cohort that refused the event.
    refused: list[tuple[int, dict, list[Text]]] = field(default_factory=list)
    #: Review notice: review_pending cases of the year given the new deadline (--update-pending).
    updated: list[int] = field(default_factory=list)
    #: Review notice: review_pending cases of the year that keep a different deadline.
    left_pending: int = 0
    #: Cases in the cohort's states without an exam year: no notice reaches them.
    without_exam_year: int = 0
    dry_run: bool = False
    #: Exam notice: the day of the year's sitting (R2a).
    sitting: date | None = None
    #: The count behind a deadline given in working days (None: given as a date).
    count: WorkdayCount | None = None

    @property
    def provisional(self) -> bool:
        """R15: the deadline was counted across a year nothing knows yet (Mon–Fri)."""
        return self.count is not None and self.count.provisional


def resolve_deadline(kind: str, opens: date | None, deadline: date | None,
                     working_days: int | None, calendar: WorkCalendar | None = None
                     ) -> date | None:
    """The notice's deadline: the date given, or N working days after the opening date
    (on `calendar`; by default chinese-calendar, then Monday to Friday)."""
    return count_deadline(kind, opens, deadline, working_days,
                          calendar or WorkCalendar())[0]


def count_deadline(kind: str, opens: date | None, deadline: date | None,
                   working_days: int | None, calendar: WorkCalendar
                   ) -> tuple[date | None, WorkdayCount | None]:
    """The deadline and, when given in working days, the count behind it (never refused
    for an unknown year: the count is then provisional, R15)."""
    spec = NOTICE_KINDS[kind]
    count = None
    if working_days is not None:
        if deadline is not None:
            raise TrackerError("notice_deadline_twice")
        if opens is None:
            raise TrackerError("notice_working_days_need_opens")
        if working_days < 1:
            raise TrackerError("notice_working_days_positive")
        count = calendar.count(opens, working_days)
        deadline = count.due
    if deadline is None and spec.deadline_required:
        raise TrackerError("notice_needs_deadline", kind=spec.label)
    if deadline is not None and opens is not None and opens > deadline:
        raise TrackerError("notice_opens_after_deadline", opens=opens.isoformat(),
                           deadline=deadline.isoformat())
    return deadline, count


def _check_sitting(kind: str, exam_year: int, sitting: date | None) -> None:
    """An exam notice gives the sitting's day, in its own year; no other notice has one."""
    if kind != "exam":
        if sitting is not None:
            raise TrackerError("notice_sitting_only_exam")
        return
    if sitting is None:
        raise TrackerError("notice_needs_sitting")
    if sitting.year != exam_year:
        raise TrackerError("notice_sitting_year", sitting=sitting.isoformat(), year=exam_year)


def _update(ctx: Context, row: dict, changes: dict[str, Any], at: str, note: str | None,
            notice_id: int | None, extra: dict[str, Any] | None = None) -> None:
    """Set data on a case without moving it, as an `update` history row naming the notice."""
    case_store.update_case(ctx.db, row["case_id"], changes, at)
    case_store.add_history(ctx.db, case_id=row["case_id"], at=at, actor=ctx.actor,
                           event=UPDATE, from_state=row["state"], to_state=row["state"],
                           note=note, data={"notice_id": notice_id, **(extra or {}),
                                            "set": changes,
                                            "before": {k: row.get(k) for k in changes}})


def add_notice(ctx: Context, *, kind: str, exam_year: int, opens: date | None = None,
               deadline: date | None = None, working_days: int | None = None,
               title: str | None = None, ref: str | None = None,
               update_pending: bool = False, dry_run: bool = False,
               sitting: date | None = None) -> NoticeResult:
    """Record a notice and apply it to its cohort, all in one transaction.

    With `dry_run` nothing is written: the result says what would happen.
    """
    if kind not in NOTICE_KINDS:
        raise TrackerError("unknown_notice_kind", kind=kind, known=", ".join(NOTICE_KINDS))
    spec = NOTICE_KINDS[kind]
    _check_sitting(kind, exam_year, sitting)
    title = (title or "").strip() or None
    ref = (ref or "").strip() or None
    at = ctx.now()
    note = title or ref
    with ctx.db.transaction():
        due, count = count_deadline(kind, opens, deadline, working_days, work_calendar(ctx))
        result = NoticeResult(kind=kind, exam_year=exam_year, opens_on=opens, deadline=due,
                              working_days=working_days, event=spec.event, dry_run=dry_run,
                              count=count, sitting=sitting)
        result.without_exam_year = store.count_without_exam_year(ctx.db, spec.states)
        if not dry_run:
            result.notice_id = store.insert_notice(ctx.db, {
                "kind": kind, "exam_year": exam_year,
                "opens_on": opens.isoformat() if opens else None,
                "deadline": due.isoformat() if due else None, "working_days": working_days,
                "title": title, "ref": ref, "recorded_at": at, "actor": ctx.actor,
                "sitting_on": sitting.isoformat() if sitting else None,
                "deadline_calendar": count.basis if count else None})
        if kind == "review":
            _review_pending(ctx, result, due, at, note, update_pending)
        if kind == "exam":
            pass  # only the sitting's day: deadlines and the sweep read it from now on
        elif spec.event is not None:
            data = {"review_deadline": due.isoformat()} if kind == "review" else {}
            bulk = case_service.fire_bulk(
                ctx, store.cohort(ctx.db, spec.states, exam_year), spec.event, note=note,
                data=data, dry_run=dry_run, extra={"notice_id": result.notice_id})
            result.applied = [r.case_id for r in bulk.applied]
            result.refused = bulk.refused
        else:
            _paper_window(ctx, result, spec, opens, due, at, note)
        if not dry_run:
            if kind in DEADLINE_FIELD:  # which notice each case's deadline came from (R15)
                store.link_deadlines(ctx.db, result.notice_id, DEADLINE_FIELD[kind],
                                     [*result.applied, *result.updated])
            store.set_applied(ctx.db, result.notice_id,
                              len(result.applied) + len(result.updated))
    return result


def _review_pending(ctx: Context, result: NoticeResult, due: date, at: str, note: str | None,
                    update_pending: bool) -> None:
    """The cases of the year already in review with another deadline: given this one
    (`--update-pending`), or counted so that the officer is told."""
    pending = case_store.list_cases(ctx.db, CaseFilter(
        states=["review_pending"], exam_year=result.exam_year))
    differing = [r for r in pending if r.get("review_deadline") != due.isoformat()]
    if not update_pending:
        result.left_pending = len(differing)
        return
    for row in differing:
        if not result.dry_run:
            _update(ctx, row, {"review_deadline": due.isoformat()}, at, note, result.notice_id)
        result.updated.append(row["case_id"])


def _paper_window(ctx: Context, result: NoticeResult, spec: NoticeKind, opens: date | None,
                  due: date, at: str, note: str | None) -> None:
    """A paper notice: the collection window on every case of the cohort."""
    window = {"paper_opens": opens.isoformat() if opens else None,
              "paper_closes": due.isoformat()}
    rows = case_store.list_cases(ctx.db, CaseFilter(case_ids=store.cohort(
        ctx.db, spec.states, result.exam_year)))
    for row in rows:
        if all(row.get(k) == v for k, v in window.items()):
            continue  # already this window: nothing to record
        if not result.dry_run:
            _update(ctx, row, window, at, note, result.notice_id)
        result.applied.append(row["case_id"])


def list_notices(ctx: Context, *, kind: str | None = None,
                 exam_year: int | None = None) -> list[dict]:
    if kind is not None and kind not in NOTICE_KINDS:
        raise TrackerError("unknown_notice_kind", kind=kind, known=", ".join(NOTICE_KINDS))
    return store.list_notices(ctx.db, kind=kind, exam_year=exam_year)


def get_notice(ctx: Context, notice_id: int) -> dict:
    row = store.get_notice(ctx.db, notice_id)
    if row is None:
        raise TrackerError("unknown_notice", id=notice_id)
    return row


def notice_object(row: dict, lang: str) -> dict[str, Any]:
    """The documented JSON object of a notice (`tracker notice list --format json`)."""
    spec = NOTICE_KINDS.get(row["kind"])
    return {
        "id": row["id"], "kind": row["kind"],
        "kind_label": spec.label.get(lang) if spec else row["kind"],
        "exam_year": row["exam_year"], "opens_on": row["opens_on"],
        "deadline": row["deadline"], "working_days": row["working_days"],
        "title": row["title"], "ref": row["ref"], "recorded_at": row["recorded_at"],
        "actor": row["actor"], "applied": row["applied"], "sitting": row.get("sitting_on"),
        "deadline_calendar": row.get("deadline_calendar"),
        "provisional": row.get("deadline_calendar") == PROVISIONAL,
        "withdrawn_at": row.get("withdrawn_at"),
    }


# --------------------------------------------------------------------------- R15: recounting


@dataclass
class Recount:
    """What a change of the working-day calendar does to one notice counted in working
    days: its new count and, when the date moves, the cases that still hold the old one."""

    notice: dict
    count: WorkdayCount
    #: case_view rows whose deadline came from the notice and still is the old date.
    cases: list[dict] = field(default_factory=list)

    @property
    def old(self) -> str | None:
        return self.notice["deadline"]

    @property
    def new(self) -> str:
        return self.count.due.isoformat()

    @property
    def moved(self) -> bool:
        return self.old != self.new

    @property
    def missed(self) -> list[int]:
        """Cases the sweep marked review missed on the old date, now that it is later."""
        if not self.moved or self.old is None or self.new < self.old:
            return []
        return [r["case_id"] for r in self.cases if r["state"] == "review_missed"]

    def to_dict(self) -> dict[str, Any]:
        notice = self.notice
        return {"notice": notice["id"], "kind": notice["kind"],
                "exam_year": notice["exam_year"], "title": notice["title"] or notice["ref"],
                "opens_on": notice["opens_on"], "working_days": notice["working_days"],
                "old": self.old, "new": self.new,
                "calendar_before": notice["deadline_calendar"],
                "calendar_after": self.count.basis,
                "cases": [r["case_id"] for r in self.cases], "missed": self.missed}


def plan_recount(ctx: Context, calendar: WorkCalendar) -> list[Recount]:
    """Every notice counted in working days whose deadline or basis differs on `calendar`.

    Nothing is written (`apply_recount` does): a change of the calendar can first be
    reported, and its record can carry what it moved.
    """
    plan = []
    for notice in store.counted_notices(ctx.db):
        count = calendar.count(date.fromisoformat(notice["opens_on"]), notice["working_days"])
        if (count.due.isoformat(), count.basis) == (notice["deadline"],
                                                     notice["deadline_calendar"]):
            continue
        item = Recount(notice, count)
        field_name = DEADLINE_FIELD.get(notice["kind"])
        if item.moved and field_name and item.old:
            item.cases = store.linked_cases(ctx.db, notice["id"], field_name, item.old)
        plan.append(item)
    return plan


def apply_recount(ctx: Context, plan: list[Recount], *, at: str, note: str | None,
                  calendar_version: int | None) -> None:
    """Write a plan: each notice's new deadline and basis; each case's new date as an
    `update` history row naming the notice and the calendar version (undo can revert it)."""
    for item in plan:
        store.set_deadline(ctx.db, item.notice["id"], item.new, item.count.basis)
        field_name = DEADLINE_FIELD.get(item.notice["kind"])
        for row in item.cases:
            _update(ctx, row, {field_name: item.new}, at, note, item.notice["id"],
                    {"calendar_version": calendar_version})


# --------------------------------------------------------------------------- corrections


@dataclass
class NoticeChange:
    """A notice corrected or withdrawn: what it did to the cases it had reached."""

    notice: dict
    change: str  # "correct" or "withdraw"
    before: str | None = None
    after: str | None = None
    #: Cases given the corrected date, or moved back (their notice row undone).
    moved: list[int] = field(default_factory=list)
    #: (case_id, why) of cases left as they are: touched since, or their date changed.
    kept: list[tuple[int, Text]] = field(default_factory=list)
    dry_run: bool = False
    count: WorkdayCount | None = None


def _open_notice(ctx: Context, notice_id: int) -> dict:
    notice = get_notice(ctx, notice_id)
    if notice.get("withdrawn_at"):
        raise TrackerError("notice_withdrawn", id=notice_id, at=notice["withdrawn_at"])
    return notice


def _record_change(ctx: Context, change: NoticeChange, at: str, note: str | None) -> None:
    import json

    store.add_change(ctx.db, {
        "notice_id": change.notice["id"], "at": at, "actor": ctx.actor,
        "change": change.change, "before": change.before, "after": change.after,
        "note": note, "moved": json.dumps(change.moved),
        "kept": json.dumps([case_id for case_id, _ in change.kept])})


def correct_notice(ctx: Context, notice_id: int, *, deadline: date | None = None,
                   working_days: int | None = None, opens: date | None = None,
                   sitting: date | None = None, note: str | None = None,
                   dry_run: bool = False) -> NoticeChange:
    """Correct a notice's deadline (a date, or N working days after its opening day) or,
    for an exam notice, its sitting. The cases that still hold the old deadline get the
    new one (an `update` history row naming the notice, which undo can revert); a case
    whose deadline was changed since keeps it and is listed. One transaction."""
    at = ctx.now()
    with ctx.db.transaction():
        notice = _open_notice(ctx, notice_id)
        kind = notice["kind"]
        if kind == "exam":
            return _correct_sitting(ctx, notice, sitting, at, note, dry_run)
        if kind not in DEADLINE_FIELD or sitting is not None:
            raise TrackerError("notice_nothing_to_correct", id=notice_id)
        opens = opens or (date.fromisoformat(notice["opens_on"]) if notice["opens_on"]
                          else None)
        due, count = count_deadline(kind, opens, deadline, working_days, work_calendar(ctx))
        change = NoticeChange(notice, "correct", notice["deadline"], due.isoformat(),
                              dry_run=dry_run, count=count)
        if change.after == change.before:
            raise TrackerError("notice_same_deadline", deadline=change.after)
        field_name = DEADLINE_FIELD[kind]
        still = store.linked_cases(ctx.db, notice_id, field_name, change.before or "")
        change.moved = [row["case_id"] for row in still]
        touched = {case_id for _, case_id in store.notice_history_rows(ctx.db, notice_id)}
        change.kept = [(case_id, Text("期限已另行修改，保持不变", "its deadline was changed "
                                      "since: left as it is"))
                       for case_id in sorted(touched - set(change.moved))]
        if not dry_run:
            for row in still:
                _update(ctx, row, {field_name: change.after}, at, note or notice["title"],
                        notice_id, {"corrects": change.before})
            store.correct_notice(ctx.db, notice_id, {
                "deadline": change.after, "deadline_calendar": count.basis if count else None,
                "working_days": working_days, "opens_on": opens.isoformat() if opens else None})
            _record_change(ctx, change, at, note)
    return change


def _correct_sitting(ctx: Context, notice: dict, sitting: date | None, at: str,
                     note: str | None, dry_run: bool) -> NoticeChange:
    """An exam notice's sitting: what the deadlines and the sweep read from now on."""
    _check_sitting("exam", notice["exam_year"], sitting)
    change = NoticeChange(notice, "correct", notice["sitting_on"], sitting.isoformat(),
                          dry_run=dry_run)
    if change.after == change.before:
        raise TrackerError("notice_same_deadline", deadline=change.after)
    if not dry_run:
        store.correct_notice(ctx.db, notice["id"], {"sitting_on": change.after})
        _record_change(ctx, change, at, note)
    return change


def withdraw_notice(ctx: Context, notice_id: int, *, note: str | None = None,
                    dry_run: bool = False) -> NoticeChange:
    """Withdraw a notice recorded by mistake: each case it moved, and nothing touched
    since, is moved back (its notice row undone, as a new history row); the others are
    listed and left as they are. The notice stays on record, marked withdrawn (an exam
    notice's sitting no longer counts). One transaction."""
    at = ctx.now()
    with ctx.db.transaction():
        notice = _open_notice(ctx, notice_id)
        change = NoticeChange(notice, "withdraw", notice["deadline"] or notice["sitting_on"],
                              None, dry_run=dry_run)
        by_case: dict[int, set[int]] = {}
        for row_id, case_id in store.notice_history_rows(ctx.db, notice_id):
            by_case.setdefault(case_id, set()).add(row_id)
        for case_id, notice_rows in by_case.items():
            rows = case_store.history(ctx.db, case_id)
            undone = {r["undoes"] for r in rows if r["undoes"]}
            left = notice_rows - undone
            if not left:
                continue  # undone already: nothing of the notice is left on the case
            since = [r for r in rows if r["id"] > min(left)]
            if any(r["id"] not in left for r in since):
                change.kept.append((case_id, Text("此后已有其他记录，保持不变",
                                                  "touched since: left as it is")))
                continue
            change.moved.append(case_id)
            for _ in range(0 if dry_run else len(left)):  # newest first, each a new row
                case_service.undo(ctx, case_id, note=note or _withdrawn_note(notice))
        if not dry_run:
            store.withdraw(ctx.db, notice_id, at)
            _record_change(ctx, change, at, note)
    return change


def _withdrawn_note(notice: dict) -> str:
    """The note of the undo rows a withdrawal writes (both languages: history is shared)."""
    return f"撤回通知 #{notice['id']} / notice #{notice['id']} withdrawn"
