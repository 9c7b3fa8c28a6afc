"""Every file the tracker writes, written one way: private from its first byte, whole or not at all.

The database, backups, exports, status sheets, calendars, errors sheets and the crash log
can hold ID numbers (personal data). So each is:

- created with mode 0600 (owner only) by `os.open(..., O_CREAT | O_EXCL, 0o600)` — never
  created readable and tightened afterwards, whatever the umask;
- written to a temporary file beside its target (same folder, same filesystem) and
  renamed into place when it is complete (`os.replace`), so a reader never sees half a
  file and a failure leaves the target as it was; the temporary file is removed on every
  failure path;
- never written *through* what is already there: the rename replaces a symbolic link
  instead of following it, and a target that exists but is not a regular file (a device,
  a pipe, a folder) is refused;
- never put over an existing file unasked: every command that writes a file the user
  names checks all its targets with `check_targets` before it writes anything or changes
  the database, and refuses an existing one unless `--force` (`replace=True`), and then
  only a regular file (or a link) the user owns. Without `replace` the finished file is
  linked into place (`os.link` fails when the name was taken meanwhile), so nothing
  created between the check and the end is overwritten either.

On Windows the mode bits mean little (the user's profile folders are private by ACL);
the same calls work there.
"""
from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import TrackerError

PRIVATE = 0o600
#: Name of the temporary file beside `target` while it is written.
_TEMP = ".{name}.{pid}.part"


def create_private(path: Path | str) -> None:
    """An empty file only its owner can read; FileExistsError when it exists."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0),
                 PRIVATE)
    os.close(fd)


def check_target(path: Path | str, *, replace: bool = True) -> Path:
    """`path` as a target to write: refused when it is not a regular file (a device, a
    pipe, a folder), when it belongs to another user or, with `replace=False`, when it
    exists at all (a link too, even a dangling one: it is never followed)."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return path
    if not (stat.S_ISLNK(info.st_mode) or stat.S_ISREG(info.st_mode)):
        raise TrackerError("file_not_regular", path=str(path))
    if not replace:
        raise TrackerError("output_exists", path=str(path))
    if _foreign(info):
        raise TrackerError("file_not_owned", path=str(path))
    return path


def check_targets(paths: Iterable[Path | str], *, force: bool = False) -> list[Path]:
    """The files one command will write, each checked by `check_target` before the first
    is written (and before the database is changed); the existing ones named together.
    `force` is the user's `--force`."""
    paths = [Path(p) for p in paths]
    existing = []
    for path in paths:
        try:
            check_target(path, replace=force)
        except TrackerError as error:
            if error.key != "output_exists":
                raise
            existing.append(str(path))
    if existing:
        raise TrackerError("output_exists", path=", ".join(existing))
    return paths


def _foreign(info: os.stat_result) -> bool:
    """Owned by another user (POSIX; on Windows the profile folder's ACL decides)."""
    getuid = getattr(os, "getuid", None)
    return getuid is not None and info.st_uid != getuid()


@contextlib.contextmanager
def private_path(target: Path | str, *, replace: bool = True) -> Iterator[Path]:
    """A temporary path beside `target`, created empty and 0600, for a writer that opens
    files by name (SQLite, a zip writer); renamed onto `target` when the block ends well,
    removed when it does not."""
    target = check_target(target, replace=replace)
    temp = target.with_name(_TEMP.format(name=target.name, pid=os.getpid()))
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()  # left by a killed process with our pid: never ours to keep
    create_private(temp)
    try:
        yield temp
        _fsync(temp)
        _place(temp, target, replace)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


@contextlib.contextmanager
def private_file(target: Path | str, mode: str = "w", *, encoding: str | None = "utf-8",
                 newline: str | None = None, replace: bool = True) -> Iterator[IO]:
    """Open a private file for writing (text `w` or binary `wb`); see the module docstring."""
    binary = "b" in mode
    with private_path(target, replace=replace) as temp, open(
            temp, "wb" if binary else "w", encoding=None if binary else encoding,
            newline=None if binary else newline) as handle:
        yield handle


def write_private_text(target: Path | str, text: str, *, encoding: str = "utf-8",
                       newline: str | None = "\n", replace: bool = True) -> Path:
    with private_file(target, "w", encoding=encoding, newline=newline,
                      replace=replace) as handle:
        handle.write(text)
    return Path(target)


def write_private_bytes(target: Path | str, data: bytes, *, replace: bool = True) -> Path:
    with private_file(target, "wb", replace=replace) as handle:
        handle.write(data)
    return Path(target)


def make_folder(path: Path | str) -> Path:
    """A folder for our files (backups, exports): created owner-only when it is new."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _place(temp: Path, target: Path, replace: bool) -> None:
    """`temp` renamed onto `target`; without `replace`, only if the name is still free."""
    if replace:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)
    except FileExistsError:
        raise TrackerError("output_exists", path=str(target)) from None
    except (OSError, NotImplementedError):  # no hard links here (FAT, some shares)
        check_target(target, replace=False)
        os.replace(temp, target)
        return
    temp.unlink()


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
