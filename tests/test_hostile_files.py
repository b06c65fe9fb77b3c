"""Special files (a device, a sparse 3 GB file, files deleted, replaced or unreadable) and
hostile file names: each gets a one-line, escaped explanation, never a hang or a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kyctui.cli import main
from kyctui.domain.photos import files as photo_files
from kyctui.domain.photos import runner
from kyctui.domain.photos.files import read_photo_file
from kyctui.domain.photos.result import PhotoReport, Status
from kyctui.domain.photos.runner import check_photos
from tests.fuzz_seeds import CTX, SEEDS, assert_settled, write_partner

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def partner(tmp_path: Path) -> Path:
    """A sound photo checked alongside the odd one."""
    return write_partner(tmp_path)


# -- special files ----------------------------------------------------------------------------


def kyctui_check(*args: str | bytes, timeout: float = 30) -> subprocess.CompletedProcess[bytes]:
    """`kyctui check` in its own process: a hang fails the test instead of stalling it."""
    return subprocess.run(
        [sys.executable, "-m", "kyctui", "check", *args],
        capture_output=True, timeout=timeout, cwd=ROOT,
    )  # fmt: skip


def assert_refused(result: subprocess.CompletedProcess[bytes], words: str) -> None:
    (line,) = result.stderr.decode("utf-8", "replace").splitlines()
    assert result.returncode == 2 and words in line and line.startswith("kyctui: ")
    assert b"Traceback" not in result.stderr and b"\x1b" not in result.stdout + result.stderr


def test_a_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "photo.jpg"
    link.symlink_to("/dev/zero")
    assert_refused(kyctui_check(str(link)), "is a device")


def test_a_sparse_huge_file_is_refused_from_stat_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "IMG_0001.jpg"
    with open(huge, "wb") as fh:
        fh.write(SEEDS["jpeg"][:64])
        fh.truncate(3 * 1024**3)  # 3 GB on paper, a few blocks on disk
    assert_refused(kyctui_check(str(huge), timeout=20), "far too large")

    def no_reading(*args: Any) -> Any:
        raise AssertionError("the file was read")

    monkeypatch.setattr(os, "readv", no_reading)  # the module's os is this os
    monkeypatch.setattr(os, "read", no_reading)
    assert main(["check", str(huge)]) == 2
    assert "far too large" in capsys.readouterr().err


def test_a_file_deleted_after_it_was_picked(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0002.jpg"
    path.write_bytes(SEEDS["jpeg"])
    path.unlink()  # picked in the file picker, then deleted before the check ran
    assert_refused(kyctui_check(str(path)), "file not found")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_file_changed_between_read_and_decode(
    tmp_path: Path, partner: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The report describes the bytes that were read, whatever happens to the file after."""
    path = tmp_path / "IMG_0003.jpg"
    path.write_bytes(SEEDS["jpeg"])
    real = read_photo_file

    def then_change(*args: Any) -> Any:
        read = real(*args)
        if args[0] != path:
            return read
        if how == "deleted":
            path.unlink()
        else:
            path.write_text("now a text file")
        return read

    monkeypatch.setattr(runner, "read_photo_file", then_change)
    run = check_photos([(path, "id-front"), (partner, "selfie")], CTX, always_hash=True)
    assert_settled(run, 0)
    report = run.reports[0]
    assert report.sha256 == sha(SEEDS["jpeg"]) and report.phash is not None


def test_a_file_replaced_while_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened once, read through that handle: a swap of the name mid-read changes nothing."""
    path = tmp_path / "IMG_0004.png"
    path.write_bytes(SEEDS["png"])
    real = photo_files._read_all
    swap = tmp_path / "swap.png"
    swap.write_bytes(SEEDS["gif"])

    def swapped(*args: Any) -> Any:
        os.replace(swap, path)
        return real(*args)

    monkeypatch.setattr(photo_files, "_read_all", swapped)
    (report,) = check_photos([(path, "id-front")], CTX, always_hash=True).reports
    assert report.sha256 == sha(SEEDS["png"])
    assert next(c for c in report.checks if c.id == "image.decode").status is Status.PASS


def test_an_unreadable_file_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "IMG_0005.jpg"
    path.write_bytes(SEEDS["jpeg"])
    os.chmod(path, 0o000)
    if IS_ROOT:  # root reads a 000 file: refuse the open as the kernel would for a user
        real = os.open

        def refuse(file: Any, *args: Any, **kwargs: Any) -> int:
            if Path(os.fsdecode(file)) == path:
                raise PermissionError(13, "Permission denied", str(file))
            return real(file, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    else:
        assert_refused(kyctui_check(str(path)), "no permission")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "no permission to read the file" in err and len(err.splitlines()) == 1


# -- hostile names ----------------------------------------------------------------------------

NAMES = [
    b"ph\xffoto.jpg",  # not UTF-8
    b"two\nlines.jpg",
    b"\x1b[31mred\x1b[0m\x1b]0;title\x07.jpg",  # colour and a window-title escape
    b"[bold red]loud [link=x]y.jpg",  # Rich markup (a closing tag would need a slash)
]


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_hostile_names_are_shown_escaped(tmp_path: Path, output: list[str]) -> None:
    base = os.fsencode(tmp_path)
    good, missing = [], []
    for raw in NAMES:
        path = os.path.join(base, raw)
        with open(path, "wb") as fh:
            fh.write(SEEDS["png"])
        good.append(path)
        missing.append(os.path.join(base, b"gone-" + raw))  # refused: named on stderr
    result = kyctui_check(*good, *missing, *output)
    assert result.returncode in (0, 1)  # some photos were read: never 2
    assert b"\x1b" not in result.stdout + result.stderr and b"\x07" not in result.stdout
    assert b"Traceback" not in result.stderr
    err = result.stderr.decode()
    assert len(err.splitlines()) == len(NAMES)  # one line per refused photo, newline or not
    for escaped in ("two\\nlines.jpg", "ph\\xffoto.jpg", "[bold red]loud [link=x]y.jpg"):
        assert escaped in err
    out = result.stdout.decode()
    if output:
        shown = [photo["path"] for photo in json.loads(out)["photos"]]
        assert all("\n" not in p and "\x1b" not in p for p in shown)
    else:
        headers = [line for line in out.splitlines() if line and not line.startswith(" ")]
        assert len(headers) == 2 * len(NAMES)  # a name with a newline still heads one block
        assert any("\\x1b[31mred" in line for line in headers)


def test_report_paths_keep_the_real_name() -> None:
    """Escaping is for showing only: the report (and the store) keep the path as given."""
    report = PhotoReport(path="two\nlines.jpg", kind="id-front")
    assert report.to_json()["path"] == "two\nlines.jpg"
