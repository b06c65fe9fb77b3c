"""Privacy: private modes on every file kyctui writes, and personal data kept out of stderr,
logs, default exports and crash reports."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from kyctui.cli import main
from kyctui.domain.outcomes import DeviceInfo, OutcomeResult
from kyctui.domain.photos.result import CheckResult, PhotoReport, Status
from kyctui.domain.store import Store
from kyctui.tui.crash import SAVED, crash_line, crash_renderable

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
# Whole values as typed: a default export may keep initials, a birth year or the last three
# characters of a number, never the value itself.
SENTINELS = {
    "full_name": "Quintessa Sentinelova",
    "date_of_birth": "1987-11-23",
    "document_number": "ZX98765432",
    "email": "quintessa.sentinelova@example.org",
    "address": "12 Sentinelova Lane, Lisbon",
}


@pytest.fixture
def data_dir() -> Path:
    return Path(os.environ["KYCTUI_DATA_DIR"])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def leaks(text: str) -> list[str]:
    return [value for value in SENTINELS.values() if value.lower() in text.lower()]


def full_flow(store: Store) -> int:
    """An attempt with personal data in every place the store keeps text from the user."""
    attempt = store.create_attempt("okx", "basic", "passport", "documents", T0)
    for field, value in SENTINELS.items():
        store.set_profile_field(attempt.id, field, value, T0)
    store.set_device(attempt.id, DeviceInfo("Pixel 8", "Android 15", "OKX app 6.1"), T0)
    check = CheckResult("image.blur", Status.WARN, 80.0, 100.0, "a little soft", "hold still")
    photo = f"/home/{SENTINELS['full_name'].split()[0].lower()}/passport.jpg"
    store.save_photo(attempt.id, PhotoReport(path=photo, kind="passport", checks=[check]), T0)
    message = f"Name {SENTINELS['full_name']} does not match {SENTINELS['document_number']}"
    store.record_outcome(attempt.id, OutcomeResult.REJECTED, "", "name", message, T0, T0)
    return attempt.id


# -- modes --------------------------------------------------------------------------------


def assert_private(data_dir: Path) -> None:
    assert mode(data_dir) == 0o700
    files = list(data_dir.iterdir())
    assert files
    for path in files:
        assert mode(path) == 0o600, path.name


@pytest.mark.usefixtures("umask_022")
def test_a_new_data_dir_and_every_file_in_it_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "new" / "kyctui"
    monkeypatch.setenv("KYCTUI_DATA_DIR", str(data_dir))
    store = Store.open_default()
    # An idle second connection keeps -wal and -shm in place, as an open TUI would.
    watcher = sqlite3.connect(store.path)
    try:
        watcher.execute("SELECT COUNT(*) FROM attempts").fetchone()
        full_flow(store)
        names = {p.name for p in data_dir.iterdir()}
        assert {"kyctui.sqlite3", "kyctui.sqlite3-wal", "kyctui.sqlite3-shm"} <= names
        assert_private(data_dir)
    finally:
        watcher.close()
    # A database moved aside as damaged, and a summary exported into the data dir.
    store.path.write_bytes(b"garbage " * 600)
    os.chmod(store.path, 0o644)
    assert Store.open_default().recovery_note is not None
    assert main(["attempts"]) == 0
    out_file = data_dir / "summary.md"
    attempt = Store.open_default().create_attempt("okx", "basic", "passport", "documents", T0)
    assert main(["export", str(attempt.id), "-o", str(out_file)]) == 0
    capsys.readouterr()
    assert any(".corrupt-" in p.name for p in data_dir.iterdir())
    assert_private(data_dir)


@pytest.mark.usefixtures("umask_022")
def test_a_loose_existing_data_dir_is_tightened(tmp_path: Path) -> None:
    data_dir = tmp_path / "kyctui"
    data_dir.mkdir()
    store = Store(data_dir / "kyctui.sqlite3")
    full_flow(store)
    watcher = sqlite3.connect(store.path)  # keeps the companions while they are loosened
    try:
        watcher.execute("SELECT COUNT(*) FROM attempts").fetchone()
        Store(store.path).set_step(1, "profile", T0)
        os.chmod(data_dir, 0o755)
        for path in data_dir.iterdir():
            os.chmod(path, 0o644)
        Store(store.path)  # as kyctui does at every start
        assert_private(data_dir)
    finally:
        watcher.close()


# -- personal data in output ------------------------------------------------------------------


def test_commands_never_show_personal_data(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    attempt = full_flow(Store.open_default())
    for args in (
        ["attempts"],
        ["attempts", "--json"],
        ["export"],
        ["export", str(attempt), "--format", "txt"],
        ["export", str(attempt), "--format", "json"],
    ):
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 0, err
        assert leaks(out) == [] and leaks(err) == [], args
    # What the redaction keeps, so the test does read a real summary.
    assert main(["export", "--format", "json"]) == 0
    assert "Q. S." in json.dumps(json.loads(capsys.readouterr().out), ensure_ascii=False)
    assert leaks(caplog.text) == []
    # The same data unredacted when asked, so the searches above would have found it.
    assert main(["export", "--include-pii"]) == 0
    assert set(leaks(capsys.readouterr().out)) >= {SENTINELS["full_name"], SENTINELS["email"]}


def crash(*_: object, **__: object) -> str:
    secret = dict(SENTINELS)  # a local variable holding personal data
    raise RuntimeError(f"could not render {secret['full_name']} born {secret['date_of_birth']}")


def test_a_crash_in_a_command_is_one_line_without_personal_data(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import kyctui.domain.export

    full_flow(Store.open_default())
    monkeypatch.setattr(kyctui.domain.export, "render_ticket", crash)
    code = main(["export"])
    out, err = capsys.readouterr()
    (line,) = err.splitlines()
    assert code == 1 and out == "" and leaks(err) == []
    assert "RuntimeError in kyctui/commands/export.py" in line and "Traceback" not in err


CRASHING = """
import sys
from tests import test_privacy
import kyctui.domain.export
kyctui.domain.export.render_ticket = test_privacy.crash
from kyctui.cli import main
sys.exit(main(["export"]))
"""


def test_a_crash_in_a_real_process(data_dir: Path) -> None:
    full_flow(Store.open_default())
    result = subprocess.run(
        [sys.executable, "-c", CRASHING],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "internal error" in result.stderr
    assert leaks(result.stderr) == []


# -- the TUI's crash screen -----------------------------------------------------------------


def rendered(error: BaseException) -> str:
    console = Console(record=True, width=120, color_system=None)
    console.print(crash_renderable(error))
    return console.export_text()


def nested_failure() -> None:
    profile = dict(SENTINELS)
    try:
        int(profile["document_number"])
    except ValueError as exc:
        exc.add_note(f"while reading {profile['email']}")
        raise KeyError(f"no match for {profile['full_name']}") from exc


def test_the_crash_screen_shows_frames_and_types_only() -> None:
    with pytest.raises(KeyError) as caught:
        nested_failure()
    text = rendered(caught.value)
    assert leaks(text) == []
    assert "KeyError" in text and "ValueError" in text  # the chain, by type
    assert "nested_failure" in text and "test_privacy.py" in text  # where it happened
    assert SAVED in " ".join(text.split())  # the reassurance, however the line wrapped
    assert "report" in text


def test_the_crash_screen_hides_syntax_error_text_and_groups() -> None:
    try:
        compile(f"name = {SENTINELS['full_name']}", "<typed>", "exec")
    except SyntaxError as exc:
        syntax = exc
    group = ExceptionGroup("many", [ValueError(SENTINELS["email"]), syntax])
    for error in (syntax, group):
        assert leaks(rendered(error)) == []
    assert "SyntaxError" in rendered(group)


def test_crash_line_names_type_and_place_only() -> None:
    with pytest.raises(KeyError) as caught:
        nested_failure()
    line = crash_line(caught.value)
    assert "\n" not in line and leaks(line) == []
    assert "KeyError" in line and "nested_failure" in line
