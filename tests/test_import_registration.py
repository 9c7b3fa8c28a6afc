"""`tracker import` of the data issue 10 and 11 added: the exempt subjects (免考科目, R2a),
the postal address and when the contact data was confirmed (R14a), phone numbers held to
the one validator (R14a), the certificate's issue date (发证日期, R7a), and the CE hours
column as the period's recorded total (R9c)."""
from __future__ import annotations

import json
import sqlite3
from datetime import date

from .conftest import ID_LI, ID_WANG, ID_ZHANG
from .test_import import write_csv

HEADER = ["工号", "姓名", "身份证号", "手机", "通讯地址", "联系方式确认日期", "免考科目", "发证日期"]
STAFF = [
    HEADER,
    ["E1", "张伟", ID_ZHANG, "13800000001", "上海市闵行区莘庄镇莘建路 1 号", "2026-03-01",
     "建设工程施工管理、建设工程法规及相关知识", "2018-06-30"],
    ["E2", "李娜", ID_LI, "021 6123 4567", "", "", "practice", ""],
    ["E3", "欧阳娜娜", ID_WANG, "+86 139-0000-0003", "无", "", "全部", "2025/10/20"],
]


def imported(run, tmp_path, rows, *args, name="名单.csv", **kw):
    path = write_csv(tmp_path / name, rows)
    return run("import", str(path), "--format", "json", *args, **kw)


def case(db_path, employee_no):
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM case_view WHERE employee_no = ?",
                                 [employee_no]).fetchone())
    finally:
        conn.close()


def test_the_new_columns_are_read_into_the_person_and_the_case(run, tmp_path, db_path):
    result = imported(run, tmp_path, STAFF)
    assert result.code == 0, result.err
    assert result.json()["inserted"] == 3
    zhang, li, wang = (case(db_path, e) for e in ("E1", "E2", "E3"))
    assert (zhang["address"], zhang["contact_confirmed_on"]) == (
        "上海市闵行区莘庄镇莘建路 1 号", "2026-03-01")
    assert json.loads(zhang["exempt"]) == ["management", "regulations"]
    assert zhang["certificate_issued_on"] == "2018-06-30"
    assert (li["phone"], li["address"], json.loads(li["exempt"])) == (
        "021-61234567", None, ["practice"])
    assert (wang["phone"], json.loads(wang["exempt"]), wang["certificate_issued_on"]) == (
        "13900000003", ["management", "regulations", "practice"], "2025-10-20")
    # The same file again changes nothing.
    again = imported(run, tmp_path, STAFF).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)


def test_a_bad_phone_a_future_day_or_an_unknown_subject_rejects_the_row(run, tmp_path, db_path):
    result = imported(run, tmp_path, [
        HEADER,
        ["E1", "张伟", ID_ZHANG, "12345678901", "", "", "", ""],
        ["E2", "李娜", ID_LI, "13800000002", "", "2027-01-01", "", ""],
        ["E3", "欧阳娜娜", ID_WANG, "13800000003", "", "", "施工", "2026-12-01"],
    ], today=date(2026, 11, 25), lang="zh")
    assert result.code == 2  # every row refused
    errors = {(e["line"], e["column"]): e["reason"] for e in result.json()["errors"]}
    assert "电话号码无效：12345678901" in errors[(2, "手机")]
    assert "晚于今天" in errors[(3, "联系方式确认日期")]
    assert "未知科目：施工" in errors[(4, "免考科目")]
    assert "晚于今天" in errors[(4, "发证日期")]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM cases").fetchone() == (0,)
    conn.close()


def test_an_import_updates_the_contact_data_and_the_issue_date_with_history(run, tmp_path,
                                                                          db_path):
    imported(run, tmp_path, [["工号", "姓名", "身份证号"], ["E1", "张伟", ID_ZHANG]])
    result = imported(run, tmp_path, [
        ["工号", "姓名", "身份证号", "地址", "联系方式确认日期", "资格证书发证日期"],
        ["E1", "张伟", ID_ZHANG, "上海市徐汇区", "2026-11-01", "2019-01-15"]], name="b.csv")
    assert result.json()["updated"] == 1
    history = run("show", "E1", "--format", "json").json()["history"]
    update = history[-1]
    assert update["event"] == "update"
    assert update["data"]["set"] == {"address": "上海市徐汇区", "contact_confirmed_on": "2026-11-01",
                                     "certificate_issued_on": "2019-01-15"}
    assert update["data"]["before"] == {"address": None, "contact_confirmed_on": None,
                                        "certificate_issued_on": None}
    assert run("undo", "E1").code == 0
    assert case(db_path, "E1")["certificate_issued_on"] is None


def test_two_rows_of_one_person_may_not_disagree_on_the_address(run, tmp_path):
    result = imported(run, tmp_path, [
        ["姓名", "身份证号", "专业", "通讯地址"],
        ["张伟", ID_ZHANG, "建筑工程", "上海市闵行区"],
        ["张伟", ID_ZHANG, "市政公用工程", "上海市徐汇区"]], lang="zh")
    body = result.json()
    assert (body["inserted"], body["rejected"]) == (1, 1)
    assert "第 2 行" in body["errors"][0]["reason"]


def test_the_ce_hours_column_is_the_periods_recorded_total(run, tmp_path):
    result = imported(run, tmp_path, [
        ["姓名", "身份证号", "当前状态", "注册有效期至", "继续教育学时"],
        ["张伟", ID_ZHANG, "已注册", "2027-02-28", "36"]])
    assert result.code == 0, result.err
    ce = run("ce", "list", "1", "--format", "json").json()
    assert ce["period_total"] == 36 and ce["entries"][0]["kind"] == "recorded_total"
    assert ce["required"] is None and "not configured" in ce["status"]
