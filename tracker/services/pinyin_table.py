"""Pinyin search keys for many names at once, equal to `names.pinyin_keys`, ~40× faster.

`pinyin_keys` segments every name into words with pypinyin's phrase dictionary (~60 µs a
name: 6 s for a 100,000-row staff list, most of the import). But a name none of whose
substrings is a phrase in that dictionary is segmented into single characters, and then
its pinyin is just the pinyin of each character. So: for an all-Chinese name with no
phrase inside, join per-character keys (each computed once by pypinyin itself, then
cached); for any other name (a phrase inside such as 建国, Latin letters, a middle dot),
ask `pinyin_keys`. The results are the same by construction, and a test checks them on
names with polyphonic surnames and phrases.
"""
from __future__ import annotations

from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT, RE_HANS

from .names import pinyin_keys

#: Per-character keys of the Chinese characters met so far (only those RE_HANS accepts).
_CHARS: dict[str, tuple[str, str]] = {}
#: Longer names are rare; they go the exact way.
_MAX_FAST = 6


def _char_keys(char: str) -> tuple[str, str] | None:
    """The keys of one Chinese character, computed once by pypinyin; None for others."""
    keys = _CHARS.get(char)
    if keys is None:
        if not RE_HANS.match(char):
            return None
        syllables = [s for s in lazy_pinyin(char, errors="default") if s.strip()]
        full = "".join(s.lower() for s in syllables if s.isascii()).replace(" ", "")
        initials = "".join(s[0].lower() for s in syllables
                           if s and s[0].isascii() and s[0].isalnum())
        keys = _CHARS[char] = (full, initials)
    return keys


def name_keys(name: str, _chars=_CHARS, _phrases=PHRASES_DICT) -> tuple[str, str]:
    """('zhangwei', 'zw') for 张伟, exactly as `names.pinyin_keys(name)`."""
    length = len(name)
    # Two and three characters are nearly every name: unrolled, ~2 µs.
    if length == 2:
        if name not in _phrases:
            first, second = _chars.get(name[0]), _chars.get(name[1])
            if first is not None and second is not None:
                return first[0] + second[0], first[1] + second[1]
    elif length == 3:
        if name[:2] not in _phrases and name[1:] not in _phrases and name not in _phrases:
            first, second, third = _chars.get(name[0]), _chars.get(name[1]), _chars.get(name[2])
            if first is not None and second is not None and third is not None:
                return (first[0] + second[0] + third[0], first[1] + second[1] + third[1])
    return _general(name)


def _general(name: str) -> tuple[str, str]:
    length = len(name)
    if not 0 < length <= _MAX_FAST:
        return pinyin_keys(name)
    for start in range(length - 1):
        for end in range(start + 2, length + 1):
            if name[start:end] in PHRASES_DICT:
                return pinyin_keys(name)
    parts = [_char_keys(char) for char in name]
    if any(p is None for p in parts):
        return pinyin_keys(name)
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)
