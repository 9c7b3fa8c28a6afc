"""`tracker demo`: a living tracker at once, with fictitious staff."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .. import i18n, locations
from ..domain.workflow import STAGES, STATES
from ..i18n import t
from ..services.demo import build_demo
from .app import State, cli, open_dashboard
from .output import console, escape, table


@cli.command()
@click.option("--no-ui", is_flag=True, help="Only build the database and print the summary.")
@click.option("--path", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to build it (default: demo.db beside the default database).")
@click.pass_obj
def demo(obj: State, no_ui: bool, path: Path | None):
    """Build a deterministic demo database (fictitious staff in every state) and show it.

    The demo has its own file and never touches your database; it is rebuilt each time.
    """
    target = path or locations.demo_db_path()
    today = obj.today or date.today()
    counts = build_demo(target, today)
    lang = i18n.get_lang()
    rows = []
    for state in STATES.values():
        rows.append([STAGES[state.stage].label.get(lang), state.label.get(lang), state.name,
                     counts.get(state.name, 0)])
    console.print(table(t("demo_summary"), [t("stage"), t("col_state_label"), t("col_state"),
                                            t("col_count")], rows))
    console.print(t("demo_built", path=escape(str(target)), total=sum(counts.values())),
                  soft_wrap=True)
    if no_ui or not (sys.stdout.isatty() and sys.stdin.isatty()):
        console.print(t("demo_try", path=escape(str(target))), soft_wrap=True)
        return
    open_dashboard(State(target, obj.today))
