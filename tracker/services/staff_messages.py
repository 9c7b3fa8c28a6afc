"""Messages to the staff a notice concerns (R16, R17): one per person, for a bulk-SMS
platform or a WeCom mass message, and the record of when each person was told.

The text speaks to the person (R17): their name, then what to do — the first action of
the guidance for their case as it stands (`tracker.domain.guidance`: the step's title,
its body with the case's own dates, and what to bring) — never what the officer records
in the tracker, never rule ids. The dates in it are those of the case, which came from
the notice (R4); nothing is invented.

Writing the messages records, per case, that the person was told on that day of that
notice (`staff_notified`); `last_notified` reads it back for the status sheet and `show`.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.guidance import ACTION, Step, next_steps
from ..store import cases as case_store
from ..store import channels as store
from .cases import sittings
from .context import Context
from .csvfile import write_csv
from .listing import case_rows
from .notices import get_notice

COLUMNS = ("case_id", "employee_no", "name", "phone", "department", "text")


@dataclass(frozen=True)
class StaffMessage:
    case_id: int
    employee_no: str | None
    name: str
    phone: str | None
    department: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in COLUMNS}


def _first_action(steps: Sequence[Step]) -> Step | None:
    return next((s for s in steps if s.kind == ACTION), steps[0] if steps else None)


def person_text(row: dict, step: Step, lang: str) -> str:
    """"张伟：在截止日前提交复核材料。截止日：…。需要：…" — for the person, in one paragraph."""
    title, body = step.title.get(lang), " ".join(step.body.get(lang).split())
    items = [i.get(lang) for i in step.items]
    if lang == "zh":
        text = f"{row['name']}：{title}。{body}"
        return text + (f"需要：{'、'.join(items)}。" if items else "")
    text = f"{row['name']}: {title}. {body}"
    return text + (f" Bring: {'; '.join(items)}." if items else "")


def notice_messages(ctx: Context, notice_id: int, lang: str, *, record: bool = True
                    ) -> list[StaffMessage]:
    """One message per case the notice reached (its history rows name it), in case order;
    with `record`, "told on today" is recorded for each, in one transaction."""
    notice = get_notice(ctx, notice_id)
    case_ids = store.notice_cases(ctx.db, notice["id"])
    rows = case_rows(ctx, case_ids) if case_ids else []
    received = case_store.materials_of(ctx.db, case_ids) if case_ids else {}
    known = sittings(ctx)
    messages = []
    for row in rows:
        steps = next_steps(row["state"], row, today=ctx.today,
                           materials=received.get(row["case_id"], set()), rules=ctx.rules,
                           sittings=known)
        step = _first_action(steps)
        if step is None:
            continue
        messages.append(StaffMessage(row["case_id"], row.get("employee_no"), row["name"],
                                     row.get("phone"), row.get("department"),
                                     person_text(row, step, lang)))
    if record and messages:
        at = ctx.now()
        with ctx.db.transaction():
            store.add_staff_notified(ctx.db, ({
                "case_id": m.case_id, "notice_id": notice["id"],
                "on_day": ctx.today.isoformat(), "at": at, "actor": ctx.actor,
                "text": m.text} for m in messages))
    return messages


def messages_csv(messages: Sequence[StaffMessage], header: Sequence[str]) -> str:
    """CSV for Excel and SMS platforms: UTF-8 with a BOM, CRLF, formula-like text
    neutralised (a name or a text starting with = stays text)."""
    buffer = io.StringIO(newline="")
    write_csv(buffer, header, (["" if v is None else v for v in message.to_dict().values()]
                               for message in messages))
    return buffer.getvalue()


def last_notified(ctx: Context, case_id: int) -> dict[str, Any] | None:
    """When the person of the case was last told of a notice: {"on": day, "at": time,
    "actor", "notice_id", "notice_kind", "notice_title"}, or None when never."""
    return last_notified_of(ctx, [case_id]).get(case_id)


def last_notified_of(ctx: Context, case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """`last_notified` for many cases in one query (a sheet of many cases, a list)."""
    found = store.last_notified(ctx.db, list(case_ids))
    return {case_id: {"on": r["on_day"], "at": r["at"], "actor": r["actor"],
                      "notice_id": r["notice_id"], "notice_kind": r["notice_kind"],
                      "notice_title": r["notice_title"]} for case_id, r in found.items()}

