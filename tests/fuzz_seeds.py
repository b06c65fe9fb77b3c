"""Seed photos of every decodable format and the verdict every check run must reach, shared
by the decoder-boundary tests (test_fuzz_decode.py, test_hostile_files.py)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from kyctui.domain.photos.result import Status
from kyctui.domain.photos.runner import CheckContext, CheckRun

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


def write_partner(folder: Path) -> Path:
    """A sound photo checked alongside each odd one, so the perceptual hash runs on both."""
    path = folder / "partner.png"
    path.write_bytes(encoded(picture(80, 60, 9), "PNG"))
    return path
