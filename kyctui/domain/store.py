"""The SQLite store of attempts: private files, stepwise migrations, every change saved at once."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kyctui import locations
from kyctui.domain.attempts import (
    UNFINISHED,
    Attempt,
    AttemptStatus,
    AttemptSummary,
    ItemState,
    StoredPhoto,
)
from kyctui.domain.photos.result import PhotoReport, Status
from kyctui.domain.store_errors import (
    AttemptNotFound,
    CorruptStoreError,
    FutureSchemaError,
    StoreBusyError,
    StoreError,
    missing,
    translate,
)
from kyctui.domain.store_schema import (
    ATTEMPT_COLUMNS,
    MIGRATIONS,
    PHOTO_COLUMNS,
    SCHEMA_VERSION,
    row_fields,
    utc_text,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AttemptNotFound",
    "CorruptStoreError",
    "FutureSchemaError",
    "Store",
    "StoreBusyError",
    "StoreError",
]

BUSY_TIMEOUT_MS = 5000


def _secure_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Never tighten a shared sticky directory such as /tmp when handed a path directly inside it.
    if not path.stat().st_mode & stat.S_ISVTX:
        os.chmod(path, 0o700)  # mkdir's mode is cut by the umask and ignored for an existing dir


def _secure_file(path: Path) -> None:
    # Created here, 0600, before SQLite opens it: sqlite3 would create it 0644 under umask 022,
    # and gives its -wal and -shm files the mode of the database file.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists():
            os.chmod(companion, 0o600)  # files left by older versions or another umask


class Store:
    """Attempts, checklist items and photo results in one SQLite file; safe across threads
    and processes because each call uses its own short-lived connection and transaction.
    The file's directory is taken to be kyctui's private data dir and is made 0700."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            _secure_dir(self.path.parent)
            _secure_file(self.path)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the kyctui database at {self.path}: {exc.strerror}."
            ) from exc
        with self._connect() as conn:
            self._enable_wal(conn)
            self._migrate(conn)

    @classmethod
    def open_default(cls) -> Store:
        """The store in the user's data dir (or KYCTUI_DATA_DIR)."""
        return cls(locations.database_path())

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
        """The attempt with its items and photos; AttemptNotFound if there is none."""
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
        return Attempt(
            **row_fields(row),
            items={item_id: ItemState(state) for item_id, state in items},
            photos={p["slot"]: StoredPhoto(**row_fields(p)) for p in photos},
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
            self._touch(conn, attempt_id, now, "step = ?", (step,))

    def set_status(self, attempt_id: int, status: AttemptStatus, now: datetime) -> None:
        """Move the attempt to another status."""
        with self._write() as conn:
            self._touch(conn, attempt_id, now, "status = ?", (str(status),))

    def set_item(self, attempt_id: int, item_id: str, state: ItemState, now: datetime) -> None:
        """Tick, untick or mark a checklist item not applicable."""
        with self._write() as conn:
            self._touch(conn, attempt_id, now)
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
            self._touch(conn, attempt_id, checked_at)
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
            self._touch(conn, attempt_id, now or datetime.now(UTC))
            conn.execute("DELETE FROM photos WHERE attempt_id = ? AND slot = ?", (attempt_id, slot))

    # -- plumbing -------------------------------------------------------------------------

    def _summaries(
        self, where: str, params: tuple[Any, ...] = (), limit: int = -1
    ) -> list[AttemptSummary]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {ATTEMPT_COLUMNS},"
                " (SELECT COUNT(*) FROM items i WHERE i.attempt_id = a.id AND i.state = ?)"
                " AS items_done,"
                " (SELECT COUNT(*) FROM photos p WHERE p.attempt_id = a.id) AS photos,"
                " (SELECT COUNT(*) FROM photos p WHERE p.attempt_id = a.id AND p.verdict = ?)"
                " AS failures"
                f" FROM attempts a {where} ORDER BY a.updated_at DESC, a.id DESC LIMIT ?",
                (str(ItemState.DONE), str(Status.FAIL), *params, limit),
            ).fetchall()
        return [AttemptSummary(**row_fields(r)) for r in rows]

    @staticmethod
    def _touch(
        conn: sqlite3.Connection,
        attempt_id: int,
        now: datetime,
        also: str = "",
        params: tuple[Any, ...] = (),
    ) -> None:
        # Every write bumps updated_at, and this also proves the attempt exists.
        sets = "updated_at = ?" + (f", {also}" if also else "")
        cursor = conn.execute(
            f"UPDATE attempts SET {sets} WHERE id = ?", (utc_text(now), *params, attempt_id)
        )
        if cursor.rowcount == 0:
            raise missing(attempt_id)

    @staticmethod
    def _enable_wal(conn: sqlite3.Connection) -> None:
        # WAL lets the TUI read while a worker writes; it is persistent, so set it once here.
        # Switching needs an exclusive lock and SQLite answers BUSY at once, without the busy
        # handler, while another new Store is switching too: retry until the busy timeout.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        while True:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise FutureSchemaError(
                        f"The kyctui database at {self.path} was written by a newer kyctui"
                        f" (schema {version}; this version knows up to {SCHEMA_VERSION})."
                        " Update kyctui to open it; it was left untouched."
                    )
                if version == SCHEMA_VERSION:
                    conn.execute("COMMIT")
                    return
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")  # same transaction
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # mode=rw: SQLite must never create the file itself (it would not make it 0600).
        uri = self.path.resolve().as_uri() + "?mode=rw"
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves.
            conn = sqlite3.connect(
                uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
            conn.row_factory = sqlite3.Row
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # FULL: an fsync on every commit, so nothing shown as saved is lost on power loss.
            conn.execute("PRAGMA synchronous = FULL")
            yield conn
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc
        finally:
            conn.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        # One read transaction, so an attempt and its items come from the same moment.
        with self._connect() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so concurrent writers wait (busy_timeout)
        # instead of failing when a read transaction tries to become a write one.
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
