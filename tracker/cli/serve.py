"""`tracker serve`: the same dashboard in a browser, through textual-serve."""
from __future__ import annotations

import ipaddress
import shlex
import sys

import click

from .. import i18n
from ..i18n import t
from .app import State, cli
from .output import err_console, escape


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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes ID numbers.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_obj
def serve(obj: State, host: str, port: int):
    """Serve the dashboard in a browser (no authentication: keep it on loopback)."""
    from ..tui.serve import serve_dashboard

    obj.context()  # open (and migrate) the database now: errors here, not in the browser
    if not is_loopback(host):
        err_console.print("[bold yellow]" + escape(t("serve_exposed", host=host)) + "[/]")
    err_console.print(escape(t("serve_url", url=f"http://{host}:{port}")))
    serve_dashboard(dashboard_command(obj), host, port, t("tui_title"))
