"""`tracker backup` on PostgreSQL: pg_dump in its custom format (-Fc), when installed.

The dump is what `pg_restore` reads back; restoring replaces every officer's data, so
the tracker leaves it to the database's administrator (tracker.services.backup says
so). Without pg_dump on this PC the server's own backups are the way (the README).
The password comes from PGPASSWORD or ~/.pgpass as for every libpq program: never on
the command line.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ...errors import StoreError
from .db import display_url


def pg_dump() -> str | None:
    """The pg_dump program, or None when it is not installed."""
    return shutil.which("pg_dump")


def dump(url: str, target: Path, *, replace: bool = False) -> Path:
    """The database at `url` dumped to `target` (custom format, created 0600; over an
    existing file only with `replace`, the user's --force); StoreError('dump_failed')
    with pg_dump's reason."""
    program = pg_dump()
    if program is None:
        raise StoreError("no_pg_dump", display_url(url))
    partial = target.with_name(f".{target.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        done = subprocess.run([program, "--format=custom", "--no-password",
                               f"--file={partial}", f"--dbname={url}"],
                              capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise StoreError("dump_failed", display_url(url), lines[-1] if lines else "")
        if replace:
            os.replace(partial, target)
        else:
            os.link(partial, target)  # never over a file that appeared meanwhile
    finally:
        partial.unlink(missing_ok=True)
    return target
