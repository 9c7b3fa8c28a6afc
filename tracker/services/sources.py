"""Reading a staff list as Chinese offices produce it: CSV or tab-separated text in GBK,
UTF-8 (with or without BOM) or UTF-16, or an Excel workbook.

The kind of file is decided by its content, not its name (a workbook saved as ".csv"
happens). The encoding of text is decided deterministically (docs/architecture.md): a BOM
(UTF-8, UTF-16); else NUL bytes mean UTF-16 without BOM; else strict UTF-8; else
GB18030, a superset of GBK. `--encoding` overrides. Detectors are not used: they take
short GBK text for Big5.

One pass over the bytes hashes the file, checks that the chosen encoding decodes all of
it (so that a bad byte is reported with its line before anything is written) and
counts lines for the progress bar; then the rows are streamed, never held all at once.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import TrackerError

CHUNK = 1 << 20
#: Magic numbers: xlsx/xlsm/ods are zip files; xls is an OLE2 compound file.
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: BOMs, longest first (the UTF-32 LE BOM starts with the UTF-16 LE one).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


@dataclass
class Source:
    """An opened staff list: what it is, and its rows as (line number, cells)."""

    path: Path
    kind: str  # "text" | "workbook"
    sha256: str
    size: int
    #: Rows in the file, for the progress bar (text: lines, which is nearly the same).
    estimated_rows: int
    #: The encoding reported to the user (codec name; None for a workbook).
    encoding: str | None = None
    #: How the encoding was chosen: bom | nul | utf-8 | gb18030 | option.
    encoding_reason: str | None = None
    #: The codec the text is read with (differs from `encoding` for a BOM).
    codec: str | None = None
    delimiter: str = ","
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    _workbook: object = None

    def rows(self) -> Iterator[tuple[int, list]]:
        """(line, cells): line as Excel numbers rows (the header is usually line 1)."""
        if self.kind == "workbook":
            sheet = self._workbook.get_sheet_by_name(self.sheet)
            yield from enumerate(sheet.iter_rows(), start=1)
            return
        with open(self.path, encoding=self.codec, newline="") as handle:
            # A stray NUL (a broken export) is never part of a value: dropped.
            lines = (line.replace("\x00", "") if "\x00" in line else line for line in handle)
            reader = csv.reader(lines, delimiter=self.delimiter)
            try:
                yield from enumerate(reader, start=1)
            except csv.Error as error:
                raise TrackerError("import_unreadable", path=str(self.path),
                                   line=reader.line_num, detail=str(error)) from None
            except UnicodeDecodeError as error:  # the file changed since it was checked
                raise TrackerError("import_bad_encoding", path=str(self.path),
                                   line=reader.line_num + 1, encoding=self.encoding,
                                   detail=str(error)) from None


def open_source(path: Path, *, encoding: str | None = None, sheet: str | None = None
                ) -> Source:
    """Open `path` as a staff list, or refuse it as a whole with a TrackerError."""
    path = Path(path)
    if not path.exists():
        raise TrackerError("import_missing", path=str(path))
    if path.is_dir():
        raise TrackerError("import_is_directory", path=str(path))
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise TrackerError("import_unreadable", path=str(path), line=0,
                           detail=error.strerror or str(error)) from None
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return _open_workbook(path, sheet)
    if sheet is not None:
        raise TrackerError("import_sheet_not_workbook", path=str(path))
    return _open_text(path, encoding)


# --------------------------------------------------------------------------- workbooks


def _open_workbook(path: Path, sheet: str | None) -> Source:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    digest, size, lines = _scan(path, None)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise TrackerError("import_password", path=str(path)) from None
    except (CalamineError, OSError, ValueError) as error:
        raise TrackerError("import_unreadable", path=str(path), line=0,
                           detail=str(error)) from None
    names = tuple(m.name for m in workbook.sheets_metadata
                  if str(m.typ).endswith("WorkSheet")) or tuple(workbook.sheet_names)
    visible = [m.name for m in workbook.sheets_metadata
               if m.name in names and str(m.visible).endswith(".Visible")]
    if not names:
        raise TrackerError("import_no_sheet", path=str(path))
    if sheet is None:
        # The first sheet the officer sees: a hidden one is often a lookup list.
        chosen = visible[0] if visible else names[0]
    else:
        wanted = "".join(sheet.split()).lower()
        matches = [n for n in names if n == sheet] or \
            [n for n in names if "".join(n.split()).lower() == wanted]
        if not matches:
            raise TrackerError("import_unknown_sheet", sheet=sheet, sheets="、".join(names))
        chosen = matches[0]
    try:
        height = workbook.get_sheet_by_name(chosen).height
    except CalamineError as error:
        raise TrackerError("import_unreadable", path=str(path), line=0,
                           detail=str(error)) from None
    return Source(path=path, kind="workbook", sha256=digest, size=size,
                  estimated_rows=height, sheet=chosen, sheets=names, _workbook=workbook)


# --------------------------------------------------------------------------- text


def _bom(head: bytes) -> tuple[str, str] | None:
    for bom, name, codec in BOMS:
        if head.startswith(bom):
            return name, codec
    return None


def _scan(path: Path, codec: str | None) -> tuple[str, int, int]:
    """SHA-256, size and line count; with `codec`, decode everything strictly.

    Raises UnicodeDecodeError with `.start` set to the offset in the file and
    `.reason` to the line number of the first undecodable byte.
    """
    digest = hashlib.sha256()
    size = lines = 0
    last = b"\n"
    decoder = codecs.getincrementaldecoder(codec)("strict") if codec else None
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            digest.update(chunk)
            if decoder is not None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    offset = max(0, min(error.start, len(chunk)))
                    error.reason = str(lines + chunk.count(b"\n", 0, offset) + 1)
                    raise
                except UnicodeError as error:  # "UTF-16 stream does not start with BOM"
                    raise UnicodeDecodeError(codec, chunk[:4], 0, min(4, len(chunk)),
                                             str(lines + 1)) from error
            lines += chunk.count(b"\n")
            size += len(chunk)
            last = chunk[-1:]
        if decoder is not None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                error.reason = str(lines + 1)
                raise
            except UnicodeError as error:
                raise UnicodeDecodeError(codec, b"", 0, 0, str(lines + 1)) from error
    # A last line without its newline is a line too.
    return digest.hexdigest(), size, lines + (last not in (b"\n", b"\x00"))


def _utf16_without_bom(head: bytes) -> str | None:
    """Text with many NUL bytes is UTF-16: which half of each pair holds them says the
    order (a stray NUL in UTF-8 text is not enough)."""
    if head.count(0) < max(2, len(head) // 10):
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    return "utf-16-le" if odd >= even else "utf-16-be"


def _open_text(path: Path, encoding: str | None) -> Source:
    with open(path, "rb") as handle:
        head = handle.read(65536)
    bom = _bom(head)
    if encoding:
        try:
            info = codecs.lookup(encoding)
            if not getattr(info, "_is_text_encoding", True):  # hex, zlib, rot13…: not text
                raise LookupError(encoding)
            name = info.name
        except LookupError:
            raise TrackerError("import_unknown_encoding", encoding=encoding) from None
        codec, reason = name, "option"
        # A BOM of the same family is skipped rather than read as a character.
        if bom and bom[0].replace("-le", "").replace("-be", "").replace("-sig", "") == \
                name.replace("-le", "").replace("-be", "").replace("-sig", ""):
            codec = bom[1]
        candidates = [(name, codec, reason)]
    elif bom:
        candidates = [(bom[0], bom[1], "bom")]
    elif (utf16 := _utf16_without_bom(head)) is not None:
        candidates = [(utf16, utf16, "nul")]
    else:
        candidates = [("utf-8", "utf-8", "utf-8"), ("gb18030", "gb18030", "gb18030")]
    failure: UnicodeDecodeError | None = None
    for name, codec, reason in candidates:
        try:
            digest, size, lines = _scan(path, codec)
        except UnicodeDecodeError as error:
            failure = error
            continue
        delimiter = _delimiter(path, head, codec)
        return Source(path=path, kind="text", sha256=digest, size=size,
                      estimated_rows=lines, encoding=name, encoding_reason=reason,
                      codec=codec, delimiter=delimiter)
    assert failure is not None
    raise TrackerError("import_bad_encoding", path=str(path), line=failure.reason,
                       encoding=candidates[-1][0], detail=failure.object[
                           failure.start:failure.start + 4].hex(" ") if failure.object else "")


def _delimiter(path: Path, head: bytes, codec: str) -> str:
    """Tab for .tsv/.tab/.txt with tabs in the header (Excel's "Unicode text"), else comma."""
    text = head.decode(codec, errors="ignore")
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    if first.count("\t") > first.count(","):
        return "\t"
    return ","
