"""`tracker backup [FILE]` and `tracker restore FILE`."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import EXIT_PARTIAL
from ..i18n import t
from ..services import backup as service
from ..services.rules import load_rules
from ..services.verify import verify
from .app import State, cli
from .output import console, err_console, escape, table
from .verify import print_report


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)


@cli.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--list", "list_only", is_flag=True,
              help="List the backups in the backups folder next to the database.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists (refused by default).")
@click.pass_obj
def backup(state: State, file: Path | None, list_only: bool, force: bool):
    """Copy the database to FILE (default: the backups/ folder next to it).

    The copy is consistent even while someone else writes, and created readable by you
    only (it holds ID numbers). Automatic snapshots are taken before every import and
    bulk event; `--list` shows them. Restore one with `tracker restore FILE`.

    The database is then checked as by `tracker verify`: when the check fails the copy
    is kept all the same, the first problem is named and the exit code is 1.
    """
    if list_only:
        folder = service.folder_of(state.path)
        found = service.snapshots(state.path)
        if not found:
            console.print(t("backup_none", path=escape(str(folder))), soft_wrap=True)
            return
        console.print(table(t("backup_list_title", path=escape(str(folder))),
                            [t("backup_col_file"), t("backup_col_taken"),
                             t("backup_col_reason"), t("backup_col_size")],
                            ([s.path.name, s.taken.strftime("%Y-%m-%d %H:%M:%S"),
                              t(f"backup_reason_{s.reason}") if s.reason in
                              (*service.AUTOMATIC, service.MANUAL) else s.reason,
                              _size(s.size)] for s in found)))
        console.print(t("backup_keep_note", keep=load_rules(state.path).rules.backups_keep))
        return
    ctx = state.context()
    path = service.backup(ctx, file, force=force)
    console.print(t("backup_written", path=escape(str(path))), soft_wrap=True)
    # The copy is kept either way (a tampered database is evidence); the check says
    # whether it can be trusted.
    result = verify(ctx)
    if result.ok:
        key = "backup_verified_server" if result.server else "backup_verified"
        console.print(t(key, rows=result.history_rows, cases=result.cases))
        return
    err_console.print("[bold red]" + escape(t("backup_verify_failed")) + "[/]")
    print_report(result, to_stderr=True)
    click.get_current_context().exit(EXIT_PARTIAL)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
def restore(state: State, file: Path):
    """Replace the database by the backup FILE.

    FILE is checked first (integrity, schema version, the tracker's tables): a damaged
    file, or one written by a newer tracker, is refused and nothing is changed (exit
    code 2). The database it replaces is kept in the backups/ folder.
    """
    result = service.restore(state.path, file)
    # soft_wrap: a path is never broken across lines (it is copied from the terminal).
    console.print(t("restore_done", source=escape(str(result.source)),
                    path=escape(str(result.database)), cases=result.cases,
                    version=result.version), soft_wrap=True)
    if result.migrated:
        console.print(t("restore_migrated", current=service.SCHEMA_VERSION))
    if result.saved is not None:
        key = "restore_saved_damaged" if result.saved_damaged else "restore_saved"
        console.print(t(key, path=escape(str(result.saved))), soft_wrap=True)


__all__ = ["backup", "restore"]
