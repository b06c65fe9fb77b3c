"""Where the document may be: a map of how unlike the picture's border each part is, as masks.

The photo's border is mostly background (a table, a floor, a wall), so each part of the picture
is compared, in colour and texture, with samples of each side of the border. A part counts as
background when it resembles a good share of at least two sides: a document that runs off one
side is then still foreground, and so is whatever lies on one side only (a cup, a hand), which
the shape tests that follow reject. Everything here works on a coarse grid of cells. Like every
framing_* module it imports numpy, so kyctui.domain.photos.framing imports them only when a
document photo is checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from PIL import Image

    Floats = NDArray[np.floating[Any]]
    Bools = NDArray[np.bool_]
    Ints = NDArray[np.int64]

CELL = 4  # analysis pixels per grid cell: ~125x94 cells for a 500x375 image
RING = 2  # cells: the border band the background is sampled from
SIDE_SAMPLES = 48  # border samples kept per side (evenly spaced: the whole side is represented)
SIDE_SHARE = 0.3  # a part is like a side when it resembles this share of that side's samples
SIDES_NEEDED = 2  # ... and it is background when it is like at least this many sides


def box_mean(a: Floats, r: int) -> Floats:
    """Mean over each (2r+1)-square, edges replicated; `a` is (H, W) or (H, W, C)."""
    extra = [(0, 0)] * (a.ndim - 2)
    c = np.cumsum(np.cumsum(np.pad(a, [(r, r), (r, r), *extra], mode="edge"), 0), 1)
    c = np.pad(c, [(1, 0), (1, 0), *extra])
    n = 2 * r + 1
    out: Floats = (c[n:, n:] - c[:-n, n:] - c[n:, :-n] + c[:-n, :-n]) / (n * n)
    return out


def features(image: Image.Image) -> Floats:
    """Per cell: brightness, two colour-opponent axes and the local texture (std of brightness).

    Colour is averaged over 3x3 cells so a textured floor has a steady colour; texture tells a
    plain printed card from gravel or grass of the same tone.
    """
    w, h = image.size
    gw, gh = w // CELL, h // CELL
    crop = image.crop((0, 0, gw * CELL, gh * CELL))
    cells = np.asarray(crop.reduce(CELL), np.float32)
    luma = np.asarray(crop.convert("L"), np.float32)

    def pool(a: Floats) -> Floats:  # mean per cell, summing rows then columns (contiguous)
        out: Floats = a.reshape(gh, CELL, gw * CELL).sum(1).reshape(gh, gw, CELL).sum(2)
        return out / (CELL * CELL)

    l1, l2 = pool(luma), pool(luma * luma)
    colour = box_mean(cells, 1)
    texture = np.sqrt(np.maximum(box_mean(l2, 1) - box_mean(l1, 1) ** 2, 0.0))
    r, g, b = colour[..., 0], colour[..., 1], colour[..., 2]
    return np.stack([(r + g + b) / 3, r - g, (r + g - 2 * b) / 2, texture], -1)


def _side_samples(f: Floats) -> list[Floats]:
    n = f.shape[2]
    sides = [f[:RING], f[-RING:], f[:, :RING].transpose(1, 0, 2), f[:, -RING:].transpose(1, 0, 2)]
    out = []
    for side in sides:
        flat = side.reshape(-1, n)
        step = max(1, len(flat) // SIDE_SAMPLES)
        out.append(np.ascontiguousarray(flat[::step][:SIDE_SAMPLES]))
    return out


def unlikeness(f: Floats) -> Floats:
    """How far each cell is from the background: the distance to the SIDE_SHARE-th nearest
    sample of the side it resembles second best (feature units: code values)."""
    gh, gw, n = f.shape
    flat = f.reshape(-1, n)
    norms = (flat * flat).sum(1)
    per_side = []
    for samples in _side_samples(f):
        # Dot products summed feature by feature: a BLAS matmul this small costs more in
        # waking its threads (measured 4x, on a busy 2-core machine) than it saves.
        dots = sum(flat[:, j, None] * samples[None, :, j] for j in range(n))
        d2 = norms[:, None] + (samples * samples).sum(1)[None] - 2.0 * dots
        k = max(1, int(SIDE_SHARE * len(samples)))
        per_side.append(np.partition(d2, k - 1, axis=1)[:, k - 1])
    ranked = np.sort(np.stack(per_side, 1), 1)
    out: Floats = np.sqrt(np.maximum(ranked[:, SIDES_NEEDED - 1], 0.0)).reshape(gh, gw)
    return out


def _shift_min(lab: Ints, big: int) -> Ints:
    out = lab.copy()
    np.minimum(out[1:], lab[:-1], out=out[1:])
    np.minimum(out[:-1], lab[1:], out=out[:-1])
    np.minimum(out[:, 1:], lab[:, :-1], out=out[:, 1:])
    np.minimum(out[:, :-1], lab[:, 1:], out=out[:, :-1])
    return out


def label(mask: Bools) -> Ints:
    """4-connected components: each True cell gets its component's smallest flat index, others -1.

    Minimum labels spread to neighbours, with pointer jumping (a label is itself the index of a
    cell whose label is smaller), so it settles in a few dozen rounds on this grid.
    """
    big = mask.size
    idx = np.arange(big, dtype=np.int64).reshape(mask.shape)
    lab = np.where(mask, idx, big)
    while True:
        new = np.where(mask, _shift_min(lab, big), big)
        flat = new.ravel()
        inside = flat < big
        for _ in range(2):
            flat[inside] = flat[flat[inside]]
        if np.array_equal(new, lab):
            break
        lab = new
    return np.where(mask, lab, -1)


def fill_holes(mask: Bools) -> Bools:
    """The mask with every enclosed hole filled (the text and portrait inside a card)."""
    outside = label(~mask)
    edge = np.unique(np.concatenate([outside[0], outside[-1], outside[:, 0], outside[:, -1]]))
    reached = np.isin(outside, edge[edge >= 0])
    filled: Bools = ~reached
    return filled


def erode(mask: Bools) -> Bools:
    """4-neighbour erosion; the picture's edge does not erode (a card may run off it)."""
    p = np.pad(mask, 1, mode="edge")
    out: Bools = p[1:-1, 1:-1] & p[:-2, 1:-1] & p[2:, 1:-1] & p[1:-1, :-2] & p[1:-1, 2:]
    return out


def dilate(mask: Bools) -> Bools:
    """4-neighbour dilation."""
    p = np.pad(mask, 1)
    out: Bools = p[1:-1, 1:-1] | p[:-2, 1:-1] | p[2:, 1:-1] | p[1:-1, :-2] | p[1:-1, 2:]
    return out


def components(mask: Bools, min_cells: int, keep: int = 3) -> list[Bools]:
    """The `keep` largest components of at least `min_cells`, holes filled, largest first."""
    opened = dilate(erode(mask))  # thin bridges to the background go
    lab = label(opened)
    ids, counts = np.unique(lab[lab >= 0], return_counts=True)
    order = np.argsort(counts)[::-1][:keep]
    return [fill_holes(lab == ids[i]) for i in order if counts[i] >= min_cells]
