"""`tracker verify`: is the database what the tracker wrote, nothing more, nothing less?

Four checks, each naming the first thing wrong:
- SQLite's `PRAGMA integrity_check` (the file itself);
- the schema, every table, index, trigger and view by its SQL text (a replaced
  append-only trigger, an extra trigger that rewrites data);
- the hash chain of the history (tracker/store/chain.py): a row edited, inserted or
  removed by another program breaks it from that row on;
- every case's state is the replay of its history.

`verify(ctx)` is the one function `tracker verify`, `tracker backup` and the daily run
call. It only reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..store import audit as store
from .cases import replay_state
from .context import Context


@dataclass
class ReplayMismatch:
    case_id: int
    state: str
    replayed: str | None
    #: Why the history cannot be replayed (a row that does not start where the last
    #: ended), or "" when it replays to another state.
    detail: str = ""


@dataclass
class Verification:
    integrity: list[str] = field(default_factory=list)
    schema: str | None = None
    history_rows: int = 0
    #: The first history row that breaks the chain: id, case_id, at, event, reason.
    chain_break: dict | None = None
    cases: int = 0
    #: The cases whose state is not the replay of their history (the first few).
    replay: list[ReplayMismatch] = field(default_factory=list)
    replay_count: int = 0
    #: On a database server: integrity, structure and append-only are the server's; no
    #: hash chain is computed there yet (only the replay is checked from here).
    server: bool = False

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.schema or self.chain_break or self.replay_count)


#: How many replay mismatches are kept to be shown (all are counted).
SHOWN = 10


def verify(ctx: Context) -> Verification:
    """Run the four checks on the context's database; see the module docstring."""
    result = Verification(integrity=store.integrity_problems(ctx.db),
                          schema=store.schema_difference(ctx.db),
                          server=ctx.db.engine != "sqlite")
    result.history_rows, result.chain_break = store.history_chain(ctx.db)
    for case_id, state, rows in store.case_histories(ctx.db):
        result.cases += 1
        try:
            replayed, detail = replay_state(rows), ""
        except ValueError as error:
            replayed, detail = None, str(error)
        if replayed != state:
            result.replay_count += 1
            if len(result.replay) < SHOWN:
                result.replay.append(ReplayMismatch(case_id, state, replayed, detail))
    return result
