"""A case's registration as the status sheet, `tracker show` and the case detail show it
(R7a–R7d, R9a–R9c): the current registration with its seal, the earlier ones the history
keeps, the materials by employer and period, and the continuing education.

- `registration_sheet(ctx, case_id)` -> `RegistrationSheet`, everything at once;
- `current_registration(row)`, `earlier_registrations(ctx, case_id)`,
  `materials_by_period(ctx, case_id)` for one part;
- `registration_object`, `material_object`: the documented JSON (docs/json.md).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..domain import reference
from ..domain import registration as rules
from ..domain.text import Text
from ..domain.workflow import EVENTS
from ..store import cases as store
from . import cases as case_service
from . import ce as ce_service
from .context import Context

#: Why an event ends a registration (from the events' definitions).
ENDINGS: dict[str, Text] = {name: e.ends_registration for name, e in EVENTS.items()
                            if e.ends_registration is not None}


@dataclass(frozen=True)
class RegistrationRecord:
    """A registration: the current one (`ended_on` None), or an earlier one with the day
    and the reason it ended."""

    registration_no: str | None
    employer: str | None
    approved_on: str | None
    valid_from: str | None
    valid_until: str | None
    seal_no: str | None = None
    seal_made_on: str | None = None
    #: The current registration is past its last valid day (registration_expired).
    expired: bool = False
    ended_on: str | None = None
    reason: Text | None = None


@dataclass(frozen=True)
class MaterialRecord:
    """One material row: what it is for (R7d) and whether it counts now."""

    item: str
    label: Text
    scope: str
    #: "聘用单位：上海申建", "本期自 2026-06-01 起"; None for an item of the whole case.
    scope_label: Text | None
    received_on: str
    current: bool


@dataclass(frozen=True)
class RegistrationSheet:
    current: RegistrationRecord | None
    earlier: list[RegistrationRecord]
    materials: list[MaterialRecord]
    ce: ce_service.CeSummary

    @property
    def earlier_materials(self) -> list[MaterialRecord]:
        """Rows that no longer count: another employer, an earlier period."""
        return [m for m in self.materials if not m.current]


def current_registration(row: Mapping[str, Any]) -> RegistrationRecord | None:
    """The registration on the case row (None when there is none)."""
    if not (row.get("registration_no") or row.get("valid_until")):
        return None
    return RegistrationRecord(
        registration_no=row.get("registration_no"),
        employer=row.get("employer") or row.get("company"),
        approved_on=row.get("approved_on"), valid_from=row.get("valid_from"),
        valid_until=row.get("valid_until"), seal_no=row.get("seal_no"),
        seal_made_on=row.get("seal_made_on"),
        expired=row.get("state") == "registration_expired")


def earlier_from_history(history: Sequence[Mapping[str, Any]]) -> list[RegistrationRecord]:
    found = rules.earlier_registrations(history, ENDINGS)
    return [RegistrationRecord(**{k: r[k] for k in rules.REGISTRATION_KEYS},
                               ended_on=r["ended_on"], reason=r["reason"]) for r in found]


def earlier_registrations(ctx: Context, case_id: int) -> list[RegistrationRecord]:
    """The registrations before the current one, oldest first (R7b, R9b)."""
    return earlier_from_history(case_service.history(ctx, case_id))


def materials_by_period(ctx: Context, case_id: int, row: Mapping[str, Any] | None = None
                        ) -> list[MaterialRecord]:
    """Every material row, current first within each item (R7d)."""
    row = row or case_service.get_case(ctx, case_id)
    found = []
    for item, scope, received_on in store.material_rows(ctx.db, case_id):
        found.append(MaterialRecord(
            item=item, label=reference.MATERIALS.get(item) or Text(item, item), scope=scope,
            scope_label=_scope_label(item, scope), received_on=received_on,
            current=scope == rules.current_scope(item, row)))
    return sorted(found, key=lambda m: (list(reference.MATERIALS).index(m.item)
                                        if m.item in reference.MATERIALS else 99,
                                        not m.current, m.received_on))


def _scope_label(item: str, scope: str) -> Text | None:
    if scope.startswith("before:"):  # a proof received before the period (migration 6)
        day = scope.removeprefix("before:")
        return Text(f"{day} 起的注册期之前", f"before the period from {day}")
    return rules.scope_label(item, scope)


def registration_sheet(ctx: Context, case_id: int) -> RegistrationSheet:
    row = case_service.get_case(ctx, case_id)
    return RegistrationSheet(current=current_registration(row),
                             earlier=earlier_registrations(ctx, case_id),
                             materials=materials_by_period(ctx, case_id, row),
                             ce=ce_service.summary(ctx, case_id))


# --------------------------------------------------------------------------- text


def registration_line(record: RegistrationRecord, lang: str) -> str:
    """"沪232… · 上海申建 · 批准 2026-10-01 · 有效期 2026-10-01 至 2029-09-30 · 执业印章 …"."""
    from ..i18n import t

    line = t("registration_line", lang=lang, number=record.registration_no or "—",
             employer=record.employer or "—", approved=record.approved_on or "—",
             start=record.valid_from or "—", end=record.valid_until or "—")
    if record.seal_no:
        line += " · " + t("registration_seal", lang=lang, seal=record.seal_no,
                          made=record.seal_made_on or "—")
    return line


def registration_lines(sheet: RegistrationSheet, lang: str) -> list[tuple[str, str]]:
    """(heading, line) pairs of the registration part of a case, for the faces that print
    it as text (the status sheet, `tracker show`): the current registration, the earlier
    ones with the day and reason each ended, the continuing education of the period."""
    from ..i18n import t

    lines: list[tuple[str, str]] = []
    current = sheet.current
    if current is not None:
        mark = t("registration_expired_mark", lang=lang) if current.expired else ""
        lines.append((t("registration_current", lang=lang) + mark,
                      registration_line(current, lang)))
    for record in sheet.earlier:
        ended = t("registration_ended", lang=lang, day=record.ended_on or "—",
                  reason=record.reason.get(lang) if record.reason else "—")
        lines.append((t("registration_earlier", lang=lang),
                      f"{registration_line(record, lang)}（{ended}）" if lang == "zh"
                      else f"{registration_line(record, lang)} ({ended})"))
    found = sheet.ce
    if found.entries or current is not None or found.configured:
        lines.append((t("ce_section", lang=lang), found.status.get(lang)))
    return lines


# --------------------------------------------------------------------------- JSON


def registration_object(record: RegistrationRecord | None, lang: str) -> dict | None:
    if record is None:
        return None
    obj = {"registration_no": record.registration_no, "employer": record.employer,
           "approved_on": record.approved_on, "valid_from": record.valid_from,
           "valid_until": record.valid_until,
           "seal": ({"seal_no": record.seal_no, "made_on": record.seal_made_on}
                    if record.seal_no else None)}
    if record.ended_on is None:
        obj["expired"] = record.expired
    else:
        obj.update(ended_on=record.ended_on,
                   reason=record.reason.get(lang) if record.reason else None)
    return obj


def material_object(record: MaterialRecord, lang: str) -> dict[str, Any]:
    return {"item": record.item, "label": record.label.get(lang), "scope": record.scope,
            "scope_label": record.scope_label.get(lang) if record.scope_label else None,
            "received_on": record.received_on, "current": record.current}
