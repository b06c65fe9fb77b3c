"""The optional OCR engine (rapidocr on onnxruntime): whether it is installed; one shared engine.

rapidocr, onnxruntime and OpenCV take about a second to import, so nothing here imports them
until a photo is actually read; `ocr_available` only looks the packages up.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kyctui.domain.photos.result import Skipped
from kyctui.domain.photos.sniff import DECODABLE
from kyctui.knowledge.model import ExchangeRules
from kyctui.knowledge.ocr import load_ocr

if TYPE_CHECKING:
    from PIL import Image

EXTRA_MODULES = ("rapidocr", "onnxruntime")
Point = tuple[float, float]
# Corners in image pixels: top-left, top-right, bottom-right, bottom-left as the image shows them.
Quad = tuple[Point, Point, Point, Point]


def ocr_available() -> bool:
    """Whether the `ocr` extra is installed (looked up, not imported)."""
    return all(importlib.util.find_spec(name) is not None for name in EXTRA_MODULES)


def ocr_check_ids(kind: str, exchange: ExchangeRules) -> list[str]:
    """The OCR checks that apply to a photo of `kind` for `exchange`."""
    rules = load_ocr()
    ids = []
    if kind in rules.mrz_kinds.value:
        ids.append("doc.mrz")
    asks = exchange.statement_required.value and exchange.statement_word is not None
    if kind in rules.statement_kinds.value and asks:
        ids.append("doc.statement")
    return ids


def ocr_skips(kind: str, exchange: ExchangeRules) -> list[Skipped]:
    """The OCR checks that apply but cannot run because the extra is missing; [] otherwise."""
    ids = ocr_check_ids(kind, exchange)
    if not ids or ocr_available():
        return []
    command = load_ocr().install_command.value
    why = f"reading text from photos needs the optional OCR extra: {command}"
    return [Skipped(check_id, why) for check_id in ids]


@dataclass(frozen=True)
class ReadLine:
    """The text of one line image, with the recognizer's confidence in it and in each character."""

    text: str
    score: float  # 0-1, the mean of the characters'
    confidences: tuple[float, ...]  # one per character of `text`


def _quad(points: Any, scale: float = 1.0) -> Quad:
    p = [(float(x) * scale, float(y) * scale) for x, y in points]
    return (p[0], p[1], p[2], p[3])


class OcrEngine:
    """rapidocr with its bundled models and the angle classifier off (it turns MRZ lines upside
    down). One call at a time: rapidocr keeps each call's flags on the instance."""

    def __init__(self) -> None:
        # onnxruntime (1.2x on Linux) keeps a device id and queues usage events for Microsoft
        # under ~/.cache/Microsoft unless this is set before it loads; kyctui sends nothing.
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"
        # Imported by name: type checking must pass where the extra is not installed.
        rapidocr = importlib.import_module("rapidocr")
        importlib.import_module("onnxruntime").disable_telemetry_events()

        self._lock = threading.Lock()
        # Detection is given images already reduced by `detect`, so rapidocr must not resize
        # them again; text_score 0 keeps faint lines (legibility is judged here, not there).
        params = {
            "Global.use_cls": False,
            "Global.log_level": "critical",  # rapidocr must print nothing, text included
            "Global.text_score": 0.0,
            "Det.limit_type": "max",
            "Det.limit_side_len": load_ocr().read_long_side.value,
        }
        self._ocr = rapidocr.RapidOCR(params=params)

    def detect(self, image: Image.Image, long_side: int) -> list[Quad]:
        """Boxes of the text lines in `image`, found at `long_side` px, in `image`'s pixels."""
        from PIL import Image

        scale = min(1.0, long_side / max(image.size))
        small = image
        if scale < 1.0:
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            small = image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
        with self._lock:
            out = self._ocr(small, use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(out, "boxes", None)
        if boxes is None:
            return []
        return [_quad(box, 1.0 / scale) for box in boxes]

    def recognise(self, line: Image.Image) -> ReadLine:
        """The text of one straightened line image."""
        with self._lock:
            out = self._ocr(line, use_det=False, use_cls=False, use_rec=True, return_word_box=True)
        texts, scores = getattr(out, "txts", None), getattr(out, "scores", None)
        if not texts or not scores:
            return ReadLine("", 0.0, ())
        text = str(texts[0])
        words = getattr(out, "word_results", None) or [None]
        confs = [float(c) for c in getattr(words[0], "confs", None) or []]
        if len(confs) != len(text):  # not given per character: the line's score for each
            confs = [float(scores[0])] * len(text)
        return ReadLine(text, float(scores[0]), tuple(confs))


_engine: OcrEngine | None = None
_engine_lock = threading.Lock()


def ocr_engine() -> OcrEngine:
    """The process's one engine, created on first use (loading the models takes ~0.1 s)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = OcrEngine()
        return _engine


def open_for_ocr(path: Path, long_side: int, fmt: str | None = None) -> Image.Image:
    """The photo file again, RGB, EXIF orientation applied, its long side at most `long_side`.

    The analysis image is too small to read print from, and the file's bytes are gone by the
    time the checks run; a JPEG is decoded at reduced scale (draft mode), which costs about a
    tenth of a full decode. `fmt` is the sniffed format (Photo.format): only that decoder is
    tried, as when the photo was first decoded. Raises what Pillow raises for a file that
    changed or is damaged.
    """
    from PIL import Image, ImageOps

    formats = [DECODABLE[fmt]] if fmt in DECODABLE else None
    with warnings.catch_warnings():
        # As in decode.py: damaged EXIF and large images warn; nothing may reach stderr.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.simplefilter("ignore", UserWarning)
        with Image.open(path, formats=formats) as im:
            w, h = im.size
            scale = long_side / max(w, h)
            if im.format == "JPEG" and scale < 1:
                im.draft("RGB", (max(1, round(w * scale)), max(1, round(h * scale))))
            upright = ImageOps.exif_transpose(im).convert("RGB")
    if max(upright.size) > long_side:
        s = long_side / max(upright.size)
        size = (max(1, round(upright.width * s)), max(1, round(upright.height * s)))
        upright = upright.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return upright
