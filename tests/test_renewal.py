"""Rules of time, part 2 (docs/domain.md, "Rules made precise"): the issue date and the
approval date (R7a), change of employer and deregistration (R7b), the practice seal (R7c),
materials that belong to an employer or a period (R7d), the renewal cut-off and refusal
(R9a), re-registration (R9b), continuing education (R9c) — through the command line, as
an officer would."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from .conftest import ID_LI, ID_WANG, ID_ZHANG

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True

README = Path(__file__).resolve().parents[1] / "README.md"
SHEN, MIN = "上海申建工程有限公司", "上海闵行建设集团有限公司"


def ok(result):
    assert result.code == 0, result.err
    return result


def shown(run, ref="E1", **kw):
    return ok(run("show", ref, "--format", "json", **kw)).json()


def history_count(run, ref="E1", **kw):
    return len(shown(run, ref, **kw)["history"])


def certified(run, *, number=ID_ZHANG, name="张伟", employee_no="E1", company=SHEN,
              today=date(2026, 11, 25)):
    """A person whose qualification certificate is in hand (no issue date recorded yet)."""
    ok(run("add", "--name", name, "--id-number", number, "--employee-no", employee_no,
           "--company", company, "--state", "certified", today=today))


def registered(run, *, approved_on: str, typed_on: date, employee_no="E1", number=ID_ZHANG,
               name="张伟", company=SHEN):
    """Registered with the approval dated `approved_on`, typed in on `typed_on`."""
    ok(run("add", "--name", name, "--id-number", number, "--employee-no", employee_no,
           "--company", company, "--state", "registration_applied", today=typed_on))
    ok(run("event", employee_no, "approve_registration", "--set", "registration_no=沪2321",
           "--set", f"approved_on={approved_on}", today=typed_on))


def configure_ce(db_path, hours=60, source="沪建（测试）〔2026〕1号"):
    (db_path.parent / "rules.toml").write_text(
        f'ce_hours_required = {hours}\nce_hours_source = "{source}"\n', encoding="utf-8")


# --------------------------------------------------------------------------- R7a


def test_r7a_an_unknown_issue_date_is_refused_by_its_name(run):
    certified(run)
    ok(run("material", "E1", "labour_contract"))
    before = history_count(run)
    for lang, words in (("zh", "发证日期"), ("en", "issue date")):
        refused = run("event", "E1", "apply_registration", lang=lang)
        assert refused.code == 2 and words in refused.err
        assert "certificate_issued_on" in refused.err and "Traceback" not in refused.err
    assert history_count(run) == before  # nothing written
    # The download day is not the issue date: it does not stand in for it.
    ok(run("event", "E1", "add_note", "--note", "下载", "--set", "certificate_issued_on=2026-11-01"))
    ok(run("event", "E1", "apply_registration"))


def test_r7a_an_eight_year_old_certificate_needs_ce_proof_and_is_accepted_with_it(run):
    certified(run)
    ok(run("material", "E1", "labour_contract"))
    refused = run("event", "E1", "apply_registration", "--set",
                  "certificate_issued_on=2018-06-30", lang="zh")
    assert refused.code == 2 and "继续教育证明" in refused.err and "2018-06-30" in refused.err
    assert shown(run)["state"] == "certified"
    ok(run("material", "E1", "ce_proof"))
    ok(run("event", "E1", "apply_registration", "--set", "certificate_issued_on=2018-06-30"))
    case = shown(run)
    assert case["state"] == "registration_applied"
    assert case["certificate_issued_on"] == "2018-06-30"


def test_r7a_the_issue_date_is_event_data_of_the_certificate_and_not_the_download_day(run):
    ok(run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E1",
           "--state", "certificate_available"))
    ok(run("event", "E1", "download_ecert", "--set", "certificate_issued_on=2026-10-30"))
    case = shown(run)
    assert (case["certificate_issued_on"], case["certificate_date"]) == ("2026-10-30",
                                                                        "2026-11-25")
    future = run("event", "E1", "add_note", "--note", "x", "--set",
                 "certificate_issued_on=2026-12-01")
    assert future.code == 2 and "after today" in future.err


def test_r7a_the_validity_runs_from_the_approval_date_not_the_day_it_is_typed_in(run):
    # Approved on 1 October, typed in on 25 November: the expiry does not move.
    registered(run, approved_on="2026-10-01", typed_on=date(2026, 11, 25))
    case = shown(run)
    assert (case["valid_from"], case["valid_until"]) == ("2026-10-01", "2029-09-30")
    assert case["registration"]["approved_on"] == "2026-10-01"
    # Without approved_on the day is today, and the command says so.
    ok(run("add", "--name", "李娜", "--id-number", ID_LI, "--employee-no", "E2",
           "--company", SHEN, "--state", "registration_applied"))
    echoed = ok(run("event", "E2", "approve_registration", "--set", "registration_no=沪2322",
                    lang="zh"))
    assert "批准日期按今天记录：2026-11-25" in echoed.out
    assert shown(run, "E2")["valid_until"] == "2029-11-24"
    future = run("event", "E2", "approve_renewal", "--set", "approved_on=2027-01-01")
    assert future.code == 2


# --------------------------------------------------------------------------- R7b, R7c


def test_r7b_a_change_of_employer_keeps_the_validity_and_needs_the_new_contract(run):
    registered(run, approved_on="2025-03-01", typed_on=date(2025, 3, 5))
    ok(run("material", "E1", "labour_contract", today=date(2025, 3, 5)))  # for 上海申建
    ok(run("event", "E1", "record_seal", "--set", "seal_no=沪印001", "--set",
           "seal_made_on=2025-03-20", today=date(2025, 3, 25)))
    # The old employer's contract does not satisfy the new one.
    refused = run("event", "E1", "change_registration", "--set", f"employer={MIN}", lang="zh")
    assert refused.code == 2 and "劳动合同" in refused.err and MIN in refused.err
    same = run("event", "E1", "change_registration", "--set", f"employer={SHEN}")
    assert same.code == 2 and "current employer" in same.err
    ok(run("material", "E1", "labour_contract", "--employer", MIN))
    ok(run("event", "E1", "change_registration", "--set", f"employer={MIN}",
           "--set", "approved_on=2026-11-20"))
    case = shown(run)
    assert case["state"] == "registered" and case["employer"] == MIN
    assert (case["valid_from"], case["valid_until"]) == ("2025-03-01", "2028-02-29")
    assert case["registration"]["seal"] is None  # a new seal names the new employer
    [earlier] = case["earlier_registrations"]
    assert (earlier["employer"], earlier["valid_until"], earlier["ended_on"]) == (
        SHEN, "2028-02-29", "2026-11-20")
    assert earlier["seal"] == {"seal_no": "沪印001", "made_on": "2025-03-20"}
    contracts = {m["scope"]: m["current"] for m in case["material_records"]
                 if m["item"] == "labour_contract"}
    assert contracts == {SHEN: False, MIN: True}
    text = ok(run("show", "E1", lang="zh")).out
    assert "以往注册" in text and "变更注册" in text and "不计入本期的材料" in text
    # The person's status sheet shows the same (R17: no event keys, no rule ids).
    sheet = ok(run("export", "E1", "--format", "md", "-o", "-", "--lang", "zh")).out
    assert "## 注册与继续教育" in sheet and "执业印章 沪印001" in sheet
    assert f"以往注册：沪2321 · {SHEN}" in sheet and "变更注册" in sheet
    assert "学时要求未配置" in sheet  # R9c: unset is said, not invented
    assert "change_registration" not in sheet
    data = ok(run("export", "E1", "--format", "json", "-o", "-")).json()
    assert data["earlier_registrations"][0]["employer"] == SHEN
    assert data["ce"]["required"] is None


def test_r7b_deregistration_moves_the_registration_out_of_the_current_view(run):
    registered(run, approved_on="2025-03-01", typed_on=date(2025, 3, 5))
    ok(run("event", "E1", "deregister", "--set", "deregistered_on=2026-11-10"))
    case = shown(run)
    assert case["state"] == "certified" and case["registration"] is None
    assert (case["registration_no"], case["valid_until"], case["employer"]) == (
        None, None, SHEN)  # the employer shown falls back to the person's company
    [earlier] = case["earlier_registrations"]
    assert (earlier["registration_no"], earlier["ended_on"]) == ("沪2321", "2026-11-10")
    assert earlier["reason"] == "deregistered"
    # Registering again is a re-registration: CE proof of this period (R9b).
    ok(run("material", "E1", "labour_contract"))
    refused = run("event", "E1", "apply_registration")
    assert refused.code == 2 and "re-registration" in refused.err
    # Undo brings the registration back, and the earlier one goes.
    ok(run("undo", "E1"))
    ok(run("undo", "E1"))
    case = shown(run)
    assert case["state"] == "registered" and case["registration"]["registration_no"] == "沪2321"
    assert case["earlier_registrations"] == []


# --------------------------------------------------------------------------- R9a


def _rule_example():
    """The README's example of the cut-off: expiry, last day to apply."""
    match = re.search(r"expires on\s+(\d{4}-\d{2}-\d{2}).*?last day to apply is\s+"
                      r"(\d{4}-\d{2}-\d{2})\s+\(that day included\)",
                      README.read_text("utf-8"), re.S)
    assert match, "the README states the cut-off rule with its example"
    return match.group(1), date.fromisoformat(match.group(2))


@pytest.mark.parametrize("offset, accepted", [(-1, True), (0, True), (1, False)])
def test_r9a_the_cut_off_day_before_on_and_after_as_the_readme_states(run, offset, accepted):
    expiry, cutoff = _rule_example()
    # Approved three years before the day after the expiry: valid until the expiry.
    after = date.fromordinal(date.fromisoformat(expiry).toordinal() + 1)
    approved = after.replace(year=after.year - 3)
    registered(run, approved_on=approved.isoformat(), typed_on=approved)
    ok(run("event", "E1", "open_renewal",
           today=date.fromordinal(date.fromisoformat(expiry).toordinal() - 60)))
    assert shown(run)["valid_until"] == expiry
    day = date.fromordinal(cutoff.toordinal() + offset)
    result = run("event", "E1", "apply_renewal", today=day)
    assert (result.code == 0) is accepted, result.err
    if not accepted:
        assert cutoff.isoformat() in result.err and "that day included" in result.err
        assert "late=true" in result.err


def test_r9a_a_late_application_is_recorded_as_late_with_its_note(run):
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))  # until 2026-05-31
    ok(run("event", "E1", "open_renewal", today=date(2026, 3, 2)))
    late = date(2026, 5, 10)
    assert run("event", "E1", "apply_renewal", "--set", "late=true", today=late).code == 2
    early = run("event", "E1", "apply_renewal", "--set", "late=true", "--note", "x",
                today=date(2026, 4, 1))
    assert early.code == 2 and "not late" in early.err
    ok(run("event", "E1", "apply_renewal", "--set", "late=true", "--note", "单位延误",
           today=late))
    row = shown(run, today=late)["history"][-1]
    assert (row["event"], row["note"], row["data"]["recorded"]) == (
        "apply_renewal", "单位延误", {"late": True})


def test_r9a_a_refused_renewal_goes_back_or_expires(run):
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))  # until 2026-05-31
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1), employee_no="E2",
               number=ID_LI, name="李娜")
    for ref in ("E1", "E2"):
        ok(run("event", ref, "open_renewal", today=date(2026, 3, 2)))
        ok(run("event", ref, "apply_renewal", today=date(2026, 3, 5)))
    ok(run("event", "E1", "reject_renewal", "--note", "材料不全", today=date(2026, 5, 20)))
    assert shown(run, "E1", today=date(2026, 5, 20))["state"] == "renewal_due"
    ok(run("event", "E2", "reject_renewal", today=date(2026, 6, 3)))
    case = shown(run, "E2", today=date(2026, 6, 3))
    assert case["state"] == "registration_expired"
    assert case["ce"]["period_from"] == "2026-06-01"  # the day after the last valid day


# --------------------------------------------------------------------------- R9b


def test_r9b_re_registration_from_expired_needs_ce_proof_of_this_period(run):
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))  # until 2026-05-31
    ok(run("material", "E1", "labour_contract", today=date(2023, 6, 2)))
    ok(run("material", "E1", "ce_proof", today=date(2026, 3, 1)))  # for the old period
    ok(run("sweep", today=date(2026, 6, 1)))
    assert shown(run, today=date(2026, 6, 1))["state"] == "registration_expired"
    refused = run("event", "E1", "apply_registration", today=date(2026, 7, 1))
    assert refused.code == 2 and "Continuing-education certificate" in refused.err
    ok(run("material", "E1", "ce_proof", today=date(2026, 7, 1)))
    ok(run("event", "E1", "apply_registration", today=date(2026, 7, 2)))
    ok(run("event", "E1", "approve_registration", "--set", "registration_no=沪2329",
           "--set", "approved_on=2026-08-01", today=date(2026, 8, 20)))
    case = shown(run, today=date(2026, 8, 20))
    assert (case["state"], case["valid_from"], case["valid_until"]) == (
        "registered", "2026-08-01", "2029-07-31")
    [earlier] = case["earlier_registrations"]
    assert (earlier["registration_no"], earlier["valid_until"], earlier["ended_on"]) == (
        "沪2321", "2026-05-31", "2026-05-31")


# --------------------------------------------------------------------------- R7d, R9c


def test_r7d_an_old_ce_proof_does_not_count_in_a_new_period(run):
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))
    ok(run("material", "E1", "ce_proof", today=date(2024, 1, 10)))
    ok(run("event", "E1", "open_renewal", today=date(2026, 3, 2)))
    ok(run("event", "E1", "apply_renewal", today=date(2026, 3, 5)))
    ok(run("event", "E1", "approve_renewal", today=date(2026, 4, 1)))
    ok(run("event", "E1", "open_renewal", today=date(2029, 3, 2)))
    case = shown(run, today=date(2029, 3, 2))
    assert case["state"] == "renewal_due" and "ce_proof" not in case["materials"]
    [proof] = [m for m in case["material_records"] if m["item"] == "ce_proof"]
    assert (proof["current"], proof["scope"]) == (False, "2023-06-01")
    sheet = ok(run("show", "E1", lang="zh", today=date(2029, 3, 2))).out
    assert "继续教育证明（2023-06-01 起的注册期）" in sheet


def test_r9c_the_requirement_unset_is_said_not_invented(run):
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))
    ok(run("ce", "add", "E1", "--hours", "24", "--on", "2024-05-01", "--provider", "培训中心"))
    ce = ok(run("ce", "list", "E1", "--format", "json")).json()
    assert (ce["required"], ce["configured"], ce["period_total"]) == (None, False, 24.0)
    assert "not configured" in ce["status"]
    for lang, words in (("zh", "未配置"), ("en", "not configured")):
        for command in (("ce", "list", "E1"), ("show", "E1")):
            out = ok(run(*command, lang=lang)).out
            assert words in out and "120" not in out, command
    # The renewal is not held back by hours nobody configured; nor is there a deadline.
    ok(run("event", "E1", "open_renewal", today=date(2026, 3, 2)))
    kinds = [d["kind"] for d in shown(run, today=date(2026, 3, 2))["deadlines"]]
    assert "ce_hours" not in kinds
    ok(run("event", "E1", "apply_renewal", today=date(2026, 3, 5)))


def test_r9c_a_figure_without_its_source_is_refused(run, db_path):
    (db_path.parent / "rules.toml").write_text("ce_hours_required = 120\n", encoding="utf-8")
    result = run("list")
    assert result.code == 2 and "ce_hours_source" in result.err


def test_r9c_courses_count_within_the_current_period_and_feed_the_renewal_guard(run, db_path):
    configure_ce(db_path, hours=60)
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))  # until 2026-05-31
    today = dict(today=date(2026, 3, 5))
    ok(run("ce", "add", "E1", "--hours", "24", "--on", "2023-05-20", "--provider", "甲",
           **today))  # before the period: not counted
    added = ok(run("ce", "add", "E1", "--hours", "36", "--on", "2024-05-01", "--provider", "乙",
                   "--certificate-no", "JX1", lang="zh", **today))
    assert "计入本注册期" in added.out and "已完成 36 / 要求 60 学时" in added.out
    ok(run("event", "E1", "open_renewal", **today))
    refused = run("event", "E1", "apply_renewal", **today)
    assert refused.code == 2 and "36 of 60" in refused.err and "沪建（测试）〔2026〕1号" in refused.err
    ce = ok(run("ce", "list", "E1", "--format", "json", **today)).json()
    assert [(e["hours"], e["in_period"]) for e in ce["entries"]] == [(24, False), (36, True)]
    assert (ce["period_from"], ce["period_until"], ce["missing"]) == (
        "2023-06-01", "2026-05-31", 24)
    duplicate = run("ce", "add", "E1", "--hours", "8", "--on", "2025-01-01", "--provider",
                    "乙", "--certificate-no", "JX1", **today)
    assert duplicate.code == 2 and "JX1" in duplicate.err
    ok(run("ce", "add", "E1", "--hours", "24", "--on", "2025-09-01", "--provider", "丙",
           **today))
    ok(run("event", "E1", "apply_renewal", **today))
    assert shown(run, **today)["ce"]["period_total"] == 60


def test_r9c_bad_course_input_is_refused_and_changes_nothing(run):
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))
    before = history_count(run)
    for args, words in ((("--hours", "0", "--on", "2024-01-01", "--provider", "x"), "above 0"),
                        (("--hours", "abc", "--on", "2024-01-01", "--provider", "x"), "number"),
                        (("--hours", "nan", "--on", "2024-01-01", "--provider", "x"), "number"),
                        (("--hours", "8", "--on", "2027-01-01", "--provider", "x"), "after today"),
                        (("--hours", "8", "--on", "2024-13-01", "--provider", "x"), "invalid"),
                        (("--hours", "8", "--on", "2024-01-01", "--provider", " "), "provider")):
        result = run("ce", "add", "E1", *args)
        assert result.code == 2 and words in result.err and "Traceback" not in result.err
    assert history_count(run) == before
    assert ok(run("ce", "list", "E1", "--format", "json")).json()["entries"] == []


def test_r9c_a_course_is_undone_like_any_other_record(run):
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))
    ok(run("ce", "add", "E1", "--hours", "8", "--on", "2024-01-01", "--provider", "甲"))
    assert ok(run("ce", "list", "E1", "--format", "json")).json()["period_total"] == 8
    ok(run("undo", "E1"))
    assert ok(run("ce", "list", "E1", "--format", "json")).json()["entries"] == []


def test_r9c_the_recorded_total_and_the_courses_add_up(run):
    """The bulk path (an import column, `tracker ce-hours`) records a total without
    course detail; it is listed as such and counts with the courses."""
    registered(run, approved_on="2023-06-01", typed_on=date(2023, 6, 1))
    recorded = ok(run("ce-hours", "E1", "12", lang="zh"))
    assert "0 → 12" in recorded.out and "未配置" in recorded.out
    ok(run("ce", "add", "E1", "--hours", "8", "--on", "2024-01-01", "--provider", "甲"))
    ce = ok(run("ce", "list", "E1", "--format", "json")).json()
    assert ce["period_total"] == 20
    assert [e["kind"] for e in ce["entries"]] == ["course", "recorded_total"]


def test_r7c_the_seal_is_a_side_record_shown_with_the_registration(run):
    registered(run, approved_on="2026-10-01", typed_on=date(2026, 10, 5))
    assert run("event", "E1", "record_seal").code == 2
    ok(run("event", "E1", "record_seal", "--set", "seal_no=沪印002"))
    case = shown(run)
    assert case["state"] == "registered"
    assert case["registration"]["seal"] == {"seal_no": "沪印002", "made_on": "2026-11-25"}
    assert "执业印章 沪印002" in ok(run("show", "E1", lang="zh")).out


def test_the_show_json_has_the_registration_and_ce_objects(run):
    ok(run("add", "--name", "欧阳娜娜", "--id-number", ID_WANG, "--employee-no", "E3"))
    case = shown(run, "E3")
    assert case["registration"] is None and case["earlier_registrations"] == []
    assert case["ce"]["entries"] == [] and case["ce"]["required"] is None


# --------------------------------------------------------------------------- migration


def test_a_version_5_database_with_registrations_migrates_to_periods_and_scopes(tmp_path, run):
    """Migration 6 (R7d): existing cases get their current period; materials received
    before stay valid for what they fall in; the recorded CE hours still count."""
    import json
    import sqlite3

    from tracker.store import Database, schema

    path = tmp_path / "v5.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    schema.migrate(conn, 0, 5)
    at = "2026-01-05T09:00:00"
    for pid, number, name, company in ((1, ID_ZHANG, "张伟", SHEN), (2, ID_LI, "李娜", None),
                                       (3, ID_WANG, "欧阳娜娜", MIN)):
        conn.execute("INSERT INTO persons (id, id_number, name, employee_no, company,"
                     " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [pid, number, name, f"E{pid}", company, at, at])
    cases = [  # id, state, employer, valid_from, valid_until, ce_hours
        (1, "registered", None, "2024-03-01", "2027-02-28", 12.5),
        (2, "registration_expired", "某单位", "2023-06-01", "2026-05-31", 0),
        (3, "certified", None, None, None, 0)]
    for cid, state, employer, start, until, hours in cases:
        conn.execute("INSERT INTO cases (id, person_id, state, employer, valid_from,"
                     " valid_until, ce_hours, created_at, updated_at) VALUES"
                     " (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [cid, cid, state, employer, start, until, hours, at, at])
        conn.execute("INSERT INTO history (case_id, at, actor, event, from_state, to_state)"
                     " VALUES (?, ?, 'hr', 'create', NULL, ?)", [cid, at, state])
    conn.execute("INSERT INTO history (case_id, at, actor, event, from_state, to_state, data)"
                 " VALUES (3, '2026-01-10T10:00:00', 'hr', 'deregister', 'registered',"
                 " 'certified', ?)", [json.dumps({"set": {}, "before": {}})])
    for cid, item, on in ((1, "labour_contract", "2024-02-01"), (1, "ce_proof", "2023-12-01"),
                          (1, "education_report", "2023-05-01"), (2, "ce_proof", "2026-03-01"),
                          (2, "labour_contract", "2023-05-20"), (3, "ce_proof", "2025-06-01")):
        conn.execute("INSERT INTO materials (case_id, item, received_on) VALUES (?, ?, ?)",
                     [cid, item, on])
    conn.execute("COMMIT")
    conn.close()

    with Database(path) as database:
        rows = {r[0]: r[1:] for r in database.conn.execute(
            "SELECT case_id, period_from, ce_period_hours FROM case_view")}
        assert rows == {1: ("2024-03-01", 12.5), 2: ("2026-06-01", 0), 3: ("2026-01-10", 0)}
        scopes = sorted(database.conn.execute("SELECT case_id, item, scope FROM materials"))
        assert scopes == [(1, "ce_proof", "before:2024-03-01"), (1, "education_report", ""),
                          (1, "labour_contract", SHEN), (2, "ce_proof", "before:2026-06-01"),
                          (2, "labour_contract", "某单位"),
                          (3, "ce_proof", "before:2026-01-10")]
    case = shown(run, "E1", db=path)
    assert sorted(case["materials"]) == ["education_report", "labour_contract"]
    assert case["ce"]["period_total"] == 12.5 and case["registration"]["approved_on"] is None
    # The expired case applies again: its old proof belonged to the period that ended.
    refused = run("event", "E2", "apply_registration", db=path)
    assert refused.code == 2 and "re-registration" in refused.err
    assert "earlier" in ok(run("show", "E2", db=path)).out
