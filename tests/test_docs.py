"""The manual (docs/): the generated command reference is current and complete, and the
site builds without a warning.

- cog: every file with a cog block is what cog would generate now, so a command whose
  `--help` changed fails here until `cog -r docs/reference/commands.md` is run;
- the reference names every command, subcommand and long option of the `tracker` group,
  found by walking the group (the lazily loaded commands included), not from a list;
- `mkdocs build --strict` passes (broken links, missing pages or anchors, nav errors).
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from cogapp import Cog

from tracker.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference" / "commands.md"


def cogged_files() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "[[[cog" in p.read_text(encoding="utf-8"))


def all_commands() -> list[tuple[str, click.Command, click.Context]]:
    """("tracker notice add", command, its context) for the group and every command in it."""
    found = []

    def walk(command: click.Command, name: str, parent: click.Context | None) -> None:
        context = click.Context(command, info_name=name.rsplit(" ", 1)[-1], parent=parent)
        found.append((name, command, context))
        if isinstance(command, click.Group):
            for sub in command.list_commands(context):
                child = command.get_command(context, sub)
                assert child is not None, f"{name} {sub}: listed but cannot be loaded"
                if not child.hidden:
                    walk(child, f"{name} {sub}", context)

    walk(cli, "tracker", None)
    return found


def reference_sections() -> dict[str, str]:
    """The reference page cut at its `## tracker …` headings: {command: its text}."""
    text = REFERENCE.read_text(encoding="utf-8")
    parts = re.split(r"^## (tracker(?: [\w-]+)*)\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def test_the_docs_hold_a_cog_block():
    assert REFERENCE in cogged_files()


@pytest.mark.parametrize("path", cogged_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_cog_output_is_current(path):
    out, err = io.StringIO(), io.StringIO()
    cog = Cog()
    cog.set_output(stdout=out, stderr=err)
    with contextlib.chdir(ROOT):
        status = cog.main(["cog", "--check", str(path.relative_to(ROOT))])
    assert status == 0, (
        f"{path.relative_to(ROOT)} is not what cog generates now; "
        f"run: cog -r {path.relative_to(ROOT)}\n{out.getvalue()}{err.getvalue()}")


def test_the_walk_finds_lazy_commands_and_subcommands():
    names = {name for name, _, _ in all_commands()}
    # One command loaded on demand of each module, and the subcommands of a group.
    assert {"tracker import", "tracker export-all", "tracker serve", "tracker backup",
            "tracker notice add", "tracker notice list", "tracker ce-hours"} <= names


def test_reference_names_every_command_and_long_option():
    sections = reference_sections()
    missing = []
    for name, command, context in all_commands():
        if name not in sections:
            missing.append(f"{name}: no section")
            continue
        for param in command.get_params(context):
            if not isinstance(param, click.Option):
                continue
            for opt in [*param.opts, *param.secondary_opts]:
                if opt.startswith("--") and not re.search(
                        rf"(?<![\w-]){re.escape(opt)}(?![\w-])", sections[name]):
                    missing.append(f"{name}: {opt}")
        if isinstance(command, click.Group):
            for sub in command.list_commands(context):
                if not re.search(rf"^\s+{re.escape(sub)}\s", sections[name], re.MULTILINE):
                    missing.append(f"{name}: subcommand {sub} not listed")
    assert not missing, ("the command reference lacks (run cog -r docs/reference/commands.md):\n"
                         + "\n".join(missing))


def test_mkdocs_build_strict(tmp_path):
    # Not --quiet: it hides the warnings from --strict, which then passes a broken link.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "-d", str(tmp_path / "site"), "-f", str(ROOT / "mkdocs.yml")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    # Both languages are built: Chinese at the root, English under en/.
    assert (tmp_path / "site" / "index.html").exists()
    assert (tmp_path / "site" / "en" / "index.html").exists()
    assert (tmp_path / "site" / "reference" / "commands" / "index.html").exists()
