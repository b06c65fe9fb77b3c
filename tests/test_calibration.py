"""Calibrates the quality thresholds on real photographs: `python -m tests.test_calibration`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
from PIL import Image

from kyctui.domain.photos import glare, measures, quality
from kyctui.domain.photos.result import Status
from kyctui.knowledge import load_exchange, load_photo_limits

try:  # under pytest, and as `python tests/test_calibration.py`
    import photo_factory as pf
except ModuleNotFoundError:  # as `python -m tests.test_calibration`
    from tests import photo_factory as pf

P, W, F = Status.PASS, Status.WARN, Status.FAIL
LONG_SIDE = 2000  # a phone-sized upload; decode_photo brings it to the analysis size
FRAME = 820  # px: the long side of a framed source, which lies in it at native scale
# Blur is specified in analysis-size pixels (what the sharpness measure sees) and applied to the
# framed image, which the analysis then scales by ANALYSIS / FRAME.
ANALYSIS = load_photo_limits().analysis_long_side.value


def px(n: float) -> float:
    """`n` analysis-size pixels, in framed-image pixels."""
    return n * FRAME / ANALYSIS


@dataclass(frozen=True, eq=False)  # compared and cached by identity
class Case:
    """One test photo: how to make it, and the verdict each named check must give."""

    id: str
    make: Callable[[], Image.Image]
    expect: dict[str, Status | None] = field(default_factory=dict)  # None: recorded, not judged
    kind: str = "id-front"
    quality: int = 85


def framed(name: str) -> Image.Image:
    """A real photo laid at its native scale on a dark background, like an ID on a table.

    The sources are 450-740 px; framed this way the analysis image shows them at their own
    resolution or smaller, never upscaled (an upscaled source is soft: it would fail as blurred).
    """
    src = pf.real_photo(name)
    return pf.on_background(src, fill=max(src.size) / FRAME)


BLUR, LIGHT, GLARE, COLOUR = "image.blur", "image.brightness", "image.glare", "image.color"
ALL_PASS = dict.fromkeys(["image.resolution", BLUR, LIGHT, GLARE, COLOUR], P)
PHOTOS = pf.COLOUR_PHOTOS
Transform = Callable[[Image.Image], Image.Image]


def _each(
    names: tuple[str, ...],
    label: str,
    change: Transform,
    expect: dict[str, Status | None],
    **kw: Any,
) -> list[Case]:
    """One case per named photo: framed, then changed."""
    return [
        Case(f"{n} {label}".strip(), lambda n=n: change(framed(n)), expect, **kw) for n in names
    ]


def _cases() -> list[Case]:
    same: Transform = lambda img: img  # noqa: E731
    return [
        # Passing set: sharp, well exposed, no glare, colour, at several JPEG qualities.
        *_each(PHOTOS, "", same, ALL_PASS),
        *_each(("astronaut",), "q60", same, ALL_PASS, quality=60),
        *_each(("astronaut",), "q95", same, ALL_PASS, quality=95),
        *_each(("rocket",), "q70", same, ALL_PASS, quality=70),
        *_each(("coffee",), "noisy", lambda i: pf.add_noise(i, 4), ALL_PASS),
        # Sources of 640-740 px, whole frame: barely upscaled at analysis size.
        Case("rocket whole", lambda: pf.real_photo("rocket"), ALL_PASS),
        Case("motorcycle_left whole", lambda: pf.real_photo("motorcycle_left"), ALL_PASS),
        # Blur (sizes in analysis-size pixels): the failing set, then a borderline band.
        *_each(PHOTOS, "defocus 3", lambda i: pf.defocus(i, px(3)), {BLUR: F}),
        *_each(("astronaut",), "defocus 4", lambda i: pf.defocus(i, px(4)), {BLUR: F}),
        *_each(("coffee", "rocket"), "gaussian 2", lambda i: pf.gaussian_blur(i, px(2)), {BLUR: F}),
        *_each(
            ("motorcycle_left",),
            "shake 14 at 0°",
            lambda i: pf.motion_blur(i, round(px(14)), 0),
            {BLUR: F},
        ),
        *_each(
            ("chelsea",),
            "shake 14 at 90°",
            lambda i: pf.motion_blur(i, round(px(14)), 90),
            {BLUR: F},
        ),
        *_each(
            ("rocket",),
            "shake 14 at 30°",
            lambda i: pf.motion_blur(i, round(px(14)), 30),
            {BLUR: F},
        ),
        *_each(
            ("coffee",),
            "shake 14 at 45°",
            lambda i: pf.motion_blur(i, round(px(14)), 45),
            {BLUR: F},
        ),
        *_each(
            ("astronaut",),
            "noisy defocus 3",
            lambda i: pf.add_noise(pf.defocus(i, px(3)), 6),
            {BLUR: F},
        ),
        Case("clock (real camera shake)", lambda: pf.real_photo("clock"), {BLUR: F}),
        *_each(
            ("astronaut", "rocket", "motorcycle_right"),
            "defocus 2",
            lambda i: pf.defocus(i, px(2)),
            {BLUR: None},
        ),
        *_each(
            ("astronaut", "rocket", "motorcycle_right"),
            "shake 8",
            lambda i: pf.motion_blur(i, round(px(8)), 30),
            {BLUR: None},
        ),
        # Brightness: 3 stops under fails, 2 stops under is borderline; 2-3 stops over fails.
        *_each(PHOTOS, "3 stops dark", lambda i: pf.darken(i, 0.125), {LIGHT: F}),
        *_each(PHOTOS, "2 stops dark", lambda i: pf.darken(i, 0.25), {LIGHT: None}),
        *_each(
            ("astronaut", "motorcycle_left", "motorcycle_right"),
            "2 stops over",
            lambda i: pf.overexpose(i, 2),
            {LIGHT: F},
        ),
        *_each(("chelsea",), "3 stops over", lambda i: pf.overexpose(i, 3), {LIGHT: F}),
        # Glare: a reflection over 6% of the frame fails, 3% warns; white paper is not glare.
        *_each(PHOTOS, "glare 6%", lambda i: pf.add_glare(i, 0.06), {GLARE: F}),
        *_each(
            ("chelsea", "rocket", "coffee"), "glare 3%", lambda i: pf.add_glare(i, 0.03), {GLARE: W}
        ),
        Case("letter (white paper)", pf.text_document, {GLARE: P, LIGHT: P}, "address-proof"),
        Case(
            "letter on a desk",
            lambda: pf.on_background(pf.text_document(), 0.6),
            {GLARE: P},
            "address-proof",
        ),
        Case("scanned book page", lambda: pf.real_photo("page"), {GLARE: P}, "address-proof"),
        # Colour: black and white, tinted monochrome and real B&W photos fail at OKX.
        *_each(("astronaut", "coffee"), "grayscale", pf.to_grayscale, {COLOUR: F}),
        *_each(("chelsea",), "sepia", lambda i: pf.to_grayscale(i, (255, 230, 190)), {COLOUR: F}),
        *_each(
            ("rocket",),
            "blue-tinted copy",
            lambda i: pf.to_grayscale(i, (215, 225, 255)),
            {COLOUR: F},
        ),
        *_each(("camera", "coins"), "(real B&W photo)", same, {COLOUR: F}),
    ]


CASES = _cases()
MEASURES = {  # check id -> the value its verdict is taken on, as reported
    BLUR: "sharpness",
    LIGHT: "highlights (p99)",
    GLARE: "glare share",
    COLOUR: "saturation",
}


@cache
def run(case: Case) -> tuple[dict[str, float], dict[str, Status]]:
    """Decode the case through the real path; every measure, and each check's status at OKX."""
    photo = pf.decode(pf.jpeg_bytes(pf.upscale(case.make(), LONG_SIDE), case.quality), case.kind)
    _, _, clipped = measures.brightness(photo.luma)
    values = {
        "sharpness": measures.sharpness(photo.luma),
        "highlights (p99)": measures.highlight_level(photo.luma),
        "burned out": clipped,
        "glare share": glare.glare_share(photo.image),
        "saturation": measures.saturation(photo.image),
    }
    results = quality.quality_checks(photo, load_exchange("okx"), load_photo_limits())
    return values, {r.id: r.status for r in results}


def measure(case: Case) -> dict[str, float]:
    """The case's measured values."""
    return run(case)[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_verdict(case: Case) -> None:
    got = run(case)[1]
    print(case.id, {k: round(v, 4) for k, v in measure(case).items()}, got)
    for check, want in case.expect.items():
        if want is not None:
            assert got[check] is want, f"{case.id}: {check} is {got[check]}, expected {want}"


def table() -> str:
    """Markdown table: per measure, its range on the passing set and on the failing set."""
    rows = [
        "| measure | passing min | passing max | failing min | failing max | failing set |",
        "|---|---|---|---|---|---|",
    ]
    for check, name in [*MEASURES.items(), (LIGHT, "burned out")]:
        passing = [measure(c)[name] for c in CASES if c.expect is ALL_PASS]
        failing = [c for c in CASES if c.expect.get(check) is F and c.expect is not ALL_PASS]
        if name == "burned out":
            failing = [c for c in failing if "over" in c.id]
        elif check == LIGHT:
            failing = [c for c in failing if "dark" in c.id]
        values = [measure(c)[name] for c in failing]
        rows.append(
            f"| {name} | {min(passing):.4f} | {max(passing):.4f} | {min(values):.4f} | "
            f"{max(values):.4f} | {len(values)} photos |"
        )
    rows += [
        "",
        "| photo | " + " | ".join(measure(CASES[0])) + " |",
        "|---|" + "---|" * len(measure(CASES[0])),
    ]
    for c in CASES:
        rows.append(f"| {c.id} | " + " | ".join(f"{v:.4f}" for v in measure(c).values()) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
