"""Tables whose columns are sized from their content and the width they are given.

A column takes the width its widest cell needs; when the table is narrower than that, the
flexible columns (labels, events, notes) give up their width first, then the columns
marked to be dropped go, least needed first, and then the others narrow to their minimum. A
cell that still does not fit ends in "…" — never cut mid-character (CJK is two cells)
and never while space is free. A wider table keeps its columns at their natural widths (a
date far from its name is harder to read). The layout follows every resize; the rows
are kept to lay them out again.
"""
from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text as RichText
from textual.widgets import DataTable

from ..columns import PADDING, Col, fit_widths
from ..i18n import t

__all__ = ["PADDING", "Col", "FittedTable", "as_text", "fit_widths"]


def as_text(cell: object) -> RichText:
    """A cell as Rich text, shown as typed (a str cell is never read as markup)."""
    if isinstance(cell, RichText):
        return cell
    return RichText("" if cell is None else str(cell))


class FittedTable(DataTable):
    """A DataTable laid out by `fit_widths`; `show` replaces its rows."""

    def __init__(self, columns: Sequence[Col], **kwargs) -> None:
        super().__init__(**kwargs)
        self.specs = list(columns)
        self.shown_rows: list[tuple[str | None, list[RichText]]] = []
        self.widths: dict[str, int] = {}

    def show(self, rows: Sequence[tuple[str | None, Sequence[object]]]) -> None:
        """(row key, cells) of every row, in column order."""
        self.shown_rows = [(key, [as_text(c) for c in cells]) for key, cells in rows]
        self.lay_out(force=True)

    def set_cell(self, row_key: str, column: str, value: object) -> None:
        """Change one cell (kept for the next layout)."""
        index = [c.key for c in self.specs].index(column)
        for key, cells in self.shown_rows:
            if key == row_key:
                cells[index] = as_text(value)
        if column in self.widths:
            self.update_cell(row_key, column, self._fit(as_text(value), self.widths[column]))

    def on_resize(self) -> None:
        self.lay_out()

    def natural(self) -> dict[str, int]:
        natural = {}
        for index, column in enumerate(self.specs):
            cells = [cells[index].cell_len for _, cells in self.shown_rows]
            natural[column.key] = max([RichText(t(column.header)).cell_len, *cells])
        return natural

    def lay_out(self, force: bool = False) -> None:
        available = self.size.width - self.styles.scrollbar_size_vertical
        if available <= 0:
            available = self.app.size.width
        widths = fit_widths(self.specs, self.natural(), available)
        if widths == self.widths and not force:
            return
        cursor = self.cursor_coordinate
        if widths == self.widths and self.columns:
            self.clear()  # the same columns: only the rows change (a search, a page)
        else:
            self.clear(columns=True)
            for column in self.specs:
                if column.key in widths:
                    self.add_column(t(column.header), width=widths[column.key],
                                    key=column.key)
        self.widths = widths
        indexes = [i for i, c in enumerate(self.specs) if c.key in widths]
        for key, cells in self.shown_rows:
            self.add_row(*[self._fit(cells[i], widths[self.specs[i].key]) for i in indexes],
                         key=key)
        if self.row_count:
            self.move_cursor(row=min(cursor.row, self.row_count - 1))

    @staticmethod
    def _fit(cell: RichText, width: int) -> RichText:
        if cell.cell_len <= width:
            return cell
        cut = cell.copy()
        cut.truncate(width, overflow="ellipsis")
        return cut
