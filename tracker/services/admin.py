"""A group's database on PostgreSQL: `tracker admin init` and `tracker admin officer add`.

Run by the database's owner (the group's administrator), never by an officer. Each is
one transaction: the schema, the roles, the privileges and the row-level-security
policies appear together or not at all (`tracker.store.postgres.roles` says what they
are). Failures of the server come back as messages in the user's language.
"""
from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..errors import StoreError, TrackerError
from ..store.postgres import roles as store
from ..store.postgres.db import PgDatabase, is_url
from .failures import SERVER_MESSAGES


@contextlib.contextmanager
def server_errors() -> Iterator[None]:
    """A StoreError of the server as the user's message (exit code 2, nothing changed)."""
    try:
        yield
    except StoreError as error:
        raise TrackerError(SERVER_MESSAGES.get(error.kind, "db_error"), path=error.path,
                           detail=error.detail) from None


def require_url(url: str | None) -> str:
    if not url or not is_url(url):
        raise TrackerError("pg_url_required", value=url or "")
    return url


@dataclass(frozen=True)
class InitReport:
    url: str
    officer_role: str
    manager_role: str
    schema_version: int


def init(url: str | None) -> InitReport:
    """Create (or bring up to date) the schema, the group roles, privileges and policies."""
    url = require_url(url)
    with server_errors(), PgDatabase(url) as database:
        with database.transaction():
            roles = store.install(database)
        return InitReport(database.path, roles.officer, roles.manager,
                          database.schema_version)


@dataclass(frozen=True)
class OfficerReport:
    name: str
    created: bool
    all_companies: bool
    #: (company, persons of it now): a company with none is probably misspelt.
    companies: list[tuple[str, int]]


def _check_name(name: str) -> str:
    name = name.strip()
    if (not name or len(name.encode("utf-8")) > 63
            or any(unicodedata.category(c).startswith("C") for c in name)):
        raise TrackerError("pg_bad_officer_name", name=name)
    return name


def add_officer(url: str | None, name: str, companies: Sequence[str], *,
                all_companies: bool = False, password: str | None = None) -> OfficerReport:
    """A login role for an officer who sees `companies` (or every company)."""
    url = require_url(url)
    name = _check_name(name)
    wanted = list(dict.fromkeys(c.strip() for c in companies if c.strip()))
    if bool(wanted) == all_companies:
        raise TrackerError("pg_officer_scope")
    with server_errors(), PgDatabase(url, create=False) as database:
        with database.transaction():
            verifier = (store.password_verifier(database, name, password)
                        if password else None)
            created = store.add_officer(database, name, wanted, all_companies=all_companies,
                                        password_verifier=verifier)
        return OfficerReport(name, created, store.is_manager(database, name),
                             store.officer_companies(database, name))
