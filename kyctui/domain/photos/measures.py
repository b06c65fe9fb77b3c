"""The pixel measures behind the quality checks, taken with Pillow's own C operations.

Each measure keeps its definition in docs/calibration.md. They work on 8-bit luma and colour and
read percentiles from cumulative histograms, so a cold `kyctui check` does not pay numpy's
100-170 ms import.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import Any

from PIL import Image, ImageChops, ImageFilter, ImageMath

# Sharpness: an edge's contrast is measured across EDGE_SPAN px on each side; the share of it
# taken by the steepest single-pixel step tells how wide the edge is (1.0 = a clean step).
EDGE_SPAN = 3
EDGE_TOP_SHARE = 0.01  # judge only the strongest 1% of edges: text, card borders, outlines
EDGE_MIN_CONTRAST = 0.02  # strongest edges fainter than this: a blank or flat image, not judged
# Luminance below this is crushed black, at or above it burned-out white (8-bit codes).
DARK_CLIP = 10
BRIGHT_CLIP = 250
# Glare: all three channels at least this (near-white and colourless at once) ...
GLARE_WHITE = 235
# ... and at least this much brighter than the typical brightness of the area around it, so the
# white paper of a letter (as bright as its surroundings) is never taken for a reflection.
GLARE_CONTRAST = 0.25
GLARE_CELLS = 24  # the surroundings are judged on a grid this many cells along the long side
GLARE_REACH = 6  # ... over a window this many cells either side (half the image across)
GLARE_OPEN = 2  # px: white strokes up to ~4 px wide (lettering, hairlines) are not blobs
# Colour: pixels darker than this carry too little light for their hue to mean anything.
COLOUR_MIN_LUMA = 0.08

# Float values are ranked as 16-bit fixed point (see _select): edge steepness ratios (0.2-1.5 in
# practice) in steps of 1/4096; chromaticities (in [0, 1]) and their spreads (in [0, 2]) in steps
# of 1/65534 and 1/32766, plus 1 so that 0 marks the pixels left out.
_RATIO_SCALE = 4096.0
_CHROMA_SCALE = 65534.0
_SPREAD_SCALE = 32766.0


def _eval(expression: Callable[[dict[str, Any]], Any], **images: Image.Image) -> Image.Image:
    """ImageMath.lambda_eval, typed: the expressions here always make an image."""
    out: Image.Image = ImageMath.lambda_eval(expression, **images)
    return out


def _rank_bin(hist: Sequence[int], rank: int) -> tuple[int, int]:
    """(the bin holding the value of 0-based `rank` in sorted order, the count below that bin)."""
    cumulative = list(accumulate(hist))
    b = bisect_right(cumulative, rank)
    return b, cumulative[b - 1] if b else 0


def _select(fixed: Image.Image, ranks: Sequence[int]) -> list[int]:
    """The values at 0-based `ranks` of a mode-I image of integers in [0, 65535], in sorted order.

    A radix select in two histograms: the high bytes (extrema 0..255*256 make the bins exactly
    256 wide), then the low bytes of the values that share the wanted high byte. Integer bins
    are exact, where a float value on a bin boundary may fall on either side from one pass to
    the next.
    """
    high = fixed.histogram(extrema=(0, 255 * 256))
    lows: dict[int, list[int]] = {}
    out = []
    for rank in ranks:
        top, below = _rank_bin(high, rank)
        if top > 255:  # not counted: over 65535
            out.append(65535)
            continue
        if top not in lows:
            lows[top] = fixed.histogram(extrema=(top * 256, top * 256 + 255))
        low, _ = _rank_bin(lows[top], rank - below)
        out.append(top * 256 + min(low, 255))
    return out


def _quantile(fixed: Image.Image, q: float, skip: int, n: int) -> float:
    """np.percentile's "linear" quantile `q` of the `n` values that sort after `skip` others."""
    pos = q * (n - 1)
    i = int(pos)
    lo, hi = _select(fixed, [skip + i, skip + min(i + 1, n - 1)])
    return lo + (hi - lo) * (pos - i)


def _hist_quantile(hist: Sequence[int], q: float) -> float:
    """The same quantile of the values an 8-bit histogram counts."""
    n = sum(hist)
    pos = q * (n - 1)
    i = int(pos)
    lo, _ = _rank_bin(hist, i)
    hi, _ = _rank_bin(hist, min(i + 1, n - 1))
    return lo + (hi - lo) * (pos - i)


def _edge_steepness(gray: Image.Image, vertical: bool) -> float | None:
    """Median steepness of the strongest edges met going across (or down); None when none."""
    w, h = gray.size

    def band(img: Image.Image, start: int, stop: int) -> Image.Image:
        return img.crop((0, start, w, stop) if vertical else (start, 0, stop, h))

    s = EDGE_SPAN
    length = h if vertical else w
    n = length - 2 * s + 1  # edges per row (column)
    step = ImageChops.difference(band(gray, 1, length), band(gray, 0, length - 1))
    steepest = band(step, 0, n)
    for i in range(1, 2 * s - 1):
        steepest = ImageChops.lighter(steepest, band(step, i, i + n))
    contrast = ImageChops.difference(band(gray, 2 * s - 1, length), band(gray, 0, n))
    hist = contrast.histogram()
    total = sum(hist)
    k = max(1, int(EDGE_TOP_SHARE * total))
    cut, count = 255, hist[255]
    while count < k:  # the k-th strongest contrast
        cut -= 1
        count += hist[cut]
    if cut <= EDGE_MIN_CONTRAST * 255:
        return None
    strong = contrast.point([0] * cut + list(range(cut, 256)))
    # The weak edges divide by 0, which Pillow makes 0; a strong edge's steepest step is at
    # least a fifth of its contrast, so its ratio is never under 0.2: the weak ones sort first.
    ratio = _eval(lambda a: a["s"] / a["c"], s=steepest.convert("F"), c=strong.convert("F"))
    # Scaled by point() (ImageMath would fill a full-size image with the constant), rounded.
    fixed = ratio.point(lambda v: v * _RATIO_SCALE + 0.5).convert("I")
    return _quantile(fixed, 0.5, total - count, count) / _RATIO_SCALE


def sharpness(gray: Image.Image) -> float:
    """Median steepness of the strongest edges, in (0, 1]: ~0.5-0.7 sharp, ~0.25 blurred.

    `gray` is the photo's luma (mode L). For each strong edge, the steepest one-pixel step is
    divided by the edge's contrast across 2 x EDGE_SPAN px. Blur spreads an edge over more
    pixels, so the ratio falls as 1 / width whatever the scene's contrast. The lower of the
    horizontal and vertical scores is kept, so camera shake in one direction is not hidden by
    the sharp edges along the other.
    """
    if min(gray.size) <= 2 * EDGE_SPAN:
        return 0.0
    scores = []
    for vertical in (False, True):
        score = _edge_steepness(gray, vertical)
        if score is None:
            return 0.0
        scores.append(score)
    return min(scores)


def brightness(gray: Image.Image) -> tuple[float, float, float]:
    """(mean luminance, share of crushed-black pixels, share of burned-out white pixels)."""
    hist = gray.histogram()
    n = sum(hist)
    if n == 0:
        return 0.0, 0.0, 0.0
    mean = sum(v * c for v, c in enumerate(hist)) / n / 255
    return mean, sum(hist[:DARK_CLIP]) / n, sum(hist[BRIGHT_CLIP:]) / n


def highlight_level(gray: Image.Image) -> float:
    """The 99th percentile of luminance: how bright the photo's brightest parts came out.

    The mean would call a well-lit ID on the dark background KYC guidance asks for "dark", and
    differs from scene to scene; an underexposed photo is one whose highlights never get bright.
    """
    hist = gray.histogram()
    n = sum(hist)
    if n == 0:
        return 0.0
    level, _ = _rank_bin(hist, min(n - 1, int(0.99 * n)))
    return level / 255


def _square(mask: Image.Image, r: int, pick: Callable[..., Image.Image], pad: int) -> Image.Image:
    """`pick` (ImageChops.darker or .lighter) over each pixel's (2r+1)-square, row then column.

    Padded with `pad`, the neutral value, which gives what replicating the edges would give.
    """
    w, h = mask.size
    canvas = Image.new("L", (w + 2 * r, h + 2 * r), pad)
    canvas.paste(mask, (r, r))
    rows = canvas.crop((0, 0, w, h + 2 * r))
    for d in range(1, 2 * r + 1):
        rows = pick(rows, canvas.crop((d, 0, d + w, h + 2 * r)))
    out = rows.crop((0, 0, w, h))
    for d in range(1, 2 * r + 1):
        out = pick(out, rows.crop((0, d, w, d + h)))
    return out


def _surroundings(gray: Image.Image) -> Image.Image:
    """Typical brightness around each pixel: the median of coarse cell means over a wide window."""
    w, h = gray.size
    cell = max(1, min(max(w, h) // GLARE_CELLS, w, h))
    gw, gh = w // cell, h // cell
    cells = gray.crop((0, 0, gw * cell, gh * cell)).reduce(cell)
    local = cells.filter(ImageFilter.MedianFilter(2 * GLARE_REACH + 1))  # edges replicated
    # Back to pixels; the ragged right and bottom edges take their nearest cell.
    nearest = Image.Resampling.NEAREST
    grid = local.resize((gw * cell, gh * cell), nearest)
    if grid.size == (w, h):
        return grid
    out = Image.new("L", (w, h))
    out.paste(grid)
    if w > gw * cell:
        column = grid.crop((gw * cell - 1, 0, gw * cell, gh * cell))
        out.paste(column.resize((w - gw * cell, gh * cell), nearest), (gw * cell, 0))
    if h > gh * cell:
        row = out.crop((0, gh * cell - 1, w, gh * cell))
        out.paste(row.resize((w, h - gh * cell), nearest), (0, gh * cell))
    return out


def glare_share(image: Image.Image, gray: Image.Image | None = None) -> float:
    """Share of the image covered by glare: solid near-white blobs far brighter than around.

    `image` is RGB; `gray` its luma (Photo.luma), computed from `image` when not given.
    """
    w, h = image.size
    if w * h == 0 or min(w, h) <= 2 * GLARE_OPEN:
        return 0.0
    r, g, b = image.split()
    least = ImageChops.darker(ImageChops.darker(r, g), b)
    white = least.point([0] * GLARE_WHITE + [255] * (256 - GLARE_WHITE))
    box = white.getbbox()
    if box is None:
        return 0.0
    # The opening runs on the white pixels' bounding box plus a margin: beyond it all is black.
    m = 2 * GLARE_OPEN
    box = (max(0, box[0] - m), max(0, box[1] - m), min(w, box[2] + m), min(h, box[3] + m))
    eroded = _square(white.crop(box), GLARE_OPEN, ImageChops.darker, 255)
    blobs = _square(eroded, GLARE_OPEN, ImageChops.lighter, 0)  # never beyond the white pixels
    if blobs.getbbox() is None:
        return 0.0
    gray = gray if gray is not None else image.convert("L")
    # The reference is the brighter of the local and the whole-image typical brightness: a sheet
    # of paper that fills most of the frame is the image's typical brightness, never glare on it.
    # Rounded up: on 8-bit codes, "at least 0.25 brighter" is then one integer comparison.
    typical = math.ceil(_hist_quantile(gray.histogram(), 0.5))
    lift = [max(v, typical) for v in range(256)]
    reference = _surroundings(gray).crop(box).point(lift)
    excess = ImageChops.subtract(gray.crop(box), reference).histogram(mask=blobs)
    return sum(excess[math.ceil(GLARE_CONTRAST * 255) :]) / (w * h)


def _lit_fixed(values: Image.Image, lit: Image.Image, scale: float) -> Image.Image:
    """Mode-F `values` as fixed point, 1 + round(value * scale), and 0 where `lit` is 0."""
    shifted = values.point(lambda v: v * scale + 1.5)
    return _eval(lambda a: a["v"] * a["m"], v=shifted, m=lit).convert("I")  # F to I truncates


def _off_median(chroma: Image.Image, lit: Image.Image, skip: int, n: int) -> Image.Image:
    """How far each pixel's chromaticity lies from the lit pixels' median chromaticity."""
    fixed = _lit_fixed(chroma, lit, _CHROMA_SCALE)
    median = (_quantile(fixed, 0.5, skip, n) - 1) / _CHROMA_SCALE
    return _eval(lambda a: abs(a["c"]), c=chroma.point(lambda v: v - median))


def saturation(image: Image.Image) -> float:
    """Colour left once any uniform tint is removed: 0 for black and white, sepia or a photocopy.

    Chromaticity (each channel's share of R+G+B) does not change with brightness, so a tinted
    monochrome image has one chromaticity everywhere; colour shows as spread around the median.
    The value is the 95th percentile of that spread, scaled so a vivid colour is about 1.
    """
    w, h = image.size
    if w * h == 0:
        return 0.0
    # Every other pixel each way is plenty (speed): the box makes them the even rows and columns.
    w2, h2 = (w + 1) // 2, (h + 1) // 2
    small = image.resize((w2, h2), Image.Resampling.NEAREST, box=(0, 0, 2 * w2 - 1, 2 * h2 - 1))
    r, g, b = (plane.convert("F") for plane in small.split())
    total = _eval(lambda a: a["r"] + a["g"] + a["b"], r=r, g=g, b=b)
    lit = _eval(lambda a: a["t"] >= COLOUR_MIN_LUMA * 3 * 255, t=total)  # 1.0 or 0.0
    n = lit.histogram(extrema=(0.0, 1.0))[255]
    if n < 16:
        return 0.0
    skip = w2 * h2 - n  # the unlit pixels, 0 in fixed point: they sort first
    offs = [
        _off_median(_eval(lambda a: a["p"] / a["t"], p=plane, t=total), lit, skip, n)
        for plane in (r, g, b)
    ]
    spread = _eval(lambda a: a["r"] + a["g"] + a["b"], r=offs[0], g=offs[1], b=offs[2])
    return (_quantile(_lit_fixed(spread, lit, _SPREAD_SCALE), 0.95, skip, n) - 1) / _SPREAD_SCALE
