"""Face checks on scenes made in code from a real portrait (skimage's astronaut) and real
backgrounds: selfies near and far, two people, an ID held or laid flat, turned photos."""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import photo_factory as pf
import pytest
from face_scenes import FACE, card, holding_id, on_table, selfie, two_people, with_face_behind
from PIL import Image

from kyctui.domain.photos import face_detect, faces
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge import KnowledgeError, load_exchange, load_photo_limits
from kyctui.knowledge.faces import FILE, load_faces, parse_faces

# --- running the checks as the app does ----------------------------------------------------------


def check(
    img: Image.Image, kind: str, tmp_path: Path, exif: dict[int, Any] | None = None
) -> dict[str, CheckResult]:
    """The face checks of `img` saved as a phone JPEG and decoded by the app's own path."""
    data = pf.jpeg_bytes(img, 90, exif)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    photo = pf.decode(data, kind)
    results = faces.face_checks(photo, path, load_exchange("generic"), load_photo_limits())
    assert [r.id for r in results] == list(faces.CHECKS.get(kind, ()))
    return {r.id: r for r in results}


def statuses(results: dict[str, CheckResult]) -> dict[str, Status]:
    return {key: r.status for key, r in results.items()}


# --- selfies -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "expected", "word"),
    [(0.05, Status.FAIL, "too far"), (0.2, Status.PASS, "fills"), (0.6, Status.FAIL, "too close")],
)
def test_selfie_size(share: float, expected: Status, word: str, tmp_path: Path) -> None:
    results = check(selfie(share), "selfie", tmp_path)
    count, size = results["face.count"], results["face.size"]
    assert count.status is Status.PASS and count.value == 1
    assert size.status is expected and word in size.message and size.limit == "0.1-0.35"
    # The detector sizes its box in steps of 1.2×: the share reads within about ±25%.
    assert isinstance(size.value, float) and abs(size.value - share) <= 0.25 * share
    assert f"{size.value * 100:.1f}%" in size.message
    assert (size.fix != "") is (expected is Status.FAIL)


def test_two_people_fail(tmp_path: Path) -> None:
    count = check(two_people(), "selfie", tmp_path)["face.count"]
    assert count.status is Status.FAIL and count.value == 2
    assert "only the account owner" in count.message and "alone" in count.fix


def test_a_smaller_face_behind_warns_on_a_selfie(tmp_path: Path) -> None:
    count = check(with_face_behind(), "selfie", tmp_path)["face.count"]
    assert count.status is Status.WARN and count.value == 2
    assert "smaller face" in count.message and "behind you" in count.fix


def test_selfie_with_id_finds_the_portrait_on_the_card(tmp_path: Path) -> None:
    results = check(holding_id(), "selfie-with-id", tmp_path)
    assert statuses(results) == {"face.count": Status.PASS, "face.size": Status.PASS}
    assert (
        results["face.count"].value == 2 and "portrait on the ID" in results["face.count"].message
    )


def test_selfie_with_id_without_a_visible_portrait_warns(tmp_path: Path) -> None:
    count = check(holding_id(portrait=False), "selfie-with-id", tmp_path)["face.count"]
    assert count.status is Status.WARN and count.value == 1
    assert "not the portrait" in count.message and "photo side towards the camera" in count.fix


def test_exif_orientation_is_applied_before_looking(tmp_path: Path) -> None:
    # Stored sideways with EXIF orientation 6 (as phones do): upright once decoded, and the fine
    # pass that finds the ID's portrait reads the file turned the same way.
    stored = holding_id().transpose(Image.Transpose.ROTATE_90)
    results = check(stored, "selfie-with-id", tmp_path, exif={0x0112: 6})
    assert statuses(results) == {"face.count": Status.PASS, "face.size": Status.PASS}
    assert results["face.count"].value == 2


def test_a_sideways_selfie_is_found_turned_and_warned(tmp_path: Path) -> None:
    results = check(selfie(0.2).transpose(Image.Transpose.ROTATE_90), "selfie", tmp_path)
    count, size = results["face.count"], results["face.size"]
    assert count.status is Status.WARN and "stored sideways" in count.message
    assert "upright" in count.fix and size.status is Status.PASS


@pytest.mark.parametrize("name", ["coffee", "chelsea"])
def test_a_photo_without_a_face_fails(name: str, tmp_path: Path) -> None:
    # chelsea is a cat: a face, but not a human one.
    results = check(pf.upscale(pf.real_photo(name), 1600), "selfie", tmp_path)
    assert statuses(results) == {"face.count": Status.FAIL, "face.size": Status.FAIL}
    assert "face not visible" in results["face.count"].message
    assert results["face.size"].value is None and results["face.count"].fix


# --- documents -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fill"), [("id-front", 0.85), ("id-front", 0.25), ("passport", 0.7)]
)
def test_document_portrait_found(
    kind: str, fill: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 0.25: a card far off, its portrait's face ~23 px at analysis size: only the fine pass,
    # reading the file again at full size, sees it.
    fine_reads: list[Path] = []
    fine_gray = face_detect.fine_gray

    def spy(path: Path, photo: Any) -> Any:
        fine_reads.append(path)
        return fine_gray(path, photo)

    monkeypatch.setattr(face_detect, "fine_gray", spy)
    portrait = check(on_table(card(1200), fill, (2016, 1512)), kind, tmp_path)["doc.portrait"]
    assert portrait.status is Status.PASS and "portrait found" in portrait.message
    assert isinstance(portrait.value, float) and 0.001 < portrait.value < 0.06
    assert len(fine_reads) == (1 if fill < 0.5 else 0)


def test_document_without_portrait_fails(tmp_path: Path) -> None:
    portrait = check(on_table(card(1200, portrait=False), 0.85), "id-front", tmp_path)
    result = portrait["doc.portrait"]
    assert result.status is Status.FAIL and "no portrait" in result.message
    assert "side that carries your photo" in result.fix


def test_a_selfie_uploaded_as_the_id_front_fails(tmp_path: Path) -> None:
    result = check(selfie(0.2), "id-front", tmp_path)["doc.portrait"]
    assert result.status is Status.FAIL and "is it a selfie" in result.message


@pytest.mark.parametrize("kind", ["id-back", "address-proof"])
def test_other_kinds_get_no_face_checks(kind: str, tmp_path: Path) -> None:
    assert check(selfie(0.2, (600, 800)), kind, tmp_path) == {}


# --- without the detector ------------------------------------------------------------------------


def test_skips_name_the_checks_and_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    assert [s.id for s in faces.face_skips()] == ["face.count", "face.size", "doc.portrait"]
    picked = faces.face_skips(["id-back", "selfie", "selfie-with-id"])
    assert [s.id for s in picked] == ["face.count", "face.size"]
    assert faces.face_skips(["address-proof"]) == []
    assert all(faces.INSTALL in s.why for s in picked)
    monkeypatch.setattr(faces.importlib.util, "find_spec", lambda name: None)
    assert faces.faces_available() is False


def test_a_detector_that_cannot_load_fails_each_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken() -> None:
        raise ImportError("libdlib.so: cannot open shared object file")

    monkeypatch.setattr(face_detect, "detector", broken)
    results = check(selfie(0.2, (600, 800)), "selfie", tmp_path)
    for result in results.values():
        assert result.status is Status.FAIL and "could not run (ImportError)" in result.message
        assert faces.INSTALL in result.fix


# --- the detector and its cache ------------------------------------------------------------------


def test_the_detector_is_cached_on_disk_and_rebuilt_when_damaged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dlib = importlib.import_module("dlib")  # by name: dlib has no type hints

    real = face_detect.detector()  # the session's, so this test builds nothing itself
    built: list[int] = []

    def build() -> Any:
        built.append(1)
        return real

    monkeypatch.setattr(dlib, "get_frontal_face_detector", build)
    folder = tmp_path / "data" / "cache"
    face_detect.load_detector(folder)
    (saved,) = folder.glob("*.svm")
    assert built == [1] and saved.name.startswith(f"dlib-{dlib.__version__}-frontal-face-")
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    loaded = face_detect.load_detector(folder)  # from the file: nothing built
    assert built == [1]
    gray = np.asarray(pf.real_photo("astronaut").convert("L"))
    rects = loaded(gray, 0)
    assert [(r.left(), r.top(), r.width()) for r in rects] == [FACE]
    saved.write_bytes(saved.read_bytes()[:1000])  # cut short
    face_detect.load_detector(folder)
    (again,) = folder.glob("*.svm")
    assert built == [1, 1] and again.stat().st_size > 1000


def test_fine_read_refuses_a_file_that_changed(tmp_path: Path) -> None:
    data = pf.jpeg_bytes(selfie(0.2, (600, 800)))
    photo = pf.decode(data, "selfie")
    path = tmp_path / "photo.jpg"
    path.write_bytes(pf.jpeg_bytes(selfie(0.2, (900, 1200))))
    assert face_detect.fine_gray(path, photo) is None
    path.write_bytes(data)
    fine = face_detect.fine_gray(path, photo)
    assert fine is not None and fine[0].shape == (800, 600) and fine[1] == 1  # small: upsampled


@cache
def _twelve_mp() -> bytes:
    return pf.jpeg_bytes(selfie(0.2, (3024, 4032)), 85)


def test_fine_read_decodes_a_12_mp_jpeg_reduced(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(_twelve_mp())
    fine = face_detect.fine_gray(path, pf.decode(_twelve_mp(), "selfie-with-id"))
    assert fine is not None
    assert fine[0].shape == (face_detect.FINE_LONG_SIDE, 1512) and fine[1] == 0


# --- the rules file ------------------------------------------------------------------------------


def test_packaged_rules_have_sources() -> None:
    rules = load_faces()
    assert rules.selfie_share_min.value == 0.10 and rules.selfie_share_max.value == 0.35
    for sourced in (rules.selfie_share_min, rules.similar_face_area, rules.portrait_share_max):
        assert sourced.source.strip()
    assert all(a.fix and a.source for a in rules.advice.values())


def _toml(edit: Callable[[str], str]) -> str:
    from kyctui.locations import knowledge_dir

    return edit((knowledge_dir() / FILE).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("edit", "names"),
    [
        (lambda t: t.replace("[selfie_share_max]", "[renamed]"), "'selfie_share_max'"),
        (lambda t: t.replace("value = 0.5\n", "value = 1.5\n"), "'similar_face_area.value'"),
        (lambda t: t.replace("value = 0.35", "value = 0.05"), "'selfie_share_min.value'"),
        (lambda t: t.replace("[advice.too-far]", "[advice.far]"), "'advice.too-far'"),
        (lambda t: t.replace("value = 0.2\n", 'value = "high"\n'), "'confident_score.value'"),
    ],
)
def test_a_malformed_rules_file_names_file_and_key(edit: Callable[[str], str], names: str) -> None:
    with pytest.raises(KnowledgeError) as err:
        parse_faces("faces.toml", _toml(edit))
    assert str(err.value).startswith("faces.toml: key ") and names in str(err.value)
