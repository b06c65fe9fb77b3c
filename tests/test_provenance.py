"""Provenance checks on photos made in code and decoded through the real path."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PIL import Image, PngImagePlugin

from kyctui.domain.photos.decode import decode_photo
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.provenance import provenance_checks
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge import KnowledgeError, load_exchange, load_photo_limits
from kyctui.knowledge.editors import load_signatures, parse_signatures

NOW = datetime(2024, 11, 21, 12, 0, 0)  # naive: local time, as EXIF dates without an offset
EXIF_IFD = 0x8769


def jpeg(
    size: tuple[int, int] = (64, 40),
    *,
    base: dict[int, Any] | None = None,
    exif_ifd: dict[int, Any] | None = None,
    camera: bool = False,
    xmp: str | None = None,
) -> bytes:
    """A small JPEG; `camera` adds make, model and exposure as a phone camera writes them."""
    exif = Image.Exif()
    if camera:
        exif[0x010F], exif[0x0110] = "Apple", "iPhone 13"
        exif.get_ifd(EXIF_IFD)[0x829A] = 1 / 120
    for tag, value in (base or {}).items():
        exif[tag] = value
    for tag, value in (exif_ifd or {}).items():
        exif.get_ifd(EXIF_IFD)[tag] = value
    out = io.BytesIO()
    extra: dict[str, Any] = {"xmp": xmp.encode()} if xmp else {}
    Image.new("RGB", size, (120, 130, 140)).save(out, "JPEG", exif=exif, **extra)
    return out.getvalue()


def png(size: tuple[int, int] = (64, 40), text: dict[str, str] | None = None) -> bytes:
    """A small PNG with optional text chunks (Software, XML:com.adobe.xmp, ...)."""
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_itxt(key, value)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 200, 200)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def photo(data: bytes, name: str = "IMG_1234.jpg", kind: str = "id-front") -> Photo:
    fmt = "png" if data.startswith(b"\x89PNG") else "jpeg"
    result, decoded = decode_photo(data, fmt, name, kind, load_photo_limits(), mtime=0.0)
    assert decoded is not None, result
    return decoded


def check(p: Photo, check_id: str, exchange: str = "okx", now: datetime = NOW) -> CheckResult:
    results = provenance_checks(p, load_exchange(exchange), load_photo_limits(), now)
    return next(r for r in results if r.id == check_id)


def test_ids_in_order_each_with_a_limit() -> None:
    results = provenance_checks(photo(jpeg()), load_exchange("okx"), load_photo_limits(), NOW)
    ids = [r.id for r in results]
    assert ids == ["image.orientation", "image.screenshot", "image.edited", "image.stale"]
    assert all(r.limit is not None and r.message for r in results)


# image.orientation


@pytest.mark.parametrize("kind", ["id-front", "id-back", "passport", "selfie", "address-proof"])
def test_upright_photo_passes(kind: str) -> None:
    size = (40, 64) if kind in ("selfie", "address-proof") else (64, 40)
    result = check(photo(jpeg(size), kind=kind), "image.orientation")
    assert (result.status, result.value) == (Status.PASS, 1)


def test_portrait_document_warns_rotated() -> None:
    result = check(photo(jpeg((40, 64))), "image.orientation")
    assert result.status is Status.WARN and "rotated 90°" in result.message
    assert "retake" in result.fix.lower()


def test_exif_rotation_is_applied_before_judging() -> None:
    # Stored landscape, tagged 6 (rotate 90°): the document shows as portrait.
    result = check(photo(jpeg((64, 40), base={0x0112: 6})), "image.orientation")
    assert (result.status, result.value) == (Status.WARN, 6)
    assert "EXIF orientation 6" in result.message and "ignore" in result.message


def test_exif_rotation_alone_passes_with_a_note_to_retake_not_edit() -> None:
    result = check(photo(jpeg((64, 40), base={0x0112: 3})), "image.orientation")
    assert (result.status, result.value) == (Status.PASS, 3)
    assert "some upload pages ignore it" in result.message
    assert "retake" in result.fix and "editor" in result.fix


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("id-front", Status.FAIL),
        ("passport", Status.FAIL),
        ("address-proof", Status.FAIL),
        ("selfie", Status.WARN),
        ("selfie-with-id", Status.WARN),
    ],
)
@pytest.mark.parametrize("orientation", [2, 4, 5, 7])
def test_mirrored(kind: str, status: Status, orientation: int) -> None:
    result = check(photo(jpeg(base={0x0112: orientation}), kind=kind), "image.orientation")
    assert result.status is status and "mirrored" in result.message


# image.screenshot

SCREENSHOT = "Screenshot_20240101-101010.png"


@pytest.mark.parametrize(
    ("exchange", "kind", "status"),
    [
        ("coinex", "address-proof", Status.FAIL),
        ("generic", "address-proof", Status.FAIL),
        ("okx", "id-front", Status.WARN),
        ("okx", "address-proof", Status.WARN),
        ("coinex", "id-front", Status.WARN),
    ],
)
def test_phone_screenshot(exchange: str, kind: str, status: Status) -> None:
    result = check(photo(png((1170, 2532)), SCREENSHOT, kind), "image.screenshot", exchange)
    assert result.status is status
    assert result.value == "screenshot file name, png, screen size 1170×2532, no camera data"
    assert result.limit == "camera original"
    if kind == "address-proof":
        assert "proof of address" in result.fix and "PDF" in result.fix
    else:
        assert "in-app camera" in result.fix


@pytest.mark.parametrize(
    "name",
    [
        "Screen Shot 2024-01-01 at 10.10.10.png",
        "Screenshot 2024-01-01 at 10.10.10.png",
        "Capture d’écran 2024-01-01 à 10.10.10.png",
        unicodedata.normalize("NFD", "Capture d’écran 2024-01-01.png"),  # as macOS stores it
        "Bildschirmfoto 2024-01-01 um 10.10.10.png",
        "スクリーンショット 2024-01-01 10.10.10.png",
        "截屏2024-01-01 10.10.10.png",
        "Snímek obrazovky 2024-01-01.png",
    ],
)
def test_screenshot_names_are_strong(name: str) -> None:
    result = check(photo(jpeg(), name, "address-proof"), "image.screenshot", "coinex")
    assert result.status is Status.FAIL and "screenshot file name" in str(result.value)
    assert name not in result.message


def test_ios_user_comment_marks_a_screenshot() -> None:
    data = jpeg(exif_ifd={0x9286: b"ASCII\x00\x00\x00Screenshot"})
    result = check(photo(data, "IMG_0001.jpg", "address-proof"), "image.screenshot", "coinex")
    assert result.status is Status.FAIL and "marker" in str(result.value)


def test_xmp_screenshot_marker_in_png() -> None:
    xmp = "<rdf:Description><exif:UserComment>Screenshot</exif:UserComment></rdf:Description>"
    data = png(text={"XML:com.adobe.xmp": xmp})
    result = check(photo(data, "IMG_0002.png", "id-front"), "image.screenshot")
    assert result.status is Status.WARN and "marker" in str(result.value)


def test_desktop_screen_size_without_camera_data_is_strong() -> None:
    result = check(photo(jpeg((1920, 1080)), kind="address-proof"), "image.screenshot", "coinex")
    assert result.status is Status.FAIL
    assert result.value == "screen size 1920×1080, no camera data"


def test_camera_metadata_passes_even_at_a_screen_size() -> None:
    result = check(photo(jpeg((1920, 1080), camera=True), SCREENSHOT), "image.screenshot")
    assert (result.status, result.value) == (Status.PASS, "camera data")


def test_stripped_jpeg_passes() -> None:
    # Messaging apps strip EXIF from real photos: no camera data alone is no evidence.
    result = check(photo(jpeg(), kind="address-proof"), "image.screenshot", "coinex")
    assert (result.status, result.value) == (Status.PASS, "no camera data")


def test_small_png_only_warns() -> None:
    result = check(photo(png(), "scan.png", "address-proof"), "image.screenshot", "coinex")
    assert (result.status, result.value) == (Status.WARN, "png, no camera data")


# image.edited

# Software strings as editors and cameras write them, "|"-separated to keep the table short.
EDITORS = (  # noqa: SIM905
    "Adobe Photoshop 25.0 (Windows)|"
    "Adobe Photoshop Lightroom Classic 13.0 (Macintosh)|GIMP 2.10.34|Snapseed 2.0|"
    "PicsArt|MeituPic|Canva|Facetune2|VSCO|Pixlr|Affinity Photo 2|paint.net 5.0.12|"
    "Photopea|PhotoDirector 365|Polarr|Fotor|AirBrush|BeautyPlus|Remini"
).split("|")
FIRMWARE = (  # noqa: SIM905
    "17.4.1|G991BXXU5CVLL|S901BXXU2AVF1|Android UP1A.231005.007|HDR+ 1.0.540104767zd|"
    "Pixel 8 Pro|MIUI Camera|Ver.1.00|Photos 9.0"
).split("|")


@pytest.mark.parametrize("kind", ["id-front", "selfie", "address-proof"])
@pytest.mark.parametrize("software", EDITORS)
def test_editor_software_fails(software: str, kind: str) -> None:
    result = check(photo(jpeg(base={0x0131: software}, camera=True), kind=kind), "image.edited")
    shown = software if len(software) <= 40 else software[:39] + "…"
    assert (result.status, result.value, result.limit) == (Status.FAIL, shown, "no editor")
    assert "saved by" in result.message and "original" in result.fix


def test_lightroom_is_named_as_lightroom() -> None:
    software = "Adobe Photoshop Lightroom Classic 13.0 (Macintosh)"
    result = check(photo(jpeg(base={0x0131: software})), "image.edited")
    assert "saved by Adobe Lightroom" in result.message


@pytest.mark.parametrize("software", FIRMWARE)
def test_camera_firmware_is_not_an_edit(software: str) -> None:
    result = check(photo(jpeg(base={0x0131: software}, camera=True)), "image.edited")
    assert (result.status, result.value) == (Status.PASS, software)


def test_no_software_passes() -> None:
    result = check(photo(jpeg()), "image.edited")
    assert (result.status, result.value, result.limit) == (Status.PASS, None, "no editor")


def test_processing_software_tag() -> None:
    result = check(photo(jpeg(base={0x000B: "GIMP 2.10"})), "image.edited")
    assert result.status is Status.FAIL


@pytest.mark.parametrize(
    ("xmp", "value"),
    [
        ('<rdf:Description xmp:CreatorTool="GIMP 2.10"/>', "GIMP 2.10"),
        (
            "<xmp:CreatorTool>Adobe Photoshop CC 2019 (Windows)</xmp:CreatorTool>",
            "Adobe Photoshop CC 2019 (Windows)",
        ),
        (
            '<rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Lightroom 7.0"/>',
            "Adobe Lightroom 7.0",
        ),
        (
            r"<photoshop:History>File C:\Users\Jane\id.jpg opened</photoshop:History>",
            "Adobe Photoshop",
        ),
    ],
)
def test_xmp_editor_fields(xmp: str, value: str) -> None:
    result = check(photo(jpeg(xmp=xmp)), "image.edited")
    assert (result.status, result.value) == (Status.FAIL, value)
    assert "Jane" not in result.message + result.fix


def test_png_software_chunk() -> None:
    result = check(photo(png(text={"Software": "GIMP 2.10"}), "id.png"), "image.edited")
    assert (result.status, result.value) == (Status.FAIL, "GIMP 2.10")


def test_shown_software_is_cleaned_and_truncated() -> None:
    result = check(photo(jpeg(base={0x0131: "Adobe\x07 Photoshop\n" + "x" * 80})), "image.edited")
    assert result.status is Status.FAIL and isinstance(result.value, str)
    assert len(result.value) <= 40 and result.value.startswith("Adobe Photoshop x")
    assert not any(ord(c) < 32 for c in result.value)


# image.stale


def dated(when: str, offset: str | None = None, *, base_tag: bool = False) -> Photo:
    """A photo whose DateTimeOriginal (or, with `base_tag`, only its DateTime) is `when`."""
    ifd: dict[int, Any] = {0x9011: offset} if offset else {}  # OffsetTimeOriginal
    if base_tag:
        return photo(jpeg(base={0x0132: when}, exif_ifd=ifd))
    return photo(jpeg(exif_ifd={**ifd, 0x9003: when}))


def test_recent_photo_passes() -> None:
    result = check(dated("2024:11:20 09:00:00"), "image.stale")
    assert (result.status, result.value, result.limit) == (Status.PASS, "2024-11-20", 30)


def test_old_photo_warns_with_its_date() -> None:
    result = check(dated("2023:05:01 10:00:00"), "image.stale")
    assert (result.status, result.value) == (Status.WARN, "2023-05-01")
    assert result.message == "taken 2023-05-01, 570 days ago: an old camera-roll photo"
    assert "in-app camera" in result.fix


def test_fallback_to_datetime_tag() -> None:
    result = check(dated("2023:05:01 10:00:00", base_tag=True), "image.stale")
    assert (result.status, result.value) == (Status.WARN, "2023-05-01")


def test_future_date_means_a_wrong_clock() -> None:
    result = check(dated("2024:11:25 12:00:00"), "image.stale")
    assert result.status is Status.WARN and "clock is wrong" in result.message
    assert check(dated("2024:11:22 08:00:00"), "image.stale").status is Status.PASS  # time zones


def test_offset_is_taken_into_account() -> None:
    now = datetime(2024, 11, 22, 12, 0, tzinfo=UTC)
    east = check(dated("2024:11:23 20:00:00", "+14:00"), "image.stale", now=now)  # 18 h ahead
    west = check(dated("2024:11:23 20:00:00", "-10:00"), "image.stale", now=now)  # 42 h ahead
    assert (east.status, west.status) == (Status.PASS, Status.WARN)


def test_naive_date_with_an_aware_now_does_not_crash() -> None:
    now = NOW.astimezone(UTC)
    assert check(dated("2024:11:20 09:00:00"), "image.stale", now=now).status is Status.PASS


@pytest.mark.parametrize(
    "garbage",
    [
        "0000:00:00 00:00:00",
        "    :  :     :  :  ",
        "2024:13:45 25:61:61",
        "garbage",
        "",
        "1601:01:01 00:00:00",
    ],
)
def test_garbage_dates_mean_no_date(garbage: str) -> None:
    result = check(dated(garbage, "+99:99"), "image.stale")
    assert (result.status, result.value) == (Status.PASS, None)
    assert result.message == "no capture date recorded"


def test_file_mtime_is_not_a_capture_time() -> None:
    old = (NOW - timedelta(days=400)).timestamp()
    _, p = decode_photo(jpeg(), "jpeg", "a.jpg", "id-front", load_photo_limits(), mtime=old)
    assert p is not None and check(p, "image.stale").value is None


# privacy and knowledge file


def test_no_personal_data_in_results() -> None:
    base = {0x013B: "Jane Doe", 0x8298: "(c) Jane Doe", 0x0131: "Adobe Photoshop 25.0"}
    ifd = {0xA430: "Jane Doe", 0xA431: "SN-998877", 0x9003: "2020:01:01 00:00:00"}
    p = photo(jpeg(base=base, exif_ifd=ifd), "Screenshot_Jane_passport.jpg", "passport")
    for r in provenance_checks(p, load_exchange("coinex"), load_photo_limits(), NOW):
        text = f"{r.value} {r.limit} {r.message} {r.fix}"
        assert "Jane" not in text and "SN-998877" not in text, r


def test_editors_file_loads_with_sources() -> None:
    sig = load_signatures()
    assert len(sig.editors) >= 19 and all(e.source for e in sig.editors)
    assert {(1170, 2532), (2532, 1170), (1920, 1080)} <= sig.screens
    assert "bildschirmfoto" in sig.screenshot_names


GOOD = """
[[editor]]
name = "GIMP"
patterns = ["gimp"]
source = "s"
[screens]
source = "s"
sizes = ["1170x2532"]
[screenshot_names]
source = "s"
patterns = ["screenshot"]
"""


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('source = "s"\n[screens]', "[screens]", "editor[0].source"),
        ('patterns = ["gimp"]', "patterns = []", "editor[0].patterns"),
        ('"1170x2532"', '"1170*2532"', "screens.sizes"),
        ('[screenshot_names]\nsource = "s"', "[screenshot_names]", "screenshot_names.source"),
        ("[[editor]]", "[[editor]", "not valid TOML"),
    ],
)
def test_malformed_editors_file_names_file_and_key(old: str, new: str, key: str) -> None:
    assert parse_signatures("editors.toml", GOOD).editors[0].name == "GIMP"
    with pytest.raises(KnowledgeError, match=r"editors\.toml") as err:
        parse_signatures("editors.toml", GOOD.replace(old, new, 1))
    assert key in str(err.value)
