"""Printing for the command line: rich tables on a terminal, CSV and JSON for programs."""
from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape  # noqa: F401  (re-exported to the commands)
from rich.table import Table
from rich.text import Text

from ..columns import Col, fit_widths
from ..i18n.linebreak import Paragraph, units

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
          styles: Sequence[str | None] | None = None, *, width: int | None = None,
          keep: Sequence[int] = (0, 1), row_styles: Sequence[str | None] | None = None
          ) -> Table:
    """A rich table that fits the terminal (80 columns when not one); every cell is
    plain text, so names like "[bold]" print literally.

    Columns are sized as the dashboard's (tracker/columns.py): the widest give up room
    first, each cut with "…" — never a word split across lines —, then the rightmost
    columns are left out (never those in `keep`: by default the first two, what the row
    is). JSON and CSV keep everything.
    """
    rows = [["" if v is None else str(v) for v in row] for row in rows]
    count = len(header)
    # A header wraps where a line may break (between words, between Chinese characters).
    header_min = [max([cell_len(u.rstrip()) for u in units(name)] or [1]) for name in header]
    natural = {str(i): max([min(cell_len(header[i]), max(header_min[i], 8))]
                           + [cell_len(row[i]) for row in rows if i < len(row)])
               for i in range(count)}
    # Long text in the last column (a reason, a title, a note) wraps where lines may break
    # instead of being cut: it is what the row is there to say.
    wrapped = count - 1 if count and natural[str(count - 1)] > 24 else None
    specs = [Col(str(i), name, min=max(4, header_min[i]) if i != wrapped else 16, flex=True,
                 drop=0 if i in keep or i == wrapped else i,
                 soft=min(natural[str(i)], max(12, header_min[i])) if i != wrapped else 24)
             for i, name in enumerate(header)]
    # A box table takes three cells a column (padding and border) and one more.
    widths = fit_widths(specs, natural, (width or console.width) - 1, padding=3)
    kept = [i for i in range(count) if str(i) in widths]
    result = Table(title=title, title_justify="left", header_style="bold")
    for i in kept:  # the header may wrap (at a break); a cell stays on its line
        result.add_column(header[i], style=(styles[i] if styles else None),
                          width=widths[str(i)])

    def cell(row: list[str], i: int):
        value = row[i] if i < len(row) else ""
        if i == wrapped:
            return Paragraph(Text(value))
        return Text(value, no_wrap=True, overflow="ellipsis")

    for index, row in enumerate(rows):
        result.add_row(*[cell(row, i) for i in kept],
                       style=row_styles[index] if row_styles else None)
    return result


def paragraph(text: str, style: str = "", target: Console | None = None):
    """A message laid out for the terminal: lines broken where Chinese and English allow
    (tracker.i18n.linebreak); to a file or a pipe, one line as it is (a program reads it)."""
    target = target or console
    if not target.is_terminal:
        return Text(text, style=style, no_wrap=True, overflow="ignore")
    return Paragraph(Text(text, style=style))


WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def weekday(day: date, lang: str) -> str:
    """星期五 / Fri."""
    name = WEEKDAYS[lang][day.weekday()]
    return f"星期{name}" if lang == "zh" else name
