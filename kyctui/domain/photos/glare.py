"""The glare measure: solid near-white blobs much brighter than what surrounds them.

Its definition is in docs/calibration.md; like the other measures (measures.py) it runs on
Pillow's own C operations, without numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeAlias

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


def _square(mask: Image.Image, r: int, pick: Pick, pad: int) -> Image.Image:
    """`pick` (ImageChops.darker or .lighter) over each pixel's (2r+1)-square, row then column.

    Padded with `pad`, the neutral value, which gives what replicating the edges would give.
    """
    w, h = mask.size
    canvas = Image.new("L", (w + 2 * r, h + 2 * r), pad)
    canvas.paste(mask, (r, r))
    return running(running(canvas, 2 * r + 1, pick, False), 2 * r + 1, pick, True)


def _surroundings(gray: Image.Image, box: _Box, lift: list[int], step: int) -> Image.Image:
    """Typical brightness around each sampled pixel of `box` (in sample coordinates, see
    measures.sample): the median of coarse cell means of the whole image over a wide window, mapped
    through `lift`."""
    w, h = gray.size
    cell = max(1, min(max(w, h) // GLARE_CELLS, w, h))
    gw, gh = w // cell, h // cell
    cells = gray.crop((0, 0, gw * cell, gh * cell)).reduce(cell)
    # `lift` acts pixel by pixel, so on the cells as well as on the pixels they become.
    local = cells.filter(ImageFilter.MedianFilter(2 * GLARE_REACH + 1)).point(lift)
    # The ragged right and bottom edges take their nearest cell: one more, repeated, covers them.
    grid = Image.new("L", (gw + 1, gh + 1))
    grid.paste(local)
    grid.paste(local.crop((gw - 1, 0, gw, gh)), (gw, 0))
    grid.paste(grid.crop((0, gh - 1, gw + 1, gh)), (0, gh))
    # Back to pixels, only for the cells under `box`, then sampled as the image was.
    x0, y0, x1, y1 = (v * step for v in box)
    cx, cy = x0 // cell, y0 // cell
    under = grid.crop((cx, cy, (x1 - 1) // cell + 1, (y1 - 1) // cell + 1))
    pixels = under.resize((under.width * cell, under.height * cell), Image.Resampling.NEAREST)
    crop = pixels.crop((x0 - cx * cell, y0 - cy * cell, x1 - cx * cell, y1 - cy * cell))
    return sample(crop, step)


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
    white = least.point([0] * GLARE_WHITE + [255] * (256 - GLARE_WHITE))
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
    reference = _surroundings(gray, box, [max(v, typical) for v in range(256)], step)
    excess = ImageChops.subtract(sample(gray, step).crop(box), reference).histogram(mask=blobs)
    return sum(excess[math.ceil(GLARE_CONTRAST * 255) :]) / (w * h)
