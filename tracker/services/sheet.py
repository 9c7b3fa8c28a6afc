"""One read model of a case: what `tracker show`, the dashboard's case screen and the status
sheet (Markdown, HTML, JSON) lay out.

`case_sheet(ctx, case_id)` gathers, once, everything a person's case shows: the labelled
fields (names from the one vocabulary, `tracker.domain.fields`; the ID number masked unless
asked for), where the case stands on the main line, what to do next (guidance),
deadlines (with the one wording of days left), the materials checklist, the history
lines, and the events allowed now with what each still lacks. The faces only arrange it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from ..domain import fields, idcard, reference
from ..domain.deadlines import Deadline
from ..domain.rules import Rules
from ..domain.text import Text
from ..domain.workflow import MAIN_LINE, STAGES, STATES, State, history_label
from . import cases as case_service
from . import deadlines as deadline_service
from .context import Context
from .registration import registration_sheet
from .staff_messages import last_notified
from .views import _same, value_text

#: The person's fields, in the order every face shows them.
PERSON_FIELDS = ("name", "employee_no", "id_number", "company", "department", "phone",
                 "specialty")
#: The certificate and registration data, shown when recorded.
CASE_FIELDS = ("exam_year", "review_deadline", "appointment", "certificate_no",
               "certificate_date", "channel", "employer", "registration_no", "valid_from",
               "valid_until", "ce_hours")
#: The case columns the status sheet's JSON carries as they are stored.
JSON_CASE_COLUMNS = ("exam_year", "review_deadline", "review_submitted_on", "review_result_on",
                     "certificate_available_on", "appointment", "certificate_no",
                     "certificate_date", "channel", "channel_proxy", "employer",
                     "registration_applied_on", "registration_no", "valid_from",
                     "valid_until", "ce_hours")


# The small records are NamedTuples: as immutable as frozen dataclasses, and a sixth of
# their cost at import (`tracker show` pays for every class it defines).
class SheetField(NamedTuple):
    """One labelled datum of the case; `value` None when nothing is recorded."""

    key: str
    value: Text | None

    @property
    def label(self) -> Text:
        return fields.label(self.key)


def sheet_fields(row: Mapping[str, Any], keys: tuple[str, ...], *, full_id: bool
                 ) -> list[SheetField]:
    proxy = bool(row.get("channel_proxy"))
    return [SheetField(key, value_text(key, row.get(key), full_id=full_id, proxy=proxy))
            for key in keys]


def labelled(sheet_fields: list[SheetField], lang: str, *, dash: bool = False
             ) -> list[tuple[str, str]]:
    """(label, value) pairs of fields in `lang`; an empty value as "—" with `dash`,
    left out without."""
    return [(f.label.get(lang), f.value.get(lang) if f.value else "—")
            for f in sheet_fields if f.value is not None or dash]


# --------------------------------------------------------------------------- the main line


class LineStep(NamedTuple):
    """One stop on the main line: done, current, to come, stopped, or no longer applies."""

    state: str
    label: Text
    status: str  # done | current | todo | stopped | off


def main_line(state: str) -> list[LineStep]:
    """The main line from exam to registration, with where a case in `state` stands
    (`State.line`: the slot a state off the line takes, or a step added after it)."""
    spec = STATES[state]
    slot, shown = spec.line or (state, "current")
    if slot == "after":
        return [LineStep(s, STATES[s].label, "done") for s in MAIN_LINE] + [
            LineStep(state, spec.label, shown)]
    position = MAIN_LINE.index(slot)
    steps = []
    for index, name in enumerate(MAIN_LINE):
        if index < position:
            steps.append(LineStep(name, STATES[name].label, "done"))
        elif index == position:
            steps.append(LineStep(state, spec.label, shown))
        else:
            steps.append(LineStep(name, STATES[name].label,
                                  "off" if shown == "stopped" else "todo"))
    return steps


# --------------------------------------------------------------------------- lines


class MaterialLine(NamedTuple):
    key: str
    label: Text
    received_on: str | None
    needed_now: bool


class HistoryLine(NamedTuple):
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


def history_line(row: Mapping[str, Any], full_id: bool = False) -> HistoryLine:
    """A history row as every face shows it (its label, its time to the minute)."""
    data = row.get("data") or {}
    # What the event set on the case, then what it recorded beside (a sitting failed, the
    # passes voided).
    recorded = {**(data.get("set") or {}), **(data.get("recorded") or {})}
    changes = tuple((fields.label(key), value_text(key, value, full_id=full_id) or _same(""))
                    for key, value in recorded.items())
    return HistoryLine(at=str(row["at"]).replace("T", " ")[:16], event=row["event"],
                       label=history_label(row["event"], data),
                       from_state=row.get("from_state"), to_state=row["to_state"],
                       actor=row.get("actor") or "", note=row.get("note"),
                       changes=changes, undoes=row.get("undoes"))


# --------------------------------------------------------------------------- the exam


class EarlierAttempt(NamedTuple):
    """R3c: an exam cycle that ended (review failed or missed) before the case restarted."""

    restarted_at: str
    ended_in: Text
    exam_year: int | None


class ExamRecord(NamedTuple):
    """R2a: where the exam stands — the passes in force by exam year, the exemptions, the
    subjects still to pass, the sittings failed or missed, the passes that expired — and
    the earlier attempts."""

    passes: dict[str, int]
    exempt: list[str]
    missing: list[str]
    failed: list[tuple[int | None, list[str], bool]]
    voided: dict[str, int]
    earlier: list[EarlierAttempt]

    def shown(self, stage: str) -> bool:
        """Worth a section: in the exam stage, or when an attempt ended or passes expired."""
        return stage == "exam" or bool(self.earlier or self.voided)


def exam_record(case: Mapping[str, Any], records: list[dict]) -> ExamRecord:
    """The exam as the case row and its history tell it (the current cycle: since the last
    restart)."""
    from ..domain.model import exempt_of, passes_of, required_subjects

    passes, exempt = passes_of(case), exempt_of(case)
    failed: list[tuple[int | None, list[str], bool]] = []
    voided: dict[str, int] = {}
    earlier: list[EarlierAttempt] = []
    for row in records:
        data = row.get("data") or {}
        recorded = data.get("recorded") or {}
        if row["event"] == "restart_exam":
            ended = row.get("from_state")
            earlier.append(EarlierAttempt(str(row["at"])[:10],
                                          STATES[ended].label if ended in STATES else _same(""),
                                          (data.get("before") or {}).get("exam_year")))
            failed, voided = [], {}
        elif row["event"] == "record_subject_fail":
            year = recorded.get("exam_year") or (data.get("set") or {}).get("exam_year")
            failed.append((year, _json_list(recorded.get("failed_subjects")),
                           bool(recorded.get("absent"))))
        elif row["event"] == "void_exam_passes":
            voided.update(_json_dict(recorded.get("voided")))
    missing = [s for s in required_subjects(exempt) if s not in passes]
    return ExamRecord(passes, exempt, missing, failed, voided, earlier)


def _json(value: Any) -> Any:
    """History data as recorded: a list or mapping, or its JSON text."""
    if isinstance(value, str):
        import json

        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _json_dict(value: Any) -> dict:
    value = _json(value)
    return dict(value) if isinstance(value, dict) else {}


def _json_list(value: Any) -> list:
    value = _json(value)
    return [str(v) for v in value] if isinstance(value, list) else []


# --------------------------------------------------------------------------- the sheet


@dataclass
class CaseSheet:
    """Everything one case shows, in both languages until a face renders it."""

    case: dict[str, Any]
    full_id: bool
    today: date
    rules: Rules
    line: list[LineStep]
    #: None leaves the deadlines out (a sheet built without them).
    deadlines: list[Deadline] | None
    materials: list[MaterialLine]
    history: list[HistoryLine]
    allowed_events: list[str] = field(default_factory=list)
    #: For each allowed event, what the case still lacks for it.
    blockers: dict[str, list[Text]] = field(default_factory=dict)
    #: The history rows as stored (for the JSON of `tracker show`).
    records: list[dict] = field(default_factory=list)
    #: The exam sittings recorded (exam year -> day, R2a): they date the exam advice.
    sittings: Mapping[int, date] = field(default_factory=dict)
    #: When the person was last told of a notice (`tracker notice message`, R16), or None.
    last_told: dict[str, Any] | None = None
    #: The registration part (R7a–R7d, R9c): current and earlier registrations, materials
    #: by period, continuing education; None for a sheet built without it.
    registration: Any = None

    def told_text(self) -> Text | None:
        """"2026-06-02（资格复核通知：标题）" — when the person was last told, and of what."""
        told = self.last_told
        if not told:
            return None
        from .notices import NOTICE_KINDS

        kind = NOTICE_KINDS.get(told.get("notice_kind") or "")
        about = kind.label if kind else Text("通知", "a notice")
        title = told.get("notice_title")
        return Text(f"{told['on']}（{about.zh}{'：' + title if title else ''}）",
                    f"{told['on']} ({about.en}{': ' + title if title else ''})")

    @property
    def state(self) -> State:
        return STATES[self.case["state"]]

    @cached_property
    def steps(self) -> list:
        """What to do next (`tracker.domain.guidance`), worked out when first asked for."""
        from ..domain import guidance

        received = {m.key for m in self.materials if m.received_on}
        return guidance.next_steps(self.case["state"], self.case, materials=received,
                                   rules=self.rules, today=self.today, sittings=self.sittings)

    @cached_property
    def exam(self) -> ExamRecord:
        return exam_record(self.case, self.records)

    @property
    def stage(self) -> Text:
        return STAGES[self.state.stage].label

    @property
    def id_number(self) -> str:
        number = self.case.get("id_number") or ""
        return number if self.full_id else idcard.mask(number)

    @property
    def rules_cited(self) -> list[str]:
        from ..domain.guidance import rules_cited

        return rules_cited(self.steps)

    def specialty(self, lang: str) -> str:
        value = value_text("specialty", self.case.get("specialty"))
        return value.get(lang) if value else ""

    def person(self, *, full_id: bool | None = None) -> list[SheetField]:
        """The person's fields, all of them (empty ones with value None)."""
        return sheet_fields(self.case, PERSON_FIELDS,
                            full_id=self.full_id if full_id is None else full_id)

    def data(self) -> list[SheetField]:
        """The certificate and registration data that are recorded."""
        return [f for f in sheet_fields(self.case, CASE_FIELDS, full_id=self.full_id)
                if f.value is not None]

    def to_json(self, lang: str) -> dict[str, Any]:
        """The documented JSON of a status sheet (docs/json.md, "Status sheet"): what the
        person reads (R17) — no instructions for the tracker, no rule ids, no event keys."""
        row, state = self.case, self.state
        return {
            "generated_on": self.today.isoformat(),
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
            "stage_label": self.stage.get(lang),
            "case": {k: row.get(k) for k in JSON_CASE_COLUMNS},
            "main_line": [{"state": s.state, "label": s.label.get(lang), "status": s.status}
                          for s in self.line],
            "exam": self.exam_json(lang),
            "last_told": ({"on": self.last_told["on"], "notice_kind": self.last_told["notice_kind"],
                           "notice_title": self.last_told["notice_title"]}
                          if self.last_told else None),
            "next_steps": [s.to_dict(lang, officer=False) for s in self.steps],
            "deadlines": None if self.deadlines is None else [
                deadline_service.deadline_object(d, lang) for d in self.deadlines],
            "materials": [{"item": m.key, "label": m.label.get(lang),
                           "received_on": m.received_on, "needed_now": m.needed_now}
                          for m in self.materials],
            **self.registration_json(lang),
            "history": [{"at": h.at, "label": h.label.get(lang),
                         "from_state": h.from_state, "to_state": h.to_state, "note": h.note,
                         "recorded": {label.get(lang): value.get(lang)
                                      for label, value in h.changes}}
                        for h in self.history],
        }

    def registration_json(self, lang: str) -> dict[str, Any]:
        """The registration part of the JSON: `registration`, `earlier_registrations`,
        `ce` (docs/json.md)."""
        from .ce import ce_object
        from .registration import registration_object

        found = self.registration
        if found is None:
            return {}
        return {"registration": registration_object(found.current, lang),
                "earlier_registrations": [registration_object(r, lang) for r in found.earlier],
                "ce": ce_object(found.ce, lang)}

    def exam_json(self, lang: str) -> dict[str, Any] | None:
        """The exam section (R2a, R3c), or None when the sheet does not show one."""
        exam = self.exam
        if not exam.shown(self.state.stage):
            return None
        return {
            "passes": exam.passes, "exempt": exam.exempt, "missing": exam.missing,
            "failed": [{"exam_year": year, "subjects": subjects, "absent": absent}
                       for year, subjects, absent in exam.failed],
            "voided": exam.voided,
            "earlier_attempts": [{"restarted_on": a.restarted_at, "ended_in": a.ended_in.get(lang),
                                  "exam_year": a.exam_year} for a in exam.earlier],
        }


def case_sheet(ctx: Context, case_id: int, *, full_id: bool = False) -> CaseSheet:
    """The sheet of one case, as of ctx.today."""
    detail = case_service.case_detail(ctx, case_id)
    row = detail.case
    state = row["state"]
    received = detail.materials
    needed = set(STATES[state].needs(row))
    return CaseSheet(
        case=dict(row), full_id=full_id, today=ctx.today, rules=ctx.rules,
        line=main_line(state),
        deadlines=deadline_service.case_deadlines(ctx, row, received),
        materials=[MaterialLine(key, label, received.get(key), key in needed)
                   for key, label in reference.MATERIALS.items()],
        history=[history_line(h, full_id) for h in detail.history],
        allowed_events=detail.allowed_events, blockers=detail.blockers,
        records=detail.history, sittings=case_service.sittings(ctx),
        last_told=last_notified(ctx, case_id),
        registration=registration_sheet(ctx, case_id))
