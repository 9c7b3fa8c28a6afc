"""The effective rules: shipped defaults, overridden by a user file next to the database.

- The defaults ship as ``tracker/data/rules.toml``; they equal `DEFAULT_RULES`, which a
  test checks.
- A user file ``rules.toml`` in the folder of the database overrides any of them, key by
  key. A typo or a bad value is an error naming the file and the rule, never silently
  ignored: a wrong rule means a wrong deadline.

`tracker rules` prints each rule, its value and where the value came from.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .. import locations
from ..domain.rules import DEFAULT_RULES, RULE_LABELS, RuleError, Rules, rules_with
from ..domain.text import Text
from ..errors import TrackerError

USER_FILE_NAME = "rules.toml"
#: The source of a value that nobody changed.
DEFAULT_SOURCE = "default"


@dataclass
class EffectiveRules:
    rules: Rules
    #: rule name -> DEFAULT_SOURCE or the path of the file that set it.
    sources: dict[str, str] = field(default_factory=dict)
    #: Where the user file is (or would be).
    user_file: Path | None = None

    @property
    def user_file_exists(self) -> bool:
        return self.user_file is not None and self.user_file.is_file()

    def values(self) -> dict[str, Any]:
        """Every rule by name; None for one left unset (R9c: the required CE hours and
        their source until the officer sets them — the faces say "not configured")."""
        return {name: (None if getattr(self.rules, name) == "" else getattr(self.rules, name))
                for name in RULE_LABELS}


def defaults_text() -> str:
    """The shipped defaults file, as text."""
    return resources.files("tracker").joinpath("data", USER_FILE_NAME).read_text(
        encoding="utf-8")


def user_rules_path(db_path: Path | str) -> Path:
    """The user's rules file: rules.toml in the folder of the database."""
    return locations.rules_file(db_path)


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TrackerError("rules_file_unreadable", path=where,
                           reasons=[Text(f"TOML 语法错误：{error}", f"TOML syntax: {error}")]
                           ) from None
    return values


def _apply(base: Rules, values: dict[str, Any], where: str) -> Rules:
    try:
        return rules_with(base, values)
    except RuleError as error:
        raise TrackerError("rules_file_invalid", path=where, reasons=[error.reason]) from None


def load_rules(db_path: Path | str | None = None) -> EffectiveRules:
    """The rules in force for the database at `db_path` (defaults alone without a path)."""
    try:
        shipped = _parse(defaults_text(), "tracker/data/rules.toml")
    except FileNotFoundError:  # a broken install: the dataclass holds the same defaults
        shipped = {}
    rules = _apply(DEFAULT_RULES, shipped, "tracker/data/rules.toml")
    sources = {name: DEFAULT_SOURCE for name in RULE_LABELS}
    user_file = user_rules_path(db_path) if db_path is not None else None
    if user_file is not None and user_file.is_file():
        try:
            text = user_file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise TrackerError("rules_file_unreadable", path=str(user_file), reasons=[
                Text("文件不是 UTF-8 编码", "the file is not UTF-8")]) from None
        values = _parse(text, str(user_file))
        rules = _apply(rules, values, str(user_file))
        sources.update({name: str(user_file) for name in values})
    return EffectiveRules(rules=rules, sources=sources, user_file=user_file)
