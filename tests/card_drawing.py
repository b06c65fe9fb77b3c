"""Draws the calibration documents: an ID-1 card (front or back) or a passport data page.

A light printed ground with faint security waves, a header, fictional text fields, a machine-
readable zone on the back and the passport page, and a real portrait: the face from scikit-image's
astronaut photograph. Corners are rounded as ISO/IEC 7810 says. Also a thumb, as when the card is
held in the hand.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

try:  # under pytest, and as `python -m tests.test_framing_calibration`
    import photo_factory as pf
except ModuleNotFoundError:
    from tests import photo_factory as pf

PX_PER_MM = 8.0
SIZES_MM = {"id": (85.60, 53.98), "passport": (125.0, 88.0)}  # ISO/IEC 7810 ID-1, ICAO TD3
CORNER_RADIUS_MM = 3.18  # ISO/IEC 7810
# Light printed grounds of real cards: cream, pale blue, pale pink, pale green.
CARD_COLOURS = ((236, 231, 214), (219, 231, 242), (241, 225, 229), (223, 237, 225))
FAKE_FIELDS = (  # nobody's data
    ("Surname", "SAMPLE"),
    ("Given names", "ALEX JORDAN"),
    ("Date of birth", "01 01 1990"),
    ("Document no.", "X0000000"),
    ("Expiry", "31 12 2031"),
)


@cache
def _portrait() -> Image.Image:
    return pf.real_photo("astronaut").crop((140, 20, 340, 270))  # 4:5, like a passport photo


def _font(size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, round(size)))


@cache
def render_card(kind: str, colour: tuple[int, int, int]) -> Image.Image:
    """The document as an RGBA image at PX_PER_MM, transparent beyond its rounded corners."""
    w_mm, h_mm = SIZES_MM["passport" if kind == "passport" else "id"]
    w, h = round(w_mm * PX_PER_MM), round(h_mm * PX_PER_MM)
    ground = np.empty((h, w, 3), np.float32)
    shade = np.linspace(1.0, 0.95, h, dtype=np.float32)[:, None, None]
    ground[:] = np.asarray(colour, np.float32) * shade
    # Faint guilloche: printed security waves, a little darker than the ground.
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    for k in range(3):
        wave = np.abs(
            np.sin((x / w * (5 + 2 * k) + y / h * 1.5) * math.pi) * h / 6 + h * (k + 1) / 4 - y
        )
        ground -= (wave < 1.2)[..., None] * 22.0
    card = Image.fromarray(np.clip(ground, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(card)
    ink, label = (24, 28, 40), (96, 100, 112)
    title = {"id-front": "IDENTITY CARD", "id-back": "IDENTITY CARD", "passport": "PASSPORT"}[kind]
    draw.text((0.05 * w, 0.04 * h), title, fill=(30, 50, 110), font=_font(0.075 * h))
    has_face = kind != "id-back"
    left = 0.05 * w
    if has_face:
        face_w = 0.27 * w if kind != "passport" else 0.26 * w
        face = _portrait().resize((round(face_w), round(face_w * 1.25)), Image.Resampling.LANCZOS)
        card.paste(face, (round(left), round(0.2 * h)))
        left += face_w + 0.04 * w
    y_text = 0.2 * h
    for name, value in FAKE_FIELDS[: 5 if kind != "id-back" else 3]:
        draw.text((left, y_text), name, fill=label, font=_font(0.035 * h))
        draw.text((left, y_text + 0.04 * h), value, fill=ink, font=_font(0.055 * h))
        y_text += 0.115 * h
    if kind != "id-front":  # the machine-readable zone at the bottom (not a valid one)
        lines = 3 if kind == "id-back" else 2
        width = 30 if kind == "id-back" else 44
        row = h * 0.93 - 0.07 * h * lines
        for i in range(lines):
            text = ("IDXXXSAMPLE<<ALEX<JORDAN" + "<" * 44)[:width]
            draw.text((0.05 * w, row + i * 0.07 * h), text, fill=ink, font=_font(0.06 * h))
    alpha = Image.new("L", (w, h), 0)
    r = CORNER_RADIUS_MM * PX_PER_MM
    ImageDraw.Draw(alpha).rounded_rectangle((0, 0, w - 1, h - 1), radius=round(r), fill=255)
    card.putalpha(alpha)
    return card


def thumb(corners: NDArray[np.float64], kind: str, size: tuple[int, int]) -> Image.Image:
    """A thumb 22 mm wide over the middle of the left edge, reaching 12 mm onto the card."""
    mm = (
        float(np.hypot(*(corners[1] - corners[0])))
        / SIZES_MM["passport" if kind == "passport" else "id"][0]
    )
    mid = (corners[0] + corners[3]) / 2
    inward = (corners[1] + corners[2]) / 2 - mid
    inward /= np.hypot(*inward)
    length, width = 46 * mm, 22 * mm
    centre = mid + inward * (12 * mm - length / 2)
    side = round(length) + 4
    nail = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(nail)
    top, left = (side - width) / 2, 2
    for i in range(6):  # darker towards the rim: a rounded finger lit from above
        inset = i * width / 24
        tone = (196 + 6 * i, 146 + 5 * i, 118 + 4 * i, 255)
        draw.ellipse(
            (left + inset, top + inset, left + length - inset, top + width - inset), fill=tone
        )
    angle = -math.degrees(math.atan2(inward[1], inward[0]))
    turned = nail.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    layer.paste(turned, (round(centre[0] - turned.width / 2), round(centre[1] - turned.height / 2)))
    return layer
