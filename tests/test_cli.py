"""Every core command through the real entry point: output, JSON, errors and exit codes."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from tracker.domain import idcard

from .conftest import ID_LI, ID_WANG, ID_ZHANG, make_id


@pytest.fixture
def zhang(run):
    result = run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E001",
                 "--specialty", "建筑工程", "--department", "项目一部",
                 "--company", "上海申建工程有限公司", "--phone", "13800138000",
                 "--exam-year", "2026")
    assert result.code == 0, result.err
    return "E001"


def test_add_prints_the_new_case(run):
    result = run("add", "--name", "张伟", "--id-number", ID_ZHANG, lang="zh")
    assert result.code == 0
    assert "张伟" in result.out and "考试合格" in result.out


def test_add_refuses_a_bad_id_number_in_both_languages(run, db_path):
    bad = ID_ZHANG[:-1] + ("0" if ID_ZHANG[-1] != "0" else "1")
    zh = run("add", "--name", "张伟", "--id-number", bad, lang="zh")
    assert zh.code == 2 and "校验位不正确" in zh.err and "Traceback" not in zh.err
    en = run("add", "--name", "张伟", "--id-number", "3.10112E+17")
    assert en.code == 2 and "mangled by Excel" in en.err
    assert run("list", "--format", "json").json() == []


def test_add_normalises_lower_case_x_and_full_width_digits(run):
    number = make_id("11010519491231002")
    assert number.endswith("X")
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number[:-1]) + "x"
    assert run("add", "--name", "王芳", "--id-number", full_width).code == 0
    assert run("show", number, "--format", "json", "--full-id").json()["id_number"] == number


def test_same_person_same_specialty_is_refused(run, zhang):
    again = run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--specialty", "building")
    assert again.code == 2 and "already has a case" in again.err
    other = run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--specialty", "市政公用工程")
    assert other.code == 0


def test_unknown_specialty_and_state_are_explained(run):
    result = run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--specialty", "园林")
    assert result.code == 2 and "unknown specialty" in result.err and "建筑工程" in result.err
    # Named as a person reads them, never by internal key (issue 14).
    assert "Mechanical and electrical" in result.err and "mechanical_electrical" not in result.err
    result = run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--state", "flying")
    assert result.code == 2 and "unknown state" in result.err


def test_list_json_is_the_stable_interface(run, zhang):
    run("add", "--name", "李娜", "--id-number", ID_LI, "--employee-no", "E002")
    rows = run("list", "--format", "json", lang="zh").json()
    assert [r["name"] for r in rows] == ["张伟", "李娜"]
    first = rows[0]
    for key in ("case_id", "employee_no", "name", "id_number", "department", "company",
                "specialty", "state", "state_label"):
        assert key in first
    assert first["id_number"] == idcard.mask(ID_ZHANG) and "*" in first["id_number"]
    assert first["state_label"] == "考试合格" and first["department"] == "项目一部"
    full = run("list", "--format", "json", "--full-id").json()
    assert full[0]["id_number"] == ID_ZHANG


def test_list_filters_and_csv(run, zhang):
    run("add", "--name", "李娜", "--id-number", ID_LI, "--department", "技术部")
    assert [r["name"] for r in run("list", "--department", "技术部", "--format", "json").json()] \
        == ["李娜"]
    assert [r["name"] for r in run("list", "--search", "zw", "--format", "json").json()] == ["张伟"]
    assert run("list", "--state", "review_pending", "--format", "json").json() == []
    assert len(run("list", "--state", "考试合格", "--format", "json").json()) == 2
    assert len(run("list", "--limit", "1", "--format", "json").json()) == 1
    csv_text = run("list", "--format", "csv", lang="zh").out
    assert csv_text.splitlines()[0].startswith("\ufeffcase_id,employee_no,name")
    assert "张伟" in csv_text and ID_ZHANG not in csv_text


def test_list_table_shows_chinese_names(run, zhang):
    out = run("list", lang="zh").out
    assert "张伟" in out and "考试合格" in out and "1 / 共 1" in out


def test_show_text_and_json(run, zhang):
    text = run("show", "E001", lang="zh").out
    for expected in ("张伟", "考试合格", "学历认证报告", "开始资格复核", "建档"):
        assert expected in text
    assert ID_ZHANG not in text and idcard.mask(ID_ZHANG) in text
    obj = run("show", "E001", "--format", "json").json()
    assert obj["allowed_events"][0] == "open_review"
    assert obj["materials"] == []
    assert obj["history"][0]["event"] == "create"
    assert set(obj["history"][0]) >= {"at", "event", "from_state", "to_state", "actor", "note"}


def test_show_finds_a_case_by_id_number_and_case_id(run, zhang):
    assert run("show", ID_ZHANG, "--format", "json").json()["name"] == "张伟"
    assert run("show", "1", "--format", "json").json()["name"] == "张伟"


def test_unknown_case_exits_2_with_a_message(run):
    result = run("show", "nobody", lang="zh")
    assert result.code == 2 and "找不到案件" in result.err and "Traceback" not in result.err


def test_ambiguous_employee_number_asks_for_the_case_id(run, zhang):
    run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--specialty", "municipal")
    result = run("show", ID_ZHANG)
    assert result.code == 2 and "several cases" in result.err


def walk(run, case: str, *steps):
    for step in steps:
        event, *rest = step if isinstance(step, tuple) else (step,)
        result = run("event", case, event, *rest)
        assert result.code == 0, (event, result.err)


def test_the_whole_main_line_and_one_renewal(run, zhang, db_path):
    """exam_passed -> … -> registered, then a renewal, all through the CLI."""
    walk(run, "E001", ("open_review", "--set", "review_deadline=2026-12-20"))
    refused = run("event", "E001", "submit_review", lang="zh")
    assert refused.code == 2 and "学历认证报告" in refused.err and "工作年限证明" in refused.err
    assert "add_note" in refused.err  # the events allowed now are listed
    assert run("material", "E001", "education_report").code == 0
    assert run("material", "E001", "工作年限证明").code == 0
    walk(run, "E001", "submit_review", "pass_review", "publish_certificate",
         ("download_ecert", "--set", "certificate_no=沪2026000123"))
    refused = run("event", "E001", "apply_registration")
    assert refused.code == 2 and "Labour contract" in refused.err
    run("material", "E001", "labour_contract")
    # R7a: the issue date printed on the certificate is asked for, never assumed recent.
    refused = run("event", "E001", "apply_registration")
    assert refused.code == 2 and "certificate_issued_on" in refused.err
    walk(run, "E001", ("apply_registration", "--set", "certificate_issued_on=2026-11-20"))
    refused = run("event", "E001", "approve_registration")
    assert refused.code == 2 and "registration_no" in refused.err
    walk(run, "E001", ("approve_registration", "--set", "registration_no=沪2322026000456"))
    obj = run("show", "E001", "--format", "json").json()
    assert obj["state"] == "registered"
    assert (obj["valid_from"], obj["valid_until"]) == ("2026-11-25", "2029-11-24")
    assert obj["employer"] == "上海申建工程有限公司" and obj["channel"] == "electronic"

    # Three years later: the renewal window, the CE hours, the approval.
    later = dict(today=__import__("datetime").date(2029, 9, 1))
    assert run("event", "E001", "open_renewal", **later).code == 0
    (db_path.parent / "rules.toml").write_text(  # R9c: the requirement, with its source
        'ce_hours_required = 120\nce_hours_source = "沪建（测试）"\n', encoding="utf-8")
    refused = run("event", "E001", "apply_renewal", **later)
    assert refused.code == 2 and "0 of 120" in refused.err
    assert run("event", "E001", "apply_renewal", "--set", "ce_hours=120", **later).code == 0
    assert run("event", "E001", "approve_renewal", **later).code == 0
    obj = run("show", "E001", "--format", "json").json()
    assert obj["state"] == "registered"
    assert (obj["valid_from"], obj["valid_until"]) == ("2029-11-25", "2032-11-24")
    states = [h["to_state"] for h in obj["history"]]
    assert states[-1] == "registered" and "renewal_applied" in states


def test_paper_collection_by_proxy(run, zhang):
    walk(run, "E001", "open_review")
    for item in ("education_report", "work_years_proof"):
        run("material", "E001", item)
    walk(run, "E001", "submit_review", "pass_review", "publish_certificate",
         ("book_paper_appointment", "--set", "appointment=2026-12-03 09:30"))
    refused = run("event", "E001", "collect_paper", "--set", "channel_proxy=true", lang="zh")
    assert refused.code == 2 and "委托书" in refused.err
    for item in ("proxy_authorization", "principal_id_copy", "agent_id"):
        run("material", "E001", item)
    walk(run, "E001", ("collect_paper", "--set", "channel_proxy=是"))
    obj = run("show", "E001", "--format", "json").json()
    assert obj["state"] == "certified" and obj["channel"] == "paper"
    assert "代领" in run("show", "E001", lang="zh").out


def test_event_by_chinese_label_and_note(run, zhang):
    result = run("event", "E001", "开始资格复核", "--note", "见市考试院通知", lang="zh")
    assert result.code == 0 and "待资格复核" in result.out
    history = run("history", "E001", "--format", "json").json()
    assert history[-1]["note"] == "见市考试院通知"


def test_event_errors_exit_2_and_change_nothing(run, zhang):
    for args, expected in [
        (("nonsense",), "unknown event"),
        (("approve_registration", "--set", "registration_no=1"), "not possible in state"),
        (("open_review", "--set", "review_deadline=31/12/2026"), "invalid date"),
        (("open_review", "--set", "colour=red"), "cannot set colour"),
        (("open_review", "--set", "novalue"), "KEY=VALUE"),
    ]:
        result = run("event", "E001", *args)
        assert result.code == 2, args
        assert expected in result.err, (args, result.err)
        assert "Traceback" not in result.err
    assert len(run("history", "E001", "--format", "json").json()) == 1


def test_undo_restores_state_and_data_and_keeps_the_history(run, zhang):
    walk(run, "E001", ("open_review", "--set", "review_deadline=2026-12-20"))
    run("material", "E001", "education_report")
    result = run("undo", "E001", lang="zh")
    assert result.code == 0 and "收到材料" in result.out
    assert run("show", "E001", "--format", "json").json()["materials"] == []
    assert run("undo", "E001").code == 0
    obj = run("show", "E001", "--format", "json").json()
    assert obj["state"] == "exam_passed" and obj["review_deadline"] is None
    events = [h["event"] for h in obj["history"]]
    assert events == ["create", "open_review", "material_received", "undo", "undo"]
    nothing = run("undo", "E001")
    assert nothing.code == 2 and "nothing to undo" in nothing.err


def test_change_personal_data_updates_pinyin_and_undo_restores(run, zhang):
    """R10a: the change needs the police certificate of the change, recorded as received."""
    refused = run("event", "E001", "change_personal_data", "--set", "name=张维")
    assert refused.code == 2 and "Police certificate of the change" in refused.err
    assert run("material", "E001", "police_certificate").code == 0
    walk(run, "E001", ("change_personal_data", "--set", "name=张维"))
    assert run("list", "--search", "zhangwei", "--format", "json").json()[0]["name"] == "张维"
    run("undo", "E001")
    shown = run("show", "E001", "--format", "json").json()
    assert shown["name"] == "张伟"
    # The old name stays in the history: the change row says what it was before.
    change = [h for h in shown["history"] if h["event"] == "change_personal_data"][0]
    assert change["data"]["before"]["name"] == "张伟" and change["data"]["set"]["name"] == "张维"


def test_bulk_fires_on_many_and_reports_refusals(run, zhang):
    run("add", "--name", "李娜", "--id-number", ID_LI, "--employee-no", "E002")
    run("add", "--name", "欧阳娜娜", "--id-number", ID_WANG, "--employee-no", "E003")
    assert run("bulk", "open_review", "--state", "exam_passed").code == 0
    run("material", "E001", "education_report")
    run("material", "E001", "work_years_proof")
    dry = run("bulk", "submit_review", "--state", "review_pending", "--dry-run",
              "--format", "json")
    assert dry.code == 1
    assert dry.json()["applied"] == [1] and len(dry.json()["refused"]) == 2
    assert run("show", "E001", "--format", "json").json()["state"] == "review_pending"
    real = run("bulk", "submit_review", "--state", "review_pending", lang="zh")
    assert real.code == 1 and "已执行 1 个" in real.out and "缺少材料" in real.out
    assert run("show", "E001", "--format", "json").json()["state"] == "review_submitted"
    none = run("bulk", "pass_review", "--search", "李娜")
    assert none.code == 2


def test_bulk_from_an_ids_file(run, zhang, tmp_path):
    run("add", "--name", "李娜", "--id-number", ID_LI, "--employee-no", "E002")
    ids = tmp_path / "ids.txt"
    ids.write_text("E001\n# a comment\n\nE002\nE999\n", encoding="utf-8")
    result = run("bulk", "open_review", "--ids-file", str(ids), "--format", "json")
    assert result.code == 1
    data = result.json()
    assert sorted(data["applied"]) == [1, 2] and data["refused"][0]["case"] == "E999"


def test_bulk_needs_a_selection(run):
    result = run("bulk", "open_review")
    assert result.code == 2


def test_material_unknown_item(run, zhang):
    result = run("material", "E001", "passport", lang="zh")
    assert result.code == 2 and "未知材料" in result.err


def test_history_table_in_chinese(run, zhang):
    walk(run, "E001", "open_review")
    out = run("history", "E001", lang="zh").out
    assert "建档" in out and "开始资格复核" in out and "待资格复核" in out


def test_diagram_is_mermaid(run, tmp_path):
    result = run("diagram", lang="zh")
    assert result.code == 0 and "stateDiagram-v2" in result.out and "已注册" in result.out
    target = tmp_path / "flow.mmd"
    assert run("diagram", "-o", str(target)).code == 0
    assert "Registration expired" in target.read_text(encoding="utf-8")


def test_bad_today_and_unknown_command_are_usage_errors(run):
    assert run("list", today=None).code == 0
    from tracker.cli import main

    assert main(["--today", "2026-13-45", "list"]) == 2
    assert main(["frobnicate"]) == 2


def test_markup_and_sql_in_names_are_shown_literally(run, monkeypatch):
    from tracker.cli.output import console

    monkeypatch.setattr(console, "width", 200)
    for index, name in enumerate(["[bold]红[/bold]", "'; DROP TABLE cases; --"]):
        number = make_id(f"3101121990010110{index}")
        assert run("add", "--name", name, "--id-number", number).code == 0
    out = run("list").out
    assert "[bold]红[/bold]" in out and "DROP TABLE" in out
    assert len(run("list", "--format", "json").json()) == 2


def test_database_errors_are_messages_not_tracebacks(run, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\x00garbage" * 500)
    result = run("list", db=broken, lang="zh")
    assert result.code == 2 and "不是 tracker 数据库" in result.err
    assert "Traceback" not in result.err
    folder = tmp_path / "folder.db"
    folder.mkdir()
    assert run("list", db=folder).code == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_is_explained(run, db_path):
    run("add", "--name", "张伟", "--id-number", ID_ZHANG)
    os.chmod(db_path, stat.S_IRUSR)
    result = run("add", "--name", "李娜", "--id-number", ID_LI)
    assert result.code == 2 and "read-only" in result.err


def test_db_defaults_to_the_environment(tmp_path, monkeypatch, capfd):
    from tracker.cli import main

    target = tmp_path / "env.db"
    monkeypatch.setenv("TRACKER_DB", str(target))
    assert main(["add", "--name", "张伟", "--id-number", ID_ZHANG]) == 0
    assert target.exists() and stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_lang_defaults_from_the_locale(tmp_path):
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "TRACKER_DB": str(tmp_path / "x.db")}
    env.pop("LC_ALL", None)
    result = subprocess.run([sys.executable, "-m", "tracker", "show", "nobody"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2 and "找不到案件" in result.stderr
    env["LANG"] = "en_US.UTF-8"
    result = subprocess.run([sys.executable, "-m", "tracker", "show", "nobody"],
                            capture_output=True, text=True, env=env)
    assert "no such case" in result.stderr


def test_demo_builds_every_state_at_its_own_path(run, tmp_path):
    target = tmp_path / "demo.db"
    result = run("demo", "--no-ui", "--path", str(target), lang="zh")
    assert result.code == 0 and "演示数据库已生成" in result.out
    rows = run("list", "--format", "json", "--full-id", db=target).json()
    assert len(rows) >= 200
    assert {r["state"] for r in rows} == set(__import__("tracker.domain.workflow",
                                                        fromlist=["STATES"]).STATES)
    assert all(idcard.is_valid(r["id_number"]) for r in rows)
    # Every history is in order and in the past.
    for row in rows[::10]:
        stamps = [h["at"] for h in run("history", str(row["case_id"]), "--format", "json",
                                       db=target).json()]
        assert stamps == sorted(stamps) and stamps[-1] <= "2026-11-25T23:59:59"
    # It refuses to overwrite a database that is not a demo.
    real = tmp_path / "real.db"
    run("add", "--name", "张伟", "--id-number", ID_ZHANG, db=real)
    refused = run("demo", "--no-ui", "--path", str(real))
    assert refused.code == 2 and len(run("list", "--format", "json", db=real).json()) == 1
