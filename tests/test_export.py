"""Exports read as the HR officer and Excel read them: status sheets and the register.

Hostile names go in through the CLI like any other name and must come out literally in
every format, and never as a formula in CSV or XLSX (OWASP CSV injection).
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from markdown_it import MarkdownIt
from markupsafe import escape

from tracker.domain.deadlines import make_deadline
from tracker.domain.workflow import STATES
from tracker.services import demo, export
from tracker.services import sheet as sheet_module
from tracker.services.context import Context
from tracker.services.listing import list_cases
from tracker.services.query import CaseQuery
from tracker.services.render import md_escape, render, sheet_filename
from tracker.store import Database

from .conftest import ID_LI, ID_WANG, ID_ZHANG, TODAY

#: The tests that use a database run on SQLite and on PostgreSQL (tests/conftest.py).
BOTH_ENGINES = True

FORMULA = '=HYPERLINK("http://x","y")'
HOSTILE = [FORMULA, "'; DROP TABLE cases; --", "[bold]张三[/bold]", "<script>alert(1)</script>",
           "@SUM(A1)", "+86 138", "-2+3", "=1+2", "a*b*_c_ & <b>"]


def read_csv(path: Path) -> list[list[str]]:
    """As Excel does: a UTF-8 BOM says UTF-8 (without it, Chinese Windows would use GBK)."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def add(run, name, id_number, *more):
    result = run("add", "--name", name, "--id-number", id_number, *more)
    assert result.code == 0, result.err
    return result


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build_demo(path, TODAY)
    return path


@pytest.fixture
def demo_ctx(demo_db):
    database = Database(demo_db)
    yield Context(db=database, today=TODAY, actor="tester", today_pinned=True)
    database.close()


def one_case(ctx, state: str) -> int:
    return list_cases(ctx, CaseQuery(states=[state]), limit=1)[0]["case_id"]


@pytest.fixture
def people(run):
    """Three people; 张伟 collected a paper certificate by the book."""
    add(run, "张伟", ID_ZHANG, "--employee-no", "E001", "--specialty", "建筑工程",
        "--company", "上海申建工程有限公司", "--department", "工程部")
    add(run, "李娜", ID_LI, "--employee-no", "E002", "--specialty", "市政公用工程")
    add(run, "欧阳娜娜", ID_WANG, "--employee-no", "E003")
    for args in (("event", "E001", "open_review", "--set", "review_deadline=2026-12-09"),
                 ("material", "E001", "education_report"),
                 ("material", "E001", "work_years_proof"),
                 ("event", "E001", "submit_review"), ("event", "E001", "pass_review"),
                 ("event", "E001", "publish_certificate"),
                 ("material", "E001", "id_card_original"),
                 ("event", "E001", "collect_paper", "--set", "certificate_no=沪2026123456",
                  "--set", "certificate_date=2026-11-20"),
                 ("event", "E002", "open_review", "--set", "review_deadline=2026-12-09")):
        result = run(*args)
        assert result.code == 0, (args, result.err)


# --------------------------------------------------------------------------- cell safety


@pytest.mark.parametrize("value", [FORMULA, "+1", "-1", "@x", "\tx", "\rx", "\nx"])
def test_formula_triggers_are_neutralised(value):
    assert export.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["张伟", "a=b", "", "'; DROP TABLE cases; --", 5, 2.5, None,
                                   date(2026, 1, 1)])
def test_other_values_are_left_alone(value):
    assert export.neutralise(value) == value


# --------------------------------------------------------------------------- status sheet


@pytest.mark.parametrize("state", list(STATES))
def test_a_status_sheet_for_a_case_in_every_state_reads_right(demo_ctx, state):
    sheet = sheet_module.case_sheet(demo_ctx, one_case(demo_ctx, state))
    name = sheet.case["name"]
    label = STATES[state].label
    current = [s for s in sheet.line if s.status in ("current", "stopped")]
    assert [s.state for s in current] == [state]
    assert sheet.steps and sheet.history
    for lang in ("zh", "en"):
        md = render(sheet, "md", lang)
        html = render(sheet, "html", lang)
        data = json.loads(render(sheet, "json", lang))
        assert name in md and label.get(lang) in md
        assert escape(name) in html and escape(label.get(lang)) in html
        assert escape(sheet.steps[0].title.get(lang)) in html
        assert md_escape(sheet.steps[0].title.get(lang)) in md
        assert data["state"] == state and data["state_label"] == label.get(lang)
        assert data["next_steps"][0]["title"] == sheet.steps[0].title.get(lang)
        assert data["person"]["id_number_masked"] is True
        assert "********" in data["person"]["id_number"]
    assert "下一步怎么做" in render(sheet, "html", "zh")
    assert "What to do next" in render(sheet, "md", "en")


def test_the_main_line_shows_where_the_case_stands():
    line = sheet_module.main_line("certificate_available")
    assert [s.status for s in line] == ["done"] * 4 + ["current"] + ["todo"] * 3
    failed = sheet_module.main_line("review_failed")
    assert [s.status for s in failed][2:] == ["done", "stopped", "off", "off", "off", "off"]
    renewal = sheet_module.main_line("renewal_due")
    assert renewal[-1].state == "renewal_due" and renewal[-2].status == "done"
    partial = sheet_module.main_line("exam_partial")
    assert partial[0].state == "exam_partial" and partial[0].status == "current"


def test_status_sheet_shows_deadlines_with_days_left(demo_ctx):
    sheet = sheet_module.case_sheet(demo_ctx, one_case(demo_ctx, "registered"))
    assert sheet.deadlines, "the deadlines service should give a registered case deadlines"
    expiry = [d for d in sheet.deadlines if d.kind == "registration_expiry"][0]
    assert expiry.days_left == (expiry.due_on - TODAY).days
    html = render(sheet, "html", "zh")
    assert f"还有 {expiry.days_left} 天" in html and expiry.due_on.isoformat() in html
    assert f"{expiry.days_left} days left" in render(sheet, "md", "en")


def test_overdue_and_due_today_are_said_plainly():
    overdue = make_deadline("review_deadline", date(2026, 11, 20), {}, TODAY)
    assert overdue.days.zh == "逾期 5 天"
    assert overdue.days.en == "5 days overdue"
    today = make_deadline("review_deadline", TODAY, {}, TODAY)
    assert today.days.zh == "今天到期"


def test_status_sheet_of_a_paper_collection_via_the_cli(run, people, tmp_path):
    target = tmp_path / "zhang.md"
    result = run("export", "E001", "--format", "md", "-o", str(target), lang="zh")
    assert result.code == 0, result.err
    assert str(target) in result.out
    md = target.read_text(encoding="utf-8")
    assert "# 二级建造师办证状态表" in md
    assert "**已取得资格证书**" in md
    assert "纸质证书（市级受理大厅）" in md and "沪2026123456" in md
    assert "- [x] 身份证原件" in md and "劳动合同：未收到 — **下一步需要**" in md
    assert "建设工程企业资质和从业人员监管平台" in md
    assert "领取纸质证书" in md and "复核截止日 = 2026-12-09" in md   # the history
    masked = ID_ZHANG[:6] + "********" + ID_ZHANG[-4:]
    assert f"`{masked}`" in md and ID_ZHANG not in md


def test_full_id_only_when_asked(run, people, tmp_path):
    for flag, expected, hidden in (((), ID_ZHANG[:6] + "********", ID_ZHANG),
                                   (("--full-id",), ID_ZHANG, None)):
        out = tmp_path / f"s{len(flag)}.json"
        result = run("export", "E001", "--format", "json", "-o", str(out), *flag)
        assert result.code == 0, result.err
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["person"]["id_number"].startswith(expected)
        assert data["person"]["id_number_masked"] is (not flag)
        if hidden:
            assert hidden not in out.read_text(encoding="utf-8")
    assert "full ID numbers" in result.err            # the warning, on stderr
    assert (out.stat().st_mode & 0o077) == 0          # and the file is private


def test_several_cases_write_one_file_each_into_a_folder(run, people, tmp_path):
    folder = tmp_path / "sheets"
    result = run("export", "E001", "E002", "3", "-o", str(folder), lang="en")
    assert result.code == 0, result.err
    assert "3 status sheets written" in result.out
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["status-1-张伟.html", "status-2-李娜.html", "status-3-欧阳娜娜.html"]
    html = (folder / "status-2-李娜.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html


def test_one_case_to_the_terminal_and_the_default_file_name(run, people, tmp_path,
                                                            monkeypatch):
    result = run("export", "E002", "--format", "md", "-o", "-", lang="zh")
    assert result.code == 0 and result.out.startswith("# 二级建造师办证状态表")
    assert "2026-12-09" in result.out and "还有 14 天" in result.out
    monkeypatch.chdir(tmp_path)
    result = run("export", "E002")
    assert result.code == 0, result.err
    assert (tmp_path / "status-2-李娜.html").exists()


def test_export_refusals_in_both_languages(run, people, tmp_path):
    a_file = tmp_path / "taken.txt"
    a_file.write_text("x")
    result = run("export", "E001", "E002", "-o", str(a_file), lang="zh")
    assert result.code == 2 and "须是文件夹" in result.err
    result = run("export", "E001", "E002", "-o", str(a_file), lang="en")
    assert result.code == 2 and "must be a folder" in result.err
    result = run("export", "E001", "E002", "-o", "-", lang="en")
    assert result.code == 2 and "exactly one case" in result.err
    result = run("export", "nobody", lang="zh")
    assert result.code == 2 and "找不到案件" in result.err
    result = run("export-all", "--format", "xlsx", "-o", "-", lang="zh")
    assert result.code == 2 and "不能输出到终端" in result.err


def test_sheet_html_is_self_contained_and_printable(demo_ctx):
    html = render(sheet_module.case_sheet(demo_ctx, one_case(demo_ctx, "certified")), "html", "zh")
    assert '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html
    assert "@page { size: A4" in html and "@media print" in html
    assert "Microsoft YaHei" in html and "Noto Sans CJK SC" in html and "PingFang SC" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "<link" not in html and "<img" not in html


# --------------------------------------------------------------------------- hostile names


@pytest.fixture
def hostile(run):
    """People whose names are attacks or markup, added through the CLI."""
    from .conftest import make_id

    for index, name in enumerate(HOSTILE):
        add(run, name, make_id(f"31011219900101{index:03d}"), "--employee-no",
            f"=cmd{index}" if index == 0 else f"H{index}", "--department", "-工程部")
    return HOSTILE


def test_hostile_names_are_neutralised_in_csv(run, hostile, tmp_path):
    out = tmp_path / "register.csv"
    result = run("export-all", "--format", "csv", "-o", str(out), lang="zh")
    assert result.code == 0, result.err
    rows = read_csv(out)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["案件", "工号", "姓名", "身份证号"]
    names = [r[header.index("姓名")] for r in body]
    assert names[0] == "'" + FORMULA
    assert "'; DROP TABLE cases; --" in names and "[bold]张三[/bold]" in names
    assert "<script>alert(1)</script>" in names
    assert "'@SUM(A1)" in names and "'+86 138" in names and "'-2+3" in names
    assert "'=1+2" in names   # (a tab or line break never reaches a name: names are cleaned)
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), cell
    assert body[0][header.index("工号")] == "'=cmd0"
    assert {r[header.index("部门")] for r in body} == {"'-工程部"}
    # Nothing was executed against the database either.
    assert run("list", "--format", "json").json()[1]["name"] == "'; DROP TABLE cases; --"


def test_hostile_names_are_neutralised_in_xlsx(run, hostile, tmp_path):
    out = tmp_path / "register.xlsx"
    result = run("export-all", "--format", "xlsx", "-o", str(out), lang="en")
    assert result.code == 0, result.err
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    name_col = header.index("Name") + 1
    cells = [sheet.cell(row=r, column=name_col) for r in range(2, sheet.max_row + 1)]
    assert cells[0].value == "'" + FORMULA and cells[0].data_type == "s"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert "[bold]张三[/bold]" in [c.value for c in cells]


def test_hostile_names_come_out_literally_in_sheets(run, hostile, tmp_path):
    folder = tmp_path / "sheets"
    for fmt in ("html", "md", "json"):
        result = run("export", *[str(i) for i in range(1, len(HOSTILE) + 1)], "--format", fmt,
                     "-o", str(folder / fmt))
        assert result.code == 0, result.err
    for path in (folder / "html").iterdir():
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b>" not in html
    html = "".join(p.read_text(encoding="utf-8") for p in (folder / "html").iterdir())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#39;; DROP TABLE cases; --" in html and "[bold]张三[/bold]" in html
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)" in html
    # Markdown: rendered by a CommonMark renderer, the names are plain text.
    renderer = MarkdownIt("commonmark")
    rendered = "".join(renderer.render(p.read_text(encoding="utf-8"))
                       for p in (folder / "md").iterdir())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered and "<script>" not in rendered
    assert "[bold]张三[/bold]" in rendered and "a*b*_c_ &amp; &lt;b&gt;" in rendered
    assert "<em>" not in rendered.split("<h2>")[1]   # no name turned into emphasis
    names = {json.loads(p.read_text(encoding="utf-8"))["person"]["name"]
             for p in (folder / "json").iterdir()}
    assert names == set(HOSTILE)    # JSON is for programs: values exactly as stored
    files = {p.name for p in (folder / "md").iterdir()}
    assert all(not re.search(r'[<>:"/\\|?*\t]', f) for f in files), files


def test_markdown_escape():
    assert md_escape("[bold]") == r"\[bold\]"
    assert md_escape("review_submitted_on") == "review_submitted_on"
    assert md_escape("_x_") == r"\_x\_"
    assert md_escape("a\nb") == "a b"


def test_sheet_filename_is_safe():
    case = {"case_id": 7, "name": '../a<b>:"c"|?*'}
    assert sheet_filename(case, "html") == "status-7-_a_b___c____.html"


# --------------------------------------------------------------------------- the register


def test_csv_register_in_both_languages_with_bom(run, people, tmp_path):
    for lang, header_name, state in (("zh", "姓名", "已取得资格证书"), ("en", "Name", "Certified")):
        out = tmp_path / f"r-{lang}.csv"
        result = run("export-all", "--format", "csv", "-o", str(out), lang=lang)
        assert result.code == 0, result.err
        assert "3" in result.out
        rows = read_csv(out)
        header = rows[0]
        assert header_name in header and len(rows) == 4
        zhang = dict(zip(header, rows[1]))
        assert zhang[header[2]] == "张伟"
        assert state in rows[1]
        assert zhang[header[3]] == ID_ZHANG[:6] + "********" + ID_ZHANG[-4:]
        li = dict(zip(header, rows[2]))
        days = li["剩余天数" if lang == "zh" else "Days left"]
        assert days == "14"       # review deadline 2026-12-09, today 2026-11-25
    # Mis-decoding it as GBK (what Excel does without the BOM) would give mojibake:
    raw = (tmp_path / "r-zh.csv").read_bytes()[3:]
    assert "张伟" not in raw.decode("gbk", errors="replace")


def test_csv_full_id(run, people, tmp_path):
    out = tmp_path / "full.csv"
    assert run("export-all", "--format", "csv", "--full-id", "-o", str(out)).code == 0
    assert read_csv(out)[1][3] == ID_ZHANG


def test_xlsx_register_types_header_filter_and_widths(run, people, tmp_path):
    out = tmp_path / "register.xlsx"
    result = run("export-all", "--format", "xlsx", "--full-id", "-o", str(out), lang="zh")
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(out)
    sheet = book.active
    assert sheet.title == "登记表"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Y4"
    header = [c.value for c in sheet[1]]
    assert all(c.font.b for c in sheet[1])
    col = {name: index + 1 for index, name in enumerate(header)}
    id_cell = sheet.cell(row=2, column=col["身份证号"])
    assert id_cell.value == ID_ZHANG and isinstance(id_cell.value, str)
    assert id_cell.data_type == "s" and id_cell.number_format == "@"
    date_cell = sheet.cell(row=2, column=col["证书下载或领取日期"])
    assert isinstance(date_cell.value, datetime) and date_cell.value.date() == date(2026, 11, 20)
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
    assert sheet.cell(row=3, column=col["复核截止日"]).value == datetime(2026, 12, 9)
    assert sheet.cell(row=3, column=col["剩余天数"]).value == 14
    assert sheet.cell(row=2, column=col["案件"]).value == 1
    assert sheet.cell(row=2, column=col["工号"]).value == "E001"
    widths = sheet.column_dimensions
    assert widths["D"].width >= 20 and widths["E"].width >= 20    # ID number, company
    masked = tmp_path / "masked.xlsx"
    assert run("export-all", "--format", "xlsx", "-o", str(masked)).code == 0
    value = openpyxl.load_workbook(masked).active.cell(row=2, column=col["身份证号"]).value
    assert value == ID_ZHANG[:6] + "********" + ID_ZHANG[-4:]


def test_json_register_keeps_machine_keys(run, people):
    result = run("export-all", "--format", "json", "-o", "-", lang="en")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [r["case_id"] for r in rows] == [1, 2, 3]
    assert rows[0]["state"] == "certified" and rows[0]["state_label"] == "Certified"
    assert rows[0]["certificate_date"] == "2026-11-20"
    assert rows[1]["next_deadline_on"] == "2026-12-09" and rows[1]["days_left"] == 14
    assert "********" in rows[0]["id_number"]
    assert "3 cases exported" in result.err    # stdout stays clean for programs


def test_export_all_takes_the_filters_of_list(run, people, tmp_path):
    out = tmp_path / "f.csv"
    assert run("export-all", "--format", "csv", "--state", "review_pending", "-o",
               str(out)).code == 0
    assert [r[2] for r in read_csv(out)[1:]] == ["李娜"]
    assert run("export-all", "--format", "csv", "--search", "zw", "--force", "-o", str(out)).code == 0
    assert [r[2] for r in read_csv(out)[1:]] == ["张伟"]
    assert run("export-all", "--format", "csv", "--specialty", "建筑工程", "--company",
               "上海申建工程有限公司", "--force", "-o", str(out)).code == 0
    assert [r[2] for r in read_csv(out)[1:]] == ["张伟"]
    assert run("export-all", "--format", "csv", "--sort", "name", "--force", "-o", str(out)).code == 0
    assert [r[2] for r in read_csv(out)[1:]] == ["李娜", "欧阳娜娜", "张伟"]
    result = run("export-all", "--format", "csv", "--state", "registered", "--force", "-o", str(out))
    assert result.code == 0 and len(read_csv(out)) == 1     # header only
    result = run("export-all", "--format", "csv", "--state", "nonsense", "--force", "-o", str(out))
    assert result.code == 2


def test_register_of_the_demo_has_every_state(demo_ctx, tmp_path):
    out = tmp_path / "demo.xlsx"
    count = export.export_register(demo_ctx, CaseQuery(), "xlsx", out, "zh")
    sheet = openpyxl.load_workbook(out, read_only=True).active
    states = {row[10] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert count == sum(demo.STATE_COUNTS.values()) and states == set(STATES)


def test_default_register_file_name(run, people, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("export-all")
    assert result.code == 0, result.err
    assert (tmp_path / f"register-{TODAY.isoformat()}.xlsx").exists()


# --------------------------------------------------------------------------- diagram


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_diagram_svg_with_graphviz(run, tmp_path):
    out = tmp_path / "workflow.svg"
    result = run("diagram", "--format", "svg", "-o", str(out), lang="zh")
    assert result.code == 0, result.err
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for state in STATES.values():
        assert state.label.zh in svg and state.name in svg
    result = run("diagram", "--format", "svg", lang="en")
    assert "<svg" in result.out and "Certificate available" in result.out


def test_diagram_svg_without_graphviz_says_what_to_do(run, monkeypatch):
    import tracker.services.diagram as diagram

    monkeypatch.setattr(diagram.shutil, "which", lambda name: None)
    result = run("diagram", "--format", "svg", lang="zh")
    assert result.code == 2 and "Graphviz" in result.err and "安装" in result.err
    assert "--format mermaid" in result.err
    result = run("diagram", "--format", "svg", lang="en")
    assert result.code == 2 and "Install Graphviz" in result.err


def test_diagram_mermaid_still_the_default(run):
    result = run("diagram")
    assert result.code == 0 and "stateDiagram" in result.out


def test_dot_has_every_main_line_transition():
    from tracker.domain.workflow import EVENTS
    from tracker.services.diagram import transitions, workflow_dot

    edges = transitions()
    assert ("certificate_available", "certified", "download_ecert") in edges
    assert ("exam_partial", "exam_partial", "record_subject_pass") in edges
    assert not any(EVENTS[event].side for _, _, event in edges)
    dot = workflow_dot("zh")
    assert dot.startswith("digraph workflow {") and "证书可领取" in dot


def test_register_next_deadline_agrees_with_the_deadlines_service(demo_ctx):
    """The register's one-statement SQL gives each case the deadline the service gives."""
    from tracker.services import deadlines

    rows = {r["case_id"]: r for r in list_cases(demo_ctx)}
    records = [r for batch in export.register_records(demo_ctx, CaseQuery(), "en")
               for r in batch]
    keys = export.REGISTER_KEYS
    assert len(records) == len(rows)
    with_deadline = 0
    for record in records:
        got = dict(zip(keys, record))
        expected = deadlines.next_deadline(demo_ctx, rows[got["case_id"]])
        if expected is None:
            assert got["next_deadline_on"] is None, got
            continue
        with_deadline += 1
        if expected.due_on is None:  # R2a: the sitting is named, no day, no day count
            assert got["next_deadline"] == expected.when.en
            assert got["next_deadline_on"] is None and got["days_left"] is None
            continue
        assert got["next_deadline"] == expected.label.en
        assert got["next_deadline_on"] == expected.due_on.isoformat()
        assert got["days_left"] == expected.days_left
    assert with_deadline > 50


def test_streaming_xlsx_writer_escapes_and_types_every_cell(tmp_path):
    """The spliced rows are well-formed SpreadsheetML whatever the text holds."""
    from tracker.services.xlsx import SheetColumn, column_letter, write_sheet

    columns = [SheetColumn("文本", "text", 12), SheetColumn("数", "int", 6),
               SheetColumn("日期", "date", 12), SheetColumn("时间", "datetime", 16),
               SheetColumn("小数", "number", 8)]
    records = [["a & <b> \"c\"", 1, "2026-02-28", "2026-11-25 09:30:00", 2.5],
               ["  leading and trailing  ", 2, "not a date", "2026-11-25T00:00:00", None],
               ["ctrl\x01char", None, None, None, 0],
               ["310112198805121237", 3, "2024-02-29", None, 120]]
    out = tmp_path / "t.xlsx"
    assert write_sheet(out, "表<1>", columns, [records[:2], records[2:]]) == 4
    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "表<1>" and sheet.auto_filter.ref == "A1:E5"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == ["a & <b> \"c\"", 1, datetime(2026, 2, 28), datetime(2026, 11, 25, 9, 30),
                         2.5]
    assert values[1][0] == "  leading and trailing  " and values[1][2] == "not a date"
    assert values[2][0] == "ctrl_x0001_char"   # XML cannot hold it: Excel shows \x01 back
    assert values[3][0] == "310112198805121237" and values[3][2] == datetime(2024, 2, 29)
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_an_export_never_replaces_a_file_unasked(run, people, tmp_path):
    out = tmp_path / "register.csv"
    assert run("export-all", "--format", "csv", "-o", str(out)).code == 0
    out.write_text("kept", encoding="utf-8")
    refused = run("export-all", "--format", "csv", "-o", str(out))
    assert refused.code == 2 and "--force" in refused.err
    assert out.read_text(encoding="utf-8") == "kept"
    assert run("export-all", "--format", "csv", "--force", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Case") or out.stat().st_size > 4
    sheet = tmp_path / "sheet.html"
    sheet.write_text("kept", encoding="utf-8")
    assert run("export", "E001", "-o", str(sheet)).code == 2
    assert sheet.read_text(encoding="utf-8") == "kept"
