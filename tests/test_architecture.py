"""The house's rules, checked as tools check them: layer contracts, style, start-up weight.

- import-linter holds the contracts written in pyproject.toml (layers point down; the
  faces reach the store only through the services; the domain is pure; Textual only in
  tracker.tui; SQL only in tracker.store) — and a copy of the package with one face
  importing the store is seen to break them, so the check can fail;
- ruff finds nothing;
- `tracker show` and `tracker list` load neither Textual, nor jinja2, nor pypinyin: what
  they do not need, they do not pay for at start-up.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import ID_ZHANG

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"


def lint_imports(package_root: Path) -> subprocess.CompletedProcess:
    """import-linter on the `tracker` package found in `package_root`, with our contracts."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(package_root)!r})
        from importlinter.cli import lint_imports
        sys.exit(lint_imports(config_filename={str(PYPROJECT)!r}, no_cache=True, no_logo=True))
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=package_root, timeout=300)


def test_the_layer_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_face_importing_the_store_breaks_the_contracts(tmp_path):
    shutil.copytree(ROOT / "tracker", tmp_path / "tracker",
                    ignore=shutil.ignore_patterns("__pycache__"))
    face = tmp_path / "tracker" / "cli" / "cases.py"
    face.write_text(face.read_text(encoding="utf-8") + "\nfrom ..store import cases as _store\n",
                    encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "The faces go through the services: no face imports the store BROKEN" in result.stdout
    assert "tracker.cli.cases -> tracker.store.cases" in result.stdout


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_function_is_longer_than_sixty_lines():
    """Long functions are split along their seams (a function is read whole)."""
    import ast

    long = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    long.append((str(path.relative_to(ROOT)), node.name, length))
    assert long == []


HEAVY = ("textual", "jinja2", "pypinyin")


@pytest.fixture(scope="module")
def one_case(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("startup") / "tracker.db"
    added = subprocess.run([sys.executable, "-m", "tracker", "--db", str(db), "add", "--name",
                            "张伟", "--id-number", ID_ZHANG, "--employee-no", "E1"],
                           capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    return db


@pytest.mark.parametrize("command", [["show", "E1"], ["show", "E1", "--format", "json"],
                                     ["list"], ["list", "--format", "json"]])
def test_reading_commands_do_not_load_the_dashboard_templates_or_pinyin(one_case, command):
    script = textwrap.dedent(f"""
        import json, sys
        from tracker.cli import main
        code = main(["--db", {str(one_case)!r}] + {command!r})
        loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
        print(json.dumps({{"code": code, "loaded": loaded}}), file=sys.stderr)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "loaded": []}
