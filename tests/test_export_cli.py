"""`kyctui export`: which attempt, formats, atomic private files, and one-line errors."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from kyctui.cli import main
from kyctui.domain import private_file
from kyctui.domain.store import Store
from tests.ticket_history import NAME, SENTINELS, make_history


@pytest.fixture
def history() -> int:
    """The fixed history in the default store; returns the second OKX attempt's id."""
    return make_history(Store.open_default())


def export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    assert err.startswith("kyctui: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("history")
def test_default_is_the_most_recent_attempt_as_redacted_markdown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = export(capsys)
    assert code == 0 and err == ""
    # The second OKX attempt was changed last; its ticket holds OKX's whole history.
    assert out.startswith("# Identity verification: support summary")
    assert "**Exchange:** OKX" in out and "**Attempt:** #2 (2 at this exchange)" in out
    assert "Personal data is redacted" in out
    assert "| #1 | rejected | Face comparison failed |" in out  # titles from the catalog
    assert "## kyctui's current advice" in out  # the escalation policy is importable
    code, other, _ = export(capsys, "3")
    assert code == 0 and "**Exchange:** CoinEx" in other and "OKX" not in other
    for sentinel in SENTINELS:
        assert sentinel.casefold() not in out.casefold(), sentinel


def test_formats_and_include_pii(history: int, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = export(capsys, str(history), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["redacted"] is True and data["attempt"] == history
    code, out, _ = export(capsys, str(history), "--format", "txt", "--include-pii")
    assert code == 0 and out.startswith("Identity verification: support summary\n=")
    assert "CONTAINS PERSONAL DATA" in out.split(NAME)[0]


def test_without_the_policy_there_is_no_advice_line(
    history: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "kyctui.domain.escalation", None)  # import fails
    code, out, err = export(capsys, str(history))
    assert code == 0 and err == "" and "current advice" not in out


def test_missing_attempt_and_empty_store_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = export(capsys)
    assert code == 2 and out == "" and "no attempts yet" in one_line_error(err)
    make_history(Store.open_default())
    code, out, err = export(capsys, "42")
    assert code == 2 and out == "" and "Attempt 42 does not exist" in one_line_error(err)
    code, _, err = export(capsys, "--format", "pdf")
    assert code == 2 and "invalid choice" in one_line_error(err)


@pytest.mark.usefixtures("umask_022")
def test_output_file_is_private_and_replaces_atomically(
    history: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "ticket.json"
    target.write_text("old contents")
    os.chmod(target, 0o644)
    code, out, err = export(capsys, str(history), "-o", str(target))
    assert code == 0 and err == ""
    assert out == f"Wrote the summary of attempt #{history} (redacted) to {target}\n"
    assert json.loads(target.read_text())["attempt"] == history  # format from the suffix
    assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ticket.json"]  # no temp file left
    fresh = tmp_path / "new.txt"
    code, _, _ = export(capsys, str(history), "-o", str(fresh), "--format", "md")
    assert code == 0 and mode(fresh) == 0o600 and fresh.read_text().startswith("# Identity")


def test_a_full_disk_is_one_line_and_leaves_the_old_file(
    history: int,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "ticket.md"
    target.write_text("the previous ticket")

    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(private_file, "_write_all", full)
    code, out, err = export(capsys, str(history), "-o", str(target))
    assert code == 2 and out == ""
    assert one_line_error(err) == f"kyctui: cannot write {target}: the disk is full\n"
    assert target.read_text() == "the previous ticket"
    assert [p.name for p in tmp_path.iterdir()] == ["ticket.md"]


def test_unwritable_places_are_one_line_errors(
    history: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a_file = tmp_path / "plain"
    a_file.write_text("x")
    cases = {
        tmp_path / "missing" / "t.md": "the folder does not exist",
        a_file / "t.md": "not a folder",
        tmp_path: "it is a folder",
    }
    for path, reason in cases.items():
        code, out, err = export(capsys, str(history), "-o", str(path))
        assert code == 2 and out == "" and reason in one_line_error(err), path


def test_an_own_link_is_followed_a_foreign_one_never(
    history: int,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = tmp_path / "real.md"
    real.write_text("before")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, _ = export(capsys, str(history), "-o", str(link))
    assert code == 0 and link.is_symlink() and real.read_text().startswith("# Identity")
    assert mode(real) == 0o600

    # Seen as another user, the same link and file are someone else's: nothing is written.
    real.write_text("before")
    monkeypatch.setattr(os, "getuid", lambda: os.stat(real).st_uid + 1)
    code, _, err = export(capsys, str(history), "-o", str(link))
    assert code == 2 and "a link owned by another user" in one_line_error(err)
    code, _, err = export(capsys, str(history), "-o", str(real))
    assert code == 2 and "belongs to another user" in one_line_error(err)
    assert real.read_text() == "before" and link.is_symlink()
