"""Chinese and English messages.

Every message is a pair (Chinese, English) in one catalog module, so neither language
can be forgotten. Domain labels carry both languages themselves (`Text`); `pick` chooses.
`--lang` sets the language; the default comes from the locale (zh* -> Chinese).
"""
from __future__ import annotations

import os

from ..domain.fields import LABELS as FIELD_LABELS
from ..domain.text import Text
from . import calendar as _calendar_messages
from . import ce_tui as _ce_tui_messages
from . import channels_tui as _channels_tui_messages
from . import core
from . import dashboard as _dashboard_messages
from . import export as _export_messages
from . import import_trust as _import_trust_messages
from . import importing as _import_messages
from . import notices as _notice_messages
from . import notify as _notify_messages
from . import postgres as _postgres_messages
from . import reliability as _reliability_messages
from . import renewal as _renewal_messages
from . import security as _security_messages
from . import security2 as _security2_messages
from . import tui as _tui_messages

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {}
for _catalog in (core, _export_messages, _import_messages, _tui_messages, _notice_messages,
                 _reliability_messages, _calendar_messages, _notify_messages,
                 _postgres_messages, _security_messages, _renewal_messages,
                 _dashboard_messages, _import_trust_messages, _security2_messages,
                 _channels_tui_messages, _ce_tui_messages):
    _overlap = set(MESSAGES) & set(_catalog.MESSAGES)
    if _overlap:  # a programming error: two catalogs define one key
        raise RuntimeError(f"duplicate message keys: {sorted(_overlap)}")
    MESSAGES.update(_catalog.MESSAGES)
#: Column headers and field names: `col_<field>`, from the one vocabulary of the domain.
_FIELDS = {f"col_{key}": (label.zh, label.en) for key, label in FIELD_LABELS.items()}
if set(MESSAGES) & set(_FIELDS):  # a catalog must not rename a field
    raise RuntimeError(f"field names in a catalog: {sorted(set(MESSAGES) & set(_FIELDS))}")
MESSAGES.update(_FIELDS)


def default_lang() -> str:
    """zh when the locale says Chinese (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), else en."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


_lang = default_lang()


def set_lang(lang: str) -> None:
    global _lang
    if lang not in LANGS:
        raise ValueError(lang)
    _lang = lang


def get_lang() -> str:
    return _lang


def t(key: str, /, lang: str | None = None, **params) -> str:
    """The message `key` in the current language, formatted with `params`."""
    zh, en = MESSAGES[key]
    text = zh if (lang or _lang) == "zh" else en
    return text.format(**params) if params else text


def pick(text: Text | str | None, lang: str | None = None) -> str:
    if text is None:
        return ""
    if isinstance(text, Text):
        return text.get(lang or _lang)
    return text
