"""The glare measure: solid near-white blobs much brighter than what surrounds them.

Its definition is in docs/calibration.md; like the other measures (measures.py) it runs on
Pillow's own C operations, without numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeAlias

from PIL import Image, ImageChops, ImageFilter

from kyctui.domain.photos.measures import Pick, running, sample, sample_step
from kyctui.domain.photos.ranks import hist_quantile

# All three channels at least this (near-white and colourless at once) ...
GLARE_WHITE = 235
# ... and at least this much brighter than the typical brightness of the area around it, so the
# white paper of a letter (as bright as its surroundings) is never taken for a reflection.
GLARE_CONTRAST = 0.25
GLARE_CELLS = 24  # the surroundings are judged on a grid this many cells along the long side
GLARE_REACH = 6  # ... over a window this many cells either side (half the image across)
GLARE_OPEN = 2  # px: white strokes up to ~4 px wide (lettering, hairlines) are not blobs
# Speed: the blobs are looked for on one pixel of each 2 x 2 block (a blob worth reporting is
# thousands of pixels), except in an image under measures.SAMPLE_MIN_SIDE px.
GLARE_STEP = 2

_Box: TypeAlias = tuple[int, int, int, int]
_AFFINE = Image.Transform.AFFINE
_EXCESS = math.ceil(GLARE_CONTRAST * 255)  # "GLARE_CONTRAST brighter", in 8-bit codes


def _square(mask: Image.Image, r: int, pick: Pick, pad: int) -> Image.Image:
    """`pick` (ImageChops.darker or .lighter) over each pixel's (2r+1)-square, row then column.

    Padded with `pad`, the neutral value, which gives what replicating the edges would give.
    """
    w, h = mask.size
    canvas = Image.new("L", (w + 2 * r, h + 2 * r), pad)
    canvas.paste(mask, (r, r))
    return running(running(canvas, 2 * r + 1, pick, False), 2 * r + 1, pick, True)


class _InnerMedian(ImageFilter.Filter):
    """The median of each `size` x `size` window lying wholly inside the image: MedianFilter
    without its padding, so the result is `size` - 1 smaller each way."""

    def __init__(self, size: int) -> None:
        self.size = size

    def filter(self, image: Any) -> Any:  # Pillow's core image, as RankFilter.filter takes it
        return image.rankfilter(self.size, self.size * self.size // 2)


def _edge_padded(img: Image.Image, r: int) -> Image.Image:
    """`img` with `r` more pixels on every side, copies of its edge pixels (as MedianFilter
    pads)."""
    w, h = img.size
    out = Image.new(img.mode, (w + 2 * r, h + 2 * r))
    out.paste(img, (r, r))
    nearest = Image.Resampling.NEAREST
    out.paste(img.crop((0, 0, 1, h)).resize((r, h), nearest), (0, r))
    out.paste(img.crop((w - 1, 0, w, h)).resize((r, h), nearest), (w + r, r))
    out.paste(out.crop((0, r, w + 2 * r, r + 1)).resize((w + 2 * r, r), nearest), (0, 0))
    bottom = out.crop((0, h + r - 1, w + 2 * r, h + r)).resize((w + 2 * r, r), nearest)
    out.paste(bottom, (0, h + r))
    return out


def _surroundings(gray: Image.Image, box: _Box, floor: int, step: int) -> Image.Image:
    """Typical brightness around each sampled pixel of `box` (in sample coordinates, see
    measures.sample): the median of coarse cell means of the whole image over a wide window, or
    `floor` where that is darker."""
    w, h = gray.size
    cell = max(1, min(max(w, h) // GLARE_CELLS, w, h))
    gw, gh = w // cell, h // cell
    cells = gray.crop((0, 0, gw * cell, gh * cell)).reduce(cell)
    # The cells under `box`; the ragged right and bottom edges take their nearest cell, so a
    # pixel's cell is min(x // cell, gw - 1): one more cell, repeated, covers them.
    x0, y0 = box[0] * step, box[1] * step
    cx0, cy0 = min(x0 // cell, gw - 1), min(y0 // cell, gh - 1)
    cx1 = min((box[2] - 1) * step // cell + 1, gw)
    cy1 = min((box[3] - 1) * step // cell + 1, gh)
    # The median over each cell's window, only for these cells: the median of 169 values per
    # cell is what costs here, and a blob covers a few of the grid's ~430 cells. `floor` acts
    # pixel by pixel, so on the cells as well as on the pixels they become.
    r = GLARE_REACH
    around = _edge_padded(cells, r).crop((cx0, cy0, cx1 + 2 * r, cy1 + 2 * r))
    medians = around.filter(_InnerMedian(2 * r + 1))
    local = ImageChops.lighter(medians, Image.new("L", medians.size, floor))
    lw, lh = local.size
    grid = Image.new("L", (lw + 1, lh + 1))
    grid.paste(local)
    grid.paste(local.crop((lw - 1, 0, lw, lh)), (lw, 0))
    grid.paste(grid.crop((0, lh - 1, lw + 1, lh)), (0, lh))
    # Straight to the sample: pixel i of the box is at step * i + x0 in the image, in cell
    # (step * i + x0) // cell; reading the grid at (that + 0.5) / cell stays clear of a boundary.
    size = (box[2] - box[0], box[3] - box[1])
    a = step / cell
    cx, cy = (x0 + 0.5 - step / 2) / cell - cx0, (y0 + 0.5 - step / 2) / cell - cy0
    return grid.transform(size, _AFFINE, (a, 0, cx, 0, a, cy), Image.Resampling.NEAREST)


def _grown(box: _Box | None, margin: int, within: _Box) -> _Box | None:
    """`box` grown by `margin` on every side, kept `within`; None stays None."""
    if box is None:
        return None
    x0, y0, x1, y1 = within
    m = margin
    return max(x0, box[0] - m), max(y0, box[1] - m), min(x1, box[2] + m), min(y1, box[3] + m)


def glare_share(
    image: Image.Image, gray: Image.Image | None = None, hist: Sequence[int] | None = None
) -> float:
    """Share of the image covered by glare: solid near-white blobs far brighter than around.

    `image` is RGB; `gray` its luma (Photo.luma), computed from `image` when not given, and
    `hist` the histogram of `gray` when the caller has it. The blobs are looked for on a sample
    (GLARE_STEP), the whole image's typical brightness taken on every pixel.
    """
    if image.width * image.height == 0:
        return 0.0
    # A pixel near-white in all three channels has a luma at least as high.
    if hist is not None and not any(hist[GLARE_WHITE:]):
        return 0.0
    gray = gray if gray is not None else image.convert("L")
    # The reference is the brighter of the local and the whole-image typical brightness: a sheet
    # of paper that fills most of the frame is the image's typical brightness, never glare on it.
    # Rounded up: on 8-bit codes, "at least 0.25 brighter" is then one integer comparison.
    typical = math.ceil(hist_quantile(hist if hist is not None else gray.histogram(), 0.5))
    if typical + _EXCESS > 255:  # nothing can be that much brighter: a white sheet filling it
        return 0.0
    return _glare_share(image, gray, typical, sample_step(image, GLARE_STEP))


def _glare_share(image: Image.Image, gray: Image.Image, typical: int, step: int) -> float:
    """glare_share, the blobs looked for on one pixel in `step` x `step` with a correspondingly
    smaller opening; `typical` is the whole image's median luma."""
    small, reach = sample(image, step), max(1, GLARE_OPEN // step)
    w, h = small.size
    if min(w, h) <= 2 * reach:
        return 0.0
    r, g, b = small.split()
    least = ImageChops.darker(ImageChops.darker(r, g), b)
    # Not 0 where all three channels are GLARE_WHITE or more (an integer subtraction: cheaper
    # than a table); the opening and the count below only ask "not 0".
    white = ImageChops.subtract(least, Image.new("L", least.size, GLARE_WHITE - 1))
    # The opening runs on the white pixels' bounding box plus a margin: beyond it all is black;
    # the dilation, on what the erosion left plus its reach.
    box = _grown(white.getbbox(), 2 * reach, (0, 0, w, h))
    if box is None:
        return 0.0
    eroded = _square(white.crop(box), reach, ImageChops.darker, 255)
    inner = _grown(eroded.getbbox(), reach, (0, 0, box[2] - box[0], box[3] - box[1]))
    if inner is None:
        return 0.0
    blobs = _square(eroded.crop(inner), reach, ImageChops.lighter, 0)
    box = (box[0] + inner[0], box[1] + inner[1], box[0] + inner[2], box[1] + inner[3])
    reference = _surroundings(gray, box, typical, step)
    excess = ImageChops.subtract(sample(gray, step, box=box), reference).histogram(mask=blobs)
    return sum(excess[_EXCESS:]) / (w * h)
