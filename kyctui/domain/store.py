"""The SQLite store of attempts: private files, stepwise migrations, every change saved at once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kyctui import locations
from kyctui.domain import store_db, store_outcomes
from kyctui.domain.attempts import (
    UNFINISHED,
    Attempt,
    AttemptStatus,
    AttemptSummary,
    ItemState,
    StoredPhoto,
)
from kyctui.domain.outcomes import Action, ActionTaken, DeviceInfo, Outcome, OutcomeResult
from kyctui.domain.photos.result import PhotoReport, Status
from kyctui.domain.store_db import touch
from kyctui.domain.store_errors import (
    AttemptNotFound,
    CorruptStoreError,
    FutureSchemaError,
    OutcomeNotFound,
    StoreBusyError,
    StoreError,
    missing,
)
from kyctui.domain.store_outcomes import scope
from kyctui.domain.store_schema import (
    ATTEMPT_COLUMNS,
    MIGRATIONS,
    PHOTO_COLUMNS,
    SCHEMA_VERSION,
    SUMMARY_COLUMNS,
    row_fields,
    utc_text,
)

if TYPE_CHECKING:
    from kyctui.domain.store_recovery import RecoveryNote

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AttemptNotFound",
    "CorruptStoreError",
    "FutureSchemaError",
    "OutcomeNotFound",
    "Store",
    "StoreBusyError",
    "StoreError",
]

BUSY_TIMEOUT_MS = 5000


class Store:
    """Attempts with their checklist items, photo results, profile, device, the exchange's
    answers and the actions taken, in one SQLite file; safe across threads
    and processes because each call uses its own short-lived connection and transaction.
    The file's directory is taken to be kyctui's private data dir and is made 0700."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            store_db.secure_dir(self.path.parent)
            store_db.secure_file(self.path)
            store_db.check_header(self.path)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the kyctui database at {self.path}: {exc.strerror}."
            ) from exc
        with store_db.connect(self.path, BUSY_TIMEOUT_MS) as conn:
            store_db.prepare(conn, self.path, BUSY_TIMEOUT_MS)
        # Set by open_default when it had to move a damaged database aside: tell the user.
        self.recovery_note: RecoveryNote | None = None

    @classmethod
    def open_default(cls, now: datetime | None = None) -> Store:
        """The store in the user's data dir (or KYCTUI_DATA_DIR). A damaged database is moved
        aside and a fresh one started, with `recovery_note` saying so (see open_or_recover);
        FutureSchemaError and other StoreErrors are raised."""
        from kyctui.domain.store_recovery import open_or_recover

        store, note = open_or_recover(locations.database_path(), now or datetime.now().astimezone())
        store.recovery_note = note
        return store

    # -- attempts -------------------------------------------------------------------------

    def create_attempt(
        self, exchange: str, level: str, document_type: str, step: str, now: datetime
    ) -> Attempt:
        """A new in-progress attempt with nothing ticked and no photos."""
        at = utc_text(now)
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO attempts"
                " (exchange, level, document_type, created_at, updated_at, step, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (exchange, level, document_type, at, at, step, str(AttemptStatus.IN_PROGRESS)),
            )
            attempt_id = cursor.lastrowid
        assert attempt_id is not None  # an INSERT into a rowid table always sets it
        return self.get_attempt(attempt_id)

    def get_attempt(self, attempt_id: int) -> Attempt:
        """The attempt with its items, photos, profile, device, outcomes and actions;
        AttemptNotFound if there is none."""
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                raise missing(attempt_id)
            items = conn.execute(
                "SELECT item_id, state FROM items WHERE attempt_id = ? ORDER BY item_id",
                (attempt_id,),
            ).fetchall()
            photos = conn.execute(
                f"SELECT {PHOTO_COLUMNS} FROM photos WHERE attempt_id = ? ORDER BY slot",
                (attempt_id,),
            ).fetchall()
            mine = ("WHERE a.id = ?", (attempt_id,))
            return Attempt(
                **row_fields(row),
                items={item_id: ItemState(state) for item_id, state in items},
                photos={p["slot"]: StoredPhoto(**row_fields(p)) for p in photos},
                profile=store_outcomes.select_profile(conn, attempt_id),
                device=store_outcomes.select_device(conn, attempt_id),
                outcomes=store_outcomes.select_outcomes(conn, *mine),
                actions=store_outcomes.select_actions(conn, *mine),
            )

    def list_attempts(self) -> list[AttemptSummary]:
        """Every attempt, most recently updated first."""
        return self._summaries("")

    def latest_unfinished(self) -> AttemptSummary | None:
        """The most recently updated attempt that is in progress or ready, if any."""
        marks = ", ".join("?" for _ in UNFINISHED)
        found = self._summaries(
            f"WHERE a.status IN ({marks})", tuple(str(s) for s in UNFINISHED), limit=1
        )
        return found[0] if found else None

    def delete_attempt(self, attempt_id: int) -> None:
        """Forget the attempt, its items and photo results (the photo files stay where they are)."""
        with self._write() as conn:
            if conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,)).rowcount == 0:
                raise missing(attempt_id)

    def set_step(self, attempt_id: int, step: str, now: datetime) -> None:
        """Remember which step the user is on."""
        with self._write() as conn:
            touch(conn, attempt_id, now, "step = ?", (step,))

    def set_status(self, attempt_id: int, status: AttemptStatus, now: datetime) -> None:
        """Move the attempt to another status."""
        with self._write() as conn:
            touch(conn, attempt_id, now, "status = ?", (str(status),))

    def set_item(self, attempt_id: int, item_id: str, state: ItemState, now: datetime) -> None:
        """Tick, untick or mark a checklist item not applicable."""
        with self._write() as conn:
            touch(conn, attempt_id, now)
            conn.execute(
                "INSERT INTO items (attempt_id, item_id, state, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (attempt_id, item_id)"
                " DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                (attempt_id, item_id, str(state), utc_text(now)),
            )

    # -- photos ---------------------------------------------------------------------------

    def save_photo(self, attempt_id: int, report: PhotoReport, checked_at: datetime) -> StoredPhoto:
        """Keep what was found about a photo in slot `report.kind`, replacing an earlier one.
        Only the path, size, hashes, dimensions and check results: never pixels or file bytes."""
        with self._write() as conn:
            touch(conn, attempt_id, checked_at)
            row = {
                "attempt_id": attempt_id,
                "slot": report.kind,
                "path": str(report.path),
                "size_bytes": report.size_bytes,
                "sha256": report.sha256,
                "phash": report.phash,
                "width": report.width,
                "height": report.height,
                "verdict": str(report.verdict),
                "checks_json": json.dumps([c.to_json() for c in report.checks]),
                "checked_at": utc_text(checked_at),
            }
            columns, marks = ", ".join(row), ", ".join(f":{key}" for key in row)
            conn.execute(f"INSERT OR REPLACE INTO photos ({columns}) VALUES ({marks})", row)
            # Read back (not RETURNING: SQLite < 3.35 still ships with some Linux distributions)
            # so the caller sees exactly what a reload would.
            saved = conn.execute(
                f"SELECT {PHOTO_COLUMNS} FROM photos WHERE attempt_id = ? AND slot = ?",
                (attempt_id, report.kind),
            ).fetchone()
        return StoredPhoto(**row_fields(saved))

    def remove_photo(self, attempt_id: int, slot: str, now: datetime | None = None) -> None:
        """Forget the photo in `slot` (nothing happens if the slot is empty)."""
        with self._write() as conn:
            touch(conn, attempt_id, now or datetime.now(UTC))
            conn.execute("DELETE FROM photos WHERE attempt_id = ? AND slot = ?", (attempt_id, slot))

    # -- outcomes, actions, profile and device ---------------------------------------------

    def record_outcome(
        self,
        attempt_id: int,
        result: OutcomeResult,
        reason_id: str,
        reason_text: str,
        message: str,
        occurred_at: datetime,
        now: datetime,
    ) -> Outcome:
        """Keep the exchange's answer; the attempt's status becomes that of its latest answer
        (by `occurred_at`), which is this one unless an older answer is being caught up on."""
        with self._write() as conn:
            return store_outcomes.insert_outcome(
                conn, attempt_id, result, reason_id, reason_text, message, occurred_at, now
            )

    def delete_outcome(self, outcome: Outcome, now: datetime) -> None:
        """Forget one recorded answer (OutcomeNotFound if it is gone); the status follows the
        answers left, or returns to what it was before the first one."""
        with self._write() as conn:
            store_outcomes.delete_outcome(conn, outcome, now)

    def list_outcomes(
        self, attempt_id: int | None = None, exchange: str | None = None
    ) -> list[Outcome]:
        """Answers of one attempt, or of every attempt at one exchange (all if neither), oldest
        first."""
        where, params = scope(attempt_id, exchange)
        with self._read() as conn:
            return store_outcomes.select_outcomes(conn, where, params)

    def history(self, exchange: str) -> tuple[list[Outcome], list[ActionTaken]]:
        """Every answer and every ticked action across the attempts at one exchange, oldest
        first: what the escalation policy works from."""
        where, params = scope(None, exchange)
        with self._read() as conn:
            return (
                store_outcomes.select_outcomes(conn, where, params),
                store_outcomes.select_actions(conn, where, params),
            )

    def set_action(self, attempt_id: int, action: Action, taken: bool, now: datetime) -> None:
        """Tick (keeping the first time it was ticked) or untick an action the user took."""
        with self._write() as conn:
            store_outcomes.set_action(conn, attempt_id, action, taken, now)

    def set_profile_field(self, attempt_id: int, name: str, value: str, now: datetime) -> None:
        """Keep one Profile field exactly as typed (KeyError for a name Profile lacks)."""
        with self._write() as conn:
            store_outcomes.set_profile_field(conn, attempt_id, name, value, now)

    def set_device(self, attempt_id: int, device: DeviceInfo, now: datetime) -> None:
        """Replace what the user said about the device they verify on."""
        with self._write() as conn:
            store_outcomes.set_device(conn, attempt_id, device, now)

    # -- plumbing -------------------------------------------------------------------------

    def _summaries(
        self, where: str, params: tuple[Any, ...] = (), limit: int = -1
    ) -> list[AttemptSummary]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {SUMMARY_COLUMNS}"
                f" FROM attempts a {where} ORDER BY a.updated_at DESC, a.id DESC LIMIT ?",
                (str(ItemState.DONE), str(Status.FAIL), *params, limit),
            ).fetchall()
        return [AttemptSummary(**row_fields(r)) for r in rows]

    # Module-level BUSY_TIMEOUT_MS read at each call, so a test can shorten it.
    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with store_db.reading(self.path, BUSY_TIMEOUT_MS) as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with store_db.writing(self.path, BUSY_TIMEOUT_MS) as conn:
            yield conn
