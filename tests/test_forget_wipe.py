"""`kyctui forget` and `kyctui wipe`: afterwards no copy of what was deleted is in the files."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kyctui.cli import main
from kyctui.domain import store as store_module
from kyctui.domain.outcomes import Action, OutcomeResult
from kyctui.domain.photos.result import CheckResult, PhotoReport, Status
from kyctui.domain.store import Store
from kyctui.domain.store_recovery import open_or_recover

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
GONE = "Forgottenia Sentinelle"  # long, distinctive values: no false match in SQLite's bytes
KEPT = "Keptimus Remainderson"


@pytest.fixture
def data_dir() -> Path:
    return Path(os.environ["KYCTUI_DATA_DIR"])


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def raw(data_dir: Path) -> bytes:
    """Every byte of the database and its companions, as anyone reading the disk would see."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file())


def attempt_with(store: Store, name: str, minutes: int) -> int:
    """An attempt holding `name` in every kind of row kept about an attempt."""
    attempt = store.create_attempt("okx", "basic", "passport", "documents", at(minutes))
    for field, value in (
        ("full_name", name),
        ("date_of_birth", f"{name} 1987-11-23"),
        ("document_number", f"{name} ZX98765432"),
        ("email", f"{name.split()[0].lower()}@example.org"),
        ("address", f"1 {name} Road"),
    ):
        store.set_profile_field(attempt.id, field, value, at(minutes))
    check = CheckResult("image.blur", Status.WARN, 1.0, 2.0, f"photo of {name}", "")
    report = PhotoReport(path=f"/home/{name}/id.jpg", kind="id-front", checks=[check])
    store.save_photo(attempt.id, report, at(minutes))
    store.record_outcome(
        attempt.id,
        OutcomeResult.REJECTED,
        "",
        "typed",
        f"{name} mismatch",
        at(minutes),
        at(minutes),
    )
    store.set_action(attempt.id, Action.WAITED, True, at(minutes))
    return attempt.id


def rows_of(path: Path, attempt_id: int) -> int:
    conn = sqlite3.connect(path)
    try:
        return sum(
            conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE attempt_id = ?", (attempt_id,)
            ).fetchone()[0]
            for table in ("items", "photos", "outcomes", "actions", "profile", "devices")
        )
    finally:
        conn.close()


def test_forget_leaves_no_copy_and_keeps_the_others(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open_default()
    gone = attempt_with(store, GONE, 0)
    kept = attempt_with(store, KEPT, 1)
    # Overwrite a value too: the old text must not linger in a free page either.
    store.set_profile_field(kept, "address", "2 Other Road", at(2))
    # Another kyctui window, idle: while it is open SQLite keeps the -wal and -shm files, and
    # with them every page version written since the last checkpoint.
    watcher = sqlite3.connect(store.path)
    try:
        watcher.execute("SELECT COUNT(*) FROM attempts").fetchone()
        assert GONE.encode() in raw(data_dir)  # the search below does see rows (control)
        code = main(["forget", str(gone)])
        out, err = capsys.readouterr()
        assert code == 0 and f"Forgot attempt #{gone}" in out and err == ""
        assert {"kyctui.sqlite3-wal", "kyctui.sqlite3-shm"} <= {p.name for p in data_dir.iterdir()}
        files = raw(data_dir)
    finally:
        watcher.close()
    assert GONE.encode() not in files
    assert f"1 {KEPT} Road".encode() not in files  # the overwritten value
    assert KEPT.encode() in files
    assert [s.id for s in store.list_attempts()] == [kept]
    assert rows_of(store.path, gone) == 0 and rows_of(store.path, kept) > 0
    assert store.get_attempt(kept).profile.full_name == KEPT


def test_forget_an_unknown_attempt_is_exit_2(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["forget", "3"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "Attempt 3 does not exist" in line
    assert not (data_dir / "kyctui.sqlite3").exists()  # no database made just to say so
    Store.open_default()
    assert main(["forget", "3"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == "kyctui: Attempt 3 does not exist."
    assert main(["forget", "three"]) == 2


def test_forget_with_another_window_reading_says_so(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open_default()
    gone = attempt_with(store, GONE, 0)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 100)
    reader = sqlite3.connect(store.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM attempts").fetchone()  # pins the log
        code = main(["forget", str(gone)])
        out, err = capsys.readouterr()
    finally:
        reader.close()
    assert code == 0 and "Forgot" in out
    (line,) = err.splitlines()
    assert "another kyctui window is open" in line
    assert GONE.encode() not in store.path.read_bytes()  # zeroed in place all the same


def test_wipe_removes_every_file_kyctui_keeps_and_nothing_else(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attempt_with(Store.open_default(), GONE, 0)
    bad = data_dir / "old.sqlite3"
    bad.write_bytes(b"damaged " + GONE.encode())
    _, note = open_or_recover(bad, T0)  # leaves a moved-aside copy and the recovery lock
    assert note is not None
    os.rename(note.moved_to, data_dir / "kyctui.sqlite3.corrupt-20250301-120000")
    (data_dir / "old.sqlite3.recovery-lock").rename(data_dir / "kyctui.sqlite3.recovery-lock")
    for leftover in data_dir.glob("old.sqlite3*"):
        leftover.unlink()
    mine = data_dir / "my notes.txt"
    mine.write_text("not kyctui's")

    code = main(["wipe", "--yes"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert sorted(p.name for p in data_dir.iterdir()) == ["my notes.txt"]
    for name in ("kyctui.sqlite3", "kyctui.sqlite3.corrupt-20250301-120000"):
        assert f"  {data_dir / name}\n" in out
    assert "photo files themselves were not touched" in out
    assert main(["attempts"]) == 0  # and kyctui starts afresh
    assert "No attempts yet" in capsys.readouterr().out


def test_wipe_without_a_terminal_needs_yes(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open_default()
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # piped: not a person answering
    assert main(["wipe"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "--yes" in line
    assert (data_dir / "kyctui.sqlite3").exists()


def test_wipe_without_a_terminal_in_a_real_process(data_dir: Path) -> None:
    Store.open_default()
    result = subprocess.run(
        [sys.executable, "-m", "kyctui", "wipe"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 2 and "--yes" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and (data_dir / "kyctui.sqlite3").exists()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("\n", False), ("", False)])
def test_wipe_asks_on_a_terminal(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    deleted: bool,
) -> None:
    Store.open_default()
    monkeypatch.setattr(sys, "stdin", Terminal(answer))  # "" is Ctrl-D
    assert main(["wipe"]) == 0
    out = capsys.readouterr().out
    assert str(data_dir / "kyctui.sqlite3") in out and "[y/N]" in out
    assert (data_dir / "kyctui.sqlite3").exists() is not deleted
    assert ("Nothing was deleted." in out) is not deleted


def test_wipe_with_nothing_there(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["wipe", "--yes"]) == 0
    assert "Nothing to delete" in capsys.readouterr().out
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_overwritten_and_removed_values_are_zeroed_at_once(data_dir: Path) -> None:
    """secure_delete on every connection: no forget needed for an edited field or a removed
    photo to leave the files (once checkpointed, as closing the last connection does)."""
    store = Store.open_default()
    attempt = attempt_with(store, KEPT, 0)
    store.set_profile_field(attempt, "address", f"7 {GONE} Lane", at(1))
    report = PhotoReport(path=f"/home/{GONE}/selfie.jpg", kind="selfie", checks=[])
    store.save_photo(attempt, report, at(2))
    assert GONE.encode() in raw(data_dir)
    store.set_profile_field(attempt, "address", "2 Other Road", at(3))
    store.remove_photo(attempt, "selfie", at(4))
    assert GONE.encode() not in raw(data_dir)
    assert KEPT.encode() in raw(data_dir)
