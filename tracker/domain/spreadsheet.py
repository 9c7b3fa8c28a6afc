"""The one rule for text cells a spreadsheet will open (OWASP "CSV injection").

Excel, WPS and LibreOffice read a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
line break as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``). Every CSV and XLSX the
tracker writes passes its text cells through `neutralise`, which prefixes such a cell with
a single quote so that it stays text. Numbers and dates are typed, not parsed: left alone.
"""
from __future__ import annotations

from typing import Any

#: First characters that make Excel, LibreOffice or WPS read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: The same, as a set (the hot loops test one character).
TRIGGER_CHARS = frozenset(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """A text cell that would start a formula, prefixed with ' so it stays text; any other
    value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
