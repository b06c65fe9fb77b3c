"""The checks that read a photo's content (faces, framing, text), each behind its extra."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kyctui.domain.photos.result import CheckResult, Skipped

if TYPE_CHECKING:
    from pathlib import Path

    from kyctui.domain.photos.photo import Photo
    from kyctui.domain.photos.runner import CheckContext
    from kyctui.knowledge.model import ExchangeRules

# The reads, cheapest first. `kyctui check --quick` and the #3 benchmark leave them all out.
FACES, FRAMING, TEXT = "faces", "framing", "text"
ALL_READS = frozenset({FACES, FRAMING, TEXT})
QUICK_WHY = "left out by --quick: run the check without it to read the photo's content"


def _framing_ids(kind: str) -> tuple[str, ...]:
    from kyctui.knowledge.framing import load_framing

    return ("doc.bounds", "doc.tilt") if kind in load_framing().kinds.value else ()


def _face_ids(kind: str) -> tuple[str, ...]:
    from kyctui.domain.photos.faces import CHECKS

    return CHECKS.get(kind, ())


def _text_ids(kind: str, exchange: ExchangeRules) -> tuple[str, ...]:
    from kyctui.domain.photos.ocr_engine import ocr_check_ids

    return tuple(ocr_check_ids(kind, exchange))


def read_ids(kind: str, exchange: ExchangeRules) -> dict[str, tuple[str, ...]]:
    """The check ids each read gives a photo of `kind` at `exchange` (empty tuples included)."""
    return {
        FACES: _face_ids(kind),
        FRAMING: _framing_ids(kind),
        TEXT: _text_ids(kind, exchange),
    }


def read_skips(
    kinds: Iterable[str], exchange: ExchangeRules, reads: frozenset[str] = ALL_READS
) -> list[Skipped]:
    """The content checks photos of `kinds` would get but will not: left out of `reads`, or
    needing an extra that is not installed. Ordered, each id once."""
    from kyctui.domain.photos.faces import face_skips, faces_available
    from kyctui.domain.photos.ocr_engine import ocr_skips

    out: dict[str, Skipped] = {}
    for kind in dict.fromkeys(kinds):
        for read, ids in read_ids(kind, exchange).items():
            if read not in reads:
                out.update((i, Skipped(i, QUICK_WHY)) for i in ids if i not in out)
            elif read == FACES and not faces_available():
                out.update((s.id, s) for s in face_skips([kind]) if s.id not in out)
            elif read == TEXT:
                out.update((s.id, s) for s in ocr_skips(kind, exchange) if s.id not in out)
    return list(out.values())


def read_checks(photo: Photo, path: Path, ctx: CheckContext) -> list[CheckResult]:
    """The content checks of one decoded photo that `ctx.reads` asks for and the machine can
    run: framing (numpy), faces (the `faces` extra), then text (the `ocr` extra, slowest)."""
    from kyctui.domain.photos.faces import faces_available
    from kyctui.domain.photos.ocr_engine import ocr_available

    ids = read_ids(photo.kind, ctx.exchange)
    results: list[CheckResult] = []
    if FRAMING in ctx.reads and ids[FRAMING]:
        ctx.stage("locating the document")
        from kyctui.domain.photos.framing import framing_checks

        results += framing_checks(photo, path, ctx.exchange, ctx.limits)
    if FACES in ctx.reads and ids[FACES] and faces_available():
        ctx.stage("looking for faces")
        from kyctui.domain.photos.faces import face_checks

        results += face_checks(photo, path, ctx.exchange, ctx.limits)
    if TEXT in ctx.reads and ids[TEXT] and ocr_available():
        ctx.stage("reading the text (a few seconds the first time)")
        from kyctui.domain.photos.ocr_checks import ocr_checks

        today = ctx.now.date()
        results += ocr_checks(
            photo, path, ctx.exchange, ctx.limits, today, ctx.profile, ctx.document_type
        )
    return results
