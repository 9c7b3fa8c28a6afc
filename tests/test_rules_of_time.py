"""Rules of time, part 1 (docs/domain.md, "Rules made precise"): exam sittings and passes
(R2a), the review's way out (R3a–c), the certificate (R5a, R6a, R1a), contact data and
identity (R14a, R10a), and the person's status sheet (R17). Each test names its rule.

Everything goes through the real entry point, as an officer would type it.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date

import pytest

from .conftest import ID_LI, ID_ZHANG

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True


def digest(path) -> str:
    """The database's content (file and WAL): unchanged means byte for byte."""
    parts = [path.read_bytes()]
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        parts.append(wal.read_bytes())
    return hashlib.sha256(b"".join(parts)).hexdigest()


@pytest.fixture
def sittings(run):
    """The exam notices of 2024, 2025 and 2026, each with its sitting's day."""
    for year, day in ((2024, "2024-06-02"), (2025, "2025-06-08"), (2026, "2026-06-07")):
        result = run("notice", "add", "--kind", "exam", "--exam-year", str(year),
                     "--sitting", day, today=date(year, 3, 1))
        assert result.code == 0, result.err


def partial(run, passes: str, year: int, today: date, name: str = "张伟",
            number: str = ID_ZHANG, employee: str = "E001") -> str:
    assert run("add", "--name", name, "--id-number", number, "--employee-no", employee,
               "--state", "exam_partial", "--exam-year", str(year), today=today).code == 0
    result = run("event", employee, "record_subject_pass", "--set", f"subjects={passes}",
                 "--set", f"exam_year={year}", today=today)
    assert result.code == 0, result.err
    return employee


# --------------------------------------------------------------------------- R2a


def test_r2a_a_2024_pass_is_void_once_the_2025_sitting_is_over(run, sittings):
    case = partial(run, "management", 2024, date(2024, 9, 1))
    # Before the 2025 sitting: the reminder names its day.
    before = run("remind", "--within", "400", "--format", "json", today=date(2025, 5, 1)).json()
    window = [r for r in before if r["kind"] == "exam_window"]
    assert [r["due_on"] for r in window] == ["2025-06-08"]
    # The day after: the sweep voids the pass, as `system`, in the history.
    swept = run("sweep", today=date(2025, 6, 9))
    assert swept.code == 0, swept.err
    shown = run("show", case, "--format", "json", today=date(2025, 6, 9)).json()
    assert shown["subjects"] == {} and shown["state"] == "exam_partial"
    void = [h for h in shown["history"] if h["event"] == "void_exam_passes"]
    assert len(void) == 1 and void[0]["actor"] == "system"
    assert json.loads(void[0]["data"]["recorded"]["voided"]) == {"management": 2024}
    # The status sheet says which pass expired.
    sheet = run("export", case, "--format", "md", "-o", "-", "--lang", "zh",
                today=date(2025, 6, 9)).out
    assert "作废的合格成绩：建设工程施工管理（2024 年度）" in sheet


def test_r2a_without_the_next_sittings_notice_the_sitting_is_named_with_no_day(run):
    case = partial(run, "management", 2026, date(2026, 9, 1))
    reminders = run("remind", "--format", "json").json()
    window = [r for r in reminders if r["kind"] == "exam_window"]
    assert window and window[0]["due_on"] is None and window[0]["sitting_year"] == 2027
    assert window[0]["days_left"] is None
    text = run("remind", lang="zh").out
    assert "2027 年度考试" in text and "日期待公布" in text
    assert "共 1 项" in text  # counted, though it has no day
    sheet = run("export", case, "--format", "md", "-o", "-", "--lang", "zh").out
    assert "2027 年度考试" in sheet


def test_r2a_no_31_december_stand_in_anywhere(run, tmp_path):
    case = partial(run, "management", 2026, date(2026, 9, 1))
    outputs = [
        run("remind", "--format", "json").out,
        run("remind").out,
        run("show", case).out,
        run("show", case, "--format", "json").out,
        run("list", "--due-within", "400").out,
        run("export", case, "--format", "html", "-o", "-").out,
        run("export", case, "--format", "json", "-o", "-").out,
    ]
    assert run("remind", "--format", "ics", "-o", str(tmp_path / "r.ics")).code == 0
    outputs.append((tmp_path / "r.ics").read_text(encoding="utf-8"))
    for text in outputs:
        assert not re.search(r"\b20\d\d-12-31\b|20\d\d1231", text), text[:400]


def test_r2a_an_exempt_subject_is_never_required(run, sittings):
    case = partial(run, "practice", 2026, date(2026, 9, 1))
    # Exempt from management: passing regulations completes the exam.
    result = run("event", case, "record_subject_pass", "--set", "subjects=regulations",
                 "--set", "exam_year=2026", "--set", "exempt=management",
                 today=date(2026, 9, 2))
    assert result.code == 0, result.err
    shown = run("show", case, "--format", "json", today=date(2026, 9, 2)).json()
    assert shown["state"] == "exam_passed" and shown["exempt"] == ["management"]
    sheet = run("export", case, "--format", "json", "-o", "-", today=date(2026, 9, 2)).json()
    assert "management" not in (sheet["exam"] or {}).get("missing", [])


def test_r2a_a_failed_or_absent_sitting_is_recorded_and_shown(run, sittings):
    case = partial(run, "practice", 2026, date(2026, 9, 1))
    result = run("event", case, "record_subject_fail", "--set", "failed_subjects=management",
                 "--set", "exam_year=2026", "--set", "absent=true", today=date(2026, 9, 2))
    assert result.code == 0, result.err
    sheet = run("export", case, "--format", "md", "-o", "-", "--lang", "zh",
                today=date(2026, 9, 2)).out
    assert "2026 年度考试缺考：建设工程施工管理" in sheet


# --------------------------------------------------------------------------- R3a–c


def test_r3a_miss_review_is_refused_without_a_recorded_deadline(run, db_path):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001").code == 0
    assert run("event", "E001", "open_review").code == 0
    before = digest(db_path)
    refused = run("event", "E001", "miss_review", lang="zh")
    assert refused.code == 2 and "截止" in refused.err and "Traceback" not in refused.err
    assert digest(db_path) == before


def test_r3a_miss_review_only_after_the_deadline(run):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001").code == 0
    assert run("event", "E001", "open_review", "--set", "review_deadline=2026-12-01").code == 0
    assert run("event", "E001", "miss_review").code == 2  # 2026-11-25: still open
    later = run("event", "E001", "miss_review", today=date(2026, 12, 2))
    assert later.code == 0, later.err


def test_r3b_supplement_round_trip(run):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001").code == 0
    assert run("event", "E001", "open_review", "--set", "review_deadline=2026-12-01").code == 0
    for item in ("education_report", "work_years_proof"):
        assert run("material", "E001", item).code == 0
    assert run("event", "E001", "submit_review").code == 0
    # No new deadline: refused, with the reason.
    assert run("event", "E001", "request_supplement").code == 2
    asked = run("event", "E001", "request_supplement", "--set", "review_deadline=2026-12-10",
                "--note", "补充社保缴费记录")
    assert asked.code == 0, asked.err
    shown = run("show", "E001", "--format", "json").json()
    assert shown["state"] == "review_pending" and shown["review_deadline"] == "2026-12-10"
    assert shown["history"][-1]["note"] == "补充社保缴费记录"
    assert run("event", "E001", "submit_review").code == 0
    assert run("event", "E001", "pass_review").code == 0


@pytest.mark.parametrize("ending", ["fail_review", "miss_review"])
def test_r3c_restart_after_a_failed_or_missed_review(run, ending):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001",
               "--exam-year", "2025").code == 0
    assert run("event", "E001", "open_review", "--set", "review_deadline=2026-11-01").code == 0
    if ending == "fail_review":
        for item in ("education_report", "work_years_proof"):
            assert run("material", "E001", item).code == 0
        assert run("event", "E001", "submit_review").code == 0
    assert run("event", "E001", ending).code == 0
    restarted = run("event", "E001", "restart_exam", "--set", "exam_year=2027")
    assert restarted.code == 0, restarted.err
    shown = run("show", "E001", "--format", "json").json()
    assert shown["state"] == "exam_partial" and shown["subjects"] == {}
    assert shown["review_deadline"] is None
    for lang, words in (("zh", "此前一次报考（2025 年度）"), ("en", "An earlier attempt (2025")):
        sheet = run("export", "E001", "--format", "md", "-o", "-", "--lang", lang).out
        assert words in sheet


# --------------------------------------------------------------------------- R5a, R6a, R1a


def certificate_available(run, published: date) -> None:
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001",
               "--state", "review_passed", today=published).code == 0
    assert run("event", "E001", "publish_certificate", today=published).code == 0


def test_r5a_a_stale_certificate_is_flagged_on_day_n_not_before(run):
    published = date(2026, 10, 1)
    certificate_available(run, published)
    day_n = date(2026, 10, 31)  # 30 days after publication (certificate_stale_days)

    def flagged(today):
        return [r for r in run("remind", "--format", "json", today=today).json()
                if r["kind"] == "certificate_not_collected"]

    assert flagged(date(2026, 10, 30)) == []
    found = flagged(day_n)
    assert len(found) == 1 and found[0]["due_on"] == day_n.isoformat()
    assert found[0]["overdue"] is False  # a flag, never "overdue"
    assert "上海市职业能力考试院" in found[0]["detail"] or "review" in found[0]["detail"]
    swept = run("sweep", "--format", "json", today=day_n).json()
    assert swept["flagged"] and swept["flagged"][0]["kind"] == "certificate_not_collected"


def test_r6a_mail_channel_with_postage(run):
    certificate_available(run, date(2026, 10, 1))
    received = run("event", "E001", "receive_by_mail", "--set", "postage=22",
                   "--set", "certificate_no=沪2026000123", "--set", "certificate_date=2026-10-20")
    assert received.code == 0, received.err
    shown = run("show", "E001", "--format", "json").json()
    assert shown["state"] == "certified" and shown["channel"] == "mail"
    assert shown["postage"] == 22
    assert "邮寄" in run("show", "E001", lang="zh").out


def test_r6a_paper_copy_after_the_e_certificate_is_a_side_record(run):
    certificate_available(run, date(2026, 10, 1))
    assert run("event", "E001", "download_ecert", "--set", "certificate_no=沪2026000123",
               "--set", "certificate_date=2026-10-20").code == 0
    assert run("event", "E001", "collect_paper_copy").code == 2  # the ID card, first
    assert run("material", "E001", "id_card_original").code == 0
    copy = run("event", "E001", "collect_paper_copy")
    assert copy.code == 0, copy.err
    shown = run("show", "E001", "--format", "json").json()
    assert shown["state"] == "certified" and shown["channel"] == "electronic"
    assert shown["paper_collected_on"] == "2026-11-25"


def test_r1a_revocation_is_final(run):
    certificate_available(run, date(2026, 10, 1))
    assert run("event", "E001", "download_ecert", "--set", "certificate_no=沪2026000123",
               "--set", "certificate_date=2026-10-20").code == 0
    assert run("event", "E001", "revoke_certificate").code == 2  # a note is required
    revoked = run("event", "E001", "revoke_certificate", "--note", "违规被撤销（文号 X）")
    assert revoked.code == 0, revoked.err
    shown = run("show", "E001", "--format", "json").json()
    assert shown["state"] == "certificate_revoked" and shown["allowed_events"] == ["add_note"]
    assert run("event", "E001", "apply_registration").code == 2


# --------------------------------------------------------------------------- R14a, R10a


@pytest.mark.parametrize("phone", ["12345", "23800138000", "1380013800", "021-1234"])
def test_r14a_a_phone_that_is_no_phone_is_refused(run, db_path, phone):
    assert run("add", "--name", "李娜", "--id-number", ID_LI).code == 0
    before = digest(db_path)
    for lang in ("zh", "en"):
        result = run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--phone", phone,
                     lang=lang)
        assert result.code == 2 and "Traceback" not in result.err
        assert ("电话" in result.err) if lang == "zh" else ("phone" in result.err.lower())
    assert digest(db_path) == before


@pytest.mark.parametrize("phone", ["13800138000", "+86 138-0013-8000", "021-64123456",
                                   "(021)64123456"])
def test_r14a_mobiles_and_landlines_with_area_code_are_accepted(run, phone):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--phone", phone).code == 0


def test_r14a_unconfirmed_contact_data_is_flagged_after_12_months(run):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001",
               "--phone", "13800138000", "--address", "上海市闵行区莘庄镇1号",
               "--contact-confirmed-on", "2025-11-26").code == 0

    def flags(today):
        return [r for r in run("remind", "--format", "json", today=today).json()
                if r["kind"] == "contact_unconfirmed"]

    assert flags(date(2026, 11, 25)) == []
    assert [f["due_on"] for f in flags(date(2026, 11, 26))] == ["2026-11-26"]
    assert run("event", "E001", "update_contact", "--set", "contact_confirmed_on=2026-11-26",
               today=date(2026, 11, 26)).code == 0
    assert flags(date(2026, 11, 27)) == []


def test_r10a_add_with_an_id_number_on_record_under_another_name_is_refused(run, db_path):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001").code == 0
    before = digest(db_path)
    for lang, word in (("zh", "张伟"), ("en", "张伟")):
        result = run("add", "--name", "张卫", "--id-number", ID_ZHANG, "--employee-no", "E009",
                     "--specialty", "municipal", lang=lang)
        assert result.code == 2 and word in result.err and "Traceback" not in result.err
    assert digest(db_path) == before
    assert [c["employee_no"] for c in run("list", "--format", "json").json()] == ["E001"]


def test_r10a_a_name_change_keeps_the_old_name_in_the_history(run):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001").code == 0
    assert run("event", "E001", "change_personal_data", "--set", "name=张薇").code == 2
    assert run("material", "E001", "police_certificate").code == 0
    assert run("event", "E001", "change_personal_data", "--set", "name=张薇").code == 0
    shown = run("show", "E001", "--format", "json").json()
    assert shown["name"] == "张薇"
    assert shown["history"][-1]["data"]["before"]["name"] == "张伟"


# --------------------------------------------------------------------------- R17

#: What the officer reads and the person must not: tracker instructions, rule ids, event keys.
OFFICER_WORDS = re.compile(
    r"\bR\d{1,2}[a-d]?\b|tracker |记录“|在本系统|登记“|Record “|record “|--set|"
    r"\b(?:open_review|submit_review|download_ecert|book_paper_appointment|apply_registration|"
    r"record_subject_pass|publish_certificate|restart_exam)\b")


@pytest.mark.parametrize("state", ["exam_partial", "review_pending", "review_failed",
                                   "certificate_available", "certified", "registered",
                                   "renewal_due"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_r17_the_status_sheet_speaks_to_the_person(run, state, lang):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001",
               "--state", state, "--exam-year", "2026").code == 0
    for fmt in ("md", "html", "json"):
        sheet = run("export", "E001", "--format", fmt, "-o", "-", "--lang", lang)
        assert sheet.code == 0, sheet.err
        found = OFFICER_WORDS.findall(sheet.out)
        assert not found, (fmt, found)


def test_r17_the_officer_sees_what_to_record(run):
    certificate_available(run, date(2026, 10, 1))
    shown = run("show", "E001", lang="zh").out
    assert "下一步需要登记" in shown and "下载后记录" in shown and "(R5)" in shown
    sheet = run("export", "E001", "--format", "md", "-o", "-", "--lang", "zh").out
    assert "下载后记录" not in sheet


def test_r17_the_admission_ticket_is_not_needed_on_the_e_certificate_route(run):
    certificate_available(run, date(2026, 10, 1))
    sheet = run("export", "E001", "--format", "json", "-o", "-").json()
    needed = {m["item"] for m in sheet["materials"] if m["needed_now"]}
    assert "admission_ticket" not in needed and "id_card_original" not in needed
    assert run("event", "E001", "book_paper_appointment",
               "--set", "appointment=2026-12-01T09:30").code == 0
    sheet = run("export", "E001", "--format", "json", "-o", "-").json()
    assert {m["item"] for m in sheet["materials"] if m["needed_now"]} == {"id_card_original"}
