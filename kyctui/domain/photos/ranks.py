"""Percentiles of pixel values read from Pillow's histograms, exactly, without numpy."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from PIL import Image


def rank_bin(hist: Sequence[int], rank: int) -> tuple[int, int]:
    """(the bin holding the value of 0-based `rank` in sorted order, the count below that bin)."""
    return _locate(list(accumulate(hist)), rank)


def _locate(cumulative: list[int], rank: int) -> tuple[int, int]:
    """rank_bin on a histogram already accumulated."""
    b = bisect_right(cumulative, rank)
    return b, cumulative[b - 1] if b else 0


def select(fixed: Image.Image, ranks: Sequence[int]) -> list[int]:
    """The values at 0-based `ranks` of a mode-I image of integers in [0, 65535], in sorted order.

    A radix select in two histograms: the high bytes (extrema 0..255*256 make the bins exactly
    256 wide), then the low bytes of the values that share the wanted high byte. Integer bins
    are exact, where a float value on a bin boundary may fall on either side from one pass to
    the next.
    """
    high = list(accumulate(fixed.histogram(extrema=(0, 255 * 256))))
    lows: dict[int, list[int]] = {}  # each histogram is accumulated once, for all the ranks
    out = []
    for rank in ranks:
        top, below = _locate(high, rank)
        if top > 255:  # not counted: over 65535
            out.append(65535)
            continue
        if top not in lows:
            lows[top] = list(accumulate(fixed.histogram(extrema=(top * 256, top * 256 + 255))))
        low, _ = _locate(lows[top], rank - below)
        out.append(top * 256 + min(low, 255))
    return out


def quantile(fixed: Image.Image, q: float, skip: int, n: int) -> float:
    """np.percentile's "linear" quantile `q` of the `n` values that sort after `skip` others."""
    pos = q * (n - 1)
    i = int(pos)
    lo, hi = select(fixed, [skip + i, skip + min(i + 1, n - 1)])
    return lo + (hi - lo) * (pos - i)


def hist_quantile(hist: Sequence[int], q: float) -> float:
    """The same quantile of the values an 8-bit histogram counts."""
    n = sum(hist)
    pos = q * (n - 1)
    i = int(pos)
    cumulative = list(accumulate(hist))
    lo, _ = _locate(cumulative, i)
    hi, _ = _locate(cumulative, min(i + 1, n - 1))
    return lo + (hi - lo) * (pos - i)
