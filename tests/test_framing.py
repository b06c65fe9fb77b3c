"""Unit tests of doc.bounds and doc.tilt: the rules file, the verdicts, the geometry, the finder."""

from __future__ import annotations

import io
import math
import subprocess
import sys
import time
from dataclasses import replace
from functools import cache
from pathlib import Path

import card_factory as cf
import numpy as np
import photo_factory as pf
import pytest
from PIL import Image

from kyctui.domain.photos import framing
from kyctui.domain.photos import framing_geometry as geo
from kyctui.domain.photos import framing_mask as fm
from kyctui.domain.photos.framing_locate import Lens, Located
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import Status
from kyctui.knowledge import KnowledgeError, Sourced, load_exchange, load_photo_limits
from kyctui.knowledge.framing import FILE, load_framing, parse_framing
from kyctui.locations import knowledge_dir

RULES = load_framing()
SIZE = (500, 375)
P, W, F = Status.PASS, Status.WARN, Status.FAIL


def located(corners: list[tuple[float, float]], **fields: float) -> Located:
    """A finding with these corners, as the finder would report it."""
    values = {"fill": 1.0, "support": 1.0, "aspect": 1.586, "tilt": 0.0, "tilt_low": 0.0}
    values.update(fields)
    missing = 4 - len(corners)
    return Located(True, np.array(corners, float), missing, why="", **values)


def box(left: float, top: float, right: float, bottom: float) -> list[tuple[float, float]]:
    return [(left, top), (right, top), (right, bottom), (left, bottom)]


NOT_FOUND = Located.nothing("nothing stands out from the background")


# --- the rules file ------------------------------------------------------------------------


def test_packaged_rules_have_a_source_for_every_rule() -> None:
    for name, value in vars(RULES).items():
        if isinstance(value, Sourced):
            assert value.source.strip(), name
    assert all(a.source and a.fix for a in RULES.advice.values())
    assert RULES.kinds.value == ("id-front", "id-back", "passport")
    assert RULES.aspects_for("passport") == (1.42,)
    assert RULES.aspects_for("id-back") == (1.586,)
    assert RULES.tilt_warn.value < RULES.tilt_fail.value


def _packaged() -> str:
    return (knowledge_dir() / FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "names"),
    [
        ("[tilt_fail]\nvalue = 25.0", "[tilt_fail]\nvalue = 5.0", "tilt_warn.value"),
        ("[margin_warn]\nvalue = 0.02", "[margin_warn]\nvalue = -0.02", "margin_warn.value"),
        ("value = [1.42]", "value = []", "aspects.passport.value"),
        ("value = [13.0, 77.0]", "value = [30.0, 77.0]", "focal_range_35mm.value"),
        ('value = ["id-front", "id-back", "passport"]', 'value = ["id-card"]', "kinds.value"),
        ("[advice.tilt]\nfix =", "[advice.tilt]\nwhy =", "advice.tilt.fix"),
        ("[step_min]\nvalue = 24.0\nsource", "[step_min]\nvalue = 24.0\nfrom", "step_min.source"),
    ],
)
def test_malformed_rules_name_file_and_key(old: str, new: str, names: str) -> None:
    text = _packaged()
    assert old in text
    with pytest.raises(KnowledgeError) as err:
        parse_framing(FILE, text.replace(old, new, 1))
    assert str(err.value).startswith(FILE) and names in str(err.value)


# --- doc.bounds ----------------------------------------------------------------------------


def test_bounds_pass_with_margin() -> None:
    r = framing.bounds_check(located(box(60, 50, 440, 300)), SIZE, RULES)
    assert r.status is P and r.value == 0.12 and "all four corners" in r.message and not r.fix


def test_bounds_warn_at_the_edge_and_fail_when_cut() -> None:
    edge = framing.bounds_check(located(box(60, 50, 496, 300)), SIZE, RULES)
    assert edge.status is W and "edge" in edge.message and edge.fix
    one = framing.bounds_check(located([(60, 50), (530, 40), (440, 300), (60, 300)]), SIZE, RULES)
    assert one.status is F and one.message.startswith("1 corner ") and one.value == -0.06
    assert type(one.value) is float  # JSON-ready
    both = framing.bounds_check(located(box(60, 50, 530, 300)), SIZE, RULES)
    assert both.status is F and both.message.startswith("2 corners")
    two = framing.bounds_check(located([(60, -40), (440, -40), (440, 300), (60, 300)]), SIZE, RULES)
    assert two.status is F and two.message.startswith("2 corners")
    # Just past the edge by less than the tolerance: at the edge, not cut.
    touch = framing.bounds_check(located(box(60, 50, 502, 300)), SIZE, RULES)
    assert touch.status is W


def test_bounds_fail_when_a_whole_side_is_off_the_picture() -> None:
    r = framing.bounds_check(located([(200, 80), (200, 290)]), SIZE, RULES)
    assert r.status is F and "corner is cut off" in r.message and r.value is None and r.fix


def test_never_a_fail_without_a_finding() -> None:
    b = framing.bounds_check(NOT_FOUND, SIZE, RULES)
    t = framing.tilt_check(NOT_FOUND, RULES)
    for r in (b, t):
        assert (
            r.status is W and r.value is None and "could not find the document's edges" in r.message
        )
        assert r.fix == RULES.advice["unlocated"].fix
    assert "all four corners" in b.message


# --- doc.tilt ------------------------------------------------------------------------------

FLAT = box(60, 50, 440, 290)


def _turned(degrees: float) -> list[tuple[float, float]]:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return [(250 + x * c - y * s, 190 + x * s + y * c) for x, y in box(-150, -95, 150, 95)]


@pytest.mark.parametrize(
    ("corners", "tilt", "tilt_low", "status", "words"),
    [
        (FLAT, 3.0, 2.0, P, "facing the camera"),
        (FLAT, 16.0, 9.0, W, "held at about 16°"),
        (FLAT, 31.0, 27.0, F, "held at about 31°"),
        (FLAT, 31.0, 21.0, W, "held at about 31°"),  # a wide lens would make it 21°: not sure
        (_turned(15), 0.0, 0.0, W, "turned 15°"),
        (_turned(-32), 0.0, 0.0, F, "turned 32°"),
        (_turned(88), 0.0, 0.0, P, "turned 2°"),  # held sideways: along the picture's edges
        (_turned(32), 31.0, 30.0, F, "held at about 31° to the camera and turned 32°"),
    ],
)
def test_tilt_verdicts(
    corners: list[tuple[float, float]], tilt: float, tilt_low: float, status: Status, words: str
) -> None:
    r = framing.tilt_check(located(corners, tilt=tilt, tilt_low=tilt_low), RULES)
    assert r.status is status and words in (r.message + str(r.value)), r
    assert bool(r.fix) == (status is not P)


def test_tilt_not_judged_when_a_side_is_off_the_picture() -> None:
    r = framing.tilt_check(located([(200, 80), (200, 290)]), RULES)
    assert r.status is W and r.value is None and "not judged" in r.message


# --- the lens ------------------------------------------------------------------------------


def _photo(exif: dict[str, object], kind: str = "id-front") -> Photo:
    img = Image.new("RGB", (500, 375))
    return Photo("t.jpg", kind, "jpeg", 1, 4000, 3000, 1, exif, "", img, img.convert("L"))


def test_lens_from_exif_or_a_phone_camera() -> None:
    assert framing.lens_for(_photo({"FocalLengthIn35mmFilm": 52}), RULES) == Lens(
        52.0, 52 / 1.1, 52 * 1.1
    )
    default = Lens(26.0, 13.0, 77.0)
    for junk in (0, True, "26", None, 10_000):
        assert framing.lens_for(_photo({"FocalLengthIn35mmFilm": junk}), RULES) == default


def test_other_photo_kinds_are_not_framed() -> None:
    args = (Path("x.jpg"), load_exchange("okx"), load_photo_limits())
    for kind in ("selfie", "selfie-with-id", "address-proof"):
        assert framing.framing_checks(_photo({}, kind), *args) == []
    ids = [r.id for r in framing.framing_checks(_photo({}), *args)]
    assert ids == ["doc.bounds", "doc.tilt"]


# --- geometry ------------------------------------------------------------------------------


def test_pose_recovers_a_known_tilt_and_the_true_proportions() -> None:
    for tilt, axis in ((0, 0), (12, 0), (25, 90), (40, 30)):
        pose = cf.Pose("t", 0.3, tilt=tilt, tilt_axis=axis, roll=7)
        corners = geo.clockwise(cf.project(pose, "id-front", cf.FRAME))
        got_tilt, aspect, skew = geo.pose(corners, cf.FRAME, np.array([cf.focal_px(cf.FRAME)]))[0]
        assert abs(got_tilt - tilt) < 0.01 and abs(aspect - 1.586) < 0.001 and skew < 0.01


def test_a_longer_assumed_lens_reads_more_tilt() -> None:
    pose = cf.Pose("t", 0.3, tilt=20)
    corners = geo.clockwise(cf.project(pose, "id-front", cf.FRAME))
    focals = np.array([cf.focal_px(cf.FRAME, f) for f in (13, 26, 52)])
    tilts = geo.pose(corners, cf.FRAME, focals)[:, 0]
    assert tilts[0] < 20 - 5 and abs(tilts[1] - 20) < 0.01 and tilts[2] > 20 + 5


def test_corner_order_rotation_and_crossings() -> None:
    square = np.array(box(0, 0, 10, 6), float)
    shuffled = square[[2, 0, 3, 1]]
    assert np.array_equal(geo.clockwise(shuffled), square)
    assert geo.is_convex(square) and not geo.is_convex(square[[0, 2, 1, 3]])
    assert geo.rotation(np.array(_turned(12))) == pytest.approx(12)
    assert geo.rotation(np.array(_turned(-80))) == pytest.approx(10)
    x_axis, y_axis = np.array([0.0, 1.0, 0.0]), np.array([1.0, 0.0, 2.0])
    assert np.allclose(geo.intersect(x_axis, y_axis), [2.0, 0.0])
    assert geo.intersect(x_axis, np.array([0.0, 1.0, 5.0])) is None
    line = geo.line_through(np.array([[0.0, 1.0], [2.0, 2.0], [4.0, 3.0]]))
    assert abs(line[:2] @ [6.0, 4.0] - line[2]) < 1e-9


def test_homography_maps_the_four_points() -> None:
    src = np.array(box(0, 0, 1, 1), float)
    dst = np.array([(10, 12), (90, 5), (95, 70), (3, 60)], float)
    h = geo.homography(src, dst)
    mapped = (h @ np.c_[src, np.ones(4)].T).T
    assert np.allclose(mapped[:, :2] / mapped[:, 2:], dst)


def test_components_and_holes() -> None:
    mask = np.zeros((12, 12), bool)
    mask[2:8, 2:8] = True
    mask[4:6, 4:6] = False  # a hole: the portrait inside a card
    mask[9:12, 9:12] = True  # a second region touching the picture's edge
    labels = fm.label(mask)
    assert len(np.unique(labels[labels >= 0])) == 2
    filled = fm.fill_holes(mask)
    assert filled[4:6, 4:6].all() and filled.sum() == mask.sum() + 4
    open_ring = mask.copy()
    open_ring[4, 2:5] = False  # the hole now reaches outside: not a hole any more
    assert not fm.fill_holes(open_ring)[4, 3]


# --- the finder on rendered photos ---------------------------------------------------------


@cache
def _shot(background: str, pose_name: str, kind: str = "id-front") -> cf.Rendered:
    pose = next(p for p in cf.POSES if p.name == pose_name)
    return cf.render(cf.Case("t", background, pose, kind, cf.CARD_COLOURS[0]))


def test_finds_the_corners_on_gravel_within_a_pixel() -> None:
    shot = _shot("gravel", "rotated 5°")
    found = framing.locate_document(shot.photo, RULES)
    assert found.found and found.missing == 0
    assert np.max(np.hypot(*(found.corners - geo.clockwise(shot.corners)).T)) < 1.5
    assert abs(found.aspect - 1.586) < 0.02 and found.tilt < 1.5


def test_strong_keystone_fails_and_the_message_gives_the_angle() -> None:
    shot = _shot("brick", "strong keystone 40°", "passport")
    bounds, tilt = framing.framing_checks(shot.photo, Path("x.jpg"), load_exchange("okx"),
                                          load_photo_limits())  # fmt: skip
    assert bounds.status is P
    assert tilt.status is F and "held at about 40°" in tilt.message and tilt.fix


def test_without_exif_a_zoomed_photo_is_never_failed_on_the_assumed_lens() -> None:
    """2x zoom, 30°: with EXIF it fails; without, the 26 mm guess reads less tilt: a warning."""
    case = cf.Case("t", "grass", next(p for p in cf.POSES if p.name.startswith("2x zoom")),
                   "id-front", cf.CARD_COLOURS[1])  # fmt: skip
    with_exif = framing.tilt_check(framing.locate_document(cf.render(case).photo, RULES), RULES)
    assert with_exif.status is F
    bare = cf.render(replace(case, pose=replace(case.pose, exif_focal=False)))
    without = framing.tilt_check(framing.locate_document(bare.photo, RULES), RULES)
    assert without.status is W and "held at about" in without.message


@pytest.mark.parametrize("name", ["chelsea", "coffee", "gravel", "page", "coins"])
def test_photos_without_a_document_are_warned_not_failed(name: str) -> None:
    img = pf.real_photo(name).convert("RGB")
    photo = pf.decode(pf.jpeg_bytes(img.resize((800, round(800 * img.height / img.width)))))
    results = framing.framing_checks(photo, Path("x.jpg"), load_exchange("okx"),
                                     load_photo_limits())  # fmt: skip
    assert [r.status for r in results] == [W, W]


def test_a_white_card_on_a_white_table_is_not_guessed() -> None:
    case = cf.Case("t", "white", cf.POSES[0], "id-front", (240, 238, 232))
    frame, _ = cf.render_scene(case, Image.new("RGB", cf.FRAME, (242, 240, 236)))
    buf = io.BytesIO()
    frame.save(buf, "JPEG", quality=90)
    found = framing.locate_document(pf.decode(buf.getvalue()), RULES)
    b, t = framing.bounds_check(found, (500, 375), RULES), framing.tilt_check(found, RULES)
    assert not found.found and b.status is W and t.status is W


def test_fast_enough() -> None:
    shot = _shot("coffee", "straight")
    framing.locate_document(shot.photo, RULES)  # numpy imported, caches warm
    start = time.perf_counter()
    for _ in range(3):
        framing.locate_document(shot.photo, RULES)
    assert (time.perf_counter() - start) / 3 < 0.5  # ~40-60 ms here; generous for busy CI


def test_the_check_module_imports_no_numpy() -> None:
    """runner imports framing for every photo kind; numpy waits until a document is checked."""
    code = "import sys, kyctui.domain.photos.framing; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
