"""Continuing education in the case detail (R9c): the current registration period's
hours against the requirement (or that the requirement is not configured, as the service
says), the courses, and a small form to add one.

The form's values go to `services.ce.add_course` as typed: it checks them (hours above 0
and at most 500, a day not in the future, a provider, a certificate number not recorded
twice) and refuses the course whole; its refusals are said in the form's words here.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from ...domain.text import visible
from ...errors import TrackerError
from ...i18n import pick, t
from ...i18n.linebreak import Paragraph
from ...services.ce import RECORDED_TOTAL
from ..common import failure_text, plain
from .modals import SubmitModal

#: Courses shown in the panel (the newest; `tracker ce list` has them all).
COURSES_SHOWN = 5
#: Refusals worded for the command line (its flags), said in the form's words here.
FORM_WORDS = {"ce_provider_empty": "tui_ce_provider_empty"}


def ce_panel(summary, lang: str) -> Paragraph:
    """The period, hours done of those required (or "not configured"), the newest
    courses; what counts for the period is marked."""
    text = RichText(t("ce_period", period=pick(summary.period(), lang)) + "\n")
    style = "#5fd75f" if summary.missing == 0 else "#d7af00"
    text.append(pick(summary.status, lang) + "\n", style=f"bold {style}")
    if not summary.configured:
        text.append(t("ce_not_configured_hint") + "\n", style="dim")
    entries = summary.entries
    for entry in entries[-COURSES_SHOWN:][::-1]:
        provider = (visible(entry.provider or "") if entry.id is not None
                    else pick(RECORDED_TOTAL, lang))
        line = t("tui_ce_course", day=entry.taken_on or "", hours=f"{entry.hours:g}",
                 provider=provider)
        if not entry.in_period:
            line += t("tui_ce_not_counted")
        text.append("• " + line.strip() + "\n", style="" if entry.in_period else "dim")
    if len(entries) > COURSES_SHOWN:
        text.append(t("tui_ce_more", n=len(entries) - COURSES_SHOWN) + "\n", style="dim")
    text.append(t("tui_ce_add_hint"), style="dim")
    return Paragraph(text)


def form_refusal(error: TrackerError) -> Paragraph:
    """A refusal of the course in the form's words (no command-line flags)."""
    if error.key in FORM_WORDS:
        error = TrackerError(FORM_WORDS[error.key], **error.params)
    elif error.key == "bad_value" and error.params.get("key") == "--on":
        error = TrackerError("bad_value", reasons=error.reasons, key=t("tui_ce_day"))
    return failure_text(error, heading=t("tui_refused"))


class CeCourseModal(SubmitModal):
    """Hours, day, provider, certificate number: `submit(form)` runs in a worker; a
    refusal is shown in the dialog, which stays open; success dismisses with its result."""

    def __init__(self, name: str, submit: Callable[[dict[str, str]], Any]) -> None:
        super().__init__()
        self.person, self.submit = name, submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="ce-dialog"):
            yield Label(plain(t("tui_ce_form_title", name=self.person)),
                        classes="dialog-title")
            with VerticalScroll(id="ce-fields"):
                for field, label, hint in (("hours", "tui_ce_hours", ""),
                                           ("taken_on", "tui_ce_day", t("tui_format_date")),
                                           ("provider", "tui_ce_provider", ""),
                                           ("certificate_no", "tui_ce_certificate", "")):
                    yield Label(t(label))
                    yield Input(id=f"ce-{field}", placeholder=hint)
            yield Static(id="refusal")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("tui_ok"), variant="primary", id="ok")
                yield Button(t("tui_cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#ce-hours", Input).focus()

    def form(self) -> dict[str, str]:
        return {field: self.query_one(f"#ce-{field}", Input).value.strip()
                for field in ("hours", "taken_on", "provider", "certificate_no")}

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def ok(self) -> None:
        self.start_submit(self.form())

    def refusal(self, error: TrackerError) -> Paragraph:
        return form_refusal(error)
