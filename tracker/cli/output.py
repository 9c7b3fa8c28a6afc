"""Printing for the command line: rich tables on a terminal, CSV and JSON for programs.

Terminal safety: what people typed or imported (names, notes, departments, file names)
is printed with its control characters written out (``\\x1b``), never obeyed. One
function does it, `tracker.domain.text.visible`, applied here and only here: by `escape`
and `table` before the layout (so that widths are right), and by `SafeConsole` on every
segment it prints (so that no path around them exists); data written to the standard
output (CSV, a sheet, JSON lines) goes through `stdout_stream`, which applies it when the
standard output is a terminal.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import IO, Any

import click
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape as escape_markup
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..columns import Col, fit_widths
from ..domain.text import visible
from ..i18n.linebreak import Paragraph, units
from ..services.csvfile import write_csv


class SafeConsole(Console):
    """A rich console that shows control characters instead of sending them: every
    printed segment of text goes through `visible` (its own cursor and style codes are
    control segments or styles, not text, and are left alone)."""

    def render(self, renderable, options=None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text = segment.text
            if segment.control or text.isprintable():
                yield segment
            else:
                yield Segment(visible(text), segment.style, segment.control)


console = SafeConsole(highlight=False, soft_wrap=False)
err_console = SafeConsole(stderr=True, highlight=False, soft_wrap=True)


def escape(value: object) -> str:
    """User text for a message in rich markup: shown as typed, never obeyed — markup
    (``[bold]``) escaped, control characters written out."""
    return escape_markup(visible(str(value)))


class _VisibleWriter(io.TextIOBase):
    """A text stream that writes `visible(text)` into another (data to a terminal)."""

    def __init__(self, target: IO[str]) -> None:
        self.target = target

    def write(self, text: str) -> int:
        self.target.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self.target.flush()


@contextlib.contextmanager
def stdout_stream() -> Iterator[IO[str]]:
    """The standard output as UTF-8 text without newline translation (CSV rows keep
    their CRLF; a GBK console cannot refuse a character); on a terminal, control
    characters in the data are shown, not obeyed."""
    out = sys.stdout
    out.flush()
    terminal = out.isatty()
    if getattr(out, "buffer", None) is None:  # a text stream put in place by a program
        yield _VisibleWriter(out) if terminal else out
        return
    stream = io.TextIOWrapper(out.buffer, encoding="utf-8", newline="")
    try:
        yield _VisibleWriter(stream) if terminal else stream
        stream.flush()
    finally:
        stream.detach()


def echo(text: str) -> None:
    """A line of user text (a message's body) on the standard output, shown not obeyed."""
    click.echo(visible(text))


def visible_stream(target: IO[str]) -> IO[str]:
    """`target` (stderr for click's own errors) writing what it is given visibly."""
    return _VisibleWriter(target)


def write_stdout(text: str) -> None:
    """Data (a sheet, CSV, JSON) on the standard output; see `stdout_stream`."""
    with stdout_stream() as out:
        out.write(text)


def print_json(value: Any) -> None:
    """Stable JSON: UTF-8 characters as they are (Chinese stays readable), sorted nothing."""
    write_stdout(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def print_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV on the standard output by the one CSV writer (tracker.services.csvfile)."""
    with stdout_stream() as out:
        write_csv(out, header, ([_csv_cell(v) for v in row] for row in rows))


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
    rows = [["" if v is None else visible(str(v)) for v in row] for row in rows]
    header = [visible(str(name)) for name in header]
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
    text = visible(text)
    if not target.is_terminal:
        return Text(text, style=style, no_wrap=True, overflow="ignore")
    return Paragraph(Text(text, style=style))


WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def weekday(day: date, lang: str) -> str:
    """星期五 / Fri."""
    name = WEEKDAYS[lang][day.weekday()]
    return f"星期{name}" if lang == "zh" else name
