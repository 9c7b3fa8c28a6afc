"""Every dependency's lower bound is tested: the suite runs on the oldest versions allowed.

pyproject.toml says `>=X` for each runtime dependency; this test installs exactly X of every
one of them (a pip constraints file made from pyproject.toml, so the bound and the test
cannot drift apart) into a new virtual environment, with the project and its test tools,
and runs the suite there. A bound that is too low fails here, not on an officer's PC.

The reference pages are left out of that run: they are the help text of the newest click
(older ones lay the same options out differently) and are checked in the main run.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


#: Extras of the program (not of its tests): their bounds are tested the same way.
RUNTIME_EXTRAS = ("postgres",)


def lower_bounds() -> dict[str, str]:
    """name -> the lower bound of each runtime dependency (every one must have one),
    the runtime extras' included."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    extras = [line for extra in RUNTIME_EXTRAS
              for line in project["optional-dependencies"][extra]]
    for line in [*project["dependencies"], *extras]:
        requirement = Requirement(line)
        lows = [s.version for s in requirement.specifier if s.operator == ">="]
        assert lows, f"{requirement.name} has no tested lower bound (>=) in pyproject.toml"
        bounds[requirement.name] = lows[0]
    return bounds


def test_every_dependency_has_a_lower_bound():
    assert len(lower_bounds()) >= 10


@pytest.mark.skipif(os.environ.get("TRACKER_LOWER_BOUNDS_RUN") == "1",
                    reason="this is the run on the lower bounds itself")
def test_the_suite_passes_on_the_lowest_versions_allowed(tmp_path):
    constraints = tmp_path / "lowest.txt"
    constraints.write_text("".join(f"{name}=={version}\n"
                                   for name, version in lower_bounds().items()))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-c", str(constraints), "-e", f"{ROOT}[test,{','.join(RUNTIME_EXTRAS)}]"],
        capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    installed = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True,
                               text=True, timeout=120).stdout.lower()
    for name, version in lower_bounds().items():
        assert f"{name.lower()}=={version}" in installed.replace("_", "-"), name
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
         "--deselect", "tests/test_docs.py", "--deselect", "tests/test_lower_bounds.py",
         "--basetemp", str(tmp_path / "pytest")],
        cwd=ROOT, capture_output=True, text=True, timeout=1500,
        env={**os.environ, "TRACKER_LOWER_BOUNDS_RUN": "1"})
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-3000:]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
