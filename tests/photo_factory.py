"""Test photos made from real photographs (scikit-image's bundled data) transformed in code."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kyctui.domain.photos.decode import decode_photo
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import Status
from kyctui.knowledge import load_photo_limits

# Real colour photographs shipped inside the scikit-image wheel (no download needed).
COLOUR_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "motorcycle_left", "motorcycle_right")
# Real black-and-white photographs; "clock" was shot while moving the camera (real motion blur),
# "page" is a scanned page of a book.
GRAY_PHOTOS = ("camera", "coins", "moon", "clock", "page")


def _load(name: str) -> NDArray[np.uint8]:
    import skimage.data  # lazy: importing scikit-image costs time even in tests

    if name in ("motorcycle_left", "motorcycle_right"):
        left, right, _ = skimage.data.stereo_motorcycle()
        return np.asarray(left if name == "motorcycle_left" else right, dtype=np.uint8)
    return np.asarray(getattr(skimage.data, name)(), dtype=np.uint8)


@cache
def _cached(name: str) -> Image.Image:
    array = _load(name)
    return Image.fromarray(array, "L" if array.ndim == 2 else "RGB")


def real_photo(name: str) -> Image.Image:
    """A real photograph from skimage.data by name: RGB for colour photos, L for gray ones."""
    return _cached(name).copy()


def _linear(img: Image.Image) -> NDArray[np.float32]:
    """Pixel values in linear light (0-1): exposure acts on light, not on sRGB code values."""
    v = np.asarray(img, dtype=np.float32) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(np.float32)


def _srgb(lin: NDArray[np.float32], mode: str) -> Image.Image:
    lin = np.clip(lin, 0.0, 1.0)
    v = np.where(lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055)
    return Image.fromarray(np.round(v * 255).astype(np.uint8), mode)


def resize_long(img: Image.Image, long_side: int) -> Image.Image:
    """Resize (LANCZOS) so the long side is `long_side` px, keeping the aspect ratio."""
    w, h = img.size
    s = long_side / max(w, h)
    return img.resize((max(1, round(w * s)), max(1, round(h * s))), Image.Resampling.LANCZOS)


def upscale(img: Image.Image, long_side: int) -> Image.Image:
    """Upscale to a phone-sized long side; detail stays what the source had (softer per pixel)."""
    return resize_long(img, long_side)


def downscale(img: Image.Image, long_side: int) -> Image.Image:
    """Downscale (a messaging app's compressed copy, a thumbnail)."""
    return resize_long(img, long_side)


def upscale_to_megapixels(img: Image.Image, megapixels: float) -> Image.Image:
    """Upscale keeping the aspect ratio so the image has about `megapixels` million pixels."""
    w, h = img.size
    s = (megapixels * 1e6 / (w * h)) ** 0.5
    return img.resize((round(w * s), round(h * s)), Image.Resampling.LANCZOS)


def jpeg_bytes(img: Image.Image, quality: int = 90, exif: dict[int, Any] | None = None) -> bytes:
    """The image as JPEG bytes; `exif` maps EXIF tag numbers (base IFD) to values."""
    buf = io.BytesIO()
    kwargs: dict[str, Any] = {"quality": quality}
    if exif:
        e = Image.Exif()
        for tag, value in exif.items():
            e[tag] = value
        kwargs["exif"] = e.tobytes()
    img.save(buf, "JPEG", **kwargs)
    return buf.getvalue()


def png_bytes(img: Image.Image) -> bytes:
    """The image as PNG bytes."""
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def decode(data: bytes, kind: str = "id-front", fmt: str = "jpeg", name: str = "t.jpg") -> Photo:
    """Decode through the app's real path (decode_photo), as a user's file would be."""
    result, photo = decode_photo(data, fmt, name, kind, load_photo_limits())
    assert result.status is Status.PASS and photo is not None, result.message
    return photo


def _disc(radius: float) -> NDArray[np.float32]:
    r = int(np.ceil(radius))
    y, x = np.mgrid[-r : r + 1, -r : r + 1]
    # Anti-aliased disc: a lens out of focus spreads each point into a uniform disc.
    k = np.clip(radius + 0.5 - np.hypot(x, y), 0.0, 1.0).astype(np.float32)
    return k / k.sum()


def _convolve(img: Image.Image, kernel: NDArray[np.float32]) -> Image.Image:
    from scipy.signal import fftconvolve  # tests only: the app itself never imports scipy

    a = np.asarray(img, dtype=np.float32)
    planes = a[..., None] if a.ndim == 2 else a
    pad = kernel.shape[0] // 2
    out = np.empty_like(planes)
    for c in range(planes.shape[2]):
        p = np.pad(planes[..., c], pad, mode="reflect")
        out[..., c] = fftconvolve(p, kernel, mode="valid")
    out = out[..., 0] if a.ndim == 2 else out
    return Image.fromarray(np.clip(np.round(out), 0, 255).astype(np.uint8), img.mode)


def defocus(img: Image.Image, radius: float) -> Image.Image:
    """Out-of-focus blur: a disc of `radius` px (in this image's pixels)."""
    return img.copy() if radius <= 0 else _convolve(img, _disc(radius))


def gaussian_blur(img: Image.Image, sigma: float) -> Image.Image:
    """Gaussian blur of `sigma` px (soft focus, a smeared lens)."""
    return img.filter(ImageFilter.GaussianBlur(sigma))


def motion_blur(img: Image.Image, length: int, angle: float = 0.0) -> Image.Image:
    """Camera shake: a straight streak `length` px long at `angle` degrees."""
    n = max(1, int(length))
    size = n if n % 2 else n + 1
    k = np.zeros((size, size), np.float32)
    c = size // 2
    t = np.deg2rad(angle)
    for s in np.linspace(-(n - 1) / 2, (n - 1) / 2, n * 4):
        k[round(c - s * np.sin(t)), round(c + s * np.cos(t))] += 1.0
    return _convolve(img, k / k.sum())


def darken(img: Image.Image, factor: float) -> Image.Image:
    """Underexpose: scale the light by `factor` (0.25 is two stops under)."""
    return _srgb(_linear(img) * factor, img.mode)


def overexpose(img: Image.Image, stops: float) -> Image.Image:
    """Overexpose by `stops` (light times 2**stops, clipped like a sensor)."""
    return _srgb(_linear(img) * 2.0**stops, img.mode)


def add_glare(
    img: Image.Image,
    share: float,
    centre: tuple[float, float] = (0.5, 0.45),
    softness: float = 0.6,
    aspect: float = 1.6,
) -> Image.Image:
    """A specular reflection: an elliptical blob of clipped white covering `share` of the area.

    The soft edge (a halo `softness` times the core's radius) is how a lamp or window reflects
    off a laminated card: the core burns out to white, the rim fades into the card.
    """
    rgb = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = rgb.shape[:2]
    # Core ellipse area = pi * a * b = share * w * h, with a = aspect * b.
    b = np.sqrt(share * w * h / (np.pi * aspect))
    a = aspect * b
    y, x = np.mgrid[0:h, 0:w]
    d = np.hypot((x - centre[0] * w) / a, (y - centre[1] * h) / b)  # 1 on the core's rim
    alpha = np.clip(1.0 - (d - 1.0) / max(softness, 1e-6), 0.0, 1.0) ** 2
    out = rgb + (255.0 - rgb) * alpha[..., None]
    return Image.fromarray(np.round(out).astype(np.uint8), "RGB")


def to_grayscale(img: Image.Image, tint: tuple[int, int, int] | None = None) -> Image.Image:
    """Black and white (mode L), or a tinted monochrome (sepia, a warm-lit photocopy) as RGB."""
    gray = img.convert("L")
    if tint is None:
        return gray
    g = np.asarray(gray, dtype=np.float32)[..., None] / 255.0
    return Image.fromarray(np.round(g * np.array(tint, np.float32)).astype(np.uint8), "RGB")


def add_noise(img: Image.Image, sigma: float, seed: int = 0) -> Image.Image:
    """Sensor noise of `sigma` code values (a dim room, a small sensor)."""
    a = np.asarray(img, dtype=np.float32)
    a = a + np.random.default_rng(seed).normal(0.0, sigma, a.shape).astype(np.float32)
    return Image.fromarray(np.clip(np.round(a), 0, 255).astype(np.uint8), img.mode)


def on_background(
    img: Image.Image, fill: float = 0.6, colour: tuple[int, int, int] = (28, 30, 34)
) -> Image.Image:
    """The photo as a card laid on a solid background (as KYC guidance asks: dark and plain).

    `fill` is the share of the frame's width the card takes; the frame is 4:3 landscape.
    """
    card = img.convert("RGB")
    w = round(card.width / fill)
    h = max(round(w * 3 / 4), card.height + 2)
    frame = Image.new("RGB", (w, h), colour)
    frame.paste(card, ((w - card.width) // 2, (h - card.height) // 2))
    return frame


def text_document(
    size: tuple[int, int] = (1240, 1754), lines: int = 40, logo: bool = True, seed: int = 0
) -> Image.Image:
    """A proof-of-address-like page: dark text on white paper, with a small coloured logo."""
    rng = np.random.default_rng(seed)
    page = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(page)
    w, h = size
    font = ImageFont.load_default(size=max(10, h // 70))
    words = [
        "Account",
        "Electricity",
        "Statement",
        "Amount",
        "due",
        "Date",
        "Address",
        "kWh",
        "Total",
        "Customer",
        "Street",
        "Payment",
        "reference",
        "Period",
        "VAT",
        "balance",
    ]
    if logo:
        draw.rectangle((w // 12, h // 20, w // 12 + w // 6, h // 20 + h // 25), fill=(0, 90, 170))
    y = h // 7
    for _ in range(lines):
        text = " ".join(str(rng.choice(words)) for _ in range(int(rng.integers(4, 11))))
        draw.text((w // 12, y), text, fill=(20, 20, 20), font=font)
        y += int(h * 0.75 / lines)
    return page


Transform = Callable[[Image.Image], Image.Image]
