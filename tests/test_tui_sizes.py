"""Every screen renders at small, common and large terminal sizes without an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.screens_tour import TOUR, seed_store
from tests.tui_app import test_app


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (200, 60)])
@pytest.mark.parametrize("screen", list(TOUR))
async def test_screen_renders(tmp_path: Path, screen: str, size: tuple[int, int]) -> None:
    seed, drive = TOUR[screen]
    if seed:
        seed_store(tmp_path)
    app = test_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await drive(pilot)
        assert app.screen.is_attached
        assert app.return_code is None  # no crash while getting there
