"""Passport pages, ID card backs and handheld statements rendered in code, photographed on
real backgrounds (scikit-image's photographs) with blur, JPEG artefacts, rotation and perspective.

MRZs are set in the OCR-B font (Debian fonts-ocr-b) with check digits computed here by the app's
own 7-3-1 function, so a fixture is a valid zone by construction.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from photo_factory import real_photo, resize_long
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from kyctui.domain.identity.mrz_fields import check_digit

OCR_B = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_OBLIQUE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf")
PX_PER_MM = 10  # page rendering scale: 10 px/mm, so the MRZ's 2.54 mm pitch is 25.4 px
MRZ_PITCH_MM = 2.54  # ICAO 9303 part 3: ten characters per inch


@dataclass(frozen=True)
class Person:
    """What a zone holds. Dates are YYMMDD as in the zone."""

    surname: str = "ERIKSSON"
    given: str = "ANNA MARIA"
    number: str = "L898902C3"
    nationality: str = "UTO"
    issuing: str = "UTO"
    birth: str = "740812"
    sex: str = "F"
    expiry: str = "340415"
    personal: str = "ZE184226B"


def _field(text: str, width: int) -> str:
    return text.replace(" ", "<").ljust(width, "<")[:width]


def _names(person: Person, width: int) -> str:
    return _field(f"{person.surname}<<{person.given}", width)


def td3_lines(p: Person) -> tuple[str, str]:
    """A passport's two 44-character lines, check digits computed."""
    number = _field(p.number, 9)
    personal = _field(p.personal, 14)
    personal_digit = check_digit(personal) if p.personal else "<"
    first = f"P<{p.issuing}{_names(p, 39)}"
    parts = [number + check_digit(number), p.birth + check_digit(p.birth)]
    parts.append(p.expiry + check_digit(p.expiry) + personal + personal_digit)
    composite = check_digit("".join(parts))
    second = f"{parts[0]}{p.nationality}{parts[1]}{p.sex}{parts[2]}{composite}"
    return first, second


def td1_lines(p: Person, optional: str = "", optional2: str = "") -> tuple[str, str, str]:
    """An ID card's three 30-character lines, check digits computed."""
    number = _field(p.number, 9)
    first = f"I<{p.issuing}{number}{check_digit(number)}{_field(optional, 15)}"
    birth = p.birth + check_digit(p.birth)
    expiry = p.expiry + check_digit(p.expiry)
    opt2 = _field(optional2, 11)
    composite = check_digit(first[5:30] + birth + expiry + opt2)
    second = f"{birth}{p.sex}{expiry}{p.nationality}{opt2}{composite}"
    return first, second, _names(p, 30)


def ocr_b(size: int) -> ImageFont.FreeTypeFont:
    """The OCR-B font at `size` px."""
    return ImageFont.truetype(str(OCR_B), size)


def _mrz_font(pitch: float) -> ImageFont.FreeTypeFont:
    # OCR-B is monospaced: pick the size whose advance is the ICAO pitch.
    advance = ocr_b(100).getlength("<") / 100
    return ocr_b(round(pitch / advance))


def _draw_mrz(draw: ImageDraw.ImageDraw, lines: tuple[str, ...], left: int, bottom: int) -> None:
    pitch = MRZ_PITCH_MM * PX_PER_MM
    font = _mrz_font(pitch)
    line_gap = round(4.2 * PX_PER_MM)  # line spacing of ICAO 9303 part 3 (about 4.2 mm)
    top = bottom - line_gap * len(lines)
    for i, line in enumerate(lines):
        draw.text((left, top + i * line_gap), line, font=font, fill=(25, 25, 30))


def _guilloche(page: Image.Image, seed: int) -> None:
    """Fine coloured security lines, which the OCR must ignore."""
    draw = ImageDraw.Draw(page)
    w, h = page.size
    rng = np.random.default_rng(seed)
    xs = np.linspace(0, w, 200)
    for k in range(14):
        phase, amp = rng.uniform(0, 6.3), rng.uniform(8, 30)
        ys = h * (k + 0.5) / 14 + amp * np.sin(xs / rng.uniform(40, 90) + phase)
        draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=(200, 214, 226), width=2)


def _portrait(page: Image.Image, box: tuple[int, int, int, int]) -> None:
    face = real_photo("astronaut").crop((120, 10, 300, 230))  # the astronaut's head and shoulders
    page.paste(face.resize((box[2] - box[0], box[3] - box[1])), box[:2])


def passport_page(person: Person | None = None, seed: int = 0) -> Image.Image:
    """The data page of a passport (ICAO TD3, 125 × 88 mm): portrait, printed fields, MRZ."""
    p = person or Person()
    page = Image.new("RGB", (125 * PX_PER_MM, 88 * PX_PER_MM), (236, 240, 232))
    _guilloche(page, seed)
    _portrait(page, (60, 140, 380, 560))
    draw = ImageDraw.Draw(page)
    label, value = ImageFont.truetype(str(DEJAVU), 18), ImageFont.truetype(str(DEJAVU), 28)
    draw.text((60, 40), "PASSPORT  PASSEPORT", font=value, fill=(40, 50, 90))
    birth = f"{p.birth[4:]}.{p.birth[2:4]}.19{p.birth[:2]}"
    expiry = f"{p.expiry[4:]}.{p.expiry[2:4]}.20{p.expiry[:2]}"
    fields = [("Surname", p.surname), ("Given names", p.given), ("Nationality", p.nationality),
              ("Date of birth", birth), ("Sex", p.sex), ("Date of expiry", expiry)]  # fmt: skip
    for i, (name, text) in enumerate(fields):
        draw.text((420, 130 + i * 70), name, font=label, fill=(90, 90, 110))
        draw.text((420, 152 + i * 70), text, font=value, fill=(20, 20, 25))
    _draw_mrz(draw, td3_lines(p), left=70, bottom=page.height - 50)
    return page


def id_back(person: Person | None = None, seed: int = 1) -> Image.Image:
    """The back of an ID card (ID-1, 85.6 × 54 mm) with a TD1 zone."""
    p = person or Person(number="D23145890", personal="")
    card = Image.new("RGB", (856, 540), (226, 234, 240))
    _guilloche(card, seed)
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(str(DEJAVU), 22)
    draw.text((40, 40), "Address: 12 Example Street, Utopia", font=font, fill=(30, 30, 40))
    draw.text((40, 80), "Authority: City of Utopia", font=font, fill=(30, 30, 40))
    _draw_mrz(draw, td1_lines(p), left=46, bottom=card.height - 24)
    return card


def _coefficients(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """Pillow's PERSPECTIVE coefficients mapping output points `dst` to input points `src`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    solved = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    return [float(v) for v in solved]


def photographed(
    document: Image.Image,
    background: str = "coffee",
    frame: tuple[int, int] = (2000, 1500),
    fill: float = 0.7,
    angle: float = 0.0,
    keystone: float = 0.0,
    blur: float = 0.0,
    upside_down: bool = False,
) -> Image.Image:
    """`document` held in front of a real photograph: `fill` of the frame's width, turned by
    `angle` degrees, its far (top) edge shorter by `keystone` (perspective), then blurred."""
    bg = real_photo(background).convert("RGB")
    bg = bg.resize(frame, Image.Resampling.BICUBIC)
    if upside_down:
        document = document.rotate(180)
    w = fill * frame[0]
    h = w * document.height / document.width
    cx, cy = frame[0] / 2, frame[1] / 2
    shrink = keystone * w / 2
    corners = [(-w / 2 + shrink, -h / 2), (w / 2 - shrink, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    t = np.deg2rad(angle)
    quad = [(cx + x * np.cos(t) - y * np.sin(t), cy + x * np.sin(t) + y * np.cos(t))
            for x, y in corners]  # fmt: skip
    src = [(0, 0), (document.width, 0), (document.width, document.height), (0, document.height)]
    coeffs = _coefficients([(float(x), float(y)) for x, y in src], quad)
    method = Image.Transform.PERSPECTIVE
    warped = document.transform(frame, method, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", document.size, 255).transform(frame, method, coeffs)
    bg.paste(warped, (0, 0), mask)
    return bg.filter(ImageFilter.GaussianBlur(blur)) if blur > 0 else bg


def jpeg_file(img: Image.Image, path: Path, quality: int = 90) -> Path:
    """Save `img` as a JPEG at `path` (a phone camera's file); return the path."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    path.write_bytes(buf.getvalue())
    return path


def statement_paper(lines: tuple[str, ...], seed: int = 3) -> Image.Image:
    """A sheet of paper with `lines` written large in a slanted hand, slightly uneven."""
    rng = np.random.default_rng(seed)
    paper = Image.new("RGB", (900, 140 + 150 * len(lines)), (246, 244, 236))
    draw = ImageDraw.Draw(paper)
    font = ImageFont.truetype(str(DEJAVU_OBLIQUE), 96)
    for i, line in enumerate(lines):
        x, y = 60 + int(rng.integers(0, 40)), 70 + 150 * i + int(rng.integers(-8, 8))
        draw.text((x, y), line, font=font, fill=(20, 30, 110))  # blue ballpoint
    return paper.rotate(float(rng.uniform(-3, 3)), expand=True, fillcolor=(246, 244, 236))


def statement_selfie(
    lines: tuple[str, ...], background: str = "chelsea", frame: tuple[int, int] = (1500, 2000)
) -> Image.Image:
    """A portrait-format photo of a face with a handwritten statement held below it."""
    bg = resize_long(real_photo(background).convert("RGB"), max(frame)).resize(frame)
    face = real_photo("astronaut").crop((120, 10, 300, 230)).resize((600, 730))
    bg.paste(face, (450, 120))
    paper = statement_paper(lines)
    paper = paper.resize((1000, round(1000 * paper.height / paper.width)))
    bg.paste(paper, (250, 1000))
    return bg
