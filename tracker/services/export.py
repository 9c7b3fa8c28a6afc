"""Exports: the whole register (csv, xlsx, json), one row per case.

(One person's status sheet is the case's read model, `tracker.services.sheet`, rendered
by `tracker.services.render`.)

The register is one row per case, streamed from one set-based query
(`tracker.store.export`) straight into the writer, so 100,000 cases never sit in memory.

Spreadsheet safety (OWASP "CSV injection"): a text cell that starts with ``=``, ``+``,
``-``, ``@``, tab, CR or LF is prefixed with a single quote in CSV and XLSX, so a name
like ``=HYPERLINK(…)`` stays text when the file is opened in Excel or WPS — the one rule
of tracker.domain.spreadsheet; the CSV is written by the one CSV writer
(tracker.services.csvfile). JSON is for programs and keeps values as they are.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import IO, Any

from ..domain import idcard, reference
from ..domain.deadlines import KINDS as DEADLINE_KINDS
from ..domain.deadlines import sitting_label, undated
from ..domain.spreadsheet import FORMULA_TRIGGERS, TRIGGER_CHARS, neutralise  # noqa: F401
from ..domain.workflow import STAGES, STATES
from ..files import private_file
from ..i18n import t
from ..store import export as store
from .cases import sittings
from .context import Context
from .csvfile import write_csv
from .deadlines import provisional_deadlines
from .query import CaseQuery, spec_for, to_filter
from .xlsx import SheetColumn, write_sheet

# --------------------------------------------------------------------------- the register


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # message key
    #: int | number | text | id | date | datetime — how XLSX types the cell.
    kind: str
    width: int  # XLSX column width in characters (CJK counts double)


REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("case_id", "col_case_id", "int", 7),
    Column("employee_no", "col_employee_no", "text", 10),
    Column("name", "col_name", "text", 12),
    Column("id_number", "col_id_number", "id", 21),
    Column("company", "col_company", "text", 28),
    Column("department", "col_department", "text", 12),
    Column("phone", "col_phone", "text", 14),
    Column("specialty", "col_specialty", "text", 14),
    Column("stage", "col_stage", "text", 10),
    Column("state_label", "col_state_label", "text", 20),
    Column("state", "col_state", "text", 20),
    Column("exam_year", "col_exam_year", "int", 9),
    Column("review_deadline", "col_review_deadline", "date", 12),
    Column("certificate_no", "col_certificate_no", "text", 16),
    Column("certificate_date", "col_certificate_date", "date", 12),
    Column("channel", "col_channel", "text", 16),
    Column("employer", "col_employer", "text", 28),
    Column("registration_no", "col_registration_no", "text", 16),
    Column("valid_from", "col_valid_from", "date", 12),
    Column("valid_until", "col_valid_until", "date", 12),
    Column("ce_hours", "col_ce_hours", "number", 9),
    Column("next_deadline", "col_next_deadline", "text", 22),
    Column("next_deadline_on", "col_next_deadline_on", "date", 12),
    Column("days_left", "col_days_left", "int", 9),
    Column("updated_at", "col_updated_at", "datetime", 17),
)
REGISTER_KEYS = tuple(c.key for c in REGISTER_COLUMNS)


def register_header(lang: str) -> list[str]:
    return [t(c.header, lang=lang) for c in REGISTER_COLUMNS]


def register_records(ctx: Context, query: CaseQuery | None, lang: str, *,
                     full_id: bool = False, sort: str = "case_id") -> Iterator[list[list[Any]]]:
    """Batches of rows in REGISTER_COLUMNS order; dates as ISO text, None when empty.

    The next deadline comes from the same SQL statement (store.export); only labels,
    masking and days-left are done here, with everything looked up once, outside the loop.
    """
    states = {k: s.label.get(lang) for k, s in STATES.items()}
    stages = {k: STAGES[s.stage].label.get(lang) for k, s in STATES.items()}
    specialties = {k: v.get(lang) for k, v in reference.SPECIALTIES.items()}
    channels = {k: v.get(lang) for k, v in reference.CHANNELS.items()}
    kinds = {k: v.label.get(lang) for k, v in DEADLINE_KINDS.items()}
    proxy = reference.BY_PROXY.get(lang)
    mask = idcard.mask
    today = ctx.today.toordinal()
    fromisoformat = date.fromisoformat
    spec = spec_for(ctx.rules, ctx.today)
    known = sittings(ctx)
    provisional = provisional_deadlines(ctx)  # R15: "复核材料提交截止（暂定）"
    for batch in store.register_batches(ctx.db, to_filter(ctx, query), sort, spec):
        records = []
        for (case_id, employee_no, name, id_number, company, department, phone, specialty,
             state, exam_year, review_deadline, certificate_no, certificate_date, channel,
             channel_proxy, employer, registration_no, valid_from, valid_until, ce_hours,
             updated_at, subjects, next_kind, next_on) in batch:
            undated_label = None
            if next_kind is None and state == "exam_partial":  # R2a: a sitting without a day
                for _, year in undated({"state": state, "subjects": subjects}, ctx.rules,
                                       known)[:1]:
                    undated_label = sitting_label(year).get(lang)
            if not full_id:
                id_number = mask(id_number)
            if channel:
                channel = channels.get(channel, channel) + (proxy if channel_proxy else "")
            if isinstance(ce_hours, float) and ce_hours.is_integer():
                ce_hours = int(ce_hours)
            next_label = kinds.get(next_kind, next_kind)
            if (case_id, next_kind) in provisional:
                next_label = t("provisional_label", lang=lang, label=next_label)
            records.append([
                case_id, employee_no, name, id_number, company, department, phone,
                specialties.get(specialty, specialty) or None, stages.get(state),
                states.get(state, state), state, exam_year, review_deadline, certificate_no,
                certificate_date, channel, employer or company, registration_no, valid_from,
                valid_until, ce_hours, undated_label or next_label, next_on,
                fromisoformat(next_on).toordinal() - today if next_on else None,
                updated_at.replace("T", " ") if updated_at else None,
            ])
        yield records


#: Columns whose text can come from a user or an imported file (and so can be hostile).
#: The others are the tracker's own labels, dates and numbers, or a validated ID number;
#: a test holds every text cell of a hostile register to the rule all the same.
USER_TEXT = ("employee_no", "name", "company", "department", "phone", "certificate_no",
             "employer", "registration_no")
_TEXT_INDEXES = tuple(REGISTER_KEYS.index(key) for key in USER_TEXT)


def _neutralise_rows(records: list[list[Any]]) -> list[list[Any]]:
    """neutralise() on every user-text column, in place (the hot loop of the XLSX; the
    CSV writer neutralises every text cell itself)."""
    triggers = TRIGGER_CHARS
    indexes = _TEXT_INDEXES
    for record in records:
        for i in indexes:
            value = record[i]
            if value and value[0] in triggers:
                record[i] = "'" + value
    return records


def write_register_csv(out: IO[str], batches: Iterable[list[list[Any]]], lang: str) -> int:
    """CSV for Excel by the one CSV writer (UTF-8 with a BOM, CRLF, every text cell
    neutralised); the caller opens `out` with encoding utf-8 and newline=''."""
    return write_csv(out, register_header(lang), chain.from_iterable(batches))


def write_register_json(out: IO[str], batches: Iterable[list[list[Any]]], lang: str) -> int:
    """A JSON array of objects keyed by REGISTER_KEYS, streamed; values as stored."""
    out.write("[")
    count = 0
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    keys = REGISTER_KEYS
    for records in batches:
        for record in records:
            out.write(",\n  " if count else "\n  ")
            out.write(dumps(dict(zip(keys, record))))
            count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_register_xlsx(path: Path | str, batches: Iterable[list[list[Any]]],
                        lang: str, *, replace: bool = True) -> int:
    """An .xlsx workbook: bold frozen header, autofilter, widths; IDs text, dates dates.

    Streamed (tracker.services.xlsx): 100,000 rows in flat memory; every cell typed by
    its column, never guessed from its text; formula-like text neutralised first.
    """
    columns = [SheetColumn(t(c.header, lang=lang), "text" if c.kind == "id" else c.kind,
                           c.width) for c in REGISTER_COLUMNS]
    return write_sheet(path, t("register_sheet", lang=lang), columns,
                       (_neutralise_rows(records) for records in batches),
                       font="Microsoft YaHei" if lang == "zh" else "Calibri", replace=replace)


REGISTER_FORMATS = ("csv", "xlsx", "json")


def export_register(ctx: Context, query: CaseQuery | None, fmt: str, target: Path | IO[str],
                    lang: str, *, full_id: bool = False, sort: str = "case_id",
                    replace: bool = True) -> int:
    """Write the register to `target` (a path, or a text stream for csv/json); the count.
    `replace=False`: an existing file is refused (tracker.files)."""
    batches = register_records(ctx, query, lang, full_id=full_id, sort=sort)
    try:
        if fmt == "xlsx":
            return write_register_xlsx(target, batches, lang, replace=replace)
        writer = write_register_csv if fmt == "csv" else write_register_json
        if isinstance(target, (str, Path)):
            with private_file(target, "w", encoding="utf-8", newline="",
                              replace=replace) as out:
                return writer(out, batches, lang)
        return writer(target, batches, lang)
    finally:
        batches.close()  # the cursor is closed now, not whenever the generator is collected
