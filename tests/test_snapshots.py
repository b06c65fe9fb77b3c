"""Snapshots of the key screens, with a fixed clock, a temporary store and settled workers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kyctui.domain.photos.faces import faces_available
from kyctui.domain.photos.ocr_engine import ocr_available
from tests.screens_tour import TOUR, seed_store
from tests.tui_app import test_app

SIZE = (110, 34)
# The screens show every check of the seeded photos, so they are recorded with both extras
# installed, as `.[test]` installs them; a partial install would show skipped rows instead.
pytestmark = pytest.mark.skipif(
    not (faces_available() and ocr_available()),
    reason="snapshots are recorded with the faces and ocr extras (pip install -e '.[test]')",
)


@pytest.mark.parametrize("screen", list(TOUR))
def test_snapshot(
    screen: str, tmp_path: Path, snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Screens must not show where the test ran: the picker and messages use bare file names.
    monkeypatch.chdir(tmp_path)
    seed, drive = TOUR[screen]
    if seed:
        seed_store(tmp_path)
    assert snap_compare(test_app(tmp_path), terminal_size=SIZE, run_before=drive)
