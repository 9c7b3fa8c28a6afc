"""Issue 17, class 7: values refused with a clear message (exit 2, database unchanged),
never an internal error: non-finite numbers, dates outside 1900–2100 (`--today` too),
an empty `--db`, bytes that are not text."""
from __future__ import annotations

import os
from datetime import date

import pytest

from tracker.cli import main
from tracker.domain.fields import FIELDS, DataError, parse_value

from .conftest import ID_LI, ID_ZHANG
from .reliability_support import digest


@pytest.fixture
def two(run):
    for name, number, no in (("曾国藩", ID_ZHANG, "E1"), ("解缙", ID_LI, "E2")):
        assert run("add", "--name", name, "--id-number", number, "--employee-no", no).code == 0


@pytest.mark.parametrize("value", ["inf", "1e400", "nan", "-inf", "NaN", "Infinity"])
def test_non_finite_numbers_are_refused(run, two, db_path, value):
    before = digest(db_path)
    for args in (("event", "E1", "add_note", "--set", f"ce_hours={value}"),
                 ("ce-hours", "E1", "--", value)):
        result = run(*args)
        assert result.code == 2 and "Traceback" not in result.err, (args, result.err)
        # named as what it is (never "below zero" for inf)
        assert "finite" in result.err or "invalid value" in result.err, result.err
        assert "below zero" not in result.err
    assert digest(db_path) == before
    for field in (f for f in FIELDS.values() if f.kind == "number"):  # postage too
        with pytest.raises(DataError):
            parse_value(field, value)


@pytest.mark.parametrize("value", ["inf", "nan", "1e400"])
def test_a_rules_file_with_a_non_finite_number_is_refused(run, two, db_path, value):
    (db_path.parent / "rules.toml").write_text(f"ce_hours_required = {value}\n",
                                               encoding="utf-8")
    result = run("rules", "--format", "json", lang="zh")
    assert result.code == 2 and "ce_hours_required" in result.err and "有限" in result.err
    assert "Infinity" not in result.out and "NaN" not in result.out


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
@pytest.mark.parametrize("command", [("remind",), ("sweep",), ("list",), ("show", "E1"),
                                     ("event", "E1", "add_note", "--note", "x")])
def test_today_outside_1900_to_2100_is_refused_for_every_command(run, two, db_path, day,
                                                                command):
    before = digest(db_path)
    result = run("--today", day, *command, today=None)
    assert result.code == 2, (command, result.err)
    assert "out of range" in result.err and "1900-01-01" in result.err
    assert digest(db_path) == before


@pytest.mark.parametrize("value", ["review_deadline=9999-12-31", "review_deadline=1066-10-14",
                                   "review_deadline=2101-01-01"])
def test_dates_outside_1900_to_2100_are_refused_in_set_values(run, two, db_path, value):
    before = digest(db_path)
    result = run("event", "E1", "open_review", "--set", value, lang="zh")
    assert result.code == 2 and "超出范围" in result.err, result.err
    assert digest(db_path) == before
    with pytest.raises(DataError, match="out of range"):
        parse_value(FIELDS["appointment"], "2101-01-01 09:00")


def test_the_edges_of_the_range_are_accepted(run, two):
    assert run("--today", "1900-01-01", "list", today=None).code == 0
    assert run("--today", "2100-12-31", "list", today=None).code == 0


@pytest.mark.parametrize("lang, words", [("en", "--db cannot be empty"),
                                         ("zh", "--db 不能为空")])
def test_an_empty_db_option_is_refused(capfd, lang, words):
    for command in (["list"], ["add", "--name", "仇英", "--id-number", ID_ZHANG], ["backup"],
                    ["serve"], ["verify"], ["restore", "x.db"]):
        code = main(["--lang", lang, "--db", "", *command])
        err = capfd.readouterr().err
        assert code == 2 and words in err, (command, err)


@pytest.mark.skipif(os.name == "nt", reason="Windows passes arguments as Unicode")
@pytest.mark.parametrize("lang, words", [("en", "not text"), ("zh", "无法识别的字节")])
def test_undecodable_bytes_in_an_argument_are_refused(run, two, db_path, tmp_path, lang,
                                                      words):
    """Bytes that are not UTF-8 (a name typed in a GBK terminal, a file name from another
    system) reach Python as lone surrogates; SQLite, files and the terminal cannot take
    them: refused up front, naming the argument."""
    name = os.fsdecode(b"\xd5\xc5\xce\xb0")  # 张伟 in GBK
    before = digest(db_path)
    for args in (("add", "--name", name, "--id-number", make_other_id()),
                 ("event", "E1", "add_note", "--note", name),
                 ("import", str(tmp_path / os.fsdecode(b"staff\xff.csv")))):
        result = run(*args, lang=lang)
        assert result.code == 2 and words in result.err, (args, result.err)
        assert "Traceback" not in result.err and "internal error" not in result.err
        assert "\\xd5" in result.err or "\\xff" in result.err
    assert digest(db_path) == before
    assert date.today()  # the clock is untouched by any of this


def make_other_id() -> str:
    from .conftest import make_id

    return make_id("31010419700101123")


@pytest.mark.parametrize("day", ["9999-12-31", "1066-10-14", "2101-01-01"])
def test_dates_outside_1900_to_2100_are_refused_in_an_imported_file(run, db_path, tmp_path,
                                                                    day):
    staff = tmp_path / "staff.csv"
    staff.write_text(f"工号,姓名,身份证号,有效期至\nE1,仇英,{ID_ZHANG},{day}\n", encoding="utf-8")
    result = run("import", str(staff))
    assert result.code == 2 and "out of range" in result.out + result.err
    assert run("list", "--format", "json").json() == []
