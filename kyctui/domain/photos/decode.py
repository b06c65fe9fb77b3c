"""Decodes photo bytes at analysis size behind one boundary: every decoder failure is explained."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from typing import TYPE_CHECKING, Any

from PIL import ExifTags, Image, ImageFile

from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.photos.sniff import DECODABLE, LABELS
from kyctui.knowledge import PhotoLimits

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# Everything Pillow's own fuzz harness accepts from a hostile file, plus what broken EXIF raises.
# DecompressionBombError is not an OSError, so it is named.
DECODE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    SyntaxError,
    ValueError,
    MemoryError,
    NotImplementedError,
    OverflowError,
    EOFError,
    struct.error,
    zlib.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    Image.DecompressionBombError,
)

_TRANSPOSE: dict[int, list[Image.Transpose]] = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}
# A decode within this factor of the analysis size is analysed as it comes: a 4032 px photo at
# 1/8 scale is 504 px, and resampling it by 0.8% blurs every edge by up to half a pixel (the
# sharpness of the benchmark photo falls from 0.49 to 0.44) while costing ~2 ms.
_ANALYSIS_SLACK = 1.05
_JPEG_FORMATS = ("JPEG", "MPO")
_PNG_TEXT_KEYS = ("Software", "Comment", "Description", "Author", "Creation Time", "Source")


class BufferReader(io.RawIOBase):
    """A read-only file over the photo's bytes in memory, read in place.

    io.BytesIO copies a bytearray (files.py reads into one) whole before the first read: a
    fresh 3-4 MB for a phone photo, ~5% of a check.
    """

    def __init__(self, data: bytes | bytearray) -> None:
        super().__init__()
        self._view = memoryview(data)
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        with memoryview(buffer) as out, out.cast("B") as target:
            n = max(0, min(len(target), len(self._view) - self._pos))
            target[:n] = self._view[self._pos : self._pos + n]
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view.release()
        super().close()


def _fail(message: str, fix: str, value: str | None = None) -> CheckResult:
    return CheckResult("image.decode", Status.FAIL, value, None, message, fix)


def _explain(exc: BaseException) -> str:
    text = str(exc).lower()
    if "truncated" in text or isinstance(exc, EOFError):
        return "the file is cut short (truncated): it was not fully copied or downloaded"
    if isinstance(exc, MemoryError):
        return "the image is too large to decode"
    return "the image data is damaged and cannot be decoded"


def read_metadata(im: Image.Image) -> tuple[dict[str, Any], str, int]:
    """EXIF (base and Exif IFDs merged, by tag name), XMP text and orientation of an open image."""
    exif: dict[str, Any] = {}
    raw = im.getexif()
    for ifd in (dict(raw), dict(raw.get_ifd(ExifTags.IFD.Exif))):
        for tag, value in ifd.items():
            exif.setdefault(ExifTags.TAGS.get(tag, str(tag)), value)
    for key in _PNG_TEXT_KEYS:  # PNG keeps its Software and Comment in text chunks
        value = im.info.get(key)
        if isinstance(value, str):
            exif.setdefault(key, value)
    xmp_raw = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp") or b""
    xmp = xmp_raw.decode("utf-8", "replace") if isinstance(xmp_raw, bytes) else str(xmp_raw)
    orientation = exif.get("Orientation", 1)
    if not isinstance(orientation, int) or not 1 <= orientation <= 8:
        orientation = 1
    return exif, xmp, orientation


def _decode_in_place(im: ImageFile.ImageFile, data: bytes | bytearray) -> Image.Image:
    """The pixels of an opened JPEG, at the scale draft() set, decoded in one call on `data`.

    load() hands libjpeg the file in 64 KiB copies read through the file object; one call on the
    bytes in place gives the same pixels 1.5-3.5 ms (3-7%) sooner on a 12 MP photo. Pillow's
    messages differ: a file cut short says "not enough image data", told here as load() tells it.
    """
    codec, _, _, modes = im.tile[0]  # unpacked: older Pillows give a plain tuple
    modes = modes if isinstance(modes, tuple) else (modes,)
    args = (*modes, *im.decoderconfig)  # (raw mode, JPEG mode) and draft()'s (scale, flag)
    try:
        return Image.frombytes(im.mode, im.size, data, codec, args)
    except ValueError as exc:
        if "not enough" in str(exc):  # the decoder wanted more bytes than the file has
            raise EOFError("image file is truncated") from exc
        raise


def _reduce(file: ImageFile.ImageFile, data: bytes | bytearray, long_side: int) -> Image.Image:
    """The image as RGB, its long side about `long_side`, decoding at reduced scale if it can.

    An image no more than _ANALYSIS_SLACK over `long_side` is kept at its size.
    """
    w, h = file.size
    scale = long_side / max(w, h)
    # Phone photos with a second picture (a depth map, an HDR gain map) open as MPO: their first
    # picture is a JPEG like any other, and decodes at reduced scale the same way.
    jpeg = file.format in _JPEG_FORMATS
    if jpeg and scale < 1:
        # DCT scaling: decode at 1/2, 1/4 or 1/8 while staying at least the analysis size.
        file.draft("RGB", (max(1, round(w * scale)), max(1, round(h * scale))))
    im: Image.Image = file
    if jpeg and len(file.tile) == 1 and file.tile[0][2] == 0:  # the tile starts the file
        im = _decode_in_place(file, data)
    if im.mode not in ("RGB", "L"):
        im = im.convert("RGBA").convert("RGB") if "A" in im.getbands() or im.mode == "P" else im
    # convert() decodes a file not read yet; of an RGB image already decoded it is a mere copy.
    decoded = im.mode == "RGB" and not isinstance(im, ImageFile.ImageFile)
    rgb = im if decoded else im.convert("RGB")
    if max(rgb.size) > long_side * _ANALYSIS_SLACK:
        w2, h2 = rgb.size
        s = long_side / max(w2, h2)
        size = (max(1, round(w2 * s)), max(1, round(h2 * s)))
        rgb = rgb.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return rgb


def decode_photo(
    data: bytes | bytearray,
    fmt: str | None,
    name: str,
    kind: str,
    limits: PhotoLimits,
    mtime: float = 0.0,
) -> tuple[CheckResult, Photo | None]:
    """Run image.decode; on success also return the Photo the other checks look at."""
    if fmt == "pdf":
        message = "a PDF: the image checks do not run on PDFs"
        return CheckResult(
            "image.decode",
            Status.WARN,
            "PDF",
            None,
            message,
            "Check by eye that every page is sharp, complete and readable.",
        ), None
    if fmt is None:
        message = "not an image, so the image checks did not run"
        return _fail(message, "Pick the photo file itself."), None
    if fmt not in DECODABLE:
        label = LABELS.get(fmt, fmt)
        fix = "Convert it to JPEG first, then check it again."
        return _fail(f"{label} cannot be decoded here, so the image checks did not run", fix), None
    max_pixels = limits.max_pixels.value
    try:
        with warnings.catch_warnings(), io.BufferedReader(BufferReader(data)) as file:
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Damaged EXIF ("Tag data larger than file") warns; the checks report what matters.
            warnings.simplefilter("ignore", UserWarning)
            Image.MAX_IMAGE_PIXELS = max_pixels  # our own limit, checked again below
            im = Image.open(file, formats=[DECODABLE[fmt]])
            w, h = im.size
            full_limit = max_pixels if fmt == "jpeg" else limits.max_pixels_full_decode.value
            if w * h > full_limit or w <= 0 or h <= 0:
                message = f"claims {w}×{h} pixels: refused without decoding (a decompression bomb)"
                return _fail(message, "Use the original photo from the camera.", f"{w}×{h}"), None
            exif, xmp, orientation = read_metadata(im)
            reduced = _reduce(im, data, limits.analysis_long_side.value)
            for step in _TRANSPOSE.get(orientation, []):
                reduced = reduced.transpose(step)
            reduced.load()
    except Image.DecompressionBombError:
        return _fail(
            "refused without decoding: too many pixels (a decompression bomb)",
            "Use the original photo from the camera.",
        ), None
    except DECODE_ERRORS as exc:
        return _fail(_explain(exc), "Copy or export the photo again from the original."), None
    reduced.info.clear()  # the file's EXIF and XMP bytes ride along otherwise; read above
    photo = Photo(
        name=name,
        kind=kind,
        format=fmt,
        size_bytes=len(data),
        width=w,
        height=h,
        orientation=orientation,
        exif=exif,
        xmp=xmp,
        image=reduced,
        luma=reduced.convert("L"),  # ITU-R 601-2, as Pillow's 8-bit fixed point computes it
        mtime=mtime,
    )
    ok = CheckResult("image.decode", Status.PASS, f"{w}×{h}", None, f"decodes as {LABELS[fmt]}")
    return ok, photo
