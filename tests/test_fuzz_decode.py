"""The decoder boundary: mutated JPEG, PNG, WEBP and GIF bytes and extreme geometry all end in
results or a typed rejection, quickly (special files and hostile names: test_hostile_files.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kyctui.domain.photos.result import Status
from kyctui.domain.photos.runner import check_photos
from tests.fuzz_seeds import (
    CTX,
    SEEDS,
    SUFFIX,
    assert_settled,
    encoded,
    jpeg_with_orientation,
    picture,
    write_partner,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    # Module-scoped (Hypothesis reruns the test body, so no function-scoped tmp_path).
    path = Path(tempfile.mkdtemp(prefix="kyctui-fuzz-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def partner(workdir: Path) -> Path:
    return write_partner(workdir)


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
