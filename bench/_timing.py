"""Timing helpers the benchmarks share: interleaved medians and the full-decode reference."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


def interleaved(a: Callable[[], object], b: Callable[[], object], reps: int) -> tuple[float, float]:
    """Median seconds of `a` and of `b`, run alternately (b first every other time), so a
    noisy neighbour slows both alike."""
    ta: list[float] = []
    tb: list[float] = []
    for i in range(reps):
        order = ((a, ta), (b, tb)) if i % 2 == 0 else ((b, tb), (a, ta))
        for fn, times in order:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(ta), statistics.median(tb)


def full_decode(path: Path) -> None:
    """The reference: Pillow decoding every pixel of the file."""
    from PIL import Image

    with Image.open(path) as im:
        im.load()
