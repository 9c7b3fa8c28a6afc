"""Reading a staff list as Chinese offices produce it: CSV or tab-separated text in GBK,
UTF-8 (with or without BOM) or UTF-16, or an Excel workbook.

The kind of file is decided by its content, not its name (a workbook saved as ".csv"
happens). The encoding of text is decided deterministically (docs/architecture.md): a BOM
(UTF-8, UTF-16); else NUL bytes mean UTF-16 without BOM; else strict UTF-8; else
GB18030, a superset of GBK. `--encoding` overrides. Detectors are not used: they take
short GBK text for Big5.

The file is read once, whole, into memory, and everything is taken from those bytes: its
SHA-256 (the hash recorded in the history is of exactly what was imported), the check that
the chosen encoding decodes all of it (so that a bad byte is reported with its line before
anything is written), the line count for the progress bar, and the rows, which are then
decoded and parsed as they are read. Only a regular file is read (a FIFO or a device
would block or never end), and it is refused when it changed while it was read, or when
it is no longer the file read when the import is about to commit (`Source.check_unchanged`).

Limits (settings in rules.toml, `Limits`): the size of the file, the size of every part
of a workbook once unzipped — declared and actual, counted before calamine reads it —, and
the length of a cell. The importer adds the row count.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..domain.rules import DEFAULT_RULES, Rules
from ..domain.text import Text
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


MB = 1 << 20
#: Where a setting of the limits lives, for the messages.
RULES_FILE = "rules.toml"


@dataclass(frozen=True)
class Limits:
    """What one import reads at most (issue 17); from the rules (rules.toml)."""

    max_bytes: int
    max_cell_chars: int
    max_rows: int

    @classmethod
    def of(cls, rules: Rules = DEFAULT_RULES) -> Limits:
        return cls(rules.import_max_mb * MB, rules.import_max_cell_chars, rules.import_max_rows)


@dataclass(frozen=True)
class Fingerprint:
    """What the file was when it was read: a later stat that differs means it changed
    (appended to, cut short, rewritten) or was replaced by another file."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> Fingerprint:
        return cls(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


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
    #: The file's bytes, read once: everything is taken from them.
    data: bytes = b""
    fingerprint: Fingerprint | None = None
    limits: Limits = Limits.of()

    def rows(self) -> Iterator[tuple[int, list]]:
        """(line, cells): line as Excel numbers rows (the header is usually line 1).

        TrackerError when a cell is longer than the limit (nothing of the file is used)."""
        if self.kind == "workbook":
            yield from self._sheet_rows()
            return
        limit = self.limits.max_cell_chars
        # The csv module counts each field's characters as it parses: free of cost. The
        # limit is the module's, process-wide; every import sets its own.
        csv.field_size_limit(limit)
        # A stray NUL (a broken export) is never part of a value: dropped.
        lines = (line.replace("\x00", "") if "\x00" in line else line
                 for line in self._text())
        reader = csv.reader(lines, delimiter=self.delimiter)
        started = 1
        try:
            for line, cells in enumerate(reader, start=1):
                yield line, cells
                started = reader.line_num + 1
        except csv.Error as error:
            if str(error).startswith("field larger than field limit"):
                column, found = self._longest_field(started)
                raise _cell_too_large(self.path, started, column, found, limit) from None
            raise TrackerError("import_unreadable", path=str(self.path),
                               line=reader.line_num, detail=str(error)) from None

    def _text(self) -> io.TextIOWrapper:
        # Decoded as it is read; the bytes were checked to decode when the file was opened.
        return io.TextIOWrapper(io.BytesIO(self.data), encoding=self.codec, newline="")

    def _longest_field(self, first_line: int) -> tuple[int, int]:
        """(column, characters) of the longest field of the record that starts on line
        `first_line` (read again without the limit, only to say what was found)."""
        lines = (line.replace("\x00", "") for index, line in enumerate(self._text(), start=1)
                 if index >= first_line)
        csv.field_size_limit(self.limits.max_bytes + 1)
        try:
            record = next(csv.reader(lines, delimiter=self.delimiter), [])
        except csv.Error:
            record = []
        finally:
            csv.field_size_limit(self.limits.max_cell_chars)
        if not record:
            return 0, self.limits.max_cell_chars + 1
        column = max(range(len(record)), key=lambda i: len(record[i]))
        return column, len(record[column])

    def _sheet_rows(self) -> Iterator[tuple[int, list]]:
        sheet = self._workbook.get_sheet_by_name(self.sheet)
        limit = self.limits.max_cell_chars
        for line, cells in enumerate(sheet.iter_rows(), start=1):
            for cell in cells:
                if type(cell) is str and len(cell) > limit:
                    column = next(i for i, c in enumerate(cells)
                                  if type(c) is str and len(c) > limit)
                    raise _cell_too_large(self.path, line, column, len(cells[column]), limit)
            yield line, cells

    def check_unchanged(self) -> None:
        """TrackerError unless the file at `path` is still the one that was read, as it
        was: the importer asks just before it commits."""
        try:
            now = Fingerprint.of(os.stat(self.path))
        except OSError:
            now = None
        if now != self.fingerprint:
            raise TrackerError("import_changed", path=str(self.path))


def column_letters(index: int) -> str:
    """Excel's name of the column at 0-based `index`: A … Z, AA …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_too_large(path: Path, line: int, column: int, found: int, limit: int
                    ) -> TrackerError:
    return TrackerError("import_cell_too_large", path=str(path), line=line,
                        column=column_letters(column), found=f"{found:,}", limit=f"{limit:,}",
                        key="import_max_cell_chars", rules_file=RULES_FILE)


def open_source(path: Path, *, encoding: str | None = None, sheet: str | None = None,
                limits: Limits | None = None) -> Source:
    """Open `path` as a staff list, or refuse it as a whole with a TrackerError.

    `limits`: what may be read (default: the shipped rules; the importer passes those in
    force)."""
    path = Path(path)
    limits = limits or Limits.of()
    data, fingerprint = read_regular_file(path, limits.max_bytes)
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        source = _open_workbook(path, data, sheet, limits)
    elif sheet is not None:
        raise TrackerError("import_sheet_not_workbook", path=str(path))
    else:
        source = _open_text(path, data, encoding)
    # A workbook is calamine's now (it copied the bytes); text is parsed from the bytes.
    source.data = data if source.kind == "text" else b""
    source.fingerprint, source.limits = fingerprint, limits
    return source


# --------------------------------------------------------------------------- reading

#: Open without blocking (a FIFO would wait for a writer) and without making a terminal
#: our controlling one; binary on Windows, where the first two do not exist.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_BINARY", 0))

#: What a path is when it is not a regular file, for the message.
_KINDS = (
    (stat.S_ISFIFO, Text("命名管道（FIFO）", "a named pipe (FIFO)")),
    (stat.S_ISCHR, Text("字符设备", "a character device")),
    (stat.S_ISBLK, Text("块设备", "a block device")),
    (stat.S_ISSOCK, Text("套接字", "a socket")),
)


def read_regular_file(path: Path, max_bytes: int) -> tuple[bytes, Fingerprint]:
    """The bytes of the regular file at `path`, read once, and what the file was then.

    Refused at once (TrackerError), never waited on: a path that is missing, a folder, a
    FIFO, a device or a socket (the file is opened without blocking and its kind asked of
    the open file, so nothing can be swapped in between); a file larger than `max_bytes`;
    a file that changed while it was read (its size or modification time moved, or it
    gave more or fewer bytes than its size)."""
    if not path.exists():
        raise TrackerError("import_missing", path=str(path))
    if path.is_dir():  # Windows cannot open a folder; elsewhere fstat says so below
        raise TrackerError("import_is_directory", path=str(path))
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise TrackerError("import_missing", path=str(path)) from None
    except OSError as error:
        raise TrackerError("import_unreadable", path=str(path), line=0,
                           detail=error.strerror or str(error)) from None
    try:
        before = os.fstat(fd)
        _check_kind(path, before, max_bytes)
        data = _read_all(fd, before.st_size)
        after = os.fstat(fd)
    except OSError as error:
        raise TrackerError("import_unreadable", path=str(path), line=0,
                           detail=error.strerror or str(error)) from None
    finally:
        os.close(fd)
    if len(data) != before.st_size or Fingerprint.of(after) != Fingerprint.of(before):
        raise TrackerError("import_changed", path=str(path))
    return data, Fingerprint.of(before)


def _check_kind(path: Path, status: os.stat_result, max_bytes: int) -> None:
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        raise TrackerError("import_is_directory", path=str(path))
    if not stat.S_ISREG(mode):
        kind = next((text for test, text in _KINDS if test(mode)),
                    Text("不是普通文件", "not a regular file"))
        raise TrackerError("import_not_regular", path=str(path), kind=kind)
    if status.st_size > max_bytes:
        raise _too_large(path, status.st_size, max_bytes)


def _too_large(path: Path, found: int, limit: int, part: str | None = None) -> TrackerError:
    """The file (or, with `part`, a part of a workbook once unzipped) is over the limit."""
    params = dict(path=str(path), found=_megabytes(found), limit=f"{limit // MB:,}",
                  key="import_max_mb", rules_file=RULES_FILE)
    if part is None:
        return TrackerError("import_file_too_large", **params)
    return TrackerError("import_unzipped_too_large", part=part, **params)


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f}"


def _read_all(fd: int, size: int) -> bytes:
    """Everything up to the end of the file: `size` bytes when it did not change (one
    byte more is asked for, so that a file that grew is seen to have grown)."""
    chunks = []
    wanted = size + 1
    while wanted > 0:
        chunk = os.read(fd, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


# --------------------------------------------------------------------------- workbooks


def _open_workbook(path: Path, data: bytes, sheet: str | None, limits: Limits) -> Source:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    if data.startswith(ZIP_MAGIC):
        check_unzipped_sizes(path, data, limits.max_bytes)
    digest, size = hashlib.sha256(data).hexdigest(), len(data)
    try:
        # From the bytes read, never the path again: what is imported is what was hashed.
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
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


# --------------------------------------------------------------------------- zip parts

#: The fixed part of a zip entry's local header; the name and extra field follow it.
_LOCAL_HEADER = struct.Struct("<4s22xHH")


def check_unzipped_sizes(path: Path, data: bytes, limit: int) -> None:
    """Refuse a workbook (zip) any part of which unzips to more than `limit` bytes, or to
    another size than it declares, before calamine reads it: a sheet that unzips to
    gigabytes would take all the memory. The declared size is checked first (free);
    then each part is inflated and counted, a megabyte at a time, never kept and stopped
    at the limit — a declared size can lie. A zip that cannot be read is left to
    calamine, which names the damage."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with archive:
        for info in archive.infolist():
            if info.file_size > limit:
                raise _too_large(path, info.file_size, limit, info.filename)
            try:
                actual = _unzipped_size(archive, data, info, limit)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError,
                    zlib.error) as error:
                raise TrackerError("import_unreadable", path=str(path), line=0,
                                   detail=f"{info.filename}: {error}") from None
            if actual > limit:
                raise _too_large(path, actual, limit, info.filename)
            if actual != info.file_size:
                raise TrackerError("import_zip_sizes_differ", path=str(path),
                                   part=info.filename, declared=f"{info.file_size:,}",
                                   actual=f"{actual:,}")


def _unzipped_size(archive: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo,
                   limit: int) -> int:
    """The size `info` really unzips to, counted up to just over `limit`."""
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return _inflated_size(_raw_part(data, info), limit)
    total = 0
    # Another method zipfile knows (bzip2, lzma): read through, counting; it stops at
    # the declared size, so that a longer stream shows as a checksum error.
    with archive.open(info) as part:
        while chunk := part.read(MB):
            total += len(chunk)
            if total > limit:
                break
    return total


def _raw_part(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The compressed bytes of `info`, where its local header says they start (the
    length is the central directory's, as calamine's zip reader takes it)."""
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise EOFError("local header cut short")
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != ZIP_MAGIC:
        raise zipfile.BadZipFile("no local header")
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    return memoryview(data)[begin:begin + info.compress_size]


def _inflated_size(raw: memoryview, limit: int) -> int:
    """The size a raw deflate stream inflates to, counted a megabyte at a time (nothing
    kept) and stopped once over `limit`; zlib.error when it is damaged."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    total = 0
    for start in range(0, len(raw), MB):
        pending: bytes | memoryview = raw[start:start + MB]
        while pending and not inflater.eof:
            total += len(inflater.decompress(pending, MB))
            if total > limit:
                return total
            pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    return total + len(inflater.flush())


# --------------------------------------------------------------------------- text


def _bom(head: bytes) -> tuple[str, str] | None:
    for bom, name, codec in BOMS:
        if head.startswith(bom):
            return name, codec
    return None


def _check_decodes(data: bytes, codec: str) -> None:
    """Decode everything strictly, a chunk at a time (nothing kept).

    Raises UnicodeDecodeError with `.start` set to the offset in the chunk and
    `.reason` to the line number of the first undecodable byte.
    """
    decoder = codecs.getincrementaldecoder(codec)("strict")
    lines = 0
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
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
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        error.reason = str(lines + 1)
        raise
    except UnicodeError as error:
        raise UnicodeDecodeError(codec, b"", 0, 0, str(lines + 1)) from error


def _line_count(data: bytes) -> int:
    """Lines, for the progress bar: a last line without its newline is a line too."""
    return data.count(b"\n") + (data[-1:] not in (b"\n", b"\x00", b""))


def _utf16_without_bom(head: bytes) -> str | None:
    """Text with many NUL bytes is UTF-16: which half of each pair holds them says the
    order (a stray NUL in UTF-8 text is not enough)."""
    if head.count(0) < max(2, len(head) // 10):
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    return "utf-16-le" if odd >= even else "utf-16-be"


def _open_text(path: Path, data: bytes, encoding: str | None) -> Source:
    head = data[:65536]
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
            _check_decodes(data, codec)
        except UnicodeDecodeError as error:
            failure = error
            continue
        delimiter = _delimiter(path, head, codec)
        return Source(path=path, kind="text", sha256=hashlib.sha256(data).hexdigest(),
                      size=len(data), estimated_rows=_line_count(data), encoding=name,
                      encoding_reason=reason, codec=codec, delimiter=delimiter)
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
