"""Frozen dataclasses for the knowledge files: every rule is a value with its source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# Photo kinds that are identity photos; everything else is proof of address.
IDENTITY_KINDS = ("id-front", "id-back", "passport", "selfie", "selfie-with-id")
PHOTO_KINDS = (*IDENTITY_KINDS, "address-proof")


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A rule's value and where it comes from."""

    value: T
    source: str


@dataclass(frozen=True)
class ExchangeRules:
    """What one exchange accepts."""

    id: str
    name: str
    levels: tuple[str, ...]
    verification_host: str
    document_types: Sourced[tuple[str, ...]]
    formats: dict[str, Sourced[tuple[str, ...]]]
    max_upload_bytes: Sourced[int]
    colour_required: Sourced[bool]
    screenshot_fails: Sourced[tuple[str, ...]]
    statement_required: Sourced[bool]
    statement_word: Sourced[str] | None
    address_proof_max_age_days: Sourced[int]

    def formats_for(self, kind: str) -> Sourced[tuple[str, ...]]:
        """Accepted formats for a photo kind."""
        group = "address-proof" if kind == "address-proof" else "identity"
        return self.formats[group]


@dataclass(frozen=True)
class PhotoLimits:
    """Limits of the photo checks, the same for every exchange."""

    max_file_bytes: Sourced[int]
    max_pixels: Sourced[int]
    max_pixels_full_decode: Sourced[int]
    analysis_long_side: Sourced[int]
    resolution_fail_long_side: Sourced[int]
    resolution_warn_long_side: Sourced[int]
    blur_fail: Sourced[float]
    blur_warn: Sourced[float]
    dark_mean_fail: Sourced[float]
    dark_mean_warn: Sourced[float]
    bright_clipped_fail: Sourced[float]
    bright_clipped_warn: Sourced[float]
    glare_share_fail: Sourced[float]
    glare_share_warn: Sourced[float]
    colour_saturation_min: Sourced[float]
    stale_days_warn: Sourced[int]
    duplicate_max_distance: Sourced[int]
