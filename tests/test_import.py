"""`tracker import`: staff lists as Chinese offices produce them, loaded row by row.

Every file here is written by the test the way Excel or a payroll system writes it (GBK
with CRLF, UTF-8 with a BOM, UTF-16 tab-separated "Unicode text", xlsx with date cells)
and imported through the command line, as the HR officer would.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tracker.services import importer
from tracker.store import importing as store_importing

from .conftest import ID_LI, ID_WANG, ID_ZHANG, make_id

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True

HEADER = ["工号", "姓名", "身份证号", "部门", "手机", "专业", "考试合格日期"]

ID_ZHAO = make_id("31011219920315234")
ID_QIAN = make_id("31011519870704567")
ID_SUN = make_id("11010519800101001")


def fake_id(i: int) -> str:
    """The i-th of many valid, fictitious ID numbers (born from 1970 on, one a day)."""
    born = date(1970, 1, 1).toordinal() + i // 1000
    return make_id(f"310112{date.fromordinal(born):%Y%m%d}{i % 1000:03d}")


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8", newline: str = "\n",
              delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def staff_rows() -> list[list]:
    return [
        HEADER,
        ["E001", "张伟", ID_ZHANG, "工程部", "13800000001", "建筑工程", "2026-07-26"],
        ["E002", "李娜", ID_LI, "项目一部", "13800000002", "市政公用工程", "2026/7/26"],
        ["E003", "欧阳娜娜", ID_WANG, "技术部", "13800000003", "机电工程", "2026年7月26日"],
    ]


def snapshot(db_path: Path) -> dict[str, list]:
    """Every row of every table the import may touch, to compare before and after."""
    conn = sqlite3.connect(db_path)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("persons", "cases", "history", "materials", "meta")}
    finally:
        conn.close()


def query(db_path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def imported(run, path: Path, *args: str, lang: str = "en"):
    result = run("import", str(path), "--format", "json", *args, lang=lang)
    return result, (json.loads(result.out) if result.out.strip() else None)


# --------------------------------------------------------------------------- encodings


def test_gbk_with_crlf_from_chinese_excel(run, tmp_path, db_path):
    path = write_csv(tmp_path / "名单.csv", staff_rows(), encoding="gbk", newline="\r\n")
    assert b"\r\n" in path.read_bytes()
    result, report = imported(run, path)
    assert result.code == 0, result.err
    assert report["encoding"] == "gb18030"
    assert (report["rows"], report["inserted"], report["rejected"]) == (3, 3, 0)
    rows = query(db_path, "SELECT name, department, phone, employee_no FROM persons ORDER BY id")
    assert rows == [("张伟", "工程部", "13800000001", "E001"),
                    ("李娜", "项目一部", "13800000002", "E002"),
                    ("欧阳娜娜", "技术部", "13800000003", "E003")]
    # The pinyin search keys are filled at write time: search by initials works.
    found = run("list", "--search", "oynn", "--format", "json").json()
    assert [c["name"] for c in found] == ["欧阳娜娜"]


def test_text_summary_names_the_encoding_in_chinese(run, tmp_path):
    path = write_csv(tmp_path / "staff.csv", staff_rows(), encoding="gbk", newline="\r\n")
    result = run("import", str(path), lang="zh")
    assert result.code == 0
    assert "GB18030" in result.out and "编码" in result.out
    assert "新增 3" in result.out and "导入完成" in result.out


def test_utf8_with_bom(run, tmp_path, db_path):
    path = write_csv(tmp_path / "staff.csv", staff_rows(), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result, report = imported(run, path)
    assert result.code == 0
    assert report["encoding"] == "utf-8-sig"
    # The BOM is not part of the first header: 工号 was recognised.
    assert report["columns"]["employee_no"] == "工号"
    assert query(db_path, "SELECT employee_no FROM persons ORDER BY id")[0] == ("E001",)


def test_utf16_tab_separated_unicode_text(run, tmp_path, db_path):
    """Excel's "Unicode text" (.txt): UTF-16 LE with a BOM, tab-separated."""
    path = write_csv(tmp_path / "staff.txt", staff_rows(), encoding="utf-16",
                     newline="\r\n", delimiter="\t")
    assert path.read_bytes()[:2] == b"\xff\xfe"
    result, report = imported(run, path)
    assert result.code == 0, result.err
    assert report["encoding"] == "utf-16-le"
    assert report["inserted"] == 3
    assert query(db_path, "SELECT name FROM persons ORDER BY id")[2] == ("欧阳娜娜",)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(run, tmp_path, codec):
    path = write_csv(tmp_path / "staff.txt", staff_rows(), encoding=codec, delimiter="\t")
    result, report = imported(run, path)
    assert result.code == 0, result.err
    assert (report["encoding"], report["inserted"]) == (codec, 3)


def test_a_stray_nul_does_not_make_utf8_into_utf16(run, tmp_path, db_path):
    rows = staff_rows()
    rows[1][3] = "工程部\x00"
    path = write_csv(tmp_path / "staff.csv", rows)
    result, report = imported(run, path)
    assert result.code == 0 and report["encoding"] == "utf-8"
    assert query(db_path, "SELECT department FROM persons ORDER BY id")[0] == ("工程部",)


def test_plain_utf8_and_tsv_extension(run, tmp_path):
    path = write_csv(tmp_path / "staff.tsv", staff_rows(), delimiter="\t")
    result, report = imported(run, path)
    assert result.code == 0
    assert (report["encoding"], report["inserted"]) == ("utf-8", 3)


def test_encoding_option_overrides_and_a_wrong_one_is_refused_with_the_line(run, tmp_path,
                                                                          db_path):
    path = write_csv(tmp_path / "staff.csv", staff_rows(), encoding="gbk", newline="\r\n")
    result, report = imported(run, path, "--encoding", "gbk")
    assert result.code == 0 and report["encoding"] == "gbk"

    other = tmp_path / "other.db"
    wrong = run("import", str(path), "--encoding", "utf-8", db=other)
    assert wrong.code == 2
    assert "line 1" in wrong.err and "--encoding" in wrong.err
    assert not query(other, "SELECT * FROM persons")


def test_unknown_encoding_is_refused(run, tmp_path):
    path = write_csv(tmp_path / "staff.csv", staff_rows())
    result = run("import", str(path), "--encoding", "klingon")
    assert result.code == 2
    assert "unknown encoding" in result.err


# --------------------------------------------------------------------------- xlsx


def make_xlsx(path: Path, rows: list[list], *, title: str = "人员名单",
              extra_sheets: tuple[str, ...] = (), formats: dict[str, str] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    for name in extra_sheets:
        workbook.create_sheet(name).append(["别的表"])
    workbook.save(path)
    return path


def test_xlsx_with_date_cells_serials_and_numbers(run, tmp_path, db_path):
    rows = [
        ["员工编号", "姓名", "身份证号码", "部门", "联系电话", "专业", "合格日期"],
        ["E001", "张伟", ID_ZHANG, "工程部", 13800000001, "建筑工程", date(2026, 7, 26)],
        ["E002", "李娜", ID_LI, "工程部", "13800000002", "市政", datetime(2025, 9, 1, 0, 0)],
        # A date typed as a number and shown as General: Excel's serial 46229 = 2026-07-26.
        ["E003", "欧阳娜娜", ID_WANG, "技术部", 13800000003.0, "机电工程", 46229],
        # An ID number typed into a number cell: Excel kept 15 digits.
        ["E004", "赵敏", 310112199203152340, "技术部", "", "建筑工程", "20260726"],
    ]
    path = make_xlsx(tmp_path / "名单.xlsx", rows, formats={"G2": "yyyy-mm-dd"})
    result, report = imported(run, path)
    assert result.code == 1, result.err
    assert report["sheet"] == "人员名单" and report["encoding"] is None
    assert (report["inserted"], report["rejected"]) == (3, 1)
    [error] = report["errors"]
    assert (error["line"], error["column"]) == (5, "身份证号码")
    assert "mangled by Excel" in error["reason"]
    persons = query(db_path, "SELECT name, phone FROM persons ORDER BY id")
    assert persons == [("张伟", "13800000001"), ("李娜", "13800000002"),
                       ("欧阳娜娜", "13800000003")]
    cases = query(db_path, "SELECT specialty, exam_year FROM cases ORDER BY id")
    assert cases == [("building", 2026), ("municipal", 2025), ("mechanical_electrical", 2026)]
    passed = [json.loads(d)["exam_passed_on"] for (d,) in query(
        db_path, "SELECT data FROM history ORDER BY id")]
    assert passed == ["2026-07-26", "2025-09-01", "2026-07-26"]


def test_xlsx_sheet_option_and_unknown_sheet(run, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["本文件第二个工作表是名单"])
    sheet = workbook.create_sheet("名单 2026")
    for row in staff_rows():
        sheet.append(row)
    path = tmp_path / "book.xlsx"
    workbook.save(path)

    first = run("import", str(path))
    assert first.code == 2  # the first sheet has no header
    result, report = imported(run, path, "--sheet", "名单2026")  # spaces do not matter
    assert result.code == 0 and report["sheet"] == "名单 2026" and report["inserted"] == 3
    missing = run("import", str(path), "--sheet", "工资")
    assert missing.code == 2
    assert "工资" in missing.err and "说明" in missing.err and "名单 2026" in missing.err


def test_xlsx_line_numbers_are_excel_row_numbers(run, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["B1"] = "2026 年人员名单"           # a title, then a blank row 2
    for offset, row in enumerate([HEADER, staff_rows()[1],
                                  ["E9", "", ID_LI, "", "", "", ""]], start=3):
        for column, value in enumerate(row, start=2):  # the table starts in column B
            sheet.cell(row=offset, column=column, value=value)
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    result, report = imported(run, path)
    assert result.code == 1
    assert report["header_line"] == 3
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(5, "姓名")]


def test_workbook_is_recognised_by_content_not_name(run, tmp_path):
    path = make_xlsx(tmp_path / "export.csv", staff_rows())  # an xlsx saved as .csv
    result, report = imported(run, path)
    assert result.code == 0 and report["inserted"] == 3 and report["sheet"] == "人员名单"


# --------------------------------------------------------------------------- headers


def test_header_aliases_ignore_spaces_case_width_and_remarks(run, tmp_path, db_path):
    rows = [
        ["Employee No", " 姓 名 ", "身份证号码（18位）", "DEPARTMENT", "手机号", "Specialty",
         "exam_passed_on", "单位", "备注", "学历"],
        ["E9", "张伟", ID_ZHANG, "工程部", "13800000009", "building", "2026-07-26",
         "上海申建工程有限公司", "组长", "本科"],
    ]
    path = write_csv(tmp_path / "staff.csv", rows)
    result, report = imported(run, path)
    assert result.code == 0
    assert report["columns"] == {"employee_no": "Employee No", "name": "姓 名",
                                 "id_number": "身份证号码（18位）", "department": "DEPARTMENT",
                                 "phone": "手机号", "specialty": "Specialty",
                                 "exam_passed_on": "exam_passed_on", "company": "单位"}
    assert report["unknown_columns"] == ["备注", "学历"]
    assert query(db_path, "SELECT company FROM persons") == [("上海申建工程有限公司",)]
    text = run("import", str(path), lang="zh").out
    assert "未识别的列（已忽略）：备注、学历" in text


def test_missing_required_columns_refused_at_once_with_the_headers_found(run, tmp_path,
                                                                       db_path):
    path = write_csv(tmp_path / "staff.csv", [["工号", "姓名", "部门"], ["E1", "张伟", "工程部"]])
    result = run("import", str(path))
    assert result.code == 2
    assert "ID number" in result.err and "工号 | 姓名 | 部门" in result.err
    zh = run("import", str(path), lang="zh")
    assert "缺少必需的列：身份证号" in zh.err
    assert not query(db_path, "SELECT * FROM persons")


def test_title_rows_above_the_header_are_skipped_and_lines_stay_true(run, tmp_path):
    rows = [["2026 年二级建造师人员名单"], [], HEADER,
            ["E1", "张伟", ID_ZHANG, "工程部", "13800000001", "建筑工程", "2026-13-01"]]
    path = write_csv(tmp_path / "staff.csv", rows)
    result, report = imported(run, path)
    assert report["header_line"] == 3
    assert report["errors"][0]["line"] == 4


def test_empty_file_and_missing_file(run, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = run("import", str(empty))
    assert result.code == 2 and "empty" in result.err
    result = run("import", str(tmp_path / "nope.csv"))
    assert result.code == 2 and "not found" in result.err


def test_header_only(run, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [HEADER])
    result, report = imported(run, path)
    assert result.code == 0 and report["rows"] == 0


# --------------------------------------------------------------------------- bad rows


def bad_rows_file(tmp_path: Path) -> Path:
    """One row for every kind of problem, with blank rows in between (lines are the
    file's own: header = 1)."""
    rows = [
        HEADER + ["当前状态", "考试年度", "继续教育学时"],
        ["E01", "张伟", ID_ZHANG, "工程部", "13800000001", "建筑工程", "2026-07-26", "", "", ""],  # 2 ok
        ["E02", "", ID_LI, "工程部", "", "建筑工程", "", "", "", ""],                         # 3 name
        ["E03", "王五", "3.10112E+17", "工程部", "", "建筑工程", "", "", "", ""],             # 4 sci
        ["E04", "王六", "310112198805121000", "工程部", "", "建筑工程", "", "", "", ""],      # 5 zeros
        ["E05", "王七", ID_ZHANG[:17] + ("0" if ID_ZHANG[17] != "0" else "1"), "", "", "", "",
         "", "", ""],                                                                           # 6 check
        ["E06", "王八", "3101121988051", "", "", "", "", "", "", ""],                          # 7 length
        [],                                                                                     # 8 blank
        ["E07", "王九", make_id("31011219881332123"), "", "", "", "", "", "", ""],            # 9 birth
        ["E08", "王十", make_id("99011219880512123"), "", "", "", "", "", "", ""],            # 10 region
        ["E09", "赵一", ID_ZHAO, "", "", "土木工程", "", "", "", ""],                          # 11 specialty
        ["E10", "赵二", ID_QIAN, "", "", "建筑工程", "", "已毕业", "", ""],                    # 12 state
        ["E11", "赵三", ID_SUN, "", "", "建筑工程", "2026-02-30", "", "", ""],                # 13 date
        ["", "", "", "", "", "", "", "", "", ""],                                             # 14 blank
        ["E12", "赵四", make_id("31011219700101111"), "", "", "", "2027-01-01", "", "", ""],  # 15 future
        ["E13", "赵五", make_id("31011219700101222"), "", "138-abc", "", "", "", "", ""],     # 16 phone
        ["E14", "赵六", make_id("31011219700101333"), "", "", "", "", "", "1999", ""],        # 17 year
        ["E15", "赵七", make_id("31011219700101444"), "", "", "", "", "", "", "许多"],        # 18 hours
        ["E16", "赵八", make_id("31011219700101555"), "上海", "有限公司", "", "", "", "", "",
         "多出来"],                                                                             # 19 comma
        ["E17", "赵九", "", "", "", "", "", "", "", ""],                                       # 20 no ID
        ["1.2345E+5", "钱一", make_id("31011219700101666"), "", "", "", "", "", "", ""],      # 21 emp
        ["E18", "钱二", make_id("31011219700101777"), "", "", "", "2026年7月26日", "registered", "",
         "12.5"],                                                                               # 22 ok
    ]
    return write_csv(tmp_path / "bad.csv", rows)


EXPECTED_ERRORS = [
    (3, "姓名", "", "the name is empty"),
    (4, "身份证号", "3.10112E+17", "mangled by Excel"),
    (5, "身份证号", "310112198805121000", "mangled by Excel"),
    (6, "身份证号", None, "check digit is wrong"),
    (7, "身份证号", "3101121988051", "must have 18 characters (has 13)"),
    (9, "身份证号", None, "invalid birth date"),
    (10, "身份证号", None, "no province code"),
    (11, "专业", "土木工程", "unknown specialty"),
    (12, "当前状态", "已毕业", "unknown state"),
    (13, "考试合格日期", "2026-02-30", "invalid date"),
    (15, "考试合格日期", "2027-01-01", "in the future"),
    (16, "手机", "138-abc", "invalid phone number"),
    (17, "考试年度", "1999", "exam year too early"),
    (18, "继续教育学时", "许多", "hours must be a number"),
    (19, "", "多出来", "a comma inside a value needs quotes"),
    (19, "手机", "有限公司", "invalid phone number"),  # the shifted cells show it too
    (20, "身份证号", "", "ID number is empty"),
    (21, "工号", "1.2345E+5", "turned into a number by Excel"),
]


def test_every_bad_row_kind_is_rejected_with_its_exact_line(run, tmp_path, db_path):
    result, report = imported(run, bad_rows_file(tmp_path))
    assert result.code == 1
    assert (report["rows"], report["inserted"], report["rejected"]) == (19, 2, 17)
    assert report["skipped_blank"] == 2
    got = [(e["line"], e["column"], e["value"], e["reason"]) for e in report["errors"]]
    assert len(got) == len(EXPECTED_ERRORS)
    for (line, column, value, reason), (want_line, want_column, want_value, want_reason) in \
            zip(got, EXPECTED_ERRORS):
        assert (line, column) == (want_line, want_column), (line, column, reason)
        if want_value is not None:
            assert value == want_value, (line, value)
        assert want_reason in reason, (line, reason)
    # The good rows went in, the state of line 22 and its hours included.
    assert query(db_path, "SELECT p.employee_no, c.state, c.ce_hours, c.exam_year FROM cases c"
                          " JOIN persons p ON p.id = c.person_id ORDER BY c.id") == [
        ("E01", "exam_passed", 0.0, 2026), ("E18", "registered", 12.5, 2026)]


def test_reasons_are_in_chinese_for_the_officer(run, tmp_path):
    result, report = imported(run, bad_rows_file(tmp_path), lang="zh")
    reasons = {e["line"]: e["reason"] for e in report["errors"]}
    assert reasons[4].startswith("身份证号被 Excel 改坏了") and "文本" in reasons[4]
    assert "未知专业：土木工程" in reasons[11]
    assert "日期无效" in reasons[13]
    text = run("import", str(bad_rows_file(tmp_path)), lang="zh")
    assert "被拒绝的行" in text.out and "拒绝 17" in text.out


def test_a_row_with_two_problems_lists_both(run, tmp_path):
    rows = [HEADER, ["E1", "张伟", "12345", "", "", "月球工程", "昨天"]]
    result, report = imported(run, write_csv(tmp_path / "s.csv", rows))
    assert result.code == 2  # every row rejected: nothing imported
    assert report["rejected"] == 1
    assert [(e["line"], e["column"]) for e in report["errors"]] == [
        (2, "身份证号"), (2, "专业"), (2, "考试合格日期")]


def test_id_numbers_are_normalised(run, tmp_path, db_path):
    with_x = make_id("31011219880512100")
    while not with_x.endswith("X"):  # find a fictitious number whose check digit is X
        with_x = make_id(f"310112198805121{int(with_x[15:17]) + 1:02d}")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in ID_LI)
    rows = [HEADER,
            ["E1", "张伟", with_x.lower(), "", "", "", ""],
            ["E2", "李娜", full_width, "", "", "", ""],
            ["E3", "欧阳娜娜", f" {ID_WANG[:6]} {ID_WANG[6:14]} {ID_WANG[14:]} ", "", "", "", ""],
            ["E4", "张　伟", "'" + ID_ZHAO, "", "", "", ""]]
    result, report = imported(run, write_csv(tmp_path / "s.csv", rows))
    assert result.code == 0, report["errors"]
    assert query(db_path, "SELECT name, id_number FROM persons ORDER BY id") == [
        ("张伟", with_x), ("李娜", ID_LI), ("欧阳娜娜", ID_WANG), ("张伟", ID_ZHAO)]


def test_all_date_formats(run, tmp_path, db_path):
    numbers = [make_id(f"3101121980010{i}{i}{i}{i}") for i in range(1, 7)]
    formats = ["2026-07-26", "2026/7/26", "2026.7.26", "2026年7月26日", "20260726",
               "２０２６－０７－２６"]
    rows = [HEADER] + [[f"E{i}", "张伟", n, "", "", "", d]
                       for i, (n, d) in enumerate(zip(numbers, formats))]
    result, report = imported(run, write_csv(tmp_path / "s.csv", rows))
    assert result.code == 0, report["errors"]
    passed = {json.loads(d).get("exam_passed_on") for (d,) in query(
        db_path, "SELECT data FROM history")}
    assert passed == {"2026-07-26"}


# --------------------------------------------------------------------------- identity


def test_duplicates_name_the_first_line_and_a_second_specialty_is_a_second_case(
        run, tmp_path, db_path):
    rows = [HEADER,
            ["E1", "张伟", ID_ZHANG, "工程部", "13800000001", "建筑工程", ""],
            ["E2", "李娜", ID_LI, "工程部", "", "建筑工程", ""],
            ["E1", "张伟", ID_ZHANG.lower(), "", "", "建筑", ""],          # same person, same case
            ["E1", "张伟", ID_ZHANG, "", "13800000001", "市政公用工程", ""],  # second specialty
            ["E1", "张卫", ID_ZHANG, "", "", "机电工程", ""],                # other name
            ["E1", "张伟", ID_ZHANG, "", "13900000000", "公路工程", ""]]     # other phone
    result, report = imported(run, write_csv(tmp_path / "s.csv", rows))
    assert result.code == 1
    assert (report["inserted"], report["rejected"]) == (3, 3)
    errors = {e["line"]: e for e in report["errors"]}
    assert "duplicate of line 2" in errors[4]["reason"]
    assert errors[4]["column"] == "身份证号"
    assert "line 2" in errors[6]["reason"] and errors[6]["column"] == "姓名"
    assert "line 2" in errors[7]["reason"] and errors[7]["column"] == "手机"
    assert query(db_path, "SELECT count(*) FROM persons") == [(2,)]
    assert query(db_path, "SELECT p.name, c.specialty FROM cases c JOIN persons p"
                          " ON p.id = c.person_id ORDER BY c.id") == [
        ("张伟", "building"), ("李娜", "building"), ("张伟", "municipal")]


def test_later_rows_of_a_new_person_fill_in_blank_cells(run, tmp_path, db_path):
    rows = [HEADER,
            ["E1", "张伟", ID_ZHANG, "", "", "建筑工程", ""],
            ["", "张伟", ID_ZHANG, "工程部", "13800000001", "市政公用工程", ""]]
    path = write_csv(tmp_path / "s.csv", rows)
    result, report = imported(run, path)
    assert result.code == 0 and report["inserted"] == 2
    assert query(db_path, "SELECT employee_no, department, phone FROM persons") == [
        ("E1", "工程部", "13800000001")]
    again, report = imported(run, path)
    assert (report["unchanged"], report["updated"]) == (2, 0)


def test_an_id_number_on_record_under_another_name_is_refused(run, tmp_path, db_path):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG).code == 0
    rows = [HEADER, ["E1", "张卫", ID_ZHANG, "", "", "", ""]]
    result, report = imported(run, write_csv(tmp_path / "s.csv", rows))
    assert result.code == 2
    [error] = report["errors"]
    assert error["line"] == 2 and error["column"] == "姓名"
    assert "张伟" in error["reason"] and "change_personal_data" in error["reason"]
    assert query(db_path, "SELECT name FROM persons") == [("张伟",)]


def test_reimport_changes_nothing(run, tmp_path, db_path):
    path = write_csv(tmp_path / "staff.csv", staff_rows(), encoding="gbk", newline="\r\n")
    first, report = imported(run, path)
    assert report["inserted"] == 3
    before = snapshot(db_path)
    again, report = imported(run, path)
    assert again.code == 0
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 0, 3)
    assert snapshot(db_path) == before


def test_changed_phone_updates_the_person_in_history_and_can_be_undone(run, tmp_path,
                                                                      db_path):
    path = write_csv(tmp_path / "staff.csv", staff_rows())
    imported(run, path)
    rows = staff_rows()
    rows[1][4] = "13911112222"     # 张伟's new phone
    rows[2][3] = "项目二部"         # 李娜 moved department
    rows[3][4] = ""                # a blank cell erases nothing
    changed = write_csv(tmp_path / "staff-v2.csv", rows)
    result, report = imported(run, changed)
    assert result.code == 0
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 2, 1)
    assert query(db_path, "SELECT name, phone, department FROM persons ORDER BY id") == [
        ("张伟", "13911112222", "工程部"), ("李娜", "13800000002", "项目二部"),
        ("欧阳娜娜", "13800000003", "技术部")]

    history = run("history", ID_ZHANG, "--format", "json").json()
    assert [h["event"] for h in history] == ["import", "update"]
    update = history[-1]
    assert update["data"]["set"] == {"phone": "13911112222"}
    assert update["data"]["before"] == {"phone": "13800000001"}
    assert update["data"]["file"] == "staff-v2.csv" and update["data"]["line"] == 2
    assert update["from_state"] == update["to_state"] == "exam_passed"
    # The first history row names the file it came from and its SHA-256.
    origin = history[0]
    assert origin["from_state"] is None and origin["to_state"] == "exam_passed"
    assert origin["data"]["file"] == "staff.csv"
    assert origin["data"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()

    assert run("undo", ID_ZHANG).code == 0
    assert query(db_path, "SELECT phone FROM persons WHERE id_number = ?", [ID_ZHANG]) == [
        ("13800000001",)]


def test_case_fields_update_but_an_existing_state_is_only_reported(run, tmp_path, db_path):
    rows = [HEADER + ["当前状态", "资格证书编号"],
            ["E1", "张伟", ID_ZHANG, "工程部", "", "建筑工程", "", "考试合格", ""]]
    path = write_csv(tmp_path / "s.csv", rows)
    imported(run, path)
    rows[1][7] = "已注册"
    rows[1][8] = "沪1232026000123"
    result, report = imported(run, write_csv(tmp_path / "s2.csv", rows))
    assert result.code == 0 and report["updated"] == 1
    [notice] = report["notices"]
    assert notice["line"] == 2 and notice["column"] == "当前状态"
    assert "does not move states" in notice["reason"]
    assert query(db_path, "SELECT state, certificate_no FROM cases") == [
        ("exam_passed", "沪1232026000123")]


def test_new_case_for_a_known_person_with_a_changed_phone(run, tmp_path, db_path):
    """The update row follows the new case's import row: replay and undo stay right."""
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--specialty", "建筑工程",
               "--phone", "13800000001").code == 0
    rows = [HEADER, ["E1", "张伟", ID_ZHANG, "", "13900000009", "市政公用工程", ""]]
    result, report = imported(run, write_csv(tmp_path / "s.csv", rows))
    assert result.code == 0 and report["inserted"] == 1
    history = run("history", "2", "--format", "json").json()
    assert [(h["event"], h["from_state"]) for h in history] == [
        ("import", None), ("update", "exam_passed")]
    assert history[1]["data"]["set"] == {"employee_no": "E1", "phone": "13900000009"}
    assert history[1]["data"]["before"] == {"employee_no": None, "phone": "13800000001"}


# --------------------------------------------------------------------------- modes


def test_dry_run_writes_nothing_and_reports_the_same(run, tmp_path, db_path):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG).code == 0
    before = snapshot(db_path)
    path = bad_rows_file(tmp_path)
    dry, dry_report = imported(run, path, "--dry-run")
    assert dry.code == 1
    assert dry_report["dry_run"] is True and dry_report["written"] is False
    assert snapshot(db_path) == before
    assert "Dry run: nothing was written" in run("import", str(path), "--dry-run").out
    assert snapshot(db_path) == before
    real, real_report = imported(run, path)
    assert real_report["written"] is True
    for key in ("rows", "inserted", "updated", "unchanged", "rejected", "errors"):
        assert dry_report[key] == real_report[key], key


def test_strict_refuses_the_whole_file(run, tmp_path, db_path):
    result, report = imported(run, bad_rows_file(tmp_path), "--strict")
    assert result.code == 2
    assert report["written"] is False and report["rejected"] == 17
    assert not query(db_path, "SELECT * FROM persons")
    text = run("import", str(bad_rows_file(tmp_path)), "--strict", lang="zh")
    assert text.code == 2 and "已拒绝整个文件" in text.out
    good = write_csv(tmp_path / "good.csv", staff_rows())
    result, report = imported(run, good, "--strict")
    assert result.code == 0 and report["inserted"] == 3


def test_a_failure_mid_import_leaves_the_database_unchanged(ctx, db_path, tmp_path,
                                                           monkeypatch):
    from tracker.services import cases as case_service

    case_service.add_case(ctx, name="李娜", id_number=ID_LI, phone="13800000002")
    rows = [HEADER] + [[f"E{i}", "张伟", fake_id(i), "工程部",
                        "13800000001", "建筑工程", "2026-07-26"] for i in range(1, 40)]
    rows.append(["E99", "李娜", ID_LI, "", "13999999999", "", ""])  # an update on the way
    path = write_csv(tmp_path / "s.csv", rows)
    before = snapshot(db_path)
    calls = {"stage": 0}
    real_stage = store_importing.stage

    def failing_stage(database, staged):
        calls["stage"] += 1
        if calls["stage"] == 3:  # two chunks already written, then the disk "fails"
            raise sqlite3.OperationalError("disk I/O error")
        return real_stage(database, staged)

    monkeypatch.setattr(store_importing, "stage", failing_stage)
    with pytest.raises(sqlite3.OperationalError):
        importer.import_file(ctx, path, chunk_rows=10)
    assert calls["stage"] == 3
    assert snapshot(db_path) == before
    assert not ctx.db.conn.in_transaction


def test_an_interrupt_in_the_command_leaves_the_database_unchanged(run, tmp_path, db_path,
                                                                   monkeypatch):
    run("import", str(write_csv(tmp_path / "a.csv", staff_rows()[:2])))
    before = snapshot(db_path)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store_importing, "insert_staged", interrupted)
    result = run("import", str(write_csv(tmp_path / "b.csv", staff_rows())))
    assert result.code == 2 and "Aborted" in result.err
    assert snapshot(db_path) == before


# --------------------------------------------------------------------------- errors sheet


def test_errors_sheet_is_utf8_with_bom_with_the_original_row_and_can_be_reimported(
        run, tmp_path, db_path):
    path = bad_rows_file(tmp_path)
    out = tmp_path / "errors.csv"
    result = run("import", str(path), "--errors", str(out), lang="zh")
    assert result.code == 1
    assert "错误清单已写入" in result.out
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["行号", "出错列", "原因"]
    assert rows[0][3:] == HEADER + ["当前状态", "考试年度", "继续教育学时"]
    assert len(rows) == 1 + 17
    by_line = {int(r[0]): r for r in rows[1:]}
    assert by_line[4][1] == "身份证号" and "Excel" in by_line[4][2]
    assert by_line[4][3:6] == ["E03", "王五", "3.10112E+17"]
    # A long digit string keeps a leading tab so Excel does not round it again.
    assert by_line[5][5] == "\t310112198805121000"
    # The officer fixes the rows in the sheet and imports the sheet itself.
    fixed = [rows[0]]
    for line, row in sorted(by_line.items()):
        if line == 11:
            fixed.append(row[:8] + ["建筑工程"] + row[9:])
    write_csv(tmp_path / "fixed.csv", fixed, encoding="utf-8-sig", newline="\r\n")
    again, report = imported(run, tmp_path / "fixed.csv")
    assert again.code == 0, report["errors"]
    assert report["inserted"] == 1
    assert report["unknown_columns"] == ["行号", "出错列", "原因"]
    assert query(db_path, "SELECT count(*) FROM cases WHERE specialty = 'building'") == [(2,)]


def test_errors_sheet_neutralises_formulas(run, tmp_path):
    rows = [HEADER, ["=HYPERLINK(\"http://x\")", "@张伟", "12", "", "", "", ""]]
    out = tmp_path / "errors.csv"
    run("import", str(write_csv(tmp_path / "s.csv", rows)), "--errors", str(out))
    [line] = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[1:]
    assert line[3] == "'=HYPERLINK(\"http://x\")" and line[4] == "'@张伟"


def test_errors_sheet_is_written_even_when_empty(run, tmp_path):
    out = tmp_path / "errors.csv"
    out.write_text("stale", encoding="utf-8")
    run("import", str(write_csv(tmp_path / "s.csv", staff_rows())), "--errors", str(out),
        "--force")
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == [
        ["line", "column", "reason"] + HEADER]


# --------------------------------------------------------------------------- output


def test_json_has_the_documented_keys(run, tmp_path):
    result, report = imported(run, write_csv(tmp_path / "s.csv", staff_rows()))
    for key in ("file", "encoding", "rows", "inserted", "updated", "unchanged", "rejected",
                "errors"):
        assert key in report
    assert report["file"].endswith("s.csv")


def test_no_progress_bar_when_not_a_terminal(run, tmp_path):
    rows = [HEADER] + [[f"E{i}", "张伟", fake_id(i), "", "", "", ""]
                       for i in range(2500)]
    result = run("import", str(write_csv(tmp_path / "s.csv", rows)), today=None)
    assert result.code == 0
    assert result.err == ""


def test_progress_is_reported_for_large_files(ctx, tmp_path):
    rows = [HEADER] + [[f"E{i}", "张伟", fake_id(i), "", "", "", ""]
                       for i in range(2500)]
    seen = []
    report = importer.import_file(ctx, write_csv(tmp_path / "s.csv", rows),
                                  progress=lambda *args: seen.append(args))
    assert report.inserted == 2500
    assert seen == [(1000, 2500, "read"), (2000, 2500, "read"), (2500, 2500, "write"),
                    (2500, 2500, "done")]


def test_progress_bar_draws_on_a_terminal(monkeypatch):
    """The bar is rich's, on the error console, and only once there is progress."""
    from rich.console import Console

    from tracker.cli import importing as cli_importing

    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    monkeypatch.setattr(cli_importing, "err_console", console)
    bar = cli_importing._Bar()
    bar(2500, 2500, "write")  # a small file finishes before the first report: no bar
    bar(2500, 2500, "done")
    assert bar.progress is None
    bar(1000, 5000, "read")
    bar(5000, 5000, "write")
    bar.close()
    drawn = console.file.getvalue()
    assert "Reading and checking" in drawn
    assert "5000/5000" in drawn and "Writing to the database" in drawn


@pytest.mark.sqlite_only  # SQLite drops and rebuilds indexes; PostgreSQL stages with COPY
def test_bulk_path_rebuilds_indexes_and_keeps_them(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(importer._Writer, "BULK_ROWS", 10)
    indexes = sorted(r[0] for r in ctx.db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'"))
    rows = [HEADER] + [[f"E{i}", "张伟", fake_id(i), "", "", "", ""]
                       for i in range(30)]
    report = importer.import_file(ctx, write_csv(tmp_path / "s.csv", rows))
    assert report.inserted == 30
    assert sorted(r[0] for r in ctx.db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")) == indexes
    assert ctx.db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.sqlite_only
def test_bulk_path_only_into_empty_tables(ctx, tmp_path, monkeypatch):
    """Into tables that hold rows, the indexes are maintained, not rebuilt."""
    monkeypatch.setattr(importer._Writer, "BULK_ROWS", 10)
    rows = [HEADER] + [[f"E{i}", "张伟", fake_id(i), "", "", "", ""] for i in range(30)]
    importer.import_file(ctx, write_csv(tmp_path / "a.csv", rows[:2]))
    dropped = []
    real_drop = store_importing.drop_secondary_indexes
    monkeypatch.setattr(store_importing, "drop_secondary_indexes",
                        lambda database: dropped.append(1) or real_drop(database))
    report = importer.import_file(ctx, write_csv(tmp_path / "b.csv", rows))
    assert report.inserted == 29 and report.unchanged == 1 and dropped == []
    assert ctx.db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
