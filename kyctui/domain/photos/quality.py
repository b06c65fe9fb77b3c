"""Image quality checks (resolution, blur, brightness, glare, colour), measured at analysis size."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge import ExchangeRules, PhotoLimits

Gray = NDArray[np.float32]
RGB = NDArray[np.uint8]

# Sharpness: an edge's contrast is measured across EDGE_SPAN px on each side; the share of it
# taken by the steepest single-pixel step tells how wide the edge is (1.0 = a clean step).
EDGE_SPAN = 3
EDGE_TOP_SHARE = 0.01  # judge only the strongest 1% of edges: text, card borders, outlines
# Luminance below this is crushed black, at or above it burned-out white (8-bit codes 10 / 250).
DARK_CLIP = 10 / 255
BRIGHT_CLIP = 250 / 255
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


def _median(values: NDArray[np.float32]) -> float:
    """Median of a 1-D array by np.partition (np.median imports numpy.ma on first use, ~7 ms)."""
    n = values.size
    if n % 2:
        return float(np.partition(values, n // 2)[n // 2])
    lo, hi = np.partition(values, (n // 2 - 1, n // 2))[n // 2 - 1 : n // 2 + 1]
    return float((lo + hi) / 2)


def _quantile(values: NDArray[np.float32], q: float) -> float:
    """np.percentile(values, 100 * q) ("linear" method) of a 1-D array, by np.partition."""
    pos = q * (values.size - 1)
    i = int(pos)
    j = min(i + 1, values.size - 1)
    part = np.partition(values, (i, j))
    lo, hi = float(part[i]), float(part[j])
    return lo + (hi - lo) * (pos - i)


def sharpness(gray: Gray) -> float:
    """Median steepness of the strongest edges, in (0, 1]: ~0.5-0.7 sharp, ~0.25 blurred.

    For each strong edge, the steepest one-pixel step is divided by the edge's contrast across
    2 x EDGE_SPAN px. Blur spreads an edge over more pixels, so the ratio falls as 1 / width
    whatever the scene's contrast. The lower of the horizontal and vertical scores is kept, so
    camera shake in one direction is not hidden by the sharp edges along the other.
    """
    s = EDGE_SPAN
    scores = []
    for g in (gray, gray.T):
        if g.shape[1] <= 2 * s or g.shape[0] < 1:
            return 0.0
        step = np.abs(np.diff(g, axis=1))
        n = step.shape[1] - 2 * s + 2
        steepest = step[:, 0:n]
        for i in range(1, 2 * s - 1):
            steepest = np.maximum(steepest, step[:, i : i + n])
        contrast = np.abs(g[:, 2 * s - 1 :] - g[:, : g.shape[1] - 2 * s + 1])
        c = contrast.ravel()
        k = max(1, int(EDGE_TOP_SHARE * c.size))
        cut = np.partition(c, c.size - k)[c.size - k]
        strong = c >= cut
        if cut <= 0.02:  # no edge worth the name (a blank or flat image): nothing to judge
            return 0.0
        scores.append(_median(steepest.ravel()[strong] / c[strong]))
    return min(scores)


def brightness(gray: Gray) -> tuple[float, float, float]:
    """(mean luminance, share of crushed-black pixels, share of burned-out white pixels)."""
    if gray.size == 0:
        return 0.0, 0.0, 0.0
    mean = float(gray.mean())
    dark = float(np.count_nonzero(gray < DARK_CLIP)) / gray.size
    bright = float(np.count_nonzero(gray >= BRIGHT_CLIP)) / gray.size
    return mean, dark, bright


def highlight_level(gray: Gray) -> float:
    """The 99th percentile of luminance: how bright the photo's brightest parts came out.

    The mean would call a well-lit ID on the dark background KYC guidance asks for "dark", and
    differs from scene to scene; an underexposed photo is one whose highlights never get bright.
    """
    if gray.size == 0:
        return 0.0
    flat = gray[::2, ::2].ravel()  # every 4th pixel is plenty (speed)
    k = min(flat.size - 1, int(0.99 * flat.size))
    return float(np.partition(flat, k)[k])


def _erode(mask: NDArray[np.bool_], r: int) -> NDArray[np.bool_]:
    """Erode a mask by a (2r+1)-square, separably by numpy slicing (no scipy at start-up)."""
    h, w = mask.shape
    padded = np.pad(mask, r, mode="edge")
    rows = np.ones((h + 2 * r, w), dtype=bool)
    for d in range(2 * r + 1):
        rows &= padded[:, d : d + w]
    out = np.ones((h, w), dtype=bool)
    for d in range(2 * r + 1):
        out &= rows[d : d + h, :]
    return out


def _dilate(mask: NDArray[np.bool_], r: int) -> NDArray[np.bool_]:
    return ~_erode(~mask, r)


def _surroundings(gray: Gray) -> Gray:
    """Typical brightness around each pixel: the median of coarse cell means over a wide window."""
    h, w = gray.shape
    cell = max(1, max(h, w) // GLARE_CELLS)
    gh, gw = max(1, h // cell), max(1, w // cell)
    cells = gray[: gh * cell, : gw * cell].reshape(gh, cell, gw, cell).mean(axis=(1, 3))
    r = GLARE_REACH
    windows = np.lib.stride_tricks.sliding_window_view(
        np.pad(cells, r, mode="edge"), (2 * r + 1, 2 * r + 1)
    )
    flat = windows.reshape(gh, gw, -1)
    mid = flat.shape[2] // 2  # an odd window: its median is its middle value
    local = np.partition(flat, mid, axis=2)[:, :, mid].astype(np.float32)
    rows = np.minimum(np.arange(h) // cell, gh - 1)  # the ragged edges take their nearest cell
    cols = np.minimum(np.arange(w) // cell, gw - 1)
    out: Gray = local[rows][:, cols]
    return out


def glare_share(rgb: RGB, gray: Gray | None = None) -> float:
    """Share of the image covered by glare: solid near-white blobs far brighter than around.

    `gray` is the photo's luminance in [0, 1] (Photo.gray); computed from `rgb` when not given.
    """
    if rgb.size == 0 or min(rgb.shape[:2]) <= 2 * GLARE_OPEN:
        return 0.0
    # np.minimum on the planes: ~30x faster than rgb.min(axis=2) on uint8
    white = np.minimum(np.minimum(rgb[..., 0], rgb[..., 1]), rgb[..., 2]) >= GLARE_WHITE
    if not white.any():
        return 0.0
    blobs = _dilate(_erode(white, GLARE_OPEN), GLARE_OPEN) & white
    if not blobs.any():
        return 0.0
    if gray is None:
        luma = np.array([0.299 / 255, 0.587 / 255, 0.114 / 255], dtype=np.float32)
        gray = (rgb @ luma).astype(np.float32)
    # The reference is the brighter of the local and the whole-image typical brightness: a sheet
    # of paper that fills most of the frame is the image's typical brightness, never glare on it.
    reference = np.maximum(_surroundings(gray), np.float32(_median(gray[::4, ::4].ravel())))
    glare = blobs & (gray - reference >= GLARE_CONTRAST)
    return float(np.count_nonzero(glare)) / white.size


def saturation(rgb: RGB) -> float:
    """Colour left once any uniform tint is removed: 0 for black and white, sepia or a photocopy.

    Chromaticity (each channel's share of R+G+B) does not change with brightness, so a tinted
    monochrome image has one chromaticity everywhere; colour shows as spread around the median.
    The value is the 95th percentile of that spread, scaled so a vivid colour is about 1.
    """
    if rgb.size == 0:
        return 0.0
    # Every 4th pixel is plenty (speed); each colour plane on its own: no (N, 3) median.
    planes = [rgb[::2, ::2, i].astype(np.float32).ravel() for i in range(3)]
    total = planes[0] + planes[1] + planes[2]
    lit = total >= COLOUR_MIN_LUMA * 3 * 255
    if np.count_nonzero(lit) < 16:
        return 0.0
    total = total[lit]
    spread = np.zeros(total.size, dtype=np.float32)
    for plane in planes:
        chroma = plane[lit] / total
        spread += np.abs(chroma - np.float32(_median(chroma)))
    return _quantile(spread, 0.95)


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _resolution(photo: Photo, limits: PhotoLimits) -> CheckResult:
    w, h = photo.oriented_size
    long_side = max(w, h)
    fail, warn = limits.resolution_fail_long_side.value, limits.resolution_warn_long_side.value
    size = f"{w}×{h} px"
    fix = (
        "Take the photo with the phone's main (rear) camera at full resolution, and upload the "
        "original file, not a copy sent through a messaging app, a screenshot or a thumbnail."
    )
    if long_side < fail:
        message = f"{size}: far too small for the text on the document to be read"
        return CheckResult("image.resolution", Status.FAIL, long_side, f">= {fail}", message, fix)
    if long_side < warn:
        message = f"{size}: small; verification services expect a long side of {warn} px or more"
        return CheckResult("image.resolution", Status.WARN, long_side, f">= {warn}", message, fix)
    return CheckResult("image.resolution", Status.PASS, long_side, f">= {warn}", f"{size}")


def _blur(photo: Photo, limits: PhotoLimits) -> CheckResult:
    score = round(sharpness(photo.gray), 3)
    fail, warn = limits.blur_fail.value, limits.blur_warn.value
    fix = (
        "Retake it: clean the lens, hold the phone steady (rest your elbows on the table), tap the "
        "document on screen to focus, and use good light so the shutter is fast."
    )
    if score < fail:
        message = f"blurred: sharpness {score} (sharp photos score about 0.45-0.7)"
        return CheckResult("image.blur", Status.FAIL, score, f">= {fail}", message, fix)
    if score < warn:
        message = f"slightly soft: sharpness {score}; small print may not be readable"
        return CheckResult("image.blur", Status.WARN, score, f">= {warn}", message, fix)
    return CheckResult("image.blur", Status.PASS, score, f">= {warn}", f"sharp: {score}")


def _brightness(photo: Photo, limits: PhotoLimits) -> CheckResult:
    mean, dark, clipped = brightness(photo.gray)
    level = round(highlight_level(photo.gray), 3)
    fail, warn = limits.dark_mean_fail.value, limits.dark_mean_warn.value
    clip_fail, clip_warn = limits.bright_clipped_fail.value, limits.bright_clipped_warn.value
    stats = (
        f"highlights at {level}, mean {mean:.2f}, {_pct(dark)} black, {_pct(clipped)} burned out"
    )
    dark_fix = (
        "Retake it in bright, even light facing you (daylight by a window, or a lamp in front of "
        "you), without shadows on the document; do not brighten it in an editor."
    )
    bright_fix = (
        "Retake it out of direct sun or flash, with soft front-facing light; place the ID on a "
        "dark, solid background so the camera does not overexpose it."
    )
    if level < fail:
        return CheckResult(
            "image.brightness", Status.FAIL, level, f">= {fail}", f"too dark: {stats}", dark_fix
        )
    # White paper scanned or exported is pure white by design: only photos are judged on it.
    judge_clipping = photo.kind != "address-proof"
    if judge_clipping and clipped > clip_fail:
        return CheckResult(
            "image.brightness",
            Status.FAIL,
            round(clipped, 3),
            f"<= {clip_fail}",
            f"overexposed: {stats}",
            bright_fix,
        )
    if level < warn:
        return CheckResult(
            "image.brightness", Status.WARN, level, f">= {warn}", f"dark: {stats}", dark_fix
        )
    if judge_clipping and clipped > clip_warn:
        return CheckResult(
            "image.brightness",
            Status.WARN,
            round(clipped, 3),
            f"<= {clip_warn}",
            f"partly overexposed: {stats}",
            bright_fix,
        )
    paper = " (white paper)" if not judge_clipping and clipped > clip_warn else ""
    return CheckResult(
        "image.brightness", Status.PASS, level, f">= {warn}", f"well exposed: {stats}{paper}"
    )


def _glare(photo: Photo, limits: PhotoLimits) -> CheckResult:
    share = round(glare_share(photo.rgb, photo.gray), 4)
    fail, warn = limits.glare_share_fail.value, limits.glare_share_warn.value
    fix = (
        "Retake it without flash, tilting the document slightly away from the light (or turning "
        "off the overhead lamp) until no white reflection covers it; use soft front-facing light."
    )
    text = f"glare covers {_pct(share)} of the photo"
    if share > fail:
        return CheckResult("image.glare", Status.FAIL, share, f"<= {fail}", text, fix)
    if share > warn:
        message = f"{text}: check that it hides no text or the portrait"
        return CheckResult("image.glare", Status.WARN, share, f"<= {warn}", message, fix)
    return CheckResult("image.glare", Status.PASS, share, f"<= {warn}", f"no glare ({_pct(share)})")


def _colour(photo: Photo, exchange: ExchangeRules, limits: PhotoLimits) -> CheckResult:
    value = round(saturation(photo.rgb), 3)
    limit = limits.colour_saturation_min.value
    if value >= limit:
        return CheckResult("image.color", Status.PASS, value, f">= {limit}", f"in colour ({value})")
    required = exchange.colour_required.value
    fix = (
        "Photograph the original document in colour with the camera app: no black-and-white "
        "filter, no photocopy, no scan in grayscale mode."
    )
    if photo.kind == "address-proof":
        # Bills and statements are often printed or scanned in black and white: that is normal.
        # An exchange that requires colour gets a warning, since its rule may cover them too.
        status = Status.WARN if required else Status.PASS
        note = f"; {exchange.name} asks for colour" if required else "; normal for a letter or bill"
        return CheckResult(
            "image.color",
            status,
            value,
            f">= {limit}",
            f"black and white ({value}){note}",
            fix if required else "",
        )
    status = Status.FAIL if required else Status.WARN
    who = f"{exchange.name} requires colour photos" if required else "some exchanges reject it"
    message = f"black and white or a photocopy ({value}): {who}"
    return CheckResult("image.color", status, value, f">= {limit}", message, fix)


def quality_checks(photo: Photo, exchange: ExchangeRules, limits: PhotoLimits) -> list[CheckResult]:
    """image.resolution, image.blur, image.brightness, image.glare and image.color, in order."""
    return [
        _resolution(photo, limits),
        _blur(photo, limits),
        _brightness(photo, limits),
        _glare(photo, limits),
        _colour(photo, exchange, limits),
    ]
