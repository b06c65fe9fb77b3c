"""Finds faces with dlib's HOG frontal face detector, at the sizes and turns the checks need."""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kyctui.domain.photos.decode import _TRANSPOSE, DECODE_ERRORS
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.sniff import DECODABLE
from kyctui.locations import cache_dir

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Gray = NDArray[np.uint8]

# Quarter turns (counter-clockwise) tried in order until a face shows: upright, sideways either
# way, upside down. The detector only finds faces within about 30° of upright.
TURNS = (0, 1, 3, 2)
# The fine pass (the portrait on a held ID, a document photographed from afar) reads the file
# again at about 4× the analysis size: such a face is 60-90 px there, ~20 px at analysis size,
# under the ~40 px the detector finds in an image it upsamples once. At this size it finds
# faces down to ~70 px without upsampling, which measured as sure as upsampling half the size
# (scores 1.0-1.4 against 0.8-1.5), at the same cost (~250 ms for 12 MP on one core).
FINE_LONG_SIDE = 2016
# A photo smaller than this share of FINE_LONG_SIDE is upsampled (doubled) until it is not,
# at most twice: a 1000 px photo once, a 500 px one twice.
_FINE_UPSAMPLE_BELOW = 0.75
_FINE_UPSAMPLE_MAX = 2
_SLACK = 1.05  # a decode this close to the size wanted is used as it comes (decode.py does too)
_MODEL = "frontal-face"
_lock = threading.Lock()  # one detection at a time: every thread shares the one detector


@dataclass(frozen=True)
class Face:
    """One detector box, clipped to the image it was found in."""

    left: int
    top: int
    right: int  # exclusive
    bottom: int  # exclusive
    score: float  # the detector's confidence; 0 is its own threshold

    @property
    def area(self) -> int:
        """Pixels inside the box."""
        return max(0, self.right - self.left) * max(0, self.bottom - self.top)


@dataclass(frozen=True)
class Detection:
    """The faces found in one image, largest first, and what they are measured against."""

    faces: tuple[Face, ...]
    frame_area: int  # pixels of the image searched
    turns: int  # quarter turns (counter-clockwise) the photo needed for the faces to show

    def share(self, face: Face) -> float:
        """The face's box area as a fraction of the photo's area."""
        return face.area / self.frame_area if self.frame_area else 0.0


def load_detector(folder: Path) -> Any:
    """dlib's frontal face detector, from the copy saved in `folder` when there is a sound one.

    dlib builds it by unpacking a model compiled into the library, which takes 0.7-1.3 s; the
    saved copy loads in ~5 ms. A copy whose name does not match its SHA-256 (cut short, damaged)
    is deleted and the detector built and saved again.
    """
    # By name: dlib ships no type hints, and mypy then needs no stub or override for it.
    dlib = importlib.import_module("dlib")
    prefix = f"dlib-{dlib.__version__}-{_MODEL}-"
    try:
        for entry in sorted(folder.glob(f"{prefix}*.svm")):
            digest = hashlib.sha256(entry.read_bytes()).hexdigest()[:16]
            if entry.stem.removeprefix(prefix) == digest:
                try:
                    return dlib.fhog_object_detector(str(entry))
                except RuntimeError:
                    pass
            entry.unlink(missing_ok=True)
    except OSError:
        pass  # an unreadable cache: build it (below) as on the first run
    detector = dlib.get_frontal_face_detector()
    _save(detector, folder, prefix)
    return detector


def _save(detector: Any, folder: Path, prefix: str) -> None:
    """Save the detector as `prefix` + its hash; the cache is a speed-up, so failures pass."""
    import tempfile  # ~6 ms, for the first run only

    tmp: str | None = None
    try:
        # 0700 for the folder and the one above (KYCTUI_DATA_DIR may be created here first).
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".detector-", suffix=".tmp")  # mode 0600
        os.close(fd)
        detector.save(tmp)
        digest = hashlib.sha256(Path(tmp).read_bytes()).hexdigest()[:16]
        os.replace(tmp, folder / f"{prefix}{digest}.svm")  # whole or not at all
        tmp = None
    except (OSError, RuntimeError):
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


@cache
def detector() -> Any:
    """The process's one detector (ImportError when dlib is missing or broken)."""
    return load_detector(cache_dir())


def find(
    gray: Gray,
    upsample: int,
    turns: Sequence[int] = TURNS,
    *,
    threshold: float = 0.0,
    retry_threshold: float | None = None,
) -> Detection:
    """Faces in a grayscale image, trying each quarter turn in `turns` until some show.

    `upsample` doubles the image that many times first: the detector finds faces from ~80 px,
    ~40 px upsampled once (at four times the cost). A face counts from `threshold` (0 is the
    detector's own) in the first turn, from `retry_threshold` (default: the same) in the others.
    """
    import numpy as np

    model = detector()
    height, width = gray.shape
    retry = threshold if retry_threshold is None else retry_threshold
    for attempt, turn in enumerate(turns):
        view = np.ascontiguousarray(np.rot90(gray, turn)) if turn else np.ascontiguousarray(gray)
        with _lock:
            rects, scores, _ = model.run(view, upsample, retry if attempt else threshold)
        vh, vw = view.shape
        # dlib's right and bottom are inclusive, and a box may reach past the edge.
        boxes = [(r.left(), r.top(), r.right() + 1, r.bottom() + 1) for r in rects]
        faces = [
            Face(max(0, x0), max(0, y0), min(vw, x1), min(vh, y1), float(s))
            for (x0, y0, x1, y1), s in zip(boxes, scores, strict=True)
        ]
        faces = [f for f in faces if f.area > 0]
        if faces:
            faces.sort(key=lambda f: (f.area, f.score), reverse=True)
            return Detection(tuple(faces), width * height, turn)
    return Detection((), width * height, 0)


def analysis_gray(photo: Photo) -> Gray:
    """The photo's analysis-size luma as the array the detector reads."""
    import numpy as np

    return np.asarray(photo.luma, dtype=np.uint8)


def fine_gray(path: Path, photo: Photo) -> tuple[Gray, int] | None:
    """The photo read again in grayscale at about FINE_LONG_SIDE (EXIF orientation applied), and
    the upsampling it needs; None when the file cannot be read again as it was checked."""
    import numpy as np
    from PIL import Image

    fmt = DECODABLE.get(photo.format)
    if fmt is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # as decode.py: damaged EXIF was reported there
            with Image.open(path, formats=[fmt]) as im:
                if im.size != (photo.width, photo.height):
                    return None  # the file changed since it was checked: never decode a stranger
                scale = min(1.0, FINE_LONG_SIDE / max(im.size))
                if fmt == "JPEG" and scale < 1:
                    # DCT scaling straight to luma: a 12 MP photo decodes at 1/2 in ~50 ms.
                    im.draft("L", (round(im.width * scale), round(im.height * scale)))
                gray = im.convert("L")
            # The analysis image's own turns, so a share means the same in both.
            for step in _TRANSPOSE.get(photo.orientation, []):
                gray = gray.transpose(step)
    except DECODE_ERRORS:
        return None
    if max(gray.size) > FINE_LONG_SIDE * _SLACK:
        s = FINE_LONG_SIDE / max(gray.size)
        size = (max(1, round(gray.width * s)), max(1, round(gray.height * s)))
        gray = gray.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    upsample = 0
    while upsample < _FINE_UPSAMPLE_MAX and (
        max(gray.size) << upsample < FINE_LONG_SIDE * _FINE_UPSAMPLE_BELOW
    ):
        upsample += 1
    return np.asarray(gray, dtype=np.uint8), upsample
