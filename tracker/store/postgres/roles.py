"""Companies and officers on PostgreSQL: roles, privileges and row-level security.

`tracker admin init` (run by the database's owner) makes, in this order and idempotently:

- two group roles of this database, `<db>_officer` and `<db>_manager` (a manager is an
  officer who sees every company); nobody else may connect to the database;
- the table `tracker_officer_companies` (login role -> company), readable by each role
  for its own rows only;
- privileges: officers read and write persons, cases, materials, notices and their links,
  but may only INSERT into the append-only tables (history, calendar) — no UPDATE, no
  DELETE, no TRUNCATE (and the triggers of the schema refuse those to everyone);
- row-level security: a person is visible (and writable) to an officer when its company
  is one of the officer's; a case when its person is; history, materials and notice links
  when their case is. The policies read through each other (a case policy asks the
  persons table, itself filtered), so one rule, the company, decides everything. Views are
  security_invoker: `case_view` is filtered the same way. Notices, the calendar and the
  schema version are shared by all: they are public announcements, not personal data.
- the actor of a history row, a notice or a calendar version is the logged-in role
  (a trigger overwrites what the program sends), unless the session belongs to the owner
  (migrate-to copies the actors of the SQLite history as they were).

The table owner and superusers are not subject to row-level security (PostgreSQL's rule):
the owner role is the administrator's, never an officer's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .db import PgDatabase, driver

#: Tables under row-level security, with the policy's condition.
POLICIES = {
    "persons": "tracker_sees_company(company)",
    "cases": "EXISTS (SELECT 1 FROM persons p WHERE p.id = cases.person_id)",
    "materials": "EXISTS (SELECT 1 FROM cases c WHERE c.id = materials.case_id)",
    "history": "EXISTS (SELECT 1 FROM cases c WHERE c.id = history.case_id)",
    "notice_deadlines": "EXISTS (SELECT 1 FROM cases c WHERE c.id = notice_deadlines.case_id)",
    "notify_sent": "EXISTS (SELECT 1 FROM cases c WHERE c.id = notify_sent.case_id)",
    "staff_notified": "EXISTS (SELECT 1 FROM cases c WHERE c.id = staff_notified.case_id)",
    "ce_courses": "EXISTS (SELECT 1 FROM cases c WHERE c.id = ce_courses.case_id)",
}
#: Privileges of the officer group, per table (nothing else is granted).
GRANTS = {
    "persons": "SELECT, INSERT, UPDATE",
    "cases": "SELECT, INSERT, UPDATE",
    "materials": "SELECT, INSERT, DELETE",
    "history": "SELECT, INSERT",
    "calendar": "SELECT, INSERT",
    "notices": "SELECT, INSERT, UPDATE",
    "notice_deadlines": "SELECT, INSERT, UPDATE, DELETE",
    # channels hold delivery secrets: officers read the list; a manager (the owner) edits
    "channels": "SELECT",
    "notify_sent": "SELECT, INSERT",
    "notify_log": "SELECT, INSERT",
    "staff_notified": "SELECT, INSERT",
    "ce_courses": "SELECT, INSERT, DELETE",
    "current_materials": "SELECT",
    "notice_changes": "SELECT, INSERT",
    "name_readings_stale": "SELECT, DELETE",
    "meta": "SELECT",
    "tracker_schema": "SELECT",
    "tracker_officer_companies": "SELECT",
    "case_view": "SELECT",
    "exam_sittings": "SELECT",
}
#: Tables whose `actor` is the logged-in role.
ACTOR_TABLES = ("history", "notices", "calendar")


@dataclass(frozen=True)
class GroupRoles:
    officer: str
    manager: str


def group_roles(database: PgDatabase) -> GroupRoles:
    """The group roles of the connected database (named after it: one cluster may hold
    several tracker databases, each with its own officers)."""
    name = database.execute("SELECT current_database()").fetchone()[0]
    return GroupRoles(officer=f"{name}_officer"[:63], manager=f"{name}_manager"[:63])


def _role_exists(database: PgDatabase, role: str) -> bool:
    return database.execute("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)",
                            [role]).fetchone()[0]


def _sql(database: PgDatabase, template: str, **identifiers: str):
    """A statement with quoted identifiers ({name} -> "name") run as it is: DDL takes no
    bound parameters."""
    sql = driver().sql
    statement = sql.SQL(template).format(**{k: sql.Identifier(v)
                                            for k, v in identifiers.items()})
    database.conn.execute(statement)


def _literal(database: PgDatabase, text: str) -> str:
    """A string constant for DDL (a role name inside a function body)."""
    return driver().sql.Literal(text).as_string(database.conn)


def install(database: PgDatabase) -> GroupRoles:
    """Roles, privileges, policies and actor triggers (the caller holds the transaction;
    running it again changes nothing)."""
    roles = group_roles(database)
    for role in (roles.officer, roles.manager):
        if not _role_exists(database, role):
            _sql(database, "CREATE ROLE {role} NOLOGIN", role=role)
    _sql(database, "GRANT {officer} TO {manager}", officer=roles.officer,
         manager=roles.manager)
    dbname = database.execute("SELECT current_database()").fetchone()[0]
    _sql(database, "REVOKE ALL ON DATABASE {db} FROM PUBLIC", db=dbname)
    # TEMPORARY: the import stages its rows in a temporary table.
    _sql(database, "GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {officer}", db=dbname,
         officer=roles.officer)
    _sql(database, "GRANT USAGE ON SCHEMA public TO {officer}", officer=roles.officer)
    database.conn.execute(
        "CREATE TABLE IF NOT EXISTS tracker_officer_companies ("
        " role_name name NOT NULL, company ctext NOT NULL,"
        " PRIMARY KEY (role_name, company))")
    _company_function(database, roles)
    for table, privileges in GRANTS.items():
        _sql(database, f"REVOKE ALL ON {{table}} FROM {{officer}}; GRANT {privileges}"
             " ON {table} TO {officer}", table=table, officer=roles.officer)
    _sql(database, "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {officer}",
         officer=roles.officer)
    _policies(database, roles)
    _actor_triggers(database)
    return roles


def _company_function(database: PgDatabase, roles: GroupRoles) -> None:
    # SECURITY INVOKER and plain SQL: the planner inlines it into the policy.
    database.conn.execute(
        "CREATE OR REPLACE FUNCTION tracker_sees_company(company text) RETURNS boolean"
        " LANGUAGE sql STABLE AS $$"
        f" SELECT pg_has_role(current_user, {_literal(database, roles.manager)}, 'MEMBER')"
        " OR EXISTS (SELECT 1 FROM tracker_officer_companies o"
        " WHERE o.role_name = current_user AND o.company = $1) $$")


def _policies(database: PgDatabase, roles: GroupRoles) -> None:
    tables = {**POLICIES, "tracker_officer_companies": "role_name = current_user"}
    for table, condition in tables.items():
        _sql(database, "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY", table=table)
        _sql(database, "DROP POLICY IF EXISTS tracker_company ON {table}", table=table)
        _sql(database, f"CREATE POLICY tracker_company ON {{table}} TO {{officer}}"
             f" USING ({condition}) WITH CHECK ({condition})", table=table,
             officer=roles.officer)


def _actor_triggers(database: PgDatabase) -> None:
    database.conn.execute(
        "CREATE OR REPLACE FUNCTION tracker_logged_in_actor() RETURNS trigger"
        " LANGUAGE plpgsql AS $$ BEGIN"
        " IF NOT pg_has_role(session_user,"
        " (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN"
        " NEW.actor := session_user; END IF; RETURN NEW; END $$")
    for table in ACTOR_TABLES:
        _sql(database, "DROP TRIGGER IF EXISTS tracker_actor ON {table}", table=table)
        _sql(database, "CREATE TRIGGER tracker_actor BEFORE INSERT ON {table} FOR EACH ROW"
             " EXECUTE FUNCTION tracker_logged_in_actor()", table=table)


# --------------------------------------------------------------------------- officers


def add_officer(database: PgDatabase, name: str, companies: Sequence[str], *,
                all_companies: bool, password_verifier: str | None = None) -> bool:
    """A login role in the officer group (new, or an existing role joined to it), seeing
    `companies` (added to those it had) or, with `all_companies`, every company. True
    when the role was created. The caller holds the transaction."""
    roles = group_roles(database)
    created = not _role_exists(database, name)
    if created:
        _sql(database, "CREATE ROLE {name} LOGIN", name=name)
    _sql(database, "GRANT {officer} TO {name}", officer=roles.officer, name=name)
    if all_companies:
        _sql(database, "GRANT {manager} TO {name}", manager=roles.manager, name=name)
    if password_verifier is not None:
        # A SCRAM verifier computed on this side: the password never reaches the server.
        _sql(database, f"ALTER ROLE {{name}} PASSWORD {_literal(database, password_verifier)}",
             name=name)
    database.executemany(
        "INSERT INTO tracker_officer_companies (role_name, company) VALUES (?, ?)"
        " ON CONFLICT DO NOTHING", [(name, company) for company in companies])
    return created


def password_verifier(database: PgDatabase, name: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password` for role `name` (libpq's
    PQencryptPasswordConn), so that the clear password is never sent."""
    return database.conn.pgconn.encrypt_password(
        password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256").decode("ascii")


def officer_companies(database: PgDatabase, name: str) -> list[tuple[str, int]]:
    """(company, persons of it now) for each company the officer sees, by name."""
    return [(r[0], r[1]) for r in database.execute(
        "SELECT o.company, (SELECT count(*) FROM persons p WHERE p.company = o.company)"
        " FROM tracker_officer_companies o WHERE o.role_name = ? ORDER BY o.company",
        [name])]


def is_manager(database: PgDatabase, name: str) -> bool:
    roles = group_roles(database)
    return database.execute("SELECT pg_has_role(?, ?, 'MEMBER')",
                            [name, roles.manager]).fetchone()[0]
