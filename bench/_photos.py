"""Phone-like JPEGs for the benchmarks, made in code from a real photograph (nothing committed).

A real photograph (scikit-image's bundled `astronaut`) is cropped to the sensor's 4:3 aspect,
upscaled with LANCZOS and given mild luminance noise like a phone sensor's, so the JPEG has the
entropy, and so the size and the decoding cost, of a real 12 MP or 48 MP phone photo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, ImageChops, TiffImagePlugin

SIZE_12MP = (4032, 3024)
SIZE_48MP = (8064, 6048)
# Standard deviation of the added luminance noise, in 8-bit code values: about what a phone's
# JPEG keeps after its own noise reduction in indoor light.
NOISE_SIGMA = 6.0


def _source() -> Image.Image:
    import skimage.data  # lazy: scikit-image is a test extra and slow to import

    astronaut: Callable[[], Any] = skimage.data.astronaut
    img = Image.fromarray(astronaut(), "RGB")  # 512 x 512
    w, h = img.size
    crop_h = w * 3 // 4  # 4:3 landscape, like a phone's main camera
    top = (h - crop_h) // 2
    return img.crop((0, top, w, top + crop_h))


def _camera_exif(width: int, height: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    exif[ExifTags.Base.Model] = "iPhone 15 Pro"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.Base.Software] = "17.4.1"
    exif[ExifTags.Base.DateTime] = datetime.now().strftime("%Y:%m:%d %H:%M:%S")
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.ExposureTime] = TiffImagePlugin.IFDRational(1, 120)
    sub[ExifTags.Base.FNumber] = TiffImagePlugin.IFDRational(178, 100)
    sub[ExifTags.Base.ISOSpeedRatings] = 200
    sub[ExifTags.Base.DateTimeOriginal] = datetime.now().strftime("%Y:%m:%d %H:%M:%S")
    sub[ExifTags.Base.FocalLength] = TiffImagePlugin.IFDRational(686, 100)
    sub[ExifTags.Base.ExifImageWidth] = width
    sub[ExifTags.Base.ExifImageHeight] = height
    return exif


def write_phone_jpeg(
    path: Path, size: tuple[int, int] = SIZE_12MP, *, quality: int = 90, sigma: float = NOISE_SIGMA
) -> int:
    """Write a phone-like JPEG of `size` pixels with camera EXIF to `path`; return its byte size."""
    img = _source().resize(size, Image.Resampling.LANCZOS)
    if sigma > 0:
        # effect_noise: Gaussian noise centred on 128, generated in C (fast even at 48 MP).
        noise = Image.effect_noise(size, sigma).convert("RGB")
        img = ImageChops.add(img, noise, scale=1.0, offset=-128)
        del noise
    img.save(path, "JPEG", quality=quality, exif=_camera_exif(*size), subsampling="4:2:0")
    return path.stat().st_size
