"""The command line: thin commands that parse, call a service and print.

The command modules (cases, demo, export, importing, notices, serve) are imported on
demand by `app.LazyGroup`.
"""
from .app import cli, main, run

__all__ = ["cli", "main", "run"]
