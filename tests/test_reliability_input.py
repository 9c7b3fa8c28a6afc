"""Hostile and broken input never shows a traceback.

The importer gets random bytes, random encodings, random headers and huge fields (property
tests through the real entry point, in-process); the command line gets unknown cases,
unknown events, bad dates, a missing, read-only, corrupt or busy database file and a full
disk. Each run ends with an exit code of 0, 1 or 2 (3 means a bug), a message in the
user's language, and — whenever nothing was to be done (exit code 2) — the database
exactly as it was.
"""
from __future__ import annotations

import codecs
import csv
import io
import sqlite3
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker.domain.importing import COLUMNS
from tracker.services import cases as service
from tracker.services.context import Context
from tracker.store import Database
from tracker.store import db as store_db

from .conftest import ID_LI, ID_WANG, ID_ZHANG, TODAY
from .reliability_support import digest

PROPERTY = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PREFIXES = [b"", ZIP, OLE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
            codecs.BOM_UTF32_LE, b"\x00\x00"]
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "shift_jis", "utf-16",
             "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252"]
ALIASES = sorted({alias for column in COLUMNS.values() for alias in column.aliases})


@pytest.fixture
def people(run):
    for name, number, no in (("张伟", ID_ZHANG, "E1"), ("李娜", ID_LI, "E2")):
        assert run("add", "--name", name, "--id-number", number, "--employee-no", no).code == 0
    assert run("event", "E1", "open_review", "--set", "review_deadline=2026-12-20").code == 0


def check(result, db_path, before: str) -> None:
    """The promise: a documented exit code, a message not a traceback, nothing changed
    when nothing was done."""
    assert result.code in (0, 1, 2), (result.code, result.err[-2000:])
    for text in (result.out, result.err):
        assert "Traceback" not in text and "internal error" not in text
    if result.code == 2:
        assert result.err.strip() or result.out.strip()  # something is said
        assert digest(db_path) == before


def import_bytes(run, db_path, tmp_path, data: bytes, *args: str, lang: str = "en",
                 suffix: str = ".csv"):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    before = digest(db_path)
    result = run("import", str(path), *args, lang=lang)
    check(result, db_path, before)
    return result


# --------------------------------------------------------------------------- the importer


@PROPERTY
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=3000),
       lang=st.sampled_from(["zh", "en"]), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
@example(prefix=ZIP, body=b"\x00" * 100, lang="zh", suffix=".xlsx")
@example(prefix=b"", body=b"\xff\xfe\x00\x00" * 50, lang="en", suffix=".csv")
def test_random_bytes(run, people, db_path, tmp_path, prefix, body, lang, suffix):
    import_bytes(run, db_path, tmp_path, prefix + body, lang=lang, suffix=suffix)


@PROPERTY
@given(text=st.text(max_size=400), encoding=st.sampled_from(ENCODINGS),
       forced=st.sampled_from([None, "gbk", "utf-8", "utf-16", "utf-32", "latin-1", "klingon",
                               "", "hex", "rot13", "zlib", "base64", "idna", "punycode",
                               "unicode_escape", "utf-7", "cp037"]),
       lang=st.sampled_from(["zh", "en"]))
@example(text="", encoding="utf-8", forced="utf-16", lang="zh")  # found: UTF-16 without BOM
@example(text="x", encoding="utf-8", forced="hex", lang="en")     # found: a bytes codec
def test_random_text_in_random_encodings(run, people, db_path, tmp_path, text, encoding,
                                         forced, lang):
    header = "工号,姓名,身份证号\n"
    data = (header + text).encode(encoding, errors="replace")
    args = () if forced is None else ("--encoding", forced)
    import_bytes(run, db_path, tmp_path, data, *args, lang=lang)


CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from([ID_ZHANG, ID_LI, ID_WANG, "3.10112E+17", "310112198805121000", "=1+2",
                     "@SUM(A1)", "'; DROP TABLE cases; --", "[bold]x[/bold]", "<script>",
                     "2026-02-30", "2026/7/26", "45123", "建筑工程", "flying", "", " ",
                     "\t", "\r\n", '"', "张伟"]),
)


@PROPERTY
@given(header=st.lists(st.one_of(st.sampled_from(ALIASES), st.text(max_size=12)),
                       max_size=12),
       rows=st.lists(st.lists(CELL, max_size=14), max_size=12),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]),
       delimiter=st.sampled_from([",", "\t", ";"]),
       flags=st.sampled_from([(), ("--strict",), ("--dry-run",)]))
@example(header=["姓名", "身份证号", "身份证号", "姓名"], rows=[["张伟", ID_ZHANG, ID_LI, "李娜"]],
         encoding="utf-8", delimiter=",", flags=())
def test_random_headers_and_rows(run, people, db_path, tmp_path, header, rows, encoding,
                                 delimiter, flags):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    result = import_bytes(run, db_path, tmp_path, data, *flags)
    if "--dry-run" in flags:
        assert result.code in (0, 1, 2)


def valid_row(name: str = "王五", number: str = ID_WANG) -> str:
    return f"E9,{name},{number},工程部\n"


HUGE = {
    "one 1 MB cell, no line break": "姓名,身份证号\n" + "x" * (1 << 20),
    "a 200,000-character field in a row": "姓名,身份证号,部门\n张伟," + ID_ZHANG + ","
    + "部" * 200_000 + "\n",
    "a 10,000-character name": "工号,姓名,身份证号,部门\n" + valid_row("张" * 10_000),
    "20,000 columns": ",".join(["姓名", "身份证号"] + [f"c{i}" for i in range(20_000)]) + "\n"
    + valid_row(),
    "30,000 blank lines before the header": "\n" * 30_000 + "工号,姓名,身份证号,部门\n" + valid_row(),
    "an unterminated quote": '工号,姓名,身份证号\nE1,"张伟,' + ID_ZHANG + "\n" * 100,
    "NUL bytes everywhere": "\x00".join("工号,姓名,身份证号\nE1,张伟," + ID_ZHANG + "\n"),
    "only separators": ",,,,,,\n" * 1000,
    "a header of formulas": "=cmd|' /C calc'!A0,@SUM(1),+1,-1\n1,2,3,4\n",
    "control characters": "工号,姓名,身份证号\n\x1b[31mE1,\x07张伟\x08," + ID_ZHANG + "\n",
    "lone surrogates as UTF-8 bytes": None,
}


@pytest.mark.parametrize("name", sorted(HUGE))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_huge_and_strange_files(run, people, db_path, tmp_path, name, lang):
    text = HUGE[name]
    data = (b"\xed\xa0\x80\xed\xb0\x80,\xed\xa0\x80\n" if text is None
            else text.encode("utf-8"))
    import_bytes(run, db_path, tmp_path, data, lang=lang)


def test_a_workbook_with_hostile_cells(run, people, db_path, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["工号", "姓名", "身份证号", "考试合格日期", "继续教育学时"])
    sheet.append(["E7", "=HYPERLINK(\"http://x\")", 3.10112e17, "not a date", "lots"])
    sheet.append(["E8", "<script>", ID_WANG, -5, float("inf")])
    sheet.append([None, "x" * 32_000, 1e308, 45123, 1e-300])
    path = tmp_path / "hostile.xlsx"
    workbook.save(path)
    before = digest(db_path)
    result = run("import", str(path))
    check(result, db_path, before)


# --------------------------------------------------------------------------- the command line

HOSTILE_COMMANDS = {
    "show an unknown case": (["show", "nobody"], "no such case", "找不到案件"),
    "event on an unknown case": (["event", "999", "open_review"], "no such case", "找不到案件"),
    "an unknown event": (["event", "E1", "fly_to_the_moon"], "unknown event", "未知操作"),
    "an event refused by its guard": (["event", "E2", "approve_registration"], "event refused",
                                      "操作被拒绝"),
    "a date that does not exist": (["event", "E2", "open_review", "--set",
                                    "review_deadline=2026-02-30"], "invalid value", "值无效"),
    "a date in no known format": (["event", "E2", "open_review", "--set",
                                   "review_deadline=next tuesday"], "invalid value", "值无效"),
    "a field the event cannot set": (["event", "E2", "open_review", "--set", "state=registered"],
                                     "cannot set", "不能设置"),
    "a malformed --set": (["event", "E2", "open_review", "--set", "review_deadline"],
                          "KEY=VALUE", "KEY=VALUE"),
    "a bad --today": (["--today", "2026-13-45", "list"], "invalid date", "日期无效"),
    "a bad --since": (["history", "--all", "--since", "yesterday"], "invalid date", "日期无效"),
    "bulk with an unknown event": (["bulk", "fly", "--state", "exam_passed"], "unknown event",
                                   "未知操作"),
    "bulk with an unknown state": (["bulk", "open_review", "--state", "nowhere"],
                                   "unknown state", "未知状态"),
    "an unknown material": (["material", "E1", "a_golden_ticket"], "unknown item", "未知材料"),
    "nothing to undo": (["undo", "E2"], "nothing to undo", "没有可撤销"),
    "history of an unknown case": (["history", "nobody"], "no such case", "找不到案件"),
    "an unknown command": (["frobnicate"], "No such command", "No such command"),
    "an ID number that fails its check": (["add", "--name", "王五", "--id-number",
                                           ID_WANG[:-1] + ("1" if ID_WANG[-1] != "1" else "2")],
                                          "invalid ID number", "身份证号无效"),
    "an SQL name for a case": (["show", "1; DROP TABLE cases; --"], "no such case",
                               "找不到案件"),
    "a markup case reference": (["show", "[bold]x[/bold]"], "[bold]x[/bold]", "[bold]x[/bold]"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("what", sorted(HOSTILE_COMMANDS))
def test_hostile_commands(run, people, db_path, lang, what):
    args, en, zh = HOSTILE_COMMANDS[what]
    before = digest(db_path)
    result = run(*args, lang=lang, today=None if args[0] == "--today" else TODAY)
    check(result, db_path, before)
    assert result.code == 2
    assert (en if lang == "en" else zh) in result.err + result.out


def test_a_missing_database_in_a_place_that_cannot_exist(run, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for lang, words in (("en", "cannot create the database file"), ("zh", "无法创建数据库文件")):
        result = run("list", db=blocker / "tracker.db", lang=lang)
        assert result.code == 2 and words in result.err and "Traceback" not in result.err
    assert blocker.read_text() == "not a folder"


def test_a_missing_database_is_created_private_and_empty_for_a_reading_command(run,
                                                                               tmp_path):
    target = tmp_path / "new" / "tracker.db"
    result = run("show", "E1", db=target, lang="zh")
    assert result.code == 2 and "找不到案件" in result.err
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def corrupt_schema(path) -> None:
    """Keep the 100-byte header, destroy the schema page behind it."""
    data = bytearray(path.read_bytes())
    data[100:4096] = bytes(range(256)) * 15 + bytes(range(196))
    path.write_bytes(bytes(data))


DAMAGES = {
    "garbage": lambda path: path.write_bytes(b"\x00garbage" * 512),
    "a spreadsheet saved over it": lambda path: path.write_bytes(ZIP + b"\x00" * 4000),
    "the schema page destroyed": corrupt_schema,
    "cut to its header": lambda path: path.write_bytes(path.read_bytes()[:100]),
}
COMMANDS = [("list",), ("show", "E1"), ("add", "--name", "王五", "--id-number", ID_WANG),
            ("event", "E2", "open_review", "--set", "review_deadline=2026-12-20"),
            ("bulk", "open_review", "--state", "exam_passed", "--set",
             "review_deadline=2026-12-20"), ("history", "--all"), ("backup",),
            ("import", "STAFF")]


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_corrupt_database_is_named_as_such_and_left_alone(run, people, db_path, tmp_path,
                                                           damage):
    staff = tmp_path / "staff.csv"
    staff.write_text("工号,姓名,身份证号\nE9,王五," + ID_WANG + "\n", encoding="utf-8")
    DAMAGES[damage](db_path)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"tracker.db{suffix}").unlink(missing_ok=True)
    damaged = db_path.read_bytes()
    for index, command in enumerate(COMMANDS):
        lang = ("en", "zh")[index % 2]
        args = [str(staff) if a == "STAFF" else a for a in command]
        result = run(*args, lang=lang)
        assert result.code == 2, (command, result.out, result.err)
        assert "Traceback" not in result.err
        words = ("not a tracker database", "damaged") if lang == "en" else \
            ("不是 tracker 数据库", "已损坏")
        assert all(w in result.err for w in words), (command, result.err)
        assert "restore" in result.err  # the way out is named
        assert db_path.read_bytes() == damaged, command
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


@pytest.fixture
def read_only(monkeypatch, db_path):
    """The database file opened read-only (as when its file or folder is not writable;
    tests run as root, whom file permissions do not stop, so SQLite is asked instead)."""
    real_connect = sqlite3.connect

    def connect(database, *args, **kwargs):
        if kwargs.get("check_same_thread") is False and str(database) == str(db_path):
            return real_connect(f"file:{database}?mode=ro", *args, uri=True, **kwargs)
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(store_db.sqlite3, "connect", connect)


WRITES = [("add", "--name", "王五", "--id-number", ID_WANG),
          ("event", "E2", "open_review", "--set", "review_deadline=2026-12-20"),
          ("material", "E2", "education_report"), ("undo", "E1"), ("import", "STAFF"),
          ("bulk", "open_review", "--state", "exam_passed", "--set",
           "review_deadline=2026-12-20"), ("ce-hours", "E1", "10")]


@pytest.mark.parametrize("lang, words", [("en", "read-only"), ("zh", "只读")])
def test_a_read_only_database_refuses_every_write_with_a_message(run, people, db_path,
                                                                 tmp_path, read_only, lang,
                                                                 words):
    staff = tmp_path / "staff.csv"
    staff.write_text("工号,姓名,身份证号\nE9,王五," + ID_WANG + "\n", encoding="utf-8")
    before = digest(db_path)
    for command in WRITES:
        args = [str(staff) if a == "STAFF" else a for a in command]
        result = run(*args, lang=lang)
        assert result.code == 2 and words in result.err, (command, result.err)
        assert "Traceback" not in result.err
        assert digest(db_path) == before
    assert run("list", "--format", "json").code == 0  # reading still works


class FullDisk(sqlite3.Connection):
    """A connection whose COMMIT fails as on a full disk (SQLITE_FULL)."""

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)


def fill_the_disk(monkeypatch, db_path) -> None:
    """From now on the tracker's connections to `db_path` fail at COMMIT."""
    real_connect = sqlite3.connect

    def connect(database, *args, **kwargs):
        if kwargs.get("check_same_thread") is False and str(database) == str(db_path):
            kwargs["factory"] = FullDisk
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(store_db.sqlite3, "connect", connect)


@pytest.fixture
def full_disk(monkeypatch, db_path):
    fill_the_disk(monkeypatch, db_path)


@pytest.mark.parametrize("lang, words", [("en", "the disk is full"), ("zh", "磁盘空间不足")])
def test_a_full_disk_at_commit_changes_nothing(run, people, db_path, tmp_path, full_disk,
                                               lang, words):
    staff = tmp_path / "staff.csv"
    staff.write_text("工号,姓名,身份证号\nE9,王五," + ID_WANG + "\n", encoding="utf-8")
    before = digest(db_path)
    for command in WRITES:
        args = [str(staff) if a == "STAFF" else a for a in command]
        result = run(*args, lang=lang)
        assert result.code == 2 and words in result.err, (command, result.err)
        assert "Traceback" not in result.err
        assert digest(db_path) == before


def test_after_a_failed_commit_the_connection_is_clean(db_path, monkeypatch):
    """A long-lived connection (the dashboard's) must not stay inside the failed
    transaction: later writes would join it and never be committed."""
    Database(db_path).close()
    fill_the_disk(monkeypatch, db_path)
    database = Database(db_path)
    ctx = Context(db=database, today=TODAY, actor="hr")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        service.add_case(ctx, name="张伟", id_number=ID_ZHANG)
    assert not database.conn.in_transaction
    monkeypatch.setattr(FullDisk, "execute", sqlite3.Connection.execute)  # space again
    service.add_case(ctx, name="李娜", id_number=ID_LI)
    database.close()
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT name FROM persons")] == ["李娜"]
    conn.close()


@pytest.mark.parametrize("lang, words", [("en", "busy in another program"), ("zh", "占用")])
def test_a_lock_held_too_long_is_a_message_not_a_hang(run, people, db_path, monkeypatch,
                                                      lang, words):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 20)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before_rows = holder.execute("SELECT count(*) FROM cases").fetchone()
        result = run("add", "--name", "王五", "--id-number", ID_WANG, lang=lang)
        assert result.code == 2 and words in result.err and "Traceback" not in result.err
        assert holder.execute("SELECT count(*) FROM cases").fetchone() == before_rows
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_every_character_class_in_a_name_round_trips(run, db_path):
    """Names with every kind of character are stored and read back exactly."""
    names = ["O'Brien", 'say "hi"', "a\\b", "50%_off", "ＡＢＣ全角", "𠀀𪚥", "e\u0301",
             "​zero​width", string.punctuation]
    for index, name in enumerate(names):
        number = ID_ZHANG[:14] + f"{index:03d}"
        from tracker.domain.idcard import check_digit

        number = number + check_digit(number)
        assert run("add", "--name", name, "--id-number", number).code == 0, name
    stored = [r["name"] for r in run("list", "--format", "json").json()]
    assert stored == [" ".join(n.split()) for n in names]
