"""Export commands: `export` (status sheets), `export-all` (the register); SVG diagrams."""
from __future__ import annotations

import os
from pathlib import Path

import click

from .. import i18n
from ..domain.workflow import WORKFLOW
from ..errors import TrackerError
from ..files import check_targets, write_private_text
from ..i18n import t
from ..services import cases as case_service
from ..services import export as service
from ..services.query import SORT_KEYS
from ..services.render import SHEET_FORMATS, render, sheet_filename
from ..services.sheet import case_sheet
from .app import State, cli, lang_option
from .options import build_query, case_filter_options
from .output import console, err_console, escape, stdout_stream, write_stdout

STDOUT = "-"


# --------------------------------------------------------------------------- export


@cli.command("export")
@click.argument("cases", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(SHEET_FORMATS), default="html",
              show_default=True,
              help="html: one self-contained file that prints on A4; md: pastes into chat "
                   "and mail; json: for programs.")
@click.option("-o", "--output", metavar="FILE|DIR|-",
              help="A file (one case), a folder (one file per case), or - for the terminal. "
                   "Default: status-<case>-<name>.<format> in the current folder.")
@click.option("--full-id", is_flag=True, help="Show full ID numbers (masked by default).")
@click.option("--force", is_flag=True, help="Replace files that exist (refused by default).")
@lang_option("Language of the export / 导出语言 (default: as the tracker).")
@click.pass_obj
def export_command(state: State, cases, fmt, output, full_id, force):
    """Status sheets: where each person's certificate stands and what to do next.

    CASE is a case id, an employee number or a full ID number; give several for one
    file each. A sheet holds the person, the main line from exam to registration with
    where the case stands, what to do next (from the official guide), deadlines with
    days left, the materials checklist and the full history.
    """
    ctx = state.context()
    lang = i18n.get_lang()
    case_ids = list(dict.fromkeys(case_service.resolve_case(ctx, ref) for ref in cases))
    if output == STDOUT:
        if len(case_ids) != 1:
            raise TrackerError("export_stdout_one_case")
        sheet = case_sheet(ctx, case_ids[0], full_id=full_id)
        write_stdout(render(sheet, fmt, lang))
        return
    target = Path(output) if output else None
    as_folder = target is None or target.is_dir() or len(case_ids) > 1 or \
        str(output).endswith(("/", os.sep))
    if as_folder and target is not None:
        if target.exists() and not target.is_dir():
            raise TrackerError("export_not_a_folder", path=target)
        target.mkdir(parents=True, exist_ok=True)
    sheets = [case_sheet(ctx, case_id, full_id=full_id) for case_id in case_ids]
    paths = [(target or Path.cwd()) / sheet_filename(sheet.case, fmt) if as_folder else target
             for sheet in sheets]
    check_targets(paths, force=force)  # every file checked before one is written
    written = []
    for sheet, path in zip(sheets, paths, strict=True):
        write_private_text(path, render(sheet, fmt, lang), replace=force)
        written.append(path)
    if len(written) == 1:
        console.print(t("export_written", path=escape(str(written[0]))), soft_wrap=True)
    else:
        console.print(t("export_written_many", count=len(written),
                        path=escape(str(target or Path.cwd()))), soft_wrap=True)
    if full_id:
        err_console.print(t("export_full_id_warning"))


# --------------------------------------------------------------------------- export-all


@cli.command("export-all")
@case_filter_options
@click.option("--format", "fmt", type=click.Choice(service.REGISTER_FORMATS), default="xlsx",
              show_default=True,
              help="xlsx: Excel workbook; csv: UTF-8 with BOM for Excel; json: for programs.")
@click.option("-o", "--output", metavar="FILE|-",
              help="The file to write (csv and json: - for the terminal). "
                   "Default: register-<today>.<format> in the current folder.")
@click.option("--sort", type=click.Choice(SORT_KEYS), default="case_id",
              show_default=True)
@click.option("--full-id", is_flag=True, help="Full ID numbers (masked by default).")
@click.option("--force", is_flag=True, help="Replace the file if it exists (refused by default).")
@lang_option("Language of the export / 导出语言 (default: as the tracker).")
@click.pass_obj
def export_all(state: State, states, search, department, company, specialty, fmt, output,
               sort, full_id, force):
    """The whole register, one row per case, with the same filters as `tracker list`.

    Each row: the person, the status, key dates, certificate and registration numbers,
    the next deadline and the days left. Cells that Excel would read as a formula
    (starting with = + - @, a tab or a line break) are prefixed with ' in CSV and XLSX.
    """
    ctx = state.context()
    lang = i18n.get_lang()
    query = build_query(states, search, department, company, specialty)
    if output == STDOUT:
        if fmt == "xlsx":
            raise TrackerError("export_binary_needs_file")
        with stdout_stream() as stream:
            count = service.export_register(ctx, query, fmt, stream, lang,
                                            full_id=full_id, sort=sort)
        err_console.print(t("export_all_written", count=count, path="-"))
        return
    path = Path(output) if output else Path.cwd() / f"register-{ctx.today.isoformat()}.{fmt}"
    if path.is_dir():
        path = path / f"register-{ctx.today.isoformat()}.{fmt}"
    check_targets([path], force=force)
    count = service.export_register(ctx, query, fmt, path, lang, full_id=full_id, sort=sort,
                                    replace=force)
    console.print(t("export_all_written", count=count, path=escape(str(path))),
                  soft_wrap=True)
    if full_id:
        err_console.print(t("export_full_id_warning"))


# --------------------------------------------------------------------------- diagram


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["mermaid", "svg"]), default="mermaid")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the file if it exists (refused by default).")
def diagram(fmt, output, force):
    """The workflow as a Mermaid state diagram (every state and event).

    --format svg draws it with Graphviz (the `dot` program must be installed).
    """
    lang = i18n.get_lang()
    if output:
        check_targets([output], force=force)
    if fmt == "svg":
        from ..services.diagram import workflow_svg

        text = workflow_svg(lang)
    else:
        text = WORKFLOW.mermaid(lang)
    if output:
        write_private_text(output, text, replace=force)
        console.print(t("export_written", path=escape(str(output))), soft_wrap=True)
    elif fmt == "svg":
        write_stdout(text)
    else:
        click.echo(text, nl=False)
