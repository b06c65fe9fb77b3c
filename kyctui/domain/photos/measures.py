"""The pixel measures behind the quality checks, taken with Pillow's own C operations.

Each measure keeps its definition in docs/calibration.md. They work on 8-bit luma and colour and
read percentiles from cumulative histograms, so a cold `kyctui check` does not pay numpy's
100-170 ms import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from PIL import Image, ImageChops, ImageMath

from kyctui.domain.photos.ranks import quantile, rank_bin

# Sharpness: an edge's contrast is measured across EDGE_SPAN px on each side; the share of it
# taken by the steepest single-pixel step tells how wide the edge is (1.0 = a clean step).
EDGE_SPAN = 3
EDGE_TOP_SHARE = 0.01  # judge only the strongest 1% of edges: text, card borders, outlines
EDGE_MIN_CONTRAST = 0.02  # strongest edges fainter than this: a blank or flat image, not judged
# Luminance below this is crushed black, at or above it burned-out white (8-bit codes).
DARK_CLIP = 10
BRIGHT_CLIP = 250
# Colour: pixels darker than this carry too little light for their hue to mean anything.
COLOUR_MIN_LUMA = 0.08
# Speed: colour is judged on one pixel of each 4 x 4 block (~12000 at the analysis size), edges
# on every other row (going across) or column (going down); an image with a long side under
# SAMPLE_MIN_SIDE px has its colour judged on one pixel of each 2 x 2, its edges (and glare) on
# every pixel.
COLOUR_STEP = 4
EDGE_LINE_STEP = 2
SAMPLE_MIN_SIDE = 200

# Float values are ranked as 16-bit fixed point (ranks.select): edge steepness ratios (0.2-1.5 in
# practice) in steps of 1/4096; chromaticities (in [0, 1]) and their spreads (in [0, 2]) in steps
# of 1/65534 and 1/32766, plus 1 so that the pixels left out, at 0, sort first.
_RATIO_SCALE = 4096.0
_CHROMA_SCALE = 65534.0
_SPREAD_SCALE = 32766.0

Pick: TypeAlias = Callable[[Image.Image, Image.Image], Image.Image]
_AFFINE = Image.Transform.AFFINE


def _eval(expression: Callable[[dict[str, Any]], Any], **images: Image.Image) -> Image.Image:
    """ImageMath.lambda_eval, typed: the expressions here always make an image."""
    out: Image.Image = ImageMath.lambda_eval(expression, **images)
    return out


def after(img: Image.Image, start: int, vertical: bool) -> Image.Image:
    """`img` without its first `start` columns (rows, when `vertical`).

    ImageChops keeps the size the two operands share, from the top left: pixel x of a result is
    the operation on pixel x + `start` and pixel x, with no crop of the second operand.
    """
    w, h = img.size
    return img.crop((0, start, w, h) if vertical else (start, 0, w, h))


def running(img: Image.Image, width: int, pick: Pick, vertical: bool) -> Image.Image:
    """`pick` (ImageChops.lighter or .darker) over each run of `width` pixels along a row (down a
    column); the result is `width` - 1 shorter. Runs double in length at each step, so a run of
    5 takes 3 operations, not 4."""
    covered = 1
    while covered < width:
        shift = min(covered, width - covered)
        img = pick(after(img, shift, vertical), img)
        covered += shift
    return img


def sample_step(image: Image.Image, step: int, small: int = 1) -> int:
    """`step`, or `small` for an image too small to be sampled as finely (SAMPLE_MIN_SIDE)."""
    return step if max(image.size) >= SAMPLE_MIN_SIDE else small


def sample(
    image: Image.Image,
    step: int,
    step_y: int | None = None,
    box: tuple[int, int, int, int] | None = None,
) -> Image.Image:
    """Every `step`-th pixel across and every `step_y`-th (by default `step`-th) down, from the
    top left: pixel (x, y) is (step x, step_y y). With `box` (in those sample coordinates), only
    the samples in it, the others not computed: what sample(...).crop(box) gives."""
    sy = step if step_y is None else step_y
    if step == sy == 1:
        return image if box is None else image.crop(box)
    w, h = image.size
    x0, y0, x1, y1 = box or (0, 0, (w + step - 1) // step, (h + sy - 1) // sy)
    # The affine map reads the input at step * (x + 0.5) + c, rounded down: c puts it on step x.
    matrix = (step, 0, step * x0 + 0.5 - step / 2, 0, sy, sy * y0 + 0.5 - sy / 2)
    return image.transform((x1 - x0, y1 - y0), _AFFINE, matrix, Image.Resampling.NEAREST)


def _edge_steepness(gray: Image.Image, vertical: bool) -> float | None:
    """Median steepness of the strongest edges met going across (or down); None when none."""
    s = EDGE_SPAN
    # Going across, each row is measured on its own (going down, each column): every other one
    # still gives a median over ~1000 strong edges at the analysis size, for half the work.
    every = sample_step(gray, EDGE_LINE_STEP)
    lines = sample(gray, every, 1) if vertical else sample(gray, 1, every)
    contrast = ImageChops.difference(after(lines, 2 * s - 1, vertical), lines)
    hist = contrast.histogram()
    total = sum(hist)
    k = max(1, int(EDGE_TOP_SHARE * total))
    cut, count = 255, hist[255]
    while count < k:  # the k-th strongest contrast
        cut -= 1
        count += hist[cut]
    if cut <= EDGE_MIN_CONTRAST * 255:
        return None
    # The contrast of the strong edges, 0 for the others, as floats for the division below (a
    # float table skips the rounding Pillow gives an 8-bit one: ~40 us).
    strong = contrast.point([0.0] * cut + [float(c) for c in range(cut, 256)], "F")
    # Only the strong edges' bounding box is measured (on an ID laid on a table, about half the
    # frame): the weak edges in it are counted out below, those outside it need not be.
    box = strong.getbbox()
    if box is None:  # not reached: `count` pixels have a contrast of `cut` > 0 or more
        return None
    x0, y0, x1, y1 = box
    # The steepest step of each edge, from the lines the box's edges span (2s - 1 more px).
    near = lines.crop((x0, y0, x1, y1 + 2 * s - 1) if vertical else (x0, y0, x1 + 2 * s - 1, y1))
    step = ImageChops.difference(after(near, 1, vertical), near)
    steepest = running(step, 2 * s - 1, ImageChops.lighter, vertical)
    # The weak edges divide by 0, which Pillow makes 0; a strong edge's steepest step is at
    # least a fifth of its contrast, so its ratio is never under 0.2: the weak ones sort first.
    ratio = _eval(lambda a: a["s"] / a["c"], s=steepest.convert("F"), c=strong.crop(box))
    # Scaled by point() (ImageMath would fill a full-size image with the constant), rounded.
    fixed = ratio.point(lambda v: v * _RATIO_SCALE + 0.5).convert("I")
    return quantile(fixed, 0.5, fixed.width * fixed.height - count, count) / _RATIO_SCALE


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


def brightness(gray: Image.Image, hist: Sequence[int] | None = None) -> tuple[float, float, float]:
    """(mean luminance, share of crushed-black pixels, share of burned-out white pixels).

    `hist` is `gray`'s histogram when the caller has it (the measures share one)."""
    hist = hist if hist is not None else gray.histogram()
    n = sum(hist)
    if n == 0:
        return 0.0, 0.0, 0.0
    mean = sum(v * c for v, c in enumerate(hist)) / n / 255
    return mean, sum(hist[:DARK_CLIP]) / n, sum(hist[BRIGHT_CLIP:]) / n


def highlight_level(gray: Image.Image, hist: Sequence[int] | None = None) -> float:
    """The 99th percentile of luminance: how bright the photo's brightest parts came out.

    The mean would call a well-lit ID on the dark background KYC guidance asks for "dark", and
    differs from scene to scene; an underexposed photo is one whose highlights never get bright.
    """
    hist = hist if hist is not None else gray.histogram()
    n = sum(hist)
    if n == 0:
        return 0.0
    level, _ = rank_bin(hist, min(n - 1, int(0.99 * n)))
    return level / 255


def _lit_fixed(values: Image.Image, lit: Image.Image, scale: float) -> Image.Image:
    """Mode-F `values` as fixed point, 1 + round(value * scale), and 0 where `lit` is 0."""
    shifted = values.point(lambda v: v * scale + 1.5)
    return _eval(lambda a: a["v"] * a["m"], v=shifted, m=lit).convert("I")  # F to I truncates


def _off_median(chroma: Image.Image, skip: int, n: int) -> Image.Image:
    """How far each pixel's chromaticity lies from the lit pixels' median chromaticity.

    `chroma` is 0 on the `skip` unlit pixels: 1 in fixed point, never above a lit pixel's value,
    so they still sort first."""
    fixed = chroma.point(lambda v: v * _CHROMA_SCALE + 1.5).convert("I")
    median = (quantile(fixed, 0.5, skip, n) - 1) / _CHROMA_SCALE
    return _eval(lambda a: abs(a["c"]), c=chroma.point(lambda v: v - median))


def saturation(image: Image.Image) -> float:
    """Colour left once any uniform tint is removed: 0 for black and white, sepia or a photocopy.

    Chromaticity (each channel's share of R+G+B) does not change with brightness, so a tinted
    monochrome image has one chromaticity everywhere; colour shows as spread around the median.
    The value is the 95th percentile of that spread, scaled so a vivid colour is about 1.
    """
    if image.width * image.height == 0:
        return 0.0
    small = sample(image, sample_step(image, COLOUR_STEP, 2))
    w2, h2 = small.size
    r, g, b = (plane.convert("F") for plane in small.split())
    total = _eval(lambda a: a["r"] + a["g"] + a["b"], r=r, g=g, b=b)
    lit = _eval(lambda a: a["t"] >= COLOUR_MIN_LUMA * 3 * 255, t=total)  # 1.0 or 0.0
    n = lit.histogram(extrema=(0.0, 1.0))[255]
    if n < 16:
        return 0.0
    skip = w2 * h2 - n  # the unlit pixels: they sort first
    # Unlit, the total is 0 here, and Pillow makes x / 0 zero: their chromaticity is 0.
    lit_total = _eval(lambda a: a["t"] * a["m"], t=total, m=lit)
    offs = [
        _off_median(_eval(lambda a: a["p"] / a["t"], p=plane, t=lit_total), skip, n)
        for plane in (r, g, b)
    ]
    spread = _eval(lambda a: a["r"] + a["g"] + a["b"], r=offs[0], g=offs[1], b=offs[2])
    return (quantile(_lit_fixed(spread, lit, _SPREAD_SCALE), 0.95, skip, n) - 1) / _SPREAD_SCALE
