"""The daily digest (R16): what a channel is told, as lines, split into messages.

An item is one thing to tell: a deadline at a reminder stage reached today (30, 7, 1 days
before, as the rules say), a deadline newly overdue, a flag raised (R5a, R14a: "to follow
up", never "overdue": no official date has passed), or an event the sweep applied. Each
has a key that is stable for what it tells — the deadline's kind, its day and the stage —
so that a channel is told each once (`tracker.services.notify` keeps what was sent). A
deadline whose day is not known (an exam sitting whose notice is not out, R2a) has no
stage: it is not in a digest, and no day is made up for it.

A digest groups the items — overdue first, then what the sweep moved, the flags, what is
coming — in the channel's language, as Markdown where the channel renders it, and is
split into messages no longer than the channel's service accepts (UTF-8 bytes); an item
is never split across two messages, and every item is in exactly one.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..domain.deadlines import Deadline
from ..domain.workflow import event_label, state_label
from ..i18n import t
from .channels import NONE, Service

#: The order of the sections in a digest: overdue first.
SECTIONS = ("overdue", "moved", "flag", "due")
#: What each `only` setting of a channel receives.
ONLY_SECTIONS = {"all": set(SECTIONS), "overdue": {"overdue", "moved"},
                 "due": {"flag", "due"}}
#: Room kept in a heading for the part number ("（12/345）").
PART_ROOM = len("（999/999）".encode()) + 4


@dataclass(frozen=True)
class Item:
    """One thing a digest tells about one case."""

    case_id: int
    #: Stable for what it tells: "review_deadline|2026-12-01|7", "miss_review|h123".
    key: str
    section: str
    row: dict
    deadline: Deadline | None = None
    #: For a sweep move: the event, the state it led to, when.
    event: str | None = None
    moved_to: str | None = None
    moved_at: str | None = None

    @property
    def department(self) -> str | None:
        return self.row.get("department")

    def to_dict(self, lang: str) -> dict:
        """The documented JSON object of an item (`tracker notify --format json`)."""
        d, row = self.deadline, self.row
        return {
            "case_id": self.case_id, "name": row.get("name"),
            "employee_no": row.get("employee_no"), "department": row.get("department"),
            "section": self.section, "key": self.key,
            "kind": d.kind if d else None, "label": d.label.get(lang) if d else
            event_label(self.event or "", lang),
            "due_on": d.due_on.isoformat() if d and d.due_on else None,
            "days_left": d.days_left if d else None, "stage": d.stage if d else None,
            "provisional": d.provisional if d else False,
            "event": self.event, "state": self.moved_to or row.get("state"),
            "moved_at": self.moved_at,
        }


def deadline_item(row: dict, deadline: Deadline) -> Item | None:
    """The digest item of a deadline as of today, or None (not at a stage, undated)."""
    if deadline.due_on is None or deadline.days_left is None:
        return None  # R2a: a sitting not dated yet — nothing to count from
    day = deadline.due_on.isoformat()
    if deadline.flag:
        if deadline.days_left > 0:
            return None
        return Item(row["case_id"], f"{deadline.kind}|{day}|flag", "flag", row, deadline)
    if deadline.overdue:
        return Item(row["case_id"], f"{deadline.kind}|{day}|overdue", "overdue", row, deadline)
    if deadline.stage is None:
        return None
    return Item(row["case_id"], f"{deadline.kind}|{day}|{deadline.stage}", "due", row,
                deadline)


def move_item(row: dict) -> Item:
    """A sweep move (a history row of the sweep, with its case's columns)."""
    return Item(row["case_id"], f"{row['moved_event']}|h{row['history_id']}", "moved", row,
                event=row["moved_event"], moved_to=row["moved_to"],
                moved_at=str(row["moved_at"])[:10])


# --------------------------------------------------------------------------- lines


#: A value never breaks a line.
_PLAIN = str.maketrans({ord(c): " " for c in "\r\n\t\v\f\x85\u2028\u2029"})
#: In Markdown a line prints as typed (a line starts with "- ": "#" needs no escape).
_MARKDOWN = str.maketrans({**{ord(c): "\\" + c for c in "\\`*_[]"}, ord("<"): "&lt;"})


#: Per language: the brackets around who and how far off, the separators.
_FORMS = {"zh": ("（", "）", "，", "：", "；"), "en": (" (", ")", ", ", ": ", "; ")}


def _who(row: dict, lang: str, table: dict) -> str:
    opening, closing, comma = _FORMS[lang][:3]
    name = str(row.get("name") or "").translate(table)
    number, department = row.get("employee_no"), row.get("department")
    if number and department:
        return f"{name}{opening}{str(number).translate(table)}{comma}" \
               f"{str(department).translate(table)}{closing}"
    if number or department:
        return f"{name}{opening}{str(number or department).translate(table)}{closing}"
    return name


def item_line(item: Item, lang: str, markdown: bool = False) -> str:
    """One line: when, who, what (and the detail: what is missing, the figures)."""
    opening, closing, _, sep, semicolon = _FORMS[lang]
    who = f"#{item.case_id} {_who(item.row, lang, _PLAIN)}"
    d = item.deadline
    if d is None:
        what = t("digest_moved", lang=lang, event=event_label(item.event or "", lang),
                 state=state_label(item.moved_to or "", lang), day=item.moved_at)
        line = f"- {who}{sep}{what}"
    else:
        label = d.label.get(lang)
        if d.provisional:
            label = t("provisional_label", lang=lang, label=label)
        line = f"- {d.due_on.isoformat()}{opening}{d.days.get(lang)}{closing} {who}{sep}{label}"
        if d.detail:
            line += semicolon + d.detail.get(lang).translate(_PLAIN)
    return line.translate(_MARKDOWN) if markdown else line


class Lines:
    """The line of each item (and its size in UTF-8 bytes) per language and format, built
    once: channels of the same language and format share them (13,000 items, several
    channels)."""

    def __init__(self) -> None:
        self._made: dict[tuple[int, str, bool], tuple[str, int]] = {}

    def __call__(self, item: Item, lang: str, markdown: bool) -> tuple[str, int]:
        key = (id(item), lang, markdown)
        made = self._made.get(key)
        if made is None:  # Markdown: the plain line, escaped
            line = (self(item, lang, False)[0].translate(_MARKDOWN) if markdown
                    else item_line(item, lang))
            made = self._made[key] = (line, len(line.encode()))
        return made


def section_heading(section: str, count: int, lang: str, markdown: bool,
                    continued: bool = False) -> str:
    text = t(f"digest_section_{section}", lang=lang, n=count)
    if continued:
        text = t("digest_continued", lang=lang, heading=text)
    return f"**{text}**" if markdown else f"【{text}】"


# --------------------------------------------------------------------------- messages


@dataclass
class Message:
    """One message of a digest: its title, its text, the items it carries."""

    title: str
    body: str
    items: list[Item] = field(default_factory=list)

    def size(self, service: Service) -> int:
        """The bytes the service counts: the body, and the title where it goes into it."""
        return len(self.body.encode()) + service.overhead(self.title)


def title_of(today: date, lang: str, part: int, parts: int) -> str:
    title = t("digest_title", lang=lang, today=today.isoformat())
    if parts > 1:
        title += f"（{part}/{parts}）" if lang == "zh" else f" ({part}/{parts})"
    return title


def _fit(line: str, size: int, budget: int) -> tuple[str, int]:
    """A line that alone exceeds the budget, cut at a character boundary (never happens
    with real data: a line is a few hundred bytes, a message at least 2,048)."""
    if size <= budget:
        return line, size
    line = line.encode()[:max(budget - 3, 0)].decode("utf-8", "ignore") + "…"
    return line, len(line.encode())


def build_messages(items: Sequence[Item], service: Service, lang: str, today: date,
                   lines: Lines | None = None) -> list[Message]:
    """The digest of `items` for one channel, split to the service's size: sections in
    order, each line whole, a section heading repeated ("continued") where it goes on."""
    if not items:
        return []
    line_of = lines or Lines()
    markdown = service.markdown
    title_room = len(title_of(today, lang, 1, 1).encode()) + PART_ROOM
    budget = service.max_bytes - (title_room if service.title == NONE else
                                  service.overhead("x" * title_room))
    by_section = {s: [] for s in SECTIONS}
    for item in items:
        by_section[item.section].append(item)
    summary = t("digest_summary", lang=lang, **{s: len(v) for s, v in by_section.items()})
    chunks: list[tuple[list[str], list[Item]]] = [([summary], [])]
    used = len(summary.encode()) + 1
    for section in SECTIONS:
        members = by_section[section]
        if not members:
            continue
        heading = section_heading(section, len(members), lang, markdown)
        rows = [(*_fit(*line_of(i, lang, markdown), budget // 2), i) for i in members]
        first_size = len(heading.encode()) + rows[0][1] + 3
        if used + first_size > budget:
            chunks.append(([], []))
            used = 0
        chunks[-1][0].extend(["", heading] if chunks[-1][0] else [heading])
        used += len(heading.encode()) + 2
        for line, size, item in rows:
            size += 1
            if used + size > budget:
                cont = section_heading(section, len(members), lang, markdown, continued=True)
                chunks.append(([cont], []))
                used = len(cont.encode()) + 1
            chunks[-1][0].append(line)
            chunks[-1][1].append(item)
            used += size
    return _titled(chunks, service, lang, today)


def _titled(chunks: list[tuple[list[str], list[Item]]], service: Service, lang: str,
            today: date) -> list[Message]:
    messages = []
    for number, (lines, members) in enumerate(chunks, start=1):
        title = title_of(today, lang, number, len(chunks))
        body_lines = [title, *lines] if service.title == NONE else lines
        messages.append(Message(title, "\n".join(body_lines), list(members)))
    return messages


def select(items: Iterable[Item], only: str, departments: Sequence[str]) -> list[Item]:
    """The items a channel wants: its sections, its departments (all when none given)."""
    sections = ONLY_SECTIONS[only]
    wanted = set(departments)
    return [i for i in items if i.section in sections
            and (not wanted or (i.department or "") in wanted)]
