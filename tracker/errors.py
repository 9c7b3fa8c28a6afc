"""The exceptions the command line and the dashboard turn into a user's message.

`TrackerError`: what the user asked cannot be done (a refused event, a bad value).
`StoreError`: the database file itself is the problem (missing, damaged, locked, newer).
Both live here, below every layer, so that the faces can catch them without importing
the store.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .domain.text import Text

#: Exit codes (docs/exit-codes.md): done, done in part, nothing done.
EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED = 0, 1, 2


class TrackerError(Exception):
    """Something the user asked for cannot be done; nothing was changed.

    `key` names a message in the i18n catalog (formatted with `params`); `reasons` are
    domain texts (a failed guard, a bad value) shown under it; `allowed` lists the events
    allowed now, for a refused event.
    """

    def __init__(self, key: str, /, *, reasons: list[Text] | None = None,
                 allowed: list[str] | None = None, exit_code: int = EXIT_REFUSED,
                 **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params
        self.reasons = list(reasons or [])
        self.allowed = allowed
        self.exit_code = exit_code


class StoreError(Exception):
    """A problem with the database file itself; `kind` selects the user's message:
    missing, is_directory, cannot_create, not_a_database, too_new, read_only, locked,
    disk_full, error."""

    def __init__(self, kind: str, path: Path | str = "", detail: str = ""):
        super().__init__(f"{kind}: {path} {detail}".strip())
        self.kind, self.path, self.detail = kind, str(path), detail


def outcome_code(applied: int, refused: int) -> int:
    """The exit code of an action on many cases: 0 all done (or nothing to do), 1 some
    refused and the rest done, 2 everything refused."""
    if not refused:
        return EXIT_OK
    return EXIT_PARTIAL if applied else EXIT_REFUSED
