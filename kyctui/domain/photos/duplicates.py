"""Perceptual hashes of photos, and the check that two photos of one call are the same picture."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PIL import Image

from kyctui.domain.photos.result import CheckResult, Earlier, Status

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["Earlier", "duplicate_check", "phash"]

HASH_SIZE = 8
_FACTOR = 4  # imagehash's phash: a 32x32 DCT, keeping the 8x8 lowest frequencies


@cache
def _dct_matrix(n: int) -> NDArray[np.float64]:
    import numpy as np

    k = np.arange(n)[:, None]
    x = np.arange(n)[None, :]
    return np.cos(np.pi * (2 * x + 1) * k / (2 * n))


def phash(image: Image.Image) -> str:
    """imagehash.phash of an image (RGB, or its luma), as its hex string.

    Same algorithm as imagehash.phash (grayscale, 32x32 LANCZOS, 2-D DCT-II, 8x8 low block against
    its median), with the DCT as a matrix product: imagehash's own phash imports scipy, which
    would add a quarter of a second to every cold `kyctui check`. numpy and imagehash are
    imported here, not at the top: a hash is only computed when photos are compared or stored,
    and a cold check of one photo then never pays for them (numpy alone: 100-170 ms).
    """
    import imagehash
    import numpy as np

    n = HASH_SIZE * _FACTOR
    small = image.convert("L").resize((n, n), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.float64)
    d = _dct_matrix(n)
    dct = d @ pixels @ d.T
    low = dct[:HASH_SIZE, :HASH_SIZE]
    return str(imagehash.ImageHash(low > np.median(low)))


def distance(a: str, b: str) -> int:
    """Hamming distance between two hex phashes (0 = the same picture)."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def _bits(pair: tuple[int, Earlier]) -> int:
    return pair[0]


def duplicate_check(own: str | None, others: list[Earlier], max_distance: int) -> CheckResult:
    """image.duplicate: fail when another photo of this attempt (or call) is the same picture,
    even re-encoded or resized; warn when it is the picture of an attempt that was rejected."""
    limit = f"> {max_distance} bits"
    if own is None:
        return CheckResult("image.duplicate", Status.PASS, None, limit, "not compared")
    if not others:
        return CheckResult("image.duplicate", Status.PASS, None, limit, "no other photo to compare")
    near = sorted(((distance(own, e.phash), e) for e in others if not e.rejected), key=_bits)
    if near and near[0][0] <= max_distance:
        bits, twin = near[0]
        message = f"the same picture as {twin.label} ({bits} of 64 bits differ)"
        fix = "Take a separate photo for each slot: front and back, document and selfie."
        return CheckResult("image.duplicate", Status.FAIL, bits, limit, message, fix)
    seen = sorted(((distance(own, e.phash), e) for e in others if e.rejected), key=_bits)
    if seen and seen[0][0] <= max_distance:
        bits, before = seen[0]
        message = f"the very picture of {before.label} ({bits} of 64 bits differ)"
        fix = (
            "Take a new photo after fixing what the rejection named: the same picture, even "
            "re-saved or resized, is likely to be refused again."
        )
        return CheckResult("image.duplicate", Status.WARN, bits, limit, message, fix)
    closest = min(b for b, _ in near + seen)
    return CheckResult(
        "image.duplicate", Status.PASS, closest, limit, "differs from the other photos"
    )
