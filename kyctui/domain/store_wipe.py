"""Forgetting one attempt, or wiping the database, so no copy lingers in SQLite's files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kyctui.domain import store as store_module
from kyctui.domain import store_db
from kyctui.domain.display import safe_path
from kyctui.domain.store import Store
from kyctui.domain.store_errors import StoreError
from kyctui.domain.store_recovery import LOCK_SUFFIX, companions, corrupt_copies


def scrub(path: Path) -> bool:
    """Fold the write-ahead log into the database and empty it, then VACUUM (rebuilding the
    file without its free pages) and empty the log again. False when another connection
    kept part of the log in use, so old page copies may remain there until it closes."""
    with store_db.connect(path, store_module.BUSY_TIMEOUT_MS) as conn:
        # Deleted rows were already zeroed in place (secure_delete, set on every connection),
        # but older versions of their pages can still sit in the log: TRUNCATE writes the
        # log back and cuts it to 0 bytes, and VACUUM drops the zeroed free pages.
        busy_before = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        conn.execute("VACUUM")
        busy_after = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return not (busy_before or busy_after)


def forget(store: Store, attempt_id: int) -> bool:
    """Delete the attempt and everything kept about it (items, photo results, profile,
    device, outcomes, actions) and scrub the files; AttemptNotFound if there is none.
    Returns scrub()'s answer: False when another kyctui window still holds old copies."""
    store.delete_attempt(attempt_id)  # ON DELETE CASCADE takes every row that refers to it
    return scrub(store.path)


def wipe_targets(path: Path) -> list[Path]:
    """Every file kyctui keeps for the database at `path` that exists now: the database, its
    companions, the copies moved aside as damaged, and the recovery lock."""
    candidates = [path, *companions(path), *corrupt_copies(path)]
    candidates.append(path.with_name(path.name + LOCK_SUFFIX))
    return [p for p in candidates if os.path.lexists(p)]


def _shred(path: Path) -> None:
    """Overwrite a regular file with zeros (as far as the file system allows), then unlink it."""
    info = os.lstat(path)
    if stat.S_ISREG(info.st_mode) and info.st_size:
        # O_NOFOLLOW: never write through a link someone put in the data dir.
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            zeros = bytes(min(info.st_size, 1 << 20))
            left = info.st_size
            while left > 0:
                left -= os.write(fd, zeros[: min(left, len(zeros))])
            os.fsync(fd)
        finally:
            os.close(fd)
    os.unlink(path)


def wipe(path: Path) -> list[Path]:
    """Delete the database at `path` and every file that goes with it (see wipe_targets),
    each overwritten with zeros first. Returns what was removed; StoreError naming the file
    when one could not be removed (those before it are gone)."""
    removed: list[Path] = []
    for target in wipe_targets(path):
        try:
            _shred(target)
        except FileNotFoundError:
            continue  # removed meanwhile (another kyctui's wipe): the goal is met
        except OSError as exc:
            raise StoreError(f"Could not delete {safe_path(target)} ({exc.strerror}).") from None
        removed.append(target)
    return removed
