"""What every use case needs: the database, "today", who acts, the rules and the language.

The faces open a context once (`open_context`) and hand it to every service; nothing in
the services reads the clock or the language from anywhere else. The domain below takes
"today" as an argument.
"""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from .. import i18n, locations
from ..domain.rules import DEFAULT_RULES, Rules
from ..errors import TrackerError
from ..store import Database
from ..store.db import is_server_url, open_database

SYSTEM_ACTOR = "system"


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a container without passwd entry)
        return "unknown"


def set_language(lang: str) -> None:
    """The language of every message from now on (`--lang`, F2 in the dashboard).

    The one place the language is chosen: `Context.lang` and the command line's
    `--lang` come here.
    """
    i18n.set_lang(lang)


@dataclass
class Context:
    db: Database
    #: "Today" for every date computation; pinned by --today for tests and planning.
    today: date = field(default_factory=date.today)
    actor: str = field(default_factory=os_user)
    rules: Rules = DEFAULT_RULES
    today_pinned: bool = False
    #: A fixed clock time for history stamps, on the pinned day (only the demo, whose
    #: fictitious history must be the same each time it is built).
    fixed_time: time | None = None

    def __post_init__(self) -> None:
        # The pinned day goes beside each history row written from now on (`as_of`).
        self.db.as_of = self.today.isoformat() if self.today_pinned else None

    @property
    def lang(self) -> str:
        """The language of what the services word for the user (zh or en)."""
        return i18n.get_lang()

    @lang.setter
    def lang(self, value: str) -> None:
        set_language(value)

    def now(self) -> str:
        """The time stamp of what is recorded now: always the real time (a pinned day is
        kept beside it, as `as_of`); only the demo's fictitious history has a fixed one."""
        if self.fixed_time is not None:
            return datetime.combine(self.today, self.fixed_time).isoformat()
        return datetime.now().replace(microsecond=0).isoformat()

    def clock_on_today(self) -> datetime:
        """Now's clock time on "today" (the pinned day, if any): for what a planning run
        computes, never for what is recorded."""
        clock = self.fixed_time or datetime.now().time().replace(microsecond=0)
        return datetime.combine(self.today, clock)


def db_target(value: str) -> Path | str:
    """What `--db` names: a PostgreSQL URL (kept as text), else a file. A URL carrying a
    password is refused: on a command line every user of the machine can read it (libpq
    takes it from PGPASSWORD or ~/.pgpass)."""
    if not is_server_url(value):
        return Path(value)
    from urllib.parse import urlsplit

    try:
        password = urlsplit(value).password
    except ValueError:  # a port that is not a number, brackets unbalanced
        raise TrackerError("pg_bad_url", value=value) from None
    if password is not None:
        raise TrackerError("pg_password_on_command_line")
    return value


def default_target() -> Path | str:
    """$TRACKER_DB (a file or a PostgreSQL URL), else the file in the user data dir."""
    env = os.environ.get(locations.DB_ENV)
    return env if is_server_url(env) else locations.default_db_path()


def open_context(path: Path | str, *, today: date | None = None) -> Context:
    """The context of the database at `path` (a file or a PostgreSQL URL): its rules
    first (a broken rules file is reported before anything is opened), then the database
    (created if new). On PostgreSQL the actor is the logged-in role (the server stamps
    it on every history row too); the rules are the shipped ones (no file beside it)."""
    from .names import refresh_readings
    from .rules import load_rules

    server = is_server_url(path)
    rules = load_rules(None if server else path).rules
    database = open_database(path if server else Path(path))
    refresh_readings(database)  # a database from before every reading was kept: once
    context = Context(db=database, today=today or date.today(), today_pinned=today is not None,
                      rules=rules)
    if server:
        context.actor = database.role
    return context
