"""Plane geometry of a photographed document: lines, corners, and its pose from perspective.

A line is (nx, ny, c) with a unit normal: the points where nx*x + ny*y = c, in analysis pixels.
The pose comes from the homography that maps a unit square onto the four corners, read with a
pinhole camera whose focal length is known (EXIF) or assumed (a phone's 26 mm equivalent): its
first two columns are the document's two side directions in space, scaled by the side lengths.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Floats = NDArray[np.float64]

FULL_FRAME_DIAGONAL_MM = 43.27  # the 36x24 mm frame "35 mm equivalent" focal lengths refer to


def line_through(points: Floats, weights: Floats | None = None) -> Floats:
    """The total-least-squares line through (N, 2) points."""
    w = np.ones(len(points)) if weights is None else weights
    centre = (points * w[:, None]).sum(0) / w.sum()
    d = points - centre
    sxx, syy = float((w * d[:, 0] ** 2).sum()), float((w * d[:, 1] ** 2).sum())
    sxy = float((w * d[:, 0] * d[:, 1]).sum())
    along = 0.5 * math.atan2(2.0 * sxy, sxx - syy)  # the direction of most spread
    nx, ny = -math.sin(along), math.cos(along)
    return np.array([nx, ny, nx * centre[0] + ny * centre[1]])


def line_from_angle(theta: float, rho: float) -> Floats:
    """The line x cos(theta) + y sin(theta) = rho."""
    return np.array([math.cos(theta), math.sin(theta), rho])


def intersect(a: Floats, b: Floats) -> Floats | None:
    """Where two lines cross, or None when they are (nearly) parallel."""
    det = a[0] * b[1] - a[1] * b[0]
    if abs(det) < 1e-9:
        return None
    return np.array([(a[2] * b[1] - a[1] * b[2]) / det, (a[0] * b[2] - a[2] * b[0]) / det])


def direction_gap(a: Floats, b: Floats) -> float:
    """The angle between two lines' directions in degrees, 0-90."""
    cos = abs(float(a[0] * b[0] + a[1] * b[1]))
    return math.degrees(math.acos(min(1.0, cos)))


def clockwise(corners: Floats) -> Floats:
    """Four corners ordered clockwise on screen (y down), starting nearest the top left."""
    centre = corners.mean(0)
    angles = np.arctan2(corners[:, 1] - centre[1], corners[:, 0] - centre[0])
    ordered = corners[np.argsort(angles)]
    start = int(np.argmin(ordered.sum(1)))
    return np.roll(ordered, -start, axis=0)


def is_convex(corners: Floats) -> bool:
    """Whether four cyclically ordered corners make a convex quadrilateral."""
    signs = []
    for i in range(4):
        a, b, c = corners[i], corners[(i + 1) % 4], corners[(i + 2) % 4]
        signs.append((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]))
    return all(s > 0 for s in signs) or all(s < 0 for s in signs)


def homography(src: Floats, dst: Floats) -> Floats:
    """The 3x3 projective map taking four `src` points onto four `dst` points."""
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, -u])
        rows.append([0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.asarray(rows))
    h: Floats = vt[-1].reshape(3, 3)
    out: Floats = h / h[2, 2]
    return out


def focal_px(size: tuple[int, int], focal_35mm: float) -> float:
    """A 35 mm-equivalent focal length in pixels of a picture of this size."""
    return focal_35mm / FULL_FRAME_DIAGONAL_MM * math.hypot(*size)


def pose(corners: Floats, size: tuple[int, int], focals: Floats) -> Floats:
    """(tilt, aspect, skew) rows, one per focal length (px), of a rectangle at clockwise `corners`.

    tilt: degrees between the document's plane and the sensor's. aspect: its true long side over
    short side, perspective undone. skew: how far (degrees) its recovered sides are from square.
    A real rectangle seen with the right focal length has its true aspect and no skew; with the
    wrong one, the tilt comes out wrong in proportion and the aspect drifts.
    """
    w, h = size
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    hom = homography(square, corners - [w / 2, h / 2])
    out = np.empty((len(focals), 3))
    for i, f in enumerate(focals):
        h1 = np.array([hom[0, 0] / f, hom[1, 0] / f, hom[2, 0]])
        h2 = np.array([hom[0, 1] / f, hom[1, 1] / f, hom[2, 1]])
        n1, n2 = float(np.linalg.norm(h1)), float(np.linalg.norm(h2))
        r1, r2 = h1 / n1, h2 / n2
        normal = np.cross(r1, r2)
        normal /= np.linalg.norm(normal)
        tilt = math.degrees(math.acos(min(1.0, abs(float(normal[2])))))
        skew = abs(90.0 - math.degrees(math.acos(max(-1.0, min(1.0, float(r1 @ r2))))))
        out[i] = tilt, max(n1 / n2, n2 / n1), skew
    return out


def rotation(corners: Floats) -> float:
    """How far (degrees, 0-45) the document's long sides turn from the picture's nearest axis."""
    top, right = corners[1] - corners[0] + corners[2] - corners[3], corners[3] - corners[0]
    right = right + corners[2] - corners[1]
    axis = top if np.linalg.norm(top) >= np.linalg.norm(right) else right
    angle = abs(math.degrees(math.atan2(float(axis[1]), float(axis[0])))) % 90.0
    return min(angle, 90.0 - angle)
