"""Shared fixtures: a temporary data dir for every test, and camera-like photos made in code."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata


@pytest.fixture(autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user data dir from a test."""
    path = tmp_path_factory.mktemp("kyctui-data")
    monkeypatch.setenv("KYCTUI_DATA_DIR", str(path))
    monkeypatch.setenv("NO_COLOR", "1")
    return path


@pytest.fixture(autouse=True)
def _no_machine_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Permissions step probes this machine's cameras and browsers; tests and snapshots
    must not depend on what the machine running them has, so the probe finds nothing here."""
    from kyctui.domain.probes.runner import MachineReport
    from kyctui.tui.panels.permissions import PermissionsPanel

    def nothing_found(*args: object, **kwargs: object) -> MachineReport:
        return MachineReport([], [], "linux")

    monkeypatch.setattr(PermissionsPanel, "machine", staticmethod(nothing_found))


@pytest.fixture
def umask_022() -> Iterator[None]:
    """A permissive umask (022), so the tests show the app sets its own modes, not the umask."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def camera_exif(when: datetime | None = None) -> Image.Exif:
    """EXIF as a phone camera writes it: make, model, exposure and the capture time."""
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 13"
    exif[0x0131] = "17.4.1"  # iOS writes its version as Software: not an editor
    sub = exif.get_ifd(0x8769)
    sub[0x829A] = 1 / 120  # ExposureTime
    sub[0x829D] = 1.6  # FNumber
    sub[0x9003] = (when or datetime.now()).strftime("%Y:%m:%d %H:%M:%S")
    return exif


def camera_jpeg_bytes(
    source: Callable[[], np.ndarray] = skdata.astronaut,
    size: tuple[int, int] = (1600, 1200),
    quality: int = 92,
    when: datetime | None = None,
) -> bytes:
    """A real photograph resized to `size`, saved as a phone would save it."""
    image = Image.fromarray(source()).convert("RGB").resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=camera_exif(when))
    return out.getvalue()


@pytest.fixture
def camera_jpeg(tmp_path: Path) -> Path:
    """A passing camera photo on disk."""
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(camera_jpeg_bytes())
    return path
