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
from .dialect import SQLITE, Dialect
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


def _in(values: Sequence[str]) -> str:
    """`(?, ?, …)`; `(NULL)` for no values (`x IN ()` is SQLite's only; `IN (NULL)` is
    never true either)."""
    return "(" + (", ".join("?" * len(values)) or "NULL") + ")"


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


def _ce_branch(spec: DeadlineSpec, cutoff: str, before_cutoff: str, dialect: Dialect
               ) -> Branch:
    """R9c: due by the renewal cut-off while the period's hours (case_view.ce_period_hours:
    the recorded total and the courses dated in it) are short — only with the required
    hours configured."""
    if spec.ce_hours_required is None:
        where, where_params = f" AND {dialect.false()}", ()
    else:
        where = (" AND (SELECT ce_period_hours FROM case_view WHERE case_view.case_id = cases.id)"
                 " < ?")
        where_params = (spec.ce_hours_required,)
    return Branch("ce_hours", cutoff, due_params=(spec.renewal_cutoff_days,), where=where,
                  where_params=where_params, narrow=before_cutoff,
                  narrow_params=(spec.renewal_cutoff_days + 1,))


def branches(spec: DeadlineSpec, dialect: Dialect = SQLITE) -> list[Branch]:
    """The deadline kinds as SQL, one branch each (the Python reference: the kinds of
    `tracker.domain.deadlines`); what the engines spell differently from `dialect`."""
    iso = dialect.iso_day
    # A raw value whose first ten characters are a day <= D sorts before D + 1 day.
    # R2: the oldest pass that counts opens the window; without subjects, the exam year.
    first_year = (f"(CASE WHEN {dialect.is_json_object('subjects')}"
                  f" THEN {dialect.min_int_value('subjects')} END)")
    # R7a: the issue date printed on the certificate, not the day it came into hand.
    issued = iso("certificate_issued_on")
    later, later_params = dialect.add_years(issued)
    valid_until = iso("valid_until")
    cutoff = dialect.sub_days(valid_until, "?")
    before_cutoff = f" AND valid_until < {dialect.add_days('?', '?')}"
    published = iso("certificate_available_on")
    # R14a: the day the contact data was last confirmed (never: the day the case was made),
    # plus N months; a day the month has not (31 January + 1 month) is its last day, as
    # in Python (SQLite would run into March).
    confirmed = ("COALESCE((SELECT " + iso("contact_confirmed_on") +
                 " FROM persons WHERE persons.id = person_id), " + iso("substr(created_at, 1, 10)")
                 + ")")
    contact_due, contact_params = dialect.add_months(confirmed)
    return [
        Branch("review_deadline", iso("review_deadline"),
               narrow=f" AND review_deadline < {dialect.next_day('?')}"),
        Branch("paper_window", iso("paper_closes"),
               narrow=f" AND paper_closes < {dialect.next_day('?')}"),
        Branch("certificate_not_collected", dialect.add_days(published, "?"),
               due_params=(spec.certificate_stale_days,),
               narrow=f" AND certificate_available_on < {dialect.sub_days_then_next('?', '?')}",
               narrow_params=(spec.certificate_stale_days,)),
        # R2a: the day of the last sitting that counts for the oldest pass, from its exam
        # notice (no notice recorded: no day, the deadline is undated).
        Branch("exam_window", "(SELECT sitting_on FROM exam_sittings"
               f" WHERE exam_year = {first_year} + ? - 1)",
               due_params=(spec.exam_window_years,)),
        Branch("contact_unconfirmed", contact_due,
               due_params=(spec.contact_stale_months,) * contact_params),
        Branch("first_registration_limit", later,
               due_params=(spec.first_registration_ce_years,) * later_params,
               # Not for a re-registration (a period was counted, R9b), nor once this
               # period's CE proof is in (R7d).
               where=" AND coalesce(period_from, '') = '' AND NOT EXISTS (SELECT 1 FROM"
                     " materials m WHERE m.case_id = cases.id AND m.item = 'ce_proof'"
                     " AND m.scope = coalesce(cases.period_from, ''))",
               # Two days of margin: 29 February (SQLite's year arithmetic gives 1 March).
               narrow=" AND certificate_issued_on < "
                      + dialect.sub_years_then_two_days("?", "?"),
               narrow_params=(spec.first_registration_ce_years,)),
        _ce_branch(spec, cutoff, before_cutoff, dialect),
        Branch("renewal_cutoff", cutoff, due_params=(spec.renewal_cutoff_days,),
               narrow=before_cutoff, narrow_params=(spec.renewal_cutoff_days + 1,)),
        Branch("registration_expiry", valid_until,
               narrow=f" AND valid_until < {dialect.next_day('?')}"),
    ]


def deadline_union(spec: DeadlineSpec, case_ids: Iterable[int] | None = None,
                   until: Mapping[str, str] | str | None = None,
                   dialect: Dialect = SQLITE) -> tuple[str, list[Any]]:
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
        only, only_params = f" AND {dialect.ids_in('id')}", [json.dumps(list(case_ids))]
    # For a few given cases, look them up by id: `+state` keeps SQLite from walking the
    # state index (50,000 registered cases) to find them.
    state = dialect.unindexed("state") if only else "state"
    parts: list[str] = []
    params: list[Any] = []
    for branch in branches(spec, dialect):
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
    dialect = database.dialect
    where, params = case_filter.where(dialect)
    first_year = dialect.min_int_value("subjects")
    selected = _selected(columns)
    sql = (f"SELECT {selected} FROM case_view WHERE state = 'exam_partial'"
           f" AND {dialect.is_json_object('subjects')}"
           f" AND {first_year} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM exam_sittings"
           f" WHERE exam_sittings.exam_year = {first_year} + ? - 1)"
           f" AND case_id IN (SELECT case_id FROM case_view{where}) ORDER BY case_id")
    all_params = [exam_window_years, *params]
    if limit is not None:
        sql += " LIMIT ?"
        all_params.append(limit)
    return list(database.query(sql, all_params))


def _due_cte(spec: DeadlineSpec, until: Mapping[str, str] | str,
             kinds: Sequence[str] | None, since: str | None = None,
             dialect: Dialect = SQLITE) -> tuple[str, list[Any]]:
    """`WITH due(...)`: the deadlines due on or before `until`, computed once.

    MATERIALIZED: SQLite would otherwise inline the date arithmetic wherever due_on is
    named (the filter, the select, the sort), evaluating it several times per row.
    """
    union, params = deadline_union(spec, until=until, dialect=dialect)
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
            f" AS {dialect.materialized()}(SELECT case_id, kind, due_on, rank FROM ({union})"
            f" AS deadlines WHERE due_on IS NOT NULL AND {' AND '.join(conditions)})",
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
    cte, params = _due_cte(spec, until, kinds, since, database.dialect)
    selected = _selected(columns)
    where, filter_params = (case_filter or CaseFilter()).where(database.dialect)
    sql = (f"{cte} SELECT {selected}, deadline_kind, deadline_due_on, deadline_rank FROM due"
           f" JOIN case_view ON case_view.case_id = due.deadline_case{where}"
           f" ORDER BY deadline_due_on, deadline_rank, deadline_case")
    all_params = [*params, *filter_params]
    if limit is not None:
        sql += " LIMIT ?"
        all_params.append(limit)
    return list(database.query(sql, all_params))


def due_summary(database: Database, spec: DeadlineSpec, *, until: Mapping[str, str] | str,
                today: str, soon_until: str, case_filter: CaseFilter | None = None,
                kinds: Sequence[str] | None = None) -> tuple[int, int, int]:
    """(all, overdue, due from today to `soon_until`) of what `due_rows` would return (a
    flag is never overdue: no official date has passed)."""
    dialect = database.dialect
    cte, params = _due_cte(spec, until, kinds, dialect=dialect)
    where, filter_params = (case_filter or CaseFilter()).where(dialect)
    join = (" JOIN case_view ON case_view.case_id = due.deadline_case" + where) if where else ""
    not_flag = f" AND deadline_kind NOT IN {_in(spec.flags)}" if spec.flags else ""
    row = database.execute(
        f"{cte} SELECT count(*),"
        f" coalesce({dialect.count_where(f'deadline_due_on < ?{not_flag}')}, 0),"
        f" coalesce({dialect.count_where('deadline_due_on >= ? AND deadline_due_on <= ?')}, 0)"
        f" FROM due{join}",
        [*params, today, *spec.flags, today, soon_until, *filter_params]).fetchone()
    return row[0], row[1], row[2]


def all_due_dates(database: Database, spec: DeadlineSpec,
                  case_ids: Iterable[int] | None = None) -> list[tuple[int, str, str]]:
    """(case_id, kind, due_on) of every deadline (of `case_ids` only, when given)."""
    union, params = deadline_union(spec, case_ids, dialect=database.dialect)
    return [tuple(r) for r in database.execute(
        f"SELECT case_id, kind, due_on FROM ({union}) AS deadlines WHERE due_on IS NOT NULL"
        f" ORDER BY case_id, due_on, rank", params)]


def due_clause(spec: DeadlineSpec, *, on_or_before: str | None = None,
               before: str | None = None, dialect: Dialect = SQLITE) -> tuple[str, list[Any]]:
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
    union, params = deadline_union(spec, until=on_or_before, dialect=dialect)
    params += kind_params
    if on_or_before is not None:
        conditions.append("due_on <= ?")
        params.append(on_or_before)
    return (f"case_id IN (SELECT case_id FROM ({union}) AS deadlines"
            f" WHERE {' AND '.join(conditions)})",
            params)


# --------------------------------------------------------------------------- the sweep


def time_driven_candidates(database: Database, today: str, renewal_window_days: int,
                           exam_window_years: int) -> dict[str, list[int]]:
    """The cases each time-driven event is due for on `today` (docs/domain.md; the sweep).

    Mirrors `tracker.domain.deadlines.time_driven_event`: expiry first (a registration
    already past its last day expires, it does not open renewal), then renewal, then review,
    then the exam passes whose window's last sitting is over (R2a).
    """
    dialect = database.dialect
    until = dialect.iso_day("valid_until")
    deadline = dialect.iso_day("review_deadline")
    queries = {
        # Each first narrows on the raw column (an index range), then checks the real day.
        "expire_registration": (
            f"SELECT id FROM cases WHERE state IN ('registered', 'renewal_due')"
            f" AND valid_until < ? AND {until} < ? ORDER BY id", [today, today]),
        "open_renewal": (
            f"SELECT id FROM cases WHERE state = 'registered' AND valid_until >= ?"
            f" AND valid_until < {dialect.add_days('?', '?')}"
            f" AND {until} >= ? AND {dialect.sub_days(until, '?')} <= ? ORDER BY id",
            [today, today, renewal_window_days + 1, today, renewal_window_days, today]),
        "miss_review": (
            f"SELECT id FROM cases WHERE state = 'review_pending' AND review_deadline < ?"
            f" AND {deadline} < ? ORDER BY id", [today, today]),
        "void_exam_passes": (
            "SELECT id FROM cases WHERE state = 'exam_partial' AND"
            f" {dialect.is_json_object('subjects')} AND EXISTS (SELECT 1 FROM"
            f" {dialect.int_values('subjects')} s JOIN exam_sittings e"
            " ON e.exam_year = s.value + ? - 1 WHERE e.sitting_on < ?) ORDER BY id",
            [exam_window_years, today]),
    }
    return {event: [r[0] for r in database.execute(sql, params)]
            for event, (sql, params) in queries.items()}


def list_by_next_deadline(database: Database, spec: DeadlineSpec, case_filter: CaseFilter, *,
                          limit: int, offset: int = 0, descending: bool = False) -> list[dict]:
    """A page of case_view rows ordered by each case's next deadline (cases without one
    last), for the case list's "sort by next deadline".

    Every case's deadlines are computed to find the soonest, so this costs what the whole
    deadline set costs (~1 s at 100,000 cases, see tests/benchmarks/bench_deadlines.py);
    the other sorts stay index scans.
    """
    union, params = deadline_union(spec, dialect=database.dialect)
    where, filter_params = case_filter.where(database.dialect)
    direction = "DESC" if descending else "ASC"
    sql = (f"WITH next(next_case, next_due) AS {database.dialect.materialized()}"
           f"(SELECT case_id, min(due_on) FROM ({union}) AS deadlines WHERE due_on IS NOT NULL"
           f" GROUP BY case_id) SELECT * FROM (SELECT v.*, n.next_due FROM case_view v"
           f" LEFT JOIN next n ON n.next_case = v.case_id) AS listed{where}"
           f" ORDER BY next_due IS NULL, next_due {direction}, case_id {direction}"
           f" LIMIT ? OFFSET ?")
    return list(database.query(sql, [*params, *filter_params, limit, offset]))
