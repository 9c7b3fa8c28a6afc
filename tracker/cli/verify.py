"""`tracker verify`: the integrity of the file, its schema, the history's hash chain, and
every case's state against the replay of its history."""
from __future__ import annotations

import json

import click

from ..errors import EXIT_OK, EXIT_REFUSED
from ..i18n import t
from ..services.verify import Verification, verify
from .app import State, cli
from .output import console, err_console, escape


def _file_lines(result: Verification) -> list[tuple[bool, str]]:
    """Integrity, schema and hash chain: the checks of a database file."""
    lines = [(not result.integrity, t("verify_integrity_ok") if not result.integrity else
              t("verify_integrity_bad", detail="; ".join(result.integrity[:3])))]
    lines.append((result.schema is None, t("verify_schema_ok") if result.schema is None
                  else t("verify_schema_bad", detail=result.schema)))
    bad = result.chain_break
    lines.append((bad is None, t("verify_chain_ok", rows=result.history_rows) if bad is None
                  else t(f"verify_chain_{bad['reason']}", id=bad["id"], case=bad["case_id"],
                         at=bad["at"], event=bad["event"])))
    return lines


def report_lines(result: Verification) -> list[tuple[bool, str]]:
    """(held, line) for each check, in the user's language."""
    lines = [(True, t("verify_server_checks"))] if result.server else _file_lines(result)
    if not result.replay_count:
        lines.append((True, t("verify_replay_ok", cases=result.cases)))
    else:
        first = result.replay[0]
        lines.append((False, t("verify_replay_bad", count=result.replay_count, case=first.case_id,
                               state=first.state, replayed=first.replayed or "-",
                               detail=first.detail)))
    return lines


def print_report(result: Verification, *, to_stderr: bool = False) -> None:
    out = err_console if to_stderr else console
    for held, line in report_lines(result):
        mark = "[green]✓[/]" if held else "[bold red]✗[/]"
        out.print(f"{mark} {escape(line)}", soft_wrap=True)
    if not result.ok:
        out.print("[bold red]" + escape(t("verify_failed")) + "[/]", soft_wrap=True)


@cli.command("verify")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.pass_obj
def verify_command(state: State, fmt: str):
    """Check the database: file integrity, the exact schema (the append-only triggers
    among it), the history's hash chain, and that every case's state is the replay of
    its history. Names the first bad row; changes nothing.

    Exit code 0 when everything holds, 2 when something does not.
    """
    result = verify(state.context())
    if fmt == "json":
        print(json.dumps({"ok": result.ok, "integrity": result.integrity,
                          "schema": result.schema, "history_rows": result.history_rows,
                          "chain_break": result.chain_break, "cases": result.cases,
                          "replay_mismatches": result.replay_count,
                          "replay": [vars(m) for m in result.replay]},
                         ensure_ascii=False, indent=2))
    else:
        print_report(result)
    click.get_current_context().exit(EXIT_OK if result.ok else EXIT_REFUSED)
