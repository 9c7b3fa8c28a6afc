"""The folder the dashboard's import may read (a setting), and the check of a path.

`tracker serve` confines the import of every browser session to one folder (by default
`imports/` beside the database; `--import-folder` to choose), so that a session cannot
preview `/etc/passwd` or the officer's other files; the terminal dashboard is confined
too when the setting is given (environment variable TRACKER_IMPORT_FOLDER). The check
resolves symbolic links and `..` first: a link inside the folder to a file outside it is
outside.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import TrackerError

#: The setting: the folder the dashboard's import may read (unset: no confinement).
FOLDER_ENV = "TRACKER_IMPORT_FOLDER"


def import_folder() -> Path | None:
    """The configured folder, or None when imports are not confined."""
    value = os.environ.get(FOLDER_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def browse_root() -> Path:
    """Where the dashboard's file browser starts (and cannot go above)."""
    return import_folder() or Path.cwd()


def check_import_path(path: Path | str) -> Path:
    """`path`, or TrackerError when imports are confined and it lies outside the folder."""
    folder = import_folder()
    if folder is None:
        return Path(path)
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_relative_to(folder):
        raise TrackerError("import_outside_folder", path=str(path), folder=str(folder))
    return resolved
