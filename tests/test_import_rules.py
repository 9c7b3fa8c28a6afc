"""The import's pure rules: headers, cells, dates, ID numbers, pinyin — and that every
short path taken for speed gives exactly what the plain path gives."""
from __future__ import annotations

import string
from datetime import date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.domain import idcard
from tracker.domain import importing as rules
from tracker.services.names import pinyin_keys
from tracker.services.pinyin_table import name_keys

from .conftest import ID_LI, ID_ZHANG, TODAY


@pytest.mark.parametrize("header, key", [
    ("姓名", "name"), ("*姓名", "name"), ("Name", "name"), ("  姓 名 ", "name"),
    ("身份证号码", "id_number"), ("证件号码", "id_number"), ("ID_Number", "id_number"),
    ("身份证号（18位）", "id_number"), ("身份证号(必填)", "id_number"),
    ("工号", "employee_no"), ("员工编号", "employee_no"), ("EMPLOYEE_NO", "employee_no"),
    ("部门", "department"), ("公司", "company"), ("单位", "company"),
    ("手机", "phone"), ("手机号", "phone"), ("联系电话", "phone"),
    ("专业", "specialty"), ("考试合格日期", "exam_passed_on"), ("合格日期", "exam_passed_on"),
    ("考试年度", "exam_year"), ("当前状态", "state"), ("资格证书编号", "certificate_no"),
    ("注册证书编号", "registration_no"), ("注册有效期至", "registration_valid_until"),
    ("继续教育学时", "ce_hours"), ("继续教育学时【小时】", "ce_hours"),
])
def test_header_aliases(header, key):
    assert rules.column_for(header) == key


@pytest.mark.parametrize("header", ["备注", "学历", "", "编号", "ID"])
def test_headers_that_mean_nothing_known(header):
    assert rules.column_for(header) is None


def test_every_column_has_aliases_in_both_languages():
    for column in rules.COLUMNS.values():
        assert any(not a.isascii() for a in column.aliases), column.key
        assert any(a.isascii() for a in column.aliases), column.key
        assert rules.column_for(column.key) == column.key


@pytest.mark.parametrize("value, expected", [
    ("2026-07-26", date(2026, 7, 26)), ("2026/7/26", date(2026, 7, 26)),
    ("2026.7.26", date(2026, 7, 26)), ("2026年7月26日", date(2026, 7, 26)),
    ("2026 年 7 月 26 日", date(2026, 7, 26)), ("20260726", date(2026, 7, 26)),
    ("2026-07-26 00:00:00", date(2026, 7, 26)), ("2026/7/26 0:00", date(2026, 7, 26)),
    ("２０２６年７月２６日", date(2026, 7, 26)), (date(2026, 7, 26), date(2026, 7, 26)),
    (datetime(2026, 7, 26, 8, 30), date(2026, 7, 26)), (46229.0, date(2026, 7, 26)),
    (46229, date(2026, 7, 26)), ("46229", date(2026, 7, 26)), (20260726.0, date(2026, 7, 26)),
])
def test_dates_in_every_format(value, expected):
    assert rules.parse_date_cell(value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "2026/13/1", "26-7-26", "2026-7/26", "昨天",
                                   "7/26/2026", "12", "2026-07-26T25:00", 1.5])
def test_bad_dates(value):
    with pytest.raises(rules.CellError) as caught:
        rules.parse_date_cell(value)
    assert "2026年7月26日" in caught.value.reason.zh


@given(st.text(alphabet=string.digits + "-/.年月日 ", max_size=14))
@example("2026-07-26")
@example("2026-7-26")
def test_a_date_cell_is_a_date_or_a_cell_error(text):
    """Never another exception, whatever the officer typed; and the YYYY-MM-DD short
    path agrees with the general one."""
    try:
        result = rules.parse_date_cell(text)
    except rules.CellError:
        return
    assert isinstance(result, date)
    assert rules.parse_date_cell(" " + text + " ") == result


@given(st.text(alphabet="0123456789xX ", min_size=15, max_size=20))
@example(ID_ZHANG)
@example(ID_ZHANG[:17] + "x")
@example("310112198813321232")
@settings(max_examples=300)
def test_the_fast_id_path_agrees_with_validate(text):
    """validate_cell takes a short path for well-formed numbers: same verdict, same number."""
    try:
        expected = ("ok", idcard.validate(text))
    except idcard.InvalidIdNumber as error:
        expected = ("bad", error.reason)
    try:
        got = ("ok", idcard.validate_cell(text))
    except idcard.InvalidIdNumber as error:
        got = ("bad", error.reason)
    assert got == expected


def test_valid_numbers_generated_with_their_check_digit_take_the_fast_path():
    numbers = [ID_ZHANG, ID_LI] + [
        n[:17] + idcard.check_digit(n[:17]) for n in
        (f"3101121988{m:02d}{d:02d}123" for m in range(1, 13) for d in (1, 15, 28))]
    for number in numbers:
        assert idcard.validate_cell(number) == idcard.validate(number) == number


@pytest.mark.parametrize("value", [3.101121988051212e+17, 310112198805121000.0,
                                   float(int(ID_ZHANG[:17] + "0"))])
def test_number_cells_with_more_than_15_digits_are_excel_damage(value):
    with pytest.raises(idcard.InvalidIdNumber) as caught:
        idcard.validate_cell(value)
    assert caught.value.reason == idcard.EXCEL_MANGLED


def test_codes_from_number_cells_lose_the_dot_zero():
    assert rules.code_text(13800000001.0) == "13800000001"
    assert rules.code_text("E0012") == "E0012"
    assert rules.code_text("０３７１５") == "03715"
    with pytest.raises(rules.CellError):
        rules.code_text(1.38e+20)
    with pytest.raises(rules.CellError):
        rules.code_text("1.38E+10")


@pytest.mark.parametrize("value, expected", [
    ("张伟", "张伟"), ("张　伟", "张伟"), (" 张 伟 ", "张伟"), ("欧阳 娜娜", "欧阳娜娜"),
    ("Tom  Lee", "Tom Lee"), ("买买提·艾力", "买买提·艾力"),
])
def test_names(value, expected):
    assert rules.clean_name(value) == expected


@pytest.mark.parametrize("value", ["", "  ", "无", "N/A", None])
def test_empty_names(value):
    with pytest.raises(rules.CellError):
        rules.clean_name(value)


@pytest.mark.parametrize("value, expected", [
    ("建筑工程", "building"), ("建筑", "building"), ("建筑工程专业", "building"),
    ("市政", "municipal"), ("Municipal public works", "municipal"), ("mining", "mining"),
    ("无", ""), ("", ""),
])
def test_specialties(value, expected):
    assert rules.parse_specialty(value) == expected
    assert rules.parse_specialty(value) == expected  # the cached second time too


def test_states_by_name_or_chinese_label():
    assert rules.parse_state("已注册") == "registered"
    assert rules.parse_state("review_pending") == "review_pending"
    assert rules.parse_state("") is None
    with pytest.raises(rules.CellError):
        rules.parse_state("已毕业")


def test_phones():
    """R14a: stored as normalise_phone stores them; anything else refuses the row."""
    assert rules.clean_phone("13800000001") == "13800000001"
    assert rules.clean_phone("021-6123 4567") == "021-61234567"
    assert rules.clean_phone("+86 138 0000 0001") == "13800000001"
    assert rules.clean_phone("-") == ""
    for bad in ("138", "电话", "1.38E+10", "12345678901", "61234567", "10086"):
        with pytest.raises(rules.CellError):
            rules.clean_phone(bad)


def test_a_row_shorter_than_the_header_is_padded():
    header = rules.match_headers(["姓名", "身份证号", "部门", "手机"])
    reader = rules.RowReader(header, TODAY)
    row, problems = reader.read(["张伟", ID_ZHANG])
    assert problems == [] and row.department == "" and row.phone == ""


def test_exam_year_from_the_date_unless_given():
    header = rules.match_headers(["姓名", "身份证号", "考试合格日期", "考试年度"])
    reader = rules.RowReader(header, TODAY)
    row, _ = reader.read(["张伟", ID_ZHANG, "2025-09-01", ""])
    assert (row.exam_year, row.exam_passed_on) == (2025, "2025-09-01")
    row, _ = reader.read(["张伟", ID_ZHANG, "2025-01-20", "2024年"])
    assert row.exam_year == 2024


def test_sheet_cells_are_safe_and_come_back():
    assert rules.sheet_cell("=1+2") == "'=1+2"
    assert rules.cell_text(rules.sheet_cell("=1+2")) == "=1+2"
    assert rules.sheet_cell("+8613800000001") == "'+8613800000001"
    assert rules.cell_text(rules.sheet_cell("+8613800000001")) == "+8613800000001"
    assert rules.sheet_cell(ID_ZHANG[:17] + "1") == "\t" + ID_ZHANG[:17] + "1"
    assert rules.sheet_cell("张伟") == "张伟"


NAMES = ["张伟", "王芳", "李娜", "欧阳娜娜", "曾伟", "单雄信", "解晓东", "王建国", "长孙无忌",
         "尉迟恭", "吕布", "女娲", "乐嘉", "朴树", "仇英", "区志", "查良镛", "盖聂", "万俟卨",
         "覃勇", "那英", "繁漪", "张", "Tom Lee", "张 伟", "买买提·艾力", "陈晓玉兰", "李春梅",
         "黄海峰", "赵子轩", "", "Ａ张", "司马相如文"]


@pytest.mark.parametrize("name", NAMES)
def test_fast_pinyin_equals_pypinyin(name):
    assert name_keys(name) == pinyin_keys.__wrapped__(name)


@given(st.text(alphabet="张王李赵欧阳曾单解长孙尉迟吕乐朴仇区查盖覃那建国海峰春梅晓玉兰重行",
               min_size=1, max_size=5))
@settings(max_examples=300)
def test_fast_pinyin_equals_pypinyin_for_any_chinese_name(name):
    assert name_keys(name) == pinyin_keys.__wrapped__(name)


# --------------------------------------------------------------------------- batch path

ALL_HEADERS = ["工号", "姓名", "身份证号", "部门", "公司", "手机", "专业", "当前状态",
               "考试合格日期", "考试年度", "资格证书编号", "注册证书编号", "注册有效期至",
               "继续教育学时", "通讯地址", "联系方式确认日期", "免考科目", "发证日期"]
USUAL = ["E000001", "张伟", ID_ZHANG, "工程部", "", "13800000001", "建筑工程", "",
         "2025-09-01", "", "", "", "", "", "上海市闵行区莘庄镇莘建路 1 号", "2026-03-01", "",
         "2025-10-20"]
#: Cells that look like the usual ones and are not, by column.
ODD_CELLS = {
    0: ["", "na", "NULL", "e 1", " E1", "E-1", "１２３", "3.1E+17", "无", 12.0, None,
        "E\x001", "E\n1"],
    1: ["", "张 伟", "张　伟", " 张伟", "无", "暂无", "Tom Lee", "司马相如文", "买买提·艾力",
        "'张伟", "张伟\u200b", "〇", None, 3.0, "张\x00伟", "张\n伟", "张伟\n"],
    2: ["", ID_ZHANG.lower(), " " + ID_ZHANG, ID_ZHANG[:17] + "0", "3.10112E+17",
        "'" + ID_ZHANG, ID_ZHANG.replace("3", "３"), ID_LI, ID_ZHANG[:6] + "19880230123X",
        "991121198805121230", 310112198805121000.0, None, ID_ZHANG[:9] + "\x00" + ID_ZHANG[10:],
        ID_ZHANG + "\x00"],
    3: ["", "无", " 工程部 ", "工程  部", "na", "-", "ab", 5.0],
    4: ["", "某某公司", "/", None],
    5: ["", "138-0000-0001", "1380000", "138000", "1.38E+10", "-", "电话", " 13800000001",
        13800000001.0, "1380000\x001380000", "02161234567", "021-6123 4567", "12345678901",
        "+86 13800000001"],
    6: ["", "建筑", "建筑工程专业", "市政", "无", "火箭工程", None],
    7: ["", "已注册", "registered", "nonsense"],
    8: ["", "2025/9/1", "2025年9月1日", "20250901", "2030-01-01", "2025-13-01", "45000",
        "无", datetime(2025, 9, 1), 45000.0],
    9: ["", "2024", "2024年", "1999", "2099", "x"],
    10: ["", "C123", "c 1", "na"],
    11: ["", "R99", "3.1E+17"],
    12: ["", "2027-01-01", "bad", "无"],
    13: ["", "12", "3.5学时", "x", "-1"],
    14: ["", "无", " 上海市 ", "上海  市", "abc", "ab", "'上海", 5.0, None],
    15: ["", "2026/3/1", "2030-01-01", "bad", "无", 46082.0, datetime(2026, 3, 1)],
    16: ["", "建设工程施工管理", "management,regulations", "全部", "施工", "无"],
    17: ["", "2025/10/20", "2099-01-01", "2025-02-30", None],
}


def _both_ways(rows):
    """(StaffRow or None, problems) of each row through `read`, and through the batch
    path (read_many, then `read` for the rows it leaves), on fresh readers."""
    header = rules.match_headers(ALL_HEADERS)
    plain = rules.RowReader(header, TODAY)
    expected = [plain.read(cells) for cells in rows]
    batched = rules.RowReader(header, TODAY)
    got = []
    for start in range(0, len(rows), 7):
        chunk = rows[start:start + 7]
        for cells, row in zip(chunk, batched.read_many(chunk)):
            got.append((row, []) if row is not None else batched.read(cells))
    return expected, got


def test_the_batch_path_reads_every_row_as_read_does():
    rows = [list(USUAL) for _ in range(3)]
    for position, cells in ODD_CELLS.items():
        for cell in cells:
            row = list(USUAL)
            row[position] = cell
            rows += [row, list(USUAL)]
    rows += [USUAL[:5], USUAL + ["", ""], USUAL + ["x"], [""] * len(USUAL), []]
    expected, got = _both_ways(rows)
    assert got == expected
    # And it does take the usual rows (once their department, specialty and date were
    # read the plain way).
    header = rules.match_headers(ALL_HEADERS)
    reader = rules.RowReader(header, TODAY)
    reader.read(USUAL)
    assert reader.read_many([USUAL, USUAL]) == [reader.read(USUAL)[0]] * 2


@given(st.lists(st.tuples(*(st.sampled_from([USUAL[i]] + ODD_CELLS[i])
                            for i in range(len(USUAL)))), min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_the_batch_path_equals_read_on_any_mix_of_cells(rows):
    expected, got = _both_ways([list(r) for r in rows])
    assert got == expected
