"""Pinyin of Chinese names, computed once at write time so search stays an indexed query."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """('zhangwei', 'zw') for 张伟; non-Chinese characters are kept, lower-cased."""
    # Imported here: loading pypinyin's dictionaries takes ~0.3 s, which commands that
    # write no names (show, list, remind…) should not pay at start-up.
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(name, errors="default") if s.strip()]
    full = "".join(s.lower() for s in syllables if s.isascii()).replace(" ", "")
    initials = "".join(s[0].lower() for s in syllables if s and s[0].isascii() and s[0].isalnum())
    return full, initials
