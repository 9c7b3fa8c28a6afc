"""R15, the working-day calendar: provisional counts, recorded arrangements, recounts.

R15: "N 工作日" counts by the State Council's arrangement for that year (holidays and
adjusted working weekends); the officer records a year a library does not know yet; a
count into a year nothing knows is provisional (Monday to Friday), marked so in every
output, and recomputed when the year is recorded — the officer is told what moved.

Today is 2026-12-02; the installed chinese-calendar knows 2026 at most. Every 2027
arrangement here is FICTITIOUS (invented for these tests and marked 虚构): no real
arrangement is used, and none ships with the tracker.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from tracker.domain import workdays
from tracker.domain.arrangements import ArrangementError, from_holiday_cn, from_toml
from tracker.domain.workdays import Arrangement, WorkCalendar, missing_arrangements

from .conftest import make_id

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True

TODAY = date(2026, 12, 2)
#: The issue's notice: paper collection opens Friday 2026-12-18, closes 10 working days on.
NOTICE = ("notice", "add", "--kind", "paper", "--exam-year", "2026", "--opens", "2026-12-18",
          "--working-days", "10", "--title", "2026年度纸质证书领取通知")
#: Monday to Friday: 12-21…12-25, 12-28…12-31, then Friday 2027-01-01 (R15, provisional).
PROVISIONAL_DUE = "2027-01-01"
#: On the fictitious 2027 below (01-01, 01-04 and 01-05 off): Wednesday 2027-01-06.
RECORDED_DUE = "2027-01-06"

#: FICTITIOUS (虚构): three days off around New Year, Saturday 01-09 worked.
HOLIDAYS = ["2027-01-01", "2027-01-04", "2027-01-05"]
WORKDAYS = ["2027-01-09"]
TOML_2027 = f"""# 虚构的 2027 年节假日安排：仅供测试，不是国务院公布的安排
[2027]
holidays = {json.dumps(HOLIDAYS)}
workdays = {json.dumps(WORKDAYS)}
source = "虚构安排（测试用）"
"""


def holiday_cn(year: int = 2027, holidays=HOLIDAYS, workdays_=WORKDAYS) -> str:
    """The fictitious arrangement in the holiday-cn project's JSON shape."""
    days = ([{"name": "虚构假日", "date": d, "isOffDay": True} for d in holidays]
            + [{"name": "虚构调休", "date": d, "isOffDay": False} for d in workdays_])
    return json.dumps({"year": year, "papers": ["https://example.invalid/fictitious"],
                       "days": days}, ensure_ascii=False)


@pytest.fixture
def cli(run):
    """`run` with today pinned to 2026-12-02 unless told otherwise."""
    def _cli(*args, today=TODAY, **kwargs):
        return run(*args, today=today, **kwargs)
    return _cli


@pytest.fixture
def cohort(cli):
    """Three cases of exam year 2026 whose certificate is available (the paper cohort)."""
    for index in range(3):
        number = make_id(f"31011219900{index + 1}0{index + 1}1{index}3")
        result = cli("add", "--name", f"员工{index}", "--id-number", number, "--employee-no",
                     f"E{index + 1}", "--exam-year", "2026", "--state",
                     "certificate_available")
        assert result.code == 0, result.err


@pytest.fixture
def provisional(cli, cohort):
    """The issue's notice, recorded: its deadline is a provisional count."""
    result = cli(*NOTICE)
    assert result.code == 0, result.err
    return result


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def show(cli, ref="E1", **kwargs) -> dict:
    result = cli("show", ref, "--format", "json", **kwargs)
    assert result.code == 0, result.err
    return result.json()


def digest(db_path: Path) -> str:
    """The database's bytes (and its WAL's, if any) and its logical dump."""
    hashed = hashlib.sha256()
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        if path.exists():
            hashed.update(path.read_bytes())
    with sqlite3.connect(db_path) as conn:
        hashed.update("\n".join(conn.iterdump()).encode())
    conn.close()
    return hashed.hexdigest()


def last_column(table: str) -> str:
    """The text of a rich table's last column, its folded pieces joined (80 columns)."""
    return "".join(line.split("│")[-2].strip() for line in table.splitlines()
                   if line.startswith("│"))


# --------------------------------------------------------------------------- provisional


def test_a_count_into_an_unknown_year_is_accepted_and_marked_provisional(cli, provisional):
    """R15: the issue's notice is recorded, not refused; its deadline is Monday to Friday."""
    assert "deadline (provisional)" in provisional.out and PROVISIONAL_DUE in provisional.out
    assert "holiday arrangement of 2027 is not recorded yet" in provisional.out
    assert "tracker calendar import" in provisional.out
    [notice] = cli("notice", "list", "--format", "json").json()
    assert (notice["deadline"], notice["provisional"], notice["deadline_calendar"]) == (
        PROVISIONAL_DUE, True, "provisional")
    case = show(cli)
    [deadline] = case["deadlines"]
    assert (deadline["kind"], deadline["due_on"], deadline["provisional"]) == (
        "paper_window", PROVISIONAL_DUE, True)
    assert case["next_deadline_provisional"] is True


def test_the_provisional_mark_is_in_every_output(cli, provisional, tmp_path):
    """R15: notice list, show, list, remind (JSON, text, ICS), status sheet, register."""
    notices = cli("notice", "list").out.splitlines()
    assert any("│" in line and "*" in line for line in notices)  # the starred deadline
    assert any(line.startswith("* provisional date") for line in notices)
    text = cli("show", "E1", lang="zh").out
    assert "[暂定]" in text and "tracker calendar import" in text
    listed = cli("list", "--due-within", "60", "--format", "json").json()
    assert {o["next_deadline_provisional"] for o in listed} == {True}
    assert "provisional" in last_column(cli("list", "--due-within", "60").out)
    reminders = cli("remind", "--format", "json").json()
    assert [r["provisional"] for r in reminders] == [True, True, True]
    table = cli("remind", today=date(2026, 12, 3)).out
    assert "2027-01-01 *" in table and "* provisional date" in table
    ics = Calendar.from_ical(cli("remind", "--format", "ics").out.encode())
    event = next(iter(ics.walk("VEVENT")))
    assert "(provisional)" in str(event["summary"])
    assert "provisional date" in str(event["description"])
    sheet = cli("export", "E1", "--format", "md", "-o", "-", lang="zh").out
    assert "暂定日期" in sheet and "tracker calendar" not in sheet  # R17: for the employee
    html = cli("export", "E1", "--format", "html", "-o", "-").out
    assert 'class="provisional"' in html
    register = cli("export-all", "--format", "json", "-o", "-").json()
    assert register[0]["next_deadline"] == "Paper collection closes (provisional)"


def test_a_deadline_given_as_a_date_is_never_provisional_and_never_moves(cli, cohort, tmp_path):
    """R15 concerns counts of working days: a date is a date, whatever the year."""
    fixed = cli("notice", "add", "--kind", "paper", "--exam-year", "2026", "--opens",
                "2026-12-18", "--deadline", PROVISIONAL_DUE, "--format", "json")
    assert fixed.code == 0 and fixed.json()["provisional"] is False
    assert show(cli)["deadlines"][0]["provisional"] is False
    result = cli("calendar", "import", str(write(tmp_path, "2027.toml", TOML_2027)))
    assert result.code == 0, result.err
    assert "no deadline moves" in result.out
    [notice] = cli("notice", "list", "--format", "json").json()
    assert (notice["deadline"], notice["deadline_calendar"]) == (PROVISIONAL_DUE, None)
    assert show(cli)["deadlines"][0]["due_on"] == PROVISIONAL_DUE


# --------------------------------------------------------------------------- recording


@pytest.mark.parametrize("name, text", [("2027.toml", TOML_2027), ("2027.json", holiday_cn())],
                         ids=["toml", "holiday-cn-json"])
def test_recording_the_year_moves_the_provisional_deadline_and_reports_it(cli, provisional,
                                                                          tmp_path, name, text):
    """R15: recorded in either format, the count is redone in the same transaction and the
    officer is told which deadline moved, for which cases, from which day to which."""
    result = cli("calendar", "import", str(write(tmp_path, name, text)))
    assert result.code == 0, result.err
    assert "the 2027 holiday arrangement is recorded (version #1" in result.out
    assert f"{PROVISIONAL_DUE} → {RECORDED_DUE}, 3 cases #1, #2, #3" in result.out
    [notice] = cli("notice", "list", "--format", "json").json()
    assert (notice["deadline"], notice["provisional"], notice["deadline_calendar"]) == (
        RECORDED_DUE, False, "recorded")
    case = show(cli)
    [deadline] = case["deadlines"]
    assert (deadline["due_on"], deadline["provisional"]) == (RECORDED_DUE, False)
    update = case["history"][-1]
    assert (update["event"], update["data"]["notice_id"], update["data"]["calendar_version"],
            update["data"]["before"], update["data"]["set"]) == (
        "update", 1, 1, {"paper_closes": PROVISIONAL_DUE}, {"paper_closes": RECORDED_DUE})
    assert all(not r["provisional"] for r in cli("remind", "--format", "json").json())


def test_the_json_of_an_import_lists_the_moves(cli, provisional, tmp_path):
    path = write(tmp_path, "2027.json", holiday_cn())
    dry = cli("calendar", "import", str(path), "--dry-run", "--format", "json").json()
    assert dry["dry_run"] and dry["version"] is None and dry["moved"] == [1]
    assert show(cli)["deadlines"][0]["due_on"] == PROVISIONAL_DUE  # the dry run wrote nothing
    body = cli("calendar", "import", str(path), "--format", "json").json()
    assert (body["year"], body["version"], body["calendar_before"], body["calendar_after"],
            body["holidays"], body["workdays"]) == (2027, 1, "provisional", "recorded", 3, 1)
    [change] = body["changes"]
    assert (change["notice"], change["old"], change["new"], change["cases"],
            change["calendar_before"], change["calendar_after"]) == (
        1, PROVISIONAL_DUE, RECORDED_DUE, [1, 2, 3], "provisional", "recorded")
    assert body["library_differs"] is None  # chinese-calendar does not know 2027


def test_a_case_deadline_changed_by_hand_is_left_alone(cli, tmp_path):
    """Only the cases that still hold the notice's date move (the link names the notice)."""
    for index in (1, 2):
        number = make_id(f"3101121991020{index}1{index}3")
        assert cli("add", "--name", f"复核{index}", "--id-number", number, "--employee-no",
                   f"R{index}", "--exam-year", "2026").code == 0
    assert cli("notice", "add", "--kind", "review", "--exam-year", "2026", "--opens",
               "2026-12-18", "--working-days", "10").code == 0
    assert cli("undo", "R2").code == 0  # R2's deadline is then given by hand
    assert cli("event", "R2", "open_review", "--set", "review_deadline=2027-01-15").code == 0
    result = cli("calendar", "import", str(write(tmp_path, "2027.toml", TOML_2027)))
    assert f"{PROVISIONAL_DUE} → {RECORDED_DUE}, 1 cases #1" in result.out
    assert show(cli, "R2")["deadlines"][0]["due_on"] == "2027-01-15"
    assert show(cli, "R1")["deadlines"][0]["due_on"] == RECORDED_DUE


def test_importing_the_same_arrangement_again_changes_nothing(cli, provisional, tmp_path,
                                                              db_path):
    path = write(tmp_path, "2027.toml", TOML_2027)
    assert cli("calendar", "import", str(path)).code == 0
    before = digest(db_path)
    again = cli("calendar", "import", str(path))
    assert again.code == 0 and "already recorded" in again.out
    assert digest(db_path) == before


MALFORMED = [
    ("outside.toml", TOML_2027.replace('"2027-01-05"', '"2028-01-05"'),
     "2028-01-05 is not in 2027"),
    ("both.toml", TOML_2027.replace('workdays = ["2027-01-09"]',
                                    'workdays = ["2027-01-09", "2027-01-04"]'),
     "2027-01-04 is both a day off and a working day"),
    ("weekday.json", holiday_cn(workdays_=["2027-01-09", "2027-01-11"]),
     "2027-01-11 is a Monday: only a Saturday or a Sunday"),
    ("placeholder.json", json.dumps({"year": 2027, "papers": [], "days": []}),
     "no day off in 2027"),
    ("typo.toml", TOML_2027.replace("workdays =", "workday ="), "unknown key: workday"),
    ("two-years.toml", TOML_2027 + '[2028]\nholidays = ["2028-01-01"]\n',
     "exactly one year table expected"),
    ("broken.toml", TOML_2027.replace("]\nworkdays", "\nworkdays"), "not valid TOML"),
    ("broken.json", holiday_cn()[:-3], "not valid JSON"),
    ("shape.json", json.dumps({"year": 2027, "days": [{"date": "2027-01-01"}]}),
     "days item 1 needs \"date\" and \"isOffDay\""),
    ("date.toml", TOML_2027.replace('"2027-01-04"', '"2027-02-30"'),
     "“2027-02-30” is not a date"),
]


@pytest.mark.parametrize("name, text, reason", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_file_is_refused_whole_and_nothing_changes(cli, provisional, tmp_path,
                                                               db_path, name, text, reason):
    """R15: a wrong arrangement would mean wrong deadlines: the file is refused whole,
    with its reason, and the database stays byte for byte as it was."""
    before = digest(db_path)
    result = cli("calendar", "import", str(write(tmp_path, name, text)))
    assert result.code == 2
    assert "was refused, nothing was recorded" in result.err and reason in result.err
    assert digest(db_path) == before
    assert cli("calendar", "show", "2027", "--format", "json").json()["source"] == "provisional"


def test_every_problem_of_a_file_is_listed(tmp_path):
    with pytest.raises(ArrangementError) as caught:
        from_toml({"2027": {"holidays": ["2026-12-31", "2027-01-01", "x"],
                            "workdays": ["2027-01-01", "2027-01-04"], "note": "?"}}, "f")
    reasons = [r.en for r in caught.value.reasons]
    # unknown key, bad date, another year, both off and working, two weekdays as workdays
    assert len(reasons) == 6, reasons
    assert any("不在 2027 年内" in r.zh for r in caught.value.reasons)


def test_a_missing_file_is_refused(cli, provisional, tmp_path):
    result = cli("calendar", "import", str(tmp_path / "nowhere.json"))
    assert result.code == 2 and "cannot read" in result.err


# --------------------------------------------------------------------------- undo


def test_undoing_the_import_restores_the_provisional_deadlines(cli, provisional, tmp_path):
    """R15: the record is undone as a new version (nothing is deleted), and the deadlines
    counted on it become provisional again, in the same transaction."""
    assert cli("calendar", "import", str(write(tmp_path, "2027.toml", TOML_2027))).code == 0
    undone = cli("calendar", "undo", "2027")
    assert undone.code == 0, undone.err
    assert "the 2027 record #1 is undone (new version #2)" in undone.out
    assert f"{RECORDED_DUE} → {PROVISIONAL_DUE} (provisional), 3 cases" in undone.out
    [deadline] = show(cli)["deadlines"]
    assert (deadline["due_on"], deadline["provisional"]) == (PROVISIONAL_DUE, True)
    [notice] = cli("notice", "list", "--format", "json").json()
    assert notice["deadline_calendar"] == "provisional"
    year = cli("calendar", "show", "2027", "--format", "json").json()
    assert year["source"] == "provisional"
    assert [(v["version"], v["action"], v["undoes"]) for v in year["versions"]] == [
        (1, "import", None), (2, "undo", 1)]
    again = cli("calendar", "undo", "2027")
    assert again.code == 2 and "nothing recorded for 2027 to undo" in again.err


def test_undo_brings_back_the_arrangement_recorded_before(cli, provisional, tmp_path):
    assert cli("calendar", "import", str(write(tmp_path, "a.toml", TOML_2027))).code == 0
    other = holiday_cn(holidays=["2027-01-01", "2027-01-04"], workdays_=[])  # also 虚构
    moved = cli("calendar", "import", str(write(tmp_path, "b.json", other)))
    assert f"{RECORDED_DUE} → 2027-01-05" in moved.out
    undone = cli("calendar", "undo", "2027", "--format", "json").json()
    assert (undone["undoes"], undone["calendar_after"]) == (2, "recorded")
    assert show(cli)["deadlines"][0]["due_on"] == RECORDED_DUE
    assert cli("calendar", "show", "2027", "--format", "json").json()["recorded"]["file"] == (
        "a.toml")


def test_the_versions_cannot_be_rewritten(cli, provisional, tmp_path, db_path):
    assert cli("calendar", "import", str(write(tmp_path, "2027.toml", TOML_2027))).code == 0
    with sqlite3.connect(db_path) as conn:
        for statement in ("UPDATE calendar SET source = 'x'", "DELETE FROM calendar"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    conn.close()


# --------------------------------------------------------------------------- show


def test_calendar_show_lists_the_days_and_their_source(cli, tmp_path):
    """R15: where each year comes from: the library, a record, or nothing (provisional)."""
    library = cli("calendar", "show", "2026", "--format", "json", lang="zh").json()
    assert (library["source"], library["recorded"]) == ("library", None)
    national = [d for d in library["holidays"] if d["date"] == "2026-10-01"]
    assert national == [{"date": "2026-10-01", "weekday": "星期四", "name": "国庆节"}]
    assert {"date": "2026-02-28", "weekday": "星期六", "name": "春节"} in library["workdays"]
    unknown = cli("calendar", "show", "2027", "--format", "json").json()
    assert (unknown["source"], unknown["holidays"], unknown["versions"]) == (
        "provisional", [], [])
    assert "nothing knows the 2027 arrangement" in cli("calendar", "show", "2027").out
    cli("calendar", "import", str(write(tmp_path, "2027.json", holiday_cn())))
    recorded = cli("calendar", "show", "2027", "--format", "json").json()
    assert recorded["source"] == "recorded"
    assert [d["date"] for d in recorded["holidays"]] == HOLIDAYS
    assert recorded["workdays"] == [{"date": "2027-01-09", "weekday": "Sat",
                                     "name": "虚构调休"}]
    assert recorded["arrangement_source"] == "https://example.invalid/fictitious"
    assert (recorded["recorded"]["version"], recorded["recorded"]["file"]) == (1, "2027.json")
    text = cli("calendar", "show", "2027").out
    assert "Working days of 2027: recorded" in text and "2027-01-09" in text


def test_a_recorded_year_the_library_knows_takes_precedence(cli, tmp_path):
    """R15: the record replaces chinese-calendar for its year, and says where they differ."""
    fictitious_2026 = holiday_cn(2026, holidays=["2026-10-01", "2026-12-21"], workdays_=[])
    result = cli("calendar", "import", str(write(tmp_path, "2026.json", fictitious_2026)))
    assert result.code == 0 and "differs from chinese-calendar on" in result.out
    assert cli("calendar", "show", "2026", "--format", "json").json()["source"] == "recorded"


# --------------------------------------------------------------------------- early warning


def test_the_warning_comes_in_october_not_in_september_and_once_a_day(cli, cohort, tmp_path):
    """R15: from the rule's month (October) on, remind and sweep say that next year's
    arrangement is not known yet, each at most once a day."""
    said = "holiday arrangement of 2027 is not recorded yet"
    assert said not in cli("remind", today=date(2026, 9, 30)).out
    assert said in cli("remind", today=date(2026, 10, 1)).out
    assert said not in cli("remind", today=date(2026, 10, 1)).out  # once a day
    json_day = cli("remind", "--format", "json", today=date(2026, 10, 2))
    assert said in json_day.err and json_day.json() == []  # stdout stays JSON
    assert said in cli("sweep", today=date(2026, 10, 2)).out  # each face once a day
    assert said not in cli("sweep", today=date(2026, 10, 2)).out
    assert cli("sweep", "--format", "json", today=date(2026, 10, 3)).json()[
        "calendar_warning"] == {"missing_years": [2027], "recount": 0}
    assert said in cli("sweep", "--dry-run", today=date(2026, 10, 4)).out
    assert said in cli("sweep", "--dry-run", today=date(2026, 10, 4)).out  # a dry run records nothing
    cli("calendar", "import", str(write(tmp_path, "2027.toml", TOML_2027)))
    assert said not in cli("remind", today=date(2026, 10, 5)).out


def test_the_warning_month_is_a_rule(cli, cohort, db_path):
    (db_path.parent / "rules.toml").write_text("calendar_warning_month = 11\n",
                                               encoding="utf-8")
    said = "holiday arrangement of 2027 is not recorded yet"
    assert said not in cli("remind", today=date(2026, 10, 20)).out
    assert said in cli("remind", today=date(2026, 11, 1)).out
    (db_path.parent / "rules.toml").write_text("calendar_warning_month = 13\n",
                                               encoding="utf-8")
    refused = cli("remind")
    assert refused.code == 2 and "must be a month, 1–12" in refused.err


def test_this_years_arrangement_missing_is_said_in_any_month():
    calendar = WorkCalendar()
    unknown = workdays.library_years().stop
    assert missing_arrangements(date(unknown, 3, 1), calendar, 10) == [unknown]
    assert missing_arrangements(date(unknown - 1, 3, 1), calendar, 10) == []
    assert missing_arrangements(date(unknown - 1, 10, 1), calendar, 10) == [unknown]


def test_a_library_upgrade_is_recounted_on_request(cli, provisional, monkeypatch):
    """R15: chinese-calendar upgraded (here: pretended) now knows 2027: the warning says a
    recount is due, and `calendar recount` moves the deadline off provisional."""
    real = workdays.chinese_calendar.is_workday
    known = frozenset(range(2004, 2028))
    monkeypatch.setattr(workdays, "_library_years", lambda: known)
    monkeypatch.setattr(workdays.chinese_calendar, "is_workday", lambda day: (
        day.weekday() < 5 and day != date(2027, 1, 1)) if day.year == 2027 else real(day))
    warned = cli("remind", today=date(2026, 12, 3))
    assert "1 notices count differently" in warned.out and "calendar recount" in warned.out
    result = cli("calendar", "recount")
    assert result.code == 0 and f"{PROVISIONAL_DUE} → 2027-01-04, 3 cases" in result.out
    [notice] = cli("notice", "list", "--format", "json").json()
    assert (notice["deadline"], notice["deadline_calendar"]) == ("2027-01-04", "library")


# --------------------------------------------------------------------------- the domain


def test_a_recorded_arrangement_counts_its_holidays_and_listed_weekends_only():
    """R15: a weekend is a working day only when the arrangement lists it."""
    arrangement = from_toml({"2027": {"holidays": HOLIDAYS, "workdays": WORKDAYS}}, "t")
    calendar = WorkCalendar([arrangement])
    assert calendar.source(2027) == workdays.RECORDED
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 1, 9))  # Saturday, listed
    assert not calendar.is_working_day(date(2027, 1, 16))  # Saturday, not listed
    count = calendar.count(date(2026, 12, 18), 10)
    assert (count.due.isoformat(), count.provisional, count.basis) == (
        RECORDED_DUE, False, workdays.RECORDED)
    assert calendar.count(date(2026, 12, 18), 0).due == date(2026, 12, 18)


def test_the_holiday_cn_shape_is_read_with_its_names_and_papers():
    arrangement = from_holiday_cn(json.loads(holiday_cn()), "2027.json")
    assert isinstance(arrangement, Arrangement)
    assert sorted(d.isoformat() for d in arrangement.holidays) == HOLIDAYS
    assert arrangement.name(date(2027, 1, 9)).zh == "虚构调休"
    assert arrangement.source == "https://example.invalid/fictitious"
    assert from_holiday_cn({**json.loads(holiday_cn()), "papers": []}, "f.json").source == (
        "f.json")


# --------------------------------------------------------------------------- migration


def test_the_migration_links_the_deadlines_notices_gave_before(tmp_path):
    """Databases of schema 3: each case deadline a notice set (its history names the
    notice) is linked to it, and counted notices are marked as counted on the library."""
    from tracker.store import Database, schema

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    schema.migrate(conn, 0, 3)
    at = "2026-01-05T09:00:00"
    conn.execute("INSERT INTO persons (id, id_number, name, created_at, updated_at)"
                 " VALUES (1, ?, '张伟', ?, ?)", [make_id("31011219880512123"), at, at])
    conn.execute("INSERT INTO cases (id, person_id, state, exam_year, review_deadline,"
                 " created_at, updated_at) VALUES (1, 1, 'review_pending', 2025,"
                 " '2025-10-11', ?, ?)", [at, at])
    conn.execute("INSERT INTO notices (id, kind, exam_year, opens_on, deadline, working_days,"
                 " recorded_at, actor) VALUES (1, 'review', 2025, '2025-09-26', '2025-10-11',"
                 " 6, ?, 'hr')", [at])
    conn.execute("INSERT INTO history (case_id, at, actor, event, from_state, to_state, data)"
                 " VALUES (1, ?, 'hr', 'open_review', 'exam_passed', 'review_pending', ?)",
                 [at, json.dumps({"notice_id": 1, "set": {"review_deadline": "2025-10-11"}})])
    conn.execute("INSERT INTO history (case_id, at, actor, event, from_state, to_state, data)"
                 " VALUES (1, ?, 'hr', 'add_note', 'review_pending', 'review_pending',"
                 " 'not json')", [at])
    conn.execute("COMMIT")
    conn.close()
    database = Database(path)
    assert database.conn.execute("SELECT case_id, field, notice_id FROM notice_deadlines"
                                 ).fetchall() == [(1, "review_deadline", 1)]
    assert database.conn.execute("SELECT deadline_calendar FROM notices").fetchone() == (
        "library",)
    database.close()


# --------------------------------------------------------------------------- the dashboard


def test_the_dashboard_says_it_once_a_day_and_stars_provisional_dates(cli, provisional,
                                                                       db_path):
    """R15 in the dashboard: the warning as a notification (once a day), and the star on
    a provisional date with its legend in the panel's title."""
    from tracker import i18n
    from tracker.services.context import Context
    from tracker.store import Database
    from tracker.tui.app import TrackerApp

    def opened() -> tuple[list[str], list[str], str]:
        i18n.set_lang("en")
        app = TrackerApp(Context(db=Database(db_path), today=TODAY, actor="hr"), poll=False)
        said: list[str] = []
        notify = app.notify
        app.notify = lambda message, **kw: (said.append(message), notify(message, **kw))
        cells: list[str] = []
        title: list[str] = []

        async def main():
            async with app.run_test(size=(140, 45)) as pilot:
                for _ in range(100):
                    await pilot.pause(0.05)
                    if not any(w.is_running for w in app.workers):
                        break
                table = app.screen.query_one("#due")
                cells.extend(str(table.get_row_at(i)[2]) for i in range(table.row_count))
                title.append(str(app.screen.query_one("#due-title").content))
        asyncio.run(main())
        app.backend.ctx.db.close()
        return said, cells, title[0]

    said, cells, title = opened()
    assert any("holiday arrangement of 2027 is not recorded yet" in m for m in said)
    assert cells == ["2027-01-01 *"] * 3 and "* provisional: counted Mon–Fri" in title
    said_again, _, _ = opened()
    assert not any("2027" in m for m in said_again)  # once a day
