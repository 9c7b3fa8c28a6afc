"""The command line: thin commands that parse, call a service and print."""
from . import cases as _cases  # noqa: F401  (registers the core commands)
from . import demo as _demo  # noqa: F401
from . import export as _export  # noqa: F401  (export, export-all)
from . import importing as _importing  # noqa: F401  (import)
from . import notices as _notices  # noqa: F401  (notice, remind, sweep, rules, ce-hours)
from . import serve as _serve  # noqa: F401  (serve)
from .app import cli, main, run

__all__ = ["cli", "main", "run"]
