"""`tracker history --all`: the audit trail streamed as CSV or JSON (never all in memory)."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from typing import Any

from ..services import audit


def write_csv(objects: Iterable[dict[str, Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(audit.COLUMNS)
    for obj in objects:
        writer.writerow(audit.csv_cells(obj))


def write_json(objects: Iterable[dict[str, Any]]) -> None:
    """A JSON array, one object per line, written as the rows come."""
    out = sys.stdout
    first = True
    out.write("[")
    for obj in objects:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(obj, ensure_ascii=False, default=str))
        first = False
    out.write("\n]\n" if not first else "]\n")
