"""The workflow definition against domain.md: states, events, labels, guards, effects."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tracker.domain import reference
from tracker.domain.model import CaseModel
from tracker.domain.workflow import (
    EVENTS,
    STATES,
    WORKFLOW,
    EventNotAllowed,
    resolve_event,
    resolve_state,
)

DOMAIN = Path(__file__).resolve().parents[1] / "docs" / "domain.md"


def domain_text() -> str:
    return DOMAIN.read_text(encoding="utf-8")


def test_every_state_of_domain_md_exists_with_its_chinese_label():
    table = re.findall(r"^\| (\w+) \| ([^|]+) \| [^|]+ \|$", domain_text(), re.M)
    documented = {name: zh.strip() for name, zh in table if name not in ("state", "rule")}
    assert len(documented) == 15
    for name, zh in documented.items():
        assert name in STATES, name
        assert STATES[name].label.zh == zh
        assert STATES[name].label.en


def test_every_event_of_domain_md_exists():
    section = domain_text().split("Events (each with guards", 1)[1].split("Side records", 1)[0]
    names = set(re.findall(r"^- (\w+)", section, re.M))
    names |= set(re.findall(r"/ (\w+) \(", section))  # "pass_review / fail_review (…)"
    names |= {"fail_review", "correct_certificate"}
    assert len(names) >= 20
    for name in names:
        assert name in EVENTS, name


def test_every_state_and_event_has_both_labels():
    for item in [*STATES.values(), *EVENTS.values()]:
        assert item.label.zh and item.label.en
        assert item.label.zh != item.label.en


def test_materials_have_both_labels():
    assert set(reference.MATERIALS) == {
        "education_report", "work_years_proof", "id_card_original", "admission_ticket",
        "diploma_original", "proxy_authorization", "principal_id_copy", "agent_id",
        "police_certificate",
        "labour_contract", "ce_proof"}
    assert reference.MATERIALS["work_years_proof"].zh == "工作年限证明"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_diagram_shows_every_state_and_every_main_event(lang):
    text = WORKFLOW.mermaid(lang)
    assert text.splitlines()[3] == "stateDiagram-v2"
    for state in STATES.values():
        assert f" as {state.name}" in text
        assert state.label.get(lang) in text
    for event in EVENTS.values():
        assert event.label.get(lang) in text, event.name


def test_one_shared_machine_and_no_models_added():
    assert WORKFLOW.machine.models == []
    model = CaseModel(state="exam_passed", today=date(2026, 11, 25))
    WORKFLOW.fire(model, "open_review", {})
    assert model.state == "review_pending"
    assert WORKFLOW.machine.models == []


def model(state: str, materials=(), **case) -> CaseModel:
    return CaseModel(state=state, case=case, materials=frozenset(materials),
                     company=case.pop("company", None), today=date(2026, 11, 25))


def test_submit_review_names_the_missing_evidence():
    outcome = WORKFLOW.fire(model("review_pending", ["education_report"]), "submit_review")
    assert not outcome.ok
    assert [r.zh for r in outcome.refusals] == ["缺少材料：工作年限证明"]
    assert "Proof of years of work" in outcome.refusals[0].en


def test_collect_paper_in_person_needs_the_id_card_only():
    assert not WORKFLOW.fire(model("certificate_available"), "collect_paper").ok
    outcome = WORKFLOW.fire(model("certificate_available", ["id_card_original"]), "collect_paper")
    assert outcome.ok and outcome.changes["channel"] == "paper"


def test_collect_paper_by_proxy_needs_the_proxy_documents():
    refused = WORKFLOW.fire(model("certificate_available", ["id_card_original"]),
                            "collect_paper", {"channel_proxy": True})
    assert "委托书" in refused.refusals[0].zh and "受托人身份证原件及复印件" in refused.refusals[0].zh
    ok = WORKFLOW.fire(model("certificate_available",
                             ["proxy_authorization", "principal_id_copy", "agent_id"]),
                       "collect_paper", {"channel_proxy": True})
    assert ok.ok and ok.changes["channel_proxy"] is True


def test_apply_registration_needs_employer_and_labour_contract():
    outcome = WORKFLOW.fire(model("certified"), "apply_registration")
    assert len(outcome.refusals) == 1  # conditions stop at the first failure
    outcome = WORKFLOW.fire(model("certified", ["labour_contract"]), "apply_registration")
    assert "employer" in outcome.refusals[0].en
    outcome = WORKFLOW.fire(model("certified", ["labour_contract"], company="上海申建",
                                  certificate_issued_on="2026-01-10"), "apply_registration")
    assert outcome.ok and outcome.changes["employer"] == "上海申建"


def test_old_certificate_needs_ce_proof_for_first_registration():
    """R7a: the issue date decides; the day the certificate was downloaded does not."""
    old = model("certified", ["labour_contract"], company="X",
                certificate_issued_on="2022-01-10", certificate_date="2026-11-01")
    outcome = WORKFLOW.fire(old, "apply_registration")
    assert not outcome.ok and "继续教育证明" in outcome.refusals[0].zh
    ok = model("certified", ["labour_contract", "ce_proof"], company="X",
               certificate_issued_on="2022-01-10")
    assert WORKFLOW.fire(ok, "apply_registration").ok


def test_approval_sets_three_years_and_renewal_extends_from_old_expiry():
    outcome = WORKFLOW.fire(model("registration_applied"), "approve_registration",
                            {"registration_no": "沪2322024000123"})
    assert outcome.changes["valid_from"] == "2026-11-25"
    assert outcome.changes["valid_until"] == "2029-11-24"
    renewal = WORKFLOW.fire(model("renewal_applied", valid_until="2026-12-31"), "approve_renewal")
    assert renewal.changes["valid_from"] == "2027-01-01"
    assert renewal.changes["valid_until"] == "2029-12-31"


def test_renewal_needs_the_continuing_education_hours_when_configured():
    """R9c: with the requirement configured (and its source), the hours hold it back."""
    from dataclasses import replace

    case = model("renewal_due", ce_hours=60, valid_until="2027-01-31")
    case.rules = replace(case.rules, ce_hours_required=120.0, ce_hours_source="沪建（测试）")
    refused = WORKFLOW.fire(case, "apply_renewal")
    assert "60 of 120" in refused.refusals[0].en and "沪建（测试）" in refused.refusals[0].en
    assert WORKFLOW.fire(case, "apply_renewal", {"ce_hours": 120}).ok


def test_miss_review_only_after_the_deadline():
    early = WORKFLOW.fire(model("review_pending", review_deadline="2026-11-30"), "miss_review")
    assert not early.ok and "5" in early.refusals[0].en
    assert WORKFLOW.fire(model("review_pending", review_deadline="2026-11-24"), "miss_review").ok


def test_subject_passes_count_only_inside_the_two_year_window():
    case = model("exam_partial")
    first = WORKFLOW.fire(case, "record_subject_pass",
                          {"subjects": ["management", "regulations"], "exam_year": 2023})
    assert first.ok and case.state == "exam_partial"
    # Two years later the 2023 passes have fallen out of the window (R2).
    late = model("exam_partial", subjects=first.changes["subjects"])
    WORKFLOW.fire(late, "record_subject_pass", {"subjects": ["practice"], "exam_year": 2025})
    assert late.state == "exam_partial"
    assert '"management"' not in late.changes["subjects"]
    # Within the window all three subjects -> exam_passed.
    inside = model("exam_partial", subjects=first.changes["subjects"])
    WORKFLOW.fire(inside, "record_subject_pass", {"subjects": ["practice"], "exam_year": 2024})
    assert inside.state == "exam_passed"


def test_an_event_from_the_wrong_state_is_not_allowed():
    with pytest.raises(EventNotAllowed) as info:
        WORKFLOW.fire(model("exam_passed"), "approve_registration")
    assert "open_review" in info.value.allowed


def test_names_resolve_from_either_label():
    assert resolve_state("复核通过") == "review_passed"
    assert resolve_state("Review passed") == "review_passed"
    assert resolve_event("提交复核材料") == "submit_review"
    assert resolve_state("nonsense") is None
