"""The decoder boundary: mutated JPEG, PNG, WEBP and GIF bytes, special files, extreme
geometry and hostile file names all end in results or a typed rejection, quickly."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kyctui.cli import main
from kyctui.domain.photos import files as photo_files
from kyctui.domain.photos import runner
from kyctui.domain.photos.files import read_photo_file
from kyctui.domain.photos.result import PhotoReport, Status
from kyctui.domain.photos.runner import CheckContext, CheckRun, check_photos

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
CTX = CheckContext.for_exchange("generic", now=datetime(2025, 3, 1, 12, 0))
# A check that could not run at all is one of these failing: the typed rejection.
REJECTIONS = {"file.readable", "file.format", "image.decode"}
SECONDS = 5.0  # every photo ends within this, however broken


def picture(width: int, height: int, seed: int) -> Image.Image:
    """A small picture with edges and noise, so every check has something to measure."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 // max(width, 1), y * 255 // max(height, 1), (x ^ y) & 255], -1)
    noise = rng.integers(0, 40, (height, width, 3))
    return Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8), "RGB")


def encoded(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    if fmt == "GIF":
        image = image.convert("P", palette=Image.Palette.ADAPTIVE)
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg_with_orientation(width: int, height: int, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encoded(picture(width, height, 5), "JPEG", exif=exif)


SEEDS = {
    "jpeg": jpeg_with_orientation(64, 48, 6),
    "png": encoded(picture(64, 48, 1), "PNG"),
    "webp": encoded(picture(64, 48, 2), "WEBP", quality=80),
    "gif": encoded(picture(64, 48, 3), "GIF"),
}
SUFFIX = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "gif": ".gif"}


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    # Module-scoped (Hypothesis reruns the test body, so no function-scoped tmp_path).
    path = Path(tempfile.mkdtemp(prefix="kyctui-fuzz-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def partner(workdir: Path) -> Path:
    """A sound photo checked alongside each mutant, so the perceptual hash runs on both."""
    path = workdir / "partner.png"
    path.write_bytes(encoded(picture(80, 60, 9), "PNG"))
    return path


# -- mutations --------------------------------------------------------------------------------

flip = st.tuples(st.just("flip"), st.integers(0, 1 << 16), st.integers(0, 7))
truncate = st.tuples(st.just("cut"), st.floats(0.0, 1.0))
splice = st.tuples(
    st.just("splice"),
    st.sampled_from(sorted(SEEDS)),  # where the spliced bytes come from
    st.floats(0.0, 1.0),  # start in the source
    st.integers(1, 256),  # how many bytes
    st.floats(0.0, 1.0),  # where they land
)
insert = st.tuples(st.just("insert"), st.binary(min_size=1, max_size=32), st.floats(0.0, 1.0))
mutations = st.lists(st.one_of(flip, truncate, splice, insert), min_size=1, max_size=4)


def mutate(data: bytes, steps: list[tuple[Any, ...]]) -> bytes:
    buf = bytearray(data)
    for step in steps:
        if not buf:
            break
        kind = step[0]
        if kind == "flip":
            buf[step[1] % len(buf)] ^= 1 << step[2]
        elif kind == "cut":
            del buf[int(len(buf) * step[1]) :]
        elif kind == "splice":
            source = SEEDS[step[1]]
            start = int(len(source) * step[2])
            at = int(len(buf) * step[4])
            buf[at : at + step[3]] = source[start : start + step[3]]
        else:
            at = int(len(buf) * step[2])
            buf[at:at] = step[1]
    return bytes(buf)


def assert_settled(run: CheckRun, elapsed: float) -> None:
    """Every photo got a report with checks, each a real status; a photo that decoded has its
    hash; a photo that did not says why in one of the rejection checks."""
    assert elapsed < SECONDS
    assert len(run.reports) == 2
    decoded = []
    for report in run.reports:
        assert report.checks and all(isinstance(c.status, Status) for c in report.checks)
        ids = {c.id for c in report.checks}
        rejected = [c for c in report.checks if c.id in REJECTIONS and c.status is Status.FAIL]
        if "image.resolution" in ids:  # decoded: measured, and compared when it can be
            assert "image.duplicate" in ids
            decoded.append(report)
        else:
            assert rejected and all(c.message for c in rejected)
    if len(decoded) == 2:  # both decoded: the perceptual hash ran on each
        assert all(r.phash is not None and len(r.phash) == 16 for r in decoded)
    json.dumps([r.to_json() for r in run.reports])  # and the report serialises


def check_mutant(workdir: Path, partner: Path, fmt: str, data: bytes) -> None:
    path = workdir / f"mutant{SUFFIX[fmt]}"
    path.write_bytes(data)
    started = time.monotonic()
    run = check_photos([(path, "id-front"), (partner, "selfie")], CTX)
    assert_settled(run, time.monotonic() - started)


FUZZ = settings(derandomize=True, max_examples=75, deadline=None, database=None)


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_the_seeds_decode(workdir: Path, partner: Path, fmt: str) -> None:
    """The mutants start from photos that pass the decoder (else the fuzzing proves little)."""
    path = workdir / f"seed{SUFFIX[fmt]}"
    path.write_bytes(SEEDS[fmt])
    run = check_photos([(path, "id-front"), (partner, "selfie")], CTX)
    decode = next(c for c in run.reports[0].checks if c.id == "image.decode")
    assert decode.status is Status.PASS and run.reports[0].phash is not None


@FUZZ
@given(steps=mutations)
def test_mutated_jpeg(workdir: Path, partner: Path, steps: list[tuple[Any, ...]]) -> None:
    check_mutant(workdir, partner, "jpeg", mutate(SEEDS["jpeg"], steps))


@FUZZ
@given(steps=mutations)
def test_mutated_png(workdir: Path, partner: Path, steps: list[tuple[Any, ...]]) -> None:
    check_mutant(workdir, partner, "png", mutate(SEEDS["png"], steps))


@FUZZ
@given(steps=mutations)
def test_mutated_webp(workdir: Path, partner: Path, steps: list[tuple[Any, ...]]) -> None:
    check_mutant(workdir, partner, "webp", mutate(SEEDS["webp"], steps))


@FUZZ
@given(steps=mutations)
def test_mutated_gif(workdir: Path, partner: Path, steps: list[tuple[Any, ...]]) -> None:
    check_mutant(workdir, partner, "gif", mutate(SEEDS["gif"], steps))


# -- geometry and the perceptual hash ---------------------------------------------------------

GEOMETRY: dict[str, Callable[[], bytes]] = {
    "1x1.jpg": lambda: encoded(picture(1, 1, 0), "JPEG"),
    "1x1.png": lambda: encoded(picture(1, 1, 0), "PNG"),
    "65500x1.png": lambda: encoded(picture(65500, 1, 0), "PNG"),
    "65500x1.jpg": lambda: encoded(picture(65500, 1, 0), "JPEG"),
    "1x65500.png": lambda: encoded(picture(1, 65500, 0), "PNG"),
    "3x2-orientation-6.jpg": lambda: jpeg_with_orientation(3, 2, 6),
    "2x1-orientation-8.jpg": lambda: jpeg_with_orientation(2, 1, 8),
    "flat-grey.png": lambda: encoded(Image.new("RGB", (40, 30), (128, 128, 128)), "PNG"),
    "16-bit.png": lambda: encoded(Image.new("I;16", (40, 30), 4000), "PNG"),
    "transparent.png": lambda: encoded(Image.new("RGBA", (40, 30), (0, 0, 0, 0)), "PNG"),
}


@pytest.mark.parametrize("name", sorted(GEOMETRY))
def test_extreme_geometry_is_checked_in_full(tmp_path: Path, partner: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(GEOMETRY[name]())
    twin = tmp_path / f"twin-{name}"
    shutil.copy(path, twin)
    started = time.monotonic()
    run = check_photos([(path, "id-front"), (twin, "id-back")], CTX)
    assert_settled(run, time.monotonic() - started)
    first, second = run.reports
    assert first.verdict is Status.FAIL  # too small to pass, but measured, not rejected
    assert first.phash == second.phash  # a flat or 1-pixel picture still hashes, the same
    duplicate = next(c for c in first.checks if c.id == "image.duplicate")
    assert duplicate.status is Status.FAIL


def test_geometry_in_a_real_process(tmp_path: Path) -> None:
    paths = []
    for name, make in GEOMETRY.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(make())
    result = subprocess.run(
        [sys.executable, "-m", "kyctui", "check", *map(str, paths), "--json"],
        capture_output=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1 and result.stderr == b""
    assert len(json.loads(result.stdout)["photos"]) == len(GEOMETRY)


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
