"""doc.mrz: the machine-readable zone read from a passport page or a card's back, its check
digits validated and its fields held against the profile (optional extra `ocr`)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kyctui.domain.photos.mrz_band import Line, straighten, zone_candidates
from kyctui.domain.photos.mrz_repair import clean, digits_right, repair
from kyctui.domain.photos.mrz_verdict import MrzReading, mrz_result
from kyctui.domain.photos.ocr_engine import OcrEngine, ocr_engine, open_for_ocr
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.profile import Profile
from kyctui.knowledge.model import ExchangeRules, PhotoLimits
from kyctui.knowledge.ocr import load_ocr

if TYPE_CHECKING:
    from PIL import Image

# Zones tried per detection pass, lowest first.
_MAX_ZONES = 2
# Every zone's first line holds fillers (the document code's '<', the names' padding); a line
# read with fewer is upside down, or not a zone at all, and its other lines are not read.
_MIN_FILLERS = 2


def _digits(reading: MrzReading | None) -> int:
    return -1 if reading is None or reading.mrz is None else digits_right(reading.mrz)


def _read_zone(image: Image.Image, zone: list[Line], engine: OcrEngine) -> MrzReading | None:
    """The zone read upright, or else turned 180° (line order reversed); None when its first
    line, either way up, holds no fillers."""
    rules = load_ocr()
    for turned in (False, True):
        ordered = list(reversed(zone)) if turned else zone
        first = engine.recognise(straighten(image, ordered[0], turned))
        if clean(first.text, first.confidences, rules)[0].count("<") < _MIN_FILLERS:
            continue
        read = [first, *(engine.recognise(straighten(image, m, turned)) for m in ordered[1:])]
        mrz = repair([r.text for r in read], [r.confidences for r in read], rules)
        names = read[mrz.layout.names.line].score if mrz is not None else 0.0
        return MrzReading(mrz, 0, True, names)
    return None


def _seen_before(zone: list[Line], done: list[Line]) -> bool:
    """Whether a zone found again at another size was already read."""
    first = zone[0]
    return any(math.hypot(first.cx - d.cx, first.cy - d.cy) < first.height for d in done)


def read_photo_mrz(image: Image.Image, engine: OcrEngine | None = None) -> MrzReading:
    """Find and read the zone in an upright RGB image at reading size.

    Lines are found at a small size, then each line of the lowest zone-shaped group is cut out
    of the full image straightened and read; a photo taken upside down is read turned 180°.
    If no zone reads right, the whole photo is searched again at a larger size.
    """
    rules, engine = load_ocr(), engine or ocr_engine()
    best: MrzReading | None = None
    done: list[Line] = []
    lines = 0
    aspect, tolerance = rules.line_min_aspect.value, rules.line_length_tolerance.value
    for long_side in (rules.detect_long_side.value, rules.retry_detect_long_side.value):
        quads = engine.detect(image, long_side)
        lines = max(lines, len(quads))
        zones = zone_candidates(quads, aspect, tolerance)[:_MAX_ZONES]
        for zone in (z for z in zones if not _seen_before(z, done)):
            done.append(zone[0])
            new = _read_zone(image, zone, engine)
            best = new if _digits(new) > _digits(best) else best
            if best is not None and best.valid:
                return replace(best, text_lines=lines)
        if long_side >= max(image.size):
            break  # the second pass would see the same pixels
    if best is None:
        return MrzReading(None, lines, False)
    return replace(best, text_lines=lines)


def mrz_photo_checks(
    photo: Photo,
    path: Path,
    exchange: ExchangeRules,
    limits: PhotoLimits,
    today: date,
    profile: Profile | None = None,
    document_type: str = "",
) -> list[CheckResult]:
    """doc.mrz for a passport page or a card's back (ocr.toml mrz_kinds); [] for other kinds.

    Needs the `ocr` extra (see ocr_engine.ocr_skips). `today` is the user's local date;
    `profile` and `document_type` ("passport", "national-id"...) are the attempt's, when known.
    `limits` is accepted for the runner's uniform call; the OCR's sizes are in ocr.toml.
    """
    del limits
    rules = load_ocr()
    if photo.kind not in rules.mrz_kinds.value:
        return []
    try:
        image = open_for_ocr(path, rules.read_long_side.value, photo.format)
        reading = read_photo_mrz(image)
    except Exception as exc:  # a changed file, or anything the OCR libraries raise
        # A check that could not run is a fail saying why (DESIGN.md); the reason is the
        # exception's type, never its text, which may hold the path.
        message = f"The photo could not be read for its MRZ ({type(exc).__name__})."
        return [CheckResult("doc.mrz", Status.FAIL, None, None, message, "Check the photo again.")]
    return [mrz_result(reading, photo.kind, exchange, today, profile, document_type)]
