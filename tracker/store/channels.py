"""Reminder channels (R16), what was sent to each, the delivery log, and when a person
was told of a notice. All SQL is parameterised.

A channel's URL holds its secret (an SMTP authorisation code, a robot key): it is read
here for sending only; every listing the services make of it is masked.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from .db import Database

#: (`wants`: what the channel receives — `--only` on the command line; "only" is a reserved
#: word in PostgreSQL.)
CHANNEL_COLUMNS = ("name", "url", "lang", "wants", "departments", "created_at", "actor")


def _channel(row: dict) -> dict:
    row = dict(row)
    row["departments"] = json.loads(row["departments"]) if row.get("departments") else []
    return row


def insert_channel(database: Database, record: dict[str, Any]) -> int:
    values = dict(record)
    values["departments"] = (json.dumps(values["departments"], ensure_ascii=False)
                             if values.get("departments") else None)
    columns = CHANNEL_COLUMNS
    return database.insert_returning_id(
        f"INSERT INTO channels ({', '.join(columns)})"
        f" VALUES ({', '.join('?' * len(columns))})", [values.get(c) for c in columns])


def channel_by_name(database: Database, name: str) -> dict | None:
    rows = list(database.query("SELECT * FROM channels WHERE name = ?", [name]))
    return _channel(rows[0]) if rows else None


def list_channels(database: Database) -> list[dict]:
    return [_channel(r) for r in database.query("SELECT * FROM channels ORDER BY name")]


def delete_channel(database: Database, channel_id: int) -> None:
    database.execute("DELETE FROM channels WHERE id = ?", [channel_id])


# --------------------------------------------------------------------------- one run at a time

#: The meta key a sending run holds (its start, as an ISO time).
RUN_KEY = "notify_running_since"


def claim_run(database: Database, now: str, stale_before: str) -> str | None:
    """Hold the sending run (the caller holds the write transaction): None when claimed,
    else the start of the run that holds it. A claim older than `stale_before` is of a
    run that died: taken over."""
    row = database.execute("SELECT value FROM meta WHERE key = ?", [RUN_KEY]).fetchone()
    if row is not None and row[0] and row[0] >= stale_before:
        return row[0]
    database.execute(database.dialect.insert_or_replace("meta", ("key", "value"), ("key",)),
                     [RUN_KEY, now])
    return None


def release_run(database: Database) -> None:
    database.execute("DELETE FROM meta WHERE key = ?", [RUN_KEY])


# --------------------------------------------------------------------------- sent items


def sent_items(database: Database, channel_id: int) -> set[tuple[int, str]]:
    """(case id, item key) of everything already sent to the channel."""
    return {(case_id, item) for case_id, item in database.execute(
        "SELECT case_id, item FROM notify_sent WHERE channel_id = ?", [channel_id])}


def record_sent(database: Database, channel_id: int,
                items: Iterable[tuple[int, str, str]], at: str) -> None:
    """Mark (case id, item key, section) as sent to the channel (the caller holds the
    transaction); an item already marked stays as it was."""
    database.executemany(
        database.dialect.insert_or_ignore("notify_sent", ("channel_id", "case_id", "item",
                                                          "section", "sent_at")),
        [(channel_id, case_id, item, section, at) for case_id, item, section in items])


def sweep_moves(database: Database, since: str, columns: Sequence[str]) -> list[dict]:
    """The events the sweep applied from `since` on (history rows of actor `system` marked
    `sweep`), with the case_view `columns` of each case, oldest first."""
    selected = ", ".join(f"v.{c}" for c in columns)  # case_view column names (constants)
    return list(database.query(
        f"SELECT h.id AS history_id, h.at AS moved_at, h.event AS moved_event,"
        f" h.to_state AS moved_to, {selected}"
        " FROM history h JOIN case_view v ON v.case_id = h.case_id"
        " WHERE h.at >= ? AND h.actor = 'system' AND"
        f" {database.dialect.json_key_is('h.data', 'sweep', '1')} ORDER BY h.id", [since]))


# --------------------------------------------------------------------------- the log


def add_log(database: Database, record: dict[str, Any]) -> int:
    columns = ("channel_id", "channel", "at", "actor", "action", "ok", "messages", "items",
               "error")
    return database.insert_returning_id(
        f"INSERT INTO notify_log ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [record.get(c, 0 if c in ("messages", "items") else None) for c in columns])


def channel_activity(database: Database) -> dict[int, dict[str, Any]]:
    """Per channel id: its last successful send, its last attempt, and the failures since
    its last success."""
    rows = database.execute(
        "SELECT channel_id,"
        " max(CASE WHEN ok AND action IN ('digest', 'test') THEN at END),"
        " max(CASE WHEN action IN ('digest', 'test') THEN id END)"
        " FROM notify_log GROUP BY channel_id").fetchall()
    result = {}
    for channel_id, last_ok, last_id in rows:
        last = (dict(next(iter(database.query("SELECT * FROM notify_log WHERE id = ?",
                                                  [last_id]))))
                if last_id is not None else None)
        failures = database.execute(
            "SELECT count(*) FROM notify_log WHERE channel_id = ? AND NOT ok"
            " AND action IN ('digest', 'test') AND at > coalesce(?, '')",
            [channel_id, last_ok]).fetchone()[0]
        result[channel_id] = {"last_sent": last_ok, "last": last, "failures": failures}
    return result


def log_rows(database: Database, limit: int = 50) -> list[dict]:
    return list(database.query("SELECT * FROM notify_log ORDER BY id DESC LIMIT ?",
                                  [limit]))


# --------------------------------------------------------------------------- staff told


def add_staff_notified(database: Database, rows: Iterable[dict[str, Any]]) -> None:
    database.executemany(
        "INSERT INTO staff_notified (case_id, notice_id, on_day, at, actor, text)"
        " VALUES (:case_id, :notice_id, :on_day, :at, :actor, :text)", list(rows))


def last_notified(database: Database, case_ids: Sequence[int]) -> dict[int, dict]:
    """Per case id, the newest record of the person being told (the notice, the day)."""
    if not case_ids:
        return {}
    return {r["case_id"]: r for r in database.query(
        "SELECT s.case_id, s.notice_id, s.on_day, s.at, s.actor, n.kind AS notice_kind,"
        " n.title AS notice_title FROM staff_notified s"
        " LEFT JOIN notices n ON n.id = s.notice_id"
        f" WHERE s.id IN (SELECT max(id) FROM staff_notified"
        f" WHERE case_id IN ({', '.join('?' * len(case_ids))})"
        " GROUP BY case_id)", list(case_ids))}


def notice_cases(database: Database, notice_id: int) -> list[int]:
    """The cases a notice reached: its history rows name it (`data.notice_id`)."""
    return [r[0] for r in database.execute(
        "SELECT DISTINCT case_id FROM history WHERE"
        f" {database.dialect.json_key_is('data', 'notice_id')} ORDER BY case_id", [notice_id])]
