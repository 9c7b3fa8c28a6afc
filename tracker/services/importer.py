"""Bulk import of a staff list: every good row loaded, every bad row explained.

The whole import is one transaction (BEGIN IMMEDIATE … COMMIT): an interrupted or failed
import leaves the database exactly as it was; `--strict` with a bad row and `--dry-run`
go the same way to the end and roll back, so a dry run checks exactly what an import
would do. Rows are read, checked and written in chunks: memory stays flat for 100,000
rows, and the database work is set-based (one lookup and a few `executemany` per chunk,
never a service call per row).

What a row does (the ID number is the person, person × specialty is the case):
- a new case is inserted in the given state (default exam_passed); its first history row
  is an "import" naming the file and its SHA-256;
- for an existing person or case, a non-empty cell that differs from the record updates
  it, with one "update" history row holding {"set", "before"} as every other change, so
  `tracker undo` can revert it; a blank cell never erases anything;
- an existing case keeps its state (states move through events only): a different
  state in the file is reported as a notice;
- nothing else: re-importing the same file changes nothing.

What the import trusts of its file (issue 17; `sources` does the reading): a regular file
only, read once, the hash recorded being of the bytes imported; refused when it changed
while it was read or is no longer that file when the import is about to commit; limits
on its size, on every part of a workbook unzipped, on a cell and on the row count
(settings in rules.toml). Every file the import writes is checked before the
transaction starts: the errors list (`errors_to`) is created empty and private beside its
target first, written before the commit, and renamed into place after it; the snapshot
refuses the import when it cannot be written (`snapshot_before`).
"""
from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ..domain import importing as rules
from ..domain.importing import HeaderMap, Problem, StaffRow
from ..domain.text import Text
from ..domain.workflow import STATES
from ..errors import EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED, TrackerError
from ..files import check_targets, private_file, private_path
from ..store import importing as store
from .backup import snapshot_before
from .context import Context
from .csvfile import write_csv
from .pinyin_table import name_keys
from .sources import RULES_FILE, Limits, Source, open_source

#: Rows written per round of executemany (bounded memory; larger gains nothing).
CHUNK_ROWS = 5000
#: Rows read (checked column by column) at a time.
BATCH_ROWS = 1000
#: The header may sit below a title row or two; look this far for it.
HEADER_SEARCH_ROWS = 10
#: A progress report every this many rows.
PROGRESS_EVERY = 1000

DEFAULT_STATE = "exam_passed"
IMPORT_EVENT, UPDATE_EVENT = "import", "update"

#: Progress callback: (rows done, rows expected, phase "read" or "write"); "write" is the
#: final set-based insert, reported once before it starts and once when it is done.
Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class RowIssue:
    """A problem (or a notice) about one row: line, column as headed in the file, value."""

    line: int
    column: str
    value: str
    reason: Text


@dataclass(slots=True)
class RejectedRow:
    line: int
    cells: tuple[str, ...]
    issues: list[RowIssue]


@dataclass
class ImportReport:
    file: str
    sha256: str
    encoding: str | None
    encoding_reason: str | None
    sheet: str | None
    header_line: int = 1
    headers: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    duplicate_columns: list[str] = field(default_factory=list)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped_blank: int = 0
    errors: list[RowIssue] = field(default_factory=list)
    notices: list[RowIssue] = field(default_factory=list)
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    dry_run: bool = False
    strict: bool = False
    #: True when the import was committed (not a dry run, not refused).
    written: bool = False
    #: Rows written to the errors list (`errors_to`); None when none was asked for.
    errors_written: int | None = None

    @property
    def refused(self) -> bool:
        """Nothing imported because of the rows: --strict with a bad row, or all bad."""
        return bool(self.rejected) and (self.strict or self.rejected == self.rows)

    @property
    def exit_code(self) -> int:
        if self.refused:
            return EXIT_REFUSED
        return EXIT_PARTIAL if self.rejected else EXIT_OK


class _Rollback(Exception):
    """Leave the transaction without keeping anything (dry run, --strict)."""


# --------------------------------------------------------------------------- import


def import_file(ctx: Context, path: Path | str, *, dry_run: bool = False, strict: bool = False,
                encoding: str | None = None, sheet: str | None = None,
                progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
                errors_to: Path | str | None = None, replace_errors: bool = False
                ) -> ImportReport:
    """Import a staff list (CSV, TSV, xlsx); see the module docstring for what rows do.

    Raises TrackerError (exit code 2) when the file is refused as a whole: missing, not a
    regular file, unreadable, undecodable, over a limit, changed while it was imported,
    without the name and ID-number columns; or when `errors_to` cannot be written (found
    before anything is done). `errors_to`: the rejected rows as a CSV for Excel, written
    whatever the outcome (also for a dry run and a refused file); an existing file is
    refused unless `replace_errors` (the user's --force).

    Python's cyclic garbage collector is paused meanwhile: the import makes hundreds of
    thousands of small objects and no cycles, and each collection walks all of them
    (measured: 0.5 s of CPU on 100,000 rows). It runs again afterwards, as it was.
    """
    with contextlib.ExitStack() as outputs:
        # Every file the import writes, checked before anything is read or written.
        sheet_temp = reserve_output(outputs, errors_to, replace=replace_errors)
        errors_sheet = None if sheet_temp is None else (sheet_temp, Path(errors_to))
        source = open_source(Path(path), encoding=encoding, sheet=sheet,
                             limits=Limits.of(ctx.rules))
        if not dry_run:
            snapshot_before(ctx, "import")  # the way back, before anything is written
        enabled = gc.isenabled()
        gc.disable()
        try:
            return _import(ctx, source, dry_run=dry_run, strict=strict, progress=progress,
                           chunk_rows=chunk_rows, errors_sheet=errors_sheet)
        finally:
            if enabled:
                gc.enable()


def reserve_output(stack: contextlib.ExitStack, target: Path | str | None, *,
                   replace: bool = False) -> Path | None:
    """A file the import will write, made sure of now: `target` must be nothing (or, with
    `replace`, a regular file of the user's), in a folder that exists and can be
    written. The temporary file it will be written to is created (empty, private) beside
    it; `stack` renames it onto `target` when it closes normally, and removes it when it
    closes on an error. TrackerError (nothing done yet) when it cannot be."""
    if target is None:
        return None
    try:
        check_targets([target], force=replace)
        # Renamed into place after the commit: a refusal then would come too late to
        # change nothing, so the check above is the one that counts.
        return stack.enter_context(private_path(target))
    except TrackerError as error:
        if error.key != "file_not_regular":
            raise  # exists (name --force) or belongs to another user: said as such
        raise TrackerError("import_output_unusable", path=str(target), detail=Text(
            "已存在但不是普通文件（是文件夹、设备或管道）",
            "it exists and is not a regular file (a folder, a device or a pipe)")) from None
    except OSError as error:
        raise TrackerError("import_output_unusable", path=str(target),
                           detail=error.strerror or str(error)) from None


def _import(ctx: Context, source: Source, *, dry_run: bool, strict: bool,
            progress: Progress | None, chunk_rows: int,
            errors_sheet: tuple[Path, Path] | None) -> ImportReport:
    """`errors_sheet`: (the reserved temporary file, its target) of the errors list."""
    path = source.path
    report = ImportReport(file=str(path), sha256=source.sha256, encoding=source.encoding,
                          encoding_reason=source.encoding_reason, sheet=source.sheet,
                          dry_run=dry_run, strict=strict)
    rows = source.rows()
    header_line, header = _find_header(rows, path)
    report.header_line = header_line
    report.headers = header.headers
    report.columns = {key: header.headers[i] for key, i in header.index.items()}
    report.unknown_columns = header.unknown
    report.duplicate_columns = header.duplicate
    expected = max(0, source.estimated_rows - header_line)
    writer = _Writer(ctx, report, header, path.name, source.sha256, expected)
    done = 0
    try:
        with store.page_cache(ctx.db), ctx.db.transaction():
            writer.begin()
            done = _check_rows(rows, rules.RowReader(header, ctx.today), writer, chunk_rows,
                               progress, expected, source.limits.max_rows)
            writer.flush()
            if progress is not None:
                progress(done, done, "write")
            writer.finish()
            report.rows = done - report.skipped_blank
            source.check_unchanged()  # what was read is still what the file holds
            report.errors.sort(key=lambda issue: issue.line)
            report.rejected_rows.sort(key=lambda row: row.line)
            if errors_sheet is not None:
                report.errors_written = _write_sheet_before_commit(report, *errors_sheet,
                                                                   ctx.lang)
            if dry_run or report.refused:
                raise _Rollback
        report.written = True
    except _Rollback:
        pass
    if progress is not None:
        progress(done, done, "done")
    return report


def _write_sheet_before_commit(report: ImportReport, temp: Path, target: Path, lang: str
                               ) -> int:
    """The errors list into its reserved file, inside the transaction: if it cannot be
    written, nothing is committed."""
    try:
        with open(temp, "w", encoding="utf-8", newline="") as handle:
            return _errors_sheet(report, handle, lang)
    except OSError as error:
        raise TrackerError("import_output_unusable", path=str(target),
                           detail=error.strerror or str(error)) from None


def _check_rows(rows: Iterator[tuple[int, list]], reader: rules.RowReader, writer: _Writer,
                chunk_rows: int, progress: Progress | None, expected: int, max_rows: int
                ) -> int:
    """Read and check every row after the header; the good ones go to the writer a chunk
    at a time, the bad ones into the report. Returns the rows read; TrackerError when
    there are more than `max_rows`."""
    report, header = writer.report, writer.header
    ledger = rules.Ledger()
    read, read_many, check, is_blank = reader.read, reader.read_many, ledger.check, \
        rules.is_blank
    pending = writer.pending
    done = 0
    while batch := list(islice(rows, BATCH_ROWS)):
        if done + len(batch) > max_rows:
            raise TrackerError("import_too_many_rows", path=report.file, limit=f"{max_rows:,}",
                               found=f"{max(expected, done + len(batch)):,}",
                               key="import_max_rows", rules_file=RULES_FILE)
        # The usual rows are read a batch at a time; the others one by one.
        for (line, cells), staff in zip(batch, read_many([c for _, c in batch])):
            done += 1
            if done % PROGRESS_EVERY == 0 and progress is not None:
                progress(done, max(expected, done), "read")
            if staff is None:
                if is_blank(cells):
                    report.skipped_blank += 1
                    continue
                staff, problems = read(cells)
                if problems:
                    _reject(report, header, line, cells, problems)
                    continue
            problems = check(line, staff)
            if problems:
                _reject(report, header, line, cells, problems)
                continue
            pending.append((line, staff, cells))
            if len(pending) >= chunk_rows:
                writer.flush()
    return done


def _find_header(rows: Iterator[tuple[int, list]], path: Path) -> tuple[int, HeaderMap]:
    """The header row: the first row naming name and ID number, within the first rows."""
    first: tuple[int, list] | None = None
    seen = 0
    for line, cells in rows:
        if rules.is_blank(cells):
            continue
        if first is None:
            first = (line, cells)
        if rules.looks_like_header(cells):
            return line, rules.match_headers(cells)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise TrackerError("import_empty", path=str(path))
    found = rules.match_headers(first[1])
    missing = [rules.COLUMNS[k].label for k in found.missing]
    raise TrackerError("import_missing_columns",
                       missing=Text("、".join(t.zh for t in missing),
                                    ", ".join(t.en for t in missing)),
                       found=" | ".join(h for h in found.headers if h) or "—",
                       line=first[0])


def _reject(report: ImportReport, header: HeaderMap, line: int, cells: list,
            problems: list[Problem]) -> None:
    issues = [RowIssue(line, header.header_of(p.column) if p.column else "", p.value, p.reason)
              for p in problems]
    report.rejected += 1
    report.errors.extend(issues)
    report.rejected_rows.append(RejectedRow(line, tuple(rules.cell_text(c) for c in cells),
                                            issues))


# --------------------------------------------------------------------------- writing


@dataclass
class _Batch:
    """One chunk being applied: what is on record, and the writes it collects."""

    #: id_number -> the person's row as stored, and (person id, specialty) -> the case.
    on_record: dict[str, tuple]
    cases: dict[tuple[int, str], tuple]
    #: Known persons as they stand while the chunk is applied: id_number -> [id, name,
    #: employee_no, department, company, phone, address, contact_confirmed_on]
    people: dict[str, list] = field(default_factory=dict)
    staged: list[tuple] = field(default_factory=list)
    person_updates: list[tuple] = field(default_factory=list)
    case_updates: list[tuple] = field(default_factory=list)
    history: list[tuple] = field(default_factory=list)


class _Writer:
    """Compares chunks of accepted rows with the database and writes the differences.

    New persons and cases are staged and moved set-based at the end (`finish`); changes
    to existing ones are written per chunk. Persons created by this import are known by
    `new_persons` (ID number -> person id) until they reach the persons table.
    """

    #: Rebuild the secondary indexes instead of maintaining them when an import brings
    #: at least this many rows into empty tables (the first import of a staff list).
    #: Measured with the 8 MiB page cache: 100,000 rows into empty tables 0.15 s faster
    #: rebuilt; 30,000 rows into 12,000 persons 0.05-0.1 s faster maintained (a rebuild
    #: costs in proportion to the whole table). Otherwise the indexes stay.
    BULK_ROWS = 20_000

    def __init__(self, ctx: Context, report: ImportReport, header: HeaderMap, file_name: str,
                 sha256: str, expected_rows: int):
        self.ctx, self.report, self.header = ctx, report, header
        self.at = ctx.now()
        self.actor = ctx.actor
        self.file_name, self.sha256 = file_name, sha256
        self.expected_rows = expected_rows
        self.pending: list[tuple[int, StaffRow, list]] = []
        self.new_persons: dict[str, int] = {}
        #: History rows of new cases that must follow their "import" row.
        self.late_history: list[tuple] = []
        self.indexes: list[str] | None = None
        #: Some new person has several rows: their fields are merged when inserted.
        self.merge_persons = False

    def begin(self) -> None:
        db = self.ctx.db
        self.next_person, self.next_case = store.next_ids(db)
        store.begin_staging(db)
        if self.expected_rows >= self.BULK_ROWS and store.bulk_tables_empty(db):
            self.indexes = store.drop_secondary_indexes(db)

    def finish(self) -> None:
        db = self.ctx.db
        store.insert_staged(db, at=self.at, actor=self.actor, file_name=self.file_name,
                            sha256=self.sha256, merge_persons=self.merge_persons)
        store.insert_history(db, self.late_history)
        store.end_staging(db)
        if self.indexes is not None:
            store.recreate_indexes(db, self.indexes)

    def flush(self) -> None:
        """Apply the pending rows: look the chunk's persons and cases up once, sort each row
        into new / changed / unchanged, write the differences set-based."""
        if not self.pending:
            return
        chunk = self.pending[:]
        self.pending.clear()  # the same list: the import loop holds it
        db = self.ctx.db
        numbers = list(dict.fromkeys(staff.id_number for _, staff, _ in chunk
                                     if staff.id_number not in self.new_persons))
        on_record = store.persons_by_id_number(db, numbers)
        batch = _Batch(on_record=on_record,
                       cases=store.cases_of_persons(db, [p[0] for p in on_record.values()]))
        for line, staff, cells in chunk:
            self._row(batch, line, staff, cells)
        store.stage(db, batch.staged)
        store.update_persons(db, batch.person_updates)
        store.update_cases(db, batch.case_updates)
        store.insert_history(db, batch.history)

    def _row(self, batch: _Batch, line: int, staff: StaffRow, cells: list) -> None:
        """One accepted row: a new person, a new case of a known person, or a change."""
        number = staff.id_number
        person_id = self.new_persons.get(number)
        if person_id is not None:
            # Another row of a person this import creates (another specialty).
            self.merge_persons = True
            self._new_case(batch, person_id, 1, staff, line)
            return
        person = batch.people.get(number)
        if person is None:
            record = batch.on_record.get(number)
            if record is None:
                person_id = self.new_persons[number] = self.next_person
                self.next_person += 1
                self._new_case(batch, person_id, 1, staff, line, name_keys(staff.name))
                return
            conflict = rules.name_conflict(record[1], staff)
            if conflict is not None:
                _reject(self.report, self.header, line, cells, [conflict])
                return
            person = batch.people[number] = list(record)
        changed, before = self._person_changes(batch, person, staff)
        case = batch.cases.get((person[0], staff.specialty))
        if case is None:
            if changed:
                self.late_history.append(self._update(
                    self.next_case, staff.state or DEFAULT_STATE, line, changed, before))
            self._new_case(batch, person[0], 0, staff, line)
            return
        case_id, state = case[0], case[1]
        if staff.state is not None and staff.state != state:
            self._notice_state(line, staff.state, state)
        self._case_changes(batch, case, staff, changed, before)
        if changed:
            batch.history.append(self._update(case_id, state, line, changed, before))
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _new_case(self, batch: _Batch, person_id: int, new_person: int, staff: StaffRow,
                  line: int, keys: tuple[str, str] | tuple[None, None] = (None, None)) -> None:
        batch.staged.append(self._stage(self.next_case, person_id, new_person, staff, line,
                                        *keys))
        self.next_case += 1
        self.report.inserted += 1

    def _person_changes(self, batch: _Batch, person: list, staff: StaffRow
                        ) -> tuple[dict, dict]:
        """A known person: a non-empty cell that differs from the record is a change
        (`person` is updated in place, for the chunk's later rows)."""
        changed: dict[str, object] = {}
        before: dict[str, object] = {}
        for position, key in enumerate(PERSON_COLUMNS, start=2):
            value = getattr(staff, key)
            if value and value != person[position]:
                changed[key], before[key] = value, person[position]
                person[position] = value
        if changed:
            batch.person_updates.append((*person[2:], self.at, person[0]))
        return changed, before

    def _case_changes(self, batch: _Batch, case: tuple, staff: StaffRow, changed: dict,
                      before: dict) -> None:
        """A known case: the case columns the row sets differently (added to `changed`)."""
        current = list(case[2:9])
        case_changed = False
        for position, key, value in (
                (0, "exam_year", staff.exam_year),
                (1, "certificate_no", staff.certificate_no or None),
                (2, "registration_no", staff.registration_no or None),
                (3, "valid_until", staff.valid_until),
                (4, "ce_hours", staff.ce_hours),
                (5, "exempt", _exempt_json(staff)),
                (6, "certificate_issued_on", staff.certificate_issued_on)):
            if value is not None and value != current[position]:
                changed[key], before[key] = value, current[position]
                current[position] = value
                case_changed = True
        if case_changed:
            batch.case_updates.append((*current, self.at, case[0]))

    @staticmethod
    def _stage(case_id: int, person_id: int, new_person: int, staff: StaffRow, line: int,
               pinyin: str | None, initials: str | None) -> tuple:
        """A row of the staging table (store.importing.STAGED_COLUMNS); '' for no value."""
        year, until, hours, passed = (staff.exam_year, staff.valid_until, staff.ce_hours,
                                      staff.exam_passed_on)
        return (case_id, person_id, new_person, staff.id_number, staff.name, pinyin, initials,
                staff.employee_no, staff.department, staff.company, staff.phone,
                staff.specialty, staff.state or DEFAULT_STATE, "" if year is None else year,
                staff.certificate_no, staff.registration_no, "" if until is None else until,
                "" if hours is None else hours, line, "" if passed is None else passed,
                staff.address, staff.contact_confirmed_on or "", _exempt_json(staff) or "",
                staff.certificate_issued_on or "")

    def _update(self, case_id: int, state: str, line: int, changed: dict, before: dict
                ) -> tuple:
        data = {"file": self.file_name, "sha256": self.sha256, "line": line,
                "set": changed, "before": before}
        return (case_id, self.at, self.actor, UPDATE_EVENT, state, state,
                json.dumps(data, ensure_ascii=False, sort_keys=True))

    def _notice_state(self, line: int, wanted: str, current: str) -> None:
        header = self.header.header_of("state")
        self.report.notices.append(RowIssue(line, header, wanted, Text(
            f"已有案件的状态是“{STATES[current].label.zh}”，导入不改变状态（状态只随操作变化，"
            "请用 tracker event）",
            f"the existing case is in “{STATES[current].label.en}”; an import does not move "
            "states (use tracker event)")))


#: The person's columns an import sets besides the name, in the order of the records.
PERSON_COLUMNS = ("employee_no", "department", "company", "phone", "address",
                  "contact_confirmed_on")


def _exempt_json(staff: StaffRow) -> str | None:
    """R2a: the exempt subjects as the case stores them (JSON list); None: not given."""
    return None if staff.exempt is None else json.dumps(list(staff.exempt))


# --------------------------------------------------------------------------- errors sheet

SHEET_TITLES = (Text("行号", "line"), Text("出错列", "column"), Text("原因", "reason"))


def write_errors_sheet(report: ImportReport, path: Path | str, lang: str) -> int:
    """The rejected rows as a CSV the officer opens in Excel (UTF-8 with BOM, CRLF):
    line, column(s), reason(s), then the original row under its original headers.

    Fixed rows can be imported from this file as they are: the three extra columns
    are reported as unknown and ignored. Returns the number of rows written.
    """
    with private_file(path, "w", encoding="utf-8", newline="") as handle:
        return _errors_sheet(report, handle, lang)


def _errors_sheet(report: ImportReport, handle, lang: str) -> int:
    """The errors list into an open text file (see write_errors_sheet), by the one CSV
    writer; each cell marked by `rules.sheet_cell` (neutralised, long digits kept text)."""
    separator = "；" if lang == "zh" else "; "

    def lines():
        for row in report.rejected_rows:
            columns = list(dict.fromkeys(i.column for i in row.issues if i.column))
            reasons = separator.join(
                (f"{i.column}：" if lang == "zh" else f"{i.column}: ") + i.reason.get(lang)
                if i.column and len(row.issues) > 1 else i.reason.get(lang)
                for i in row.issues)
            cells = list(row.cells) + [""] * (len(report.headers) - len(row.cells))
            yield [row.line, "、".join(columns) if lang == "zh" else ", ".join(columns),
                   reasons, *cells]

    return write_csv(handle, [t.get(lang) for t in SHEET_TITLES] + report.headers, lines(),
                     cell=_sheet_cell)


def _sheet_cell(value: Any) -> Any:
    return rules.sheet_cell(value) if isinstance(value, str) else value
