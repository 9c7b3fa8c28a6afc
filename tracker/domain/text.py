"""A piece of user-facing text in both languages.

The domain imports nothing of the project, so the labels and refusal reasons it owns
carry both languages themselves; the i18n layer only picks one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def format(self, **params) -> Text:
        return Text(self.zh.format(**params), self.en.format(**params))


def join(parts: list[Text], zh_sep: str = "、", en_sep: str = ", ") -> Text:
    return Text(zh_sep.join(p.zh for p in parts), en_sep.join(p.en for p in parts))


#: What a terminal obeys instead of showing: C0 controls but tab and line feed (a CR only
#: when it does not end a line: CRLF is harmless), DEL and the C1 controls (U+009B is
#: a CSI on its own). ESC is one of them, so no escape sequence survives whole.
_CONTROL = re.compile(r"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with its control characters written out (``\\x1b``) instead of obeyed.

    Names, notes, departments and file names are typed or imported by people: on a
    terminal, ``\\x1b[2J`` in a note would clear the screen of whoever runs `show`.
    """
    if text.isprintable():
        return text
    return _CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", text)
