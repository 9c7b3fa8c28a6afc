"""Case rows as the stable JSON objects other programs read (`list`, `show`, exports)."""
from __future__ import annotations

from typing import Any

from ..domain import idcard, reference
from ..domain.workflow import STATES, state_label


def specialty_label(key: str | None, lang: str) -> str:
    if not key:
        return ""
    label = reference.SPECIALTIES.get(key)
    return label.get(lang) if label else key


_UNSET: Any = object()


def case_object(row: dict[str, Any], lang: str, full_id: bool = False,
                deadline: Any = _UNSET) -> dict[str, Any]:
    """The documented JSON object of a case (README "JSON output").

    With `deadline` (the case's next `Deadline`, or None when it has none), the object also
    has next_deadline, next_deadline_kind, next_deadline_label and days_left.
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
        "review_deadline": row.get("review_deadline"),
        "certificate_no": row.get("certificate_no"),
        "certificate_date": row.get("certificate_date"),
        "channel": row.get("channel"),
        "employer": row.get("employer") or row.get("company"),
        "registration_no": row.get("registration_no"),
        "valid_from": row.get("valid_from"),
        "valid_until": row.get("valid_until"),
        "ce_hours": row.get("ce_hours"),
        "updated_at": row.get("updated_at"),
    }
    if deadline is not _UNSET:
        obj.update({
            "next_deadline": deadline.due_on.isoformat() if deadline else None,
            "next_deadline_kind": deadline.kind if deadline else None,
            "next_deadline_label": deadline.label.get(lang) if deadline else None,
            "days_left": deadline.days_left if deadline else None,
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
