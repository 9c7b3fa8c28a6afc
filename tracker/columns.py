"""How columns share a width, for the dashboard's tables and the command line's.

A column takes the width its widest cell needs; when there is less room than that, the
flexible columns (labels, events, notes) give up their width first, then the columns
marked to be dropped go, least needed first (what that frees goes back to the flexible
ones), and then the others narrow to their minimum. A cell that still does not fit ends
in "…". With room to spare, every column keeps its natural width.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: The cell padding of a DataTable column (one cell either side).
PADDING = 2


@dataclass(frozen=True)
class Col:
    """One column: its key, its header (an i18n message key), how narrow it may get, whether
    it takes the free width, and when it is dropped (higher first; 0: never)."""

    key: str
    header: str
    min: int = 4
    flex: bool = False
    drop: int = 0
    #: How narrow a flexible column gets before any column is dropped (default: `min`).
    soft: int | None = None


def fit_widths(columns: Sequence[Col], natural: dict[str, int], available: int,
               padding: int = PADDING) -> dict[str, int]:
    """The width of each column kept, in cells (dropped columns are left out); each
    column takes `padding` cells more (its padding and border)."""
    widths = {c.key: max(natural.get(c.key, 0), 1) for c in columns}

    def excess() -> int:
        return sum(w + padding for w in widths.values()) - available

    def shrink(group: list[Col], floor) -> None:
        for column in sorted(group, key=lambda c: -widths.get(c.key, 0)):
            over = excess()
            if over <= 0 or column.key not in widths:
                continue
            widths[column.key] -= min(over, max(0, widths[column.key] - floor(column)))

    shrink([c for c in columns if c.flex], lambda c: max(c.min, c.soft or c.min))
    for column in sorted((c for c in columns if c.drop), key=lambda c: -c.drop):
        if excess() <= 0:
            break
        del widths[column.key]
    for column in columns:  # what a dropped column freed goes back to the flexible ones
        if column.flex and column.key in widths and excess() < 0:
            full = max(natural.get(column.key, 0), 1)
            widths[column.key] = min(full, widths[column.key] - excess())
    shrink([c for c in columns if c.key in widths], lambda c: c.min)
    return widths
