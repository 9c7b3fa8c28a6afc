"""Line breaking for Chinese mixed with Latin words, numbers and dates.

Rich and Textual break lines at spaces only: a Chinese sentence has none, so it is cut
wherever the width ends — inside "APP" or "2026-12-31", or before a "）" or "，" that then
starts a line. These are the rules of Unicode line breaking (UAX #14) that matter here:

- a line may break between two Chinese characters, and between Chinese and Latin;
- never inside a Latin word, a number or a date (a run of narrow, non-space characters);
- never before closing punctuation (，。、；：！？）」… and their narrow forms);
- never after opening punctuation (（「《 …), nor either side of a curly quote;
- at a space, the space stays at the end of the line.

tests/test_linebreak.py checks that every break made here is one UAX #14 allows (with
uniseg, the reference implementation in pure Python). uniseg itself takes ~0.2 ms a
character — a case's guidance would cost 100 ms to lay out — so the few rules are here.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len

#: No line starts with these (UAX #14 classes CL, CP, EX, IS, NS, SY, HY, BA — the
#: common ones).
CLOSING = frozenset("，。、；：！？）」』】》〉〕］｝〗〙%,.;:!?)]}…～ー々〻・-/|")
#: No line ends with these (class OP).
OPENING = frozenset("（「『【《〈〔［｛〖〘([{")
#: Curly quotes (class QU: which way they face is not known, so no break either side).
QUOTES = frozenset("“”‘’\"'")


@lru_cache(maxsize=4096)
def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def can_break(before: str, after: str) -> bool:
    """Whether a line may end after `before` and the next start with `after`."""
    if after in CLOSING or before in OPENING or after.isspace():
        return False
    if before in QUOTES or after in QUOTES:
        return False
    if before.isspace():
        return True
    return _wide(before) or _wide(after)


def units(text: str) -> list[str]:
    """The text cut at every break opportunity (joined, they are the text)."""
    pieces, start = [], 0
    for index in range(1, len(text)):
        if can_break(text[index - 1], text[index]):
            pieces.append(text[start:index])
            start = index
    if text:
        pieces.append(text[start:])
    return pieces


def _fold(piece: str, width: int) -> list[int]:
    """Where to cut a piece longer than `width`: by cells, never before closing
    punctuation (the cut moves back one character)."""
    cuts, used, start = [], 0, 0
    for index, char in enumerate(piece):
        size = cell_len(char)
        if used + size > width and index > start:
            cut = index
            while piece[cut] in CLOSING and cut - 1 > start:
                cut -= 1
            cuts.append(cut)
            used = cell_len(piece[cut:index])
            start = cut
        used += size
    return cuts


@lru_cache(maxsize=2048)
def wrap_offsets(text: str, width: int) -> tuple[int, ...]:
    """Where to divide one line of `text` (no newline) so that each part fits `width`
    cells: character offsets, as Rich's `Text.divide` takes them."""
    offsets: list[int] = []
    position = used = 0
    for piece in units(text):
        size = cell_len(piece.rstrip())
        if used and used + size > width:
            offsets.append(position)
            used = 0
        if size > width:  # longer than a line (a long URL, a path): folded
            cuts = _fold(piece, width)
            if cuts:
                offsets += [position + cut for cut in cuts]
                position, piece = position + cuts[-1], piece[cuts[-1]:]
                size = cell_len(piece.rstrip())
        used += cell_len(piece) if size else 0
        position += len(piece)
    return tuple(offsets)


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` cells (its own newlines kept)."""
    lines: list[str] = []
    for line in text.split("\n"):
        cuts = (0, *wrap_offsets(line, max(1, width)), len(line))
        lines += [line[a:b].rstrip() for a, b in zip(cuts, cuts[1:], strict=False)] or [""]
    return lines


class Paragraph:
    """Rich text laid out with these rules at the width it is rendered in (a Rich
    renderable: a Static, a table cell, the console)."""

    def __init__(self, text, style: str = "") -> None:
        from rich.text import Text

        self.text = text if isinstance(text, Text) else Text(str(text), style=style)

    def lines(self, width: int) -> list:
        out = []
        for line in self.text.split("\n", allow_blank=True):
            for part in line.divide(wrap_offsets(line.plain, max(1, width))):
                part.rstrip()
                part.no_wrap = True
                part.end = "\n"
                out.append(part)
        return out

    def __rich_console__(self, console, options):
        yield from self.lines(options.max_width)

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        plain = self.text.plain
        widest = max((cell_len(line) for line in plain.split("\n")), default=0)
        narrowest = max((cell_len(u.rstrip()) for u in units(plain.replace("\n", " "))),
                        default=0)
        return Measurement(min(narrowest, widest), widest).clamp(max_width=options.max_width)
