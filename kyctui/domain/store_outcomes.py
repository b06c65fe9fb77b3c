"""Rows of outcomes, actions, profile fields and device info, on a connection the Store holds."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from datetime import datetime
from typing import Any

from kyctui.domain.attempts import AttemptStatus
from kyctui.domain.outcomes import Action, ActionTaken, DeviceInfo, Outcome, OutcomeResult
from kyctui.domain.profile import PROFILE_FIELDS, Profile
from kyctui.domain.store_db import touch
from kyctui.domain.store_errors import OutcomeNotFound
from kyctui.domain.store_schema import (
    ACTION_COLUMNS,
    DEVICE_COLUMNS,
    OUTCOME_COLUMNS,
    row_fields,
    utc_text,
)

# The attempt's status once the exchange has answered.
STATUS_OF: dict[OutcomeResult, AttemptStatus] = {
    OutcomeResult.APPROVED: AttemptStatus.APPROVED,
    OutcomeResult.UNDER_REVIEW: AttemptStatus.UNDER_REVIEW,
    OutcomeResult.REJECTED: AttemptStatus.REJECTED,
}
# Oldest first: the timeline order. recorded_at and id break ties between equal times.
_OUTCOME_ORDER = " ORDER BY o.occurred_at, o.recorded_at, o.id"


def scope(attempt_id: int | None, exchange: str | None) -> tuple[str, tuple[Any, ...]]:
    """A WHERE over `a`, the attempts joined to outcomes or actions, and its parameters."""
    if attempt_id is not None and exchange is not None:
        return "WHERE a.id = ? AND a.exchange = ?", (attempt_id, exchange)
    if attempt_id is not None:
        return "WHERE a.id = ?", (attempt_id,)
    if exchange is not None:
        return "WHERE a.exchange = ?", (exchange,)
    return "", ()


def select_outcomes(conn: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> list[Outcome]:
    """Outcomes matching `where` (over `o` outcomes and `a` attempts), oldest first."""
    rows = conn.execute(
        f"SELECT {OUTCOME_COLUMNS} FROM outcomes o JOIN attempts a ON a.id = o.attempt_id"
        f" {where}{_OUTCOME_ORDER}",
        params,
    ).fetchall()
    return [Outcome(**row_fields(r)) for r in rows]


def select_actions(
    conn: sqlite3.Connection, where: str, params: tuple[Any, ...]
) -> list[ActionTaken]:
    """Actions matching `where` (over `t` actions and `a` attempts), oldest first."""
    rows = conn.execute(
        f"SELECT {ACTION_COLUMNS} FROM actions t JOIN attempts a ON a.id = t.attempt_id"
        f" {where} ORDER BY t.taken_at, t.attempt_id, t.action",
        params,
    ).fetchall()
    return [ActionTaken(**row_fields(r)) for r in rows]


def _sync_status(conn: sqlite3.Connection, attempt_id: int, now: datetime, fallback: str) -> None:
    # The status follows the latest answer by when it happened, so recording an older answer
    # afterwards (the user catching up on their history) does not undo a newer one.
    latest = conn.execute(
        "SELECT result FROM outcomes o WHERE attempt_id = ?"
        " ORDER BY o.occurred_at DESC, o.recorded_at DESC, o.id DESC LIMIT 1",
        (attempt_id,),
    ).fetchone()
    status = str(STATUS_OF[OutcomeResult(latest[0])]) if latest else fallback
    touch(conn, attempt_id, now, "status = ?", (status,))


def insert_outcome(
    conn: sqlite3.Connection,
    attempt_id: int,
    result: OutcomeResult,
    reason_id: str,
    reason_text: str,
    message: str,
    occurred_at: datetime,
    now: datetime,
) -> Outcome:
    """Add one answer of the exchange and move the attempt to the matching status."""
    result = OutcomeResult(result)  # a plain string from a caller is checked here
    touch(conn, attempt_id, now)  # proves the attempt exists before anything is written
    first = conn.execute(
        "SELECT status_before FROM outcomes WHERE attempt_id = ? ORDER BY id LIMIT 1",
        (attempt_id,),
    ).fetchone()
    (status,) = conn.execute("SELECT status FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
    cursor = conn.execute(
        "INSERT INTO outcomes (attempt_id, result, reason_id, reason_text, message, occurred_at,"
        " recorded_at, status_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            attempt_id,
            str(result),
            reason_id,
            reason_text,
            message,
            utc_text(occurred_at),
            utc_text(now),
            first[0] if first else status,
        ),
    )
    _sync_status(conn, attempt_id, now, status)
    (outcome,) = select_outcomes(conn, "WHERE o.id = ?", (cursor.lastrowid,))
    return outcome


def delete_outcome(conn: sqlite3.Connection, outcome: Outcome, now: datetime) -> None:
    """Forget one recorded answer; the attempt's status follows the answers that remain."""
    found = conn.execute(
        "SELECT id FROM outcomes WHERE attempt_id = ? AND result = ? AND reason_id = ?"
        " AND reason_text = ? AND message = ? AND occurred_at = ? AND recorded_at = ?"
        " ORDER BY id LIMIT 1",
        (
            outcome.attempt_id,
            str(outcome.result),
            outcome.reason_id,
            outcome.reason_text,
            outcome.message,
            utc_text(outcome.occurred_at),
            utc_text(outcome.recorded_at),
        ),
    ).fetchone()
    if found is None:
        raise OutcomeNotFound("That outcome is no longer recorded (it may have been deleted).")
    (before,) = conn.execute(
        "SELECT status_before FROM outcomes WHERE attempt_id = ? ORDER BY id LIMIT 1",
        (outcome.attempt_id,),
    ).fetchone()
    conn.execute("DELETE FROM outcomes WHERE id = ?", (found[0],))
    _sync_status(conn, outcome.attempt_id, now, before)


def set_action(
    conn: sqlite3.Connection, attempt_id: int, action: Action, taken: bool, now: datetime
) -> None:
    """Tick an action (keeping when it was first ticked) or untick it."""
    action = Action(action)
    touch(conn, attempt_id, now)
    if taken:
        conn.execute(
            "INSERT INTO actions (attempt_id, action, taken_at) VALUES (?, ?, ?)"
            " ON CONFLICT (attempt_id, action) DO NOTHING",
            (attempt_id, str(action), utc_text(now)),
        )
    else:
        conn.execute(
            "DELETE FROM actions WHERE attempt_id = ? AND action = ?", (attempt_id, str(action))
        )


def set_profile_field(
    conn: sqlite3.Connection, attempt_id: int, name: str, value: str, now: datetime
) -> None:
    """Keep one typed field exactly as typed; an empty value removes the row."""
    if name not in PROFILE_FIELDS:
        raise KeyError(name)  # a programming error, as in Profile.with_field
    touch(conn, attempt_id, now)
    if value:
        conn.execute(
            "INSERT INTO profile (attempt_id, field, value, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (attempt_id, field)"
            " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (attempt_id, name, value, utc_text(now)),
        )
    else:
        conn.execute("DELETE FROM profile WHERE attempt_id = ? AND field = ?", (attempt_id, name))


def select_profile(conn: sqlite3.Connection, attempt_id: int) -> Profile:
    """The attempt's profile; fields never typed are empty."""
    rows = conn.execute(
        "SELECT field, value FROM profile WHERE attempt_id = ?", (attempt_id,)
    ).fetchall()
    # A field a newer kyctui knows and this one does not is skipped, not an error.
    return Profile(**{f: v for f, v in rows if f in PROFILE_FIELDS})


def set_device(
    conn: sqlite3.Connection, attempt_id: int, device: DeviceInfo, now: datetime
) -> None:
    """Replace what the user said about their device."""
    touch(conn, attempt_id, now)
    values = {f.name: getattr(device, f.name) for f in fields(DeviceInfo)}
    conn.execute(
        f"INSERT OR REPLACE INTO devices (attempt_id, {DEVICE_COLUMNS}, updated_at)"
        " VALUES (:attempt_id, :phone_model, :os_version, :browser_or_app, :updated_at)",
        {"attempt_id": attempt_id, **values, "updated_at": utc_text(now)},
    )


def select_device(conn: sqlite3.Connection, attempt_id: int) -> DeviceInfo:
    """The attempt's device info (all empty when never entered)."""
    row = conn.execute(
        f"SELECT {DEVICE_COLUMNS} FROM devices WHERE attempt_id = ?", (attempt_id,)
    ).fetchone()
    return DeviceInfo(**row_fields(row)) if row else DeviceInfo()
