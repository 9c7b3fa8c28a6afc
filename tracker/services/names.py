"""Pinyin of Chinese names, computed once at write time so search stays an indexed query.

A name's keys hold every reading of it, the way it is said as a name first: 曾志强 is
"zengzhiqiang cengzhiqiang" (曾 is zēng as a surname, céng elsewhere), 单丽 is
"shanli danli chanli". The first reading is the sort key (单丽 sorts under S); all of them
are searchable (tracker/store/query.py: a full-text index over both columns, prefix
queries on any reading).
"""
from __future__ import annotations

from functools import lru_cache
from itertools import product
from math import prod

#: Surnames read otherwise than their most common reading (what pypinyin gives first).
#: pypinyin has every reading of these characters but no surname mode (its issue #297),
#: so the reading a surname takes is chosen here; tests/test_search.py checks that each is
#: one of pypinyin's own readings of the character(s).
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"), "尉迟": ("yu", "chi"), "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "曾": ("zeng",), "单": ("shan",), "解": ("xie",), "仇": ("qiu",), "区": ("ou",),
    "查": ("zha",), "朴": ("piao",), "盖": ("ge",), "覃": ("qin",), "翟": ("zhai",),
    "缪": ("miao",), "乐": ("yue",), "种": ("chong",), "秘": ("bi",), "繁": ("po",),
    "阚": ("kan",), "折": ("she",), "员": ("yun",), "能": ("nai",), "句": ("gou",),
    "召": ("shao",), "宿": ("su",), "都": ("du",), "薄": ("bo",), "尉": ("yu",),
    "重": ("chong",), "黑": ("he",), "佴": ("nai",), "隗": ("wei",), "蕃": ("pi",),
}

#: At most this many readings of one name are kept (a name of three polyphonic
#: characters could have 27; the first ones are the likely ones).
MAX_READINGS = 8


def surname(name: str) -> str:
    """The name's surname if it is one read otherwise (compound surnames first), or ''."""
    if name[:2] in SURNAME_READINGS:
        return name[:2]
    return name[:1] if name[:1] in SURNAME_READINGS else ""


def _syllables(text: str) -> list[str]:
    """pypinyin's reading of `text` (phrase-aware), non-Chinese kept as ASCII words."""
    from pypinyin import lazy_pinyin

    return [s.lower().replace(" ", "") for s in lazy_pinyin(text, errors="default")
            if s.strip() and s.isascii()]


def char_readings(char: str) -> tuple[str, ...]:
    """Every reading of one character, pypinyin's most common first; () for a character
    that is not Chinese."""
    from pypinyin import Style, pinyin
    from pypinyin.constants import RE_HANS

    if not RE_HANS.match(char):
        return ()
    return tuple(dict.fromkeys(r for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0]
                               if r.isascii()))


def join_keys(readings: list[list[str]]) -> tuple[str, str]:
    """(full, initials) from alternatives per syllable, the first alternative of each
    first: the combinations that change fewest syllables come first (up to
    MAX_READINGS), space-separated, without repeats."""
    if all(len(r) == 1 for r in readings):  # no polyphonic character: one reading
        full = "".join(r[0] for r in readings)
        return full, "".join(r[0][0] for r in readings if r[0] and r[0][0].isalnum())
    choices = [range(len(r)) for r in readings]
    if prod(len(c) for c in choices) > 512:  # a long name: vary its first syllables only
        choices = [c if i < 3 else range(1) for i, c in enumerate(choices)]
    picks = sorted(product(*choices), key=lambda pick: sum(1 for i in pick if i))
    combos = [[readings[i][j] for i, j in enumerate(pick)] for pick in picks[:MAX_READINGS]]
    full = dict.fromkeys("".join(combo) for combo in combos)
    initials = dict.fromkeys("".join(s[0] for s in combo if s and s[0].isalnum())
                             for combo in combos)
    return " ".join(k for k in full if k), " ".join(k for k in initials if k)


@lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> tuple[str, str]:
    """('zhangwei', 'zw') for 张伟; ('zengzhiqiang cengzhiqiang', 'zzq czq') for 曾志强.

    The first reading is pypinyin's (phrase-aware) with a surname read as a surname; the
    others vary each polyphonic character. Non-Chinese characters are kept, lower-cased.
    """
    # Imported when needed: loading pypinyin's dictionaries takes ~0.3 s, which commands
    # that write no names (show, list, remind…) should not pay at start-up.
    family = surname(name)
    rest = name[len(family):]
    first = list(SURNAME_READINGS.get(family, ())) + _syllables(rest)
    alternatives: list[list[str]] = [[s] for s in first]
    chars = [c for c in name if c not in "·・ "]
    if len(chars) == len(first) and all(char_readings(c) for c in chars):  # one per char
        for index, char in enumerate(chars):
            others = [r for r in char_readings(char) if r != first[index]]
            alternatives[index] += others
    return join_keys(alternatives)


def refresh_readings(database) -> int:
    """Give the names written before issue 14 every reading (once, on opening such a
    database: `open_context`); how many were read again."""
    from ..store import search

    if not search.has_stale_readings(database):
        return 0
    from .pinyin_table import name_keys

    rows = [(*name_keys(name), person_id) for person_id, name in search.stale_names(database)]
    search.write_readings(database, rows)
    return len(rows)
