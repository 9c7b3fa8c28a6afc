"""Cases: add, find, show, fire events (one or many), materials, undo, history.

Every public function that writes runs in exactly one transaction and appends to the
history; the current state always equals the replay of that history.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain import idcard, reference
from ..domain.contact import InvalidPhone, normalise_phone
from ..domain.fields import FIELDS, GENERAL_FIELDS, DataError, parse_date, parse_value
from ..domain.model import CaseModel
from ..domain.registration import MATERIAL_SCOPES, current_scope
from ..domain.text import Text
from ..domain.workflow import (
    EVENTS,
    STATES,
    WORKFLOW,
    EventNotAllowed,
    Outcome,
    resolve_state,
)
from ..errors import TrackerError
from ..store import cases as store
from ..store.query import CaseFilter
from ..store.schema import CASE_FIELDS, PERSON_FIELDS
from .context import Context
from .names import pinyin_keys

#: History events that are not workflow events.
CREATE, UPDATE, UNDO = "create", "update", "undo"
MATERIAL_ADDED, MATERIAL_REMOVED = "material_received", "material_removed"
CE_COURSE_ADDED = "ce_course_added"
#: Rows undo may revert (creation and imports are not undone: they are the record's origin).
UNDOABLE = set(EVENTS) | {MATERIAL_ADDED, MATERIAL_REMOVED, UPDATE, CE_COURSE_ADDED}


# --------------------------------------------------------------------------- validation


def clean_name(name: str | None) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise TrackerError("name_empty")
    return text


def clean_id_number(value: str) -> str:
    try:
        return idcard.validate(value)
    except idcard.InvalidIdNumber as error:
        raise TrackerError("bad_id_number", reasons=[error.reason], value=value) from None


def clean_specialty(value: str | None) -> str:
    if value is None or str(value).strip() == "":
        return ""
    key = reference.resolve_specialty(value)
    if key is None:
        raise TrackerError("unknown_specialty", value=value,
                           reasons=[reference.known_specialties()])
    return key


def clean_state(value: str | None, default: str = "exam_passed") -> str:
    if value is None or str(value).strip() == "":
        return default
    state = resolve_state(value)
    if state is None:
        raise TrackerError("unknown_state", value=value, known=", ".join(STATES))
    return state


def person_record(name: str, **fields: Any) -> dict[str, Any]:
    full, initials = pinyin_keys(name)
    record = {"name": name, "name_pinyin": full, "name_initials": initials}
    record.update({k: (str(v).strip() or None) if v is not None else None
                   for k, v in fields.items()})
    return record


# --------------------------------------------------------------------------- add


def clean_phone(value: str | None) -> str | None:
    """R14a: a mainland mobile number or a landline with its area code, else refused."""
    if value is None or not str(value).strip():
        return None
    try:
        return normalise_phone(value)
    except InvalidPhone as error:
        raise TrackerError("bad_phone", reasons=[error.reason], value=value) from None


def add_case(ctx: Context, *, name: str, id_number: str, employee_no: str | None = None,
             specialty: str | None = None, department: str | None = None,
             company: str | None = None, phone: str | None = None,
             address: str | None = None, contact_confirmed_on: str | None = None,
             exam_year: int | None = None, state: str | None = None,
             note: str | None = None) -> int:
    """One person (if new) and one case; returns the case id.

    R10a: an ID number already on record under another name is refused (the change goes
    through "Change personal data" with the police certificate). For the same person,
    data given that differs from the record updates it, as an undoable "update" row.
    """
    name = clean_name(name)
    number = clean_id_number(id_number)
    specialty_key = clean_specialty(specialty)
    initial = clean_state(state)
    if contact_confirmed_on:
        try:
            contact_confirmed_on = parse_date(contact_confirmed_on).isoformat()
        except DataError as error:
            raise TrackerError("bad_value", key="contact_confirmed_on",
                               reasons=[error.reason]) from None
    given = {"employee_no": employee_no, "department": department, "company": company,
             "phone": clean_phone(phone), "address": address,
             "contact_confirmed_on": contact_confirmed_on}
    given = {k: str(v).strip() for k, v in given.items() if v is not None and str(v).strip()}
    at = ctx.now()
    with ctx.db.transaction():
        person = store.person_by_id_number(ctx.db, number)
        if person is None:
            person_id = store.insert_person(ctx.db, {**person_record(name, **given),
                                                     "id_number": number, "at": at})
            changed = {}
        else:
            if person["name"] != name:
                raise TrackerError("id_number_on_record", name=person["name"], given=name)
            person_id = person["id"]
            existing = store.case_of_person(ctx.db, person_id, specialty_key)
            if existing is not None:
                raise TrackerError("case_exists", case_id=existing["case_id"],
                                   name=existing["name"])
            changed = {k: v for k, v in given.items() if v != person.get(k)}
        case_id = store.insert_case(ctx.db, {"person_id": person_id, "state": initial,
                                             "specialty": specialty_key,
                                             "exam_year": exam_year, "at": at})
        store.add_history(ctx.db, case_id=case_id, at=at, actor=ctx.actor, event=CREATE,
                          from_state=None, to_state=initial, note=note,
                          data={"source": "add"})
        if changed:
            store.update_person(ctx.db, person_id, changed, at)
            store.add_history(ctx.db, case_id=case_id, at=at, actor=ctx.actor, event=UPDATE,
                              from_state=initial, to_state=initial, note=None,
                              data={"source": "add", "set": changed,
                                    "before": {k: person.get(k) for k in changed}})
    return case_id


# --------------------------------------------------------------------------- find / show


def resolve_case(ctx: Context, reference_text: str) -> int:
    """The case a user means by a case id, an employee number or a full ID number."""
    ids = store.find_case_ids(ctx.db, str(reference_text))
    if not ids:
        raise TrackerError("unknown_case", ref=reference_text)
    if len(ids) > 1:
        raise TrackerError("ambiguous_case", ref=reference_text,
                           ids=", ".join(str(i) for i in ids))
    return ids[0]


def get_case(ctx: Context, case_id: int) -> dict:
    row = store.get_case(ctx.db, case_id)
    if row is None:
        raise TrackerError("unknown_case", ref=case_id)
    return row


def sittings(ctx: Context) -> dict[int, date]:
    """The exam sittings recorded from the exam notices (R2a): exam year -> its day."""
    return {year: date.fromisoformat(day) for year, day in store.exam_sittings(ctx.db)}


def model_for(ctx: Context, row: Mapping[str, Any], materials: set[str] | frozenset[str],
              known_sittings: Mapping[int, date] | None = None,
              held: set[tuple[str, str]] | None = None) -> CaseModel:
    """What the workflow sees of a case: `materials` the items that count now, `held`
    every material row as (item, scope) (R7d: read here when not given)."""
    if held is None:
        held = {(item, scope) for item, scope, _ in store.material_rows(ctx.db, row["case_id"])}
    return CaseModel(state=row["state"], case=row, materials=frozenset(materials),
                     company=row.get("company"), today=ctx.today, rules=ctx.rules,
                     sittings=sittings(ctx) if known_sittings is None else known_sittings,
                     held=frozenset(held))


@dataclass
class CaseDetail:
    case: dict
    materials: dict[str, str]
    history: list[dict]
    allowed_events: list[str]
    #: For each allowed event, what the case still lacks for it (empty: nothing).
    blockers: dict[str, list[Text]] = field(default_factory=dict)


def case_detail(ctx: Context, case_id: int) -> CaseDetail:
    row = get_case(ctx, case_id)
    received = store.materials(ctx.db, case_id)
    model = model_for(ctx, row, set(received))
    allowed = WORKFLOW.allowed_events(row["state"])
    blockers = {event: WORKFLOW.check(model, event, case_only=True) for event in allowed}
    return CaseDetail(case=row, materials=received, history=store.history(ctx.db, case_id),
                      allowed_events=allowed, blockers=blockers)


# --------------------------------------------------------------------------- events


def parse_event_data(event: str, raw: Mapping[str, str]) -> dict[str, Any]:
    """Typed values for `--set key=value` pairs; unknown keys and bad values refused."""
    if event not in EVENTS:
        raise TrackerError("unknown_event", event=event, known=", ".join(EVENTS))
    allowed = list(EVENTS[event].fields) + [f for f in GENERAL_FIELDS
                                            if f not in EVENTS[event].fields]
    data: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in allowed:
            raise TrackerError("unknown_field", key=key, event=event, fields=", ".join(allowed))
        try:
            data[key] = parse_value(FIELDS[key], value)
        except DataError as error:
            raise TrackerError("bad_value", key=key, reasons=[error.reason]) from None
    if "id_number" in data:
        data["id_number"] = clean_id_number(data["id_number"])
    if "name" in data:
        data["name"] = clean_name(data["name"])
    return data


@dataclass
class FireResult:
    case_id: int
    outcome: Outcome
    history_id: int | None = None


def _apply(ctx: Context, row: dict, outcome: Outcome, note: str | None, actor: str,
           at: str, extra: dict | None = None) -> int:
    """Write an accepted outcome: fields, person changes, and the history row."""
    case_id = row["case_id"]
    # A list (the exempt subjects, R2a) is stored as its JSON text.
    case_changes = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, tuple)) else v
                    for k, v in outcome.changes.items() if k in CASE_FIELDS}
    person_changes = {k: v for k, v in outcome.changes.items() if k in PERSON_FIELDS}
    if "channel_proxy" in case_changes:
        case_changes["channel_proxy"] = int(bool(case_changes["channel_proxy"]))
    if outcome.to_state != outcome.from_state:
        case_changes["state"] = outcome.to_state
    if "id_number" in person_changes:
        other = store.person_by_id_number(ctx.db, person_changes["id_number"])
        if other is not None and other["id"] != row["person_id"]:
            raise TrackerError("id_number_taken", name=other["name"])
    if "name" in person_changes:
        full, initials = pinyin_keys(person_changes["name"])
        person_changes.update(name_pinyin=full, name_initials=initials)
    data: dict[str, Any] = dict(extra or {})
    shown = {k: v for k, v in outcome.changes.items() if k in CASE_FIELDS or k in PERSON_FIELDS}
    if shown:
        data["set"] = shown
        data["before"] = {k: row.get(k) for k in shown}
    # What the event recorded that is no column of the case (a sitting failed, the passes
    # voided): kept in the history, which is where it is read from.
    recorded = {k: v for k, v in outcome.changes.items()
                if k not in shown and k not in ("channel_proxy",)}
    if recorded:
        data["recorded"] = recorded
    if not store.update_case(ctx.db, case_id, case_changes, at, row.get("version")):
        raise TrackerError("case_changed_meanwhile", case_id=case_id)
    if row.get("version") is not None:  # the same case again in one bulk: our own change
        row["version"] += 1
    store.update_person(ctx.db, row["person_id"], person_changes, at)
    return store.add_history(ctx.db, case_id=case_id, at=at, actor=actor,
                             event=outcome.event, from_state=outcome.from_state,
                             to_state=outcome.to_state, note=note, data=data or None)


def _outcome(ctx: Context, row: dict, materials: set[str], event: str,
             data: dict[str, Any], note: str | None,
             known_sittings: Mapping[int, date] | None = None,
             held: set[tuple[str, str]] | None = None) -> Outcome:
    model = model_for(ctx, row, materials, known_sittings, held)
    payload = dict(data)
    if note:
        payload["_note"] = note
    try:
        return WORKFLOW.fire(model, event, payload)
    except EventNotAllowed:
        return Outcome(event=event, ok=False, from_state=row["state"], to_state=row["state"],
                       refusals=[Text(
                           f"“{STATES[row['state']].label.zh}”状态下不能执行此操作",
                           f"not possible in state “{STATES[row['state']].label.en}”")])


def case_version(ctx: Context, case_id: int) -> int:
    """The case's version: what a screen that shows the case passes back as
    `read_version` when it fires an event (moved on by every write of the case)."""
    versions = store.case_versions(ctx.db, [case_id])
    if case_id not in versions:
        raise TrackerError("unknown_case", ref=case_id)
    return versions[case_id]


def fire_event(ctx: Context, case_id: int, event: str, *, note: str | None = None,
               data: Mapping[str, str] | None = None, actor: str | None = None,
               extra: dict | None = None, read_version: int | None = None) -> FireResult:
    """Fire one event on one case, in one transaction; a refusal raises TrackerError.

    The write goes only over the version of the case read here (or `read_version`, the
    one the caller showed): a case changed by someone else since is refused
    (`case_changed_meanwhile`), never overwritten."""
    typed = parse_event_data(event, data or {})
    at = ctx.now()
    with ctx.db.transaction():
        # The version first: a change committed between the two reads (PostgreSQL reads
        # each statement afresh) then makes the write refuse rather than overwrite.
        version = case_version(ctx, case_id)
        row = get_case(ctx, case_id)
        row["version"] = version
        if read_version is not None and read_version != row["version"]:
            raise TrackerError("case_changed_meanwhile", case_id=case_id)
        received = set(store.materials(ctx.db, case_id))
        outcome = _outcome(ctx, row, received, event, typed, note)
        if not outcome.ok:
            raise TrackerError("event_refused", reasons=outcome.refusals,
                               allowed=WORKFLOW.allowed_events(row["state"]),
                               event=event, case_id=case_id)
        history_id = _apply(ctx, row, outcome, note, actor or ctx.actor, at, extra)
    return FireResult(case_id, outcome, history_id)


@dataclass
class BulkResult:
    event: str
    applied: list[FireResult] = field(default_factory=list)
    refused: list[tuple[int, dict, list[Text]]] = field(default_factory=list)
    dry_run: bool = False


def fire_bulk(ctx: Context, case_ids: Sequence[int], event: str, *, note: str | None = None,
              data: Mapping[str, str] | None = None, dry_run: bool = False,
              actor: str | None = None, extra: dict | None = None) -> BulkResult:
    """Fire `event` on every case that accepts it, all in one transaction.

    Refused cases are reported with their reasons; the accepted ones are applied
    together or (on any failure, or with dry_run) not at all.
    """
    typed = parse_event_data(event, data or {})
    result = BulkResult(event=event, dry_run=dry_run)
    at = ctx.now()
    with ctx.db.transaction():
        versions = store.case_versions(ctx.db, case_ids)  # before the rows (fire_event)
        rows = {r["case_id"]: {**r, "version": versions.get(r["case_id"])}
                for r in store.list_cases(ctx.db, CaseFilter(case_ids=list(case_ids)))}
        received = store.materials_of(ctx.db, rows)
        held = store.material_rows_of(ctx.db, rows)
        known_sittings = sittings(ctx)  # once for all the cases
        for case_id in case_ids:
            row = rows.get(case_id)
            if row is None:
                result.refused.append((case_id, {}, [Text("没有此案件", "no such case")]))
                continue
            outcome = _outcome(ctx, row, received[case_id], event, typed, note, known_sittings,
                               held[case_id])
            if not outcome.ok:
                result.refused.append((case_id, row, outcome.refusals))
                continue
            history_id = None if dry_run else _apply(ctx, row, outcome, note,
                                                     actor or ctx.actor, at, extra)
            result.applied.append(FireResult(case_id, outcome, history_id))
    return result


def bulk_event(ctx: Context, case_ids: Sequence[int], event: str, *, note: str | None = None,
               data: Mapping[str, str] | None = None, dry_run: bool = False) -> BulkResult:
    """`tracker bulk` and the dashboard's bulk action: `fire_bulk`, after the automatic
    snapshot (the way back) when something may be written."""
    if case_ids and not dry_run:
        from .backup import snapshot_before  # only a write to many cases needs it

        snapshot_before(ctx, "bulk")
    return fire_bulk(ctx, case_ids, event, note=note, data=data, dry_run=dry_run)


# --------------------------------------------------------------------------- materials


def resolve_material(item: str) -> str:
    key = reference.resolve(reference.MATERIALS, item)
    if key is None:
        raise TrackerError("unknown_material", item=item,
                           known=", ".join(reference.MATERIALS))
    return key


def material_scope(ctx: Context, row: Mapping[str, Any], key: str,
                   employer: str | None = None) -> str:
    """R7d: what a material received now is for: a labour contract for `employer` (else
    the case's employer or the person's company), a CE proof for the current period."""
    if employer is not None:
        if MATERIAL_SCOPES.get(key) != "employer":
            raise TrackerError("material_employer_only", item=pick_label(key))
        employer = " ".join(employer.split())
        if not employer:
            raise TrackerError("material_employer_empty")
    return current_scope(key, row, employer)


def pick_label(key: str) -> str:
    from ..i18n import pick

    return pick(reference.MATERIALS[key])


def set_material(ctx: Context, case_id: int, item: str, *, received: bool = True,
                 note: str | None = None, employer: str | None = None) -> bool:
    """Mark an item received (or not); returns False when nothing changed.

    R7d: a labour contract is for an employer (`employer`, else the case's), a CE proof
    for the current period; marking one "not received" takes back that one only.
    """
    key = resolve_material(item)
    at = ctx.now()
    with ctx.db.transaction():
        row = get_case(ctx, case_id)
        scope = material_scope(ctx, row, key, employer)
        if received:
            changed = store.add_material(ctx.db, case_id, key, ctx.today.isoformat(), scope)
            on = ctx.today.isoformat()
        else:
            on = store.received_on(ctx.db, case_id, key, scope)
            changed = store.remove_material(ctx.db, case_id, key, scope)
        if changed:
            data = {"item": key, "received_on": on}
            if key in MATERIAL_SCOPES:
                data["scope"] = scope
            store.add_history(ctx.db, case_id=case_id, at=at, actor=ctx.actor,
                              event=MATERIAL_ADDED if received else MATERIAL_REMOVED,
                              from_state=row["state"], to_state=row["state"], note=note,
                              data=data)
    return changed


# --------------------------------------------------------------------------- undo


def last_undoable(rows: list[dict]) -> dict | None:
    """The newest history row not yet undone that undo can revert."""
    undone = {r["undoes"] for r in rows if r.get("undoes")}
    for row in reversed(rows):
        if row["event"] == UNDO or row["id"] in undone:
            continue
        if row["event"] in UNDOABLE:
            return row
        return None  # creation / import: nothing before it to go back to
    return None


def undo(ctx: Context, case_id: int, note: str | None = None) -> dict:
    """Revert the last event as a new history row; returns the row undone."""
    at = ctx.now()
    with ctx.db.transaction():
        row = get_case(ctx, case_id)
        target = last_undoable(store.history(ctx.db, case_id))
        if target is None:
            raise TrackerError("nothing_to_undo", case_id=case_id)
        data = target["data"] or {}
        before = dict(data.get("before") or {})
        case_changes = {k: v for k, v in before.items() if k in CASE_FIELDS}
        person_changes = {k: v for k, v in before.items() if k in PERSON_FIELDS}
        if "name" in person_changes:
            full, initials = pinyin_keys(person_changes["name"])
            person_changes.update(name_pinyin=full, name_initials=initials)
        restored_state = target["from_state"] or row["state"]
        if restored_state != row["state"]:
            case_changes["state"] = restored_state
        # Rows written before materials had scopes (migration 6) name none: the current.
        scope = data.get("scope") if "scope" in data else current_scope(data.get("item", ""), row)
        if target["event"] == MATERIAL_ADDED:
            store.remove_material(ctx.db, case_id, data["item"], scope)
        elif target["event"] == MATERIAL_REMOVED:
            store.add_material(ctx.db, case_id, data["item"],
                               data.get("received_on") or ctx.today.isoformat(), scope)
        elif target["event"] == CE_COURSE_ADDED:
            store.remove_ce_course(ctx.db, data["course_id"])
        store.update_case(ctx.db, case_id, case_changes, at)
        store.update_person(ctx.db, row["person_id"], person_changes, at)
        undo_data: dict[str, Any] = {"undone_event": target["event"]}
        if before:
            undo_data["set"] = before
            undo_data["before"] = {k: row.get(k) for k in before}
        store.add_history(ctx.db, case_id=case_id, at=at, actor=ctx.actor, event=UNDO,
                          from_state=row["state"], to_state=restored_state, note=note,
                          data=undo_data, undoes=target["id"])
    return target


# --------------------------------------------------------------------------- history


def history(ctx: Context, case_id: int) -> list[dict]:
    get_case(ctx, case_id)
    return store.history(ctx.db, case_id)


def replay_state(rows: list[dict]) -> str | None:
    """The state the history leads to, checking that each row starts where the last ended.

    Raises ValueError on a broken chain: the invariant "state = replay of history".
    """
    state: str | None = None
    for row in rows:
        if state is not None and row["from_state"] != state:
            raise ValueError(f"history row {row['id']} starts at {row['from_state']},"
                             f" expected {state}")
        state = row["to_state"]
    return state
