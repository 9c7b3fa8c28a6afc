"""Exports: one person's status sheet (the model) and the whole register (csv, xlsx, json).

The status sheet answers "where is my certificate?" for one case: the person, the main
line from exam to registration with where the case stands, what to do next (from
`tracker.domain.guidance`), deadlines, the materials checklist and the full history. This
module builds it as data (`StatusSheet`); `tracker.services.render` turns it into
Markdown, HTML or JSON, and the dashboard can show the same object.

The register is one row per case, streamed from one set-based query
(`tracker.store.export`) straight into the writer, so 100,000 cases never sit in memory.

Spreadsheet safety (OWASP "CSV injection"): a text cell that starts with ``=``, ``+``,
``-``, ``@``, tab, CR or LF is prefixed with a single quote in CSV and XLSX, so a name
like ``=HYPERLINK(…)`` stays text when the file is opened in Excel or WPS. JSON is for
programs and keeps values as they are.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..domain import guidance, idcard, reference
from ..domain.deadlines import KINDS as DEADLINE_KINDS
from ..domain.guidance import Step
from ..domain.text import Text
from ..domain.workflow import EVENTS, FIELDS, MAIN_LINE, STAGES, STATES, State
from ..files import private_file
from ..i18n import MESSAGES, t
from ..store import export as store
from . import cases as case_service
from . import deadlines as deadline_service
from .context import Context
from .query import CaseQuery, spec_for, to_filter
from .xlsx import SheetColumn, write_sheet

# --------------------------------------------------------------------------- cell safety

#: First characters that make Excel, LibreOffice or WPS read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: Any) -> Any:
    """A text cell that would start a formula, prefixed with ' so it stays text.

    Numbers and dates are left alone (they are typed, not parsed); so is everything else.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class SheetDeadline:
    """What the sheet shows of a deadline (the fields of services.deadlines.Deadline)."""

    kind: str
    label: Text
    due_on: date
    days_left: int
    overdue: bool
    detail: Text | None = None

    @classmethod
    def of(cls, deadline: Any) -> SheetDeadline:
        return cls(kind=deadline.kind, label=deadline.label, due_on=deadline.due_on,
                   days_left=deadline.days_left, overdue=deadline.overdue,
                   detail=getattr(deadline, "detail", None))

    def days_text(self, lang: str) -> str:
        if self.days_left == 0:
            return t("sheet_due_today", lang=lang)
        if self.overdue or self.days_left < 0:
            return t("sheet_overdue", lang=lang, days=-self.days_left)
        return t("sheet_days_left", lang=lang, days=self.days_left)


def case_deadlines(ctx: Context, row: Mapping[str, Any],
                   materials: Iterable[str] | None = None) -> list[SheetDeadline]:
    """The case's deadlines, soonest first (tracker.services.deadlines)."""
    found = deadline_service.case_deadlines(
        ctx, dict(row), materials=None if materials is None else set(materials))
    return [SheetDeadline.of(d) for d in found]


# --------------------------------------------------------------------------- status sheet

#: Where the states off the main line sit on it: (the slot they take, how it is shown).
_OFF_LINE = {
    "exam_partial": ("exam_passed", "current"),
    "review_missed": ("review_submitted", "stopped"),
    "review_failed": ("review_passed", "stopped"),
    "correction_pending": ("certified", "current"),
}
#: States after registration: the line is complete and one step is added after it.
_AFTER_LINE = {"renewal_due": "current", "renewal_applied": "current",
               "registration_expired": "stopped"}


@dataclass(frozen=True)
class LineStep:
    """One stop on the main line: done, current, to come, stopped, or no longer applies."""

    state: str
    label: Text
    status: str  # done | current | todo | stopped | off


def main_line(state: str) -> list[LineStep]:
    """The main line from exam to registration, with where a case in `state` stands."""
    steps: list[LineStep] = []
    if state in _AFTER_LINE:
        steps = [LineStep(s, STATES[s].label, "done") for s in MAIN_LINE]
        return steps + [LineStep(state, STATES[state].label, _AFTER_LINE[state])]
    slot, shown = _OFF_LINE.get(state, (state, "current"))
    position = MAIN_LINE.index(slot)
    for index, name in enumerate(MAIN_LINE):
        if index < position:
            steps.append(LineStep(name, STATES[name].label, "done"))
        elif index == position:
            steps.append(LineStep(state, STATES[state].label, shown))
        else:
            steps.append(LineStep(name, STATES[name].label, "off" if shown == "stopped"
                                  else "todo"))
    return steps


@dataclass(frozen=True)
class MaterialLine:
    key: str
    label: Text
    received_on: str | None
    needed_now: bool


@dataclass(frozen=True)
class HistoryLine:
    at: str
    event: str
    label: Text
    from_state: str | None
    to_state: str
    actor: str
    note: str | None
    #: What the event recorded: (field label, value), ID numbers masked unless full.
    changes: tuple[tuple[Text, Text], ...] = ()
    undoes: int | None = None


def _event_label(event: str, item: str | None) -> Text:
    if event in EVENTS:
        label = EVENTS[event].label
    elif f"event_{event}" in MESSAGES:
        zh, en = MESSAGES[f"event_{event}"]
        label = Text(zh, en)
    else:
        label = Text(event, event)
    if item:
        material = reference.MATERIALS.get(item, Text(item, item))
        label = Text(f"{label.zh}：{material.zh}", f"{label.en}: {material.en}")
    return label


def _value_text(key: str, value: Any, full_id: bool) -> Text:
    """A recorded value as shown: masked ID, labelled subjects and channel, short numbers."""
    if key == "id_number" and not full_id:
        return _same(idcard.mask(str(value)))
    if key == "channel" and value in reference.CHANNELS:
        return reference.CHANNELS[value]
    if key == "specialty" and value in reference.SPECIALTIES:
        return reference.SPECIALTIES[value]
    if key == "subjects":
        try:
            years = json.loads(value) if isinstance(value, str) else dict(value or {})
        except (ValueError, TypeError):
            return _same(str(value))
        parts = [(reference.SUBJECTS.get(s, Text(s, s)), y) for s, y in sorted(years.items())]
        return Text("、".join(f"{label.zh} {y}" for label, y in parts),
                    "; ".join(f"{label.en} {y}" for label, y in parts))
    if isinstance(value, bool):
        return Text("是", "yes") if value else Text("否", "no")
    if isinstance(value, float):
        return _same(f"{value:g}")
    return _same("" if value is None else str(value))


def _same(text: str) -> Text:
    return Text(text, text)


#: Labels of the columns events derive (not `--set` fields) and of person data.
_DERIVED_LABELS: dict[str, Text] = {
    "review_submitted_on": Text("复核材料提交日期", "Review evidence submitted on"),
    "review_result_on": Text("复核结果日期", "Review result on"),
    "certificate_available_on": Text("证书可领取日期", "Certificate available on"),
    "registration_applied_on": Text("注册申请日期", "Registration applied on"),
    "paper_opens": Text("纸质证书领取开始", "Paper collection opens"),
    "paper_closes": Text("纸质证书领取截止", "Paper collection closes"),
    "specialty": Text("专业", "Specialty"),
    "employee_no": Text("工号", "Employee number"),
    "department": Text("部门", "Department"),
    "company": Text("公司", "Company"),
    "phone": Text("手机", "Phone"),
    "state": Text("状态", "State"),
}


def field_label(key: str) -> Text:
    if key in FIELDS:
        return FIELDS[key].label
    return _DERIVED_LABELS.get(key) or _same(key)


def history_line(row: Mapping[str, Any], full_id: bool) -> HistoryLine:
    data = row.get("data") or {}
    changes = tuple((field_label(key),
                     _value_text(key, value, full_id))
                    for key, value in (data.get("set") or {}).items())
    return HistoryLine(at=str(row["at"]).replace("T", " ")[:16], event=row["event"],
                       label=_event_label(row["event"], data.get("item")),
                       from_state=row.get("from_state"), to_state=row["to_state"],
                       actor=row.get("actor") or "", note=row.get("note"),
                       changes=changes, undoes=row.get("undoes"))


@dataclass
class StatusSheet:
    """Everything one person's status sheet shows, in both languages until rendered."""

    case: dict[str, Any]
    full_id: bool
    generated_on: date
    line: list[LineStep]
    steps: list[Step]
    #: None leaves the section out (a sheet built without deadlines).
    deadlines: list[SheetDeadline] | None
    materials: list[MaterialLine]
    history: list[HistoryLine]
    allowed_events: list[str] = field(default_factory=list)
    blockers: dict[str, list[Text]] = field(default_factory=dict)

    @property
    def state(self) -> State:
        return STATES[self.case["state"]]

    @property
    def id_number(self) -> str:
        number = self.case.get("id_number") or ""
        return number if self.full_id else idcard.mask(number)

    @property
    def rules_cited(self) -> list[str]:
        return guidance.rules_cited(self.steps)

    def specialty(self, lang: str) -> str:
        key = self.case.get("specialty")
        label = reference.SPECIALTIES.get(key or "")
        return label.get(lang) if label else (key or "")

    def person_fields(self, lang: str) -> list[tuple[str, str]]:
        """(label, value) of the person, in the sheet's order; empty values shown as —."""
        row = self.case
        pairs = [
            ("col_name", row.get("name")),
            ("col_employee_no", row.get("employee_no")),
            ("col_id_number", self.id_number),
            ("col_company", row.get("company")),
            ("col_department", row.get("department")),
            ("col_specialty", self.specialty(lang)),
        ]
        return [(t(key, lang=lang), _or_dash(value)) for key, value in pairs]

    def case_fields(self, lang: str) -> list[tuple[str, str]]:
        """(label, value) of the certificate and registration data that are recorded."""
        row = self.case
        channel = reference.CHANNELS.get(row.get("channel") or "")
        channel_text = None
        if channel:
            channel_text = channel.get(lang) + (t("by_proxy", lang=lang)
                                                if row.get("channel_proxy") else "")
        pairs = [
            ("col_exam_year", row.get("exam_year")),
            ("col_review_deadline", row.get("review_deadline")),
            ("col_appointment", row.get("appointment")),
            ("col_certificate_no", row.get("certificate_no")),
            ("col_certificate_date", row.get("certificate_date")),
            ("col_channel", channel_text),
            ("col_employer", row.get("employer")),
            ("col_registration_no", row.get("registration_no")),
            ("col_valid_from", row.get("valid_from")),
            ("col_valid_until", row.get("valid_until")),
            ("col_ce_hours", f"{row['ce_hours']:g}" if row.get("ce_hours") else None),
        ]
        return [(t(key, lang=lang), str(value)) for key, value in pairs
                if value not in (None, "")]

    def to_json(self, lang: str) -> dict[str, Any]:
        """The documented JSON of a status sheet (README "Status sheet as JSON")."""
        row = self.case
        state = self.state
        return {
            "generated_on": self.generated_on.isoformat(),
            "lang": lang,
            "case_id": row["case_id"],
            "person": {
                "name": row.get("name"),
                "employee_no": row.get("employee_no"),
                "id_number": self.id_number,
                "id_number_masked": not self.full_id,
                "company": row.get("company"),
                "department": row.get("department"),
                "phone": row.get("phone"),
            },
            "specialty": row.get("specialty") or None,
            "specialty_label": self.specialty(lang),
            "state": state.name,
            "state_label": state.label.get(lang),
            "state_meaning": state.meaning.get(lang),
            "stage": state.stage,
            "stage_label": STAGES[state.stage].label.get(lang),
            "case": {k: row.get(k) for k in (
                "exam_year", "review_deadline", "review_submitted_on", "review_result_on",
                "certificate_available_on", "appointment", "certificate_no",
                "certificate_date", "channel", "channel_proxy", "employer",
                "registration_applied_on", "registration_no", "valid_from", "valid_until",
                "ce_hours")},
            "main_line": [{"state": s.state, "label": s.label.get(lang), "status": s.status}
                          for s in self.line],
            "next_steps": [s.to_dict(lang) for s in self.steps],
            "rules_cited": {r: guidance.RULE_TITLES[r].get(lang) for r in self.rules_cited},
            "deadlines": None if self.deadlines is None else [
                {"kind": d.kind, "label": d.label.get(lang), "due_on": d.due_on.isoformat(),
                 "days_left": d.days_left, "overdue": d.overdue,
                 "detail": d.detail.get(lang) if d.detail else None}
                for d in self.deadlines],
            "materials": [{"item": m.key, "label": m.label.get(lang),
                           "received_on": m.received_on, "needed_now": m.needed_now}
                          for m in self.materials],
            "allowed_events": self.allowed_events,
            "history": [{"at": h.at, "event": h.event, "label": h.label.get(lang),
                         "from_state": h.from_state, "to_state": h.to_state,
                         "actor": h.actor, "note": h.note, "undoes": h.undoes,
                         "recorded": {label.get(lang): value.get(lang)
                                      for label, value in h.changes}}
                        for h in self.history],
        }


def _or_dash(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def status_sheet(ctx: Context, case_id: int, *, full_id: bool = False) -> StatusSheet:
    """The status sheet of one case, as of ctx.today."""
    detail = case_service.case_detail(ctx, case_id)
    row = detail.case
    state = row["state"]
    received = detail.materials
    needed = set(guidance.relevant_materials(state, row))
    return StatusSheet(
        case=dict(row), full_id=full_id, generated_on=ctx.today,
        line=main_line(state),
        steps=guidance.next_steps(state, row, materials=set(received), rules=ctx.rules,
                                  today=ctx.today),
        deadlines=case_deadlines(ctx, row, received),
        materials=[MaterialLine(key, label, received.get(key), key in needed)
                   for key, label in reference.MATERIALS.items()],
        history=[history_line(h, full_id) for h in detail.history],
        allowed_events=detail.allowed_events, blockers=detail.blockers)


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
    Column("stage", "export_col_stage", "text", 10),
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
    Column("next_deadline", "export_col_next_deadline", "text", 22),
    Column("next_deadline_on", "export_col_next_deadline_on", "date", 12),
    Column("days_left", "export_col_days_left", "int", 9),
    Column("updated_at", "export_col_updated_at", "datetime", 17),
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
    proxy = t("by_proxy", lang=lang)
    mask = idcard.mask
    today = ctx.today.toordinal()
    fromisoformat = date.fromisoformat
    spec = spec_for(ctx.rules)
    for batch in store.register_batches(ctx.db, to_filter(ctx, query), sort, spec):
        records = []
        for (case_id, employee_no, name, id_number, company, department, phone, specialty,
             state, exam_year, review_deadline, certificate_no, certificate_date, channel,
             channel_proxy, employer, registration_no, valid_from, valid_until, ce_hours,
             updated_at, next_kind, next_on) in batch:
            if not full_id:
                id_number = (id_number[:6] + "********" + id_number[-4:]
                             if id_number and len(id_number) == 18 else mask(id_number))
            if channel:
                channel = channels.get(channel, channel) + (proxy if channel_proxy else "")
            if isinstance(ce_hours, float) and ce_hours.is_integer():
                ce_hours = int(ce_hours)
            records.append([
                case_id, employee_no, name, id_number, company, department, phone,
                specialties.get(specialty, specialty) or None, stages.get(state),
                states.get(state, state), state, exam_year, review_deadline, certificate_no,
                certificate_date, channel, employer or company, registration_no, valid_from,
                valid_until, ce_hours, kinds.get(next_kind, next_kind), next_on,
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
_TRIGGER_CHARS = frozenset(FORMULA_TRIGGERS)


def _neutralise_rows(records: list[list[Any]]) -> list[list[Any]]:
    """neutralise() on every text column, in place (the hot loop of CSV and XLSX)."""
    triggers = _TRIGGER_CHARS
    indexes = _TEXT_INDEXES
    for record in records:
        for i in indexes:
            value = record[i]
            if value and value[0] in triggers:
                record[i] = "'" + value
    return records


def write_register_csv(out: IO[str], batches: Iterable[list[list[Any]]], lang: str) -> int:
    """CSV for Excel: UTF-8 with a BOM (written here), CRLF; the caller opens `out` with
    encoding utf-8 and newline=''."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(register_header(lang))
    count = 0
    for records in batches:
        writer.writerows(_neutralise_rows(records))
        count += len(records)
    return count


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
                        lang: str) -> int:
    """An .xlsx workbook: bold frozen header, autofilter, widths; IDs text, dates dates.

    Streamed (tracker.services.xlsx): 100,000 rows in flat memory; every cell typed by
    its column, never guessed from its text; formula-like text neutralised first.
    """
    columns = [SheetColumn(t(c.header, lang=lang), "text" if c.kind == "id" else c.kind,
                           c.width) for c in REGISTER_COLUMNS]
    return write_sheet(path, t("register_sheet", lang=lang), columns,
                       (_neutralise_rows(records) for records in batches),
                       font="Microsoft YaHei" if lang == "zh" else "Calibri")


REGISTER_FORMATS = ("csv", "xlsx", "json")


def export_register(ctx: Context, query: CaseQuery | None, fmt: str, target: Path | IO[str],
                    lang: str, *, full_id: bool = False, sort: str = "case_id") -> int:
    """Write the register to `target` (a path, or a text stream for csv/json); the count."""
    batches = register_records(ctx, query, lang, full_id=full_id, sort=sort)
    try:
        if fmt == "xlsx":
            return write_register_xlsx(target, batches, lang)
        writer = write_register_csv if fmt == "csv" else write_register_json
        if isinstance(target, (str, Path)):
            with private_file(target, "w", encoding="utf-8", newline="") as out:
                return writer(out, batches, lang)
        return writer(target, batches, lang)
    finally:
        batches.close()  # the cursor is closed now, not whenever the generator is collected
