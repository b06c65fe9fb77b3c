"""Checks a photo of an attempt against its other photos, the rejected ones and its profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from kyctui.domain.attempts import Attempt
from kyctui.domain.photos.reads import read_skips
from kyctui.domain.photos.result import CheckResult, Earlier, PhotoReport, Skipped
from kyctui.domain.photos.runner import CheckContext, check_photos
from kyctui.knowledge import load_exchange


def check_attempt_photo(
    attempt: Attempt,
    slot: str,
    path: Path,
    now: datetime,
    rejected: tuple[Earlier, ...] = (),
    progress: Callable[[str], object] | None = None,
) -> PhotoReport:
    """Every check of `path` as the `slot` photo of `attempt`, with both hashes for the store.

    The attempt's other photos and `rejected` (photos of attempts the exchange turned down) are
    compared with it; its profile and document type are held against the MRZ read. `progress`
    is told each stage the check reaches (from this thread)."""
    others = tuple(
        Earlier(f"the {kind} photo of this attempt", p.phash)
        for kind, p in attempt.photos.items()
        if kind != slot and p.phash
    )
    ctx = replace(
        CheckContext.for_exchange(attempt.exchange, now),
        history=others + rejected,
        profile=attempt.profile,
        document_type=attempt.document_type,
        progress=progress,
    )
    return check_photos([(path, slot)], ctx, always_hash=True).reports[0]


def skipped_reads(exchange: str, slot: str, checks: tuple[CheckResult, ...]) -> list[Skipped]:
    """The content checks a stored `slot` photo lacks because an extra is not installed, decided
    now (installing the extra later shows them again after the photo is re-checked)."""
    if not any(c.id == "image.decode" and c.status != "fail" for c in checks):
        return []  # not decoded: no content check could have run anyway
    ran = {c.id for c in checks}
    return [s for s in read_skips([slot], load_exchange(exchange)) if s.id not in ran]
