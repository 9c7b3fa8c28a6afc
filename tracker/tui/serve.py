"""Serving the dashboard in a browser through textual-serve (Textual stays in tracker/tui)."""
from __future__ import annotations


def serve_dashboard(command: str, host: str, port: int, title: str) -> None:
    """Run textual-serve: each browser session runs `command` behind Textual's web driver."""
    from textual_serve.server import Server

    Server(command, host=host, port=port, title=title).serve()
