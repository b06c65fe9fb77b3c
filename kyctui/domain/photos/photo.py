"""A decoded photo at analysis size, with the metadata the checks read. Holds no file bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class Photo:
    """What the quality and provenance checks look at.

    `image` and `luma` are reduced so the long side is the analysis size (up to 5% over it when
    the decoder's reduced scale lands there), with the EXIF orientation applied: a measure taken
    on them means the same at 1 MP and at 48 MP.
    """

    name: str  # the file's name, for messages (never the full path: it may hold a user name)
    kind: str  # photo kind: id-front, id-back, passport, selfie, selfie-with-id, address-proof
    format: str  # sniffed format: jpeg, png, webp, gif, bmp, tiff
    size_bytes: int
    width: int  # full-size pixels as stored, before orientation
    height: int
    orientation: int  # EXIF orientation 1-8; 1 when absent
    exif: dict[str, Any] = field(repr=False)  # EXIF tag name -> value, base and Exif IFDs merged
    xmp: str = field(repr=False)  # XMP packet text, "" when absent
    image: Image.Image = field(repr=False)  # mode RGB
    luma: Image.Image = field(repr=False)  # mode L: ITU-R 601 luma of `image`, 8-bit
    mtime: float = 0.0  # file modification time (seconds since the epoch)

    @property
    def oriented_size(self) -> tuple[int, int]:
        """Full-size (width, height) as the photo is meant to be seen."""
        swapped = self.orientation in (5, 6, 7, 8)
        return (self.height, self.width) if swapped else (self.width, self.height)
