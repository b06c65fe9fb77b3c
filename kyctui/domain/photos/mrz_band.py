"""Finds the machine-readable zone among text-line boxes: the lowest group of long parallel lines
of equal length, and cuts each of its lines out straightened."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kyctui.domain.photos.ocr_engine import Quad

if TYPE_CHECKING:
    from PIL import Image

# Lines of one zone: directions within this many degrees of each other, and the next line no
# further than this many line heights below (ICAO 9303 part 3 spaces lines about 1.2 heights
# apart; detection boxes are taller than the print, so the gap measured is smaller still).
_PARALLEL_DEGREES = 6.0
_MAX_LINE_STEP = 2.5


@dataclass(frozen=True)
class Line:
    """A text-line box measured: its centre, direction, length and height."""

    quad: Quad
    cx: float
    cy: float
    angle: float  # radians, of the top edge, left to right
    length: float
    height: float

    def along(self, other: Line) -> float:
        """Offset of `other`'s centre along this line's direction."""
        return (other.cx - self.cx) * math.cos(self.angle) + (other.cy - self.cy) * math.sin(
            self.angle
        )

    def across(self, other: Line) -> float:
        """Offset of `other`'s centre across this line, positive below it."""
        return -(other.cx - self.cx) * math.sin(self.angle) + (other.cy - self.cy) * math.cos(
            self.angle
        )


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def measure(quad: Quad) -> Line:
    """A box's centre, direction (of its top edge), length and height."""
    tl, tr, br, bl = quad
    cx = sum(p[0] for p in quad) / 4
    cy = sum(p[1] for p in quad) / 4
    angle = math.atan2(tr[1] - tl[1], tr[0] - tl[0])
    length = (_dist(tl, tr) + _dist(bl, br)) / 2
    height = (_dist(tl, bl) + _dist(tr, br)) / 2
    return Line(quad, cx, cy, angle, length, max(height, 1e-6))


def _same_zone(a: Line, b: Line, tolerance: float) -> bool:
    turn = abs((a.angle - b.angle + math.pi) % (2 * math.pi) - math.pi)
    if math.degrees(turn) > _PARALLEL_DEGREES:
        return False
    if abs(a.length - b.length) > tolerance * max(a.length, b.length):
        return False
    step = abs(a.across(b))
    return 0.5 * a.height < step <= _MAX_LINE_STEP * a.height and abs(a.along(b)) < 0.25 * a.length


def zone_candidates(quads: list[Quad], min_aspect: float, tolerance: float) -> list[list[Line]]:
    """Groups of 2 or 3 long lines that could be a zone, each ordered top to bottom, the lowest
    group first (the zone is at the foot of a passport page and of a card's back)."""
    lines = [m for m in map(measure, quads) if m.length >= min_aspect * m.height]
    lines.sort(key=lambda m: m.cy)
    groups: list[list[Line]] = []
    for line in lines:
        for group in groups:
            if _same_zone(group[-1], line, tolerance):
                group.append(line)
                break
        else:
            groups.append([line])
    candidates: list[list[Line]] = []
    for group in groups:
        if len(group) in (2, 3):
            candidates.append(group)
        elif len(group) > 3:  # a long printed line above the zone joined it: keep the lowest
            candidates.extend([group[-3:], group[-2:]])
    candidates.sort(key=lambda g: -max(m.cy for m in g))
    return candidates


def straighten(image: Image.Image, line: Line, turned: bool = False) -> Image.Image:
    """The line's box cut out as an upright rectangle (perspective undone), turned 180° if
    `turned` (the photo was taken upside down)."""
    from PIL import Image

    tl, tr, br, bl = line.quad
    size = (max(1, round(line.length)), max(1, round(line.height)))
    data = (*tl, *bl, *br, *tr)  # Pillow's QUAD order: UL, LL, LR, UR
    cut = image.transform(size, Image.Transform.QUAD, data, Image.Resampling.BICUBIC)
    return cut.rotate(180) if turned else cut
