"""Unit tests of the image quality checks, on real photographs transformed in code."""

from __future__ import annotations

import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import imagehash
import photo_factory as pf
import pytest
from PIL import Image

from kyctui.domain.photos import glare, measures, quality
from kyctui.domain.photos.duplicates import phash
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge import load_exchange, load_photo_limits

IDS = ["image.resolution", "image.blur", "image.brightness", "image.glare", "image.color"]


def framed(name: str = "astronaut") -> Image.Image:
    """A real photo at native scale on a dark background (an ID laid on a table)."""
    src = pf.real_photo(name)
    return pf.on_background(src, fill=max(src.size) / 820)


def photo_of(img: Image.Image, kind: str = "id-front", long_side: int = 2000) -> Photo:
    """The image as a user's upload: JPEG at a phone-like size, decoded by the real path."""
    return pf.decode(pf.jpeg_bytes(pf.upscale(img, long_side), 85), kind)


def checks(photo: Photo, exchange: str = "okx") -> dict[str, CheckResult]:
    results = quality.quality_checks(photo, load_exchange(exchange), load_photo_limits())
    return {r.id: r for r in results}


@cache
def good() -> Photo:
    return photo_of(framed())


def test_ids_in_order_and_all_pass_on_a_good_photo() -> None:
    results = quality.quality_checks(good(), load_exchange("okx"), load_photo_limits())
    assert [r.id for r in results] == IDS
    for r in results:
        assert r.status is Status.PASS, r
        assert isinstance(r.value, int | float) and r.limit is not None and r.message


def test_resolution_uses_the_oriented_full_size() -> None:
    small = pf.decode(pf.jpeg_bytes(pf.downscale(framed(), 600)))
    medium = pf.decode(pf.jpeg_bytes(pf.downscale(framed(), 1000)))
    turned = pf.decode(pf.jpeg_bytes(pf.upscale(framed(), 2000), exif={0x0112: 6}))
    assert checks(small)["image.resolution"].status is Status.FAIL
    r = checks(medium)["image.resolution"]
    assert r.status is Status.WARN and r.value == 1000 and "px" in r.message and r.fix
    big = checks(turned)["image.resolution"]
    assert big.status is Status.PASS and big.value == 2000
    assert big.message.startswith(f"{turned.oriented_size[0]}×{turned.oriented_size[1]}")


@pytest.mark.parametrize("blur", ["defocus", "shake"])
def test_blurred_photos_fail(blur: str) -> None:
    img = (
        pf.defocus(framed("coffee"), 3.5)
        if blur == "defocus"
        else pf.motion_blur(framed("coffee"), 16, 0)
    )
    r = checks(photo_of(img))["image.blur"]
    assert r.status is Status.FAIL and "blurred" in r.message and "steady" in r.fix


def test_sharpness_survives_jpeg_quality_70() -> None:
    a = measures.sharpness(good().luma)
    b = measures.sharpness(pf.decode(pf.jpeg_bytes(pf.upscale(framed(), 2000), 70)).luma)
    assert abs(a - b) / a < 0.05


def test_same_scene_scores_alike_at_1_and_48_megapixels() -> None:
    # Built as JPEG bytes and decoded as a user's file: the 48 MP one goes through DCT scaling.
    scene = framed("motorcycle_left")
    one = pf.decode(pf.jpeg_bytes(pf.upscale_to_megapixels(scene, 1), 90))
    big = pf.upscale_to_megapixels(scene, 48)
    data = pf.jpeg_bytes(big, 90)
    del big  # 140 MB of pixels: free them before decoding
    forty_eight = pf.decode(data)
    assert forty_eight.width * forty_eight.height > 47e6
    a, b = measures.sharpness(one.luma), measures.sharpness(forty_eight.luma)
    assert abs(a - b) / max(a, b) < 0.15, (a, b)
    assert checks(one)["image.blur"].status is checks(forty_eight)["image.blur"].status


def test_a_decode_just_over_the_analysis_size_is_not_resampled() -> None:
    # A 4032 px phone photo decodes at 1/8 scale to 504 px; resampling that to 500 px would blur
    # every edge by up to half a pixel. 2016 px at 1/4 scale lands on the same size.
    photo = pf.decode(pf.jpeg_bytes(pf.resize_long(framed(), 2016), 90))
    assert photo.image.size == photo.luma.size == (504, 378)
    assert photo.image.mode == "RGB" and photo.luma.mode == "L"
    assert checks(photo)["image.blur"].status is Status.PASS


def test_dark_photo_fails_and_dim_photo_is_not_passed() -> None:
    dark = checks(photo_of(pf.darken(framed(), 0.1)))["image.brightness"]
    dim = checks(photo_of(pf.darken(framed(), 0.25)))["image.brightness"]
    assert dark.status is Status.FAIL and dark.message.startswith("too dark")
    assert "light" in dark.fix
    assert dim.status is not Status.PASS


def test_id_on_a_dark_background_is_not_called_dark() -> None:
    # KYC guidance asks for a dark background: most of the frame is dark and that is right.
    img = pf.on_background(pf.real_photo("coffee"), fill=0.45, colour=(12, 12, 14))
    assert checks(photo_of(img))["image.brightness"].status is Status.PASS


def test_overexposed_photo_fails() -> None:
    r = checks(photo_of(pf.overexpose(framed("motorcycle_left"), 2)))["image.brightness"]
    assert r.status is Status.FAIL and "overexposed" in r.message and float(r.value or 0) > 0.1


def test_glare_blob_fails_and_small_one_warns() -> None:
    big = checks(photo_of(pf.add_glare(framed("chelsea"), 0.07)))["image.glare"]
    small = checks(photo_of(pf.add_glare(framed("chelsea"), 0.03, centre=(0.3, 0.6))))
    assert big.status is Status.FAIL and "%" in big.message and "reflection" in big.fix
    assert small["image.glare"].status is Status.WARN
    assert small["image.brightness"].status is Status.PASS  # one spot, reported once


@pytest.mark.parametrize("kind", ["address-proof", "id-front"])
def test_white_paper_is_not_glare(kind: str) -> None:
    scan = photo_of(pf.text_document(), kind, long_side=1754)
    on_desk = photo_of(pf.on_background(pf.overexpose(pf.text_document(), 0.5), 0.75), kind)
    assert glare.glare_share(scan.image) == 0.0
    assert checks(scan)["image.glare"].status is Status.PASS
    assert checks(on_desk)["image.glare"].status is Status.PASS


def test_white_paper_scan_is_not_overexposed_for_address_proof() -> None:
    assert checks(photo_of(pf.text_document(), "address-proof"))["image.brightness"].status is (
        Status.PASS
    )


def test_grayscale_fails_colour_at_okx_and_warns_at_generic() -> None:
    gray = photo_of(pf.to_grayscale(framed()))
    okx, generic = checks(gray, "okx")["image.color"], checks(gray, "generic")["image.color"]
    assert okx.status is Status.FAIL and "OKX" in okx.message and okx.fix
    assert generic.status is Status.WARN
    assert checks(good(), "okx")["image.color"].status is Status.PASS


def test_tinted_monochrome_is_not_colour() -> None:
    sepia = photo_of(pf.to_grayscale(framed("coffee"), (255, 228, 185)))
    assert checks(sepia)["image.color"].status is Status.FAIL


def test_black_and_white_letter_is_normal_for_address_proof() -> None:
    letter = photo_of(pf.to_grayscale(pf.text_document()), "address-proof")
    assert checks(letter, "generic")["image.color"].status is Status.PASS
    assert checks(letter, "okx")["image.color"].status is Status.WARN


def test_measures_on_degenerate_images_do_not_crash() -> None:
    for size in [(1, 1), (7, 3), (5, 40), (0, 0)]:
        gray, rgb = Image.new("L", size), Image.new("RGB", size)
        assert measures.sharpness(gray) == 0.0
        assert glare.glare_share(rgb) == 0.0
        assert measures.saturation(rgb) == 0.0
        assert measures.brightness(gray) == (0.0, 1.0 if size[0] else 0.0, 0.0)
        assert measures.highlight_level(gray) == 0.0
    white = Image.new("RGB", (80, 60), (255, 255, 255))
    assert glare.glare_share(white) == 0.0  # all white: nothing is brighter than around it
    thin = Image.new("RGB", (500, 9), (40, 40, 40))  # one cell of the glare grid spans it
    thin.paste((255, 255, 255), (200, 0, 220, 9))
    assert glare.glare_share(thin) == pytest.approx(20 / 500)


def test_checks_run_in_a_few_milliseconds() -> None:
    photo = good()
    quality.quality_checks(photo, load_exchange("okx"), load_photo_limits())
    start = time.perf_counter()
    for _ in range(5):
        quality.quality_checks(photo, load_exchange("okx"), load_photo_limits())
    assert (time.perf_counter() - start) / 5 < 0.1


@pytest.mark.parametrize("name", ["astronaut", "coffee", "camera"])
def test_phash_is_imagehash_phash(name: str) -> None:
    photo = photo_of(framed(name) if name != "camera" else pf.real_photo(name))
    assert phash(photo.luma) == phash(photo.image) == str(imagehash.phash(photo.image))


def test_cold_quick_check_of_one_photo_imports_no_numpy(tmp_path: Path) -> None:
    # numpy costs 100-170 ms of a cold `kyctui check`; only comparing photos and the content
    # reads (framing, faces), which --quick leaves out, may need it.
    path = tmp_path / "id.jpg"
    path.write_bytes(pf.jpeg_bytes(pf.upscale(framed(), 2000), 85))
    script = (
        "import sys\n"
        "from kyctui.cli import main\n"
        "code = main(['check', '--json', '--quick', sys.argv[1]])\n"
        "print('MODULES', *sorted(sys.modules))\n"
        "sys.exit(code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=False
    )
    assert out.returncode in (0, 1), out.stderr
    assert '"image.blur"' in out.stdout  # the photo was checked, not refused
    modules = out.stdout.rsplit("MODULES", 1)[1].split()
    assert "kyctui.domain.photos.measures" in modules
    assert not [m for m in modules if m == "numpy" or m.startswith("numpy.")]
