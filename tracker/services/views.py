"""How a case's values are shown (`value_text`), and case rows as the stable JSON
objects other programs read (`list`, `show`, the audit trail)."""
from __future__ import annotations

import json
from typing import Any

from ..domain import idcard, reference
from ..domain.model import exempt_of, passes_of
from ..domain.text import Text
from ..domain.workflow import STATES, state_label


def _same(text: str) -> Text:
    return Text(text, text)


def value_text(key: str, value: Any, *, full_id: bool = False,
               proxy: bool = False) -> Text | None:
    """A field's value as shown, in both languages: the ID number masked unless `full_id`,
    labels for specialty, channel (with "by proxy") and subjects, short numbers, yes/no.
    None when there is nothing to show."""
    if value is None or value == "" or (key == "ce_hours" and not value):
        return None  # no hours yet: nothing recorded
    if key == "id_number":
        return _same(str(value) if full_id else idcard.mask(str(value)))
    if key == "specialty":
        return reference.SPECIALTIES.get(value) or _same(str(value))
    if key == "channel":
        label = reference.CHANNELS.get(value) or _same(str(value))
        proxy_text = reference.BY_PROXY
        return Text(label.zh + proxy_text.zh, label.en + proxy_text.en) if proxy else label
    if key in ("subjects", "voided"):  # {subject: exam year of the pass}
        try:
            years = json.loads(value) if isinstance(value, str) else dict(value)
        except (ValueError, TypeError):
            return _same(str(value))
        if not years:
            return None
        parts = [(reference.SUBJECTS.get(s) or _same(s), y) for s, y in sorted(years.items())]
        return Text("、".join(f"{label.zh}（{y} 年度）" for label, y in parts),
                    "; ".join(f"{label.en} ({y})" for label, y in parts))
    if key in ("exempt", "failed_subjects"):  # a list of subjects
        try:
            names = json.loads(value) if isinstance(value, str) else list(value)
        except (ValueError, TypeError):
            return _same(str(value))
        if not names:
            return None
        labels = [reference.SUBJECTS.get(s) or _same(str(s)) for s in names]
        return Text("、".join(label.zh for label in labels),
                    "; ".join(label.en for label in labels))
    if isinstance(value, bool):
        return Text("是", "yes") if value else Text("否", "no")
    if isinstance(value, float):
        return _same(f"{value:g}")
    return _same(str(value))


def specialty_label(key: str | None, lang: str) -> str:
    value = value_text("specialty", key)
    return value.get(lang) if value else ""


_UNSET: Any = object()


def case_object(row: dict[str, Any], lang: str, full_id: bool = False,
                deadline: Any = _UNSET) -> dict[str, Any]:
    """The documented JSON object of a case (docs/json.md).

    With `deadline` (the case's next `Deadline`, or None when it has none), the object also
    has next_deadline, next_deadline_kind, next_deadline_label, days_left and
    next_deadline_provisional (R15: counted Monday to Friday across an unknown year).
    """
    state = row["state"]
    obj = {
        "case_id": row["case_id"],
        "employee_no": row.get("employee_no"),
        "name": row["name"],
        "id_number": row["id_number"] if full_id else idcard.mask(row["id_number"]),
        "department": row.get("department"),
        "company": row.get("company"),
        "phone": row.get("phone"),
        "specialty": row.get("specialty") or None,
        "specialty_label": specialty_label(row.get("specialty"), lang),
        "state": state,
        "state_label": state_label(state, lang),
        "stage": STATES[state].stage if state in STATES else None,
        "exam_year": row.get("exam_year"),
        # R2a: the year of each pass still in force (void ones are gone), and the exemptions
        "subjects": passes_of(row),
        "exempt": exempt_of(row),
        "review_deadline": row.get("review_deadline"),
        "certificate_no": row.get("certificate_no"),
        "certificate_date": row.get("certificate_date"),
        "certificate_issued_on": row.get("certificate_issued_on"),
        "channel": row.get("channel"),
        "postage": row.get("postage"),
        "paper_collected_on": row.get("paper_collected_on"),
        "correction_open": bool(row.get("correction_open")),
        "address": row.get("address"),
        "contact_confirmed_on": row.get("contact_confirmed_on"),
        "employer": row.get("employer") or row.get("company"),
        "registration_no": row.get("registration_no"),
        "valid_from": row.get("valid_from"),
        "valid_until": row.get("valid_until"),
        "ce_hours": row.get("ce_hours"),
        "updated_at": row.get("updated_at"),
    }
    if deadline is not _UNSET:
        obj.update({
            "next_deadline": (deadline.due_on.isoformat() if deadline and deadline.due_on
                              else None),
            "next_deadline_kind": deadline.kind if deadline else None,
            "next_deadline_label": deadline.label.get(lang) if deadline else None,
            "days_left": deadline.days_left if deadline else None,
            "next_deadline_provisional": deadline.provisional if deadline else None,
        })
    return obj


def _mask_data(data: dict[str, Any], full_id: bool) -> dict[str, Any]:
    """History data may hold an old or new ID number (R10 changes): mask it too."""
    if full_id or not data:
        return data or {}
    masked = dict(data)
    for part in ("set", "before"):
        if isinstance(masked.get(part), dict) and masked[part].get("id_number"):
            masked[part] = {**masked[part], "id_number": idcard.mask(masked[part]["id_number"])}
    return masked


def history_object(row: dict[str, Any], full_id: bool = False) -> dict[str, Any]:
    return {
        "id": row["id"], "at": row["at"], "event": row["event"],
        "from_state": row["from_state"], "to_state": row["to_state"],
        "actor": row["actor"], "note": row["note"], "data": _mask_data(row["data"], full_id),
        "undoes": row.get("undoes"),
    }
