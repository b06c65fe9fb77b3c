"""Scenes for the face checks, made in code from a real portrait (skimage's astronaut) and real
backgrounds: selfies framed near or far, two people, an ID-1 card with or without its portrait,
laid on a table or held beside the face."""

from __future__ import annotations

import photo_factory as pf
from PIL import Image, ImageDraw, ImageFont

# Where the detector boxes the astronaut's face in skimage's 512×512 photo (left, top, size).
FACE = (179, 83, 88)
PORTRAIT = (3, 4)  # ID photos are 3:4 (ICAO Doc 9303)


def selfie(share: float, size: tuple[int, int] = (1200, 1600)) -> Image.Image:
    """The astronaut framed so her face box covers `share` of a `size` frame (a phone selfie).

    Frames wider than the source photo continue onto a real background (skimage's coffee).
    """
    src = pf.real_photo("astronaut")
    left, top, side = FACE
    w = (side * side / share * size[0] / size[1]) ** 0.5
    h = w * size[1] / size[0]
    x0, y0 = left + side / 2 - w / 2, top + side / 2 - h * 0.4  # face a little above centre
    canvas = pf.real_photo("coffee").resize((round(w) + 1, round(h) + 1))
    canvas.paste(src, (round(-x0), round(-y0)))
    return canvas.crop((0, 0, round(w), round(h))).resize(size, Image.Resampling.LANCZOS)


def two_people(size: tuple[int, int] = (1600, 1200)) -> Image.Image:
    """Two people side by side, each face about a tenth of the photo."""
    half = (size[0] // 2, size[1])
    out = Image.new("RGB", size)
    out.paste(selfie(0.22, half), (0, 0))
    out.paste(selfie(0.18, half).transpose(Image.Transpose.FLIP_LEFT_RIGHT), (half[0], 0))
    return out


def with_face_behind(size: tuple[int, int] = (1200, 1600)) -> Image.Image:
    """A selfie with a much smaller second face (someone further back) in a top corner."""
    frame = selfie(0.2, size)
    other = selfie(0.2, (260, 347)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    frame.paste(other, (size[0] - other.width - 10, 10))
    return frame


def card(width: int, portrait: bool = True) -> Image.Image:
    """An ID-1 card (85.6 × 54 mm) with a 3:4 portrait of the astronaut, or a blank photo box."""
    height = round(width * 54 / 85.6)
    img = Image.new("RGB", (width, height), (214, 228, 240))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, width, height // 7), fill=(40, 80, 140))
    font = ImageFont.load_default(size=max(8, height // 22))
    draw.text((width // 30, height // 40), "IDENTITY CARD", fill=(255, 255, 255), font=font)
    pw = round(width * 0.3)
    ph = pw * PORTRAIT[1] // PORTRAIT[0]
    px, py = width // 25, height // 7 + height // 25
    if portrait:
        left, top, side = FACE
        cw = side / 0.6  # the face box is about 60% of an ID photo's width
        ch = cw * PORTRAIT[1] / PORTRAIT[0]
        cx, cy = left + side / 2, top + side / 2
        box = (round(cx - cw / 2), round(cy - ch * 0.45), round(cx + cw / 2), round(cy + ch * 0.55))
        crop = pf.real_photo("astronaut").crop(box)
        img.paste(crop.resize((pw, ph), Image.Resampling.LANCZOS), (px, py))
    else:
        draw.rectangle((px, py, px + pw, py + ph), fill=(190, 200, 210))
    y = py
    for label in ("Surname", "Given names", "Date of birth", "Expiry"):
        draw.text((px + pw + width // 25, y), label, fill=(90, 90, 110), font=font)
        draw.text((px + pw + width // 25, y + height // 18), "SPECIMEN", fill=(0, 0, 0), font=font)
        y += height // 6
    return img


def on_table(doc: Image.Image, fill: float, size: tuple[int, int] = (2000, 1500)) -> Image.Image:
    """The document laid on a real photograph (skimage's chelsea), `fill` of the frame's width."""
    frame = pf.real_photo("chelsea").resize(size, Image.Resampling.LANCZOS)
    s = fill * size[0] / doc.width
    doc = doc.resize((round(doc.width * s), round(doc.height * s)), Image.Resampling.LANCZOS)
    frame.paste(doc, ((size[0] - doc.width) // 2, (size[1] - doc.height) // 2))
    return frame


def holding_id(portrait: bool = True, size: tuple[int, int] = (1512, 2016)) -> Image.Image:
    """A selfie with the ID held beside the chin, the card 30% of the frame's width."""
    frame = selfie(0.18, size)
    doc = card(round(size[0] * 0.3), portrait)
    frame.paste(doc, (size[0] - doc.width - size[0] // 20, size[1] - doc.height - size[1] // 12))
    return frame
