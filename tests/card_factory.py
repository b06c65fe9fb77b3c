"""Renders the framing calibration set: an ID card or passport page photographed on real scenes.

The card (card_drawing) is placed in 3-D in front of a pinhole camera with a phone's field of
view (26 mm equivalent, or the pose's lens), so tilt makes real perspective, not an affine squash.
It is composited with a soft shadow onto real photographs bundled in the scikit-image wheel,
saved as JPEG and decoded by the app's own decode_photo. Every pose states its expected verdicts.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter

try:  # under pytest, and as `python -m tests.test_framing_calibration`
    import photo_factory as pf
    from card_drawing import CARD_COLOURS, SIZES_MM, render_card, thumb
except ModuleNotFoundError:
    from tests import photo_factory as pf
    from tests.card_drawing import CARD_COLOURS, SIZES_MM, render_card, thumb

from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import Status

P, W, F = Status.PASS, Status.WARN, Status.FAIL
LENS = ImageFilter.Kernel((3, 3), [1, 2, 1, 2, 4, 2, 1, 2, 1], 16)  # a lens is never quite sharp
FRAME = (800, 600)  # rendered landscape frame; portrait poses swap it
FOCAL_35MM = 26.0  # a phone's main camera, as the check assumes without EXIF
# Grayscale textures are coloured between a dark and a light tone, as the real thing looks.
TINTS = {
    "grass": ((22, 48, 12), (150, 196, 96)),
    "gravel": ((52, 48, 44), (214, 206, 192)),
    "brick": ((70, 28, 20), (196, 120, 96)),
}
BACKGROUNDS = ("grass", "gravel", "brick", "coffee", "chelsea", "rocket")


@dataclass(frozen=True)
class Pose:
    """Where the card is: its projected share of the frame, centre, in-plane roll and tilt."""

    name: str
    share: float  # the flat card's area as a share of the frame
    centre: tuple[float, float] = (0.5, 0.5)  # of the card's centre, as fractions of the frame
    roll: float = 0.0  # degrees, rotation within the picture
    tilt: float = 0.0  # degrees between the card and the sensor's plane
    tilt_axis: float = 0.0  # degrees: 0 tips the top edge away, 90 the right edge
    bounds: Status = P  # expected doc.bounds
    tilt_status: Status = P  # expected doc.tilt
    portrait: bool = False  # a portrait (tall) frame
    focal_35mm: float = FOCAL_35MM  # the lens the scene is rendered with ...
    exif_focal: bool = False  # ... and whether the JPEG's EXIF says so
    right_gap: float | None = None  # set: the card's right-most corner this far from the edge
    thumb: bool = False  # a thumb over the middle of the left edge, as when holding the card


POSES = (
    Pose("straight", 0.35),
    Pose("rotated 5°", 0.35, (0.48, 0.52), roll=5),
    Pose("rotated 15°", 0.30, roll=-15, tilt_status=W),
    Pose("rotated 35°", 0.25, (0.52, 0.5), roll=35, tilt_status=F),
    Pose("tilted 5°", 0.35, tilt=5, tilt_axis=30, roll=2),
    Pose("mild keystone 17°", 0.30, tilt=17, tilt_axis=0, tilt_status=W),
    Pose("strong keystone 40°", 0.30, tilt=40, tilt_axis=0, tilt_status=F),
    Pose("strong keystone 38° sideways", 0.30, tilt=38, tilt_axis=90, roll=3, tilt_status=F),
    Pose("one corner cut", 0.35, (0.6, 0.26), roll=6, bounds=F),
    Pose("two corners cut", 0.35, (0.78, 0.5), bounds=F),
    Pose("small (15%)", 0.15, (0.45, 0.55), roll=-3),
    Pose("large (70%)", 0.70, roll=1),
    Pose("portrait frame", 0.30, roll=88, portrait=True),
    Pose("corner at the edge", 0.35, roll=2, right_gap=0.008, bounds=W),
    Pose("held by a thumb", 0.30, (0.55, 0.5), roll=-4, thumb=True),
    Pose(
        "2x zoom, keystone 30° (EXIF)",
        0.30,
        tilt=30,
        tilt_axis=20,
        focal_35mm=52,
        exif_focal=True,
        tilt_status=F,
    ),
    Pose(
        "ultra wide, keystone 17° (EXIF)",
        0.30,
        tilt=17,
        tilt_axis=-10,
        focal_35mm=13,
        exif_focal=True,
        tilt_status=W,
    ),
)


@dataclass(frozen=True)
class Case:
    """One calibration photo: its scene, pose, document and the truth about where the card is."""

    id: str
    background: str
    pose: Pose
    kind: str  # id-front, id-back or passport
    colour: tuple[int, int, int]


@dataclass(frozen=True)
class Rendered:
    """A decoded calibration photo and its truth, in analysis-image pixels."""

    photo: Photo
    corners: NDArray[np.float64]  # 4x2: the card's sharp corners, clockwise from top left
    tilt: float  # degrees, the true angle between card and sensor planes


def cases() -> list[Case]:
    """Every background in every pose; the document kind and card colour rotate through them."""
    out = []
    kinds = ("id-front", "id-back", "passport")
    for i, bg in enumerate(BACKGROUNDS):
        for j, pose in enumerate(POSES):
            n = i * len(POSES) + j
            kind = kinds[n % 3] if n % 4 else "id-front"
            colour = CARD_COLOURS[(i + j) % len(CARD_COLOURS)]
            out.append(Case(f"{bg}: {pose.name} ({kind})", bg, pose, kind, colour))
    return out


def _rotation(pose: Pose) -> NDArray[np.float64]:
    """Card-to-camera rotation: tilt about an axis in the card's plane, then roll."""
    a = math.radians(pose.tilt_axis)
    axis = np.array([math.cos(a), math.sin(a), 0.0])
    t = math.radians(pose.tilt)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    tilt = np.eye(3) + math.sin(t) * k + (1 - math.cos(t)) * (k @ k)  # Rodrigues
    r = math.radians(pose.roll)
    roll = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return np.asarray(roll @ tilt)


def focal_px(size: tuple[int, int], focal_35mm: float = FOCAL_35MM) -> float:
    """The focal length in pixels of a lens (35 mm equivalent) for a frame of this size."""
    return focal_35mm / math.hypot(36.0, 24.0) * math.hypot(*size)


def project(pose: Pose, kind: str, size: tuple[int, int]) -> NDArray[np.float64]:
    """The card's four sharp corners in the frame (px), clockwise from top left."""
    w_mm, h_mm = SIZES_MM["passport" if kind == "passport" else "id"]
    fw, fh = size
    f = focal_px(size, pose.focal_35mm)
    z = f * math.sqrt(w_mm * h_mm / (pose.share * fw * fh))
    cx, cy = pose.centre[0] * fw, pose.centre[1] * fh
    centre = np.array([(cx - fw / 2) * z / f, (cy - fh / 2) * z / f, z])
    flat = np.array([[-w_mm, -h_mm, 0], [w_mm, -h_mm, 0], [w_mm, h_mm, 0], [-w_mm, h_mm, 0]]) / 2
    world = flat @ _rotation(pose).T + centre
    x, y = f * world[:, 0] / world[:, 2] + fw / 2, f * world[:, 1] / world[:, 2] + fh / 2
    if pose.right_gap is not None:  # moving the card sideways moves its picture sideways
        x = x + (1 - pose.right_gap) * fw - x.max()
    return np.stack([x, y], 1)


def homography(src: NDArray[np.float64], dst: NDArray[np.float64]) -> NDArray[np.float64]:
    """The 3x3 projective map taking four `src` points to four `dst` points."""
    rows = []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.asarray(rows, np.float64))
    return np.asarray(vt[-1].reshape(3, 3) / vt[-1, -1])


@cache
def _scene(name: str, size: tuple[int, int]) -> Image.Image:
    """A real photograph cropped to fill the frame; grayscale textures are coloured."""
    img = pf.real_photo(name)
    if img.mode == "L":
        dark, light = (np.asarray(t, np.float32) for t in TINTS[name])
        g = np.asarray(img, np.float32)[..., None] / 255.0
        img = Image.fromarray(np.round(dark + (light - dark) * g).astype(np.uint8), "RGB")
    fw, fh = size
    s = max(fw / img.width, fh / img.height)
    img = img.resize(
        (math.ceil(img.width * s), math.ceil(img.height * s)), Image.Resampling.BICUBIC
    )
    left, top = (img.width - fw) // 2, (img.height - fh) // 2
    return img.crop((left, top, left + fw, top + fh))


def _warp(card: Image.Image, corners: NDArray[np.float64], size: tuple[int, int]) -> Image.Image:
    """The card drawn at `corners` on a transparent canvas of `size` (warped in its box only)."""
    left = max(0, math.floor(corners[:, 0].min()))
    top = max(0, math.floor(corners[:, 1].min()))
    right = min(size[0], math.ceil(corners[:, 0].max()))
    bottom = min(size[1], math.ceil(corners[:, 1].max()))
    src = np.array([[0, 0], [card.width, 0], [card.width, card.height], [0, card.height]], float)
    to_card = homography(corners - [left, top], src)  # Pillow maps output pixels to the input
    coeffs = tuple((to_card / to_card[2, 2]).ravel()[:8])
    box = (right - left, bottom - top)
    warped = card.transform(box, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    canvas.paste(warped, (left, top))
    return canvas


def render_scene(
    case: Case, background: Image.Image | None = None
) -> tuple[Image.Image, NDArray[np.float64]]:
    """The photo as the camera saw it (RGB, FRAME px) and the card's corners in it.

    `background`, when given, replaces the case's real photograph (a plain table, say)."""
    size = FRAME[::-1] if case.pose.portrait else FRAME
    corners = project(case.pose, case.kind, size)
    warped = _warp(render_card(case.kind, case.colour), corners, size)
    # A soft shadow below and to the right of the card, as under a lamp above the table.
    alpha = warped.getchannel("A").reduce(4).filter(ImageFilter.GaussianBlur(1.5))
    shadow = Image.new("L", size, 0)
    shadow.paste(alpha.resize(size, Image.Resampling.BILINEAR), (3, 5))
    darkness = shadow.point(lambda v: 255 - int(v * 0.45))
    ground = background if background is not None else _scene(case.background, size)
    scene = Image.composite(ground, Image.new("RGB", size), darkness)
    photo = scene.convert("RGBA")
    photo.alpha_composite(warped)
    if case.pose.thumb:
        photo.alpha_composite(thumb(corners, case.kind, size))
    photo = photo.convert("RGB")
    # Soften the card and its outline as a lens would; the real backgrounds are soft already.
    box = warped.getchannel("A").getbbox()
    if box is not None:
        box = (
            max(0, box[0] - 2),
            max(0, box[1] - 2),
            min(size[0], box[2] + 2),
            min(size[1], box[3] + 2),
        )
        photo.paste(photo.crop(box).filter(LENS), box[:2])
    return _noisy(photo), corners


@cache
def _noise(size: tuple[int, int]) -> NDArray[np.float32]:
    """Sensor noise of 2 code values, the same on every run."""
    rng = np.random.default_rng(7)
    return rng.standard_normal((size[1], size[0], 3), dtype=np.float32) * 2.0


def _noisy(img: Image.Image) -> Image.Image:
    a = np.asarray(img, dtype=np.float32) + _noise(img.size)
    return Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8), "RGB")


def render(case: Case) -> Rendered:
    """The case saved as a JPEG and decoded by the app, with its truth in analysis pixels."""
    frame, corners = render_scene(case)
    buf = io.BytesIO()
    exif = Image.Exif()
    if case.pose.exif_focal:
        exif.get_ifd(0x8769)[0xA405] = round(case.pose.focal_35mm)  # FocalLengthIn35mmFilm
    frame.save(buf, "JPEG", quality=88, exif=exif)
    photo = pf.decode(buf.getvalue(), kind=case.kind)
    scale = photo.image.width / frame.width
    return Rendered(photo, corners * scale, case.pose.tilt)


def corners_outside(corners: NDArray[np.float64], size: tuple[int, int]) -> int:
    """How many of the true corners lie outside the frame."""
    w, h = size
    x, y = corners[:, 0], corners[:, 1]
    return int(np.sum((x < 0) | (y < 0) | (x > w) | (y > h)))
