"""What went wrong, in the user's words: one explanation of every failure, for every face.

The command line prints it and exits with its code; the dashboard shows it in a
notification or a dialog. A refused action (TrackerError), a problem with the database
file (StoreError or the engine's own error), a file the system would not write (OSError):
each becomes a `Failure` — a message key of the catalog, its parameters, the reasons
under it and, for a refused event, the events allowed now. Anything else is a bug:
`explain` returns None and the face says so plainly, keeping the details.
"""
from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import locations
from ..domain.text import Text
from ..errors import EXIT_REFUSED, StoreError, TrackerError
from ..files import write_private_text
from ..i18n import get_lang, pick, t
from ..store import as_store_error

#: StoreError kind -> message key.
_STORE_MESSAGES = {
    "missing": "db_missing", "is_directory": "db_is_directory",
    "cannot_create": "db_cannot_create", "not_a_database": "db_not_a_database",
    "too_new": "db_too_new", "read_only": "db_read_only", "locked": "db_locked",
    "disk_full": "disk_full", "not_ours": "db_not_ours", "schema_mismatch": "db_schema_mismatch",
    "read_only_fs": "db_read_only_fs",
}
#: StoreError kinds of a database server (PostgreSQL) -> message key; they win over the
#: file's for a URL (`missing` there is a database the server does not have).
SERVER_MESSAGES = {
    "driver_missing": "pg_driver_missing", "cannot_connect": "pg_cannot_connect",
    "permission_denied": "pg_permission_denied", "conflict": "pg_conflict",
    "engine_behind": "pg_engine_behind", "server_too_old": "pg_server_too_old",
    "locked": "db_locked", "read_only": "db_read_only", "disk_full": "disk_full",
    "too_new": "db_too_new", "missing": "pg_missing", "not_a_database": "pg_not_tracker",
}


def store_message(error: StoreError) -> str:
    """The message key of a StoreError, of a file or of a server."""
    server = (error.kind in ("driver_missing", "cannot_connect", "permission_denied",
                             "conflict", "engine_behind", "server_too_old")
              or str(error.path).startswith(("postgresql://", "postgres://")))
    if server:
        return SERVER_MESSAGES.get(error.kind, "db_error")
    return _STORE_MESSAGES.get(error.kind, "db_error")


@dataclass
class Failure:
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    reasons: list[Text] = field(default_factory=list)
    #: For a refused event: the events allowed now (None: not about an event).
    allowed: list[str] | None = None
    exit_code: int = EXIT_REFUSED

    def message(self, lang: str | None = None) -> str:
        """The headline, in `lang` (default: the current language)."""
        params = {k: pick(v, lang) if isinstance(v, Text) else v
                  for k, v in self.params.items()}
        return t(self.key, lang=lang, **params)

    def reason_lines(self, lang: str | None = None) -> list[str]:
        return [pick(reason, lang) for reason in self.reasons]

    def allowed_line(self, lang: str | None = None) -> str | None:
        if self.allowed is None:
            return None
        from ..domain.workflow import event_label  # the machine: only when it is needed

        lang = lang or get_lang()
        names = ", ".join(f"{e} ({event_label(e, lang)})" for e in self.allowed)
        return t("allowed_now", lang=lang, events=names or t("none", lang=lang))

    def text(self, lang: str | None = None) -> str:
        """Everything, one line each: headline, reasons, the events allowed now."""
        lines = [self.message(lang)] + [f"• {r}" for r in self.reason_lines(lang)]
        allowed = self.allowed_line(lang)
        return "\n".join(lines + ([allowed] if allowed else []))


def record_crash(detail: str) -> Path | str:
    """Keep a bug's details for the report (private: it may quote data); the file, or
    "-" when even that cannot be written."""
    log = locations.crash_log()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        write_private_text(log, detail)
    except (OSError, TrackerError):
        return "-"
    return log


def explain(error: BaseException) -> Failure | None:
    """The failure the user is told about, or None for a bug (an unexpected exception)."""
    if isinstance(error, TrackerError):
        return Failure(error.key, dict(error.params), list(error.reasons), error.allowed,
                       error.exit_code)
    store_error = error if isinstance(error, StoreError) else as_store_error(error)
    if store_error is not None:
        return Failure(store_message(store_error),
                       {"path": store_error.path, "detail": store_error.detail})
    if isinstance(error, OSError):
        key = "disk_full" if error.errno == errno.ENOSPC else "os_error"
        return Failure(key, {"path": error.filename or "",
                             "detail": error.strerror or str(error)})
    return None
