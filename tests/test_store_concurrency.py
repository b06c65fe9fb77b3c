"""Two kyctui processes on one data dir: starting together, writing together, and waiting."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kyctui.cli import main
from kyctui.domain import store as store_module
from kyctui.domain.store import Store, StoreBusyError

ROOT = Path(__file__).resolve().parents[1]  # children import this checkout
WRITES = 50
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

# Each child opens the store of KYCTUI_DATA_DIR as kyctui does, after a file barrier so both
# create the database at the same moment, then saves WRITES changes.
WRITER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from kyctui.domain.store import Store
name, barrier = sys.argv[1], Path(sys.argv[2])
(barrier / f"ready-{name}").touch()
while not (barrier / "go").exists():
    time.sleep(0.001)
store = Store.open_default()
for n in range(int(sys.argv[3])):
    store.create_attempt("okx", "basic", "passport", f"{name}-{n}", datetime.now(UTC))
print("wrote", flush=True)
"""


def test_two_processes_start_together_on_an_empty_dir_and_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "kyctui"  # does not exist yet: both create it
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = {**os.environ, "KYCTUI_DATA_DIR": str(data)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(barrier), str(WRITES)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for name in ("a", "b")
    ]
    deadline = time.monotonic() + 30
    while not all((barrier / f"ready-{n}").exists() for n in ("a", "b")):
        assert time.monotonic() < deadline, "the children never got ready"
        time.sleep(0.005)
    (barrier / "go").touch()
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0 and out == "wrote\n", err
        assert "Traceback" not in err and "locked" not in err
    steps = {s.step for s in Store(data / "kyctui.sqlite3").list_attempts()}
    assert steps == {f"{name}-{n}" for name in ("a", "b") for n in range(WRITES)}


def test_a_writer_kept_waiting_is_told_to_close_the_other_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open_default()
    attempt = store.create_attempt("okx", "basic", "passport", "documents", T0)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 100)
    # Another kyctui in the middle of a long write: it holds the write lock.
    holder = sqlite3.connect(store.path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        with pytest.raises(StoreBusyError) as caught:
            store.set_step(attempt.id, "profile", T0)
        assert time.monotonic() - started < 5  # the busy timeout, not a hang
        message = str(caught.value)
        assert "another kyctui" in message and "Close the other window" in message
        # The same through a command: one line, exit 2, no "database is locked" traceback.
        code = main(["forget", str(attempt.id)])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and "Close the other window" in err
        assert store.get_attempt(attempt.id).step == "documents"  # readers never wait (WAL)
    finally:
        holder.close()
    store.set_step(attempt.id, "profile", T0)  # the lock is gone: it goes through
    assert store.get_attempt(attempt.id).step == "profile"
