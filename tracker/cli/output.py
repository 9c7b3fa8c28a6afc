"""Printing for the command line: rich tables on a terminal, CSV and JSON for programs."""
from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(value: Any) -> None:
    """Stable JSON: UTF-8 characters as they are (Chinese stays readable), sorted nothing."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def print_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    sys.stdout.write(buffer.getvalue())


def _csv_cell(value: Any) -> Any:
    """A spreadsheet cell: nothing for None; "a=1; b=2" for a mapping, "a; b" for a list
    (the JSON output keeps their structure)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return value


def table(title: str | None, header: Sequence[str], rows: Iterable[Sequence[Any]],
          styles: Sequence[str | None] | None = None) -> Table:
    """A rich table; every cell is escaped, so names like "[bold]" print literally."""
    result = Table(title=title, title_justify="left", header_style="bold")
    for index, name in enumerate(header):
        result.add_column(name, style=(styles[index] if styles else None), overflow="fold")
    for row in rows:
        result.add_row(*[escape("" if v is None else str(v)) for v in row])
    return result


WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def weekday(day: date, lang: str) -> str:
    """星期五 / Fri."""
    name = WEEKDAYS[lang][day.weekday()]
    return f"星期{name}" if lang == "zh" else name
