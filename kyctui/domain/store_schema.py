"""The store's tables, their migrations, and turning rows back into domain dataclasses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kyctui.domain.attempts import AttemptStatus
from kyctui.domain.outcomes import Action, OutcomeResult
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.store_errors import CorruptStoreError

# One entry per schema version: MIGRATIONS[n] takes a version-n database to version n + 1.
# Statements, not one script, because executescript() would commit our open transaction.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY, exchange TEXT NOT NULL, level TEXT NOT NULL,
            document_type TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
            step TEXT NOT NULL, status TEXT NOT NULL)""",
        "CREATE INDEX attempts_by_updated ON attempts (updated_at)",
        """CREATE TABLE items (
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            item_id TEXT NOT NULL, state TEXT NOT NULL, updated_at TEXT NOT NULL,
            PRIMARY KEY (attempt_id, item_id))""",
        # Where a photo is and what was found in it; never its bytes.
        """CREATE TABLE photos (
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            slot TEXT NOT NULL, path TEXT NOT NULL, size_bytes INTEGER, sha256 TEXT, phash TEXT,
            width INTEGER, height INTEGER, verdict TEXT NOT NULL, checks_json TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            PRIMARY KEY (attempt_id, slot))""",
    ),
    (
        # Every answer of the exchange is kept, not just the last: escalation counts repeats.
        # status_before: the attempt's status before its first outcome, restored when the user
        # deletes the last one they recorded by mistake.
        """CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            result TEXT NOT NULL, reason_id TEXT NOT NULL, reason_text TEXT NOT NULL,
            message TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
            status_before TEXT NOT NULL)""",
        "CREATE INDEX outcomes_by_attempt ON outcomes (attempt_id, occurred_at)",
        "CREATE INDEX attempts_by_exchange ON attempts (exchange)",
        """CREATE TABLE actions (
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            action TEXT NOT NULL, taken_at TEXT NOT NULL,
            PRIMARY KEY (attempt_id, action))""",
        # One row per typed field: a field added to Profile later needs no migration.
        """CREATE TABLE profile (
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            field TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL,
            PRIMARY KEY (attempt_id, field))""",
        """CREATE TABLE devices (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
            phone_model TEXT NOT NULL, os_version TEXT NOT NULL, browser_or_app TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)

# Column lists named as the dataclass fields, so a row becomes one with row_fields().
ATTEMPT_COLUMNS = "id, exchange, level, document_type, created_at, updated_at, step, status"
PHOTO_COLUMNS = (
    "slot, path, size_bytes, sha256, phash, width, height, verdict, checks_json, checked_at"
)
# Outcomes and actions carry their attempt's exchange: the query joins `attempts a`.
OUTCOME_COLUMNS = (
    "o.attempt_id, a.exchange, o.result, o.reason_id, o.reason_text, o.message,"
    " o.occurred_at, o.recorded_at"
)
ACTION_COLUMNS = "t.attempt_id, a.exchange, t.action, t.taken_at"
DEVICE_COLUMNS = "phone_model, os_version, browser_or_app"
# One row of the attempts list (`a` is the attempt); the latest answer is by when it happened.
_LATEST = (
    " FROM outcomes o WHERE o.attempt_id = a.id"
    " ORDER BY o.occurred_at DESC, o.recorded_at DESC, o.id DESC LIMIT 1"
)
SUMMARY_COLUMNS = (
    f"{ATTEMPT_COLUMNS},"
    " (SELECT COUNT(*) FROM items i WHERE i.attempt_id = a.id AND i.state = ?) AS items_done,"
    " (SELECT COUNT(*) FROM photos p WHERE p.attempt_id = a.id) AS photos,"
    " (SELECT COUNT(*) FROM photos p WHERE p.attempt_id = a.id AND p.verdict = ?) AS failures,"
    f" (SELECT o.result{_LATEST}) AS latest_result,"
    # The catalog id, or the typed reason when no catalog entry fitted.
    f" COALESCE((SELECT CASE o.reason_id WHEN '' THEN o.reason_text ELSE o.reason_id END{_LATEST}),"
    " '') AS latest_reason"
)


def utc_text(when: datetime) -> str:
    """`when` as stored: one fixed format in UTC, so text order is time order in ORDER BY."""
    if when.tzinfo is None:
        raise ValueError("the store only takes timezone-aware datetimes")
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def utc(text: str) -> datetime:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)


def _same(value: Any) -> Any:
    return value


def _optional_result(value: str | None) -> OutcomeResult | None:
    return None if value is None else OutcomeResult(value)


def _checks(text: str) -> tuple[CheckResult, ...]:
    return tuple(
        CheckResult(
            id=c["id"],
            status=Status(c["status"]),
            value=c.get("value"),
            limit=c.get("limit"),
            message=c.get("message", ""),
            fix=c.get("fix", ""),
        )
        for c in json.loads(text)
    )


_PARSE: dict[str, Callable[[Any], Any]] = {
    "created_at": utc,
    "updated_at": utc,
    "checked_at": utc,
    "occurred_at": utc,
    "recorded_at": utc,
    "taken_at": utc,
    "status": AttemptStatus,
    "result": OutcomeResult,
    "latest_result": _optional_result,
    "action": Action,
    "verdict": Status,
    "checks_json": _checks,
}


def row_fields(row: sqlite3.Row) -> dict[str, Any]:
    """A row as keyword arguments for its dataclass, text parsed back to datetimes and enums."""
    try:
        fields = {k: _PARSE.get(k, _same)(v) for k, v in zip(row.keys(), row, strict=True)}
    except (ValueError, KeyError, TypeError) as exc:  # bad JSON, an unknown status, a bad date
        raise CorruptStoreError(
            "The kyctui database holds a record this version cannot read. Rename or move the"
            " database aside and start kyctui again to begin with an empty one."
        ) from exc
    if "checks_json" in fields:
        fields["checks"] = fields.pop("checks_json")
    return fields
