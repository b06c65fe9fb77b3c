"""The SQLite store: round trips, ordering, private file modes, migrations and concurrency."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from kyctui import locations
from kyctui.domain import store as store_module
from kyctui.domain.attempts import AttemptStatus, ItemState
from kyctui.domain.photos.result import CheckResult, PhotoReport, Status
from kyctui.domain.store import (
    SCHEMA_VERSION,
    AttemptNotFound,
    CorruptStoreError,
    FutureSchemaError,
    Store,
    StoreBusyError,
    StoreError,
)
from tests.store_helpers import at, mode, user_version


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data" / "kyctui.sqlite3")


def report(
    kind: str = "id-front", path: str = "/photos/IMG_1.jpg", fail: bool = False
) -> PhotoReport:
    return PhotoReport(
        path=path,
        kind=kind,
        checks=[
            CheckResult("resolution", Status.PASS, 1600, 1200, "1600 px wide", ""),
            CheckResult("blur", Status.WARN, 87.5, 100.0, "a little soft", "hold still"),
            CheckResult(
                "glare", Status.FAIL if fail else Status.PASS, None, "none", "glare", "tilt"
            ),
        ],
        size_bytes=123_456,
        sha256="ab" * 32,
        phash="c3c3c3c3c3c3c3c3",
        width=1600,
        height=1200,
    )


def test_create_get_list_delete(store: Store) -> None:
    first = store.create_attempt("binance", "basic", "passport", "welcome", at(0))
    second = store.create_attempt("kraken", "intermediate", "id-card", "document", at(1))
    assert first.id != second.id
    got = store.get_attempt(first.id)
    assert got == first
    assert (got.exchange, got.level, got.document_type, got.step) == (
        "binance",
        "basic",
        "passport",
        "welcome",
    )
    assert got.status is AttemptStatus.IN_PROGRESS
    assert got.created_at == got.updated_at == at(0) and got.created_at.tzinfo is not None
    assert got.items == {} and got.photos == {}
    assert [s.id for s in store.list_attempts()] == [second.id, first.id]

    store.delete_attempt(second.id)
    assert [s.id for s in store.list_attempts()] == [first.id]
    with pytest.raises(AttemptNotFound) as caught:
        store.get_attempt(second.id)
    assert isinstance(caught.value, KeyError) and "does not exist" in str(caught.value)
    with pytest.raises(AttemptNotFound):
        store.set_step(second.id, "photos", at(2))
    with pytest.raises(AttemptNotFound):
        store.delete_attempt(second.id)


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.create_attempt("binance", "basic", "passport", "welcome", datetime(2025, 1, 1))


def test_items_step_and_status_round_trip_and_bump_updated_at(store: Store) -> None:
    attempt = store.create_attempt("binance", "basic", "passport", "welcome", at(0))
    store.set_item(attempt.id, "name-matches", ItemState.DONE, at(1))
    store.set_item(attempt.id, "address-proof", ItemState.NA, at(2))
    store.set_item(attempt.id, "selfie", ItemState.DONE, at(3))
    store.set_item(attempt.id, "selfie", ItemState.TODO, at(4))  # unticked again
    store.set_step(attempt.id, "photos", at(5))
    store.set_status(attempt.id, AttemptStatus.READY, at(6))
    got = store.get_attempt(attempt.id)
    assert got.items == {
        "name-matches": ItemState.DONE,
        "address-proof": ItemState.NA,
        "selfie": ItemState.TODO,
    }
    assert got.step == "photos" and got.status is AttemptStatus.READY
    assert got.created_at == at(0) and got.updated_at == at(6)
    (summary,) = store.list_attempts()
    assert (summary.items_done, summary.photos, summary.failures) == (1, 0, 0)
    assert summary.unfinished


def test_photos_round_trip_replace_and_remove(store: Store) -> None:
    attempt = store.create_attempt("binance", "basic", "passport", "photos", at(0))
    saved = store.save_photo(attempt.id, report(), at(1))
    got = store.get_attempt(attempt.id).photos["id-front"]
    assert got == saved
    assert got.path == "/photos/IMG_1.jpg" and got.size_bytes == 123_456
    assert (got.sha256, got.phash, got.width, got.height) == (
        "ab" * 32,
        "c3c3c3c3c3c3c3c3",
        1600,
        1200,
    )
    assert got.verdict is Status.WARN and got.checked_at == at(1)
    assert got.checks == tuple(report().checks)
    assert all(isinstance(c.status, Status) for c in got.checks)

    # A second photo of the same slot replaces the first; another slot sits beside it.
    store.save_photo(attempt.id, report(path="/photos/IMG_2.jpg", fail=True), at(2))
    store.save_photo(attempt.id, report(kind="selfie", path="/photos/IMG_3.jpg"), at(3))
    photos = store.get_attempt(attempt.id).photos
    assert set(photos) == {"id-front", "selfie"}
    assert photos["id-front"].path == "/photos/IMG_2.jpg"
    assert photos["id-front"].verdict is Status.FAIL
    (summary,) = store.list_attempts()
    assert (summary.photos, summary.failures) == (2, 1)
    assert summary.updated_at == at(3)

    store.remove_photo(attempt.id, "id-front", at(4))
    store.remove_photo(attempt.id, "id-front", at(5))  # an empty slot is fine
    assert set(store.get_attempt(attempt.id).photos) == {"selfie"}
    assert store.get_attempt(attempt.id).updated_at == at(5)


def test_unreadable_photo_keeps_its_nones(store: Store) -> None:
    attempt = store.create_attempt("binance", "basic", "passport", "photos", at(0))
    broken = PhotoReport(
        path="/gone.jpg",
        kind="id-back",
        checks=[CheckResult("file.readable", Status.FAIL, None, None, "cannot open", "re-export")],
    )
    store.save_photo(attempt.id, broken, at(1))
    got = store.get_attempt(attempt.id).photos["id-back"]
    assert (got.size_bytes, got.sha256, got.phash, got.width, got.height) == (None,) * 5
    assert got.verdict is Status.FAIL


def test_deleting_an_attempt_removes_its_rows(store: Store) -> None:
    attempt = store.create_attempt("binance", "basic", "passport", "photos", at(0))
    store.set_item(attempt.id, "selfie", ItemState.DONE, at(1))
    store.save_photo(attempt.id, report(), at(2))
    store.delete_attempt(attempt.id)
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM photos").fetchone() == (0,)
    conn.close()


def test_latest_unfinished_is_the_most_recently_updated_open_one(store: Store) -> None:
    assert store.latest_unfinished() is None
    a = store.create_attempt("binance", "basic", "passport", "welcome", at(0))
    b = store.create_attempt("kraken", "basic", "passport", "welcome", at(1))
    c = store.create_attempt("coinbase", "basic", "passport", "welcome", at(2))
    store.set_status(c.id, AttemptStatus.UNDER_REVIEW, at(3))
    latest = store.latest_unfinished()
    assert latest is not None and latest.id == b.id
    store.set_status(a.id, AttemptStatus.READY, at(4))  # touching a makes it the latest
    latest = store.latest_unfinished()
    assert latest is not None and latest.id == a.id
    assert [s.id for s in store.list_attempts()] == [a.id, c.id, b.id]
    for attempt in (a, b):
        store.set_status(attempt.id, AttemptStatus.APPROVED, at(5))
    assert store.latest_unfinished() is None


def test_open_default_uses_the_data_dir() -> None:
    store = Store.open_default()
    assert store.path == locations.database_path()
    assert mode(locations.data_dir()) == 0o700


@pytest.mark.usefixtures("umask_022")
def test_files_are_private(tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    existing.mkdir(mode=0o755)
    os.chmod(existing, 0o755)
    for data in (tmp_path / "new" / "data", existing):
        store = Store(data / "kyctui.sqlite3")
        assert mode(data) == 0o700
        assert mode(store.path) == 0o600
        # -wal and -shm exist only while a connection is open: hold one while the store writes.
        reader = sqlite3.connect(store.path)
        try:
            reader.execute("SELECT COUNT(*) FROM attempts").fetchone()
            store.create_attempt("binance", "basic", "passport", "welcome", at(0))
            for suffix in ("-wal", "-shm"):
                companion = store.path.with_name(store.path.name + suffix)
                assert companion.exists() and mode(companion) == 0o600, suffix
        finally:
            reader.close()
        with sqlite3.connect(store.path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        conn.close()


@pytest.mark.usefixtures("umask_022")
def test_an_existing_loose_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    path.touch()
    os.chmod(path, 0o644)
    Store(path)
    assert mode(path) == 0o600


def test_an_empty_v0_file_migrates_to_current(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    path.write_bytes(b"")
    assert user_version(path) == 0
    store = Store(path)
    assert user_version(path) == SCHEMA_VERSION >= 1
    store.create_attempt("binance", "basic", "passport", "welcome", at(0))
    Store(path)  # opening an up-to-date database again changes nothing
    assert user_version(path) == SCHEMA_VERSION and len(Store(path).list_attempts()) == 1


def test_a_database_from_the_future_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(FutureSchemaError) as caught:
        Store(path)
    assert isinstance(caught.value, StoreError) and "newer kyctui" in str(caught.value)
    assert user_version(path) == SCHEMA_VERSION + 1


def test_a_garbage_file_is_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    garbage = b"this is not a database at all, just some text " * 100
    path.write_bytes(garbage)
    with pytest.raises(CorruptStoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert "move it aside" in message and str(path) in message
    assert path.read_bytes() == garbage  # left as it was for the user to rescue


def test_two_stores_on_one_file_see_each_other(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    one, two = Store(path), Store(path)
    attempt = one.create_attempt("binance", "basic", "passport", "welcome", at(0))
    two.set_item(attempt.id, "a", ItemState.DONE, at(1))
    one.set_item(attempt.id, "b", ItemState.DONE, at(2))
    two.save_photo(attempt.id, report(), at(3))
    one.set_step(attempt.id, "review", at(4))
    got = two.get_attempt(attempt.id)
    assert set(got.items) == {"a", "b"} and set(got.photos) == {"id-front"}
    assert got.step == "review" and got == one.get_attempt(attempt.id)


def test_concurrent_writers_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    attempt = Store(path).create_attempt("binance", "basic", "passport", "welcome", at(0))
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def write(name: str) -> None:
        store = Store(path)  # its own Store, as another process would have
        start.wait()
        try:
            for n in range(15):
                store.set_item(attempt.id, f"{name}-{n}", ItemState.DONE, at(n))
        except BaseException as exc:  # surfaced by the assert below
            errors.append(exc)

    shared = Store(path)

    def write_shared() -> None:
        start.wait()
        try:
            for n in range(15):
                shared.save_photo(attempt.id, report(kind=f"slot-{n}"), at(n))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("x", "y")]
    threads.append(threading.Thread(target=write_shared))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    got = shared.get_attempt(attempt.id)
    assert len(got.items) == 30 and len(got.photos) == 15
    assert shared.list_attempts()[0].items_done == 30


def test_two_stores_migrating_a_new_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_store() -> None:
        start.wait()
        try:
            Store(path)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and user_version(path) == SCHEMA_VERSION


WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from kyctui.domain.attempts import ItemState
from kyctui.domain.store import Store
from tests.store_helpers import T0, at, mode, user_version
store = Store(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
for n in range(20):
    store.set_item(int(sys.argv[2]), f"child-{n}", ItemState.DONE, datetime.now(UTC))
"""


def test_another_process_writing_at_the_same_time_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    store = Store(path)
    attempt = store.create_attempt("binance", "basic", "passport", "welcome", at(0))
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(attempt.id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],  # so the child imports this checkout
    )
    assert child.stdin is not None and child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    child.stdin.write("go\n")
    child.stdin.flush()
    for n in range(20):
        store.set_item(attempt.id, f"parent-{n}", ItemState.DONE, at(n))
    assert child.wait(timeout=30) == 0
    assert len(store.get_attempt(attempt.id).items) == 40


def test_a_held_lock_becomes_a_busy_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("binance", "basic", "passport", "welcome", at(0))
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(store.path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreBusyError):
            store.set_step(attempt.id, "photos", at(1))
        assert store.get_attempt(attempt.id).step == "welcome"  # readers are not blocked in WAL
    finally:
        holder.close()
    store.set_step(attempt.id, "photos", at(1))
    assert store.get_attempt(attempt.id).step == "photos"


def test_an_unreadable_record_is_a_store_error(store: Store) -> None:
    attempt = store.create_attempt("binance", "basic", "passport", "photos", at(0))
    store.save_photo(attempt.id, report(), at(1))
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("UPDATE photos SET checks_json = 'not json'")
    conn.close()
    with pytest.raises(CorruptStoreError):
        store.get_attempt(attempt.id)


def test_photo_bytes_are_never_stored(store: Store, tmp_path: Path) -> None:
    sentinel = b"SENTINEL-PIXELS-8f3a2c"
    photo = tmp_path / "IMG_9.jpg"
    photo.write_bytes(b"\xff\xd8" + sentinel * 50 + b"\xff\xd9")
    attempt = store.create_attempt("binance", "basic", "passport", "photos", at(0))
    store.save_photo(attempt.id, report(path=str(photo)), at(1))
    assert store.get_attempt(attempt.id).photos["id-front"].path == str(photo)
    stored = b"".join(
        p.read_bytes() for p in store.path.parent.iterdir() if p.name.startswith(store.path.name)
    )
    assert str(photo).encode() in stored  # the path is there, so the search does see the rows
    assert sentinel not in stored
