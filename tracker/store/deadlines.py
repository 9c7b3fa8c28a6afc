"""Deadlines and time-driven events, set-based in SQL (one statement for 100,000 cases).

The pure-Python reference is `tracker.domain.deadlines` (`due_dates`,
`time_driven_event`); the tests compare this SQL with it on random rows. The two must
agree to the day, including the odd cases:

- only a well-formed ISO day (YYYY-MM-DD, a real calendar day) counts as a date: SQLite's
  `date()` passes 2026-02-30 through (and turns it into 2026-03-02 once a modifier is
  applied), Python refuses it; both ignore it here;
- adding years to 29 February gives 28 February in a common year (Python's rule), where
  SQLite's `date(d, '+3 years')` would give 1 March.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .db import Database
from .query import CaseFilter


@dataclass(frozen=True)
class DeadlineSpec:
    """The figures and state sets the deadline SQL needs (built from the domain rules)."""

    #: kind -> the states in which the case has that deadline.
    states: Mapping[str, Sequence[str]]
    #: kind -> its rank when two deadlines fall on the same day.
    rank: Mapping[str, int]
    first_registration_ce_years: int
    renewal_cutoff_days: int
    #: None: not configured (R9c) — then no case has the ce_hours deadline.
    ce_hours_required: float | None
    exam_window_years: int
    certificate_stale_days: int
    contact_stale_months: int
    #: Flags (kinds without reminder stages) are raised on their day only: with `today`,
    #: a flag due after it is no deadline yet.
    flags: tuple[str, ...] = ()
    today: str | None = None


def _iso(column: str) -> str:
    """The column's first ten characters when they are a real ISO day, else NULL."""
    day = f"substr({column}, 1, 10)"
    # '+0 days' makes SQLite normalise (2026-02-30 -> 2026-03-02): a real day is unchanged.
    # The first test is the common case (a bare day) and costs one date() call per row.
    return (f"(CASE WHEN date({column}, '+0 days') IS {column} AND {column} >= '1000'"
            f" THEN {column}"
            f" WHEN date({day}, '+0 days') = {day} AND {day} >= '1000' THEN {day} END)")


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join("?" * len(values)) + ")"


@dataclass(frozen=True)
class Branch:
    """The SQL of one deadline kind: its due day, and what narrows the rows it reads."""

    kind: str
    due: str
    due_params: tuple = ()
    #: Extra condition (beyond the states), and its parameters.
    where: str = ""
    where_params: tuple = ()
    #: With a last day D: a condition on the raw column that lets through every row due by
    #: D (an index range scan); its first `?` is D, `narrow_params` follow.
    narrow: str = ""
    narrow_params: tuple = ()


def _ce_branch(spec: DeadlineSpec, cutoff: str, before_cutoff: str) -> Branch:
    """R9c: due by the renewal cut-off while the period's hours (case_view.ce_period_hours:
    the recorded total and the courses dated in it) are short — only with the required
    hours configured."""
    if spec.ce_hours_required is None:
        where, where_params = " AND 0", ()
    else:
        where = (" AND (SELECT ce_period_hours FROM case_view WHERE case_view.case_id = cases.id)"
                 " < ?")
        where_params = (spec.ce_hours_required,)
    return Branch("ce_hours", cutoff, due_params=(spec.renewal_cutoff_days,), where=where,
                  where_params=where_params, narrow=before_cutoff,
                  narrow_params=(spec.renewal_cutoff_days + 1,))


def branches(spec: DeadlineSpec) -> list[Branch]:
    """The deadline kinds as SQL, one branch each (the Python reference: the kinds of
    `tracker.domain.deadlines`)."""
    # A raw value whose first ten characters are a day <= D sorts before D + 1 day.
    # R2: the oldest pass that counts opens the window; without subjects, the exam year.
    first_year = ("(CASE WHEN json_valid(subjects) AND json_type(subjects) = 'object'"
                  " THEN (SELECT min(value) FROM json_each(subjects) WHERE type = 'integer')"
                  " END)")
    # R7a: the issue date printed on the certificate, not the day it came into hand.
    issued = _iso("certificate_issued_on")
    later = f"date({issued}, '+' || ? || ' years')"
    valid_until = _iso("valid_until")
    cutoff = f"date({valid_until}, '-' || ? || ' days')"
    before_cutoff = " AND valid_until < date(?, '+' || ? || ' days')"
    published = _iso("certificate_available_on")
    # R14a: the day the contact data was last confirmed (never: the day the case was made),
    # plus N months; a day the month has not (31 January + 1 month) is its last day, as
    # in Python (SQLite would run into March).
    confirmed = ("COALESCE((SELECT " + _iso("contact_confirmed_on") +
                 " FROM persons WHERE persons.id = person_id), " + _iso("substr(created_at, 1, 10)")
                 + ")")
    month = f"date({confirmed}, 'start of month', '+' || ? || ' months')"
    contact_due = (f"min(date({month}, '+' || (CAST(substr({confirmed}, 9, 2) AS INTEGER) - 1)"
                   f" || ' days'), date({month}, '+1 month', '-1 day'))")
    return [
        Branch("review_deadline", _iso("review_deadline"),
               narrow=" AND review_deadline < date(?, '+1 days')"),
        Branch("paper_window", _iso("paper_closes"),
               narrow=" AND paper_closes < date(?, '+1 days')"),
        Branch("certificate_not_collected", f"date({published}, '+' || ? || ' days')",
               due_params=(spec.certificate_stale_days,),
               narrow=" AND certificate_available_on < date(?, '-' || ? || ' days', '+1 days')",
               narrow_params=(spec.certificate_stale_days,)),
        # R2a: the day of the last sitting that counts for the oldest pass, from its exam
        # notice (no notice recorded: no day, the deadline is undated).
        Branch("exam_window", "(SELECT sitting_on FROM exam_sittings"
               f" WHERE exam_year = {first_year} + ? - 1)",
               due_params=(spec.exam_window_years,)),
        Branch("contact_unconfirmed", contact_due, due_params=(spec.contact_stale_months,) * 2),
        Branch("first_registration_limit",
               f"(CASE WHEN substr({issued}, 6, 5) = '02-29'"
               f" AND {later} IS NOT printf('%04d-02-29', substr({issued}, 1, 4) + ?)"
               f" THEN printf('%04d-02-28', substr({issued}, 1, 4) + ?) ELSE {later} END)",
               due_params=(spec.first_registration_ce_years,) * 4,
               # Not for a re-registration (a period was counted, R9b), nor once this
               # period's CE proof is in (R7d).
               where=" AND coalesce(period_from, '') = '' AND NOT EXISTS (SELECT 1 FROM"
                     " materials m WHERE m.case_id = cases.id AND m.item = 'ce_proof'"
                     " AND m.scope = coalesce(cases.period_from, ''))",
               # Two days of margin: 29 February (SQLite's year arithmetic gives 1 March).
               narrow=" AND certificate_issued_on < date(?, '-' || ? || ' years', '+2 days')",
               narrow_params=(spec.first_registration_ce_years,)),
        _ce_branch(spec, cutoff, before_cutoff),
        Branch("renewal_cutoff", cutoff, due_params=(spec.renewal_cutoff_days,),
               narrow=before_cutoff, narrow_params=(spec.renewal_cutoff_days + 1,)),
        Branch("registration_expiry", valid_until,
               narrow=" AND valid_until < date(?, '+1 days')"),
    ]


def deadline_union(spec: DeadlineSpec, case_ids: Iterable[int] | None = None,
                   until: Mapping[str, str] | str | None = None) -> tuple[str, list[Any]]:
    """SQL yielding (case_id, kind, due_on, rank) for every deadline of every case.

    due_on may be NULL (a date that is not a date): callers keep `due_on IS NOT NULL`.
    With `case_ids`, only those cases (a page of `tracker list`). With `until` (one ISO day,
    or one per kind), each branch also narrows on its raw column, so that an index range
    scan (cases_state_* of migration 3) reads only the rows that can be due by then; the
    narrowing lets through every row whose exact due day is on or before `until` (callers
    still compare the exact day).
    """
    only, only_params = "", []
    if case_ids is not None:
        only, only_params = " AND id IN (SELECT value FROM json_each(?))", [
            json.dumps(list(case_ids))]
    # For a few given cases, look them up by id: `+state` keeps SQLite from walking the
    # state index (50,000 registered cases) to find them.
    state = "+state" if only else "state"
    parts: list[str] = []
    params: list[Any] = []
    for branch in branches(spec):
        states = list(spec.states[branch.kind])
        due, due_params = branch.due, list(branch.due_params)
        if branch.kind in spec.flags and spec.today is not None:
            due = f"(CASE WHEN {due} <= ? THEN {due} END)"
            due_params = [*due_params, spec.today, *due_params]
        day = until if until is None or isinstance(until, str) else until.get(branch.kind)
        narrow, narrow_params = "", []
        if day is not None and branch.narrow:
            narrow, narrow_params = branch.narrow, [day, *branch.narrow_params]
        parts.append(f"SELECT case_id, ? AS kind, {due} AS due_on, ? AS rank FROM ("
                     f"SELECT id AS case_id, * FROM cases WHERE {state} IN {_in(states)}"
                     f"{narrow}{branch.where}{only}) AS {branch.kind}")
        params.extend([branch.kind, *due_params, spec.rank[branch.kind], *states,
                       *narrow_params, *branch.where_params, *only_params])
    return "\nUNION ALL\n".join(parts), params


#: Columns of case_view a caller may ask `due_rows` for (a whitelist: never interpolate).
VIEW_COLUMNS = frozenset((
    "case_id", "person_id", "employee_no", "name", "name_pinyin", "name_initials",
    "id_number", "department", "company", "phone", "qualification", "specialty", "state",
    "exam_year", "subjects", "review_deadline", "review_submitted_on", "review_result_on",
    "certificate_available_on", "appointment", "certificate_no", "certificate_date",
    "channel", "channel_proxy", "employer", "registration_applied_on", "registration_no",
    "valid_from", "valid_until", "ce_hours", "created_at", "updated_at", "paper_opens",
    "paper_closes", "address", "contact_confirmed_on", "exempt", "postage",
    "paper_collected_on", "correction_open", "certificate_issued_on", "approved_on",
    "period_from", "seal_no", "seal_made_on", "ce_period_hours"))


def _selected(columns: Sequence[str] | None) -> str:
    if columns is None:
        return "case_view.*"
    unknown = set(columns) - VIEW_COLUMNS
    if unknown:
        raise KeyError(f"not case_view columns: {sorted(unknown)}")
    return ", ".join(f"case_view.{c}" for c in dict.fromkeys(["case_id", *columns]))


def undated_exam_rows(database: Database, case_filter: CaseFilter, exam_window_years: int,
                      columns: Sequence[str] | None = None, limit: int | None = None
                      ) -> list[dict]:
    """R2a: exam_partial cases whose remaining subjects are due at a sitting that has no
    recorded day (no exam notice of that year yet), in case order."""
    where, params = case_filter.where()
    first_year = "(SELECT min(value) FROM json_each(subjects) WHERE type = 'integer')"
    selected = _selected(columns)
    sql = (f"SELECT {selected} FROM case_view WHERE state = 'exam_partial'"
           " AND json_valid(subjects) AND json_type(subjects) = 'object'"
           f" AND {first_year} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM exam_sittings"
           f" WHERE exam_sittings.exam_year = {first_year} + ? - 1)"
           f" AND case_id IN (SELECT case_id FROM case_view{where}) ORDER BY case_id")
    all_params = [exam_window_years, *params]
    if limit is not None:
        sql += " LIMIT ?"
        all_params.append(limit)
    return list(database.db.query(sql, all_params))


def _due_cte(spec: DeadlineSpec, until: Mapping[str, str] | str,
             kinds: Sequence[str] | None, since: str | None = None) -> tuple[str, list[Any]]:
    """`WITH due(...)`: the deadlines due on or before `until`, computed once.

    MATERIALIZED: SQLite would otherwise inline the date arithmetic wherever due_on is
    named (the filter, the select, the sort), evaluating it several times per row.
    """
    union, params = deadline_union(spec, until=until)
    if isinstance(until, str):
        window, window_params = "?", [until]
    else:
        window = "CASE kind " + " ".join("WHEN ? THEN ?" for _ in until) + " END"
        window_params = [x for pair in until.items() for x in pair]
    conditions = [f"due_on <= {window}"]
    condition_params = list(window_params)
    if kinds:
        conditions.append(f"kind IN {_in(list(kinds))}")
        condition_params += list(kinds)
    if since is not None:
        conditions.append("due_on >= ?")
        condition_params.append(since)
    return (f"WITH due(deadline_case, deadline_kind, deadline_due_on, deadline_rank)"
            f" AS MATERIALIZED (SELECT case_id, kind, due_on, rank FROM ({union})"
            f" WHERE due_on IS NOT NULL AND {' AND '.join(conditions)})",
            [*params, *condition_params])


def due_rows(database: Database, spec: DeadlineSpec, *, until: Mapping[str, str] | str,
             case_filter: CaseFilter | None = None, kinds: Sequence[str] | None = None,
             limit: int | None = None, columns: Sequence[str] | None = None,
             since: str | None = None) -> list[dict]:
    """Case rows (case_view) with one deadline each, due on or before `until` (and on or
    after `since`, when given), soonest first.

    `until` is one ISO day for all kinds, or a day per kind (each kind's reminder window).
    Every overdue deadline is included (it is before any `until`). Each row carries
    `deadline_kind`, `deadline_due_on` and `deadline_rank` besides the case_view columns
    (all of them, or only `columns`: fetching fewer is most of the speed at 10,000 rows).
    """
    cte, params = _due_cte(spec, until, kinds, since)
    selected = _selected(columns)
    where, filter_params = (case_filter or CaseFilter()).where()
    sql = (f"{cte} SELECT {selected}, deadline_kind, deadline_due_on, deadline_rank FROM due"
           f" JOIN case_view ON case_view.case_id = due.deadline_case{where}"
           f" ORDER BY deadline_due_on, deadline_rank, deadline_case")
    all_params = [*params, *filter_params]
    if limit is not None:
        sql += " LIMIT ?"
        all_params.append(limit)
    return list(database.db.query(sql, all_params))


def due_summary(database: Database, spec: DeadlineSpec, *, until: Mapping[str, str] | str,
                today: str, soon_until: str, case_filter: CaseFilter | None = None,
                kinds: Sequence[str] | None = None) -> tuple[int, int, int]:
    """(all, overdue, due from today to `soon_until`) of what `due_rows` would return (a
    flag is never overdue: no official date has passed)."""
    cte, params = _due_cte(spec, until, kinds)
    where, filter_params = (case_filter or CaseFilter()).where()
    join = (" JOIN case_view ON case_view.case_id = due.deadline_case" + where) if where else ""
    not_flag = f" AND deadline_kind NOT IN {_in(spec.flags)}" if spec.flags else ""
    row = database.conn.execute(
        f"{cte} SELECT count(*), coalesce(sum(deadline_due_on < ?{not_flag}), 0),"
        f" coalesce(sum(deadline_due_on >= ? AND deadline_due_on <= ?), 0) FROM due{join}",
        [*params, today, *spec.flags, today, soon_until, *filter_params]).fetchone()
    return row[0], row[1], row[2]


def all_due_dates(database: Database, spec: DeadlineSpec,
                  case_ids: Iterable[int] | None = None) -> list[tuple[int, str, str]]:
    """(case_id, kind, due_on) of every deadline (of `case_ids` only, when given)."""
    union, params = deadline_union(spec, case_ids)
    return [tuple(r) for r in database.conn.execute(
        f"SELECT case_id, kind, due_on FROM ({union}) WHERE due_on IS NOT NULL"
        f" ORDER BY case_id, due_on, rank", params)]


def due_clause(spec: DeadlineSpec, *, on_or_before: str | None = None,
               before: str | None = None) -> tuple[str, list[Any]]:
    """A `CaseFilter.extra` clause: cases with a deadline due on/before a day, or overdue
    (due before `before`, flags excepted) (list filters)."""
    conditions = ["due_on IS NOT NULL"]
    kind_params: list[Any] = []
    if before is not None:  # before D = on or before D - 1 day, for the narrowing
        last = (date.fromisoformat(before) - timedelta(days=1)).isoformat()
        on_or_before = min(on_or_before, last) if on_or_before else last
        if spec.flags:
            conditions.append(f"kind NOT IN {_in(spec.flags)}")
            kind_params = list(spec.flags)
    union, params = deadline_union(spec, until=on_or_before)
    params += kind_params
    if on_or_before is not None:
        conditions.append("due_on <= ?")
        params.append(on_or_before)
    return (f"case_id IN (SELECT case_id FROM ({union}) WHERE {' AND '.join(conditions)})",
            params)


# --------------------------------------------------------------------------- the sweep


def time_driven_candidates(database: Database, today: str, renewal_window_days: int,
                           exam_window_years: int) -> dict[str, list[int]]:
    """The cases each time-driven event is due for on `today` (docs/domain.md; the sweep).

    Mirrors `tracker.domain.deadlines.time_driven_event`: expiry first (a registration
    already past its last day expires, it does not open renewal), then renewal, then review,
    then the exam passes whose window's last sitting is over (R2a).
    """
    until = _iso("valid_until")
    deadline = _iso("review_deadline")
    queries = {
        # Each first narrows on the raw column (an index range), then checks the real day.
        "expire_registration": (
            f"SELECT id FROM cases WHERE state IN ('registered', 'renewal_due')"
            f" AND valid_until < ? AND {until} < ? ORDER BY id", [today, today]),
        "open_renewal": (
            f"SELECT id FROM cases WHERE state = 'registered' AND valid_until >= ?"
            f" AND valid_until < date(?, '+' || ? || ' days')"
            f" AND {until} >= ? AND date({until}, '-' || ? || ' days') <= ? ORDER BY id",
            [today, today, renewal_window_days + 1, today, renewal_window_days, today]),
        "miss_review": (
            f"SELECT id FROM cases WHERE state = 'review_pending' AND review_deadline < ?"
            f" AND {deadline} < ? ORDER BY id", [today, today]),
        "void_exam_passes": (
            "SELECT id FROM cases WHERE state = 'exam_partial' AND json_valid(subjects)"
            " AND json_type(subjects) = 'object' AND EXISTS (SELECT 1 FROM json_each(subjects)"
            " s JOIN exam_sittings e ON e.exam_year = s.value + ? - 1"
            " WHERE s.type = 'integer' AND e.sitting_on < ?) ORDER BY id",
            [exam_window_years, today]),
    }
    return {event: [r[0] for r in database.conn.execute(sql, params)]
            for event, (sql, params) in queries.items()}


def list_by_next_deadline(database: Database, spec: DeadlineSpec, case_filter: CaseFilter, *,
                          limit: int, offset: int = 0, descending: bool = False) -> list[dict]:
    """A page of case_view rows ordered by each case's next deadline (cases without one
    last), for the case list's "sort by next deadline".

    Every case's deadlines are computed to find the soonest, so this costs what the whole
    deadline set costs (~1 s at 100,000 cases, see tests/benchmarks/bench_deadlines.py);
    the other sorts stay index scans.
    """
    union, params = deadline_union(spec)
    where, filter_params = case_filter.where()
    direction = "DESC" if descending else "ASC"
    sql = (f"WITH next(next_case, next_due) AS MATERIALIZED (SELECT case_id, min(due_on)"
           f" FROM ({union}) WHERE due_on IS NOT NULL GROUP BY case_id)"
           f" SELECT * FROM (SELECT v.*, n.next_due FROM case_view v"
           f" LEFT JOIN next n ON n.next_case = v.case_id){where}"
           f" ORDER BY next_due IS NULL, next_due {direction}, case_id {direction}"
           f" LIMIT ? OFFSET ?")
    return list(database.db.query(sql, [*params, *filter_params, limit, offset]))
