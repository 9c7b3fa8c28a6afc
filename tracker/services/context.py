"""What every use case needs: the database, "today", who acts, and the rules."""
from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ..domain.rules import DEFAULT_RULES, Rules
from ..store import Database

SYSTEM_ACTOR = "system"


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a container without passwd entry)
        return "unknown"


@dataclass
class Context:
    db: Database
    #: "Today" for every date computation; pinned by --today for tests and planning.
    today: date = field(default_factory=date.today)
    actor: str = field(default_factory=os_user)
    rules: Rules = DEFAULT_RULES
    today_pinned: bool = False
    #: A fixed clock time for history stamps (the demo, so that it is deterministic).
    fixed_time: time | None = None

    def now(self) -> str:
        """The time stamp for a history row: the pinned day keeps today's clock time."""
        clock = self.fixed_time or datetime.now().time().replace(microsecond=0)
        return datetime.combine(self.today, clock).isoformat()
