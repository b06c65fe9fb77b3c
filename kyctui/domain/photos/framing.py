"""doc.bounds and doc.tilt: the ID card or passport page whole in the picture and facing the camera.

The document is located by framing_locate (numpy, imported only when these checks run, so a
cold `kyctui check` of a selfie never pays for it). A document that cannot be located with
confidence is a warning to check by eye, never a fail: a fail is only given on a finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status, worst
from kyctui.knowledge import ExchangeRules, PhotoLimits
from kyctui.knowledge.framing import FramingRules, load_framing

if TYPE_CHECKING:
    from kyctui.domain.photos.framing_locate import Lens, Located

BOUNDS, TILT = "doc.bounds", "doc.tilt"
UNLOCATED = "could not find the document's edges"
_EXIF_FOCAL = "FocalLengthIn35mmFilm"
_EXIF_FOCAL_SLACK = 1.1  # EXIF rounds to the millimetre; some modes crop a little


def lens_for(photo: Photo, rules: FramingRules) -> Lens:
    """The lens the photo was taken with (EXIF), or the usual phone camera's and its range."""
    from kyctui.domain.photos.framing_locate import Lens

    focal: Any = photo.exif.get(_EXIF_FOCAL)
    low, high = rules.focal_range_35mm.value
    if isinstance(focal, int | float) and not isinstance(focal, bool) and 8 <= focal <= 400:
        f = float(focal)
        return Lens(f, f / _EXIF_FOCAL_SLACK, f * _EXIF_FOCAL_SLACK)
    return Lens(rules.focal_default_35mm.value, low, high)


def locate_document(photo: Photo, rules: FramingRules) -> Located:
    """Where the document is in the photo's analysis image, and how sure that is."""
    from kyctui.domain.photos.framing_locate import Limits, locate

    limits = Limits(
        rules.min_area.value,
        rules.min_fill.value,
        rules.min_support.value,
        rules.min_side_support.value,
        rules.step_min.value,
        rules.aspect_tolerance.value,
        rules.max_skew.value,
    )
    return locate(photo.image, rules.aspects_for(photo.kind), lens_for(photo, rules), limits)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def bounds_check(located: Located, size: tuple[int, int], rules: FramingRules) -> CheckResult:
    """doc.bounds: every corner inside the picture, with a margin."""
    warn_at, cut_at = rules.margin_warn.value, rules.outside_fail.value
    limit = f">= {warn_at:.0%} of the picture from its edge"
    advice = rules.advice
    if not located.found:
        message = f"{UNLOCATED}; check by eye that all four corners are in the picture"
        return CheckResult(BOUNDS, Status.WARN, None, limit, message, advice["unlocated"].fix)
    if located.missing:
        # A side was not seen at all: at least one corner, usually two, lies past the edge.
        message = "the document runs off the picture's edge: at least one corner is cut off"
        return CheckResult(BOUNDS, Status.FAIL, None, limit, message, advice["bounds"].fix)
    w, h = size
    margins = [float(min(x / w, (w - x) / w, y / h, (h - y) / h)) for x, y in located.corners]
    least = round(min(margins), 3)
    outside = sum(m < -cut_at for m in margins)
    if outside:
        message = f"{_plural(outside, 'corner')} of the document outside the picture"
        return CheckResult(BOUNDS, Status.FAIL, least, limit, message, advice["bounds"].fix)
    if least < warn_at:
        message = f"a corner of the document is at the picture's edge ({max(least, 0):.1%} away)"
        return CheckResult(BOUNDS, Status.WARN, least, limit, message, advice["edge"].fix)
    message = f"all four corners inside the picture (at least {least:.1%} from its edge)"
    return CheckResult(BOUNDS, Status.PASS, least, limit, message)


def _grade(value: float, warn: float, fail: float) -> Status:
    return Status.FAIL if value >= fail else Status.WARN if value >= warn else Status.PASS


def tilt_check(located: Located, rules: FramingRules) -> CheckResult:
    """doc.tilt: the document faces the camera and runs along the picture's edges."""
    from kyctui.domain.photos.framing_geometry import rotation

    limit = f"tilt < {rules.tilt_warn.value:.0f}°, turned < {rules.rotation_warn.value:.0f}°"
    advice = rules.advice
    if not located.found:
        message = f"{UNLOCATED}, so its angle was not judged; check by eye that it faces the camera"
        return CheckResult(TILT, Status.WARN, None, limit, message, advice["unlocated"].fix)
    if located.missing:
        message = "angle not judged: part of the document is outside the picture"
        return CheckResult(TILT, Status.WARN, None, limit, message, advice["bounds"].fix)
    tilt, turn = located.tilt, rotation(located.corners)
    tilt_status = _grade(tilt, rules.tilt_warn.value, rules.tilt_fail.value)
    if tilt_status is Status.FAIL and located.tilt_low < rules.tilt_fail.value:
        tilt_status = Status.WARN  # a wide-angle lens would make it less: not sure enough to fail
    turn_status = _grade(turn, rules.rotation_warn.value, rules.rotation_fail.value)
    value = f"tilt {tilt:.0f}°, turned {turn:.0f}°"
    status = worst([tilt_status, turn_status])
    if status is Status.PASS:
        return CheckResult(TILT, status, value, limit, f"facing the camera ({value})")
    parts, fixes = [], []
    if tilt_status is not Status.PASS:
        parts.append(f"held at about {tilt:.0f}° to the camera")
        fixes.append(advice["tilt"].fix)
    if turn_status is not Status.PASS:
        parts.append(f"turned {turn:.0f}° in the picture")
        fixes.append(advice["rotation"].fix)
    return CheckResult(TILT, status, value, limit, "the document is " + " and ".join(parts),
                       " ".join(fixes))  # fmt: skip


def framing_checks(
    photo: Photo,
    path: Path,
    exchange: ExchangeRules,
    limits: PhotoLimits,
    rules: FramingRules | None = None,
) -> list[CheckResult]:
    """doc.bounds and doc.tilt for an ID front or back or a passport page; none for other kinds.

    Works on the photo's analysis image alone: `path`, `exchange` and `limits` are accepted so
    every photo check has one signature (the framing rules are the same for every exchange).
    """
    rules = rules or load_framing()
    if photo.kind not in rules.kinds.value:
        return []
    located = locate_document(photo, rules)
    return [bounds_check(located, photo.image.size, rules), tilt_check(located, rules)]
