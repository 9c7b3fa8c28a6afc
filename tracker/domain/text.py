"""A piece of user-facing text in both languages.

The domain imports nothing of the project, so the labels and refusal reasons it owns
carry both languages themselves; the i18n layer only picks one.
"""
from __future__ import annotations

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
