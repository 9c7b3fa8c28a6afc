"""The workflow as a picture: Graphviz DOT from the shared machine, drawn to SVG by `dot`.

The Mermaid text comes from transitions' GraphMachine (`WORKFLOW.mermaid`, no Graphviz
needed). For SVG we write the DOT ourselves from the transitions of the one working
machine (so the picture cannot drift from it) and run Graphviz's `dot` program when it is
installed; the Python `graphviz` package is not needed.
"""
from __future__ import annotations

import shutil
import subprocess

from ..domain.workflow import EVENTS, STAGES, STATES, WORKFLOW
from ..errors import TrackerError

#: Fill colours per stage (light, print-friendly); final states get a red border.
STAGE_COLOURS = {"exam": "#EEF3F9", "review": "#FFF6E5", "certificate": "#E8F3EC",
                 "registration": "#E6F0FA", "renewal": "#F3ECF9"}
FONTS = "Noto Sans CJK SC,Microsoft YaHei,PingFang SC,WenQuanYi Micro Hei,sans-serif"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def transitions() -> list[tuple[str, str, str]]:
    """(source, dest, event) of every main-line transition of the working machine."""
    found = []
    for name, event in WORKFLOW.machine.events.items():
        if EVENTS[name].side:
            continue
        for source, items in event.transitions.items():
            for item in items:
                found.append((source, item.dest or source, name))
    return list(dict.fromkeys(found))


def workflow_dot(lang: str = "en") -> str:
    """Graphviz DOT of every state and main-line event, labelled in `lang`."""
    title = "二级建造师 · 案件流程" if lang == "zh" else "Grade-2 Constructor case workflow"
    lines = [
        "digraph workflow {",
        f"  graph [rankdir=TB, labelloc=t, fontsize=18, label={_quote(title)},"
        f" fontname={_quote(FONTS)}, nodesep=0.35, ranksep=0.45];",
        f"  node [shape=box, style=\"rounded,filled\", fontname={_quote(FONTS)}, fontsize=12,"
        " color=\"#6B7A8F\"];",
        f"  edge [fontname={_quote(FONTS)}, fontsize=10, color=\"#4A5568\"];",
    ]
    for stage in STAGES.values():
        lines.append(f"  subgraph cluster_{stage.name} {{")
        lines.append(f"    label={_quote(stage.label.get(lang))}; style=dashed;"
                     " color=\"#B8C2CC\"; fontsize=12;")
        for state in STATES.values():
            if state.stage != stage.name:
                continue
            border = ', color="#B42318", penwidth=2' if state.final else ""
            lines.append(f"    {state.name} [label={_quote(state.label.get(lang) + chr(10) + state.name)},"
                         f" fillcolor=\"{STAGE_COLOURS.get(stage.name, '#FFFFFF')}\"{border}];")
        lines.append("  }")
    for source, dest, event in transitions():
        style = ", style=dashed" if EVENTS[event].time_driven else ""
        lines.append(f"  {source} -> {dest} [label={_quote(EVENTS[event].label.get(lang))}{style}];")
    side = ", ".join(e.label.get(lang) for e in EVENTS.values() if e.side)
    heading = "附记（任何状态，不改变状态）" if lang == "zh" else "Side records (any state, no move)"
    lines.append(f"  side_records [shape=note, fillcolor=\"#FFFFFF\", fontsize=10,"
                 f" label={_quote(heading + ':' + chr(10) + side)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_program() -> str | None:
    return shutil.which("dot")


def workflow_svg(lang: str = "en") -> str:
    """The workflow drawn as SVG by Graphviz; TrackerError('dot_missing') without it."""
    program = dot_program()
    if program is None:
        raise TrackerError("diagram_dot_missing")
    try:
        done = subprocess.run([program, "-Tsvg"], input=workflow_dot(lang).encode("utf-8"),
                              capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise TrackerError("diagram_dot_failed", detail=str(error)) from None
    if done.returncode != 0:
        raise TrackerError("diagram_dot_failed",
                           detail=done.stderr.decode("utf-8", "replace").strip()[:500])
    return done.stdout.decode("utf-8")


# --------------------------------------------------------------------------- tables

_TABLE_WORDS = {
    "zh": {"state": "状态名", "label": "中文", "stage": "阶段", "meaning": "含义",
           "event": "操作名", "move": "从 → 到", "set": "数据（`--set`）", "needs": "需要的材料",
           "stays": "（状态不变）", "any": "任何状态", "final": "（终止）",
           "time": "巡检自动执行", "side": "附带记录", "item": "材料名"},
    "en": {"state": "state", "label": "中文", "stage": "stage", "meaning": "meaning",
           "event": "event", "move": "from → to", "set": "data (`--set`)", "needs": "materials",
           "stays": " (stays)", "any": "any state", "final": "(final)",
           "time": "by the sweep", "side": "side record", "item": "item"},
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def states_table(lang: str) -> str:
    """The states as a Markdown table, from their definitions (docs/concepts.*.md)."""
    words = _TABLE_WORDS[lang]
    rows = [f"| {words['state']} | {words['label']} | {words['stage']} | {words['meaning']} |",
            "|---|---|---|---|"]
    for state in STATES.values():
        final = f" {words['final']}" if state.final else ""
        rows.append(f"| `{state.name}` | {state.label.zh}{final} | "
                    f"{STAGES[state.stage].label.get(lang)} | {_cell(state.meaning.get(lang))} |")
    return "\n".join(rows)


def _move(event, words) -> str:
    living = {name for name, state in STATES.items() if not state.final}
    moving = [s for s in event.sources if s not in event.stays]
    if event.dest is None and not event.branches:
        moving, stays = [], list(event.sources)
    else:
        stays = list(event.stays)

    def names(sources: list[str]) -> str:
        return words["any"] if set(sources) >= living else " / ".join(sources)

    parts = []
    if moving:
        dests = (" / ".join(dict.fromkeys(b.dest for b in event.branches)) if event.branches
                 else event.dest)
        parts.append(f"{names(moving)} → {dests}")
    if stays:
        parts.append(f"{names(stays)}{words['stays']}")
    return "; ".join(parts)


def events_table(lang: str) -> str:
    """The events as a Markdown table, from their definitions (docs/concepts.*.md)."""
    from ..domain import reference

    words = _TABLE_WORDS[lang]
    rows = [f"| {words['event']} | {words['label']} | {words['move']} | {words['set']} | "
            f"{words['needs']} |", "|---|---|---|---|---|"]
    for event in EVENTS.values():
        kind = words["time"] if event.time_driven else words["side"] if event.side else ""
        label = event.label.zh + (f" — {kind}" if kind else "")
        fields = ", ".join(f"`{f}=`" for f in event.fields)
        needs = "、".join(reference.MATERIALS[m].get(lang) for m in event.materials) if (
            lang == "zh") else ", ".join(reference.MATERIALS[m].get(lang) for m in event.materials)
        rows.append(f"| `{event.name}` | {label} | {_cell(_move(event, words))} | {fields} | "
                    f"{_cell(needs)} |")
    return "\n".join(rows)


def materials_table(lang: str) -> str:
    """The materials a case can have received, from their definitions."""
    from ..domain import reference

    words = _TABLE_WORDS[lang]
    rows = [f"| {words['item']} | {words['label']} |", "|---|---|"]
    rows += [f"| `{key}` | {label.zh}{'' if lang == 'zh' else ' — ' + label.en} |"
             for key, label in reference.MATERIALS.items()]
    return "\n".join(rows)
