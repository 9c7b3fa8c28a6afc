"""Core commands: add, list, show, event, bulk, material, undo, history, diagram."""
from __future__ import annotations

from pathlib import Path

import click

from .. import i18n
from ..domain import reference
from ..domain.deadlines import Deadline
from ..domain.workflow import (
    EVENTS,
    event_label,
    resolve_event,
    state_label,
)
from ..errors import TrackerError, outcome_code
from ..i18n import pick, t
from ..services import cases as service
from ..services import deadlines as deadline_service
from ..services import registration as registration_service
from ..services.ce import ce_object
from ..services.query import SORT_KEYS, CaseQuery
from ..services.sheet import CaseSheet, HistoryLine, case_sheet, history_line, labelled
from ..services.views import case_object, history_object
from .app import State, cli
from .options import build_query, case_filter_options, state_names
from .output import console, escape, print_csv, print_json, table


def _lang() -> str:
    return i18n.get_lang()


def _parse_sets(pairs: tuple[str, ...]) -> dict[str, str]:
    data: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise TrackerError("bad_set", pair=pair)
        data[key.strip()] = value
    return data


def _event_name(value: str) -> str:
    name = resolve_event(value)
    if name is None:
        raise TrackerError("unknown_event", event=value, known=", ".join(EVENTS))
    return name


# --------------------------------------------------------------------------- add


@cli.command()
@click.option("--name", required=True, help="Full name / 姓名.")
@click.option("--id-number", required=True, help="Resident ID number / 身份证号.")
@click.option("--employee-no", help="Employee number / 工号.")
@click.option("--specialty", help="Specialty / 专业 (e.g. 建筑工程 or building).")
@click.option("--department", help="Department / 部门.")
@click.option("--company", help="Company (the employer for registration) / 公司.")
@click.option("--phone", help="Mobile, or landline with area code / 手机或带区号的固定电话.")
@click.option("--address", help="Postal address / 通讯地址.")
@click.option("--contact-confirmed-on", metavar="YYYY-MM-DD",
              help="When phone and address were last confirmed with the person / 联系方式确认日期.")
@click.option("--exam-year", type=int, help="Exam year / 考试年度.")
@click.option("--state", "initial_state", help="Starting state (default exam_passed) / 初始状态.")
@click.option("--note", help="A note for the history.")
@click.pass_obj
def add(obj: State, initial_state, **options):
    """Add one person and case (the bulk path is `tracker import`)."""
    ctx = obj.context()
    case_id = service.add_case(ctx, state=initial_state, **options)
    row = service.get_case(ctx, case_id)
    console.print(t("added", case_id=case_id, name=escape(row["name"]),
                    state=state_label(row["state"], _lang())))


# --------------------------------------------------------------------------- list

LIST_COLUMNS = ("case_id", "employee_no", "name", "department", "specialty", "state_label",
                "exam_year", "valid_until")


@cli.command("list")
@case_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--limit", type=click.IntRange(min=1), help="At most N cases (table: 100 by default).")
@click.option("--sort", type=click.Choice(SORT_KEYS), default="case_id")
@click.option("--full-id", is_flag=True, help="Show full ID numbers (masked by default).")
@click.option("--due-within", type=click.IntRange(min=0), metavar="DAYS",
              help="Only cases with a deadline due within DAYS days (overdue ones included).")
@click.option("--overdue", is_flag=True, help="Only cases with an overdue deadline.")
@click.pass_obj
def list_command(state: State, states, search, department, company, specialty, fmt, limit,
                 sort, full_id, due_within, overdue):
    """List cases, filtered; JSON and CSV are for other programs."""
    from ..services import listing  # the listing queries: only for many cases

    ctx = state.context()
    if due_within is not None and overdue:
        raise click.UsageError(t("list_due_conflict"))
    query = build_query(states, search, department, company, specialty,
                        due_within=due_within, overdue=overdue)
    by_deadline = due_within is not None or overdue
    if fmt == "table" and limit is None:
        limit = 100
    rows = listing.list_cases(ctx, query, limit=limit, sort=sort)
    upcoming = deadline_service.next_deadlines(ctx, rows)
    objects = [case_object(r, _lang(), full_id, deadline=upcoming[r["case_id"]]) for r in rows]
    if fmt == "json":
        print_json(objects)
        return
    if fmt == "csv":
        header = list(objects[0]) if objects else list(case_object(_EMPTY_ROW, _lang(),
                                                                    deadline=None))
        print_csv(header, ([o[k] for k in header] for o in objects))
        return
    total = listing.count_cases(ctx, query)
    header = [t(f"col_{c}") for c in LIST_COLUMNS]
    body = ([o["case_id"], o["employee_no"], o["name"], o["department"], o["specialty_label"],
             o["state_label"], o["exam_year"], o["valid_until"]] for o in objects)
    if by_deadline:  # the deadline that put the case on the list
        header += [t("col_next_deadline"), t("col_due_on")]
        body = ([*cells, o["next_deadline_label"], _due_cell(o, upcoming[o["case_id"]])]
                for cells, o in zip(body, objects))
    # At 80 columns: the case, the name and (by deadline) the deadline stay; the rest goes.
    console.print(table(None, header, body, keep=(0, 2, 8, 9) if by_deadline else (0, 2)))
    console.print(t("shown_of", shown=len(objects), total=total))


_EMPTY_ROW = {"case_id": 0, "name": "", "id_number": "", "state": "exam_passed"}


def _due_cell(obj: dict, deadline: Deadline | None) -> str:
    """"2027-01-05 (还有 34 天)", with "暂定" when the date is a provisional count (R15)."""
    if deadline is None or deadline.due_on is None:
        return ""
    mark = f", {t('provisional_mark')}" if obj.get("next_deadline_provisional") else ""
    return f"{obj['next_deadline']} ({pick(deadline.days)}{mark})"


# --------------------------------------------------------------------------- show


@cli.command()
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--full-id", is_flag=True, help="Show the full ID number.")
@click.pass_obj
def show(state: State, case, fmt, full_id):
    """One case: state, data, materials, history and the events allowed now.

    CASE is the case id, the employee number or the full ID number.
    """
    ctx = state.context()
    lang = _lang()
    sheet = case_sheet(ctx, service.resolve_case(ctx, case), full_id=full_id)
    registration = registration_service.registration_sheet(ctx, sheet.case["case_id"])
    if fmt == "json":
        deadlines = sheet.deadlines or []
        obj = case_object(sheet.case, lang, full_id, deadline=deadlines[0] if deadlines else None)
        obj["deadlines"] = [deadline_service.deadline_object(d, lang) for d in deadlines]
        obj["allowed_events"] = sheet.allowed_events
        obj["materials"] = sorted(m.key for m in sheet.materials if m.received_on)
        _registration_json(obj, registration, lang)
        obj["history"] = [history_object(h, full_id) for h in sheet.records]
        obj["last_notified"] = sheet.last_told
        print_json(obj)
        return
    _print_sheet(sheet, lang)
    _print_registration(registration, lang)
    _print_history(sheet.history, lang)


def _registration_json(obj: dict, registration, lang: str) -> None:
    """R7a–R7d, R9c: the current and earlier registrations, every material row with what
    it counts for, the continuing education of the period (docs/json.md)."""
    obj["registration"] = registration_service.registration_object(registration.current, lang)
    obj["earlier_registrations"] = [registration_service.registration_object(r, lang)
                                    for r in registration.earlier]
    obj["material_records"] = [registration_service.material_object(m, lang)
                               for m in registration.materials]
    obj["ce"] = ce_object(registration.ce, lang)


def _print_registration(registration, lang: str) -> None:
    """The registration, the earlier ones, materials that no longer count, and CE."""
    heading = None
    for title, line in registration_service.registration_lines(registration, lang):
        if title != heading:
            console.print(f"[bold]{escape(title)}[/]")
            heading = title
        console.print("  " + escape(line))
    if registration.earlier_materials:
        console.print(f"[bold]{t('materials_earlier')}[/]")
        for m in registration.earlier_materials:
            scope = t("material_for", scope=pick(m.scope_label)) if m.scope_label else ""
            console.print(f"  [dim]· {escape(m.label.get(lang))}{escape(scope)}"
                          f"  ({m.received_on})[/]")


def _print_sheet(sheet: CaseSheet, lang: str) -> None:
    """The case as text: who, where it stands, its data, deadlines, materials, events."""
    row, status = sheet.case, sheet.state
    console.print(f"[bold]{escape(row['name'])}[/]  " + t("case_no", case_id=row["case_id"]))
    console.print(f"{t('col_state_label')}: [bold cyan]{escape(status.label.get(lang))}[/]"
                  f" ({row['state']}) · {t('stage')}: {sheet.stage.get(lang)}")
    console.print(f"  {escape(status.meaning.get(lang))}")
    told = sheet.told_text()
    if told:
        console.print("  " + escape(t("sheet_last_told", when=told.get(lang))))
    for label, value in labelled(sheet.person()[1:] + sheet.data(), lang):
        console.print(f"  {label}: {escape(value)}")
    if sheet.deadlines:
        console.print(f"[bold]{t('deadlines')}[/]")
        for d in sheet.deadlines:
            style = ("magenta" if d.flag else "bold red" if d.overdue else "yellow"
                     if d.days_left is not None and d.days_left <= 7 else "default")
            more = f" — {escape(d.detail.get(lang))}" if d.detail else ""
            mark = f" [{t('provisional_mark')}]" if d.provisional else ""
            console.print(f"  [{style}]{escape(d.when.get(lang))}{escape(mark)}  "
                          f"{escape(d.label.get(lang))} ({escape(d.days.get(lang))})[/]{more}")
            if d.provisional:  # R15: counted Monday to Friday, recomputed when recorded
                console.print("    [yellow]" + escape(t("provisional_advice")) + "[/]")
    _print_officer_steps(sheet, lang)
    console.print(f"[bold]{t('materials')}[/]")
    for m in sheet.materials:
        mark = "[green]✓[/]" if m.received_on else "[dim]·[/]"
        when = f"  ({m.received_on})" if m.received_on else ""
        console.print(f"  {mark} {escape(m.label.get(lang))} [dim]{m.key}[/]{when}")
    console.print(f"[bold]{t('allowed_events')}[/]")
    for event in sheet.allowed_events:
        blockers = sheet.blockers.get(event) or []
        why = ("[yellow] — " + escape("; ".join(pick(b) for b in blockers)) + "[/]"
               if blockers else "")
        fields = EVENTS[event].fields
        needs = (" [dim](--set " + ", ".join(fields) + ")[/]") if fields else ""
        console.print(f"  {event}  {escape(event_label(event, lang))}{needs}{why}")


def _print_officer_steps(sheet: CaseSheet, lang: str) -> None:
    """What the officer records next (R17: the officer's lines of the guidance, with the
    rules they rest on; the person's own text is on the status sheet)."""
    steps = [s for s in sheet.steps if s.officer]
    if not steps:
        return
    console.print(f"[bold]{t('officer_next')}[/]")
    for step in steps:
        rules = f" [dim]({', '.join(step.rules)})[/]" if step.rules else ""
        console.print(f"  • {escape(step.title.get(lang))}: {escape(step.officer.get(lang))}"
                      f"{rules}")


def _print_history(lines: list[HistoryLine], lang: str) -> None:
    header = [t("col_at"), t("col_event"), t("col_from"), t("col_to"), t("col_actor"),
              t("col_note")]
    body = [[h.at, h.label.get(lang) + (f" (#{h.undoes})" if h.undoes else ""),
             state_label(h.from_state, lang) if h.from_state else "",
             state_label(h.to_state, lang), h.actor, h.note or ""] for h in lines]
    console.print(table(t("history"), header, body))


# --------------------------------------------------------------------------- event


def _print_changes(outcome, lang: str) -> None:
    for key, value in outcome.changes.items():
        if key in ("subjects",) or key.startswith("_"):
            continue
        console.print(f"  {escape(key)} = {escape(str(value))}")


@cli.command()
@click.argument("case")
@click.argument("event")
@click.option("--note", help="A note for the history.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Data the event records, e.g. registration_no=…; repeatable.")
@click.pass_obj
def event(state: State, case, event, note, sets):
    """Fire one EVENT on CASE (name or label of the event, e.g. submit_review or 提交复核材料).

    A refused event says why (the failed guard) and which events are allowed now.
    """
    ctx = state.context()
    lang = _lang()
    name = _event_name(event)
    data = _parse_sets(sets)
    case_id = service.resolve_case(ctx, case)
    result = service.fire_event(ctx, case_id, name, note=note, data=data)
    row = service.get_case(ctx, case_id)
    outcome = result.outcome
    console.print(t("fired", name=escape(row["name"]), event=event_label(name, lang),
                    from_=state_label(outcome.from_state, lang),
                    to=state_label(outcome.to_state, lang)))
    _print_changes(outcome, lang)
    # R7a: an approval's date starts the validity; one not given is today, and said so.
    if "approved_on" in outcome.changes and not ({"approved_on", "valid_from"} & set(data)):
        console.print("[yellow]" + escape(t("approved_on_default",
                                            day=outcome.changes["approved_on"])) + "[/]")


# --------------------------------------------------------------------------- bulk


def _ids_from_file(ctx, path: Path) -> tuple[list[int], list[tuple[str, str]]]:
    ids, unknown = [], []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        lines = path.read_text(encoding="gb18030").splitlines()
    for line in lines:
        ref = line.split("#", 1)[0].strip().split(",")[0].strip()
        if not ref:
            continue
        try:
            ids.append(service.resolve_case(ctx, ref))
        except TrackerError as error:
            unknown.append((ref, t(error.key, **error.params)))
    return list(dict.fromkeys(ids)), unknown


@cli.command()
@click.argument("event")
@click.option("--state", "states", multiple=True, help="Cases in this state; repeatable.")
@click.option("--ids-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file of case ids, employee numbers or ID numbers, one per line.")
@click.option("--search", help="Cases matching this search (as in `list`).")
@click.option("--note", help="A note for every history row.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE")
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def bulk(state: State, event, states, ids_file, search, note, sets, dry_run, fmt):
    """Fire EVENT on many cases in one transaction; report each refusal with its reason."""
    from ..services import listing  # the listing queries: only for many cases

    if not (states or ids_file or search):
        raise click.UsageError(t("bulk_needs_selection"))
    ctx = state.context()
    lang = _lang()
    name = _event_name(event)
    data = _parse_sets(sets)
    unknown: list[tuple[str, str]] = []
    if ids_file:
        case_ids, unknown = _ids_from_file(ctx, ids_file)
        if states or search:
            narrowed = set(listing.case_ids(ctx, CaseQuery(
                states=state_names(states), search=search, case_ids=case_ids)))
            case_ids = [i for i in case_ids if i in narrowed]
    else:
        case_ids = listing.case_ids(ctx, CaseQuery(states=state_names(states), search=search))
    result = service.bulk_event(ctx, case_ids, name, note=note, data=data, dry_run=dry_run)
    refused = [(case_id, row.get("name", ""), "; ".join(pick(r, lang) for r in reasons))
               for case_id, row, reasons in result.refused]
    refused += [(ref, "", reason) for ref, reason in unknown]
    if fmt == "json":
        print_json({"event": name, "dry_run": dry_run, "matched": len(case_ids) + len(unknown),
                    "applied": [r.case_id for r in result.applied],
                    "refused": [{"case": c, "name": n, "reason": why} for c, n, why in refused]})
    else:
        key = "bulk_dry_run" if dry_run else "bulk_done"
        console.print(t(key, event=event_label(name, lang), applied=len(result.applied),
                        refused=len(refused)))
        if refused:
            console.print(table(t("refused"), [t("col_case_id"), t("col_name"), t("col_reason")],
                                refused))
    click.get_current_context().exit(outcome_code(len(result.applied), len(refused)))


# --------------------------------------------------------------------------- material, undo, history


@cli.command()
@click.argument("case")
@click.argument("item")
@click.option("--remove", is_flag=True, help="Mark the item as not received.")
@click.option("--employer", help="For a labour contract: the employer it is with "
              "(default: the case's employer, else the person's company) / 聘用单位.")
@click.pass_obj
def material(state: State, case, item, remove, employer):
    """Mark ITEM received for CASE (or not, with --remove).

    Items: education_report, work_years_proof, id_card_original, admission_ticket,
    diploma_original, proxy_authorization, principal_id_copy, agent_id, labour_contract,
    ce_proof, police_certificate (or their Chinese names). A labour contract counts for
    its employer only, a CE proof for the registration period it was received in.
    """
    ctx = state.context()
    case_id = service.resolve_case(ctx, case)
    changed = service.set_material(ctx, case_id, item, received=not remove,
                                   employer=employer)
    key = service.resolve_material(item)
    label = pick(reference.MATERIALS[key])
    if not changed:
        console.print(t("material_unchanged", item=label))
    else:
        console.print(t("material_removed" if remove else "material_added", item=label))


@cli.command()
@click.argument("case")
@click.option("--note", help="Why it is undone.")
@click.pass_obj
def undo(state: State, case, note):
    """Undo the last event of CASE, as a new history row (nothing is ever deleted)."""
    ctx = state.context()
    lang = _lang()
    case_id = service.resolve_case(ctx, case)
    target = service.undo(ctx, case_id, note=note)
    row = service.get_case(ctx, case_id)
    event_name = target["event"]
    label = event_label(event_name, lang)
    console.print(t("undone", event=label, name=escape(row["name"]),
                    state=state_label(row["state"], lang)))


@cli.command()
@click.argument("case", required=False)
@click.option("--all", "all_cases", is_flag=True,
              help="The whole audit trail: every history row of every case (CSV by default).")
@click.option("--since", metavar="YYYY-MM-DD", help="With --all: rows from this day on.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]))
@click.option("--full-id", is_flag=True, help="Full ID numbers (masked by default).")
@click.pass_obj
def history(state: State, case, all_cases, since, fmt, full_id):
    """The full history of CASE, oldest first; or, with --all, of every case.

    History rows are never changed or deleted: `--all` is the complete audit trail.
    """
    if all_cases == (case is not None):
        raise TrackerError("history_case_or_all" if case is not None else "history_needs_case")
    if since is not None and not all_cases:
        raise TrackerError("history_since_needs_all")
    ctx = state.context()
    if all_cases:
        from datetime import date

        from ..services.audit import audit_trail
        from .audit import write_csv, write_json

        try:
            day = date.fromisoformat(since) if since is not None else None
        except ValueError:
            raise TrackerError("bad_since", value=since) from None
        if fmt == "table":
            raise TrackerError("history_table_needs_case")
        rows = audit_trail(ctx, since=day, full_id=full_id)
        (write_json if fmt == "json" else write_csv)(rows)
        return
    case_id = service.resolve_case(ctx, case)
    rows = service.history(ctx, case_id)
    if fmt == "json":
        print_json([history_object(r, full_id) for r in rows])
    elif fmt == "csv":
        from ..services.audit import audit_trail
        from .audit import write_csv

        write_csv(audit_trail(ctx, case_id=case_id, full_id=full_id))
    else:
        _print_history([history_line(r, full_id) for r in rows], _lang())
