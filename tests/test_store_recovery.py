"""Damaged databases are moved aside (never deleted), a fresh one started and the user told;
another program's database and a newer kyctui's are never touched."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest

from kyctui.cli import main
from kyctui.domain.store import SCHEMA_VERSION, CorruptStoreError, FutureSchemaError, Store
from kyctui.domain.store_recovery import open_or_recover
from tests.store_helpers import T0, at, integrity, mode, tables, user_version

ROOT = Path(__file__).resolve().parents[1]  # children import this checkout


# -- damaged databases ------------------------------------------------------------------------


def damage(path: Path, how: str) -> bytes:
    """Spoil a real database in one of the ways files get spoiled; returns the bytes left."""
    data = path.read_bytes()
    spoilt = {
        "cut-in-half": data[: len(data) // 2],
        "garbage": random.Random(3).randbytes(len(data)),
        "json": b'{"attempts": [{"id": 1, "exchange": "okx"}]}\n',
        "zeroed-pages": data[:4096] + bytes(len(data) - 4096),
    }[how]
    path.write_bytes(spoilt)
    return spoilt


def filled(path: Path) -> Store:
    store = Store(path)
    for n in range(8):  # enough pages that cutting or zeroing hits the tables
        attempt = store.create_attempt("okx", "basic", "passport", "documents", at(n))
        store.set_profile_field(attempt.id, "address", f"{n} Long Street " * 400, at(n))
    return store


@pytest.mark.parametrize("how", ["cut-in-half", "garbage", "json", "zeroed-pages"])
def test_a_damaged_database_is_moved_aside_and_a_fresh_one_started(
    tmp_path: Path, how: str
) -> None:
    path = tmp_path / "kyctui.sqlite3"
    filled(path)
    spoilt = damage(path, how)
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"left over by a crash")
    os.chmod(path, 0o644)
    with pytest.raises(CorruptStoreError, match="move it aside"):
        Store(path)  # detected at open, not at the first query that reaches the damage
    assert path.read_bytes() == spoilt  # Store itself never moves anything
    # A file that does not even start as a database never reaches SQLite, which would take the
    # stray log for an empty one and delete it. (Past a sound header, SQLite reads its log as
    # it always does, and the log of a damaged file is replayed into it before it is moved.)
    stray_log_kept = wal.exists()
    assert stray_log_kept == (how in ("garbage", "json"))

    store, note = open_or_recover(path, datetime(2025, 3, 1, 13, 4, 5))
    assert note is not None
    aside = tmp_path / "kyctui.sqlite3.corrupt-20250301-130405"
    assert note.moved_to == aside and aside.read_bytes() == spoilt and mode(aside) == 0o600
    moved_wal = tmp_path / "kyctui.sqlite3.corrupt-20250301-130405-wal"
    if stray_log_kept:
        assert note.companions == (moved_wal,) and mode(moved_wal) == 0o600
        assert moved_wal.read_bytes() == b"left over by a crash"
    assert not wal.exists()
    assert store.list_attempts() == [] and integrity(path) == "ok" and mode(path) == 0o600
    message = note.message
    assert "\n" not in message and str(aside) in message and "nothing was deleted" in message

    # The same damage again within the same second: a second name, the first copy kept.
    damage(path, "garbage")
    _, again = open_or_recover(path, datetime(2025, 3, 1, 13, 4, 5))
    assert again is not None and again.moved_to.name.endswith("130405-2")
    assert aside.read_bytes() == spoilt


def test_another_programs_database_is_not_altered(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(CorruptStoreError, match="not a kyctui database"):
        Store(path)
    assert tables(path) == {"notes"}
    _, note = open_or_recover(path, T0)
    assert note is not None and tables(note.moved_to) == {"notes"}


def test_a_newer_kyctuis_database_is_never_moved(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    filled(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(FutureSchemaError, match="Update kyctui"):
        open_or_recover(path, T0)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert user_version(path) == SCHEMA_VERSION + 1


def test_recovering_at_once_moves_the_file_once(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    filled(path)
    damage(path, "garbage")
    start = threading.Barrier(4)
    notes: list[object] = []
    errors: list[BaseException] = []

    def recover() -> None:
        start.wait()
        try:
            notes.append(open_or_recover(path, T0)[1])
        except BaseException as exc:  # surfaced by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=recover) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(note is not None for note in notes) == 1
    assert len(list(tmp_path.glob("kyctui.sqlite3.corrupt-*"))) == 1


def test_open_default_recovers_and_keeps_the_note(data_dir: Path) -> None:
    filled(data_dir / "kyctui.sqlite3")
    damage(data_dir / "kyctui.sqlite3", "json")
    store = Store.open_default(now=T0)
    assert store.recovery_note is not None
    assert store.recovery_note.moved_to.parent == data_dir
    assert Store.open_default().recovery_note is None  # fresh and sound from now on


@pytest.fixture
def data_dir() -> Path:
    return Path(os.environ["KYCTUI_DATA_DIR"])


@pytest.mark.parametrize("command", [["attempts"], ["export"], ["forget", "1"]])
def test_commands_tell_of_the_recovery_on_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    filled(data_dir / "kyctui.sqlite3")
    damage(data_dir / "kyctui.sqlite3", "cut-in-half")
    code = main(command)
    _, err = capsys.readouterr()
    note, *rest = err.splitlines()
    assert note.startswith("kyctui: The kyctui database was damaged") and "corrupt-" in note
    assert "Traceback" not in err
    # attempts: an empty list is fine; export and forget: the fresh store has no attempt.
    assert code == (0 if command == ["attempts"] else 2)
    assert len(rest) == (0 if command == ["attempts"] else 1)


def test_a_newer_database_stops_commands_with_exit_2(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled(data_dir / "kyctui.sqlite3")
    conn = sqlite3.connect(data_dir / "kyctui.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    code = main(["attempts"])
    _, err = capsys.readouterr()
    (line,) = err.splitlines()
    assert code == 2 and "Update kyctui" in line
    assert not list(data_dir.glob("*.corrupt-*"))
