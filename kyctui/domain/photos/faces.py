"""Face checks: one face of the right size on selfies (face.count, face.size), a portrait on
the ID's front and the passport page (doc.portrait)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Skipped, Status
from kyctui.knowledge import ExchangeRules, PhotoLimits

if TYPE_CHECKING:  # imported when the checks run: `kyctui check` on an ID's back never pays
    from kyctui.domain.photos.face_detect import Detection, Face
    from kyctui.knowledge.faces import FaceRules

# The command that installs the detector (the lead may turn it into an extra's).
INSTALL = "pip install 'kyctui[faces]'"
CHECKS: dict[str, tuple[str, ...]] = {
    "selfie": ("face.count", "face.size"),
    "selfie-with-id": ("face.count", "face.size"),
    "id-front": ("doc.portrait",),
    "passport": ("doc.portrait",),
}
_TURNED = {1: "sideways", 3: "sideways", 2: "upside down"}


def faces_available() -> bool:
    """Whether the face detector (dlib) is installed; cheap: found, not imported (~30 ms)."""
    return importlib.util.find_spec("dlib") is not None


def face_skips(kinds: Iterable[str] | None = None) -> list[Skipped]:
    """The face checks `kinds` would get (all three ids without kinds), as skipped for want of
    the detector: for the top-level `skipped` list when faces_available() is False."""
    groups = CHECKS.values() if kinds is None else [CHECKS.get(kind, ()) for kind in kinds]
    ids = dict.fromkeys(i for group in groups for i in group)  # ordered, without repeats
    why = f"the face detector (dlib) is not installed: {INSTALL}"
    return [Skipped(i, why) for i in ids]


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _others(detection: Detection, rules: FaceRules) -> list[Face]:
    """Faces besides the largest that the detector is sure enough of to count."""
    floor = rules.confident_score.value
    return [f for f in detection.faces[1:] if f.score >= floor]


def _split(detection: Detection, rules: FaceRules) -> tuple[list[Face], list[Face]]:
    """(other faces of a size with the largest: people, much smaller ones)."""
    floor = rules.similar_face_area.value * detection.faces[0].area
    others = _others(detection, rules)
    return [f for f in others if f.area >= floor], [f for f in others if f.area < floor]


def _upright(result: CheckResult, detection: Detection, rules: FaceRules) -> CheckResult:
    """A face found only with the photo turned: say so, and a pass becomes a warning."""
    turned = _TURNED.get(detection.turns)
    if turned is None:
        return result
    note = f" (found only with the photo turned: it is stored {turned})"
    status = Status.WARN if result.status is Status.PASS else result.status
    fix = result.fix or rules.advice["sideways"].fix
    return CheckResult(result.id, status, result.value, result.limit, result.message + note, fix)


def _count(detection: Detection, kind: str, rules: FaceRules) -> CheckResult:
    advice = rules.advice
    with_id = kind == "selfie-with-id"
    limit = "1 + the ID's portrait" if with_id else "1"
    if not detection.faces:
        message = "face not visible: no face found, upright or turned"
        return CheckResult("face.count", Status.FAIL, 0, limit, message, advice["face-missing"].fix)
    people, small = _split(detection, rules)
    count = 1 + len(people) + len(small)
    if people:
        message = f"{1 + len(people)} faces of similar size: only the account owner may appear"
        return CheckResult(
            "face.count", Status.FAIL, count, limit, message, advice["other-person"].fix
        )
    if with_id and not small:
        message = "your face is visible, but not the portrait on the ID"
        fix = advice["id-portrait-missing"].fix
        result = CheckResult("face.count", Status.WARN, count, limit, message, fix)
    elif with_id:
        message = "your face and the portrait on the ID are visible"
        result = CheckResult("face.count", Status.PASS, count, limit, message)
    elif small:
        largest = max(detection.share(f) for f in small)
        message = (
            f"another, smaller face is visible ({_pct(largest)} of the photo): only the "
            "account owner may appear"
        )
        fix = advice["background-face"].fix
        result = CheckResult("face.count", Status.WARN, count, limit, message, fix)
    else:
        result = CheckResult("face.count", Status.PASS, count, limit, "one face, yours")
    return _upright(result, detection, rules)


def _size(detection: Detection, rules: FaceRules) -> CheckResult:
    low, high = rules.selfie_share_min.value, rules.selfie_share_max.value
    limit = f"{low}-{high}"
    if not detection.faces:
        message = "not measured: no face found"
        fix = rules.advice["face-missing"].fix
        return CheckResult("face.size", Status.FAIL, None, limit, message, fix)
    share = detection.share(detection.faces[0])
    value = round(share, 3)
    aim = f"aim for {_pct(low)} to {_pct(high)}"
    if share < low:
        message = f"too far: your face fills {_pct(share)} of the photo ({aim})"
        fix = rules.advice["too-far"].fix
        return CheckResult("face.size", Status.FAIL, value, limit, message, fix)
    if share > high:
        message = f"too close: your face fills {_pct(share)} of the photo ({aim})"
        fix = rules.advice["too-close"].fix
        return CheckResult("face.size", Status.FAIL, value, limit, message, fix)
    message = f"your face fills {_pct(share)} of the photo"
    return CheckResult("face.size", Status.PASS, value, limit, message)


def _portrait(detection: Detection, rules: FaceRules) -> CheckResult:
    most = rules.portrait_share_max.value
    limit = f"<= {most}"
    if not detection.faces:
        message = "no portrait found on the document, upright or turned"
        fix = rules.advice["doc-portrait-missing"].fix
        return CheckResult("doc.portrait", Status.FAIL, None, limit, message, fix)
    share = detection.share(detection.faces[0])
    if share > most:
        message = (
            f"a face fills {_pct(share)} of the photo, far more than a document's portrait: "
            "is it a selfie?"
        )
        fix = rules.advice["doc-face-too-large"].fix
        return CheckResult("doc.portrait", Status.FAIL, round(share, 3), limit, message, fix)
    message = f"portrait found ({_pct(share)} of the photo)"
    result = CheckResult("doc.portrait", Status.PASS, round(share, 3), limit, message)
    return _upright(result, detection, rules)


def _coarse(photo: Photo, rules: FaceRules) -> Detection:
    """Faces at analysis size, upsampled once: from ~0.6% of the photo (a selfie's face, a
    second person even far behind, the portrait of a document filling half the frame)."""
    from kyctui.domain.photos import face_detect

    sure = rules.confident_score.value
    return face_detect.find(face_detect.analysis_gray(photo), 1, retry_threshold=sure)


def _selfie_detection(photo: Photo, path: Path, rules: FaceRules) -> Detection:
    from kyctui.domain.photos import face_detect

    coarse = _coarse(photo, rules)
    if photo.kind != "selfie-with-id" or not coarse.faces or _split(coarse, rules)[1]:
        return coarse
    # The portrait on a held ID is ~0.2-0.5% of the photo: look again, finer, as turned.
    fine = face_detect.fine_gray(path, photo)
    if fine is None:
        return coarse
    again = face_detect.find(fine[0], fine[1], (coarse.turns,))
    return again if again.faces else coarse


def _document_detection(photo: Photo, path: Path, rules: FaceRules) -> Detection:
    from kyctui.domain.photos import face_detect

    coarse = _coarse(photo, rules)
    if coarse.faces:
        return coarse
    # A document filling under ~40% of the photo's width has a portrait too small for the
    # analysis image: one finer look, upright, before saying there is none. A second look is
    # one more chance of a stray hit: what it finds must be as sure as a turned face.
    fine = face_detect.fine_gray(path, photo)
    if fine is None:
        return coarse
    return face_detect.find(fine[0], fine[1], (0,), threshold=rules.confident_score.value)


def face_checks(
    photo: Photo,
    path: Path,
    exchange: ExchangeRules,
    limits: PhotoLimits,
    rules: FaceRules | None = None,
) -> list[CheckResult]:
    """face.count and face.size for selfies, doc.portrait for the ID's front and the passport
    page, nothing for other kinds. `path` is read again only when small faces are looked for
    (the ID held in a selfie, a document photographed from afar).

    Call only when faces_available(); a detector that is installed but cannot load gives each
    check as failed, saying why.
    """
    from kyctui.knowledge.faces import load_faces

    ids = CHECKS.get(photo.kind, ())
    if not ids:
        return []
    rules = rules or load_faces()
    try:
        if photo.kind in ("id-front", "passport"):
            return [_portrait(_document_detection(photo, path, rules), rules)]
        detection = _selfie_detection(photo, path, rules)
    except (ImportError, RuntimeError) as exc:
        # One line, no path (it may hold a user name): the exception's type says enough.
        why = f"the face detector could not run ({type(exc).__name__})"
        fix = f"Reinstall it: {INSTALL} --force-reinstall"
        return [CheckResult(i, Status.FAIL, None, None, why, fix) for i in ids]
    return [_count(detection, photo.kind, rules), _size(detection, rules)]
