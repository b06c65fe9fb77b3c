"""The OCR checks of one photo (doc.mrz, doc.statement) behind one call, for the runner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kyctui.domain.photos.ocr_engine import ocr_available, ocr_check_ids
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult
from kyctui.domain.profile import Profile
from kyctui.knowledge.model import ExchangeRules, PhotoLimits


def ocr_checks(
    photo: Photo,
    path: Path,
    exchange: ExchangeRules,
    limits: PhotoLimits,
    today: date,
    profile: Profile | None = None,
    document_type: str = "",
) -> list[CheckResult]:
    """doc.mrz and doc.statement where they apply to the photo's kind and the exchange; []
    when none applies or the `ocr` extra is missing (ocr_engine.ocr_skips lists those).

    Slow (about a second per document photo, plus about a second once per process to load the
    engine): call it from a worker thread."""
    if not ocr_check_ids(photo.kind, exchange) or not ocr_available():
        return []
    # Deferred: these pull nothing heavy themselves, but the cold `kyctui check` path of other
    # kinds need not load them at all.
    from kyctui.domain.photos.mrz_read import mrz_photo_checks
    from kyctui.domain.photos.statement_read import statement_photo_checks

    results = mrz_photo_checks(photo, path, exchange, limits, today, profile, document_type)
    results += statement_photo_checks(photo, path, exchange, limits, today)
    return results
