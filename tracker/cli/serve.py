"""`tracker serve`: the same dashboard in a browser, through textual-serve, behind a guard
(tracker/tui/serve.py): a per-start secret, Host and Origin checks, a session limit, a
password beyond loopback, the import confined to one folder."""
from __future__ import annotations

import ipaddress
import os
import secrets
import shlex
import sys
from pathlib import Path

import click

from .. import i18n, locations
from ..errors import TrackerError
from ..i18n import t
from ..services.import_folder import FOLDER_ENV
from .app import State, cli
from .output import err_console, escape

#: The environment variable that may hold the password (read once, then removed, so
#: that the dashboard processes do not inherit it).
PASSWORD_ENV = "TRACKER_SERVE_PASSWORD"
MIN_PASSWORD = 10


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def dashboard_command(state: State) -> str:
    """The command textual-serve runs for each browser session."""
    argv = [sys.executable, "-m", "tracker", "--db", str(state.path), "--lang", i18n.get_lang()]
    if state.today is not None:
        argv += ["--today", state.today.isoformat()]
    return shlex.join(argv)


def _password(host: str, ask: bool) -> str | None:
    """The password: asked for (`--password`), or from the environment; required beyond
    loopback."""
    password = os.environ.pop(PASSWORD_ENV, None)
    if ask:
        password = click.prompt(t("serve_password_prompt"), hide_input=True,
                                confirmation_prompt=True, err=True)
    if password is None:
        if not is_loopback(host):
            raise TrackerError("serve_needs_password", host=host, env=PASSWORD_ENV)
        return None
    if len(password) < MIN_PASSWORD:
        raise TrackerError("serve_password_short", min=MIN_PASSWORD)
    return password


def _import_folder(state: State, folder: Path | None) -> Path:
    """The folder every browser session's import is confined to (created, 0700)."""
    from ..files import make_folder

    chosen = folder or locations.beside_db(state.path, "imports")
    return make_folder(chosen.expanduser().resolve())


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs a password and TLS "
                   "in front (a reverse proxy).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--password", "ask_password", is_flag=True,
              help=f"Ask for a password for the login page (or set ${PASSWORD_ENV}); "
                   "required when --host is not loopback.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME[:PORT]",
              help="Another name browsers reach this server by (e.g. the reverse proxy's); "
                   "requests for any other Host are refused.")
@click.option("--max-sessions", default=2, show_default=True, type=click.IntRange(1, 20),
              help="Dashboards open at once (each is a process).")
@click.option("--import-folder", type=click.Path(file_okay=False, path_type=Path),
              help="The only folder the browser's import may read (default: imports/ "
                   "beside the database).")
@click.pass_obj
def serve(obj: State, host: str, port: int, ask_password: bool, allow_hosts: tuple[str, ...],
          max_sessions: int, import_folder: Path | None):
    """Serve the dashboard in a browser.

    Prints, once, the address to open: it holds a secret made at this start, and the
    browser keeps a session cookie after. Pages and the WebSocket are refused to other
    web sites (Origin) and other addresses (Host).
    """
    from ..tui.serve import Guard, Pages, allowed_hosts, serve_dashboard

    password = _password(host, ask_password)
    obj.context()  # open (and migrate) the database now: errors here, not in the browser
    folder = _import_folder(obj, import_folder)
    loopback = is_loopback(host)
    if not loopback:
        err_console.print("[bold yellow]" + escape(t("serve_exposed", host=host)) + "[/]")
    guard = Guard(secret=secrets.token_urlsafe(32), password=password,
                  hosts=allowed_hosts(host, port, loopback, allow_hosts),
                  max_sessions=max_sessions)
    shown = f"[{host}]" if ":" in host else host
    err_console.print(escape(t("serve_url", url=f"http://{shown}:{port}/?token={guard.secret}")),
                      soft_wrap=True)
    err_console.print(escape(t("serve_import_folder", path=str(folder))), soft_wrap=True)
    pages = Pages(title=t("serve_page_title"), locked=_both("serve_page_locked"),
                  password_label=_both("serve_page_password", " / "),
                  wrong_password=_both("serve_page_wrong_password"),
                  too_many=_both("serve_page_too_many", max=max_sessions),
                  refused=_both("serve_page_refused"))
    previous = os.environ.get(FOLDER_ENV)
    os.environ[FOLDER_ENV] = str(folder)  # the setting, inherited by every dashboard
    try:
        serve_dashboard(dashboard_command(obj), host, port, guard, pages)
    finally:
        if previous is None:
            os.environ.pop(FOLDER_ENV, None)
        else:
            os.environ[FOLDER_ENV] = previous


def _both(key: str, separator: str = "\n", **params) -> str:
    """A page line in Chinese and in English (the browser's reader may read either)."""
    return separator.join(t(key, lang=lang, **params) for lang in ("zh", "en"))
