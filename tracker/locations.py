"""Where the tracker keeps its files: every path the program chooses by itself, in one place.

Paths go through `platformdirs` (per-user folders on Windows, macOS and Linux) and
`pathlib`; nothing here creates a file. What the user names (``--db``, ``-o``) is theirs;
what is derived from it (the rules file and the backups beside a database) is named here.
"""
from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tracker"
#: The environment variable naming the database (the `--db` option wins over it).
DB_ENV = "TRACKER_DB"
#: The environment variable naming the folder the dashboard's exports go to.
EXPORTS_ENV = "TRACKER_EXPORTS"
DB_FILE = "tracker.db"
DEMO_FILE = "demo.db"
RULES_FILE = "rules.toml"
BACKUPS_FOLDER = "backups"
CRASH_LOG = "crash.log"


def data_dir() -> Path:
    """The user's data folder for the tracker (e.g. ~/.local/share/tracker, %LOCALAPPDATA%)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The user's configuration folder (e.g. ~/.config/tracker, %APPDATA%\\tracker)."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """$TRACKER_DB, else tracker.db in the user's data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILE


def exports_dir() -> Path:
    """Where the dashboard proposes to write an export: $TRACKER_EXPORTS, else the user's
    documents folder (Documents, 文档), else the home folder."""
    env = os.environ.get(EXPORTS_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    try:
        documents = platformdirs.user_documents_path()
    except Exception:  # no documents folder known on this system
        return Path.home()
    return documents if documents.is_dir() else Path.home()


def demo_db_path() -> Path:
    """The demo database: demo.db beside the default database (never the database itself)."""
    return default_db_path().parent / DEMO_FILE


def beside_db(db_path: Path | str, name: str) -> Path:
    """A file or folder in the folder of the database."""
    return Path(db_path).expanduser().resolve().parent / name


def rules_file(db_path: Path | str) -> Path:
    """The user's rules: rules.toml in the folder of the database."""
    return beside_db(db_path, RULES_FILE)


def backups_dir(db_path: Path | str) -> Path:
    """The automatic and manual snapshots: backups/ in the folder of the database."""
    return beside_db(db_path, BACKUPS_FOLDER)


def crash_log() -> Path:
    """Where an internal error's details are written (the message names this file)."""
    return config_dir() / CRASH_LOG
