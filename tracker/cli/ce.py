"""Continuing education (R9c): `tracker ce add`, `tracker ce list`, and `tracker ce-hours`
(the hours of the period recorded as a total, without course detail)."""
from __future__ import annotations

import click

from .. import i18n
from ..i18n import pick, t
from ..services import cases as case_service
from ..services import ce as ce_service
from .app import State, cli
from .output import console, escape, print_json, table


def _lang() -> str:
    return i18n.get_lang()


@cli.group("ce")
def ce() -> None:
    """Continuing education (继续教育): the course log and the hours of the period.

    Hours count for the current registration period when the course is dated within it.
    The required hours and their source are rules (`ce_hours_required`,
    `ce_hours_source` in rules.toml); until both are set, every output says the
    requirement is not configured and the renewal is not held back by hours.
    """


@ce.command("add")
@click.argument("case")
@click.option("--hours", required=True, help="Hours of the course / 学时.")
@click.option("--on", "taken_on", required=True, metavar="YYYY-MM-DD",
              help="The day of the course (or of its certificate) / 课程日期.")
@click.option("--provider", required=True, help="Who gave it / 培训机构.")
@click.option("--certificate-no", help="The number on its certificate / 学时证明编号.")
@click.option("--note", help="A note for the history.")
@click.pass_obj
def add(state: State, case, hours, taken_on, provider, certificate_no, note):
    """Log one course for CASE (undo with `tracker undo CASE`)."""
    ctx = state.context()
    case_id = case_service.resolve_case(ctx, case)
    entry = ce_service.add_course(ctx, case_id, hours=hours, taken_on=taken_on,
                                  provider=provider, certificate_no=certificate_no, note=note)
    row = case_service.get_case(ctx, case_id)
    console.print(t("ce_added", name=escape(row["name"]), hours=f"{entry.hours:g}",
                    day=entry.taken_on, provider=escape(entry.provider or ""),
                    counted=t("ce_counted" if entry.in_period else "ce_not_counted")))
    _print_status(ce_service.summary(ctx, case_id))


@ce.command("list")
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def list_command(state: State, case, fmt):
    """The courses of CASE, which count for the current period, and the period's total
    against the requirement (or that it is not configured)."""
    ctx = state.context()
    lang = _lang()
    case_id = case_service.resolve_case(ctx, case)
    found = ce_service.summary(ctx, case_id)
    if fmt == "json":
        print_json({"case_id": case_id, **ce_service.ce_object(found, lang)})
        return
    row = case_service.get_case(ctx, case_id)
    rows = [[e.taken_on or "—", f"{e.hours:g}",
             e.provider if e.id is not None else pick(ce_service.RECORDED_TOTAL),
             e.certificate_no or "", "✓" if e.in_period else "·"] for e in found.entries]
    if rows:
        console.print(table(t("ce_title", name=row["name"]),
                            [t("ce_col_day"), t("ce_col_hours"), t("ce_col_provider"),
                             t("ce_col_certificate"), t("ce_col_counted")], rows))
    else:
        console.print(t("ce_title", name=escape(row["name"])) + " — " + t("ce_none"))
    _print_status(found)


def _print_status(found: ce_service.CeSummary) -> None:
    console.print(t("ce_period", period=pick(found.period())))
    console.print(("[green]" if found.missing == 0 else "[yellow]") + escape(pick(found.status))
                  + "[/]")
    if not found.configured:
        console.print("[dim]" + escape(t("ce_not_configured_hint")) + "[/]")


@cli.command("ce-hours")
@click.argument("case")
@click.argument("hours", type=float)
@click.option("--add", "add", is_flag=True, help="Add HOURS to the period's total (default: "
              "HOURS is the new total).")
@click.option("--note", help="A note for the history (default: the hours).")
@click.pass_obj
def ce_hours(state: State, case, hours, add, note):
    """Record the continuing-education hours (继续教育学时) of the current period as a
    total, without course detail (log courses with `tracker ce add`).

    Approving a registration or a renewal starts a new period at 0.
    """
    ctx = state.context()
    case_id = case_service.resolve_case(ctx, case)
    row = case_service.get_case(ctx, case_id)
    before, after = ce_service.record_total(ctx, case_id, hours, add=add, note=note)
    found = ce_service.summary(ctx, case_id)
    console.print(t("ce_total_recorded", name=escape(row["name"]), before=f"{before:g}",
                    after=f"{after:g}", status=escape(pick(found.status))))
    if not found.configured:
        console.print("[dim]" + escape(t("ce_not_configured_hint")) + "[/]")
