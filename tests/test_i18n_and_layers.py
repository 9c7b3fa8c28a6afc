"""Both languages everywhere; every message used; SQL text only in the store (the import
contracts are import-linter's: tests/test_architecture.py)."""
from __future__ import annotations

import re
import string
from pathlib import Path

from tracker import i18n
from tracker.domain import reference
from tracker.domain.fields import FIELDS
from tracker.domain.fields import LABELS as FIELD_LABELS
from tracker.domain.workflow import EVENTS, STAGES, STATES

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


def files(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


def test_sql_stays_in_the_store():
    sql = re.compile(r"\b(SELECT\s+[\w*]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                     r"CREATE\s+TABLE)\b")
    for package in ("domain", "services", "cli", "tui", "i18n"):
        for path in files(package):
            text = path.read_text(encoding="utf-8")
            assert not sql.search(text), path


#: Keys built from a prefix and a value: f"sheet_kind_{kind}", "sheet_line_" ~ status, …
DYNAMIC_PREFIXES = re.compile(r"""(?:f["']|["'])([a-z_]+_)(?:\{|["']\s*~)""")


def test_every_message_is_used():
    """No key sits in a catalog that no code asks for (a dead message is a stale one)."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
                     if "i18n" not in p.parts)
    prefixes = tuple(set(DYNAMIC_PREFIXES.findall(code)))
    unused = [key for key in i18n.MESSAGES
              if not re.search(rf"[\"']{re.escape(key)}[\"']", code)
              and not key.startswith(prefixes)
              and not (key.startswith("col_") and key[4:] in FIELD_LABELS)]
    assert unused == []
