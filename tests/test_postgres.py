"""The PostgreSQL store, phase 1: the connection, the schema, companies and officers
(row-level security enforced by the server), and migrate-to. Against a real server
(tests/pg.py starts one; without PostgreSQL these are skipped, except on CI)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import ID_LI, ID_WANG, ID_ZHANG, make_id

from tracker.errors import StoreError
from tracker.store.dialect import POSTGRESQL, SQLITE
from tracker.store.postgres import schema as pg_schema
from tracker.store.postgres.db import PgDatabase, display_url, error_kind, translate
from tracker.store.schema import SCHEMA_VERSION

psycopg = pytest.importorskip("psycopg", reason="the postgres extra is not installed")

COMPANY_A, COMPANY_B = "上海建工一公司", "上海建工二公司"
ID_QIU = make_id("31011019750303111")


# --------------------------------------------------------------------------- no server


def test_parameters_are_translated_outside_quotes_only():
    sql = "SELECT x::text, :name, ? FROM t WHERE y LIKE '%?:b' AND z = \"a?\" -- ? :c\n"
    assert translate(sql) == ("SELECT x::text, %(name)s, %s FROM t WHERE y LIKE '%%?:b'"
                              " AND z = \"a?\" -- ? :c\n")
    assert translate("SELECT 'it''s ?' , ?") == "SELECT 'it''s ?' , %s"


def test_server_errors_become_store_error_kinds():
    assert error_kind("40001") == "conflict"          # serialization failure
    assert error_kind("40P01") == "conflict"          # deadlock
    assert error_kind("55P03") == "locked"            # lock timeout
    assert error_kind("25006") == "read_only"
    assert error_kind("42501") == "permission_denied"
    assert error_kind("53100") == "disk_full"
    assert error_kind("08006") == "cannot_connect"
    assert error_kind("42P01") == "error"
    assert error_kind(None, connection_failed=True) == "cannot_connect"


def test_a_password_never_shows_in_messages():
    assert display_url("postgresql://hr:s3cret@db.example:5432/tracker") == \
        "postgresql://hr@db.example:5432/tracker"


def test_the_sqlite_path_never_loads_the_driver(run, db_path):
    """SQLite needs nothing more installed and pays for nothing more: psycopg is loaded
    only for a PostgreSQL URL."""
    import subprocess
    import sys

    assert run("add", "--name", "曾伟", "--id-number", ID_ZHANG, "--employee-no", "E1").code == 0
    script = (f"import sys; from tracker.cli import main; main(['--db', {str(db_path)!r},"
              " 'show', 'E1']); main(['--db', " + repr(str(db_path)) + ", 'list']);"
              " print(sorted(m for m in sys.modules if m.startswith('psycopg')),"
              " file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_postgresql_has_every_schema_version_sqlite_has():
    """One definition of the versions: a migration appended to tracker.store.schema needs
    its PostgreSQL text in tracker.store.postgres.schema.LATER (docs/postgresql-design.md)."""
    assert pg_schema.PG_SCHEMA_VERSION == SCHEMA_VERSION


def test_the_fragments_give_sqlite_the_sql_it_had():
    assert SQLITE.materialized() == "MATERIALIZED "
    assert SQLITE.add_days("d", "?") == "date(d, '+' || ? || ' days')"
    assert SQLITE.ids_in("id") == "id IN (SELECT value FROM json_each(?))"
    assert POSTGRESQL.insert_or_replace("meta", ("key", "value"), ("key",)) == (
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key)"
        " DO UPDATE SET value = EXCLUDED.value")


# --------------------------------------------------------------------------- schema


def test_a_new_database_gets_the_schema_and_a_newer_one_is_refused(pg_url):
    with PgDatabase(pg_url) as database:
        assert database.schema_version == SCHEMA_VERSION
        database.execute("UPDATE tracker_schema SET version = ?", [SCHEMA_VERSION + 1])
    with pytest.raises(StoreError) as refused:
        PgDatabase(pg_url)
    assert refused.value.kind == "too_new"
    with psycopg.connect(pg_url) as conn:  # and it was left as it was
        assert conn.execute("SELECT version FROM tracker_schema").fetchone()[0] == \
            SCHEMA_VERSION + 1


def test_the_dialect_functions_read_days_and_json_as_sqlite_does(pg_url):
    with PgDatabase(pg_url) as database:
        row = database.execute(
            "SELECT tracker_iso_day(?), tracker_iso_day(?), tracker_iso_day(?),"
            " tracker_iso_day(?), tracker_json(?), tracker_json(?) ->> 'a'",
            ["2024-02-29T09:00:00", "2026-02-29", "0999-12-31", "2026-13-01", "{bad",
             '{"a": "曾"}']).fetchone()
        assert row == ("2024-02-29", None, None, None, None, "曾")
        assert database.execute(f"SELECT {POSTGRESQL.add_days('?', '?')}",
                                ["2026-12-31", 1]).fetchone()[0] == "2027-01-01"


def test_history_is_append_only_even_for_the_owner(pg_url):
    with PgDatabase(pg_url) as database:
        with database.transaction():
            person = database.insert_returning_id(
                "INSERT INTO persons (id_number, name, created_at, updated_at)"
                " VALUES (?, ?, ?, ?)", [ID_ZHANG, "曾伟", "2026-11-25", "2026-11-25"])
            case = database.insert_returning_id(
                "INSERT INTO cases (person_id, state, created_at, updated_at)"
                " VALUES (?, 'exam_passed', ?, ?)", [person, "2026-11-25", "2026-11-25"])
            database.execute("INSERT INTO history (case_id, at, actor, event, to_state)"
                             " VALUES (?, ?, 'hr', 'add', 'exam_passed')", [case, "2026-11-25"])
        for statement in ("UPDATE history SET actor = 'x'", "DELETE FROM history",
                          "TRUNCATE history"):
            with pytest.raises(StoreError) as refused:
                database.execute(statement)
            assert refused.value.kind == "permission_denied"
            assert "append-only" in refused.value.detail
        assert database.execute("SELECT actor FROM history").fetchone()[0] == "hr"


def test_the_server_s_refusals_become_the_user_s_kinds(pg_url):
    """Read-only, a lock held too long, and a serialisation conflict, as StoreError
    kinds; each transaction rolled back."""
    with PgDatabase(pg_url) as database, psycopg.connect(pg_url) as other:
        database.execute("SET default_transaction_read_only = on")
        with pytest.raises(StoreError) as refused, database.transaction():
            database.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        assert refused.value.kind == "read_only"
        database.execute("SET default_transaction_read_only = off")

        other.execute("LOCK TABLE meta IN ACCESS EXCLUSIVE MODE")  # holds it: a transaction
        database.execute("SET lock_timeout = '100ms'")
        with pytest.raises(StoreError) as refused, database.transaction():
            database.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        assert refused.value.kind == "locked"
        other.rollback()

        database.execute("INSERT INTO meta (key, value) VALUES ('n', '0')")
        with pytest.raises(StoreError) as refused, database.transaction():
            database.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            assert database.execute("SELECT value FROM meta WHERE key = 'n'").fetchone()
            other.execute("UPDATE meta SET value = '1' WHERE key = 'n'")
            other.commit()
            database.execute("UPDATE meta SET value = '2' WHERE key = 'n'")
        assert refused.value.kind == "conflict"
        assert database.execute("SELECT value FROM meta WHERE key = 'n'").fetchone()[0] == "1"


# --------------------------------------------------------------------------- officers


@pytest.fixture
def group(pg_url, run, tmp_path):
    """A group database: two companies' staff moved up from SQLite, `admin init` done,
    officer 曾丽 for company A, officer 单强 for company B, manager 解明 for all."""
    source = tmp_path / "office.db"
    for name, id_number, company in (("张伟", ID_ZHANG, COMPANY_A), ("李娜", ID_LI, COMPANY_A),
                                     ("欧阳娜娜", ID_WANG, COMPANY_B),
                                     ("仇涛", ID_QIU, COMPANY_B)):
        assert run("add", "--name", name, "--id-number", id_number, "--company", company,
                   "--specialty", "建筑工程", db=source).code == 0
    assert run("admin", "init", "--url", pg_url).code == 0
    assert run("migrate-to", pg_url, db=source).code == 0
    for name, scope in (("曾丽", ["--company", COMPANY_A]), ("单强", ["--company", COMPANY_B]),
                        ("解明", ["--all"])):
        result = run("admin", "officer", "add", name, *scope, "--url", pg_url)
        assert result.code == 0, result.err
    return pg_url


@pytest.fixture
def as_role(group, pg_connect_as):
    """as_role(role): a session on the group database logged in as that officer."""
    return lambda role: pg_connect_as(group, role)


def test_an_officer_sees_only_their_companies_rows(as_role, group):
    with as_role("曾丽") as conn:
        assert {r[0] for r in conn.execute("SELECT company FROM persons")} == {COMPANY_A}
        assert {r[0] for r in conn.execute("SELECT name FROM case_view")} == {"张伟", "李娜"}
        cases = [r[0] for r in conn.execute("SELECT id FROM cases")]
        assert len(cases) == 2
        assert {r[0] for r in conn.execute("SELECT case_id FROM history")} == set(cases)
    with as_role("解明") as conn:
        assert conn.execute("SELECT count(*) FROM case_view").fetchone()[0] == 4


def test_an_officer_cannot_change_another_companys_rows(as_role, group):
    with as_role("单强") as conn:
        b_case = conn.execute("SELECT id FROM cases").fetchone()[0]
    with as_role("曾丽") as conn:
        assert conn.execute("UPDATE cases SET state = 'registered' WHERE id = %s",
                            [b_case]).rowcount == 0
        assert conn.execute("UPDATE persons SET phone = '1' WHERE company = %s",
                            [COMPANY_B]).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # WITH CHECK
            conn.execute("INSERT INTO persons (id_number, name, company, created_at,"
                         " updated_at) VALUES ('x', '解', %s, 'now', 'now')", [COMPANY_B])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO history (case_id, at, actor, event, to_state)"
                         " VALUES (%s, 'now', 'x', 'note', 'registered')", [b_case])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # not their company now
            conn.execute("UPDATE persons SET company = %s", [COMPANY_B])
    with as_role("单强") as conn:
        assert conn.execute("SELECT state FROM cases WHERE id = %s",
                            [b_case]).fetchone()[0] == "exam_passed"


def test_the_store_connection_of_an_officer_is_refused_as_permission_denied(group,
                                                                          pg_url_as):
    with PgDatabase(pg_url_as(group, "曾丽"), create=False) as db:
        assert db.execute("SELECT count(*) FROM persons").fetchone()[0] == 2
        with pytest.raises(StoreError) as refused:
            db.execute("DELETE FROM history")
        assert refused.value.kind == "permission_denied"


def test_an_officer_may_not_rewrite_history_and_is_its_actor(as_role, group):
    with as_role("曾丽") as conn:
        case = conn.execute("SELECT id FROM cases ORDER BY id").fetchone()[0]
        for statement in ("UPDATE history SET note = 'x'", "DELETE FROM history",
                          "TRUNCATE history"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        conn.execute("INSERT INTO history (case_id, at, actor, event, from_state, to_state)"
                     " VALUES (%s, '2026-11-25T10:00:00', 'someone else', 'note',"
                     " 'exam_passed', 'exam_passed')", [case])
        assert conn.execute("SELECT actor FROM history ORDER BY id DESC").fetchone()[0] == \
            "曾丽"


def test_officer_add_refuses_an_unclear_scope(pg_url, run):
    assert run("admin", "init", "--url", pg_url).code == 0
    result = run("admin", "officer", "add", "曾丽", "--url", pg_url, lang="zh")
    assert result.code == 2 and "--company" in result.err and "Traceback" not in result.err
    result = run("admin", "officer", "add", "曾丽", "--all", "--company", COMPANY_A,
                 "--url", pg_url)
    assert result.code == 2
    result = run("admin", "officer", "add", "", "--all", "--url", pg_url)
    assert result.code == 2 and "cannot be used" in result.err


def test_officer_add_warns_of_a_company_with_nobody(group, run):
    result = run("admin", "officer", "add", "曾丽", "--company", "上海建工三公司",
                 "--url", group, lang="zh")
    assert result.code == 0
    assert "已存在" in result.out and "上海建工三公司（目前 0 人）" in result.out
    assert "上海建工一公司（目前 2 人）" in result.out


def test_admin_needs_a_postgresql_url(run, db_path):
    result = run("admin", "init", "--url", str(db_path), lang="zh")
    assert result.code == 2 and "PostgreSQL" in result.err and "Traceback" not in result.err


def test_init_twice_changes_nothing(as_role, group, run):
    assert run("admin", "init", "--url", group).code == 0
    with as_role("曾丽") as conn:
        assert conn.execute("SELECT count(*) FROM persons").fetchone()[0] == 2


# --------------------------------------------------------------------------- migrate-to


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_migrate_to_copies_the_demo_and_leaves_the_file_alone(pg_url, run, tmp_path):
    demo = tmp_path / "demo.db"
    assert run("demo", "--no-ui", "--path", str(demo)).code == 0
    before = _sha(demo)
    result = run("migrate-to", pg_url, db=demo)
    assert result.code == 0, result.err
    assert _sha(demo) == before
    import sqlite3

    lite = sqlite3.connect(demo)
    with psycopg.connect(pg_url) as conn:
        for table in pg_schema.TABLES:
            n = lite.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, table
        at_actor = conn.execute("SELECT at, actor FROM history ORDER BY id").fetchall()
        assert at_actor == lite.execute("SELECT at, actor FROM history ORDER BY id").fetchall()
    cases = lite.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert f"history of {cases} cases replays" in result.out
    # A new row after the copy gets a new id (the sequences moved past the copied ones).
    with PgDatabase(pg_url) as database:
        new = database.insert_returning_id(
            "INSERT INTO notices (kind, exam_year, recorded_at, actor) VALUES"
            " ('exam', 2027, 'now', 'hr')")
        assert new > lite.execute("SELECT max(id) FROM notices").fetchone()[0]


def test_migrate_to_refuses_a_database_that_holds_data(pg_url, run, db_path):
    assert run("add", "--name", "单丽", "--id-number", ID_LI).code == 0
    assert run("migrate-to", pg_url).code == 0
    assert run("add", "--name", "解明", "--id-number", ID_ZHANG).code == 0
    result = run("migrate-to", pg_url, lang="zh")
    assert result.code == 2 and "已有数据" in result.err
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT name FROM persons").fetchall() == [("单丽",)]


def test_migrate_to_names_a_file_that_is_not_a_database(pg_url, run, db_path):
    db_path.write_text("员工名单", encoding="utf-8")
    result = run("migrate-to", pg_url)
    assert result.code == 2 and str(db_path) in result.err and "Traceback" not in result.err


def test_migrate_to_names_a_row_postgresql_refuses_and_copies_nothing(pg_url, run, db_path):
    assert run("add", "--name", "曾伟", "--id-number", ID_ZHANG).code == 0
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE persons SET phone = 'a' || char(0) || 'b'")  # NUL: not text there
    conn.commit()
    conn.close()
    result = run("migrate-to", pg_url)
    assert result.code == 2 and "persons" in result.err and "Traceback" not in result.err
    with psycopg.connect(pg_url) as pg:
        assert pg.execute("SELECT count(*) FROM persons").fetchone()[0] == 0


def test_a_database_owner_who_is_not_a_superuser_can_run_it_all(pg_server, pg_url_as,
                                                                 run, tmp_path):
    """As in a group's IT: the administrator owns the database and may create roles,
    nothing more. The copied history keeps its actors; officers' rows get theirs."""
    sql = psycopg.sql
    owner, dbname = "hr_admin_t", "owned_by_hr"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute("CREATE ROLE hr_admin_t LOGIN CREATEROLE")
        admin.execute(f'CREATE DATABASE "{dbname}" OWNER hr_admin_t')
    try:
        url = pg_url_as(pg_server.replace("/postgres?", f"/{dbname}?"), owner)
        source = tmp_path / "office.db"
        assert run("add", "--name", "曾伟", "--id-number", ID_ZHANG, "--company", COMPANY_A,
                   db=source).code == 0
        for args in (["admin", "init", "--url", url], ["migrate-to", url],
                     ["admin", "officer", "add", "仇芳", "--company", COMPANY_A, "--url", url]):
            result = run(*args, db=source)
            assert result.code == 0, result.err
        with psycopg.connect(pg_url_as(url, "仇芳"), autocommit=True) as conn:
            case = conn.execute("SELECT id FROM cases").fetchone()[0]
            conn.execute("INSERT INTO history (case_id, at, actor, event, from_state,"
                         " to_state) VALUES (%s, 'now', 'x', 'note', 'exam_passed',"
                         " 'exam_passed')", [case])
            actors = [r[0] for r in conn.execute("SELECT actor FROM history ORDER BY id")]
        assert actors[-1] == "仇芳" and actors[0] != "仇芳"  # the copied row kept its actor
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            for role in ("仇芳", f"{dbname}_officer", f"{dbname}_manager", owner):
                admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def test_a_password_is_sent_as_a_scram_verifier(group, pg_server):
    from click.testing import CliRunner

    from tracker.cli.app import cli

    result = CliRunner().invoke(cli, ["admin", "officer", "add", "单强", "--company",
                                      COMPANY_B, "--password", "--url", group],
                                input="正确 horse\n正确 horse\n")
    assert result.exit_code == 0, result.output
    with psycopg.connect(pg_server) as admin:
        stored = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = '单强'"
                               ).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$") and "horse" not in stored
