"""Commands of notices and dates: notice add/list, remind, sweep, rules, ce-hours."""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from .. import i18n
from ..domain.deadlines import KINDS, window_for
from ..domain.fields import DataError, parse_date
from ..domain.rules import RULE_LABELS
from ..domain.workflow import EVENTS, event_label, state_label
from ..errors import EXIT_OK, EXIT_PARTIAL, outcome_code
from ..files import check_targets, private_file, write_private_bytes, write_private_text
from ..i18n import pick, t
from ..services import notices as service
from ..services.deadlines import due_summary
from ..services.listing import case_rows
from ..services.reminders import reminder_object, reminders, reminders_ics, stamp_for
from ..services.rules import DEFAULT_SOURCE, load_rules
from ..services.sweep import sweep as run_sweep
from .app import State, cli
from .options import build_query, case_filter_options
from .output import (
    SafeConsole,
    console,
    err_console,
    escape,
    paragraph,
    print_json,
    table,
    weekday,
    write_stdout,
)

#: How many moved cases `tracker sweep` lists on the terminal.
SWEEP_SHOWN = 100


def _lang() -> str:
    return i18n.get_lang()


def _date_option(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_date(value)
    except DataError:
        raise click.BadParameter(t("bad_date", value=value)) from None


def _refused_rows(refused, lang: str) -> list[tuple]:
    return [(case_id, row.get("name", ""), "; ".join(pick(r, lang) for r in reasons))
            for case_id, row, reasons in refused]


# --------------------------------------------------------------------------- notice


@cli.group()
def notice():
    """Official notices (官方通知): record one and apply it to its cohort; list them."""


@notice.command("add")
@click.option("--kind", required=True, type=click.Choice(list(service.NOTICE_KINDS)),
              help="exam = 考试通知 (the sitting's date), review = 资格复核, certificate = "
                   "证书发布 (电子证书), paper = 纸质证书领取.")
@click.option("--exam-year", required=True, type=click.IntRange(1990, 2100),
              help="The exam year (考试年度) whose cases the notice concerns.")
@click.option("--opens", callback=_date_option, metavar="DATE",
              help="First day of the window (the count of --working-days starts after it).")
@click.option("--deadline", callback=_date_option, metavar="DATE",
              help="Last day (截止日), YYYY-MM-DD.")
@click.option("--working-days", type=int, metavar="N",
              help="Deadline = the N-th working day after --opens (Chinese working calendar).")
@click.option("--sitting", callback=_date_option, metavar="DATE",
              help="Exam notice: the day of that year's sitting (考试日期).")
@click.option("--title", help="The notice's title (标题), kept in every history row.")
@click.option("--ref", help="Its number (文号) or web address.")
@click.option("--update-pending", is_flag=True,
              help="Review notice: also give this deadline to cases already in review.")
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def notice_add(state: State, kind, exam_year, opens, deadline, working_days, sitting, title,
               ref, update_pending, dry_run, fmt):
    """Record a notice and apply it to its cohort in one transaction.

    An exam notice records the day of the year's sitting (the passes that stop counting
    and the reminders are dated by it); a review notice moves every exam_passed case of
    the exam year to review_pending with the deadline; a certificate notice moves every
    review_passed case to certificate_available; a paper notice sets the
    paper-collection window.
    """
    ctx = state.context()
    lang = _lang()
    result = service.add_notice(ctx, kind=kind, exam_year=exam_year, opens=opens,
                                deadline=deadline, working_days=working_days, title=title,
                                ref=ref, update_pending=update_pending, dry_run=dry_run,
                                sitting=sitting)
    refused = _refused_rows(result.refused, lang)
    code = EXIT_PARTIAL if refused else EXIT_OK
    if fmt == "json":
        print_json({
            "notice": (service.notice_object(service.get_notice(ctx, result.notice_id), lang)
                       if result.notice_id else None),
            "kind": kind, "exam_year": exam_year,
            "opens_on": opens.isoformat() if opens else None,
            "deadline": result.deadline.isoformat() if result.deadline else None,
            "sitting": sitting.isoformat() if sitting else None,
            "provisional": result.provisional,
            "deadline_calendar": result.count.basis if result.count else None,
            "event": result.event, "dry_run": dry_run, "applied": result.applied,
            "updated": result.updated, "left_pending": result.left_pending,
            "without_exam_year": result.without_exam_year,
            "refused": [{"case": c, "name": n, "reason": why} for c, n, why in refused]})
    else:
        _print_notice(ctx, result, lang)
        if refused:
            console.print(t("notice_refused", refused=len(refused)))
            console.print(table(None, [t("col_case_id"), t("col_name"), t("col_reason")],
                                refused))
    click.get_current_context().exit(code)


def _print_notice(ctx, result: service.NoticeResult, lang: str) -> None:
    """What recording the notice did (or would do): its window, the cases it moved."""
    label = service.NOTICE_KINDS[result.kind].label.get(lang)
    year, opens, deadline = result.exam_year, result.opens_on, result.deadline
    if result.dry_run:
        console.print(t("notice_dry_run", kind=label, year=year))
    else:
        console.print(t("notice_recorded", id=result.notice_id, kind=label, year=year))
    if deadline or opens:
        console.print("  " + t("notice_window", opens=opens.isoformat() if opens else "—",
                               deadline=deadline.isoformat() if deadline else "—"))
    if result.provisional:  # R15: counted Monday to Friday across an unknown year
        years = ("、" if lang == "zh" else ", ").join(map(str, result.count.provisional_years))
        console.print("[yellow]  " + escape(t(
            "notice_deadline_provisional", n=result.working_days, opens=opens.isoformat(),
            deadline=deadline.isoformat(), weekday=weekday(deadline, lang), years=years))
            + "[/]")
    elif result.working_days:
        console.print("  " + t("notice_deadline_counted", n=result.working_days,
                               opens=opens.isoformat(), deadline=deadline.isoformat(),
                               weekday=weekday(deadline, lang)))
    if result.sitting:
        console.print("  " + t("notice_sitting", year=year, sitting=result.sitting.isoformat()))
    elif result.event:
        console.print("  " + t("notice_applied", event=event_label(result.event, lang),
                               applied=len(result.applied)))
    else:
        console.print("  " + t("notice_paper_applied", applied=len(result.applied)))
    if result.updated:
        console.print("  " + t("notice_pending_updated", n=len(result.updated),
                               deadline=deadline.isoformat()))
    warnings = []
    if result.left_pending:
        warnings.append(t("notice_pending_left", n=result.left_pending, year=year))
    if result.without_exam_year:
        warnings.append(t("notice_without_year", n=result.without_exam_year))
    if result.kind == "review" and deadline and deadline < ctx.today:
        warnings.append(t("notice_deadline_passed", deadline=deadline.isoformat(),
                          today=ctx.today.isoformat()))
    for warning in warnings:
        console.print("[yellow]  " + escape(warning) + "[/]")


@notice.command("list")
@click.option("--kind", type=click.Choice(list(service.NOTICE_KINDS)))
@click.option("--exam-year", type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def notice_list(state: State, kind, exam_year, fmt):
    """The notices recorded, oldest first."""
    ctx = state.context()
    lang = _lang()
    objects = [service.notice_object(r, lang)
               for r in service.list_notices(ctx, kind=kind, exam_year=exam_year)]
    if fmt == "json":
        print_json(objects)
        return
    if not objects:
        console.print(t("notices_none"))
        return
    # The table keeps to what the officer checks; JSON has every field.
    header = [t(k) for k in ("col_notice_id", "col_kind", "col_exam_year", "col_sitting",
                             "col_opens", "col_deadline", "col_applied", "col_title",
                             "col_ref")]
    body = [[o["id"], o["kind_label"] + (" " + t("notice_withdrawn_mark")
                                         if o["withdrawn_at"] else ""),
             o["exam_year"], o["sitting"], o["opens_on"],
             _provisional_day(o["deadline"], o["provisional"]), o["applied"], o["title"],
             o["ref"]] for o in objects]
    console.print(table(t("notices_title"), header, body))
    if any(o["provisional"] for o in objects):
        console.print("[yellow]* " + escape(t("provisional_advice")) + "[/]")


@notice.command("correct")
@click.argument("notice_id", type=int)
@click.option("--deadline", callback=_date_option, metavar="DATE",
              help="The corrected deadline (截止日期), YYYY-MM-DD.")
@click.option("--working-days", type=int, metavar="N",
              help="Or: the deadline is the Nth working day after the opening day.")
@click.option("--opens", callback=_date_option, metavar="DATE",
              help="The corrected opening day (with --working-days).")
@click.option("--sitting", callback=_date_option, metavar="DATE",
              help="An exam notice: the corrected day of the sitting (考试日期).")
@click.option("--note", help="Why (kept in the history rows).")
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.pass_obj
def notice_correct(state: State, notice_id, deadline, working_days, opens, sitting, note,
                   dry_run):
    """Correct a notice recorded with a wrong deadline (or sitting).

    The cases that still hold the old deadline get the new one (a history row each,
    which undo can revert); a case whose deadline was changed since keeps it and is
    listed.
    """
    change = service.correct_notice(state.context(), notice_id, deadline=deadline,
                                    working_days=working_days, opens=opens, sitting=sitting,
                                    note=note, dry_run=dry_run)
    _print_change(change)
    click.get_current_context().exit(EXIT_PARTIAL if change.kept else EXIT_OK)


@notice.command("withdraw")
@click.argument("notice_id", type=int)
@click.option("--note", help="Why (kept in the history rows).")
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.pass_obj
def notice_withdraw(state: State, notice_id, note, dry_run):
    """Withdraw a notice recorded by mistake.

    Each case it moved, and nothing touched since, is moved back (its notice row undone,
    as a new history row); the others are listed and left as they are. The notice stays
    on record, marked withdrawn.
    """
    change = service.withdraw_notice(state.context(), notice_id, note=note, dry_run=dry_run)
    _print_change(change)
    click.get_current_context().exit(EXIT_PARTIAL if change.kept else EXIT_OK)


def _print_change(change: service.NoticeChange) -> None:
    lang = _lang()
    key = f"notice_{change.change}_{'dry_run' if change.dry_run else 'done'}"
    console.print(t(key, id=change.notice["id"], before=change.before or "—",
                    after=change.after or "—", moved=len(change.moved),
                    kept=len(change.kept)))
    if change.kept:
        console.print(table(None, [t("col_case_id"), t("col_reason")],
                            [(case_id, why.get(lang)) for case_id, why in change.kept]))


def _provisional_day(day: str | None, provisional: bool) -> str | None:
    """A date in a table, starred when it is a provisional count (R15; the footnote under
    the table says what the star means)."""
    return f"{day} *" if day and provisional else day


# --------------------------------------------------------------------------- remind


def _calendar_warning(ctx, face: str, *, record: bool = True):
    """R15's early warning for `face`, at most once a day (services.calendar)."""
    from ..services.calendar import arrangement_warning

    return arrangement_warning(ctx, face, record=record)


def _print_calendar_warning(target: Console, warning) -> None:
    for line in warning.lines():
        target.print(paragraph(line, "yellow", target))


def _style(deadline) -> str | None:
    days_left = deadline.days_left
    if days_left is None:
        return None
    if deadline.flag:  # R5a, R14a: to follow up, never overdue
        return "magenta"
    if days_left < 0:
        return "bold red"
    if days_left <= 7:
        return "yellow"
    return None


@cli.command()
@click.option("--within", type=click.IntRange(min=0), metavar="DAYS",
              help="Deadlines due within DAYS days (default: each kind's largest reminder "
                   "stage: 30 days, 90 for a registration expiry). Overdue ones always.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)),
              help="Only this kind of deadline; repeatable.")
@case_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "ics"]), default="table")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of the terminal.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists (refused by default).")
@click.option("--limit", type=click.IntRange(min=1),
              help="At most N reminders (table: 100 by default; the summary counts all).")
@click.pass_obj
def remind(state: State, within, kinds, states, search, department, company, specialty, fmt,
           output, force, limit):
    """What is due within the window and everything overdue, soonest first.

    --format ics writes a calendar (one event per deadline, an alarm at each reminder
    stage) that Outlook, Thunderbird and phone calendars import; re-importing a newer
    file updates the events instead of duplicating them.
    """
    if output:
        check_targets([output], force=force)
    ctx = state.context()
    lang = _lang()
    query = build_query(states, search, department, company, specialty)
    if fmt == "table" and limit is None:
        limit = 100  # as `list`: a terminal shows a screenful; JSON and ICS carry everything
    kinds = list(kinds) or None
    items = reminders(ctx, within=within, query=query, kinds=kinds, limit=limit)
    # Beside a table on the terminal; on stderr beside JSON or a file (kept parseable).
    _print_calendar_warning(console if fmt == "table" and not output else err_console,
                            _calendar_warning(ctx, "remind"))
    if fmt == "ics":
        data = reminders_ics(items, lang, stamp=stamp_for(ctx))
        if output:
            write_private_bytes(output, data, replace=force)
            console.print(t("ics_written", path=escape(str(output)), events=len(items)),
                          soft_wrap=True)
        else:
            write_stdout(data.decode("utf-8"))
        return
    if fmt == "json":
        # One reminder per line: valid JSON, easy to read and to diff, and written by the
        # C encoder (indent= falls back to the pure-Python one: 1 s at 10,000 reminders).
        lines = [json.dumps(reminder_object(i, lang), ensure_ascii=False) for i in items]
        text = "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
        if output:
            write_private_text(output, text, replace=force)
            console.print(t("written", path=escape(str(output))), soft_wrap=True)
        else:
            write_stdout(text)
        return
    if not output:
        _print_reminders(console, ctx, items, within, query, kinds, lang)
        return
    with private_file(output, "w", encoding="utf-8", replace=force) as handle:
        target = SafeConsole(file=handle, width=200, highlight=False, soft_wrap=False,
                             color_system=None)
        _print_reminders(target, ctx, items, within, query, kinds, lang)
    console.print(t("written", path=escape(str(output))), soft_wrap=True)


#: The reminder table's columns: (header, cell, never wrapped). A narrow terminal drops
#: department and status rather than fold dates and names into unreadable pieces.
_REMIND_COLUMNS = (
    ("col_due_on", lambda d, r, lang: _provisional_day(d.when.get(lang), d.provisional),
     True),
    ("col_days_left", lambda d, r, lang: d.days.get(lang), True),
    ("col_deadline_kind", lambda d, r, lang: d.label.get(lang), False),
    ("col_case_id", lambda d, r, lang: r["case_id"], True),
    ("col_employee_no", lambda d, r, lang: r.get("employee_no"), True),
    ("col_name", lambda d, r, lang: r["name"], True),
)
_REMIND_WIDE = (
    ("col_department", lambda d, r, lang: r.get("department"), False),
    ("col_state_label", lambda d, r, lang: state_label(r["state"], lang), False),
)
_REMIND_DETAIL = ("col_detail", lambda d, r, lang: d.detail.get(lang) if d.detail else "", False)


def _print_reminders(target: Console, ctx, items, within, query, kinds, lang: str) -> None:
    """The reminder table and its counts (which cover also what the table leaves out)."""
    if within is None:
        target.print(t("remind_window_stages", days=window_for("review_deadline", ctx.rules),
                       expiry_days=window_for("registration_expiry", ctx.rules)))
    else:
        target.print(t("remind_window_days", days=within))
    if not items:
        target.print(t("remind_none"))
        return
    # What does not fit the terminal is left out from the right (tracker.cli.output.table):
    # the day, the days left, the deadline and the name stay.
    columns = [*_REMIND_COLUMNS, *_REMIND_WIDE, _REMIND_DETAIL]
    target.print(table(t("remind_title", today=ctx.today.isoformat()),
                       [t(key) for key, _, _ in columns],
                       [[cell(item.deadline, item.row, lang) for _, cell, _ in columns]
                        for item in items],
                       width=target.width, keep=(0, 1, 2, 5),
                       row_styles=[_style(item.deadline) for item in items]))
    if any(item.deadline.provisional for item in items):
        target.print("* " + escape(t("provisional_advice")), soft_wrap=True)
    summary = due_summary(ctx, within=within, query=query, kinds=kinds, undated=True)
    target.print(t("remind_summary", total=summary.listed, overdue=summary.overdue,
                   soon=summary.soon))
    if len(items) < summary.listed:
        target.print(t("remind_more", shown=len(items), total=summary.listed))


# --------------------------------------------------------------------------- sweep


@cli.command()
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def sweep(state: State, dry_run, fmt):
    """Apply the events whose date has come, as actor `system` (巡检).

    miss_review after the review deadline, open_renewal when the renewal window opens,
    expire_registration after the last valid day, void_exam_passes once the sitting that
    ends a pass's window is over. It also lists what is flagged to follow up (a
    certificate not collected, contact data not confirmed), moving nothing. Running it
    again changes nothing. Schedule it daily (cron, Task Scheduler) or run it before
    `tracker remind`.
    """
    ctx = state.context()
    lang = _lang()
    result = run_sweep(ctx, dry_run=dry_run)
    warning = _calendar_warning(ctx, "sweep", record=not dry_run)
    if fmt == "json":
        print_json({"today": result.today, "dry_run": dry_run, "events": {
            event: {"applied": [r.case_id for r in bulk.applied],
                    "refused": [{"case": c, "name": n, "reason": why}
                                for c, n, why in _refused_rows(bulk.refused, lang)]}
            for event, bulk in result.results.items()},
            "flagged": [_flag_object(item, lang) for item in result.flagged],
            "calendar_warning": {"missing_years": warning.missing,
                                 "recount": warning.recount} if warning else None})
    else:
        _print_sweep(ctx, result, dry_run, lang)
        _print_flagged(result.flagged, lang)
        _print_calendar_warning(console, warning)
    click.get_current_context().exit(outcome_code(result.applied, result.refused))


def _flag_object(item, lang: str) -> dict:
    deadline = item.deadline
    return {"case_id": item.case_id, "employee_no": item.row.get("employee_no"),
            "name": item.row["name"], "kind": deadline.kind, "label": deadline.label.get(lang),
            "since": deadline.due_on.isoformat() if deadline.due_on else None,
            "detail": deadline.detail.get(lang) if deadline.detail else None}


def _print_flagged(flagged: list, lang: str) -> None:
    """R5a, R14a: what to follow up, with the advice (moves nothing)."""
    if not flagged:
        return
    rows = [[o["case_id"], o["employee_no"], o["name"], o["label"], o["since"], o["detail"]]
            for o in map(lambda item: _flag_object(item, lang), flagged[:SWEEP_SHOWN])]
    console.print(table(t("sweep_flagged", n=len(flagged)),
                        [t("col_case_id"), t("col_employee_no"), t("col_name"),
                         t("col_deadline_kind"), t("col_due_on"), t("col_note")], rows))


def _print_sweep(ctx, result, dry_run: bool, lang: str) -> None:
    """The sweep as text: the counts per event, the cases moved (a screenful), refusals."""
    if result.applied == 0 and result.refused == 0:
        console.print(t("sweep_nothing", today=result.today))
    else:
        key = "sweep_dry_run" if dry_run else "sweep_done"
        console.print(t(key, today=result.today, applied=result.applied,
                        refused=result.refused))
        rows = []
        for event, bulk in result.results.items():
            if bulk.applied:
                console.print("  " + t("sweep_event", event=event_label(event, lang),
                                       n=len(bulk.applied)))
            # The cases moved, a screenful at most (`--format json` lists every one).
            shown = [r.case_id for r in bulk.applied][:max(SWEEP_SHOWN - len(rows), 0)]
            detail = case_rows(ctx, shown) if shown else []
            for row in detail:
                rows.append([row["case_id"], row.get("employee_no"), row["name"],
                             event_label(event, lang),
                             state_label(row["state"] if not dry_run else
                                         EVENTS[event].dest, lang)])
        if rows:
            console.print(table(None, [t("col_case_id"), t("col_employee_no"), t("col_name"),
                                       t("col_event"), t("col_state_label")], rows))
            if len(rows) < result.applied:
                console.print(t("sweep_more", shown=len(rows), total=result.applied))
        refused = [r for bulk in result.results.values()
                   for r in _refused_rows(bulk.refused, lang)]
        if refused:
            console.print(table(t("refused"), [t("col_case_id"), t("col_name"),
                                               t("col_reason")], refused))


# --------------------------------------------------------------------------- rules


def _toml_value(value) -> str:
    """A rule's value as TOML writes it (text quoted)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "toml"]), default="table")
@click.pass_obj
def rules(state: State, fmt):
    """The rules in force, and where each value came from (default or your rules file).

    Your file is rules.toml next to the database; it needs only the rules you change.
    `--format toml` prints the effective rules as a file to start from.
    """
    lang = _lang()
    effective = load_rules(state.path)
    values = effective.values()
    if fmt == "json":
        print_json({"rules": {k: list(v) if isinstance(v, tuple) else v
                              for k, v in values.items()},
                    "sources": effective.sources,
                    "user_file": str(effective.user_file),
                    "user_file_exists": effective.user_file_exists})
        return
    if fmt == "toml":
        for name, value in values.items():
            click.echo(f"# {RULE_LABELS[name].get(lang)}")
            # an unset rule (R9c) stays a comment: TOML has no "nothing"
            click.echo(f"# {name} =   ({t('rules_unset')})" if value is None
                       else f"{name} = {_toml_value(value)}")
        return
    rows = []
    for name, value in values.items():
        source = effective.sources[name]
        shown = t("rules_unset") if value is None else _toml_value(value)
        rows.append([name, RULE_LABELS[name].get(lang), shown,
                     t("rules_source_default") if source == DEFAULT_SOURCE else source])
    console.print(table(t("rules_title"), [t("col_rule"), t("col_meaning"), t("col_value"),
                                           t("col_source")], rows))
    console.print(t("rules_user_file", path=escape(str(effective.user_file))),
                  soft_wrap=True)
    if not effective.user_file_exists:
        console.print("  " + t("rules_user_file_missing"))


# --------------------------------------------------------------------------- staff messages


@notice.command("message")
@click.argument("notice_id", metavar="NOTICE", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (private) instead of the terminal.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists (refused by default).")
@click.option("--dry-run", is_flag=True, help="Write the messages; record nothing.")
@click.pass_obj
def notice_message(state: State, notice_id, fmt, output, force, dry_run):
    """One message per person the notice concerns, for a bulk-SMS platform or a WeCom mass
    message: name, phone and what to do by when (from the guidance, for the person: no
    instructions for the officer). Records "told on today" for each case.
    """
    from ..services import staff_messages as messages_service

    if output:  # before "told on today" is recorded: a refused file changes nothing
        check_targets([output], force=force)
    ctx = state.context()
    lang = _lang()
    found = messages_service.notice_messages(ctx, notice_id, lang, record=not dry_run)
    if fmt == "json":
        text = json.dumps([m.to_dict() for m in found], ensure_ascii=False, indent=2) + "\n"
    else:
        text = messages_service.messages_csv(
            found, [t(f"col_{c}") for c in messages_service.COLUMNS[:-1]] + [t("col_text")])
    if output:
        write_private_text(output, text, replace=force)
    else:
        write_stdout(text)
    target = console if output else err_console
    if not found:
        target.print(t("staff_messages_none", id=notice_id))
    elif output:
        target.print(t("staff_messages_written", id=notice_id, n=len(found),
                       path=escape(str(output)), today=ctx.today.isoformat()), soft_wrap=True)
    if dry_run:
        target.print(t("staff_messages_dry_run"))
