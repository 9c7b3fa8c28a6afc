"""Snapshot tests of the main screens at a fixed terminal size, in both languages.

The scenes are those of scripts/screenshots.py (the README's pictures). After a deliberate
change of the UI: `pytest tests/test_tui_snapshots.py --snapshot-update`, look at the
new SVGs, and run `python scripts/screenshots.py`.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
screenshots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshots)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    return screenshots.demo_database(tmp_path_factory.mktemp("snap"))


@pytest.mark.parametrize("lang", screenshots.LANGS)
@pytest.mark.parametrize("scene", ["dashboard", "cases", "detail", "event-modal",
                                   "import-preview", "help", "channels", "channels-send",
                                   "ce-course"])
def test_screen(snap_compare, demo_file, tmp_path, monkeypatch, scene, lang):
    monkeypatch.chdir(ROOT / "data")  # the import scene's tree: data/ and its sample list
    path = tmp_path / "demo.db"
    path.write_bytes(demo_file.read_bytes())
    app = screenshots.make_app(path, lang, scene)

    async def run_before(pilot):
        await screenshots.SCENES[scene](pilot, app)

    try:
        assert snap_compare(app, terminal_size=screenshots.SIZE, run_before=run_before)
    finally:
        app.backend.ctx.db.close()


LAYOUT_SIZES = [(80, 24), (120, 40), (220, 60)]


@pytest.mark.parametrize("lang", screenshots.LANGS)
@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", ["dashboard", "cases", "channels"])
def test_layout_at_each_size(snap_compare, demo_file, tmp_path, monkeypatch, scene, size, lang):
    """The layout follows the terminal (issue 14): the counts per state always shown,
    columns dropped or cut with "…" only when there is no room, panels that grow."""
    monkeypatch.chdir(ROOT / "data")
    path = tmp_path / "demo.db"
    path.write_bytes(demo_file.read_bytes())
    app = screenshots.make_app(path, lang, "layout")  # the day's calendar warning given

    async def run_before(pilot):
        await screenshots.SCENES[scene](pilot, app)

    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        app.backend.ctx.db.close()
