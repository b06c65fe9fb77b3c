"""Measuring helpers the benchmarks share: interleaved medians, the full-decode reference, and
the peak resident memory of the process."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def interleaved_all(fns: Sequence[Callable[[], object]], reps: int) -> list[float]:
    """Median seconds of each of `fns`, run in turn, the order rotated every round, so a noisy
    neighbour slows them all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for i in range(reps):
        for k in range(len(fns)):
            j = (i + k) % len(fns)
            start = time.perf_counter()
            fns[j]()
            times[j].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def interleaved(a: Callable[[], object], b: Callable[[], object], reps: int) -> tuple[float, float]:
    """Median seconds of `a` and of `b`, run alternately (b first every other time)."""
    ta, tb = interleaved_all([a, b], reps)
    return ta, tb


def full_decode(path: Path) -> None:
    """The reference: Pillow decoding every pixel of the file."""
    from PIL import Image

    with Image.open(path) as im:
        im.load()


def proc_status_kib(field: str) -> int | None:
    """A field of /proc/self/status in KiB (VmRSS, VmHWM), None where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak() -> bool:
    """Reset the peak resident size (VmHWM) to the current one; Linux >= 4.0 only."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


def peak_kib() -> int:
    """Peak resident memory of this process so far, in KiB."""
    # VmHWM, not ru_maxrss: a child started by vfork inherits its parent's peak in ru_maxrss.
    hwm = proc_status_kib("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
