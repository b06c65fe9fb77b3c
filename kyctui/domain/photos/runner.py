"""Runs every photo check on one photo, or on several and compares them with each other."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kyctui.domain.display import safe_text
from kyctui.domain.photos.decode import decode_photo
from kyctui.domain.photos.duplicates import duplicate_check, phash
from kyctui.domain.photos.files import read_photo_file
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.provenance import provenance_checks
from kyctui.domain.photos.quality import quality_checks
from kyctui.domain.photos.reads import ALL_READS, read_checks, read_skips
from kyctui.domain.photos.result import Earlier, PhotoReport, Skipped
from kyctui.domain.profile import Profile
from kyctui.knowledge import ExchangeRules, PhotoLimits, load_exchange, load_photo_limits


@dataclass(frozen=True)
class CheckContext:
    """What a check is held against: the exchange's rules, the limits, the clock, the history."""

    exchange: ExchangeRules
    limits: PhotoLimits
    now: datetime
    # Photos of earlier rejected attempts: the same picture again is reported.
    history: tuple[Earlier, ...] = ()
    # The attempt's profile and document type, when known: the MRZ read is held against them.
    profile: Profile | None = None
    document_type: str = ""
    # Which content reads run (reads.py): all by default; `--quick` none.
    reads: frozenset[str] = ALL_READS
    # Told what the check is doing, for a progress line (called from the checking thread).
    progress: Callable[[str], object] | None = None

    def stage(self, what: str) -> None:
        """Report the stage the check has reached, if anyone listens."""
        if self.progress is not None:
            self.progress(what)

    @classmethod
    def for_exchange(cls, exchange_id: str, now: datetime | None = None) -> CheckContext:
        """The context for an exchange id with the packaged limits and the current local time."""
        return cls(load_exchange(exchange_id), load_photo_limits(), now or datetime.now())


@dataclass
class CheckRun:
    """The reports of one call, plus the checks that could not run for want of an extra."""

    reports: list[PhotoReport]
    skipped: list[Skipped] = field(default_factory=list)


def check_photo(
    path: Path, kind: str, ctx: CheckContext, *, content_hash: bool = False
) -> tuple[PhotoReport, Photo | None]:
    """Every single-photo check of one file; the Photo is returned for comparisons.

    `content_hash` also records the file's SHA-256 (the store keeps it; a check alone does not
    need it, and it costs ~5% of a check on a 12 MP photo)."""
    report = PhotoReport(path=str(path), kind=kind)
    ctx.stage("reading the file")
    read = read_photo_file(path, kind, ctx.exchange, ctx.limits)
    report.checks.extend(read.checks)
    if read.data is None:
        return report, None
    report.size_bytes = len(read.data)
    if content_hash:
        report.sha256 = hashlib.sha256(read.data).hexdigest()
    name = safe_text(path.name)
    decoded, photo = decode_photo(read.data, read.format, name, kind, ctx.limits, read.mtime)
    del read  # the bytes are not needed past decoding: let a 48 MP file go
    report.checks.append(decoded)
    if photo is None:
        return report, None
    report.width, report.height = photo.width, photo.height
    ctx.stage("measuring sharpness, light and colour")
    report.checks.extend(quality_checks(photo, ctx.exchange, ctx.limits))
    report.checks.extend(provenance_checks(photo, ctx.exchange, ctx.limits, ctx.now))
    report.checks.extend(read_checks(photo, path, ctx))
    return report, photo


def check_photos(
    items: Sequence[tuple[Path, str]], ctx: CheckContext, *, always_hash: bool = False
) -> CheckRun:
    """Check each (path, kind), then compare the photos with each other and with the history.

    The perceptual hash is only computed when there is something to compare it with; with
    `always_hash` (the caller stores the results) both hashes are always computed.
    """
    results = [check_photo(path, kind, ctx, content_hash=always_hash) for path, kind in items]
    decoded = sum(photo is not None for _, photo in results)
    compare = decoded > 1 or bool(ctx.history)
    if compare:
        ctx.stage("comparing with the other photos")
    for report, photo in results:
        if photo is not None and (compare or always_hash):
            report.phash = phash(photo.luma)
    for index, (report, photo) in enumerate(results):
        if photo is None:
            continue
        others = [
            Earlier(f"{other.kind} photo {safe_text(Path(other.path).name)}", other.phash)
            for j, (other, _) in enumerate(results)
            if j != index and other.phash is not None
        ]
        others.extend(ctx.history)
        limit = ctx.limits.duplicate_max_distance.value
        report.checks.append(duplicate_check(report.phash, others, limit))
    skipped = read_skips((kind for _, kind in items), ctx.exchange, ctx.reads)
    return CheckRun([report for report, _ in results], skipped)
