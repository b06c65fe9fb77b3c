"""Unit tests of the building blocks of the pixel measures: running extremes, sampling, ranks."""

from __future__ import annotations

import numpy as np
import photo_factory as pf
import pytest
from PIL import Image, ImageChops

from kyctui.domain.photos import glare, measures
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.ranks import hist_quantile, quantile, select

RNG = np.random.default_rng(7)


def photo_of(img: Image.Image) -> Photo:
    """The image as an upload decoded by the real path (analysis size, luma)."""
    return pf.decode(pf.jpeg_bytes(pf.upscale(img, 2000), 85))


@pytest.mark.parametrize("width", [1, 2, 3, 5, 7, 8])
@pytest.mark.parametrize("vertical", [False, True])
def test_running_extremes_are_the_plain_window_extremes(width: int, vertical: bool) -> None:
    a = RNG.integers(0, 256, (23, 31), dtype=np.uint8)
    img = Image.fromarray(a, "L")
    lighter = np.asarray(measures.running(img, width, ImageChops.lighter, vertical))
    darker = np.asarray(measures.running(img, width, ImageChops.darker, vertical))
    windows = np.lib.stride_tricks.sliding_window_view(a, width, axis=0 if vertical else 1)
    np.testing.assert_array_equal(lighter, windows.max(axis=-1))
    np.testing.assert_array_equal(darker, windows.min(axis=-1))


@pytest.mark.parametrize("size", [(1, 1), (7, 3), (504, 378), (505, 379), (3, 900)])
@pytest.mark.parametrize("step", [1, 2, 4])
def test_sample_takes_every_step_th_pixel_from_the_top_left(
    size: tuple[int, int], step: int
) -> None:
    w, h = size
    a = RNG.integers(0, 256, (h, w, 3), dtype=np.uint8)
    got = np.asarray(measures.sample(Image.fromarray(a, "RGB"), step))
    np.testing.assert_array_equal(got, a[::step, ::step])


def test_select_and_quantile_match_sorting() -> None:
    # Integers in fixed point, with ties, zeros left out first, and values past 16 bits that
    # select reports as 65535.
    values = np.concatenate(
        [np.zeros(500), RNG.integers(1, 70000, 4000), np.full(300, 4096)]
    ).astype(np.int32)
    RNG.shuffle(values)
    img = Image.fromarray(values.reshape(40, 120), "I")
    ranks = [0, 499, 500, 1234, 2400, 4799]
    expected = np.minimum(np.sort(values), 65535)
    assert select(img, ranks) == [int(expected[r]) for r in ranks]
    lit = np.minimum(np.sort(values[values > 0]), 65535)
    for q in (0.0, 0.5, 0.95, 1.0):
        assert quantile(img, q, 500, lit.size) == pytest.approx(np.percentile(lit, q * 100))


def test_hist_quantile_matches_numpy() -> None:
    a = RNG.integers(0, 256, 9999)
    hist = np.bincount(a, minlength=256).tolist()
    for q in (0.0, 0.25, 0.5, 0.99, 1.0):
        assert hist_quantile(hist, q) == pytest.approx(np.percentile(a, q * 100))


@pytest.mark.parametrize("name", ["astronaut", "coffee"])
def test_glare_share_is_the_same_with_or_without_the_histogram(name: str) -> None:
    photo = photo_of(pf.add_glare(pf.on_background(pf.real_photo(name), 0.6), 0.04))
    share = glare.glare_share(photo.image)
    assert share > 0.02
    assert glare.glare_share(photo.image, photo.luma) == share
    assert glare.glare_share(photo.image, photo.luma, photo.luma.histogram()) == share


def test_a_photo_without_bright_pixels_has_no_glare_from_its_histogram_alone() -> None:
    photo = photo_of(pf.darken(pf.on_background(pf.real_photo("chelsea"), 0.6), 0.2))
    hist = photo.luma.histogram()
    assert not any(hist[glare.GLARE_WHITE :])
    assert glare.glare_share(photo.image, photo.luma, hist) == 0.0


@pytest.mark.parametrize("size", [(504, 378), (150, 100)])  # sampled, and on every pixel
def test_glare_share_of_a_solid_reflection_is_its_area(size: tuple[int, int]) -> None:
    w, h = size
    img = Image.new("RGB", size, (60, 50, 45))
    img.paste((252, 252, 250), (w // 4, h // 4, w // 4 + w // 5, h // 4 + h // 5))
    expected = (w // 5) * (h // 5) / (w * h)
    assert glare.glare_share(img) == pytest.approx(expected, rel=0.08)


def test_saturation_is_read_from_a_sample_of_the_image() -> None:
    # Orange and blue stripes only in the rows the sample skips read as black and white; in the
    # rows it takes, as colour. A small image is judged on every other pixel.
    for size, step in (((400, 300), measures.COLOUR_STEP), ((120, 90), 2)):
        gray = np.full((size[1], size[0], 3), 128, np.uint8)
        for first in (1, 0):
            a = gray.copy()
            a[first::step, :: 2 * step] = (230, 128, 30)
            a[first::step, step :: 2 * step] = (30, 128, 230)
            colour = measures.saturation(Image.fromarray(a, "RGB"))
            assert colour == 0.0 if first else colour > 0.5
