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
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import importing as rules
from ..domain.importing import HeaderMap, Problem, StaffRow
from ..domain.text import Text
from ..domain.workflow import STATES
from ..errors import EXIT_OK, EXIT_PARTIAL, EXIT_REFUSED, TrackerError
from ..store import importing as store
from .context import Context
from .pinyin_table import name_keys

#: Rows written per round of executemany (bounded memory; larger gains nothing).
CHUNK_ROWS = 5000
#: The header may sit below a title row or two; look this far for it.
HEADER_SEARCH_ROWS = 10
#: A progress report every this many rows.
PROGRESS_EVERY = 1000

DEFAULT_STATE = "exam_passed"
IMPORT_EVENT, UPDATE_EVENT = "import", "update"

#: Progress callback: (rows done, rows expected).
Progress = Callable[[int, int], None]


@dataclass
class RowIssue:
    """A problem (or a notice) about one row: line, column as headed in the file, value."""

    line: int
    column: str
    value: str
    reason: Text


@dataclass
class RejectedRow:
    line: int
    cells: list[str]
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
                progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS
                ) -> ImportReport:
    """Import a staff list (CSV, TSV, xlsx); see the module docstring for what rows do.

    Raises TrackerError (exit code 2) when the file is refused as a whole: missing,
    unreadable, undecodable, without the name and ID-number columns.
    """
    from .sources import open_source

    path = Path(path)
    source = open_source(path, encoding=encoding, sheet=sheet)
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

    reader = rules.RowReader(header, ctx.today)
    ledger = rules.Ledger()
    writer = _Writer(ctx, report, header, path.name, source.sha256)
    done = 0
    try:
        with ctx.db.transaction():
            writer.begin()
            for line, cells in rows:
                done += 1
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, max(expected, done))
                if rules.is_blank(cells):
                    report.skipped_blank += 1
                    continue
                report.rows += 1
                staff, problems = reader.read(cells)
                if staff is not None:
                    problems = ledger.check(line, staff)
                if problems:
                    _reject(report, header, line, cells, problems)
                    continue
                writer.add(line, staff, cells)
                if len(writer.pending) >= chunk_rows:
                    writer.flush()
            writer.flush()
            if dry_run or report.refused:
                raise _Rollback
        report.written = True
    except _Rollback:
        pass
    if progress is not None:
        progress(done, done)
    report.errors.sort(key=lambda issue: issue.line)
    report.rejected_rows.sort(key=lambda row: row.line)
    return report


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
    report.rejected_rows.append(RejectedRow(line, [rules.cell_text(c) for c in cells], issues))


# --------------------------------------------------------------------------- writing


class _Writer:
    """Compares a chunk of accepted rows with the database and writes the differences."""

    def __init__(self, ctx: Context, report: ImportReport, header: HeaderMap, file_name: str,
                 sha256: str):
        self.ctx, self.report, self.header = ctx, report, header
        self.at = ctx.now()
        self.actor = ctx.actor
        self.pending: list[tuple[int, StaffRow, list]] = []
        self.has = {key: key in header.index for key in rules.COLUMNS}
        self.source = {"file": file_name, "sha256": sha256}
        file_json = json.dumps(file_name, ensure_ascii=False)
        # The "import" history data, sorted keys as store.add_history writes them.
        self._import_data = '{"file": ' + file_json + ', "line": %d, "sha256": "' + sha256 + '"}'
        self._import_data_passed = ('{"exam_passed_on": "%s", "file": ' + file_json
                                    + ', "line": %d, "sha256": "' + sha256 + '"}')

    def begin(self) -> None:
        self.next_person, self.next_case = store.next_ids(self.ctx.db)

    def add(self, line: int, staff: StaffRow, cells: list) -> None:
        self.pending.append((line, staff, cells))

    def flush(self) -> None:
        chunk, self.pending = self.pending, []
        if not chunk:
            return
        db, at, actor, report = self.ctx.db, self.at, self.actor, self.report
        numbers = list(dict.fromkeys(staff.id_number for _, staff, _ in chunk))
        on_record = store.persons_by_id_number(db, numbers)
        cases = store.cases_of_persons(db, [p[0] for p in on_record.values()])
        # Persons as they stand while this chunk is applied:
        # id_number -> [id, name, employee_no, department, company, phone, new row or None]
        people: dict[str, list] = {}
        new_persons: list[list] = []
        person_updates: list[tuple] = []
        new_cases: list[tuple] = []
        case_updates: list[tuple] = []
        history: list[tuple] = []

        for line, staff, cells in chunk:
            person = people.get(staff.id_number)
            if person is None:
                record = on_record.get(staff.id_number)
                if record is not None:
                    person = people[staff.id_number] = [*record, None]
                    conflict = rules.name_conflict(record[1], staff)
                    if conflict is not None:
                        _reject(report, self.header, line, cells, [conflict])
                        del people[staff.id_number]
                        continue
                else:
                    full, initials = name_keys(staff.name)
                    insert = [self.next_person, staff.id_number, staff.name, full, initials,
                              staff.employee_no or None, staff.department or None,
                              staff.company or None, staff.phone or None, at]
                    new_persons.append(insert)
                    person = people[staff.id_number] = [
                        self.next_person, staff.name, insert[5], insert[6], insert[7],
                        insert[8], insert]
                    self.next_person += 1
            elif person[1] != staff.name:  # (the ledger makes this impossible)
                conflict = rules.name_conflict(person[1], staff)
                _reject(report, self.header, line, cells, [conflict])
                continue

            # Person fields: a non-empty cell that differs from the record is a change.
            changed: dict[str, object] = {}
            before: dict[str, object] = {}
            for position, key in ((2, "employee_no"), (3, "department"), (4, "company"),
                                  (5, "phone")):
                value = getattr(staff, key)
                if value and value != person[position]:
                    changed[key], before[key] = value, person[position]
                    person[position] = value
            if changed:
                if person[6] is not None:  # inserted in this chunk: not yet written
                    insert = person[6]
                    insert[5:9] = person[2:6]
                    changed, before = {}, {}
                else:
                    person_updates.append((person[2], person[3], person[4], person[5], at,
                                           person[0]))

            case = cases.get((person[0], staff.specialty))
            if case is None:
                case_id, state = self.next_case, staff.state or DEFAULT_STATE
                self.next_case += 1
                new_cases.append((case_id, person[0], staff.specialty, state, staff.exam_year,
                                  staff.certificate_no or None, staff.registration_no or None,
                                  staff.valid_until, staff.ce_hours, at))
                data = (self._import_data_passed % (staff.exam_passed_on, line)
                        if staff.exam_passed_on else self._import_data % line)
                history.append((case_id, at, actor, IMPORT_EVENT, None, state, data))
                report.inserted += 1
                if changed:
                    history.append(self._update(case_id, state, line, changed, before))
                continue

            case_id, state = case[0], case[1]
            if staff.state is not None and staff.state != state:
                self._notice_state(line, staff.state, state)
            case_changed: dict[str, object] = {}
            case_before: dict[str, object] = {}
            current = list(case[2:7])
            for position, key, value in (
                    (0, "exam_year", staff.exam_year),
                    (1, "certificate_no", staff.certificate_no or None),
                    (2, "registration_no", staff.registration_no or None),
                    (3, "valid_until", staff.valid_until),
                    (4, "ce_hours", staff.ce_hours)):
                if value is not None and value != current[position]:
                    case_changed[key], case_before[key] = value, current[position]
                    current[position] = value
            if case_changed:
                case_updates.append((*current, at, case_id))
                changed.update(case_changed)
                before.update(case_before)
            if changed:
                history.append(self._update(case_id, state, line, changed, before))
                report.updated += 1
            else:
                report.unchanged += 1

        store.insert_persons(db, (tuple(p) for p in new_persons))
        store.update_persons(db, person_updates)
        store.insert_cases(db, new_cases)
        store.update_cases(db, case_updates)
        store.insert_history(db, history)

    def _update(self, case_id: int, state: str, line: int, changed: dict, before: dict
                ) -> tuple:
        data = {**self.source, "line": line, "set": changed, "before": before}
        return (case_id, self.at, self.actor, UPDATE_EVENT, state, state,
                json.dumps(data, ensure_ascii=False, sort_keys=True))

    def _notice_state(self, line: int, wanted: str, current: str) -> None:
        header = self.header.header_of("state")
        self.report.notices.append(RowIssue(line, header, wanted, Text(
            f"已有案件的状态是“{STATES[current].label.zh}”，导入不改变状态（状态只随操作变化，"
            "请用 tracker event）",
            f"the existing case is in “{STATES[current].label.en}”; an import does not move "
            "states (use tracker event)")))


# --------------------------------------------------------------------------- errors sheet

SHEET_TITLES = (Text("行号", "line"), Text("出错列", "column"), Text("原因", "reason"))


def write_errors_sheet(report: ImportReport, path: Path | str, lang: str) -> int:
    """The rejected rows as a CSV the officer opens in Excel (UTF-8 with BOM, CRLF):
    line, column(s), reason(s), then the original row under its original headers.

    Fixed rows can be imported from this file as they are: the three extra columns
    are reported as unknown and ignored. Returns the number of rows written.
    """
    path = Path(path)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([t.get(lang) for t in SHEET_TITLES] + report.headers)
        separator = "；" if lang == "zh" else "; "
        for row in report.rejected_rows:
            columns = list(dict.fromkeys(i.column for i in row.issues if i.column))
            reasons = separator.join(
                (f"{i.column}：" if lang == "zh" else f"{i.column}: ") + i.reason.get(lang)
                if i.column and len(row.issues) > 1 else i.reason.get(lang)
                for i in row.issues)
            cells = row.cells + [""] * (len(report.headers) - len(row.cells))
            writer.writerow([row.line, "、".join(columns) if lang == "zh" else ", ".join(columns),
                             rules.sheet_cell(reasons)]
                            + [rules.sheet_cell(c) for c in cells])
    return len(report.rejected_rows)
