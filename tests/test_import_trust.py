"""Issue 17, class 5: the import trusts its file no more.

A regular file only (a FIFO or a device is refused at once, never waited on); the bytes
hashed are the bytes imported, and a file that changed while it was read, or is no longer
that file when the import commits, is refused; limits on the file, on every part of a
workbook unzipped (declared and actual), on a cell and on the row count, each named with
the value found and the rules.toml key that raises it; the errors list checked before the
transaction starts. And (class 7) a 15-digit ID number named as the old format, with its
18-digit form.
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tracker.domain import idcard
from tracker.services import importer, sources

from .conftest import ID_LI, ID_ZHANG, make_id
from .reliability_support import ROOT, count, digest, staff_csv

HEADER = ["工号", "姓名", "身份证号", "部门"]
NAMES = ["曾国藩", "单田芳", "解缙", "仇英", "张伟", "李娜"]

#: An old 15-digit number (region 310112, born 1985-05-12, sequence 123) and its
#: 18-digit form, computed here independently of the tracker (GB 11643 weights).
OLD_ID = "310112850512123"


def eighteen(old: str) -> str:
    first17 = old[:6] + "19" + old[6:]
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(d) * w for d, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


def staff(path: Path, rows: int, *, bad: int = 0) -> Path:
    """A staff list of `rows` good rows (and `bad` rows with a wrong check digit)."""
    lines = [",".join(HEADER)]
    for i in range(rows):
        lines.append(f"E{i:03d},{NAMES[i % len(NAMES)]},"
                     f"{make_id(f'31011219800101{i:03d}')},工程部")
    for i in range(bad):
        wrong = make_id(f"31011219900101{i:03d}")
        wrong = wrong[:-1] + ("1" if wrong[-1] != "1" else "2")
        lines.append(f"B{i:03d},仇英,{wrong},工程部")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rules_file(db_path: Path, text: str) -> None:
    (db_path.parent / "rules.toml").write_text(text, encoding="utf-8")


def leftovers(folder: Path) -> list[str]:
    """Temporary files the tracker leaves beside what it writes (none, ever)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --------------------------------------------------------------------------- regular files

def _import_process(db_path: Path, target: str, lang: str) -> subprocess.CompletedProcess:
    """`tracker import TARGET` as its own process: a hang shows as TimeoutExpired (the
    bound is only a guard against a test that would never end, not a measure)."""
    env = {**os.environ, "LANG": "en_US.UTF-8", "PYTHONPATH": str(ROOT)}
    env.pop("LC_ALL", None)
    return subprocess.run([sys.executable, "-m", "tracker", "--db", str(db_path), "--lang",
                           lang, "import", target], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("lang, words", [("en", "named pipe (FIFO)"), ("zh", "命名管道")])
def test_a_fifo_is_refused_at_once_not_waited_on(run, tmp_path, db_path, lang, words):
    assert run("add", "--name", "曾国藩", "--id-number", ID_ZHANG).code == 0
    before = digest(db_path)
    fifo = tmp_path / "staff.csv"
    os.mkfifo(fifo)
    result = _import_process(db_path, str(fifo), lang)
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert ("Nothing was imported" if lang == "en" else "未导入任何数据") in result.stderr
    assert digest(db_path) == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("lang, words", [("en", "a character device"), ("zh", "字符设备")])
def test_a_device_is_refused_at_once_not_read_for_ever(tmp_path, db_path, lang, words):
    result = _import_process(db_path, "/dev/zero", lang)
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("lang, words", [("en", "is a folder"), ("zh", "是文件夹")])
def test_a_folder_is_refused(run, tmp_path, lang, words):
    result = run("import", str(tmp_path), lang=lang)
    assert result.code == 2 and words in result.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_the_kind_is_asked_of_the_open_file(tmp_path, monkeypatch):
    """A regular file when first looked at, a FIFO when opened: the kind that counts is
    the open file's (opened without blocking), so the swap cannot make it hang."""
    fifo = tmp_path / "swap.csv"
    os.mkfifo(fifo)
    monkeypatch.setattr(Path, "is_dir", lambda self: False)  # as if a file were there
    with pytest.raises(sources.TrackerError) as refused:
        sources.read_regular_file(fifo, 1 << 20)
    assert refused.value.key == "import_not_regular"


# --------------------------------------------------------------------------- what is hashed

def test_the_hash_recorded_is_of_the_bytes_imported(run, tmp_path, db_path):
    path = staff(tmp_path / "s.csv", 3)
    assert run("import", str(path)).code == 0
    conn_rows = json.loads(run("history", "1", "--format", "json").out)
    recorded = {row["data"]["sha256"] for row in conn_rows if row["event"] == "import"}
    assert recorded == {hashlib.sha256(path.read_bytes()).hexdigest()}


@pytest.mark.parametrize("kind", ["text", "workbook"])
def test_rows_come_from_the_bytes_read_not_from_the_path_again(tmp_path, kind):
    """The file rewritten in place after it was opened (same size, same time stamp): the
    rows parsed are still those that were hashed."""
    path = tmp_path / ("s.csv" if kind == "text" else "s.xlsx")
    if kind == "text":
        staff(path, 3)
        other = path.read_bytes().replace("曾国藩".encode(), "张三丰".encode())
    else:
        _xlsx(path, [HEADER, ["E1", "曾国藩", ID_ZHANG, "工程部"]])
        _xlsx(tmp_path / "o.xlsx", [HEADER, ["E1", "张三丰", ID_ZHANG, "工程部"]])
        other = (tmp_path / "o.xlsx").read_bytes()
    original = path.read_bytes()
    source = sources.open_source(path)
    stamp = path.stat()
    with open(path, "r+b") as handle:  # in place: the same file, new content
        handle.write(other)
        handle.truncate()
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    names = [cells[1] for _, cells in source.rows()]
    assert "曾国藩" in names and "张三丰" not in names
    assert source.sha256 == hashlib.sha256(original).hexdigest()


@pytest.mark.parametrize("change", ["append", "truncate"])
def test_a_file_that_changes_while_it_is_read_is_refused(ctx, tmp_path, db_path, monkeypatch,
                                                          change):
    path = staff(tmp_path / "s.csv", 50)
    real = sources._read_all

    def reading_while_written(fd, size):
        # Another program writes to the file while the tracker reads it.
        if change == "append":
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("E999,解缙," + make_id("31011219800202001") + ",工程部\n")
        else:
            os.truncate(path, size // 2)
        return real(fd, size)

    monkeypatch.setattr(sources, "_read_all", reading_while_written)
    with pytest.raises(importer.TrackerError) as refused:
        sources.open_source(path)  # at once, while it is read (the commit checks again)
    assert refused.value.key == "import_changed"
    staff(path, 50)
    with pytest.raises(importer.TrackerError) as refused:
        importer.import_file(ctx, path)
    assert refused.value.key == "import_changed"
    assert count(db_path, "cases") == 0


@pytest.mark.parametrize("change", ["append", "truncate", "replace"])
def test_a_file_changed_before_the_commit_is_refused_and_nothing_imported(
        run, tmp_path, db_path, monkeypatch, change):
    """Appended to, cut short, or replaced (by a copy of itself: another file all the
    same) after it was read, while the rows were checked: refused at the commit."""
    assert run("add", "--name", "曾国藩", "--id-number", ID_LI).code == 0
    before = digest(db_path)
    path = staff(tmp_path / "s.csv", 50)
    real = importer._Writer.finish

    def finish_while_changed(self):
        if change == "append":
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("E999,解缙," + make_id("31011219800202001") + ",工程部\n")
        elif change == "truncate":
            os.truncate(path, path.stat().st_size // 2)
        else:
            copy = tmp_path / "copy.csv"
            copy.write_bytes(path.read_bytes())
            os.replace(copy, path)
        real(self)

    monkeypatch.setattr(importer._Writer, "finish", finish_while_changed)
    for lang, words in (("en", "changed while it was being imported"), ("zh", "导入过程中被改动")):
        staff(path, 50)
        result = run("import", str(path), lang=lang)
        assert result.code == 2 and words in result.err, result.err
        assert "Try again" in result.err or "重试" in result.err
    assert digest(db_path) == before


# --------------------------------------------------------------------------- limits

def _xlsx(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _zip_bomb(path: Path, megabytes: int, *, lie: bool = False) -> Path:
    """A workbook whose sheet unzips to `megabytes` MB (a few KB zipped); with `lie`, its
    central directory says the sheet is 1,024 bytes."""
    buffer = io.BytesIO()
    _xlsx(buffer, [HEADER, ["E1", "曾国藩", ID_ZHANG, "工程部"]])
    with zipfile.ZipFile(buffer) as book, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in book.infolist():
            data = book.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"</sheetData>")
                start, end = b'<row r="3"><c r="A3" t="inlineStr"><is><t>', b"</t></is></c></row>"
                row = start + b"x" * (1024 - len(start) - len(end)) + end  # 1 KB a row
                data = head + row * (megabytes * 1024) + b"</sheetData>" + tail
            out.writestr(info.filename, data)
    if lie:
        raw = bytearray(path.read_bytes())
        name = b"xl/worksheets/sheet1.xml"
        at = 0
        while (at := raw.find(b"PK\x01\x02", at)) >= 0:
            length = int.from_bytes(raw[at + 28:at + 30], "little")
            if raw[at + 46:at + 46 + length] == name:
                raw[at + 24:at + 28] = (1024).to_bytes(4, "little")
            at += 4
        path.write_bytes(bytes(raw))
        with zipfile.ZipFile(path) as check:
            assert check.getinfo(name.decode()).file_size == 1024
    return path


@pytest.mark.parametrize("lie", [False, True], ids=["declared", "lying"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_zip_bomb_is_refused_before_it_is_unzipped(run, tmp_path, db_path, lie, lang):
    rules_file(db_path, "import_max_mb = 2\n")
    bomb = _zip_bomb(tmp_path / "bomb.xlsx", 5, lie=lie)
    assert bomb.stat().st_size < 200_000
    result = run("import", str(bomb), lang=lang)
    assert result.code == 2, result.err
    # Which limit, the value found, how to raise it.
    assert "xl/worksheets/sheet1.xml" in result.err and "import_max_mb" in result.err
    assert "rules.toml" in result.err and " 2 MB" in result.err
    found = float(re.search(r"(\d+\.\d) MB", result.err).group(1))
    # Declared: the size itself; counted (the declared size lies): as far as it was
    # unzipped, just over the limit, never the whole.
    assert found == 5.0 if not lie else 2.0 < found < 5.0
    assert ("zip bomb" if lang == "en" else "压缩炸弹") in result.err
    assert count(db_path, "cases") == 0


def test_a_part_that_unzips_to_another_size_than_declared_is_refused(tmp_path):
    bomb = _zip_bomb(tmp_path / "small.xlsx", 1, lie=True)
    with pytest.raises(sources.TrackerError) as refused:
        sources.open_source(bomb)  # the shipped limit, 200 MB: not over it
    assert refused.value.key == "import_zip_sizes_differ"
    assert refused.value.params["declared"] == "1,024"


def test_a_workbook_within_the_limit_imports(run, tmp_path, db_path):
    rules_file(db_path, "import_max_mb = 2\n")
    book = _xlsx(tmp_path / "ok.xlsx", [HEADER, ["E1", "曾国藩", ID_ZHANG, "工程部"]])
    assert run("import", str(book)).code == 0 and count(db_path, "cases") == 1


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(run, tmp_path, db_path):
    rules_file(db_path, "import_max_mb = 1\n")
    path = staff_csv(tmp_path / "big.csv", 15_000)  # ~1.1 MB
    result = run("import", str(path))
    assert result.code == 2 and "import_max_mb" in result.err and "1 MB" in result.err
    assert count(db_path, "cases") == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_huge_cell_refuses_the_file_naming_the_limit_without_printing_it(
        run, tmp_path, db_path, lang):
    path = staff(tmp_path / "s.csv", 5)
    text = path.read_text(encoding="utf-8").splitlines()
    text[3] += "," + "备" * 40_000  # line 4, column E (beyond the header)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = run("import", str(path), lang=lang)
    assert result.code == 2, result.err
    assert "import_max_cell_chars" in result.err and "rules.toml" in result.err
    assert "40,000" in result.err and "32,767" in result.err  # found, and the limit
    assert ("line 4, column E" if lang == "en" else "第 4 行 E 列") in result.err
    assert len(result.out) + len(result.err) < 2_000  # the cell itself is not printed
    assert count(db_path, "cases") == 0


def test_a_huge_cell_in_a_quoted_multiline_field_is_caught_too(run, tmp_path, db_path):
    rules_file(db_path, "import_max_cell_chars = 100\n")
    path = tmp_path / "s.csv"
    path.write_text(",".join(HEADER) + "\n"
                    + f'E1,曾国藩,{ID_ZHANG},"{"工程部" + chr(10) * 200}"\n', encoding="utf-8")
    result = run("import", str(path))
    assert result.code == 2 and "import_max_cell_chars" in result.err
    assert "203" in result.err and "column D" in result.err


def test_a_huge_cell_in_a_workbook_is_refused(run, tmp_path, db_path):
    rules_file(db_path, "import_max_cell_chars = 100\n")
    book = _xlsx(tmp_path / "s.xlsx", [HEADER, ["E1", "曾国藩", ID_ZHANG, "工程部"],
                                       ["E2", "单田芳", ID_LI, "部" * 101]])
    result = run("import", str(book))
    assert result.code == 2 and "line 3, column D" in result.err and "101" in result.err
    assert count(db_path, "cases") == 0


def test_the_row_limit_is_exact(run, tmp_path, db_path):
    rules_file(db_path, "import_max_rows = 5\n")
    result = run("import", str(staff(tmp_path / "six.csv", 6)))
    assert result.code == 2 and "import_max_rows" in result.err, result.err
    assert "more than 5 rows" in result.err and "about 6" in result.err
    assert count(db_path, "cases") == 0
    assert run("import", str(staff(tmp_path / "five.csv", 5))).code == 0
    assert count(db_path, "cases") == 5


def test_the_limits_are_rules_listed_with_their_defaults(run):
    values = json.loads(run("rules", "--format", "json").out)["rules"]
    assert {k: values[k] for k in ("import_max_mb", "import_max_cell_chars",
                                   "import_max_rows")} == {
        "import_max_mb": 200, "import_max_cell_chars": 32_767, "import_max_rows": 200_000}
    listed = run("rules").out
    assert all(key in listed for key in ("import_max_mb", "import_max_cell_chars",
                                         "import_max_rows"))


def test_a_limit_below_one_is_refused_in_rules_toml(run, db_path, tmp_path):
    rules_file(db_path, "import_max_rows = 0\n")
    result = run("import", str(staff(tmp_path / "s.csv", 1)))
    assert result.code == 2 and "import_max_rows" in result.err


# --------------------------------------------------------------------------- output paths

@pytest.mark.parametrize("where", ["missing folder", "a folder", "under a file", "device"])
def test_an_errors_list_that_cannot_be_written_is_refused_before_anything_is_imported(
        run, tmp_path, db_path, where):
    assert run("add", "--name", "曾国藩", "--id-number", ID_LI).code == 0
    before = digest(db_path)
    path = staff(tmp_path / "s.csv", 50, bad=1)
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = {"missing folder": tmp_path / "no" / "such" / "errors.csv",
              "a folder": tmp_path / "folder",
              "under a file": tmp_path / "file" / "errors.csv",
              "device": Path(os.devnull)}[where]
    for lang, words in (("en", "Nothing was imported"), ("zh", "未导入任何数据")):
        result = run("import", str(path), "--errors", str(target), lang=lang)
        assert result.code == 2 and words in result.err, result.err
    assert digest(db_path) == before  # not one of the 50 good rows
    assert leftovers(tmp_path) == [] and not list(db_path.parent.glob("backups/*"))


def test_an_errors_list_that_fails_while_written_commits_nothing(run, tmp_path, db_path,
                                                                monkeypatch):
    path = staff(tmp_path / "s.csv", 50, bad=1)
    target = tmp_path / "errors.csv"

    def disk_full(report, handle, lang):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(importer, "_errors_sheet", disk_full)
    result = run("import", str(path), "--errors", str(target))
    assert result.code == 2 and "No space left" in result.err
    assert count(db_path, "cases") == 0
    assert not target.exists() and leftovers(tmp_path) == []


def test_the_errors_list_is_written_with_the_import(run, tmp_path, db_path):
    path = staff(tmp_path / "s.csv", 50, bad=1)
    target = tmp_path / "errors.csv"
    result = run("import", str(path), "--errors", str(target))
    assert result.code == 1 and count(db_path, "cases") == 50
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and "B000" in lines[1]
    assert "(1 rows" in result.out or "1 row" in result.out
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- 15-digit IDs

def test_the_18_digit_form_is_computed_as_the_standard_says():
    assert idcard.eighteen_digit_form(OLD_ID) == eighteen(OLD_ID)
    assert idcard.is_valid(eighteen(OLD_ID))


@pytest.mark.parametrize("lang, words", [
    ("en", "old 15-digit ID number"), ("zh", "15 位旧身份证号")])
def test_add_names_an_old_15_digit_number_and_its_18_digit_form(run, db_path, lang, words):
    result = run("add", "--name", "解缙", "--id-number", OLD_ID, lang=lang)
    assert result.code == 2
    assert words in result.err and eighteen(OLD_ID) in result.err
    assert count(db_path, "cases") == 0


def test_a_15_digit_number_with_an_impossible_birth_date_gets_no_18_digit_form(run):
    bad = "310112851312123"  # month 13
    result = run("add", "--name", "解缙", "--id-number", bad)
    assert result.code == 2 and "15-digit" in result.err and "birth date" in result.err
    assert eighteen(bad) not in result.err


@pytest.mark.parametrize("kind", ["text", "number cell"])
def test_the_importer_names_an_old_15_digit_number_and_its_18_digit_form(
        run, tmp_path, db_path, kind):
    if kind == "text":
        path = tmp_path / "s.csv"
        path.write_text(",".join(HEADER) + f"\nE1,仇英,{OLD_ID},工程部\nE2,曾国藩,{ID_ZHANG},"
                        "工程部\n", encoding="utf-8")
    else:  # Excel keeps 15 digits exactly: an old number typed as a number
        path = _xlsx(tmp_path / "s.xlsx", [HEADER, ["E1", "仇英", int(OLD_ID), "工程部"],
                                           ["E2", "曾国藩", ID_ZHANG, "工程部"]])
    result = run("import", str(path), "--format", "json", lang="zh")
    body = json.loads(result.out)
    assert result.code == 1 and body["inserted"] == 1
    [error] = body["errors"]
    assert error["line"] == 2 and "15 位旧身份证号" in error["reason"]
    assert eighteen(OLD_ID) in error["reason"]
