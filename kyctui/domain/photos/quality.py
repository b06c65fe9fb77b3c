"""Image quality checks (resolution, blur, brightness, glare, colour), measured at analysis size."""

from __future__ import annotations

from kyctui.domain.photos.glare import glare_share
from kyctui.domain.photos.measures import brightness, highlight_level, saturation, sharpness
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge import ExchangeRules, PhotoLimits


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
    score = round(sharpness(photo.luma), 3)
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


def _brightness(photo: Photo, limits: PhotoLimits, hist: list[int]) -> CheckResult:
    mean, dark, clipped = brightness(photo.luma, hist)
    level = round(highlight_level(photo.luma, hist), 3)
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


def _glare(photo: Photo, limits: PhotoLimits, hist: list[int]) -> CheckResult:
    share = round(glare_share(photo.image, photo.luma, hist), 4)
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
    value = round(saturation(photo.image), 3)
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
    hist = photo.luma.histogram()  # brightness, highlights and glare read the same one
    return [
        _resolution(photo, limits),
        _blur(photo, limits),
        _brightness(photo, limits, hist),
        _glare(photo, limits, hist),
        _colour(photo, exchange, limits),
    ]
