"""Fits the document's outline to a region: its straight sides, and the shape they close.

The straight parts of a region's outline are found by a sequential Hough transform. Every set
of four of those lines that closes a convex quadrilateral, and every set of three that closes
one with its fourth side beyond the picture's edge (a document running off the frame), is
scored by how much of it the region fills and how much of its outline the region's outline
follows. Filling rather than overlap: a cup or a hand touching the document joins its region,
which must not count against the document's own shape.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kyctui.domain.photos import framing_edges as fe
from kyctui.domain.photos import framing_geometry as geo
from kyctui.domain.photos import framing_mask as fm

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Floats = NDArray[np.float64]
    Bools = NDArray[np.bool_]
    Side = tuple[Floats, Floats, Floats]  # (line, one end, the other end)

ANGLES = np.deg2rad(np.arange(0.0, 180.0, 2.0))  # the line is then fitted to its points
PEAKS = 6  # straight lines kept per region
PAIR_MAX_GAP = 40.0  # degrees: opposite sides, even in strong perspective
CORNER_MIN_GAP = 45.0  # degrees: adjacent sides
OPEN_SIDE_PENALTY = 0.97  # three lines must fit better than four to be believed


@dataclass(frozen=True)
class Shape:
    """Three or four lines around a region: a document whose fourth side may be off the frame."""

    lines: tuple[Floats, ...]  # in order around the shape
    corners: Floats  # crossings of neighbouring lines: 4x2, or 2x2 when a side is off the frame
    centre: Floats  # a point inside: its region's centroid
    fill: float  # share of the shape (within the frame) the region covers
    outline: float  # share of the shape's visible sides the region's outline follows

    @property
    def score(self) -> float:
        """How well the shape explains its region."""
        penalty = 1.0 if len(self.lines) == 4 else OPEN_SIDE_PENALTY
        return self.fill * self.outline * penalty


def outline_cells(region: Bools) -> Bools:
    """The region's outline cells, leaving out the picture's edge (where it is cut, not bounded)."""
    edge = region & ~fm.erode(region)
    edge[0], edge[-1], edge[:, 0], edge[:, -1] = False, False, False, False
    return edge


def hough(points: Floats, diagonal: float, min_votes: int) -> list[Floats]:
    """The strongest straight lines through `points`, at most PEAKS, strongest first.

    Each line found takes its points away (sequential Hough), so the next peak is another side,
    not the same side again at a slightly different angle.
    """
    step = fm.CELL / 2
    bins = int(2 * diagonal / step) + 2
    rho = points[:, :1] * np.cos(ANGLES) + points[:, 1:] * np.sin(ANGLES)
    n = len(ANGLES)
    index = np.round((rho + diagonal) / step).astype(np.int64) + np.arange(n) * bins
    left = np.ones(len(points), bool)
    lines = []
    for _ in range(PEAKS):
        if np.count_nonzero(left) < min_votes:
            break
        acc = np.bincount(index[left].ravel(), minlength=n * bins).astype(np.float64)
        acc = acc.reshape(n, bins)
        acc[:, 1:-1] += 0.5 * (acc[:, :-2] + acc[:, 2:])  # a cell-quantised edge spreads
        t, r = np.unravel_index(int(np.argmax(acc)), acc.shape)
        near = left & (np.abs(rho[:, t] - (r * step - diagonal)) <= 1.5 * fm.CELL)
        if np.count_nonzero(near) < min_votes:
            break
        lines.append(geo.line_through(points[near]))
        left &= ~near
    return lines


def _closed(lines: list[Floats], size: tuple[int, int]) -> list[tuple[tuple[Floats, ...], Floats]]:
    """Every four lines that close a convex quadrilateral near the picture, with its corners."""
    w, h = size
    out: list[tuple[tuple[Floats, ...], Floats]] = []
    for quad in itertools.combinations(lines, 4):
        for a1, a2, b1, b2 in ((0, 1, 2, 3), (0, 2, 1, 3), (0, 3, 1, 2)):
            cyc = (quad[a1], quad[b1], quad[a2], quad[b2])
            if max(geo.direction_gap(cyc[0], cyc[2]), geo.direction_gap(cyc[1], cyc[3])) > (
                PAIR_MAX_GAP
            ):
                continue
            if min(geo.direction_gap(cyc[i], cyc[(i + 1) % 4]) for i in range(4)) < CORNER_MIN_GAP:
                continue
            pts = [geo.intersect(cyc[i], cyc[(i + 1) % 4]) for i in range(4)]
            if any(p is None for p in pts):
                continue
            corners = np.array(pts)
            if geo.is_convex(corners) and np.all(np.abs(corners - [w / 2, h / 2]) <= [w, h]):
                out.append((cyc, corners))
    return out


def _open(lines: list[Floats]) -> list[tuple[tuple[Floats, ...], Floats]]:
    """Every two near-parallel lines joined by a third: a document with one side off the frame."""
    out: list[tuple[tuple[Floats, ...], Floats]] = []
    for la1, la2 in itertools.combinations(lines, 2):
        if geo.direction_gap(la1, la2) > PAIR_MAX_GAP:
            continue
        for lb in lines:
            if lb is la1 or lb is la2:
                continue
            if min(geo.direction_gap(la1, lb), geo.direction_gap(la2, lb)) < CORNER_MIN_GAP:
                continue
            p1, p2 = geo.intersect(la1, lb), geo.intersect(la2, lb)
            if p1 is not None and p2 is not None:
                out.append(((la1, lb, la2), np.array([p1, p2])))
    return out


def sides(lines: tuple[Floats, ...], corners: Floats, centre: Floats) -> list[Side]:
    """Each side as (line, a, b): between its corners, or from its corner to past the frame."""
    if len(lines) == 4:
        return [(lines[i], corners[(i + 3) % 4], corners[i]) for i in range(4)]
    la1, lb, la2 = lines
    far = 10.0 * float(np.hypot(*(corners[1] - corners[0]))) + 1e4  # past any picture's edge
    inward = lb[:2] if lb[:2] @ centre >= lb[2] else -lb[:2]

    def ray(line: Floats, start: Floats) -> Floats:
        d = np.array([-line[1], line[0]])
        return start + (d if d @ inward > 0 else -d) * far

    c0, c1 = corners
    return [(la1, ray(la1, c0), c0), (lb, c0, c1), (la2, c1, ray(la2, c1))]


def _outline_share(outline: Bools, shape_sides: list[Side], size: tuple[int, int]) -> float:
    near = fm.dilate(outline)
    gh, gw = near.shape
    hit = total = 0
    for _, a, b in shape_sides:
        part = fe.visible(a, b, size)
        if part is None:
            continue
        n = max(2, int(np.hypot(*(part[1] - part[0])) / fm.CELL))
        t = np.linspace(0.0, 1.0, n)[:, None]
        pts = part[0] + t * (part[1] - part[0])
        cols = np.clip((pts[:, 0] / fm.CELL).astype(np.int64), 0, gw - 1)
        rows = np.clip((pts[:, 1] / fm.CELL).astype(np.int64), 0, gh - 1)
        hit += int(np.count_nonzero(near[rows, cols]))
        total += n
    return hit / total if total else 0.0


def best_shape(region: Bools, size: tuple[int, int]) -> Shape | None:
    """The shape of three or four lines that best explains the region, or None."""
    outline = outline_cells(region)
    rows, cols = np.nonzero(outline)
    if len(rows) < 12:
        return None
    points = np.stack([(cols + 0.5) * fm.CELL, (rows + 0.5) * fm.CELL], 1).astype(np.float64)
    lines = hough(points, math.hypot(*size), min_votes=max(6, len(points) // 25))
    gh, gw = region.shape
    ys, xs = np.mgrid[0:gh, 0:gw].astype(np.float64)
    xs, ys = (xs + 0.5) * fm.CELL, (ys + 0.5) * fm.CELL
    rows, cols = np.nonzero(region)
    centre = np.array([(cols.mean() + 0.5) * fm.CELL, (rows.mean() + 0.5) * fm.CELL])
    best: Shape | None = None
    for lines_, corners in _closed(lines, size) + _open(lines):
        inside = np.ones(region.shape, bool)
        for line in lines_:
            sign = 1.0 if line[:2] @ centre >= line[2] else -1.0
            inside &= sign * (line[0] * xs + line[1] * ys - line[2]) >= 0
        area = np.count_nonzero(inside)
        if area == 0:
            continue
        fill = np.count_nonzero(inside & region) / area
        if best is not None and fill * (1.0 if len(lines_) == 4 else OPEN_SIDE_PENALTY) <= (
            best.score
        ):
            continue  # the outline share is at most 1: it cannot win
        share = _outline_share(outline, sides(lines_, corners, centre), size)
        shape = Shape(lines_, corners, centre, fill, share)
        if best is None or shape.score > best.score:
            best = shape
    return best
