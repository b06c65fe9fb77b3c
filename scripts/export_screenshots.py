"""Regenerates screenshots/*.svg from the real app, at a fixed size and a fixed clock."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.screens_tour import TOUR, seed_store  # noqa: E402
from tests.tui_app import test_app  # noqa: E402

SIZE = (110, 34)


async def shoot(name: str, out_dir: Path) -> Path:
    """Drive a fresh app to screen `name` and save it as SVG."""
    seed, drive = TOUR[name]
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        os.environ["KYCTUI_DATA_DIR"] = tmp
        if seed:
            seed_store(data)
        app = test_app(data)
        async with app.run_test(size=SIZE) as pilot:
            await drive(pilot)
            return Path(app.save_screenshot(filename=f"{name}.svg", path=str(out_dir)))


def main() -> int:
    out_dir = ROOT / "screenshots"
    out_dir.mkdir(exist_ok=True)
    os.chdir(tempfile.gettempdir())
    for name in TOUR:
        print(asyncio.run(shoot(name, out_dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
