"""Pinyin search keys for many names at once, equal to `names.pinyin_keys`, ~10× faster.

`pinyin_keys` segments every name into words with pypinyin's phrase dictionary (~60 µs a
name: 6 s for a 100,000-row staff list, most of the import). But a name none of whose
substrings is a phrase in that dictionary is segmented into single characters, and then
its readings are those of each character. So: for an all-Chinese name with no phrase
inside, join per-character readings (each computed once by pypinyin itself, then cached;
a surname read as a surname, as `pinyin_keys` does); for any other name (a phrase inside
such as 建国, Latin letters, a middle dot, a compound surname), ask `pinyin_keys`. The
results are the same by construction, and a test checks them on names with polyphonic
surnames and phrases.
"""
from __future__ import annotations

from functools import lru_cache

from pypinyin.constants import PHRASES_DICT, RE_HANS

from .names import SURNAME_READINGS, _syllables, char_readings, join_keys, pinyin_keys

#: Readings of the Chinese characters met so far, the default first: (as a given name,
#: as a surname).
_CHARS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
#: Longer names are rare; they go the exact way.
_MAX_FAST = 6


def _char(char: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The readings of one Chinese character, computed once; None for others."""
    known = _CHARS.get(char)
    if known is None:
        if not RE_HANS.match(char):
            return None
        default = _syllables(char)
        if len(default) != 1:
            return None
        readings = [default[0]] + [r for r in char_readings(char) if r != default[0]]
        family = list(SURNAME_READINGS.get(char, ()))
        as_surname = (family + [r for r in readings if r not in family]) if family \
            else readings
        known = _CHARS[char] = (tuple(readings), tuple(as_surname))
    return known


def name_keys(name: str) -> tuple[str, str]:
    """('zhangwei', 'zw') for 张伟, exactly as `names.pinyin_keys(name)`."""
    length = len(name)
    if not 0 < length <= _MAX_FAST or name[:2] in SURNAME_READINGS:
        return pinyin_keys(name)
    for start in range(length - 1):
        for end in range(start + 2, length + 1):
            if name[start:end] in PHRASES_DICT:
                return pinyin_keys(name)
    parts = [_char(char) for char in name]
    if any(p is None for p in parts):
        return pinyin_keys(name)
    return _joined(tuple([parts[0][1]] + [p[0] for p in parts[1:]]))


@lru_cache(maxsize=1 << 16)
def _joined(readings: tuple[tuple[str, ...], ...]) -> tuple[str, str]:
    """`join_keys`, remembered: a staff list repeats its characters' combinations."""
    return join_keys([list(r) for r in readings])
