"""Security: private files, masked ID numbers, neutralised spreadsheet cells, hostile text
shown literally, SQL only with parameters, an append-only history.

(`tracker serve` binding to loopback by default is tested in test_serve.py; CSV/XLSX
neutralising of the register and the HTML/Markdown escaping of sheets in test_export.py.)
"""
from __future__ import annotations

import ast
import csv
import io
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

from tracker.domain import idcard
from tracker.store import schema

from .conftest import ID_LI, ID_WANG, ID_ZHANG, make_id
from .reliability_support import record_sql, staff_csv

STORE = Path(__file__).resolve().parents[1] / "tracker" / "store"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The loosest umask: every private file must be private by itself, not by luck."""
    old = os.umask(0)
    yield
    os.umask(old)


# --------------------------------------------------------------------------- file modes


def test_every_file_holding_id_numbers_is_private_whatever_the_umask(run, db_path, tmp_path,
                                                                    open_umask):
    from tracker.services import cases as service
    from tracker.services.context import Context
    from tracker.store import Database

    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG).code == 0
    assert mode(db_path) == 0o600
    # While a connection is open, the WAL and its index exist: private too.
    database = Database(db_path)
    service.add_case(Context(db=database), name="李娜", id_number=ID_LI)
    for suffix in ("-wal", "-shm"):
        assert mode(f"{db_path}{suffix}") == 0o600, suffix
    database.close()
    staff = staff_csv(tmp_path / "staff.csv", 3)
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,身份证号\n王五," + ID_WANG[:-1] + "0\n", encoding="utf-8")
    errors = tmp_path / "errors.csv"
    assert run("import", str(staff)).code == 0                        # auto snapshot
    assert run("import", str(bad), "--errors", str(errors)).code == 2  # errors sheet
    assert run("bulk", "open_review", "--state", "exam_passed",
               "--set", "review_deadline=2026-12-20").code == 0       # auto snapshot
    assert run("backup").code == 0                                    # manual, in the folder
    assert run("backup", str(tmp_path / "copy.db")).code == 0          # manual, to a file
    assert run("restore", str(tmp_path / "copy.db")).code == 0         # what it replaced
    db_path.write_bytes(b"damaged")
    assert run("restore", str(tmp_path / "copy.db")).code == 0         # damaged bytes kept
    assert run("export-all", "--format", "csv", "--full-id",
               "-o", str(tmp_path / "register.csv")).code == 0
    folder = tmp_path / "backups"
    assert mode(folder) == 0o700
    kept = {p.name.rsplit(".", 2)[-2] for p in folder.iterdir()}
    assert kept == {"bulk", "damaged", "import", "manual", "restore"}
    for path in [db_path, errors, tmp_path / "copy.db", tmp_path / "register.csv",
                 *folder.iterdir()]:
        assert mode(path) == 0o600, path
    assert ID_WANG[:-1] + "0" in errors.read_text(encoding="utf-8-sig")  # why it matters


# --------------------------------------------------------------------------- ID numbers


@pytest.fixture
def person(run):
    assert run("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "E1",
               "--note", "建档").code == 0
    assert run("event", "E1", "open_review", "--set", "review_deadline=2026-12-20").code == 0
    new_number = make_id("31011219880512999")
    assert run("material", "E1", "police_certificate").code == 0  # R10a
    assert run("event", "E1", "change_personal_data", "--set",
               f"id_number={new_number}").code == 0
    return ID_ZHANG, new_number


OUTPUTS = [
    ("list",), ("list", "--format", "json"), ("list", "--format", "csv"),
    ("show", "E1"), ("show", "E1", "--format", "json"),
    ("history", "E1"), ("history", "E1", "--format", "json"), ("history", "E1", "--format", "csv"),
    ("history", "--all"), ("history", "--all", "--format", "json"),
    ("export", "E1", "--format", "md", "-o", "-"), ("export", "E1", "--format", "html", "-o", "-"),
    ("export", "E1", "--format", "json", "-o", "-"),
    ("export-all", "--format", "csv", "-o", "-"), ("export-all", "--format", "json", "-o", "-"),
    ("remind", "--format", "json"), ("remind",),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_output_shows_an_id_number_unless_asked(run, person, lang):
    old, new = person
    for command in OUTPUTS:
        result = run(*command, lang=lang)
        assert result.code == 0, (command, result.err)
        text = result.out + result.err
        for number in (old, new):  # the current one and the one in the history
            assert number not in text, command
            assert number[:17] not in text, command
    assert idcard.mask(new) in run("show", "E1", lang=lang).out


def test_full_id_numbers_only_when_asked(run, person):
    old, new = person
    for command in (("list", "--format", "json"), ("show", "E1", "--format", "json"),
                    ("history", "E1", "--format", "json"), ("history", "--all"),
                    ("export-all", "--format", "csv", "-o", "-")):
        text = run(*command, "--full-id").out
        assert new in text, command
    assert old in run("history", "--all", "--format", "json", "--full-id").out


# --------------------------------------------------------------------------- hostile text

HOSTILE_NAME = "'; DROP TABLE cases; --"
MARKUP_NAME = "[bold]红[/bold] <script>alert(1)</script>"
NOTE = "=HYPERLINK(\"http://x\",\"y\") [red]note[/red] [/] <b>"


@pytest.fixture
def hostile(run):
    for index, name in enumerate((HOSTILE_NAME, MARKUP_NAME)):
        number = make_id(f"3101121990010120{index}")
        assert run("add", "--name", name, "--id-number", number, "--employee-no",
                   f"@H{index}", "--department", "-部门").code == 0
        assert run("event", f"@H{index}", "add_note", "--note", NOTE).code == 0


def test_hostile_text_is_shown_literally_on_the_command_line(run, hostile, monkeypatch):
    from tracker.cli.output import console, err_console

    monkeypatch.setattr(console, "width", 250)
    monkeypatch.setattr(err_console, "width", 250)
    for ref, name in (("@H0", HOSTILE_NAME), ("@H1", MARKUP_NAME)):
        shown = run("show", ref)
        assert shown.code == 0 and name in shown.out and NOTE in shown.out
        assert NOTE in run("history", ref).out
    listed = run("list").out
    assert HOSTILE_NAME in listed and MARKUP_NAME in listed
    refused = run("event", "[/] [bold]", "open_review")
    assert refused.code == 2 and "[/] [bold]" in refused.err
    # The tables survived the names, and so did the data.
    assert [r["name"] for r in run("list", "--format", "json").json()] == [HOSTILE_NAME,
                                                                         MARKUP_NAME]


def test_the_audit_trail_csv_neutralises_formulas_and_json_keeps_values(run, hostile):
    rows = list(csv.reader(io.StringIO(run("history", "--all").out.removeprefix("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[:6] == ["id", "at", "case_id", "employee_no", "name", "id_number"]
    notes = [r[header.index("note")] for r in body if r[header.index("event")] == "add_note"]
    assert notes == ["'" + NOTE] * 2
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), cell
    objects = run("history", "--all", "--format", "json").json()
    assert {o["name"] for o in objects} == {HOSTILE_NAME, MARKUP_NAME}
    assert [o["note"] for o in objects if o["event"] == "add_note"] == [NOTE] * 2
    assert {o["employee_no"] for o in objects} == {"@H0", "@H1"}


# --------------------------------------------------------------------------- SQL

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|FROM|JOIN|ORDER BY|GROUP BY|"
                       r"VALUES|CREATE|DROP|PRAGMA|UNION|LIMIT|SET)\b|\bIN\s*\(|^\s*(AND|OR)\b")
#: Expressions interpolated into SQL in tracker/store, each reviewed: it is built from
#: column names of the schema, whitelists (SORTABLE, CASE_FIELDS…), constants or `?`
#: placeholders, never from what a user typed. A new one fails this test until reviewed:
#: user text goes in as a parameter, never into the SQL text.
REVIEWED = {
    "where", "order", "direction", "assignments", "column", "table", "columns", "name",
    "cte", "selected", "union", "join", "due", "state", "narrow", "only", "source",
    "day", "issued", "later", "valid_until", "until", "deadline", "window", "first_year",
    "c", "version", "BUSY_TIMEOUT_MS", "CASE_BASE", "_in(states)", "_in(list(kinds))", "_in(spec.flags)", "not_flag",
    "' AND '.join(person)", "' AND '.join(conditions)", "' UNION '.join(lookups)",
    "', '.join(columns)", "', '.join(STAGED_COLUMNS)",
    # store.dialect.insert_or_replace: the conflict key, column names like `columns`.
    "', '.join(key)",
    # store.deadlines.branches(): SQL text and kind names written in that function.
    "branch.due", "branch.where", "branch.kind",
    # The columns a history row's hash covers (store.chain.COLUMNS); the tracker's mark.
    "', '.join(COLUMNS)", "identity.APPLICATION_ID",
    # store.dialect: a fragment's condition, JSON key and tail length come from its
    # callers, whose arguments are checked by `_reviewed_fragment`.
    "condition", "key", "length",
    # store.cases.update_case: the updated_at and version parts, constants with `?`.
    "stamp", "check",
}
#: Safe by their form: `?` placeholders, and numbers (an int or a float prints as digits).
PLACEHOLDERS = re.compile(r"^('[^']*'\.join\()?'\?' \* len\([\w.()]+\)\)?$")
NUMBERS = re.compile(r"^-?(int|float)\(.*\)$")


def sql_interpolations() -> list[tuple[str, int, str]]:
    """(file, line, expression) for every expression interpolated into an f-string whose
    literal text reads as SQL, in tracker/store."""
    found = []
    for path in sorted(STORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            literal = " ".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if not SQL_WORDS.search(literal):
                continue
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    found.append((path.name, node.lineno, ast.unparse(value.value)))
    return found


def _reviewed(node: ast.expr) -> bool:
    """A constant, a reviewed expression, or an f-string of reviewed expressions."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) or _reviewed(v.value) for v in node.values)
    return ast.unparse(node) in REVIEWED


def _reviewed_fragment(expression: str) -> bool:
    """A fragment of store.dialect (`dialect.add_days(…)`) whose arguments are reviewed."""
    node = ast.parse(expression, mode="eval").body
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and ast.unparse(node.func.value) in ("dialect", "database.dialect")
            and all(_reviewed(a) for a in node.args) and not node.keywords)


def test_sql_text_interpolates_only_reviewed_identifiers():
    found = sql_interpolations()
    assert len(found) > 20  # the scan does see the store's SQL
    unreviewed = [f for f in found if f[2] not in REVIEWED
                  and not PLACEHOLDERS.match(f[2]) and not NUMBERS.match(f[2])
                  and not _reviewed_fragment(f[2])]
    assert unreviewed == [], (
        "SQL built with an expression nobody has reviewed (user text must be a ? "
        f"parameter; if this is a column name or a constant, add it to REVIEWED): {unreviewed}")


def test_no_string_formatting_of_sql_other_than_f_strings():
    for path in sorted(STORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and \
                    isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
                assert not SQL_WORDS.search(node.left.value), (path.name, node.lineno)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "format" and isinstance(node.func.value, ast.Constant):
                assert not SQL_WORDS.search(str(node.func.value.value)), (path.name,
                                                                          node.lineno)


MARK = "Zq9'\"--"


def test_what_users_type_never_reaches_the_sql_text(run, db_path, tmp_path, monkeypatch):
    """Every command that takes text, fed with a marked hostile value: the SQL the
    tracker runs never contains it (it travels as a bound parameter)."""
    statements = record_sql(monkeypatch)
    staff = tmp_path / "staff.csv"
    staff.write_text(f"工号,姓名,身份证号,部门,公司,手机\nX{MARK},王{MARK},{ID_WANG},{MARK},"
                     f"{MARK},13800000009\n", encoding="utf-8")
    ids = tmp_path / "ids.txt"
    ids.write_text(f"E{MARK}\n{MARK}\n", encoding="utf-8")
    commands = [
        ("add", "--name", f"张{MARK}", "--id-number", ID_ZHANG, "--employee-no", f"E{MARK}",
         "--department", MARK, "--company", MARK, "--phone", "13800000008",
         "--address", MARK, "--note", MARK),
        # A phone that is no phone is refused before any SQL (R14a).
        ("add", "--name", "赵敏", "--id-number", ID_LI, "--phone", MARK),
        ("add", "--name", "李娜", "--id-number", ID_LI, "--specialty", MARK),
        ("import", str(staff)),
        ("list", "--search", MARK), ("list", "--search", "zq"), ("list", "--department", MARK),
        ("list", "--company", MARK), ("list", "--state", MARK),
        ("show", f"E{MARK}"), ("show", MARK),
        ("event", f"E{MARK}", "add_note", "--note", MARK),
        ("event", f"E{MARK}", "open_review", "--set", f"review_deadline={MARK}"),
        ("event", f"E{MARK}", MARK),
        ("event", f"E{MARK}", "change_personal_data", "--set", f"department={MARK}2"),
        ("material", f"E{MARK}", "education_report"), ("material", f"E{MARK}", MARK),
        ("undo", f"E{MARK}", "--note", MARK),
        ("bulk", "open_review", "--ids-file", str(ids), "--note", MARK,
         "--set", "review_deadline=2026-12-20"),
        ("bulk", "add_note", "--search", MARK, "--note", MARK),
        ("history", f"E{MARK}"), ("history", MARK), ("history", "--all", "--since", MARK),
        ("export", f"E{MARK}", "-o", "-"), ("export-all", "--search", MARK, "-o", "-"),
        ("remind", "--search", MARK), ("ce-hours", f"E{MARK}", "5", "--note", MARK),
        ("notice", "add", "--kind", "review", "--exam-year", "2026", "--deadline",
         "2026-12-20", "--title", MARK, "--ref", MARK),
    ]
    for command in commands:
        result = run(*command)
        assert result.code in (0, 1, 2) and "Traceback" not in result.err, command
    assert len(statements) > 100
    leaked = [s for s in statements if "Zq9" in s]
    assert leaked == []
    # …and the marked values were stored, as typed.
    conn = sqlite3.connect(db_path)
    names = {r[0] for r in conn.execute("SELECT name FROM persons")}
    notes = {r[0] for r in conn.execute("SELECT note FROM history WHERE note IS NOT NULL")}
    conn.close()
    assert f"张{MARK}" in names and f"王{MARK}" in names and MARK in notes


# --------------------------------------------------------------------------- history

HISTORY_REWRITE = re.compile(
    r"\b(UPDATE\s+(OR\s+\w+\s+)?|DELETE\s+FROM\s+|REPLACE\s+INTO\s+|INSERT\s+OR\s+REPLACE\s+"
    r"INTO\s+|DROP\s+TABLE\s+(IF\s+EXISTS\s+)?|ALTER\s+TABLE\s+)(main\.)?\"?history\b"
    r"|\bDROP\s+TRIGGER\b", re.IGNORECASE)


def history_rows(db_path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT * FROM history ORDER BY id").fetchall()
    finally:
        conn.close()


def test_every_write_path_only_appends_to_the_history(run, db_path, tmp_path, monkeypatch):
    """Each command that writes, one after another: the history before it is always an
    unchanged prefix of the history after it, and no statement run could rewrite it."""
    statements = record_sql(monkeypatch)
    staff = staff_csv(tmp_path / "staff.csv", 4)
    changed = tmp_path / "changed.csv"
    changed.write_text(staff.read_text(encoding="utf-8").replace("工程部", "技术部"),
                       encoding="utf-8")
    saved = tmp_path / "saved.db"
    commands = [
        ("add", "--name", "张伟", "--id-number", ID_ZHANG, "--employee-no", "Z1",
         "--exam-year", "2025"),
        ("import", str(staff)), ("import", str(changed)),
        ("event", "Z1", "open_review", "--set", "review_deadline=2026-12-20"),
        ("material", "Z1", "education_report"), ("material", "Z1", "education_report",
                                                 "--remove"),
        ("undo", "Z1"), ("undo", "Z1"),
        ("material", "Z1", "police_certificate"),
        ("event", "Z1", "change_personal_data", "--set", "name=张伟伟"),
        ("bulk", "add_note", "--state", "exam_passed", "--note", "批量备注"),
        ("notice", "add", "--kind", "review", "--exam-year", "2026", "--deadline",
         "2026-12-20"),
        ("ce-hours", "Z1", "12"), ("sweep",), ("backup", str(saved)),
        ("event", "Z1", "add_note", "--note", "after the backup"),
    ]
    before = history_rows(db_path) if db_path.exists() else []
    for command in commands:
        result = run(*command)
        assert result.code in (0, 1), (command, result.err)
        after = history_rows(db_path)
        assert after[:len(before)] == before, command
        assert len(after) > len(before) or command[0] in ("backup", "sweep"), command
        before = after
    # The migrations ran once, on the new file: migration 6 seals the rows already
    # there with their hash (a row's other columns can never be set, by trigger).
    migrations = {s for m in schema.MIGRATIONS for s in schema._statements(m)}
    rewrites = [s for s in statements if HISTORY_REWRITE.search(s) and s not in migrations]
    assert rewrites == []
    assert any(re.search(r"INSERT INTO history", s) for s in statements)
    # Only `tracker restore` replaces the history, as part of the whole file, and it
    # keeps the database it replaced.
    assert run("restore", str(saved)).code == 0
    [kept] = (tmp_path / "backups").glob("tracker.*.restore.db")
    assert history_rows(kept) == before
