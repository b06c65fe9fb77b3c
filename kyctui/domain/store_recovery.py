"""A damaged database moved aside under a timestamped name, and a fresh store in its place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kyctui.domain.display import safe_path
from kyctui.domain.store import Store
from kyctui.domain.store_errors import CorruptStoreError, StoreError

# SQLite's files beside a database: its write-ahead log, the log's index, a rollback journal.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
CORRUPT_MARK = ".corrupt-"
LOCK_SUFFIX = ".recovery-lock"


@dataclass(frozen=True)
class RecoveryNote:
    """What open_or_recover did with a damaged database: to be told to the user."""

    moved_to: Path
    companions: tuple[Path, ...] = ()

    @property
    def message(self) -> str:
        """One line for the user (stderr, or a notice in the TUI)."""
        return (
            f"The kyctui database was damaged and could not be read. It was moved aside to"
            f" {safe_path(self.moved_to)} (nothing was deleted) and a new, empty one was started."
            " Your photos were never inside it and are where they were."
        )

    def __str__(self) -> str:
        return self.message


def companions(path: Path) -> list[Path]:
    """The companion file names of the database at `path` (whether they exist or not)."""
    return [path.with_name(path.name + suffix) for suffix in COMPANION_SUFFIXES]


def corrupt_copies(path: Path) -> list[Path]:
    """Every moved-aside copy of the database at `path`, with its companions, oldest first."""
    prefix = path.name + CORRUPT_MARK
    try:
        return sorted(p for p in path.parent.iterdir() if p.name.startswith(prefix))
    except FileNotFoundError:  # no data dir yet
        return []


def open_or_recover(path: Path, now: datetime) -> tuple[Store, RecoveryNote | None]:
    """Store(path); if the file is damaged or not a database, move it (and its companions)
    aside as `<name>.corrupt-YYYYmmdd-HHMMSS`, mode 0600, start a fresh store and say so.

    FutureSchemaError (a newer kyctui's database is not damaged: it is never moved) and any
    other StoreError propagate. Two processes finding the same damage move it only once.
    """
    try:
        return Store(path), None
    except CorruptStoreError:
        pass
    with _recovery_lock(path):
        try:  # another kyctui may have recovered it while we waited for the lock
            return Store(path), None
        except CorruptStoreError:
            note = move_aside(path, now)
        return Store(path), note


def move_aside(path: Path, now: datetime) -> RecoveryNote:
    """Rename the database and its companions to a free timestamped name, each made 0600."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    pairs: list[tuple[Path, Path]] = []
    for n in range(1, 1000):
        name = f"{path.name}{CORRUPT_MARK}{stamp}" + (f"-{n}" if n > 1 else "")
        target = path.with_name(name)
        # Companions keep SQLite's suffixes, so the copy opens with its own log if rescued.
        pairs = [(path, target)] + [
            (c, target.with_name(target.name + c.name[len(path.name) :])) for c in companions(path)
        ]
        if not any(os.path.lexists(dst) for _, dst in pairs):
            break
    else:  # pragma: no cover - a thousand recoveries within one second
        raise StoreError(f"Cannot move the damaged kyctui database at {safe_path(path)} aside.")
    moved: list[Path] = []
    try:
        for src, dst in pairs:
            if not os.path.lexists(src):
                continue
            os.rename(src, dst)  # same folder: atomic, and never a copy left behind
            os.chmod(dst, 0o600)
            moved.append(dst)
    except OSError as exc:
        raise StoreError(
            f"The kyctui database at {safe_path(path)} is damaged, and moving it aside failed"
            f" ({exc.strerror}): move or rename it yourself, then start kyctui again."
        ) from None
    return RecoveryNote(moved_to=pairs[0][1], companions=tuple(moved[1:]))


@contextmanager
def _recovery_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `<name>.recovery-lock` (where the system has flock)."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; two kyctuis recovering at once is very unlikely
        yield
        return
    try:
        fd = os.open(path.with_name(path.name + LOCK_SUFFIX), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(
            f"The kyctui database at {safe_path(path)} is damaged, and its folder cannot be"
            f" written ({exc.strerror}): move the file aside yourself, then start kyctui again."
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
