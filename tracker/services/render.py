"""Rendering a status sheet: Markdown for chat and mail, HTML for print, JSON for programs.

Every value that came from a person or a file is escaped for its format, so a name like
``<script>``, ``[bold]`` or ``'; DROP TABLE cases; --`` comes out literally:
- HTML through Jinja2 with autoescape on (and StrictUndefined, so a typo fails loudly);
- Markdown by backslash-escaping the characters CommonMark gives a meaning to.

The HTML is one self-contained file (no scripts, fonts or images to fetch) that prints on
A4: a print stylesheet, page margins, no page break inside a step or a table row, table
headers repeated on each page, and a font stack that finds a Chinese font on Windows
(Microsoft YaHei), macOS (PingFang SC) and Linux (Noto Sans CJK / WenQuanYi).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..domain.fields import label as field_label
from ..domain.workflow import state_label
from ..files import write_private_text
from ..i18n import t
from .sheet import CaseSheet, HistoryLine, case_sheet, labelled
from .views import value_text

SHEET_FORMATS = ("md", "html", "json")

# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#~&!{}])")
#: An underscore is emphasis only at a word boundary (CommonMark): snake_case stays as is.
_MD_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_MARKS = {"done": "✓", "current": "●", "todo": "○", "stopped": "✕", "off": "–"}


def colon(lang: str) -> str:
    """"：" in Chinese text, ": " in English."""
    return "：" if lang == "zh" else ": "


def paren(text: str, lang: str) -> str:
    """"（…）" after Chinese text, " (…)" after English."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def md_escape(value: object) -> str:
    """Text that Markdown shows as it is: specials escaped, line breaks flattened."""
    text = "" if value is None else str(value)
    text = re.sub(r"[\r\n\t]+", " ", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_UNDERSCORE.sub(r"\\_", text)


def md_code(value: object) -> str:
    """A code span: shown as it is, asterisks of a masked ID number included."""
    text = re.sub(r"[\r\n\t]+", " ", "" if value is None else str(value))
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_heading(sheet: CaseSheet, lang: str) -> list[str]:
    e, row = md_escape, sheet.case
    state = sheet.state
    return [
        f"# {t('sheet_title', lang=lang)}", "",
        f"**{e(row['name'])}** · {e(sheet.specialty(lang) or '—')} · "
        + e(t("case_no", lang=lang, case_id=row["case_id"])) + "  ",
        e(t("sheet_generated", lang=lang, today=sheet.today.isoformat())), "",
        f"## {t('sheet_current', lang=lang)}", "",
        f"**{e(state.label.get(lang))}**{paren(e(sheet.stage.get(lang)), lang)} — "
        f"{e(state.meaning.get(lang))}", "",
        *_md_told(sheet, lang),
    ]


def _md_told(sheet: CaseSheet, lang: str) -> list[str]:
    told = sheet.told_text()
    return [md_escape(t("sheet_last_told", lang=lang, when=told.get(lang))), ""] if told else []


def _md_person(sheet: CaseSheet, lang: str) -> list[str]:
    out = [f"## {t('sheet_person', lang=lang)}", ""]
    for field_, (label, value) in zip(sheet.person(), labelled(sheet.person(), lang, dash=True)):
        shown = md_code(value) if field_.key == "id_number" and field_.value else md_escape(value)
        out.append(f"- {md_escape(label)}{colon(lang)}{shown}")
    return out + [""]


def _md_progress(sheet: CaseSheet, lang: str) -> list[str]:
    parts = []
    for step in sheet.line:
        text = f"{_MARKS[step.status]} {md_escape(step.label.get(lang))}"
        parts.append(f"**{text}**" if step.status in ("current", "stopped") else text)
    return [f"## {t('sheet_progress', lang=lang)}", "", " → ".join(parts), ""]


def _md_deadlines(sheet: CaseSheet, lang: str) -> list[str]:
    if sheet.deadlines is None:
        return []
    e = md_escape
    out = [f"## {t('sheet_deadlines', lang=lang)}", ""]
    if not sheet.deadlines:
        out.append(e(t("sheet_no_deadlines", lang=lang)))
    for d in sheet.deadlines:
        line = f"- **{e(d.when.get(lang))}** {e(d.label.get(lang))} — {e(d.days.get(lang))}"
        line += paren(e(d.detail.get(lang)), lang) if d.detail else ""
        if d.provisional:  # R15; the sheet speaks to the employee (R17): no tracker commands
            line += f" — *{e(t('provisional_note_staff', lang=lang))}*"
        out.append(line)
    return out + [""]


def _md_steps(sheet: CaseSheet, lang: str) -> list[str]:
    e = md_escape
    out = [f"## {t('sheet_next', lang=lang)}", ""]
    for number, step in enumerate(sheet.steps, start=1):
        kind = t(f"sheet_kind_{step.kind}", lang=lang)
        out += [f"### {number}. {e(step.title.get(lang))} · {e(kind)}", "",
                e(step.body.get(lang))]
        if step.items:
            out += [""] + [f"- {e(item.get(lang))}" for item in step.items]
        out.append("")
    return out


def _md_data(sheet: CaseSheet, lang: str) -> list[str]:
    pairs = labelled(sheet.data(), lang)
    if not pairs:
        return []
    return ([f"## {t('sheet_case_data', lang=lang)}", ""]
            + [f"- {md_escape(label)}{colon(lang)}{md_escape(value)}" for label, value in pairs]
            + [""])


def _md_materials(sheet: CaseSheet, lang: str) -> list[str]:
    e = md_escape
    out = [f"## {t('sheet_materials', lang=lang)}", ""]
    for m in sheet.materials:
        box = "x" if m.received_on else " "
        status = (t("sheet_received_on", lang=lang, on=m.received_on) if m.received_on
                  else t("sheet_not_received", lang=lang))
        needed = f" — **{e(t('sheet_needed_now', lang=lang))}**" if (
            m.needed_now and not m.received_on) else ""
        out.append(f"- [{box}] {e(m.label.get(lang))}{colon(lang)}{e(status)}{needed}")
    return out + [""]


def _md_history(sheet: CaseSheet, lang: str) -> list[str]:
    e = md_escape
    out = [f"## {t('sheet_history', lang=lang)}", ""]
    if not sheet.history:
        out.append(e(t("sheet_no_history", lang=lang)))
    for h in sheet.history:
        line = f"- {e(h.at)} · **{e(h.label.get(lang))}** · {e(history_move(h, lang))}"
        recorded = "; ".join(f"{label.get(lang)} = {value.get(lang)}"
                             for label, value in h.changes)
        if recorded:
            line += f" · {e(recorded)}"
        if h.note:
            line += f" · {e(h.note)}"
        out.append(line)
    return out + [""]


def _md_footer(sheet: CaseSheet, lang: str) -> list[str]:
    e = md_escape
    return ["---", "", e(t("sheet_footer", lang=lang)) + " "
            + e(t("sheet_id_full" if sheet.full_id else "sheet_id_masked", lang=lang))]


def exam_lines(sheet: CaseSheet, lang: str) -> list[str]:
    """The exam section as plain lines (R2a, R3c): passes in force, exemptions, what is
    still to pass, sittings failed or missed, passes expired, earlier attempts."""
    exam = sheet.exam
    if not exam.shown(sheet.state.stage):
        return []
    lines = []
    for key, value in (("subjects", exam.passes), ("exempt", exam.exempt),
                       ("voided", exam.voided)):
        text = value_text(key, value)
        if text:
            lines.append(f"{field_label(key).get(lang)}{colon(lang)}{text.get(lang)}")
    if exam.missing and sheet.state.stage == "exam":
        text = value_text("failed_subjects", exam.missing)
        lines.append(t("sheet_exam_missing", lang=lang, subjects=text.get(lang)))
    for year, subjects, absent in exam.failed:
        text = value_text("failed_subjects", subjects)
        lines.append(t("sheet_exam_absent" if absent else "sheet_exam_failed", lang=lang,
                       year=year or "—", subjects=text.get(lang) if text else "—"))
    for attempt in exam.earlier:
        lines.append(t("sheet_exam_earlier", lang=lang, year=attempt.exam_year or "—",
                       ended=attempt.ended_in.get(lang), on=attempt.restarted_at))
    return lines


def registration_part(sheet: CaseSheet, lang: str) -> list[tuple[str, str]]:
    """(heading, line) of the registration and continuing education (R7a–R7d, R9c), and
    the materials received for an earlier employer or period."""
    from .registration import registration_lines

    found = sheet.registration
    if found is None:
        return []
    lines = registration_lines(found, lang)
    for m in found.earlier_materials:
        scope = m.scope_label.get(lang) if m.scope_label else ""
        lines.append((t("materials_earlier", lang=lang),
                      f"{m.label.get(lang)}{paren(scope, lang) if scope else ''}"
                      f"{colon(lang)}{t('sheet_received_on', lang=lang, on=m.received_on)}"))
    return lines


def _md_registration(sheet: CaseSheet, lang: str) -> list[str]:
    lines = registration_part(sheet, lang)
    if not lines:
        return []
    out = [f"## {t('sheet_registration', lang=lang)}", ""]
    out += [f"- {md_escape(title)}{colon(lang)}{md_escape(line)}" for title, line in lines]
    return out + [""]


def _md_exam(sheet: CaseSheet, lang: str) -> list[str]:
    lines = exam_lines(sheet, lang)
    if not lines:
        return []
    return ([f"## {t('sheet_exam', lang=lang)}", ""]
            + [f"- {md_escape(line)}" for line in lines] + [""])


#: The sections of the Markdown sheet, in order (the HTML sheet has the same).
_MD_SECTIONS = (_md_heading, _md_person, _md_progress, _md_exam, _md_deadlines, _md_steps,
                _md_data, _md_registration, _md_materials, _md_history, _md_footer)


def render_markdown(sheet: CaseSheet, lang: str) -> str:
    return "\n".join(line for section in _MD_SECTIONS for line in section(sheet, lang)) + "\n"


def history_move(h: HistoryLine, lang: str) -> str:
    """"原状态 → 新状态", or only the state when the row did not move the case."""
    to = state_label(h.to_state, lang)
    if h.from_state and h.from_state != h.to_state:
        return f"{state_label(h.from_state, lang)} → {to}"
    return to


# --------------------------------------------------------------------------- json


def render_json(sheet: CaseSheet, lang: str) -> str:
    return json.dumps(sheet.to_json(lang), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- html

CJK_FONTS = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
             '"Hiragino Sans GB", "Microsoft YaHei", "微软雅黑", "WenQuanYi Micro Hei", "SimHei"')
LATIN_FONTS = '"Segoe UI", "Helvetica Neue", Arial'
#: Chinese sheets take a Chinese font first (its punctuation and Latin fit the text);
#: English ones a Latin font first, with the Chinese fonts for names and platforms.
FONT_STACK = {"zh": f"{CJK_FONTS}, {LATIN_FONTS}, sans-serif",
              "en": f"{LATIN_FONTS}, {CJK_FONTS}, sans-serif"}

HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tracker">
<title>{{ title }} · {{ row.name }}</title>
<style>
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: {{ font_stack|safe }}; color: #1d2330; background: #eef1f5;
       margin: 0; line-height: 1.55; font-size: 14px; }
.page { max-width: 210mm; margin: 16px auto; background: #fff; padding: 14mm 13mm;
        box-shadow: 0 1px 4px rgba(0,0,0,.12); }
header.top { display: flex; justify-content: space-between; align-items: flex-start;
             border-bottom: 2px solid #1f4e79; padding-bottom: 8px; margin-bottom: 12px; }
header.top h1 { font-size: 13px; font-weight: 600; color: #1f4e79; margin: 0 0 4px 0;
                letter-spacing: .04em; }
header.top .who { font-size: 24px; font-weight: 700; margin: 0; }
header.top .sub { color: #555; font-size: 13px; }
header.top .meta { text-align: right; color: #555; font-size: 12px; white-space: nowrap; }
.status { border: 1px solid #c9d6e6; background: #f3f7fb; border-left: 6px solid #1f4e79;
          padding: 8px 12px; margin: 10px 0 14px; border-radius: 3px; }
.status.final { border-left-color: #b42318; background: #fdf3f2; border-color: #f1c9c5; }
.status .label { font-size: 18px; font-weight: 700; }
.status .stage { color: #555; font-size: 12px; margin-left: 6px; }
.status .meaning { margin-top: 2px; color: #333; }
.status .told { margin-top: 2px; color: #555; font-size: 12px; }
h2 { font-size: 15px; color: #1f4e79; border-bottom: 1px solid #d5dde8; padding-bottom: 3px;
     margin: 18px 0 8px; break-after: avoid; page-break-after: avoid; }
dl.person { display: grid; grid-template-columns: max-content 1fr max-content 1fr;
            gap: 3px 14px; margin: 0; }
dl.person dt { color: #555; }
dl.person dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
ol.line { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px; }
ol.line li { flex: 1 1 0; min-width: 72px; text-align: center; font-size: 12px;
             padding: 6px 4px 5px; border-radius: 3px; border: 1px solid #d5dde8;
             color: #6b7280; background: #fff; position: relative; }
ol.line li .mark { display: block; font-size: 14px; line-height: 1.1; }
ol.line li.done { background: #e8f3ec; border-color: #a7d3b5; color: #1e5631; }
ol.line li.current { background: #1f4e79; border-color: #1f4e79; color: #fff; font-weight: 700; }
ol.line li.stopped { background: #b42318; border-color: #b42318; color: #fff; font-weight: 700; }
ol.line li.off { color: #9aa1ab; text-decoration: line-through; background: #f6f6f6; }
ol.line li .st { display: block; font-size: 10px; opacity: .85; font-weight: 400; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { border: 1px solid #d5dde8; padding: 4px 6px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eef3f9; font-weight: 600; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
tr.overdue td { color: #b42318; font-weight: 600; }
tr.flag td.days { color: #9e3fae; }
tr.soon td.days { color: #b54708; font-weight: 600; }
.provisional { color: #b54708; font-style: italic; }
.steps { counter-reset: step; }
.step { border: 1px solid #d5dde8; border-radius: 4px; padding: 7px 10px 7px 12px;
        margin: 0 0 8px; break-inside: avoid; page-break-inside: avoid; }
.step.warning { border-color: #f1c9c5; background: #fdf6f5; border-left: 4px solid #b42318; }
.step.info { background: #fafbfc; }
.step.action { border-left: 4px solid #1f4e79; }
.step h3 { font-size: 14px; margin: 0 0 3px; }
.step h3 .kind { font-size: 11px; font-weight: 600; color: #fff; background: #1f4e79;
                 border-radius: 2px; padding: 0 5px; margin-right: 6px; vertical-align: 1px; }
.step.warning h3 .kind { background: #b42318; }
.step.info h3 .kind { background: #6b7280; }
.step p { margin: 0; }
.step ul { margin: 4px 0 0; padding-left: 20px; }
td.ok { color: #1e5631; }
td.missing { color: #6b7280; }
td.need { color: #b54708; font-weight: 600; }
ul.exam { margin: 0; padding-left: 20px; }
footer { margin-top: 16px; padding-top: 6px; border-top: 1px solid #d5dde8; font-size: 11px;
         color: #555; }
.muted { color: #6b7280; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .page { margin: 0; padding: 0; box-shadow: none; max-width: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { margin-top: 12px; }
}
</style>
</head>
<body>
<main class="page">
<header class="top">
  <div>
    <h1>{{ title }}</h1>
    <p class="who">{{ row.name }}</p>
    <div class="sub">{{ specialty or "—" }} · {{ case_no }}{% if row.employee_no %} · {{ row.employee_no }}{% endif %}</div>
  </div>
  <div class="meta">{{ generated }}</div>
</header>

<section class="status{% if state.final %} final{% endif %}">
  <span class="label">{{ state.label.get(lang) }}</span><span class="stage">{{ stage }}</span>
  <div class="meaning">{{ state.meaning.get(lang) }}</div>
{% if told %}  <div class="told">{{ t("sheet_last_told", when=told) }}</div>
{% endif %}
</section>

<h2>{{ t("sheet_person") }}</h2>
<dl class="person">
{% for label, value in person %}  <dt>{{ label }}</dt><dd>{{ value }}</dd>
{% endfor %}</dl>

<h2>{{ t("sheet_progress") }}</h2>
<ol class="line">
{% for step in sheet.line %}  <li class="{{ step.status }}"><span class="mark">{{ marks[step.status] }}</span>{{ step.label.get(lang) }}<span class="st">{{ t("sheet_line_" ~ step.status) }}</span></li>
{% endfor %}</ol>

{% if exam %}
<h2>{{ t("sheet_exam") }}</h2>
<ul class="exam">
{% for line in exam %}  <li>{{ line }}</li>
{% endfor %}</ul>
{% endif %}

{% if sheet.deadlines is not none %}
<h2>{{ t("sheet_deadlines") }}</h2>
{% if sheet.deadlines %}
<table class="deadlines">
<thead><tr><th>{{ t("col_due_on") }}</th><th>{{ t("col_deadline_kind") }}</th><th class="num">{{ t("col_days_left") }}</th><th>{{ t("col_note") }}</th></tr></thead>
<tbody>
{% for d in sheet.deadlines %}<tr class="{% if d.overdue %}overdue{% elif d.flag %}flag{% elif d.days_left is not none and d.days_left <= 7 %}soon{% endif %}"><td class="nowrap">{{ d.when.get(lang) }}{% if d.provisional %}<br><span class="provisional">{{ t("provisional_mark") }}</span>{% endif %}</td><td>{{ d.label.get(lang) }}</td><td class="num days">{{ d.days.get(lang) }}</td><td>{{ d.detail.get(lang) if d.detail else "" }}{% if d.provisional %}{% if d.detail %}<br>{% endif %}<span class="provisional">{{ t("provisional_note_staff") }}</span>{% endif %}</td></tr>
{% endfor %}</tbody>
</table>
{% else %}<p class="muted">{{ t("sheet_no_deadlines") }}</p>{% endif %}
{% endif %}

<h2>{{ t("sheet_next") }}</h2>
<div class="steps">
{% for step in sheet.steps %}<div class="step {{ step.kind }}">
  <h3><span class="kind">{{ t("sheet_kind_" ~ step.kind) }}</span>{{ step.title.get(lang) }}</h3>
  <p>{{ step.body.get(lang) }}</p>
{% if step.items %}  <ul>{% for item in step.items %}<li>{{ item.get(lang) }}</li>{% endfor %}</ul>
{% endif %}</div>
{% endfor %}</div>

{% if case_fields %}
<h2>{{ t("sheet_case_data") }}</h2>
<dl class="person">
{% for label, value in case_fields %}  <dt>{{ label }}</dt><dd>{{ value }}</dd>
{% endfor %}</dl>
{% endif %}

{% if registration %}
<h2>{{ t("sheet_registration") }}</h2>
<dl class="person">
{% for title, line in registration %}  <dt>{{ title }}</dt><dd>{{ line }}</dd>
{% endfor %}</dl>
{% endif %}

<h2>{{ t("sheet_materials") }}</h2>
<table class="materials">
<thead><tr><th>{{ t("export_col_item") }}</th><th>{{ t("export_col_status") }}</th></tr></thead>
<tbody>
{% for m in sheet.materials %}<tr><td>{{ "☑" if m.received_on else "☐" }} {{ m.label.get(lang) }}</td>{% if m.received_on %}<td class="ok">{{ t("sheet_received_on", on=m.received_on) }}</td>{% elif m.needed_now %}<td class="need">{{ t("sheet_not_received") }} · {{ t("sheet_needed_now") }}</td>{% else %}<td class="missing">{{ t("sheet_not_received") }}</td>{% endif %}</tr>
{% endfor %}</tbody>
</table>

<h2>{{ t("sheet_history") }}</h2>
{% if sheet.history %}
<table class="history">
<thead><tr><th>{{ t("col_at") }}</th><th>{{ t("col_event") }}</th><th>{{ t("col_to") }}</th><th>{{ t("export_col_changes") }}</th><th>{{ t("col_note") }}</th></tr></thead>
<tbody>
{% for h in sheet.history %}<tr><td class="nowrap">{{ h.at }}</td><td>{{ h.label.get(lang) }}</td><td>{{ move(h) }}</td><td>{% for label, value in h.changes %}{{ label.get(lang) }}: {{ value.get(lang) }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td><td>{{ h.note or "" }}</td></tr>
{% endfor %}</tbody>
</table>
{% else %}<p class="muted">{{ t("sheet_no_history") }}</p>{% endif %}

<footer>{{ t("sheet_footer") }} {{ t("sheet_id_full" if sheet.full_id else "sheet_id_masked") }}</footer>
</main>
</body>
</html>
"""


@lru_cache(maxsize=1)
def _template():
    """Compiled on first use: importing Jinja2 and compiling cost ~60 ms of start-up that
    every other command would pay."""
    from jinja2 import Environment, StrictUndefined

    environment = Environment(autoescape=True, undefined=StrictUndefined,
                              keep_trailing_newline=True)
    return environment.from_string(HTML_TEMPLATE)


def render_html(sheet: CaseSheet, lang: str) -> str:
    row = sheet.case
    return _template().render(
        html_lang="zh-CN" if lang == "zh" else "en", lang=lang, sheet=sheet, row=row,
        state=sheet.state, stage=sheet.stage.get(lang),
        title=t("sheet_title", lang=lang), specialty=sheet.specialty(lang),
        case_no=t("case_no", lang=lang, case_id=row["case_id"]),
        generated=t("sheet_generated", lang=lang, today=sheet.today.isoformat()),
        person=labelled(sheet.person(), lang, dash=True), case_fields=labelled(sheet.data(), lang),
        marks=_MARKS, font_stack=FONT_STACK[lang], exam=exam_lines(sheet, lang),
        told=sheet.told_text().get(lang) if sheet.told_text() else None,
        registration=registration_part(sheet, lang),
        move=lambda h: history_move(h, lang),
        t=lambda key, **params: t(key, lang=lang, **params))


RENDERERS = {"md": render_markdown, "html": render_html, "json": render_json}


def render(sheet: CaseSheet, fmt: str, lang: str) -> str:
    return RENDERERS[fmt](sheet, lang)


# --------------------------------------------------------------------------- file names

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def sheet_filename(case: Mapping[str, Any], fmt: str) -> str:
    """status-12-张伟.html: the case id keeps it unique; the name is made safe for any OS."""
    name = unicodedata.normalize("NFC", str(case.get("name") or ""))
    name = _UNSAFE.sub("_", name).strip(" .")[:40] or "case"
    return f"status-{case['case_id']}-{name}.{fmt}"


def write_sheet(ctx, case_id: int, fmt: str, target: Path | str, lang: str, *,
                full_id: bool = False) -> Path:
    """Write one status sheet to a file, or into a folder under its own name; the path.

    Private from its first byte, as every file the tracker writes (tracker.files).
    """
    sheet = case_sheet(ctx, case_id, full_id=full_id)
    path = Path(target)
    if path.is_dir():
        path = path / sheet_filename(sheet.case, fmt)
    return write_private_text(path, render(sheet, fmt, lang))
