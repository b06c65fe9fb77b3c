"""Finds the document's four corners in a photo, or says it cannot, with the evidence for either.

Candidates are the large regions unlike the picture's border (framing_mask), at two thresholds;
each gets the shape of three or four straight lines that best explains it (framing_shapes). The
best shapes' sides are moved onto the real colour edges at full analysis resolution
(framing_edges), and the document counts as found only when the region fills the shape, real
edges run along its sides, and, with all four sides seen, the shape with its perspective undone
has a document's proportions and square corners.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kyctui.domain.photos import framing_edges as fe
from kyctui.domain.photos import framing_geometry as geo
from kyctui.domain.photos import framing_mask as fm
from kyctui.domain.photos import framing_shapes as fs

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from PIL import Image

    Floats = NDArray[np.float64]

JUDGED = 3  # best-scoring shapes whose edges are checked
CLEAR = 0.95  # support x fill of a finding that needs no second look
MIN_SIDE = 16 * fm.CELL  # px: a smaller picture has too few cells for a border and a document
# An open shape's sides may run off the picture no further than a document's long side, with
# room for perspective (the near end of a tilted card looks longer): else it is a strip, a table
# edge or a ruler, not a document.
OPEN_REACH = 1.3


@dataclass(frozen=True)
class Limits:
    """How sure a finding must be (kyctui/knowledge/framing.toml)."""

    min_area: float  # share of the picture a document covers at least
    min_fill: float  # share of the shape its region must fill
    min_support: float  # share of side samples that must lie on a real, straight edge
    min_side_support: float  # ... and along each side
    step_min: float  # colour step (RGB distance, code values) that counts as an edge
    aspect_tolerance: float  # recovered proportions within this fraction of a document's
    max_skew: float  # degrees: recovered corner angles at most this far from square


@dataclass(frozen=True)
class Lens:
    """The focal length the photo was taken with, or the range it may have been (35 mm equiv.)."""

    reference: float  # EXIF's value, or the usual phone camera's
    low: float  # the range the proportions are allowed to pick the focal length from
    high: float


@dataclass(frozen=True)
class Located:
    """Where the document is, and how sure the finding is."""

    found: bool
    corners: Floats  # analysis pixels; 4 clockwise, or the 2 seen when a side is off the frame
    missing: int  # corners past a side that is not in the picture at all (0 or 2)
    fill: float
    support: float  # share of side samples where a real edge was found
    aspect: float  # recovered long/short ratio at the reference focal length (0: not measured)
    tilt: float  # degrees off facing the camera, at the reference focal length (0: not measured)
    tilt_low: float  # the least tilt any focal length that fits the proportions gives
    why: str  # when not found: the first test that failed

    @staticmethod
    def nothing(why: str) -> Located:
        """Nothing document-like in the picture."""
        return Located(False, np.zeros((0, 2)), 0, 0.0, 0.0, 0.0, 0.0, 0.0, why)


def _thresholds(unlike: NDArray[np.float32]) -> list[float]:
    """Two cut-offs above how unlike each other the border's own parts are."""
    r = fm.RING
    ring = np.concatenate([unlike[:r].ravel(), unlike[-r:].ravel(),
                           unlike[:, :r].ravel(), unlike[:, -r:].ravel()])  # fmt: skip
    typical = float(np.median(ring))
    return [max(20.0, 2.5 * typical), max(30.0, 4.0 * typical)]


def _closing_side(
    pixels: Floats, ends: list[Floats], centre: Floats, limits: Limits
) -> Floats | None:
    """The fourth side of a three-sided shape when it lies just inside the picture's edge.

    The region map cannot tell a side a few pixels inside the edge from one beyond it: the
    colour profile can. `ends` are where the two open sides leave the picture.
    """
    a, b = ends
    along = b - a
    if float(np.hypot(*along)) < 4 * fe.SEARCH:
        return None
    normal = np.array([-along[1], along[0]]) / np.hypot(*along)
    if normal @ (a - centre) < 0:
        normal = -normal  # outward, towards the picture's edge
    # `ends` lie FRAME_GAP inside the edge: the search window then ends a pixel short of it.
    inset = (fe.SEARCH - fe.FRAME_GAP + 1) * normal
    guess = np.array([normal[0], normal[1], normal @ (a - inset)])
    found, ok, n = fe.refine(pixels, guess, a - inset, b - inset, limits.step_min)
    if found is None or ok < limits.min_support * n:
        return None
    return found


def _refined(
    pixels: Floats, shape: fs.Shape, size: tuple[int, int], limits: Limits
) -> tuple[fs.Shape, float, float] | None:
    """The shape with its sides on the real edges; the share of samples on them, overall and
    along the weakest side."""
    lines, ends, hit, read, weakest = [], [], 0, 0, 1.0
    for line, a, b in fs.sides(shape.lines, shape.corners, shape.centre):
        outward = line if line[:2] @ shape.centre < line[2] else -line
        part = fe.visible(a, b, size)
        new = None
        if part is not None:
            new, ok, n = fe.refine(pixels, outward, part[0], part[1], limits.step_min)
            hit, read = hit + ok, read + n
            weakest = min(weakest, ok / n if n else 0.0)
            # An open side's visible part ends where it leaves the picture: away from corners.
            gaps = [float(np.min(np.hypot(*(shape.corners - p).T))) for p in part]
            ends.append(part[0] if gaps[0] > gaps[1] else part[1])
        lines.append(outward if new is None else new)
    if len(lines) == 3 and len(ends) == 3:
        closing = _closing_side(pixels, [ends[0], ends[2]], shape.centre, limits)
        if closing is not None:
            lines.append(closing)
    n = len(lines)
    pts = [geo.intersect(lines[i], lines[(i + 1) % n]) for i in range(n if n == 4 else 2)]
    if read == 0 or any(p is None for p in pts):
        return None
    corners = np.array(pts)
    refined = fs.Shape(tuple(lines), corners, shape.centre, shape.fill, shape.outline)
    return refined, hit / read, weakest


def _pose(
    corners: Floats, size: tuple[int, int], aspects: tuple[float, ...], lens: Lens,
    limits: Limits,
) -> tuple[float, float, float] | None:  # fmt: skip
    """(tilt at the reference lens, least tilt of a fitting lens, aspect), or None: no lens
    in the range makes the shape a document (the wrong proportions, or corners off square)."""
    steps = np.geomspace(lens.low, lens.high, 9)
    focals = np.array([geo.focal_px(size, f) for f in (lens.reference, *steps)])
    rows = geo.pose(corners, size, focals)
    off = np.min(np.abs(rows[:, 1:2] / np.array(aspects) - 1), axis=1)
    fits = (off <= limits.aspect_tolerance) & (rows[:, 2] <= limits.max_skew)
    if not fits.any():
        return None
    # The reference lens when it fits the shape; otherwise the fitting one nearest to it.
    gaps = np.abs(np.log(focals / focals[0])) + np.where(fits, 0.0, np.inf)
    ref = rows[int(np.argmin(gaps))]
    return float(ref[0]), float(rows[fits, 0].min()), float(ref[1])


def _too_long(shape: fs.Shape, size: tuple[int, int], aspects: tuple[float, ...]) -> bool:
    """Whether an open shape's sides run further than any document's could."""
    width = float(np.hypot(*(shape.corners[1] - shape.corners[0])))
    reach = 0.0
    for _, a, b in fs.sides(shape.lines, shape.corners, shape.centre)[::2]:
        part = fe.visible(a, b, size)
        if part is not None:
            reach = max(reach, float(np.hypot(*(part[1] - part[0]))))
    return reach > OPEN_REACH * max(aspects) * width


def _judge(
    pixels: Floats, shape: fs.Shape, size: tuple[int, int], aspects: tuple[float, ...],
    lens: Lens, limits: Limits,
) -> Located:  # fmt: skip
    refined = _refined(pixels, shape, size, limits)
    if refined is None:
        return Located(False, shape.corners, 0, shape.fill, 0.0, 0.0, 0.0, 0.0, "no edges")
    shape, support, weakest = refined
    missing = 4 - len(shape.corners)
    corners = geo.clockwise(shape.corners) if missing == 0 else shape.corners
    tilt = tilt_low = aspect = 0.0
    why = ""
    if shape.fill < limits.min_fill:
        why = f"the region fills {shape.fill:.2f} of the shape"
    elif support < limits.min_support:
        why = f"edges found along {support:.2f} of the sides"
    elif weakest < limits.min_side_support:
        why = f"an edge found along only {weakest:.2f} of one side"
    elif missing and _too_long(shape, size, aspects):
        why = "a strip running off the picture, longer than a document"
    elif missing == 0:
        posed = _pose(corners, size, aspects, lens, limits)
        if posed is None:
            why = "not a document's proportions with any usual lens"
        else:
            tilt, tilt_low, aspect = posed
    return Located(not why, corners, missing, shape.fill, support, aspect, tilt, tilt_low, why)


def locate(image: Image.Image, aspects: tuple[float, ...], lens: Lens, limits: Limits) -> Located:
    """Find the document in an RGB analysis image.

    `aspects`: the long/short proportions the document may have (ID-1 card, passport page).
    """
    size = image.size
    if min(size) < MIN_SIDE:
        return Located.nothing("the picture is too small to find a document in")
    unlike = fm.unlikeness(fm.features(image))
    min_cells = int(limits.min_area * unlike.size)
    pixels = np.asarray(image, np.float64)
    tried: list[Located] = []
    for threshold in _thresholds(unlike):
        shapes = [
            fs.best_shape(region, size) for region in fm.components(unlike > threshold, min_cells)
        ]
        ranked = sorted((s for s in shapes if s is not None), key=lambda s: -s.score)
        tried.extend(
            _judge(pixels, shape, size, aspects, lens, limits) for shape in ranked[:JUDGED]
        )
        if any(r.found and r.support * r.fill >= CLEAR for r in tried):
            break  # a clear finding at the lower threshold: the higher one would only repeat it
    if not tried:
        return Located.nothing("nothing stands out from the background")
    return max(tried, key=lambda r: (r.found, r.support * r.fill))
