"""The `tracker` command group: global options, opening the database, turning errors into
messages in the user's language with the documented exit codes (never a traceback)."""
from __future__ import annotations

import importlib
import os
import sys
import traceback
from datetime import date
from pathlib import Path

import click

from ..domain.fields import DataError, check_day
from ..errors import EXIT_REFUSED, TrackerError
from ..i18n import t
from ..services.context import Context, db_target, default_target, open_context, set_language
from .output import err_console, escape, paragraph, visible_stream


class State:
    """What the global options set up; the database opens on first use."""

    def __init__(self, db_path: Path | str | None, today: date | None):
        self.db_path = db_path
        self.today = today
        self._context: Context | None = None

    @property
    def path(self) -> Path | str:
        """The database file, or the URL of a PostgreSQL database."""
        return self.db_path or default_target()

    def context(self) -> Context:
        if self._context is None:
            self._context = open_context(self.path, today=self.today)
        return self._context

    def close(self) -> None:
        if self._context is not None:
            context, self._context = self._context, None  # closed once, said once
            if self.today is not None and context.db.commits:
                err_console.print(escape(t("pinned_write", day=self.today.isoformat())))
            context.db.close()


def _parse_today(ctx, param, value):
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(t("bad_today", value=value)) from None
    try:
        return check_day(day)
    except DataError:
        raise click.BadParameter(t("today_out_of_range", value=value)) from None


def _check_db(ctx, param, value):
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter(t("db_empty"))
    return db_target(value)


def undecodable_argument(argv: list[str]) -> TrackerError | None:
    """The refusal of an argument holding bytes that are not text (Python keeps them as
    lone surrogates): SQLite, the terminal and every file we write would fail on them."""
    for position, arg in enumerate(argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return TrackerError("undecodable_argument", position=position, shown=shown)
    return None


def _lang_callback(ctx, param, value):
    if value:
        set_language(value)
    return value


def lang_option(help_text: str):
    """`--lang zh|en`: on the group (messages) and on exports (their language too)."""
    return click.option("--lang", type=click.Choice(["zh", "en"]), callback=_lang_callback,
                        is_eager=True, expose_value=False, help=help_text)


#: Where each command lives; a module is imported only when its command runs (or for
#: `--help`), so that `tracker show` does not pay for the importer, the exports, the
#: dashboard or pypinyin. Each module registers its commands on `cli` when imported.
LAZY_COMMANDS = {
    **dict.fromkeys(["add", "list", "show", "event", "bulk", "material", "undo", "history"],
                    "tracker.cli.cases"),
    "demo": "tracker.cli.demo",
    **dict.fromkeys(["export", "export-all", "diagram"], "tracker.cli.export"),
    "import": "tracker.cli.importing",
    **dict.fromkeys(["notice", "remind", "sweep", "rules"], "tracker.cli.notices"),
    **dict.fromkeys(["ce", "ce-hours"], "tracker.cli.ce"),
    "serve": "tracker.cli.serve",
    **dict.fromkeys(["backup", "restore"], "tracker.cli.backup"),
    "calendar": "tracker.cli.calendar",
    **dict.fromkeys(["channel", "notify", "daily"], "tracker.cli.channel"),
    **dict.fromkeys(["admin", "migrate-to"], "tracker.cli.admin"),
    "verify": "tracker.cli.verify",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in LAZY_COMMANDS:
            importlib.import_module(LAZY_COMMANDS[name])
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@lang_option("Language of messages / 界面语言 (default: from the locale).")
@click.option("--db", "db_path", type=click.Path(), callback=_check_db,
              help="Database file, or postgresql://USER@HOST:PORT/DB (password from "
                   "PGPASSWORD or ~/.pgpass); default: $TRACKER_DB, else the user data dir.")
@click.option("--today", callback=_parse_today, metavar="YYYY-MM-DD",
              help="Pin 'today' for every date computation.")
@click.version_option(package_name="grade2-tracker", prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | str | None, today: date | None) -> None:
    """Follow Grade-2 Constructor (二级建造师) cases from exam to registration.

    Run `tracker demo` to see it with fictitious staff; `tracker COMMAND --help` for a
    command.
    """
    ctx.obj = State(db_path, today)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        open_dashboard(ctx.obj)


def open_dashboard(state: State) -> None:
    """The Textual dashboard on the state's database (imported only when wanted)."""
    # textual-serve runs us behind its web driver, on pipes: that is a terminal too.
    web = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")
    if not web and not (sys.stdout.isatty() and sys.stdin.isatty()):
        raise TrackerError("needs_terminal")
    from ..tui.app import run_dashboard

    run_dashboard(state.context())


def print_failure(failure) -> None:
    """A failure on stderr: the headline, its reasons, the events allowed now."""

    headline = paragraph(f"{t('error')} {failure.message()}", "", err_console)
    headline_text = headline.text if hasattr(headline, "text") else headline
    headline_text.stylize("bold red", 0, len(t("error")))
    err_console.print(headline)
    for reason in failure.reason_lines():
        err_console.print(paragraph("  • " + reason, "", err_console))
    allowed = failure.allowed_line()
    if allowed:
        err_console.print(paragraph("  " + allowed, "", err_console))


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, map every failure to a message and an exit code."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        refused = undecodable_argument(argv)
        if refused is not None:
            if "--lang" in argv[:-1] and argv[argv.index("--lang") + 1] in ("zh", "en"):
                set_language(argv[argv.index("--lang") + 1])  # before click reads it
            raise refused
        # Without standalone mode click returns ctx.exit(n)'s code instead of raising.
        code = cli.main(args=argv, prog_name="tracker", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except SystemExit as exit_:  # ctx.exit(n) from a command
        return exit_.code if isinstance(exit_.code, int) else 0
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except click.exceptions.Abort:
        err_console.print(t("aborted"))
        return EXIT_REFUSED
    except click.ClickException as error:
        error.show(file=visible_stream(sys.stderr))  # it can quote what was typed
        return error.exit_code if error.exit_code else EXIT_REFUSED
    except KeyboardInterrupt:
        err_console.print(t("aborted"))
        return 130
    except Exception as error:
        from ..services.failures import explain, record_crash  # only when something failed

        failure = explain(error)
        if failure is not None:
            print_failure(failure)
            return failure.exit_code
        # A bug: say so plainly, keep the details for the report.
        from rich.markup import escape

        log = record_crash(traceback.format_exc())
        err_console.print(f"[bold red]{t('error')}[/] " + escape(t("internal_error", log=log)))
        return 3


def run() -> None:  # console script
    sys.exit(main())
