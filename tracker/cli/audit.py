"""`tracker history --all`: the audit trail streamed as CSV or JSON (never all in memory)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..services import audit, csvfile
from .output import stdout_stream


def write_csv(objects: Iterable[dict[str, Any]]) -> None:
    """Streamed by the one CSV writer (tracker.services.csvfile)."""
    with stdout_stream() as out:
        csvfile.write_csv(out, audit.COLUMNS, (audit.csv_cells(obj) for obj in objects))


def write_json(objects: Iterable[dict[str, Any]]) -> None:
    """A JSON array, one object per line, written as the rows come."""
    with stdout_stream() as out:
        first = True
        out.write("[")
        for obj in objects:
            out.write("\n  " if first else ",\n  ")
            out.write(json.dumps(obj, ensure_ascii=False, default=str))
            first = False
        out.write("\n]\n" if not first else "]\n")
