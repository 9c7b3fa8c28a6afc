"""`tracker admin …` (a group's database on PostgreSQL) and `tracker migrate-to URL`."""
from __future__ import annotations

import os

import click

from ..i18n import t
from ..services import admin as service
from .app import State, cli
from .output import console, escape


def _default_url(ctx: click.Context, param, value: str | None) -> str:
    """The database of `--db` (or $TRACKER_DB) when --url is not given; a file there is
    refused by the service with the reason."""
    if value:
        return value
    state = ctx.find_root().obj
    return str(state.path) if state is not None else os.environ.get("TRACKER_DB", "")


def url_option(function):
    """--url: the PostgreSQL database (default: --db, else $TRACKER_DB). The password
    comes from PGPASSWORD or ~/.pgpass, as for every libpq program."""
    return click.option(
        "--url", metavar="postgresql://USER@HOST:PORT/DB", callback=_default_url,
        show_default="--db, else $TRACKER_DB",
        help="The PostgreSQL database (never put a password in it: use PGPASSWORD or "
             "~/.pgpass).")(function)


@cli.group()
def admin():
    """A group's shared database on PostgreSQL (数据库服务器): schema, officers, companies.

    Run by the database's owner. Each officer logs in with their own role and sees only
    the persons, cases and history of their companies: the server enforces it.
    """


@admin.command()
@url_option
def init(url: str):
    """Create the schema, the officer and manager roles and the row-level policies.

    Running it again brings them up to date and changes nothing else.
    """
    report = service.init(url)
    console.print(t("pg_init_done", url=escape(report.url), version=report.schema_version,
                    officer=escape(report.officer_role), manager=escape(report.manager_role)),
                  soft_wrap=True)


@admin.group()
def officer():
    """Officers (专员): one login role each, limited to their companies."""


@officer.command("add")
@click.argument("name")
@click.option("--company", "companies", multiple=True, metavar="COMPANY",
              help="A company the officer looks after (repeat for several).")
@click.option("--all", "all_companies", is_flag=True,
              help="Every company (a manager of the group).")
@click.option("--password", "ask_password", is_flag=True,
              help="Ask for a password (typed, never shown; only its SCRAM verifier is "
                   "sent to the server).")
@url_option
def officer_add(name: str, companies: tuple[str, ...], all_companies: bool,
                ask_password: bool, url: str):
    """Add officer NAME (a login role), limited to --company C… or seeing --all."""
    password = (click.prompt(t("pg_password_prompt", name=name), hide_input=True,
                             confirmation_prompt=True) if ask_password else None)
    report = service.add_officer(url, name, companies, all_companies=all_companies,
                                 password=password)
    key = "pg_officer_created" if report.created else "pg_officer_updated"
    console.print(t(key, name=escape(report.name)), soft_wrap=True)
    if report.all_companies:
        console.print("  " + t("pg_officer_sees_all"))
    for company, persons in report.companies:
        line = t("pg_officer_company", company=escape(company), n=persons)
        if persons == 0:
            line += "  " + t("pg_officer_company_empty")
        console.print("  " + line, soft_wrap=True)


@cli.command("migrate-to")
@click.argument("url")
@click.pass_obj
def migrate_to(state: State, url: str):
    """Copy this SQLite database into the empty PostgreSQL database URL.

    One transaction: persons, cases, materials, notices, history (with its times and
    actors) and the calendar, then a check of the row counts and of the replay of every
    case. The SQLite file is read from a copy and never changed.
    """
    from ..services import migrate_to as migration

    report = migration.migrate_to(state.path, url)
    for table_name, count in report.counts.items():
        console.print(t("pg_migrated_table", table=table_name, n=count))
    console.print(t("pg_migrated", url=escape(report.url), cases=report.cases_replayed),
                  soft_wrap=True)
