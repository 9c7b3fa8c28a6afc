"""The one CSV writer: every CSV the tracker produces goes through `write_csv`.

The register, `list` and `history` (one case or `--all`), the import's errors list and
the staff messages of a notice are all written so that Excel and WPS open them as they
are, and a cell can neither start a formula nor a new row:

- UTF-8 with a BOM (without it Excel and WPS on a Chinese Windows read GBK: 张伟 becomes
  mojibake), rows ended by CRLF;
- a field holding a comma, a quote, a CR or an LF is quoted — a *bare* CR too: a
  spreadsheet takes a lone CR for the end of a row, and the cell after it would start the
  next row, where a formula would run. The csv module quotes the characters of its line
  terminator, so the terminator is CRLF whatever the platform;
- every text cell, the header included, goes through one cell function, by default
  `neutralise` (tracker.domain.spreadsheet): ``=HYPERLINK(…)`` stays text.

The caller opens `out` (a private file, tracker.files, or the standard output) as text in
UTF-8 with ``newline=""``, so that CRLF is written as it is.
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from ..domain.spreadsheet import neutralise

BOM = "\ufeff"


class Spreadsheet(csv.Dialect):
    """Comma, double quote, CRLF; a field is quoted when it holds , " CR or LF."""
    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = True


def write_csv(out: IO[str], header: Sequence[Any], rows: Iterable[Sequence[Any]], *,
              cell: Callable[[Any], Any] = neutralise) -> int:
    """The BOM, `header`, then `rows`, each value through `cell`; the number of rows."""
    out.write(BOM)
    writer = csv.writer(out, Spreadsheet)
    writer.writerow([cell(value) for value in header])
    count = 0
    for row in rows:
        writer.writerow([cell(value) for value in row])
        count += 1
    return count
