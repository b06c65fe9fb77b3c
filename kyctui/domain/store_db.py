"""Opening the store's SQLite file: private modes, WAL, stepwise migrations and transactions."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from kyctui.domain.display import safe_path
from kyctui.domain.store_errors import FutureSchemaError, corrupt, missing, translate
from kyctui.domain.store_schema import MIGRATIONS, SCHEMA_VERSION, utc_text

SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite 3 database
# Every table the migrations create: a database at the current version lacking one is not ours.
_TABLES = frozenset(
    re.findall(r"CREATE TABLE (\w+)", " ".join(s for step in MIGRATIONS for s in step))
)


def secure_dir(path: Path) -> None:
    """Create `path` 0700 (or tighten it), unless it is a shared sticky directory."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Never tighten a shared sticky directory such as /tmp when handed a path directly inside it.
    if not path.stat().st_mode & stat.S_ISVTX:
        os.chmod(path, 0o700)  # mkdir's mode is cut by the umask and ignored for an existing dir


def secure_file(path: Path) -> None:
    """Create the database file 0600 before SQLite opens it, and tighten any companions."""
    # sqlite3 would create it 0644 under umask 022, and gives its -wal and -shm files the mode
    # of the database file.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    for suffix in ("", "-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.chmod(companion, 0o600)  # files left by older versions or another umask


def check_header(path: Path) -> None:
    """CorruptStoreError when the file is not empty and does not start as SQLite files do."""
    # Checked before SQLite sees the file: SQLite would take a stray -wal beside a file that
    # is not a database as an empty log and delete it when the connection closes.
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head and not SQLITE_MAGIC.startswith(head):  # a prefix: another kyctui is creating it
        raise corrupt(path, "is not a database")


def enable_wal(conn: sqlite3.Connection, timeout_ms: int) -> None:
    """Switch the file to WAL, so the TUI reads while a worker writes (persistent: set once)."""
    # Switching needs an exclusive lock and SQLite answers BUSY at once, without the busy
    # handler, while another new Store is switching too: retry until the busy timeout.
    deadline = time.monotonic() + timeout_ms / 1000
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


def prepare(conn: sqlite3.Connection, path: Path, timeout_ms: int) -> None:
    """Check the file is a sound kyctui database, switch it to WAL and migrate it; a
    FutureSchemaError or CorruptStoreError otherwise, with the file left as it was."""
    # The version first, from the header alone: a newer kyctui's schema may use what this
    # SQLite cannot parse, and that must read as "update kyctui", never as damage.
    refuse_future(conn, path)
    # quick_check reads every page: a file cut short or overwritten opens without complaint
    # and would fail only later, at the first query that reaches the damage.
    found = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if found != ["ok"]:
        raise corrupt(path)
    enable_wal(conn, timeout_ms)
    migrate(conn, path)
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    if _TABLES - {row[0] for row in rows}:
        raise corrupt(path, "is not a kyctui database (its tables are missing)")


def refuse_future(conn: sqlite3.Connection, path: Path) -> None:
    """FutureSchemaError when the database was written by a newer kyctui."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise FutureSchemaError(
            f"The kyctui database at {safe_path(path)} was written by a newer kyctui"
            f" (schema {version}; this version knows up to {SCHEMA_VERSION})."
            " Update kyctui to open it; it was left untouched."
        )


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the database up to SCHEMA_VERSION, one version per transaction."""
    while True:
        # Re-read inside the write lock: another process may have migrated meanwhile.
        conn.execute("BEGIN IMMEDIATE")
        try:
            refuse_future(conn, path)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
                # Version 0 with tables: another program's database, never to be altered.
                raise corrupt(path, "is not a kyctui database")
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
def connect(path: Path, timeout_ms: int) -> Iterator[sqlite3.Connection]:
    """A short-lived connection; SQLite errors come out as StoreErrors in our own words."""
    # mode=rw: SQLite must never create the file itself (it would not make it 0600).
    uri = path.resolve().as_uri() + "?mode=rw"
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout_ms / 1000)
        conn.row_factory = sqlite3.Row
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: an fsync on every commit, so nothing shown as saved is lost on power loss.
        conn.execute("PRAGMA synchronous = FULL")
        # Deleted rows are overwritten with zeros, so a forgotten name or document number does
        # not linger in free pages; temporary tables (sorts, VACUUM) stay in memory, not /tmp.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        yield conn
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    finally:
        conn.close()


@contextmanager
def reading(path: Path, timeout_ms: int) -> Iterator[sqlite3.Connection]:
    """One read transaction, so an attempt and its rows come from the same moment."""
    with connect(path, timeout_ms) as conn:
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")


@contextmanager
def writing(path: Path, timeout_ms: int) -> Iterator[sqlite3.Connection]:
    """One write transaction, committed when the block ends without an error."""
    # IMMEDIATE takes the write lock up front, so concurrent writers wait (busy_timeout)
    # instead of failing when a read transaction tries to become a write one.
    with connect(path, timeout_ms) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def touch(
    conn: sqlite3.Connection,
    attempt_id: int,
    now: datetime,
    also: str = "",
    params: tuple[Any, ...] = (),
) -> None:
    """Bump the attempt's updated_at (and set `also`); AttemptNotFound if it does not exist."""
    # Every write goes through here, and this also proves the attempt exists.
    sets = "updated_at = ?" + (f", {also}" if also else "")
    cursor = conn.execute(
        f"UPDATE attempts SET {sets} WHERE id = ?", (utc_text(now), *params, attempt_id)
    )
    if cursor.rowcount == 0:
        raise missing(attempt_id)
