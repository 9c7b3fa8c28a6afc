"""Both languages everywhere; layers point down (no Textual or SQL where they do not belong)."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from tracker import i18n
from tracker.domain import reference
from tracker.domain.workflow import EVENTS, FIELDS, STAGES, STATES

PACKAGE = Path(__file__).resolve().parents[1] / "tracker"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, (zh, en) in i18n.MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert placeholders(zh) == placeholders(en), key


def test_chinese_messages_are_chinese():
    """A Chinese message with words in it has Chinese words (not a copied English one)."""
    for key, (zh, _) in i18n.MESSAGES.items():
        if key == "k_language":
            continue  # the language key names the other language, in that language
        words = re.sub(r"\{\w+\}|--[\w-]+|tracker \w+|[A-Z_]{2,}|YYYY-MM-DD", "", zh)
        if re.search(r"[A-Za-z]{3,}", words):
            assert re.search(r"[\u4e00-\u9fff]", zh), key


def test_every_domain_label_has_both_languages():
    tables = [STATES, EVENTS, STAGES, FIELDS, reference.SPECIALTIES, reference.SUBJECTS,
              reference.MATERIALS, reference.CHANNELS]
    for table in tables:
        for value in table.values():
            label = getattr(value, "label", value)
            assert re.search(r"[\u4e00-\u9fff]", label.zh) and label.en.isascii() or \
                "一网通办" in label.en, label


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names.add(base)
    return names


def files(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


def test_domain_imports_nothing_of_the_project_and_no_io_frameworks():
    for path in files("domain"):
        for name in imports_of(path):
            assert not name.startswith(("tracker", "..")), (path, name)
            assert not name.startswith(("textual", "sqlite", "click", "rich")), (path, name)


def test_textual_stays_in_the_tui():
    for package in ("domain", "store", "services", "cli", "i18n"):
        for path in files(package):
            for name in imports_of(path):
                assert not name.startswith("textual"), (path, name)


def test_sql_stays_in_the_store():
    sql = re.compile(r"\b(SELECT\s+[\w*]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                     r"CREATE\s+TABLE)\b")
    for package in ("domain", "services", "cli", "tui", "i18n"):
        for path in files(package):
            text = path.read_text(encoding="utf-8")
            assert not sql.search(text), path


def test_lower_layers_do_not_import_upper_ones():
    for package, forbidden in (("store", ("..services", "..cli", "..tui", "tracker.services",
                                          "tracker.cli", "tracker.tui")),
                               ("services", ("..cli", "..tui", "tracker.cli", "tracker.tui"))):
        for path in files(package):
            for name in imports_of(path):
                assert not name.startswith(forbidden), (path, name)
