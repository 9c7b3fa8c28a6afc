"""Deadline rules: the pure-Python reference, the SQL that must agree with it, working days."""
from __future__ import annotations

import contextlib
import json
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.domain import registration, workdays
from tracker.domain.deadlines import (
    KINDS,
    case_deadlines,
    due_dates,
    next_deadline,
    time_driven_event,
    window_for,
)
from tracker.domain.rules import DEFAULT_RULES, RuleError, rules_with
from tracker.domain.workflow import STATE_NAMES
from tracker.services import cases as case_service
from tracker.services import deadlines as deadline_service
from tracker.services import listing
from tracker.services.context import Context
from tracker.services.query import spec_for
from tracker.store import Database
from tracker.store import deadlines as deadline_store
from tracker.store import notices as notice_store
from tracker.store.db import open_database

from .conftest import TODAY, make_id

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True

# --------------------------------------------------------------------------- working days


def test_working_days_skip_the_national_day_holiday_and_count_adjusted_weekends():
    # 2025: Sun 09-28 was a working day, 10-01…10-08 the holiday, Sat 10-11 a working day.
    friday = date(2025, 9, 26)
    counted = [workdays.add_working_days(friday, n) for n in range(1, 8)]
    assert counted == [date(2025, 9, 28), date(2025, 9, 29), date(2025, 9, 30),
                       date(2025, 10, 9), date(2025, 10, 10), date(2025, 10, 11),
                       date(2025, 10, 13)]


def test_the_start_day_is_not_counted_and_zero_days_is_the_start_day():
    monday = date(2025, 6, 2)
    assert workdays.add_working_days(monday, 1) == date(2025, 6, 3)
    assert workdays.add_working_days(monday, 0) == monday


def test_working_days_between_agrees_with_adding_them():
    start = date(2025, 9, 20)
    for n in range(0, 25):
        end = workdays.add_working_days(start, n)
        assert workdays.working_days_between(start, end) == n


def test_a_year_the_calendar_does_not_know_is_counted_monday_to_friday_and_provisional():
    """R15: no count fails because a year is unknown; it is provisional instead."""
    unknown = workdays.library_years().stop  # the first year after the known ones
    count = workdays.LIBRARY_CALENDAR.count(date(unknown - 1, 12, 20), 30)
    assert count.provisional and count.provisional_years == (unknown,)
    assert count.basis == workdays.PROVISIONAL
    day, left = date(unknown - 1, 12, 31), 30 - workdays.working_days_between(
        date(unknown - 1, 12, 20), date(unknown - 1, 12, 31))
    while left:  # the rest of the count: Monday to Friday, no holidays
        day += timedelta(days=1)
        left -= day.weekday() < 5
    assert count.due == day
    known = workdays.LIBRARY_CALENDAR.count(date(unknown - 1, 6, 1), 5)
    assert not known.provisional and known.basis == workdays.LIBRARY


# --------------------------------------------------------------------------- the rules


def test_rules_are_checked_and_stages_sorted_largest_first():
    rules = rules_with(DEFAULT_RULES, {"reminder_stages": [1, 14, 3, 14]})
    assert rules.reminder_stages == (14, 3, 1)
    for bad in ({"exam_window_years": "2"}, {"reminder_stages": [0]},
                {"ce_hours_required": -1}, {"renewal_window_days": 10},
                {"no_such_rule": 1}, {"renewal_cutoff_days": True}):
        with pytest.raises(RuleError):
            rules_with(DEFAULT_RULES, bad)


# --------------------------------------------------------------------------- per kind


def row(**fields):
    base = {"case_id": 1, "state": "exam_passed", "ce_hours": 0.0}
    base.update(fields)
    return base


def kinds_of(found):
    return [(d.kind, d.due_on.isoformat(), d.days_left, d.overdue) for d in found]


def test_review_deadline_counts_down_and_says_what_is_missing():
    case = row(state="review_pending", review_deadline="2026-11-30")
    [deadline] = case_deadlines(case, TODAY, materials=["education_report"])
    assert (deadline.kind, deadline.days_left, deadline.overdue) == ("review_deadline", 5, False)
    assert deadline.stage == 7
    assert deadline.detail.zh == "尚缺：工作年限证明"
    [late] = case_deadlines(case, date(2026, 12, 2))
    assert (late.days_left, late.overdue, late.stage) == (-2, True, None)
    [today] = case_deadlines(case, date(2026, 11, 30))
    assert (today.days_left, today.overdue, today.stage) == (0, False, 1)


#: R9c: a configured requirement, with its source.
CONFIGURED = replace(DEFAULT_RULES, ce_hours_required=120.0, ce_hours_source="沪建（测试）")


def test_registration_deadlines_expiry_cutoff_and_missing_hours():
    case = row(state="registered", valid_until="2027-01-20", ce_hours=40.0,
               registration_no="沪2321234567")
    found = case_deadlines(case, TODAY, CONFIGURED)
    assert kinds_of(found) == [("ce_hours", "2026-12-21", 26, False),
                               ("renewal_cutoff", "2026-12-21", 26, False),
                               ("registration_expiry", "2027-01-20", 56, False)]
    assert found[0].detail.en == ("40 of 120 hours done this period (source: 沪建（测试）); "
                                  "80 missing")
    assert found[2].stages == (90, 60, 30) and found[2].stage == 60
    # R9a: the reminder names the cut-off day and says that it still counts.
    assert "2026-12-21 (that day included)" in found[1].detail.en
    assert "2026-12-21（含当日）" in found[1].detail.zh
    # R9c: unset, there is no hours deadline and the cut-off says it is not configured.
    unset = case_deadlines(case, TODAY)
    assert [d.kind for d in unset] == ["renewal_cutoff", "registration_expiry"]
    assert "not configured" in unset[0].detail.en and "未配置" in unset[0].detail.zh
    complete = case_deadlines({**case, "ce_hours": 120.0}, TODAY, CONFIGURED)
    assert [d.kind for d in complete] == ["renewal_cutoff", "registration_expiry"]
    applied = case_deadlines({**case, "state": "renewal_applied"}, TODAY)
    assert [d.kind for d in applied] == ["registration_expiry"]


def test_first_registration_limit_until_the_ce_proof_is_in():
    """R7a: from the issue date printed on the certificate, not the download day."""
    case = row(state="certified", certificate_issued_on="2023-12-16",
               certificate_date="2026-11-20")
    [limit] = case_deadlines(case, TODAY)
    assert (limit.kind, limit.due_on) == ("first_registration_limit", date(2026, 12, 16))
    assert case_deadlines(case, TODAY, materials=["ce_proof"]) == []
    leap = row(state="certified", certificate_issued_on="2024-02-29")
    assert due_dates(leap) == [("first_registration_limit", date(2027, 2, 28))]
    # Without an issue date there is no limit to count (the registration guard asks for
    # it); a re-registration (a period was counted) needs the proof anyway (R9b).
    assert due_dates(row(state="certified", certificate_date="2023-12-16")) == []
    assert due_dates({**case, "period_from": "2025-01-01"}) == []


def test_exam_window_is_the_last_sitting_that_counts_never_a_year_end_stand_in():
    """R2a: the remaining subjects are due at the sitting of the last year of the oldest
    pass's window: its day when the exam notice is recorded, else named with no day."""
    case = row(state="exam_partial", exam_year=2026,
               subjects=json.dumps({"management": 2025, "regulations": 2026}))
    [window] = case_deadlines(case, TODAY)
    assert (window.kind, window.due_on, window.days_left) == ("exam_window", None, None)
    assert window.sitting_year == 2026 and not window.overdue and window.stage is None
    assert (window.when.zh, window.days.zh) == ("2026 年度考试", "日期待公布")
    assert (window.when.en, window.days.en) == ("the 2026 sitting", "date not yet published")
    assert "专业工程管理与实务" in window.detail.zh
    assert due_dates(case) == []  # no day: nothing dated, nothing at 31 December
    recorded = {2026: date(2026, 6, 7)}
    [dated] = case_deadlines(case, TODAY, sittings=recorded)
    assert (dated.due_on, dated.overdue) == (date(2026, 6, 7), True)
    assert due_dates(case, sittings=recorded) == [("exam_window", date(2026, 6, 7))]
    # Without a pass there is no window yet: nothing to lose.
    assert case_deadlines(row(state="exam_partial", exam_year=2026), TODAY) == []


def test_paper_window_only_while_the_certificate_is_available():
    case = row(state="certificate_available", paper_opens="2026-12-01",
               paper_closes="2026-12-19", appointment="2026-12-03 09:30")
    [window] = case_deadlines(case, TODAY)
    assert (window.kind, window.days_left) == ("paper_window", 24)
    assert "2026-12-03 09:30" in window.detail.zh
    assert due_dates({**case, "state": "certified"}) == []


def test_no_deadline_from_a_date_that_is_not_a_date():
    assert due_dates(row(state="review_pending", review_deadline="2026-02-30")) == []
    assert due_dates(row(state="review_pending", review_deadline="20261201")) == []
    assert due_dates(row(state="review_pending", review_deadline=None)) == []


def test_next_deadline_is_the_soonest_and_overdue_comes_first():
    case = row(state="renewal_due", valid_until="2026-12-10", ce_hours=0.0)
    first = next_deadline(case, TODAY, CONFIGURED)
    assert (first.kind, first.overdue, first.days_left) == ("ce_hours", True, -15)


def test_rules_change_the_dates():
    rules = replace(DEFAULT_RULES, renewal_cutoff_days=60, first_registration_ce_years=2)
    assert ("renewal_cutoff", date(2026, 11, 21)) in due_dates(
        row(state="registered", valid_until="2027-01-20"), rules)
    assert due_dates(row(state="certified", certificate_issued_on="2024-01-05"), rules) == [
        ("first_registration_limit", date(2026, 1, 5))]


def test_time_driven_events_on_their_days():
    until = "2026-05-31"
    registered = row(state="registered", valid_until=until)
    assert time_driven_event(registered, date(2026, 3, 1)) is None
    assert time_driven_event(registered, date(2026, 3, 2)) == "open_renewal"  # 90 days before
    assert time_driven_event(registered, date(2026, 5, 31)) == "open_renewal"
    assert time_driven_event(registered, date(2026, 6, 1)) == "expire_registration"
    due = row(state="renewal_due", valid_until=until)
    assert time_driven_event(due, date(2026, 5, 31)) is None
    assert time_driven_event(due, date(2026, 6, 1)) == "expire_registration"
    pending = row(state="review_pending", review_deadline="2026-11-24")
    assert time_driven_event(pending, date(2026, 11, 24)) is None
    assert time_driven_event(pending, TODAY) == "miss_review"
    assert time_driven_event(row(state="review_pending"), TODAY) is None


# --------------------------------------------------------------------------- SQL = Python


days = st.dates(min_value=date(2019, 1, 1), max_value=date(2032, 12, 31))
maybe_day = st.one_of(st.none(), days.map(date.isoformat),
                      st.sampled_from(["", "2026-02-30", "2024-02-29", "2028-02-29",
                                       "2026-12-01T09:30:00", "2026-11-25 08:00",
                                       "20261201", "2026-13-01", "soon", "0999-12-31",
                                       "1000-01-01"]))
subjects = st.one_of(
    st.none(), st.just(""), st.just("[]"), st.just("{not json"),
    st.dictionaries(st.sampled_from(["management", "regulations", "practice"]),
                    st.integers(2018, 2030), max_size=3).map(json.dumps))
case_rows = st.fixed_dictionaries({
    "state": st.sampled_from(STATE_NAMES),
    "exam_year": st.one_of(st.none(), st.integers(2018, 2030)),
    "subjects": subjects,
    "review_deadline": maybe_day,
    "certificate_date": maybe_day,
    "certificate_issued_on": maybe_day,
    "valid_until": maybe_day,
    "paper_closes": maybe_day,
    "certificate_available_on": maybe_day,
    "contact_confirmed_on": maybe_day,
    "ce_hours": st.sampled_from([0.0, 24.0, 119.5, 120.0, 200.0]),
    # R7d: a CE proof of the current period, of an earlier one, or none.
    "ce_proof": st.sampled_from([None, "current", "earlier"]),
    # R7a-R9c: the current period (None: never registered) and the courses logged.
    "period_from": st.one_of(st.none(), days.map(date.isoformat)),
    "courses": st.lists(st.tuples(days.map(date.isoformat),
                                  st.sampled_from([0.5, 8.0, 24.0, 60.0])), max_size=3),
})
#: The exam sittings recorded (R2a): some years, each with a day of its own year.
sitting_sets = st.dictionaries(st.integers(2018, 2031), st.integers(120, 200), max_size=8).map(
    lambda found: {year: date(year, 1, 1) + timedelta(days=offset)
                   for year, offset in found.items()})
rule_sets = st.builds(
    lambda cutoff, extra, years, hours, window: rules_with(DEFAULT_RULES, {
        "renewal_cutoff_days": cutoff, "renewal_window_days": cutoff + extra,
        "first_registration_ce_years": years, "exam_window_years": window,
        # R9c: unset (not configured), or a figure with its source.
        **({} if hours is None else {"ce_hours_required": hours,
                                     "ce_hours_source": "沪建（测试）"})}),
    st.integers(0, 60), st.integers(0, 90), st.integers(1, 5),
    st.sampled_from([None, 0.0, 90.0, 120.0]), st.integers(1, 3))


def _insert(ctx, rows):
    """Write generated rows straight into the store (the services would refuse bad data)."""
    ids = []
    with ctx.db.transaction():
        for index, fields in enumerate(rows):
            case_id = case_service.add_case(
                ctx, name=f"测试{index}",
                id_number=make_id(f"3101121988010{index % 9 + 1}{index:03d}"),
                exam_year=fields["exam_year"], state=fields["state"])
            columns = {k: fields[k] for k in ("subjects", "review_deadline", "certificate_date",
                                              "certificate_issued_on", "valid_until",
                                              "paper_closes", "ce_hours", "period_from",
                                              "certificate_available_on")}
            case_service.store.update_case(ctx.db, case_id, columns, "2026-01-01T00:00:00")
            person = case_service.store.get_case(ctx.db, case_id)["person_id"]
            case_service.store.update_person(ctx.db, person, {
                "contact_confirmed_on": fields["contact_confirmed_on"]}, "2026-01-01T00:00:00")
            if fields["ce_proof"]:
                scope = ((fields["period_from"] or "") if fields["ce_proof"] == "current"
                         else "1999-01-01")
                case_service.store.add_material(ctx.db, case_id, "ce_proof", "2026-01-01",
                                                scope)
            for taken_on, hours in fields["courses"]:
                case_service.store.add_ce_course(ctx.db, {
                    "case_id": case_id, "taken_on": taken_on, "hours": hours,
                    "provider": "（测试）", "certificate_no": None,
                    "recorded_at": "2026-01-01T00:00:00", "actor": "tester"})
            ids.append(case_id)
    return ids


def deadline_store_materials(ctx, ids):
    return case_service.store.materials_of(ctx.db, ids)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(case_rows, min_size=1, max_size=12), rules=rule_sets, today=days,
       sittings=sitting_sets)
def test_sql_deadlines_agree_with_the_python_reference(rows, rules, today, sittings):
    with tempfile.TemporaryDirectory() as folder, Database(Path(folder) / "t.db") as database:
        ctx = Context(db=database, today=TODAY, actor="tester", today_pinned=True)
        with database.transaction():
            for year, day in sittings.items():
                notice_store.insert_notice(database, {
                    "kind": "exam", "exam_year": year, "sitting_on": day.isoformat(),
                    "recorded_at": "2026-01-01T00:00:00", "actor": "tester"})
        _check_agreement(ctx, _insert(ctx, rows), rows, rules, today, sittings)


def _check_agreement(ctx, ids, rows, rules, today, sittings):
    view = {r["case_id"]: r for r in listing.list_cases(ctx)}
    # R9c: the view's hours of the period are the Python reference's (recorded total plus
    # the courses dated in the period); R7d: the materials that count now, too.
    current = deadline_store_materials(ctx, ids)
    for case_id, fields in zip(ids, rows):
        courses = [{"taken_on": day, "hours": hours} for day, hours in fields["courses"]]
        assert view[case_id]["ce_period_hours"] == pytest.approx(
            registration.ce_period_hours(view[case_id], courses))
        assert current[case_id] == ({"ce_proof"} if fields["ce_proof"] == "current" else set())
    expected = sorted(
        (case_id, kind, day.isoformat())
        for case_id, fields in zip(ids, rows)
        for kind, day in due_dates(view[case_id], rules,
                                   ["ce_proof"] if fields["ce_proof"] == "current" else [],
                                   sittings)
        if not KINDS[kind].flag or day <= today)
    spec = spec_for(rules, today)
    assert sorted(deadline_store.all_due_dates(ctx.db, spec)) == expected
    # The sweep's selection equals the reference event of every case.
    candidates = deadline_store.time_driven_candidates(
        ctx.db, today.isoformat(), rules.renewal_window_days, rules.exam_window_years)
    by_case = {case_id: event for event, found in candidates.items() for case_id in found}
    assert by_case == {case_id: event for case_id in ids
                       if (event := time_driven_event(view[case_id], today, rules, sittings))}
    # The reminder window: each kind up to its largest stage, overdue always.
    local = replace(ctx, today=today, rules=rules)
    listed = [(i.case_id, i.deadline.kind, i.deadline.due_on)
              for i in deadline_service.due_items(local)]
    wanted = sorted(
        ((case_id, kind, date.fromisoformat(day)) for case_id, kind, day in expected
         if date.fromisoformat(day) <= today + timedelta(days=window_for(kind, rules))),
        key=lambda x: (x[2], list(KINDS).index(x[1]), x[0]))
    assert listed == wanted
    summary = deadline_service.due_summary(local)
    assert (summary.total, summary.overdue, summary.soon) == (
        len(wanted), sum(1 for _, kind, day in wanted if day < today and not KINDS[kind].flag),
        sum(1 for _, _, day in wanted if today <= day <= today + timedelta(days=7)))
    # next_deadlines (one query) equals next_deadline (per case).
    batch = deadline_service.next_deadlines(local, list(view.values()))
    for case_id, found in batch.items():
        single = deadline_service.next_deadline(local, view[case_id])
        assert found == single


class _RollBack(Exception):
    """Leaves an example's rows behind on no server (history cannot be truncated)."""


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(case_rows, min_size=1, max_size=12), rules=rule_sets, today=days,
       sittings=sitting_sets)
def test_sql_deadlines_agree_with_the_python_reference_on_postgresql(pg_db, rows, rules,
                                                                     today, sittings):
    """The same SQL, its fragments spelt for PostgreSQL, against the same reference; each
    example in one transaction rolled back, so the next starts from an empty database."""
    with open_database(pg_db) as database:
        ctx = Context(db=database, today=TODAY, actor="tester", today_pinned=True)
        with contextlib.suppress(_RollBack), database.transaction():
            for year, day in sittings.items():
                notice_store.insert_notice(database, {
                    "kind": "exam", "exam_year": year, "sitting_on": day.isoformat(),
                    "recorded_at": "2026-01-01T00:00:00", "actor": "tester"})
            _check_agreement(ctx, _insert(ctx, rows), rows, rules, today, sittings)
            raise _RollBack
