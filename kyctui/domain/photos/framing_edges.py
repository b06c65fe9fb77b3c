"""Moves a document's sides onto the real colour edges of the photo and measures their support.

The region map is coarse (4 px cells, colour averaged over 12 px), so each side found there is
only a guess within a few pixels. Along each visible side, the colour profile across it is read
at full analysis resolution; the strongest step in a short window is where the document's edge
really is. A side whose profile shows no clear step is not a document edge: such sides lower the
support, the measure of whether the shape found is a real document or a guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kyctui.domain.photos import framing_geometry as geo

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Floats = NDArray[np.float64]

SAMPLES = 40  # points read along each side
SEARCH = 8  # px either side of the coarse line where the real edge is looked for
SPAN = 2  # px averaged on each side of a step
END_SKIP = 0.08  # of a side's length at each end: the rounded corners are not straight
FRAME_GAP = 3.0  # px: profiles are read this far inside the picture's edge at least
INLIER = 1.0  # px: a sample on the side's line is at most this far from it


def bilinear(img: Floats, xs: Floats, ys: Floats) -> Floats:
    """Colours of an (H, W, 3) image at fractional positions, edges clamped."""
    h, w = img.shape[:2]
    x = np.clip(xs, 0, w - 1.001)
    y = np.clip(ys, 0, h - 1.001)
    x0, y0 = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
    fx, fy = (x - x0)[..., None], (y - y0)[..., None]
    top = img[y0, x0] * (1 - fx) + img[y0, x0 + 1] * fx
    bottom = img[y0 + 1, x0] * (1 - fx) + img[y0 + 1, x0 + 1] * fx
    out: Floats = top * (1 - fy) + bottom * fy
    return out


def visible(a: Floats, b: Floats, size: tuple[int, int]) -> tuple[Floats, Floats] | None:
    """The part of segment a-b inside the picture less FRAME_GAP (Liang-Barsky), or None."""
    w, h = size
    d = b - a
    lo, hi = 0.0, 1.0
    for p, q in ((-d[0], a[0] - FRAME_GAP), (d[0], w - FRAME_GAP - a[0]),
                 (-d[1], a[1] - FRAME_GAP), (d[1], h - FRAME_GAP - a[1])):  # fmt: skip
        if abs(p) < 1e-12:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
    if hi - lo <= 0:
        return None
    return a + lo * d, a + hi * d


def refine(
    img: Floats, line: Floats, a: Floats, b: Floats, step_min: float
) -> tuple[Floats | None, int, int]:
    """(the side moved onto the real edge or None, supported samples, samples read).

    `a` and `b` are the visible part of the side; the search runs along its normal.
    """
    d = b - a
    length = float(np.hypot(*d))
    if length < 4 * SEARCH:
        return None, 0, 0
    t = np.linspace(END_SKIP, 1 - END_SKIP, SAMPLES)
    base = a + t[:, None] * d
    normal = line[:2]
    offsets = np.arange(-SEARCH - SPAN, SEARCH + SPAN + 1, dtype=np.float64)
    xs = base[:, :1] + offsets * normal[0]
    ys = base[:, 1:] + offsets * normal[1]
    profile = bilinear(img, xs, ys)  # (SAMPLES, offsets, 3)
    n = 2 * SEARCH + 1
    after = sum(profile[:, SPAN + k + 1 : SPAN + k + 1 + n] for k in range(SPAN)) / SPAN
    before = sum(profile[:, SPAN - k - 1 : SPAN - k - 1 + n] for k in range(SPAN)) / SPAN
    strength = np.linalg.norm(after - before, axis=2)  # (SAMPLES, n): step at each offset
    best = np.argmax(strength, axis=1)
    peak = strength[np.arange(SAMPLES), best]
    ok = peak >= step_min
    if np.count_nonzero(ok) < SAMPLES // 4:
        return None, int(np.count_nonzero(ok)), SAMPLES
    # Sub-pixel: a parabola through the peak and its neighbours.
    i = np.clip(best, 1, n - 2)
    left, mid, right = (strength[np.arange(SAMPLES), i + k] for k in (-1, 0, 1))
    curve = left - 2 * mid + right
    shift = np.where(np.abs(curve) > 1e-9, 0.5 * (left - right) / np.where(curve == 0, 1, curve), 0)
    pos = i + np.clip(shift, -0.5, 0.5) - SEARCH
    points = (base + pos[:, None] * normal)[ok]
    fitted, inliers = straightest(points)
    if fitted[:2] @ normal < 0:  # keep the original orientation
        fitted = -fitted
    return fitted, inliers, SAMPLES


def straightest(points: Floats) -> tuple[Floats, int]:
    """The line most of `points` lie on (within INLIER px), and how many do.

    Every pair of points a quarter of the side or more apart proposes a line (RANSAC, but
    exhaustive: 40 points make at most 780 pairs); the one with the most points near it wins
    and is refitted to them. Where a card's edge runs beside a cup's rim or a thumb, the
    straight edge outvotes the curve, which a least-squares fit would average into it.
    """
    n = len(points)
    i, j = np.triu_indices(n, k=max(1, n // 4))
    d = points[j] - points[i]
    normals = np.stack([-d[:, 1], d[:, 0]], 1) / np.hypot(d[:, 0], d[:, 1])[:, None]
    offsets = (normals * points[i]).sum(1)
    dist = np.abs(points @ normals.T - offsets)  # (points, candidates)
    votes = (dist <= INLIER).sum(0)
    near = dist[:, int(np.argmax(votes))] <= INLIER
    line = geo.line_through(points[near])
    near = np.abs(points @ line[:2] - line[2]) <= INLIER
    if np.count_nonzero(near) >= 2:
        line = geo.line_through(points[near])
    return line, int(np.count_nonzero(near))
