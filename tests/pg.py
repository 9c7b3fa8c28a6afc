"""A throw-away PostgreSQL server for the tests: a cluster in a temporary folder, reached
through a Unix socket in that folder (no TCP port), stopped and removed afterwards.

Used two ways, one implementation:

- as a pytest helper: `server()` starts one cluster per test session (the first test that
  asks for it; `stop()` at the end), or uses the server named by `$TRACKER_TEST_POSTGRES`
  (a libpq URL of a role that may create databases and roles). Without PostgreSQL the
  tests that need it are skipped with the reason, except under CI (`$CI` set), where a
  missing server is a failure: CI must test both engines.
- as a command, for CI and by hand: ``python tests/pg.py -- COMMAND ARGS`` starts a
  cluster, runs COMMAND with `$TRACKER_TEST_POSTGRES` set, stops the cluster and exits
  with COMMAND's code (`.ci/postgres` installs the OS package first when it is missing).

The server binaries come from `$PG_BIN`, else `pg_config --bindir`, else the newest
`/usr/lib/postgresql/<version>/bin` (Debian keeps them there, off the PATH), else the
PATH. initdb refuses to run as root: as root the cluster is made and run as the
`postgres` user that the OS package creates (the folder is given to it).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ENV_URL = "TRACKER_TEST_POSTGRES"
#: The cluster's superuser (also the role the tests administer from).
SUPERUSER = "tracker_ci"


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    candidates: list[Path] = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                 timeout=30).stdout.strip()
            if out:
                candidates.append(Path(out))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted((p for p in debian.iterdir() if p.name.isdigit()),
                          key=lambda p: int(p.name), reverse=True)
        candidates += [p / "bin" for p in versions]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class Cluster:
    """One temporary cluster: `start()` returns its URL, `stop()` removes it."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.folder: Path | None = None
        self.url: str | None = None

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if _is_root():
            runuser = shutil.which("runuser")
            command = ([runuser, "-u", "postgres", "--", *command] if runuser
                       else ["su", "postgres", "-s", "/bin/sh", "-c",
                             " ".join(_quote(c) for c in command)])
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({result.returncode}):\n"
                               f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        return result

    def start(self) -> str:
        self.folder = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
        if _is_root():
            import pwd

            user = pwd.getpwnam("postgres")  # KeyError: no such user, no cluster
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        data, socket_dir = self.folder / "data", self.folder
        os.chmod(self.folder, 0o700)
        # Trust on the socket only: the folder is 0700, so only its owner (and root) can
        # reach it. No TCP listener at all.
        self._run("initdb", "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C",
                  "--no-sync")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{socket_dir}'"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                   " -c max_connections=60")
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "-t", "120", "start")
        self.url = f"postgresql://{SUPERUSER}@/postgres?host={socket_dir}"
        return self.url

    def stop(self) -> None:
        if self.folder is None:
            return
        try:
            if (self.folder / "data" / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate",
                          "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = self.url = None


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _has_c_utf8() -> bool:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True,
                             timeout=30).stdout.lower()
        return "c.utf8" in out or "c.utf-8" in out
    return False


_cluster: Cluster | None = None
_unavailable: str | None = None


def server() -> str | None:
    """The URL of the test server (started on first use), or None when there is none
    (`unavailable()` says why)."""
    global _cluster, _unavailable
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    if _cluster is not None:
        return _cluster.url
    if _unavailable is not None:
        return None
    bindir = find_bindir()
    if bindir is None:
        _unavailable = ("PostgreSQL is not installed (no initdb/pg_ctl found; install the OS "
                        "package `postgresql`, or set $TRACKER_TEST_POSTGRES to a server's URL)")
        return None
    cluster = Cluster(bindir)
    try:
        cluster.start()
    except (OSError, KeyError, RuntimeError, subprocess.SubprocessError) as error:
        cluster.stop()
        _unavailable = f"could not start a PostgreSQL cluster: {error}"
        return None
    _cluster = cluster
    return cluster.url


def unavailable() -> str:
    return _unavailable or ""


def stop() -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None


def main(argv: list[str]) -> int:
    """`pg.py -- COMMAND ARGS`: run COMMAND with a fresh server, then remove it."""
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    bindir = find_bindir()
    if bindir is None:
        print("pg.py: PostgreSQL is not installed", file=sys.stderr)
        return 2
    cluster = Cluster(bindir)
    try:
        url = cluster.start()
        print(f"pg.py: PostgreSQL {bindir.parent.name} at {url}", file=sys.stderr)
        return subprocess.run(argv, env={**os.environ, ENV_URL: url}).returncode
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


# --------------------------------------------------------------------------- pytest

def with_database(url: str, dbname: str, user: str | None = None) -> str:
    """The server URL pointed at another database (and, given, as another role)."""
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc
    if user is not None:
        netloc = quote(user, safe="") + "@" + netloc.split("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=netloc, path="/" + quote(dbname, safe="")))


def create_database(server: str, name: str, template: str | None = None) -> str:
    """A new database on the server (a clone of `template`, when given): its URL."""
    import psycopg

    clone = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{clone}')
    return with_database(server, name)


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


try:
    import pytest
except ImportError:  # run as a command without pytest: the fixtures are not needed
    pytest = None

if pytest is not None:
    import itertools
    import uuid

    _numbers = itertools.count(1)

    @pytest.fixture(scope="session")
    def pg_server(request) -> str:
        """The test server's URL (a superuser); skipped without PostgreSQL, except on CI."""
        url = server()
        if url is None:
            if os.environ.get("CI"):
                pytest.fail(f"CI must test PostgreSQL too: {unavailable()}")
            pytest.skip(unavailable())
        request.config.add_cleanup(stop)
        return url

    @pytest.fixture
    def pg_url(pg_server) -> str:
        """A new, empty database for one test (dropped after, with the roles the test
        made in it: the group roles are named after the database)."""
        import psycopg

        name = f"t{next(_numbers)}_{uuid.uuid4().hex[:8]}"
        yield create_database(pg_server, name)
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            groups = [f"{name}_officer", f"{name}_manager"]
            members = [r[0] for r in admin.execute(
                "SELECT DISTINCT m.rolname FROM pg_auth_members a JOIN pg_roles g"
                " ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member"
                " WHERE g.rolname = ANY(%s) AND m.rolname <> ALL(%s)", [groups, groups])]
            for role in [*members, *groups]:
                admin.execute(psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(
                    psycopg.sql.Identifier(role)))

    def url_as(url: str, role: str) -> str:
        """The URL of the same database, logged in as `role`."""
        from urllib.parse import unquote, urlsplit

        return with_database(url, unquote(urlsplit(url).path[1:]), role)

    @pytest.fixture
    def pg_url_as():
        """url_as(url, role): the URL of the same database, logged in as `role`."""
        return url_as

    @pytest.fixture
    def pg_connect_as():
        """connect(url, role): a session on the database of `url` logged in as `role`."""
        import psycopg

        return lambda url, role: psycopg.connect(url_as(url, role), autocommit=True)
