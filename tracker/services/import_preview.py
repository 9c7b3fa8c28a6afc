"""What the dashboard's import screen shows before anything is imported: the encoding
that was detected, how the headers map to fields, and the first rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..domain import importing as rules
from ..domain.text import Text
from ..i18n import t
from .import_folder import check_import_path
from .sources import open_source

#: How far down a title block may push the header row (as the importer looks).
HEADER_SEARCH_ROWS = 10


@dataclass
class Preview:
    path: str
    kind: str
    encoding: str | None
    encoding_reason: str | None
    sheet: str | None
    sheets: tuple[str, ...]
    header_line: int | None = None
    #: (header in the file, field label or None when unknown)
    mapping: list[tuple[str, Text | None]] = field(default_factory=list)
    missing: list[Text] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def preview_file(path: Path | str, *, encoding: str | None = None, sheet: str | None = None,
                 rows: int = 6) -> Preview:
    """Open the file as the importer would (TrackerError when it is refused as a whole,
    or lies outside the folder the dashboard's import is confined to)."""
    source = open_source(check_import_path(path), encoding=encoding, sheet=sheet)
    preview = Preview(path=str(path), kind=source.kind, encoding=source.encoding,
                      encoding_reason=source.encoding_reason, sheet=source.sheet,
                      sheets=source.sheets)
    lines = source.rows()
    first = None
    for count, (line, cells) in enumerate(lines):
        if rules.is_blank(cells):
            continue
        if first is None:
            first = (line, cells)
        if rules.looks_like_header(cells):
            first = (line, cells)
            break
        if count >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        return preview
    header_line, header_cells = first
    header = rules.match_headers(header_cells)
    preview.header_line = header_line
    preview.headers = header.headers
    by_position = {position: key for key, position in header.index.items()}
    preview.mapping = [(text, rules.COLUMNS[by_position[i]].label if i in by_position else None)
                       for i, text in enumerate(header.headers) if text]
    preview.missing = [rules.COLUMNS[k].label for k in header.missing]
    for line, cells in lines:
        if line <= header_line or rules.is_blank(cells):
            continue
        preview.rows.append((line, [rules.cell_text(c) for c in cells]))
        if len(preview.rows) >= rows:
            break
    return preview


def encoding_label(encoding: str | None, reason: str | None) -> str:
    """How a file's encoding was decided, in words: "GB18030 (GBK superset, Chinese
    Windows Excel's default)", "UTF-16LE (from its BOM)" (the command line and the
    dashboard alike)."""
    if encoding is None:
        return ""
    name = {"utf-8-sig": "UTF-8", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
            "utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE"}.get(encoding, encoding.upper())
    if reason == "utf-8":
        return t("import_enc_utf8")
    if reason == "gb18030":
        return t("import_enc_gb18030")
    if reason in ("bom", "nul", "option"):
        return t(f"import_enc_{reason}", name=name)
    return name
