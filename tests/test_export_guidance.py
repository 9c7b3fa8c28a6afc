"""What to do next, per state: both languages, the guide's places and platforms, rule ids."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from tracker.domain import guidance
from tracker.domain.guidance import next_steps
from tracker.domain.reference import MATERIALS
from tracker.domain.rules import DEFAULT_RULES
from tracker.domain.workflow import STATES

TODAY = date(2026, 11, 25)


def all_text(steps, lang: str) -> str:
    parts = []
    for step in steps:
        parts += [step.title.get(lang), step.body.get(lang)]
        parts += [item.get(lang) for item in step.items]
    return "\n".join(parts)


@pytest.mark.parametrize("state", list(STATES))
def test_every_state_has_advice_in_both_languages_citing_known_rules(state):
    steps = next_steps(state, {}, materials=[], today=TODAY)
    assert steps, state
    for step in steps:
        assert re.search(r"[\u4e00-\u9fff]", step.title.zh + step.body.zh), step
        assert step.title.en and step.body.en and re.search(r"[A-Za-z]{3,}", step.body.en)
        assert step.rules and set(step.rules) <= set(guidance.RULE_TITLES), step
        assert step.kind in (guidance.ACTION, guidance.WARNING, guidance.INFO)


def test_guidance_covers_every_state_and_nothing_else():
    assert {state.guidance for state in STATES.values()} <= set(guidance.ADVICE)
    assert set(guidance.ADVICE) == set(STATES)  # no advice for a state that does not exist
    with pytest.raises(KeyError):
        next_steps("no_such_state", today=TODAY)


def test_certificate_available_names_the_platforms_the_hall_and_the_proxy_variant():
    steps = next_steps("certificate_available", {}, today=TODAY)
    zh, en = all_text(steps, "zh"), all_text(steps, "en")
    for needle in ("上海一网通办", "随申办", "我的证照", "电子证照", "上海市人事考试业务受理大厅",
                   "预约", "委托书", "姓名、身份证号、专业"):
        assert needle in zh, needle
    assert "不是闵行区" in zh and "not a Minhang district office" in en   # R12
    assert "上海一网通办" in en and "随申办" in en and "我的证照" in en
    cited = guidance.rules_cited(steps)
    for rule in ("R5", "R6", "R12", "R13"):
        assert rule in cited


def test_fraud_warning_and_contact_data_before_the_certificate():
    for state in ("exam_partial", "exam_passed", "review_pending", "review_submitted",
                  "review_passed", "certificate_available"):
        cited = guidance.rules_cited(next_steps(state, {}, today=TODAY))
        assert "R13" in cited, state
    for state in ("exam_passed", "review_pending", "review_passed"):
        assert "R14" in guidance.rules_cited(next_steps(state, {}, today=TODAY)), state


def test_after_the_certificate_registration_via_the_employer_and_safekeeping():
    steps = next_steps("certified", {"channel": "electronic"}, today=TODAY)
    text = all_text(steps, "zh")
    assert "建设工程企业资质和从业人员监管平台" in text and "聘用单位" in text   # R7
    cited = guidance.rules_cited(steps)
    assert {"R7", "R8"} <= set(cited)
    assert "R9" in guidance.rules_cited(next_steps("registered", {}, today=TODAY))


def test_case_data_fills_in_dates_and_what_is_missing():
    steps = next_steps("review_pending", {"review_deadline": "2026-12-09"},
                       materials=["education_report"], today=TODAY)
    text = all_text(steps, "zh")
    assert "2026-12-09" in text
    assert "目前还缺：工作年限证明" in text
    assert "Still missing: Proof of years of work" in all_text(steps, "en")
    done = next_steps("review_pending", {}, materials=["education_report", "work_years_proof"],
                      today=TODAY)
    assert "以上材料都已备齐" in all_text(done, "zh")
    assert "（含当日）" in text  # R17: the last day says whether it still counts


def test_registered_shows_validity_renewal_cutoff_and_hours():
    row = {"valid_until": "2027-08-11", "ce_hours": 40}
    text = all_text(next_steps("registered", row, today=TODAY), "en")
    assert "2027-08-11" in text and "2027-07-12 (that day included)" in text
    # R9c: no figure of its own while the requirement is not configured …
    assert "Done this period: 40 hours" in text and "not configured" in text
    assert "120" not in text
    # … and the figure with its source once it is.
    configured = replace(DEFAULT_RULES, ce_hours_required=90.0, ce_hours_source="沪建（测试）")
    zh = all_text(next_steps("registered", row, today=TODAY, rules=configured), "zh")
    assert "本注册期已完成 40 / 要求 90 学时（依据：沪建（测试））" in zh


def test_late_first_registration_asks_for_ce_proof():
    """R7a: the issue date decides; unknown, it is asked for."""
    old = next_steps("certified", {"certificate_issued_on": "2020-01-10"}, materials=[],
                     today=TODAY)
    assert "继续教育证明" in all_text(old, "zh") and "more than 3 years ago" in all_text(old, "en")
    new = next_steps("certified", {"certificate_issued_on": "2026-01-10",
                                   "certificate_date": "2020-01-10"}, materials=[], today=TODAY)
    assert "continuing-education" not in all_text(new, "en")
    unknown = next_steps("certified", {"certificate_date": "2026-11-20"}, today=TODAY)
    assert "give the issue date printed on the certificate" in all_text(unknown, "en")
    again = next_steps("certified", {"certificate_issued_on": "2026-01-10",
                                     "period_from": "2026-03-01"}, materials=[], today=TODAY)
    assert "re-registration" in all_text(again, "en")  # R9b


def test_exam_partial_lists_the_remaining_subjects_and_the_window():
    row = {"subjects": '{"management": 2025}'}
    steps = next_steps("exam_partial", row, today=TODAY)
    text = all_text(steps, "zh")
    assert "建设工程法规及相关知识" in text and "专业工程管理与实务" in text
    assert "2026" in text


def test_relevant_materials_are_known_items():
    for state in STATES:
        assert set(STATES[state].materials) <= set(MATERIALS)
    assert STATES["review_pending"].materials == ("education_report", "work_years_proof")


def test_step_to_dict_is_one_language():
    step = next_steps("certificate_available", today=TODAY)[0]
    data = step.to_dict("zh")
    assert data["title"] == step.title.zh and data["rules"] == list(step.rules)
