"""Notices, reminders, the sweep, the rules file: through the real command line, today pinned."""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from tracker.services import cases as case_service
from tracker.services import listing

from .conftest import make_id

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True


def ids(n: int, first: int = 1) -> list[str]:
    return [make_id(f"3101121990{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i:03d}")
            for i in range(first, first + n)]


def add(run, name, number, employee_no, *, exam_year=None, state=None):
    args = ["add", "--name", name, "--id-number", number, "--employee-no", employee_no,
            "--department", "工程部"]
    if exam_year:
        args += ["--exam-year", str(exam_year)]
    if state:
        args += ["--state", state]
    result = run(*args)
    assert result.code == 0, result.err


def state_of(run, ref, today=None):
    result = run("show", ref, "--format", "json", **({"today": today} if today else {}))
    assert result.code == 0, result.err
    return result.json()


@pytest.fixture
def cohort(run):
    """Five staff: two of exam year 2025 passed, one of 2024, one 2025 partial, one 2025
    already past review."""
    numbers = ids(5)
    add(run, "张伟", numbers[0], "E1", exam_year=2025)
    add(run, "李娜", numbers[1], "E2", exam_year=2025)
    add(run, "王强", numbers[2], "E3", exam_year=2024)
    add(run, "赵敏", numbers[3], "E4", exam_year=2025, state="exam_partial")
    add(run, "陈静", numbers[4], "E5", exam_year=2025, state="review_passed")
    return numbers


def review_notice(run, *extra, today=date(2026, 6, 1)):
    return run("notice", "add", "--kind", "review", "--exam-year", "2025",
               "--deadline", "2026-06-15", "--title", "2025年度考后资格复核通知",
               "--ref", "沪考院〔2026〕12号", *extra, today=today)


# --------------------------------------------------------------------------- notices


def test_a_review_notice_moves_exactly_its_cohort(run, cohort):
    result = review_notice(run)
    assert result.code == 0, result.err
    assert "notice #1 recorded" in result.out and "Open review: 2 cases" in result.out
    states = {ref: state_of(run, ref)["state"] for ref in ("E1", "E2", "E3", "E4", "E5")}
    assert states == {"E1": "review_pending", "E2": "review_pending", "E3": "exam_passed",
                      "E4": "exam_partial", "E5": "review_passed"}
    for ref in ("E1", "E2"):
        case = state_of(run, ref)
        assert case["review_deadline"] == "2026-06-15"
        opened = [h for h in case["history"] if h["event"] == "open_review"]
        assert len(opened) == 1
        assert opened[0]["data"]["notice_id"] == 1
        assert opened[0]["note"] == "2025年度考后资格复核通知"
    [notice] = run("notice", "list", "--format", "json").json()
    assert (notice["kind"], notice["exam_year"], notice["deadline"], notice["applied"],
            notice["ref"]) == ("review", 2025, "2026-06-15", 2, "沪考院〔2026〕12号")


def test_a_second_review_notice_leaves_cases_already_in_review_unless_told(run, cohort):
    review_notice(run)
    add(run, "周杰", ids(1, 50)[0], "E6", exam_year=2025)
    later = run("notice", "add", "--kind", "review", "--exam-year", "2025",
                "--deadline", "2026-06-30", today=date(2026, 6, 10))
    assert later.code == 0
    assert "Open review: 1 cases" in later.out and "--update-pending" in later.out
    assert state_of(run, "E1")["review_deadline"] == "2026-06-15"
    assert state_of(run, "E6")["review_deadline"] == "2026-06-30"
    extended = run("notice", "add", "--kind", "review", "--exam-year", "2025",
                   "--deadline", "2026-06-30", "--update-pending", "--format", "json",
                   today=date(2026, 6, 11))
    assert extended.code == 0
    assert sorted(extended.json()["updated"]) == [1, 2]
    case = state_of(run, "E1")
    assert case["review_deadline"] == "2026-06-30"
    update = case["history"][-1]
    assert (update["event"], update["data"]["notice_id"],
            update["data"]["before"]["review_deadline"]) == ("update", 3, "2026-06-15")


def test_a_certificate_notice_publishes_to_those_who_passed_review(run, cohort):
    result = run("notice", "add", "--kind", "certificate", "--exam-year", "2025",
                 "--opens", "2026-09-01", "--format", "json")
    assert result.code == 0, result.err
    body = result.json()
    assert body["applied"] == [5] and body["event"] == "publish_certificate"
    case = state_of(run, "E5")
    assert case["state"] == "certificate_available"
    assert case["history"][-1]["data"]["notice_id"] == body["notice"]["id"]


def test_a_paper_notice_sets_the_window_and_gives_a_deadline(run, cohort):
    run("notice", "add", "--kind", "certificate", "--exam-year", "2025")
    result = run("notice", "add", "--kind", "paper", "--exam-year", "2025",
                 "--opens", "2026-12-01", "--deadline", "2026-12-19", lang="zh")
    assert result.code == 0, result.err
    assert "1 个案件已设置纸质证书领取时间" in result.out
    case = state_of(run, "E5")
    assert case["deadlines"][0]["kind"] == "paper_window"
    assert case["deadlines"][0]["due_on"] == "2026-12-19"
    assert case["history"][-1]["event"] == "update"
    again = run("notice", "add", "--kind", "paper", "--exam-year", "2025",
                "--opens", "2026-12-01", "--deadline", "2026-12-19", "--format", "json")
    assert again.json()["applied"] == []  # the same window again records nothing


def test_a_deadline_in_working_days_skips_national_day_and_counts_the_working_saturday(run):
    add(run, "张伟", ids(1)[0], "E1", exam_year=2024)
    result = run("notice", "add", "--kind", "review", "--exam-year", "2024",
                 "--opens", "2025-09-26", "--working-days", "6", today=date(2025, 9, 26))
    assert result.code == 0, result.err
    # 09-28 (Sunday, worked) counts, 10-01…10-08 do not, Saturday 10-11 (worked) does.
    assert "2025-10-11" in result.out and "Sat" in result.out
    assert state_of(run, "E1", today=date(2025, 9, 26))["review_deadline"] == "2025-10-11"


def test_a_year_without_calendar_data_is_counted_provisionally_not_refused(run):
    """R15: 2027 is unknown to the calendar: counted Monday to Friday, marked provisional
    (tests/test_calendar.py follows such a deadline until the year is recorded)."""
    add(run, "张伟", ids(1)[0], "E1", exam_year=2026)
    result = run("notice", "add", "--kind", "review", "--exam-year", "2026",
                 "--opens", "2026-12-20", "--working-days", "30")
    assert result.code == 0, result.err
    assert "deadline (provisional)" in result.out and "2027-01-29" in result.out
    [notice] = run("notice", "list", "--format", "json").json()
    assert (notice["deadline"], notice["provisional"]) == ("2027-01-29", True)
    assert state_of(run, "E1")["state"] == "review_pending"


@pytest.mark.parametrize("args, message", [
    (["--kind", "review", "--exam-year", "2025"], "needs a deadline"),
    (["--kind", "review", "--exam-year", "2025", "--working-days", "5"], "needs --opens"),
    (["--kind", "review", "--exam-year", "2025", "--deadline", "2026-06-15",
      "--opens", "2026-06-01", "--working-days", "5"], "not both"),
    (["--kind", "paper", "--exam-year", "2025", "--opens", "2026-07-01",
      "--deadline", "2026-06-15"], "after the deadline"),
    (["--kind", "review", "--exam-year", "2025", "--deadline", "2026-06-31"], "invalid date"),
])
def test_bad_notices_are_refused_with_the_reason(run, cohort, args, message):
    result = run("notice", "add", *args)
    assert result.code == 2
    assert message in result.err
    assert run("notice", "list", "--format", "json").json() == []


def test_dry_run_records_nothing(run, cohort):
    result = review_notice(run, "--dry-run", "--format", "json")
    assert result.code == 0
    assert result.json()["applied"] == [1, 2] and result.json()["notice"] is None
    assert state_of(run, "E1")["state"] == "exam_passed"
    assert run("notice", "list", "--format", "json").json() == []


def test_notice_messages_in_chinese(run, cohort):
    result = run("notice", "add", "--kind", "review", "--exam-year", "2025", "--deadline",
                 "2026-06-15", lang="zh", today=date(2026, 6, 1))
    assert "已登记通知 #1：资格复核通知，2025 年度" in result.out
    assert "开始资格复核：2 个案件" in result.out


# --------------------------------------------------------------------------- reminders


def test_five_days_before_the_deadline_the_reminder_lists_the_cohort(run, cohort):
    review_notice(run)
    result = run("remind", "--format", "json", today=date(2026, 6, 10))
    assert result.code == 0, result.err
    items = result.json()
    assert [(i["employee_no"], i["kind"], i["due_on"], i["days_left"], i["overdue"])
            for i in items] == [("E1", "review_deadline", "2026-06-15", 5, False),
                                ("E2", "review_deadline", "2026-06-15", 5, False)]
    assert {"case_id", "employee_no", "name", "kind", "due_on", "days_left",
            "overdue"} <= set(items[0])
    assert items[0]["name"] == "张伟" and items[0]["stage"] == 7


def test_the_reminder_window_and_overdue_items(run, cohort):
    review_notice(run)
    run("material", "E2", "education_report", today=date(2026, 6, 2))
    run("material", "E2", "work_years_proof", today=date(2026, 6, 2))
    run("event", "E2", "submit_review", today=date(2026, 6, 2))
    assert run("remind", "--within", "3", "--format", "json",
               today=date(2026, 6, 10)).json() == []
    late = run("remind", "--within", "0", "--format", "json", today=date(2026, 6, 17)).json()
    assert [(i["employee_no"], i["days_left"], i["overdue"]) for i in late] == [
        ("E1", -2, True)]
    table = run("remind", today=date(2026, 6, 17), lang="zh")
    assert "逾期 2 天" in table.out and "张伟" in table.out and "李娜" not in table.out


def test_remind_without_anything_due_says_so(run, cohort):
    result = run("remind")
    assert result.code == 0 and "nothing to remind of" in result.out


def registered(run, name, number, employee_no, valid_from):
    add(run, name, number, employee_no, state="registration_applied")
    result = run("event", employee_no, "approve_registration", "--set",
                 f"registration_no=沪232{employee_no}", "--set", f"valid_from={valid_from}")
    assert result.code == 0, result.err


def uid_of(case_id, kind):
    return f"tracker-case-{case_id}-{kind}@grade2-tracker"


def test_the_ics_file_parses_with_one_event_per_deadline_and_stable_uids(run, cohort, tmp_path,
                                                                         db_path):
    review_notice(run)
    registered(run, "孙丽", ids(1, 60)[0], "E7", "2023-06-01")
    # SEQUENCE grows with the real time of the last change (history and updated_at record
    # the real time, issue 17): the first export's changes were made a minute earlier.
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE cases SET updated_at = datetime(updated_at, '-60 seconds')")
    conn.commit()
    conn.close()
    target = tmp_path / "deadlines.ics"
    result = run("remind", "--within", "400", "--format", "ics", "-o", str(target),
                 today=date(2026, 6, 10))
    assert result.code == 0, result.err
    calendar = Calendar.from_ical(target.read_bytes())
    events = calendar.walk("VEVENT")
    expected = run("remind", "--within", "400", "--format", "json",
                   today=date(2026, 6, 10)).json()
    # 2 reviews, and E7's renewal cut-off and expiry (no CE hours deadline: the required
    # hours are not configured, R9c). (E4 has passed nothing yet: no window runs, R2a —
    # there is no 31 December stand-in any more.)
    assert len(events) == len(expected) == 4
    for event, item in zip(events, expected):
        assert event.decoded("dtstart") == date.fromisoformat(item["due_on"])
        alarms = event.walk("VALARM")
        assert all(a["action"] == "DISPLAY" and a["description"] for a in alarms)
        stages = [90, 60, 30] if item["kind"] == "registration_expiry" else [30, 7, 1]
        # One alarm per stage, at 09:00 that many days before the all-day event.
        assert [a.decoded("trigger") for a in alarms] == [
            timedelta(days=-stage, hours=9) for stage in stages]
    first = next(e for e in events if str(e["uid"]) == uid_of(1, "review_deadline"))
    assert str(first["summary"]) == "Review evidence due: 张伟 (E1)"
    first_uids = sorted(str(e["uid"]) for e in events)

    # The deadline moves (a later notice extends it): same UIDs, the new date, newer SEQUENCE.
    run("notice", "add", "--kind", "review", "--exam-year", "2025", "--deadline",
        "2026-06-30", "--update-pending", today=date(2026, 6, 11))
    again = Calendar.from_ical(run("remind", "--within", "400", "--format", "ics",
                                   today=date(2026, 6, 12), lang="zh").out.encode())
    moved = again.walk("VEVENT")
    assert sorted(str(e["uid"]) for e in moved) == first_uids
    review = {str(e["uid"]): e for e in moved if "review_deadline" in str(e["uid"])}
    old = {str(e["uid"]): e for e in events if "review_deadline" in str(e["uid"])}
    for key, event in review.items():
        assert event.decoded("dtstart") == date(2026, 6, 30)
        assert int(event["sequence"]) > int(old[key]["sequence"])
        assert "复核材料提交截止" in str(event["summary"])


# --------------------------------------------------------------------------- the sweep


def test_the_sweep_misses_unsubmitted_reviews_and_leaves_submitted_ones(run, cohort):
    review_notice(run)
    run("material", "E2", "education_report", today=date(2026, 6, 2))
    run("material", "E2", "work_years_proof", today=date(2026, 6, 2))
    run("event", "E2", "submit_review", today=date(2026, 6, 2))
    on_the_day = run("sweep", today=date(2026, 6, 15))
    assert on_the_day.code == 0 and "nothing is due" in on_the_day.out
    after = run("sweep", "--format", "json", today=date(2026, 6, 16))
    assert after.code == 0, after.err
    assert after.json()["events"]["miss_review"]["applied"] == [1]
    first = state_of(run, "E1", today=date(2026, 6, 16))
    assert first["state"] == "review_missed"
    assert (first["history"][-1]["actor"], first["history"][-1]["event"]) == (
        "system", "miss_review")
    assert state_of(run, "E2", today=date(2026, 6, 16))["state"] == "review_submitted"

    history_before = [len(state_of(run, r)["history"]) for r in ("E1", "E2", "E3")]
    second = run("sweep", "--format", "json", today=date(2026, 6, 16))
    assert second.code == 0
    assert all(e["applied"] == [] for e in second.json()["events"].values())
    assert [len(state_of(run, r)["history"]) for r in ("E1", "E2", "E3")] == history_before


def test_renewal_opens_and_the_registration_expires_on_the_right_days(run):
    registered(run, "孙丽", ids(1, 70)[0], "E1", "2023-06-01")  # valid until 2026-05-31
    registered(run, "钱多", ids(1, 71)[0], "E2", "2023-06-01")
    assert state_of(run, "E1")["valid_until"] == "2026-05-31"
    assert run("sweep", today=date(2026, 3, 1)).out.count("nothing is due") == 1
    opened = run("sweep", "--format", "json", today=date(2026, 3, 2))  # 90 days before
    assert opened.json()["events"]["open_renewal"]["applied"] == [1, 2]
    assert state_of(run, "E1", today=date(2026, 3, 2))["state"] == "renewal_due"
    # E2 renews in time; E1 does not.
    run("ce-hours", "E2", "120", today=date(2026, 3, 5))
    assert run("event", "E2", "apply_renewal", today=date(2026, 3, 5)).code == 0
    assert "nothing is due" in run("sweep", today=date(2026, 5, 31)).out
    expired = run("sweep", "--format", "json", today=date(2026, 6, 1))
    assert expired.json()["events"]["expire_registration"]["applied"] == [1]
    assert state_of(run, "E1", today=date(2026, 6, 1))["state"] == "registration_expired"
    assert state_of(run, "E2", today=date(2026, 6, 1))["state"] == "renewal_applied"


def test_a_registration_long_past_expiry_expires_without_opening_renewal(run):
    registered(run, "孙丽", ids(1, 80)[0], "E1", "2020-01-01")
    result = run("sweep", "--format", "json")
    events = result.json()["events"]
    assert events["expire_registration"]["applied"] == [1]
    assert events["open_renewal"]["applied"] == []


def test_sweep_dry_run_changes_nothing(run, cohort):
    review_notice(run)
    result = run("sweep", "--dry-run", today=date(2026, 6, 16), lang="zh")
    assert result.code == 0 and "试运行" in result.out
    assert state_of(run, "E1")["state"] == "review_pending"


# --------------------------------------------------------------------------- list


def test_list_filters_on_deadlines_and_its_json_has_the_next_one(run, cohort):
    review_notice(run)
    registered(run, "孙丽", ids(1, 90)[0], "E7", "2024-01-01")
    soon = run("list", "--due-within", "10", "--format", "json", today=date(2026, 6, 10))
    assert [(o["employee_no"], o["next_deadline"], o["next_deadline_kind"], o["days_left"])
            for o in soon.json()] == [("E1", "2026-06-15", "review_deadline", 5),
                                      ("E2", "2026-06-15", "review_deadline", 5)]
    assert run("list", "--overdue", "--format", "json",
               today=date(2026, 6, 10)).json() == []
    late = run("list", "--overdue", "--format", "json", today=date(2026, 6, 16)).json()
    assert [o["employee_no"] for o in late] == ["E1", "E2"]
    everyone = {o["employee_no"]: o for o in run("list", "--format", "json",
                                                  today=date(2026, 6, 10)).json()}
    assert everyone["E3"]["next_deadline"] is None and everyone["E3"]["days_left"] is None
    assert everyone["E7"]["next_deadline_kind"] == "renewal_cutoff"  # R9c: hours unset
    table = run("list", "--due-within", "10", today=date(2026, 6, 10), lang="zh")
    assert table.code == 0 and "显示 2 / 共 2 个案件" in table.out
    assert run("list", "--overdue", "--due-within", "3").code == 2


def test_list_csv_carries_the_deadline_columns(run, cohort):
    review_notice(run)
    header = run("list", "--format", "csv").out.splitlines()[0].split(",")
    assert {"next_deadline", "next_deadline_kind", "days_left"} <= set(header)


# --------------------------------------------------------------------------- rules


def test_rules_show_defaults_and_where_the_user_file_goes(run, db_path):
    result = run("rules", "--format", "json")
    body = result.json()
    assert body["rules"]["reminder_stages"] == [30, 7, 1]
    assert set(body["sources"].values()) == {"default"}
    assert body["user_file"] == str(db_path.parent / "rules.toml")
    assert body["user_file_exists"] is False
    assert "默认" in run("rules", lang="zh").out


def test_a_user_rules_file_overrides_key_by_key(run, db_path):
    (db_path.parent / "rules.toml").write_text(
        "ce_hours_required = 90\nce_hours_source = \"沪建（测试）\"\n"
        "reminder_stages = [14, 3]\nregistration_validity_years = 5\n", encoding="utf-8")
    body = run("rules", "--format", "json").json()
    assert body["rules"]["ce_hours_required"] == 90
    assert body["sources"]["ce_hours_required"] == str(db_path.parent / "rules.toml")
    assert body["sources"]["renewal_cutoff_days"] == "default"
    # The figures reach the workflow and the deadlines.
    registered(run, "孙丽", ids(1, 100)[0], "E1", "2026-01-10")
    case = state_of(run, "E1")
    assert case["valid_until"] == "2031-01-09"
    cutoff = [d for d in case["deadlines"] if d["kind"] == "ce_hours"][0]
    assert cutoff["detail"] == "0 of 90 hours done this period (source: 沪建（测试）); 90 missing"


def test_the_toml_format_round_trips(run, db_path):
    text = run("rules", "--format", "toml").out
    (db_path.parent / "rules.toml").write_text(text, encoding="utf-8")
    body = run("rules", "--format", "json").json()
    assert body["rules"] == run("rules", "--format", "json", db=db_path.parent / "x" / "t.db"
                                ).json()["rules"]
    set_ = {k for k, v in body["rules"].items() if v is not None}
    assert {body["sources"][k] for k in set_} == {str(db_path.parent / "rules.toml")}
    # an unset rule (R9c: the CE requirement) stays unset: a comment, never a made-up value
    assert body["rules"]["ce_hours_required"] is None
    assert "# ce_hours_required =" in text


@pytest.mark.parametrize("content, message", [
    ("ce_hours_required = \n", "TOML"),
    ("ce_hour_required = 90\n", "unknown rule: ce_hour_required"),
    ("reminder_stages = 7\n", "list of days"),
    ("renewal_window_days = 10\n", "renewal_cutoff_days"),
])
def test_a_broken_rules_file_stops_every_command_with_the_reason(run, db_path, content, message):
    (db_path.parent / "rules.toml").write_text(content, encoding="utf-8")
    for command in (["rules"], ["list"], ["remind"]):
        result = run(*command)
        assert result.code == 2
        assert str(db_path.parent / "rules.toml") in result.err and message in result.err


def test_the_shipped_defaults_file_equals_the_built_in_rules():
    from tracker.domain.rules import DEFAULT_RULES
    from tracker.services.rules import load_rules

    assert load_rules().rules == DEFAULT_RULES


# --------------------------------------------------------------------------- registration data


def test_renewal_extends_from_the_old_expiry_and_needs_the_hours(run, db_path):
    (db_path.parent / "rules.toml").write_text(
        'ce_hours_required = 120\nce_hours_source = "沪建（测试）"\n', encoding="utf-8")
    registered(run, "孙丽", ids(1, 110)[0], "E1", "2023-06-01")
    run("sweep", today=date(2026, 3, 2))
    refused = run("event", "E1", "apply_renewal", today=date(2026, 3, 3))
    assert refused.code == 2 and "0 of 120" in refused.err
    assert run("ce-hours", "E1", "80", today=date(2026, 3, 3)).code == 0
    added = run("ce-hours", "E1", "40", "--add", today=date(2026, 3, 3), lang="zh")
    assert "80 → 120" in added.out
    assert run("event", "E1", "apply_renewal", today=date(2026, 3, 3)).code == 0
    assert run("event", "E1", "approve_renewal", today=date(2026, 4, 20)).code == 0
    case = state_of(run, "E1", today=date(2026, 4, 20))
    assert (case["state"], case["valid_from"], case["valid_until"], case["ce_hours"]) == (
        "registered", "2026-06-01", "2029-05-31", 0)


def test_ce_hours_through_an_event_also_count(run):
    registered(run, "孙丽", ids(1, 120)[0], "E1", "2023-06-01")
    result = run("event", "E1", "add_note", "--note", "继续教育完成", "--set", "ce_hours=120")
    assert result.code == 0, result.err
    kinds = [d["kind"] for d in state_of(run, "E1")["deadlines"]]
    assert "ce_hours" not in kinds and "renewal_cutoff" in kinds


# --------------------------------------------------------------------------- services


def test_one_transaction_per_notice(ctx, monkeypatch):
    """A failure half-way through a notice leaves no notice and no moved case."""
    from tracker.services import notices

    numbers = ids(3, 200)
    for index, number in enumerate(numbers):
        case_service.add_case(ctx, name=f"员工{index}", id_number=number, exam_year=2025)

    def broken(*args, **kwargs):
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(notices.store, "set_applied", broken)
    with pytest.raises(RuntimeError):
        notices.add_notice(ctx, kind="review", exam_year=2025, deadline=date(2026, 12, 1))
    assert notices.list_notices(ctx) == []
    rows = listing.list_cases(ctx)
    assert {r["state"] for r in rows} == {"exam_passed"}


def test_case_deadlines_api_for_the_dashboard_and_exports(ctx):
    from tracker.services.deadlines import case_deadlines, next_deadline

    case_id = case_service.add_case(ctx, name="张伟", id_number=ids(1, 300)[0],
                                    exam_year=2025)
    case_service.fire_event(ctx, case_id, "open_review",
                            data={"review_deadline": "2026-11-30"})
    row = case_service.get_case(ctx, case_id)
    [deadline] = case_deadlines(ctx, row)
    assert (deadline.kind, deadline.days_left, deadline.overdue) == ("review_deadline", 5,
                                                                       False)
    assert deadline.label.zh == "复核材料提交截止" and deadline.detail.zh.startswith("尚缺")
    assert next_deadline(ctx, row) == deadline
    assert next_deadline(replace(ctx, today=date(2026, 12, 1)), row).overdue
    with pytest.raises(Exception):
        deadline.days_left = 3  # frozen


def test_the_ics_text_is_rfc5545(run, cohort):
    review_notice(run)
    text = run("remind", "--format", "ics", today=date(2026, 6, 10)).out
    assert text.startswith("BEGIN:VCALENDAR") and "VERSION:2.0" in text
    assert "PRODID:" in text and re.search(r"DTSTAMP:\d{8}T\d{6}Z", text)
    assert "UID:tracker-case-1-review_deadline@grade2-tracker" in text
    assert "DTSTART;VALUE=DATE:20260615" in text and "TRIGGER:-P6DT15H" in text
    json.dumps(text)  # plain text, nothing binary


def test_the_table_shows_a_screenful_and_counts_the_rest(run, cohort, tmp_path):
    review_notice(run)
    result = run("remind", "--limit", "1", today=date(2026, 6, 10))
    assert "2 deadlines: 0 overdue, 2 due within 7 days" in result.out
    assert "only the first 1 of 2 shown" in result.out
    assert len(run("remind", "--limit", "1", "--format", "json",
                   today=date(2026, 6, 10)).json()) == 1
    target = tmp_path / "remind.txt"
    written = run("remind", "-o", str(target), today=date(2026, 6, 10), lang="zh")
    assert written.code == 0 and str(target) in written.out
    assert "张伟" in target.read_text(encoding="utf-8")


def test_remind_filters_by_department_and_kind(run, cohort):
    review_notice(run)
    registered(run, "孙丽", ids(1, 130)[0], "E7", "2023-06-01")
    kinds = {i["kind"] for i in run("remind", "--within", "400", "--format", "json",
                                    "--kind", "registration_expiry",
                                    today=date(2026, 6, 10)).json()}
    assert kinds == {"registration_expiry"}
    assert run("remind", "--department", "没有这个部门", "--format", "json",
               today=date(2026, 6, 10)).json() == []
