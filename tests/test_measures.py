"""Unit tests of the building blocks of the pixel measures: running extremes, sampling, ranks."""

from __future__ import annotations

import numpy as np
import photo_factory as pf
import pytest
from PIL import Image, ImageChops, ImageFilter

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


@pytest.mark.parametrize("size", [(1, 1), (7, 3), (504, 378), (505, 379)])
@pytest.mark.parametrize(("step", "step_y"), [(1, 2), (2, 1), (1, 3), (4, 2)])
def test_sample_takes_rows_and_columns_at_their_own_steps(
    size: tuple[int, int], step: int, step_y: int
) -> None:
    w, h = size
    a = RNG.integers(0, 256, (h, w), dtype=np.uint8)
    got = np.asarray(measures.sample(Image.fromarray(a, "L"), step, step_y))
    np.testing.assert_array_equal(got, a[::step_y, ::step])


@pytest.mark.parametrize("box", [(0, 0, 1, 1), (3, 2, 40, 31), (10, 0, 126, 95)])
@pytest.mark.parametrize("step", [1, 2, 4])
def test_sample_of_a_box_is_that_box_of_the_sample(
    box: tuple[int, int, int, int], step: int
) -> None:
    a = RNG.integers(0, 256, (379, 505), dtype=np.uint8)
    x0, y0, x1, y1 = box
    got = np.asarray(measures.sample(Image.fromarray(a, "L"), step, box=box))
    np.testing.assert_array_equal(got, a[::step, ::step][y0:y1, x0:x1])


def bars(n: int, blurred: int) -> Image.Image:
    """n x n vertical bars (edges going across): the rows of parity `blurred` (0 or 1) of high
    contrast smeared over 7 px, the others of lower contrast and sharp."""
    x = np.arange(n)
    sharp = (x // 20) % 2 * 100.0 + 60
    smeared = np.convolve(
        np.pad((x // 20) % 2 * 220.0 + 10, 3, mode="edge"), np.ones(7) / 7, "valid"
    )
    a = np.tile(sharp, (n, 1))
    a[blurred::2] = smeared
    return Image.fromarray(a.round().astype(np.uint8), "L")


@pytest.mark.parametrize("turn", [False, True])  # edges across, measured on rows; down, columns
def test_sharpness_is_read_on_every_other_line(turn: bool) -> None:
    # Each row stands alone going across (each column going down): every other one is enough.
    # Blurred lines the sample skips do not count; those it takes, do.
    def score(img: Image.Image) -> float:
        return measures.sharpness(img.transpose(Image.Transpose.TRANSPOSE) if turn else img)

    assert score(bars(400, blurred=1)) > 0.9
    assert score(bars(400, blurred=0)) < 0.3
    # Under measures.SAMPLE_MIN_SIDE px every line is read: the blurred ones are the strongest.
    assert score(bars(150, blurred=1)) < 0.3


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


@pytest.mark.parametrize("size", [(1, 1), (5, 3), (24, 18), (31, 7)])
def test_the_inner_median_of_the_edge_padded_image_is_pillows_median_filter(
    size: tuple[int, int],
) -> None:
    w, h = size
    a = RNG.integers(0, 256, (h, w), dtype=np.uint8)
    img = Image.fromarray(a, "L")
    for r in (1, 6):
        padded = glare._edge_padded(img, r)
        np.testing.assert_array_equal(np.asarray(padded), np.pad(a, r, mode="edge"))
        got = padded.filter(glare._InnerMedian(2 * r + 1))
        assert got.tobytes() == img.filter(ImageFilter.MedianFilter(2 * r + 1)).tobytes()


def _surroundings_in_full(
    gray: Image.Image, box: tuple[int, int, int, int], floor: int, step: int
) -> Image.Image:
    """glare._surroundings the long way: every cell's median, back to every pixel, sampled."""
    w, h = gray.size
    cell = max(1, min(max(w, h) // glare.GLARE_CELLS, w, h))
    gw, gh = w // cell, h // cell
    cells = gray.crop((0, 0, gw * cell, gh * cell)).reduce(cell)
    local = np.asarray(cells.filter(ImageFilter.MedianFilter(2 * glare.GLARE_REACH + 1)))
    ys = np.minimum(np.arange(h) // cell, gh - 1)
    xs = np.minimum(np.arange(w) // cell, gw - 1)
    pixels = np.maximum(local[np.ix_(ys, xs)], floor)[::step, ::step]
    x0, y0, x1, y1 = box
    return Image.fromarray(np.ascontiguousarray(pixels[y0:y1, x0:x1]), "L")


@pytest.mark.parametrize("size", [(504, 378), (503, 377), (150, 97), (30, 700)])
@pytest.mark.parametrize("step", [1, 2])
def test_surroundings_are_the_median_of_the_cells_under_the_box(
    size: tuple[int, int], step: int
) -> None:
    # Only the cells under the box get their median: the same values as every cell's median
    # taken and read back pixel by pixel, ragged right and bottom edges included.
    w, h = size
    gray = Image.fromarray(RNG.integers(0, 256, (h, w), dtype=np.uint8), "L").resize(
        (w, h), Image.Resampling.BILINEAR
    )
    sw, sh = (w + step - 1) // step, (h + step - 1) // step
    boxes = [(0, 0, sw, sh), (sw - 1, sh - 1, sw, sh), (sw // 3, 1, sw // 2 + 1, sh - 2)]
    boxes += [(int(RNG.integers(0, sw)), int(RNG.integers(0, sh)), sw, sh) for _ in range(6)]
    for box in boxes:
        for floor in (0, 128):
            got = glare._surroundings(gray, box, floor, step)
            expected = _surroundings_in_full(gray, box, floor, step)
            assert got.tobytes() == expected.tobytes(), box
