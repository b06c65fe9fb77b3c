"""The store's tables, their migrations, and turning rows back into domain dataclasses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kyctui.domain.attempts import AttemptStatus
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
]
SCHEMA_VERSION = len(MIGRATIONS)

# Column lists named as the dataclass fields, so a row becomes one with row_fields().
ATTEMPT_COLUMNS = "id, exchange, level, document_type, created_at, updated_at, step, status"
PHOTO_COLUMNS = (
    "slot, path, size_bytes, sha256, phash, width, height, verdict, checks_json, checked_at"
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
    "status": AttemptStatus,
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
