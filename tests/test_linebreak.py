"""Line breaking of Chinese mixed with Latin (tracker/i18n/linebreak.py), checked against
uniseg's UAX #14 on the texts the program shows."""
from __future__ import annotations

import pytest
from rich.cells import cell_len
from uniseg.linebreak import line_break_boundaries

from tracker.domain.workflow import EVENTS, STATES
from tracker.i18n import MESSAGES
from tracker.i18n.linebreak import CLOSING, OPENING, units, wrap

SAMPLES = [
    "请在APP中提交（截止日期：2026-12-31）。然后 Review evidence submitted, 继续。",
    "2027 年的节假日安排尚未录入：跨入该年的“N 个工作日”期限只能按周一至周五暂算。",
    "上传《继续教育证明》后，在“上海市住建委”APP 内点击“提交”，等待审核（约 5 个工作日）。",
]


def corpus() -> list[str]:
    texts = list(SAMPLES)
    texts += [zh for zh, _ in MESSAGES.values()] + [en for _, en in MESSAGES.values()]
    for spec in list(STATES.values()) + list(EVENTS.values()):
        texts += [spec.label.zh, spec.label.en]
        meaning = getattr(spec, "meaning", None)
        if meaning is not None:
            texts += [meaning.zh, meaning.en]
    return [t for t in texts if t]


def test_every_break_is_one_the_unicode_rules_allow():
    for text in corpus():
        for line in text.split("\n"):
            allowed = set(line_break_boundaries(line))
            position = 0
            for piece in units(line)[:-1]:
                position += len(piece)
                assert position in allowed, (line, position, line[:position])


def test_latin_words_dates_and_punctuation_stay_whole():
    pieces = units(SAMPLES[0])
    assert "APP" in pieces
    assert any(p.startswith("2026-12-31") for p in pieces)
    assert not any(p[0] in CLOSING for p in pieces)
    assert not any(p.rstrip()[-1] in OPENING for p in pieces)


@pytest.mark.parametrize("width", [8, 13, 20, 31, 56])
def test_wrapped_lines_fit_and_keep_the_text(width):
    for text in SAMPLES:
        lines = wrap(text, width)
        assert all(cell_len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line[:1] in CLOSING for line in lines)
        assert not any(line.endswith("AP") for line in lines)
