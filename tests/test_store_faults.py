"""The store under faults: kill -9 mid-write and mid-migration, a full disk, a read-only
folder, another window holding the lock (damaged databases: test_store_recovery.py)."""

from __future__ import annotations

import errno
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kyctui.domain.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Store,
    StoreBusyError,
    StoreError,
)
from tests.store_helpers import T0, at, integrity, tables, user_version

ROOT = Path(__file__).resolve().parents[1]  # children import this checkout
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# -- kill -9 ------------------------------------------------------------------------------

SAVER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from kyctui.domain.store import Store
store = Store(Path(sys.argv[1]))
while True:
    a = store.create_attempt("okx", "basic", "passport", "documents", datetime.now(UTC))
    store.set_profile_field(a.id, "full_name", f"Name {a.id}", datetime.now(UTC))
    print(a.id, flush=True)  # only once both changes are committed
"""


def test_kill_9_while_saving_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    rng = random.Random(8)
    committed: list[int] = []
    for _ in range(15):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        assert child.stdout is not None
        try:
            for _ in range(rng.randint(1, 12)):
                line = child.stdout.readline()
                assert line, child.communicate(timeout=10)[1]
                committed.append(int(line))
            # A random moment inside the next transactions, not just after a commit.
            threading.Event().wait(rng.uniform(0, 0.01))
        finally:
            child.send_signal(signal.SIGKILL)
            _, err = child.communicate(timeout=10)
        assert child.returncode == -signal.SIGKILL and "Traceback" not in err
        assert integrity(path) == "ok"
        store = Store(path)  # reopens cleanly (no stray lock, no corruption)
        for attempt_id in committed:
            assert store.get_attempt(attempt_id).profile.full_name == f"Name {attempt_id}"
    assert len(committed) >= 15 and len(set(committed)) == len(committed)


MIGRATOR = """
import sqlite3, sys, time
from pathlib import Path
_connect = sqlite3.connect

class Slow(sqlite3.Connection):
    def execute(self, sql, *args):
        result = super().execute(sql, *args)
        if sql.lstrip().upper().startswith(("CREATE", "PRAGMA USER_VERSION =", "COMMIT")):
            print("did", flush=True)
            time.sleep(0.05)  # the parent kills us here, inside the migration's transaction
        return result

sqlite3.connect = lambda *a, **k: _connect(*a, factory=Slow, **k)
from kyctui.domain.store import Store
Store(Path(sys.argv[1]))
print("done", flush=True)
"""


def version_1_database(path: Path) -> None:
    """A database as kyctui 1 left it: built with the version-1 statements, with a row."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(
            "INSERT INTO attempts (id, exchange, level, document_type, created_at, updated_at,"
            " step, status) VALUES (7, 'okx', 'basic', 'passport', ?, ?, 'documents',"
            " 'in-progress')",
            (T0.isoformat(timespec="microseconds"),) * 2,
        )
    finally:
        conn.close()


def test_kill_9_during_a_migration_leaves_a_consistent_version(tmp_path: Path) -> None:
    version_2_tables = {"outcomes", "actions", "profile", "devices"}
    # Its statements, the user_version it sets, its COMMIT, then the COMMIT of the re-check.
    steps = len(MIGRATIONS[1]) + 3
    assert SCHEMA_VERSION == 2  # with a third migration, build the database at 2 as well
    seen: set[int] = set()
    for kill_after in range(steps + 1):
        path = tmp_path / f"m{kill_after}" / "kyctui.sqlite3"
        path.parent.mkdir()
        version_1_database(path)
        child = subprocess.Popen(
            [sys.executable, "-c", MIGRATOR, str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        assert child.stdout is not None
        lines = [child.stdout.readline().strip() for _ in range(kill_after)]
        assert set(lines) <= {"did"}, child.communicate(timeout=10)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=10)
        assert integrity(path) == "ok"
        version = user_version(path)
        seen.add(version)
        # Each step is one transaction with its user_version: all of it or none of it.
        assert version in (1, 2)
        assert (version_2_tables <= tables(path)) == (version == 2)
        assert not (version_2_tables & tables(path)) or version == 2
        store = Store(path)  # finishes the migration
        assert user_version(path) == SCHEMA_VERSION
        assert [s.id for s in store.list_attempts()] == [7]
    assert seen == {1, 2}  # killed both before and after the step's commit


# -- a full disk and a read-only folder -----------------------------------------------------


def faulty_connect(
    monkeypatch: pytest.MonkeyPatch, fails: Callable[[str], bool], message: str
) -> None:
    """sqlite3.connect as the store calls it, but statements matching `fails` raise."""
    real = sqlite3.connect

    class Faulty(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if fails(sql.lstrip().upper()):
                raise sqlite3.OperationalError(message)
            return super().execute(sql, *args)

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real(*args, factory=Faulty, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)


def writes(sql: str) -> bool:
    return sql.startswith(("INSERT", "UPDATE", "DELETE"))


@contextmanager
def seeded(tmp_path: Path) -> Iterator[tuple[Store, int, Any]]:
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "passport", "documents", at(0))
    store.set_profile_field(attempt.id, "full_name", "Ada Lovelace", at(1))
    yield store, attempt.id, store.get_attempt(attempt.id)


def assert_intact(path: Path, attempt_id: int, before: Any) -> None:
    assert integrity(path) == "ok"
    again = Store(path)
    assert again.get_attempt(attempt_id) == before
    assert [s.id for s in again.list_attempts()] == [attempt_id]


@pytest.mark.parametrize(
    ("fails", "cause"),
    [(writes, "disk is full"), (lambda sql: sql == "COMMIT", "disk is full")],
    ids=["on-write", "on-commit"],
)
def test_a_full_disk_is_named_and_damages_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: Callable[[str], bool], cause: str
) -> None:
    with seeded(tmp_path) as (store, attempt_id, before):
        faulty_connect(monkeypatch, fails, "database or disk is full")
        for change in (
            lambda: store.create_attempt("okx", "basic", "passport", "documents", at(2)),
            lambda: store.set_profile_field(attempt_id, "full_name", "Ada King", at(2)),
            lambda: store.delete_attempt(attempt_id),
        ):
            with pytest.raises(StoreError) as caught:
                change()
            assert type(caught.value) is StoreError
            assert cause in str(caught.value) and "free some space" in str(caught.value)
        assert store.get_attempt(attempt_id) == before  # reading still works
        monkeypatch.undo()
        assert_intact(store.path, attempt_id, before)


def test_a_real_sqlite_full_error_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLITE_FULL from SQLite itself (the file may not grow): its result code is used."""
    with seeded(tmp_path) as (store, attempt_id, _):
        real = sqlite3.connect

        def capped(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn: sqlite3.Connection = real(*args, **kwargs)
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
            return conn

        monkeypatch.setattr(sqlite3, "connect", capped)
        with pytest.raises(StoreError, match="disk is full"):
            for n in range(200):  # fills the last free pages, then SQLite refuses
                store.set_profile_field(attempt_id, "address", "x" * 4000 + str(n), at(2))
        monkeypatch.undo()
        assert integrity(store.path) == "ok"
        assert Store(store.path).get_attempt(attempt_id).profile.full_name == "Ada Lovelace"


def test_a_read_only_database_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with seeded(tmp_path) as (store, attempt_id, before):
        faulty_connect(monkeypatch, writes, "attempt to write a readonly database")
        with pytest.raises(StoreError, match="read-only") as caught:
            store.set_step(attempt_id, "profile", at(3))
        assert "check that its folder is writable" in str(caught.value)
        monkeypatch.undo()
        assert_intact(store.path, attempt_id, before)


def test_a_read_only_file_system_at_open_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.open

    def refuse(file: Any, *args: Any, **kwargs: Any) -> int:
        if Path(os.fsdecode(file)).is_relative_to(tmp_path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(StoreError, match="Read-only file system"):
        Store(tmp_path / "data" / "kyctui.sqlite3")


@pytest.mark.skipif(IS_ROOT, reason="root writes into a 0500 folder: emulated above instead")
def test_a_read_only_data_dir(tmp_path: Path) -> None:
    with seeded(tmp_path) as (store, attempt_id, before):
        os.chmod(tmp_path, 0o500)
        try:
            with pytest.raises(StoreError) as caught:
                store.set_step(attempt_id, "profile", at(3))
            assert "kyctui database" in str(caught.value)
        finally:
            os.chmod(tmp_path, 0o700)
        assert_intact(store.path, attempt_id, before)


def test_a_busy_database_says_to_close_the_other_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kyctui.domain import store as store_module

    with seeded(tmp_path) as (store, attempt_id, before):
        monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
        faulty_connect(monkeypatch, writes, "database is locked")
        with pytest.raises(StoreBusyError, match="Close the other window"):
            store.set_step(attempt_id, "profile", at(3))
        monkeypatch.undo()
        assert_intact(store.path, attempt_id, before)
