"""Backups: a snapshot before every import and bulk event, `tracker backup`, `tracker restore`.

Snapshots live in ``backups/`` next to the database, one file each, created 0600 (they
hold ID numbers) and named ``<database stem>.<YYYYmmddTHHMMSS.micro>.<reason>.db`` so that
the name sorts by time and says why it was taken:

- ``import``, ``bulk``: automatic, before the write starts (never for a dry run);
- ``restore``: what `tracker restore` replaced (``damaged`` when it could not be read
  as a database: its bytes are kept as they were);
- ``manual``: `tracker backup` without a file.

The automatic ones (import, bulk, restore, damaged) are pruned to the newest
`backups_keep` (rules.toml, default 10); manual ones are never deleted by the tracker.
If a snapshot cannot be written (disk full, no permission), the import or bulk event is
refused: nothing is changed without its way back.

`restore` copies the file given, checks the copy (`PRAGMA integrity_check`, schema
version, the tracker's tables and append-only triggers) and refuses a damaged, foreign
or newer file before anything is touched; then it keeps a snapshot of the database it
replaces and writes the copy into it as one commit. An older backup is migrated.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .. import locations
from ..errors import StoreError, TrackerError
from ..files import check_targets, make_folder
from ..store import Database, DatabaseErrors
from ..store import backup as store
from ..store.db import is_server_url
from ..store.schema import SCHEMA_VERSION
from .context import Context
from .rules import load_rules

MANUAL = "manual"
#: Snapshots the tracker takes by itself, pruned to the newest `backups_keep`.
AUTOMATIC = ("import", "bulk", "restore", "damaged")
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{6}\.\d{6})\.(?P<reason>[a-z]+)\.db$")
_PARTIAL = re.compile(r"^(?P<name>.+)\.(?P<pid>\d+)\.partial$")
_STAMP = "%Y%m%dT%H%M%S.%f"


@dataclass(frozen=True)
class Snapshot:
    path: Path
    taken: datetime
    reason: str

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


@dataclass
class RestoreResult:
    database: Path
    source: Path
    cases: int
    version: int
    #: The snapshot of what was replaced (None: there was no database).
    saved: Path | None
    #: The replaced file could not be read as a database: its bytes were kept.
    saved_damaged: bool = False
    #: The backup was written by an older tracker and has been migrated.
    migrated: bool = False


def folder_of(db_path: Path | str) -> Path:
    """The backups folder: ``backups/`` next to the database."""
    return locations.backups_dir(db_path)


def _stem(db_path: Path | str) -> str:
    return Path(db_path).name.removesuffix(".db") or Path(db_path).name


def snapshots(db_path: Path | str) -> list[Snapshot]:
    """This database's snapshots in its backups folder, oldest first."""
    folder, stem = folder_of(db_path), _stem(db_path)
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if match and match["stem"] == stem:
            found.append(Snapshot(path, datetime.strptime(match["stamp"], _STAMP),
                                  match["reason"]))
    return sorted(found, key=lambda s: (s.taken, s.path.name))


def _new_path(db_path: Path | str, reason: str) -> Path:
    folder = make_folder(folder_of(db_path))
    taken = datetime.now()
    while True:
        path = folder / f"{_stem(db_path)}.{taken.strftime(_STAMP)}.{reason}.db"
        if not path.exists():
            return path
        taken += timedelta(microseconds=1)


def _clean_partials(folder: Path) -> None:
    """Half-written copies left by a process that was killed (its pid is gone)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for path in entries:
        match = _PARTIAL.match(path.name)
        if match and not _alive(int(match["pid"])):
            with contextlib.suppress(OSError):
                path.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def prune(db_path: Path | str, keep: int) -> list[Path]:
    """Keep the newest `keep` automatic snapshots of distinct contents: an older copy of
    the same bytes as a newer one is no way back of its own (it would push out one that
    is), so it goes first; then the oldest beyond `keep`. Returns what was removed."""
    automatic = [s for s in snapshots(db_path) if s.reason in AUTOMATIC]
    sizes = Counter(s.size for s in automatic)
    seen: set[tuple[int, str]] = set()
    kept, removed = 0, []
    for old in reversed(automatic):  # newest first
        size = old.size
        key = (size, _digest(old.path) if sizes[size] > 1 else old.path.name)
        if key not in seen and kept < keep:
            seen.add(key)
            kept += 1
            continue
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
            removed.append(old.path)
    return removed


def _digest(path: Path) -> str:
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return path.name  # unreadable: counted as distinct, never removed as a copy


def snapshot_before(ctx: Context, reason: str) -> Path | None:
    """The automatic snapshot before an import or a bulk event, kept only if the write
    happens: the copy is taken now (the database as it stands) under a temporary name,
    and becomes a snapshot (then pruned) when the next write transaction commits a
    change; it is removed when that transaction is refused, rolled back or changes
    nothing. Returns the name it will have.

    Refuses the action (TrackerError, exit code 2, nothing changed) when the copy cannot
    be written: a write without its way back is not started.

    None on a database server: a file copy per import would be every officer's data on
    one PC; the server's own backups (and `tracker backup`, pg_dump) are the way back.
    """
    if ctx.db.engine != "sqlite":
        return None
    if ctx.db.in_transaction:  # a copy now would hold uncommitted changes
        raise RuntimeError("snapshot inside a transaction")
    try:
        target = _new_path(ctx.db.path, reason)
        _clean_partials(target.parent)
        pending = store.partial_name(target.with_name(target.name + ".pending"))
        store.copy_from_connection(ctx.db.conn, pending)
    except (OSError, *DatabaseErrors) as error:
        raise TrackerError("backup_auto_failed", path=str(folder_of(ctx.db.path)),
                           detail=_describe(error)) from None
    keep = ctx.rules.backups_keep

    def settle(wrote: bool) -> None:
        with contextlib.suppress(OSError):
            if not wrote:
                pending.unlink()
                return
            os.replace(pending, target)
            prune(ctx.db.path, keep)

    ctx.db.after_next_write(settle)
    return target


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error)


def _server_backup(ctx: Context, target: Path | str | None, force: bool) -> Path:
    """A database server's copy: pg_dump's custom format (pg_restore reads it), at FILE
    or in the user data dir's backups folder. Without pg_dump installed: refused, naming
    the server's own backup."""
    from ..store.postgres import backup as server

    if server.pg_dump() is None:
        raise TrackerError("pg_backup_no_pg_dump", path=str(ctx.db.path))
    name = f"tracker.{datetime.now().strftime(_STAMP)}.{MANUAL}.dump"
    path = locations.data_dir() / "backups" / name if target is None else \
        Path(target).expanduser()
    if path.is_dir():
        path = path / name
    check_targets([path], force=force)
    make_folder(path.parent)
    try:
        return server.dump(ctx.db.url, path, replace=force)
    except (OSError, StoreError) as error:
        detail = error.detail if isinstance(error, StoreError) else _describe(error)
        raise TrackerError("backup_failed", path=str(path), detail=detail) from None


def backup(ctx: Context, target: Path | str | None = None, *, force: bool = False) -> Path:
    """`tracker backup [FILE]`: a copy of the database at FILE (over an existing file only
    with `force`, tracker.files), or in the backups folder (kept until you delete it). On
    a database server, pg_dump's custom format."""
    if ctx.db.engine != "sqlite":
        return _server_backup(ctx, target, force)
    if target is None:
        path = _new_path(ctx.db.path, MANUAL)
    else:
        path = Path(target).expanduser()
        if path.is_dir():
            path = path / f"{_stem(ctx.db.path)}.{datetime.now().strftime(_STAMP)}.{MANUAL}.db"
        check_targets([path], force=force)
        make_folder(path.parent)
    try:
        store.copy_from_connection(ctx.db.conn, path)
    except (OSError, *DatabaseErrors) as error:
        raise TrackerError("backup_failed", path=str(path), detail=_describe(error)) from None
    return path


# --------------------------------------------------------------------------- restore


def _clean_staging(db_path: Path) -> None:
    """The copies a restore killed half-way left next to the database (its pid is gone)."""
    pattern = re.compile(rf"^\.{re.escape(db_path.name)}\.restore\.(\d+)(-wal|-shm|-journal)?$")
    try:
        entries = list(db_path.parent.iterdir())
    except OSError:
        return
    for path in entries:
        match = pattern.match(path.name)
        if match and not _alive(int(match[1])):
            with contextlib.suppress(OSError):
                path.unlink()


def _refuse(check: store.FileCheck, source: Path) -> TrackerError:
    return TrackerError(f"restore_{check.problem}", path=str(source), detail=check.detail,
                        version=check.version if check.version is not None else "?",
                        current=SCHEMA_VERSION)


def restore(db_path: Path | str, source: Path | str) -> RestoreResult:
    """Replace the database at `db_path` by the backup `source`; see the module docstring.

    Refused (TrackerError, nothing changed): a missing, damaged, foreign or newer file;
    any restore into a database server (pg_restore replaces every officer's data: the
    administrator's work, with the officers told).
    """
    if is_server_url(db_path):
        raise TrackerError("pg_restore_refused", path=str(source))
    db_path = Path(db_path).expanduser()
    source = Path(source).expanduser()
    if not source.is_file():
        raise TrackerError("restore_missing", path=str(source))
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise TrackerError("restore_same_file", path=str(source))
    keep = load_rules(db_path).rules.backups_keep
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _clean_staging(db_path)
    staging = db_path.with_name(f".{db_path.name}.restore.{os.getpid()}")
    try:
        try:
            store.stage_copy(source, staging)
        except OSError as error:
            raise TrackerError("restore_unreadable", path=str(source),
                               detail=_describe(error)) from None
        check = store.check_file(staging)
        if not check.ok:
            raise _refuse(check, source)
        saved, damaged = None, False
        try:
            if db_path.exists():
                current = store.check_file(db_path, full=False)
                damaged = current.problem in ("not_a_database", "damaged")
                saved = _new_path(db_path, "damaged" if damaged else "restore")
                _clean_partials(saved.parent)
                if damaged:
                    store.copy_bytes(db_path, saved)
                    store.replace_file(staging, db_path)
                else:
                    store.copy_file(db_path, saved)
                    store.copy_into(staging, db_path)
            else:
                store.replace_file(staging, db_path)
        except (OSError, *DatabaseErrors) as error:
            raise TrackerError("restore_failed", path=str(db_path),
                               detail=_describe(error)) from None
        os.chmod(db_path, 0o600)
        migrated = check.version < SCHEMA_VERSION
        Database(db_path).close()  # migrates an older backup, in one transaction
        prune(db_path, keep)
        return RestoreResult(db_path, source, check.cases or 0, check.version or 0, saved,
                             damaged, migrated)
    finally:
        store.remove_with_sides(staging)
