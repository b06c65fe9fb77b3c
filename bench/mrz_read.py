"""Benchmark of doc.mrz: seconds to read the MRZ of a 12 MP phone photo, and the extra's size.

Run:  .venv/bin/python bench/mrz_read.py [--reps N] [--keep DIR]

Needs the `ocr` extra, the test extra (scikit-image's photographs) and the OCR-B font
(Debian fonts-ocr-b). Passport pages and a card back are rendered by tests/mrz_factory.py,
photographed on real backgrounds in several poses at 4032 × 3024 and saved as JPEGs; then:

1. warm: median and worst seconds of re-decoding one photo for the OCR and reading its zone
   (`open_for_ocr` + `read_photo_mrz`) once the engine is loaded. Goal: under 1.5 s per photo.
2. cold: seconds of a fresh process importing the OCR engine, loading its models and reading one
   photo (paid once per run of kyctui, in the worker).
3. size: disk space of the packages the extra adds to the default install (from their RECORDs).

The exit status is 0 whatever the results (benchmarks report, they do not fail CI).
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make `kyctui` importable
    sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 1.5
SIZE_12MP = (4032, 3024)
EXTRA = ("rapidocr", "onnxruntime")
# What the default install already holds (pyproject.toml dependencies) and so is not counted.
CORE = ("textual", "pillow", "imagehash", "python-dateutil", "platformdirs", "numpy",
        "textual-image")  # fmt: skip


def make_photos(folder: Path) -> dict[str, Path]:
    """Write the benchmark's phone photos into `folder`: name → path."""
    sys.path.insert(0, str(ROOT / "tests"))
    mf = importlib.import_module("mrz_factory")  # tests/ is a folder of scripts, not a package

    page, card = mf.passport_page(), mf.id_back()
    poses: dict[str, tuple[Any, dict[str, Any], int]] = {
        "passport, straight": (page, {"background": "coffee"}, 90),
        "passport, tilted and blurred": (
            page,
            {"background": "chelsea", "angle": 8, "keystone": 0.08, "blur": 2.5},
            60,
        ),
        "passport, upside down": (page, {"background": "rocket", "upside_down": True}, 85),
        "passport, small in frame": (page, {"background": "coffee", "fill": 0.4}, 85),
        "card back, turned": (card, {"background": "rocket", "fill": 0.6, "angle": -12}, 80),
    }
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for i, (name, (doc, options, quality)) in enumerate(poses.items()):
        image = mf.photographed(doc, frame=SIZE_12MP, **options)
        out[name] = mf.jpeg_file(image, folder / f"mrz{i}.jpg", quality)
    return out


def read_once(path: Path) -> tuple[float, bool]:
    """Seconds to re-decode `path` for the OCR and read its zone; whether it read right."""
    from kyctui.domain.photos.mrz_read import read_photo_mrz
    from kyctui.domain.photos.ocr_engine import open_for_ocr
    from kyctui.knowledge.ocr import load_ocr

    start = time.perf_counter()
    reading = read_photo_mrz(open_for_ocr(path, load_ocr().read_long_side.value))
    return time.perf_counter() - start, reading.valid


def cold_seconds(path: Path) -> float:
    """Wall seconds of a fresh process importing the engine and reading one photo."""
    code = (
        "import sys, time; t = time.perf_counter(); sys.path.insert(0, sys.argv[2]);"
        "from bench.mrz_read import read_once; read_once(__import__('pathlib').Path(sys.argv[1]));"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(out.stdout.strip().splitlines()[-1])


def _closure(names: tuple[str, ...]) -> set[str]:
    """The distributions `names` need, themselves included (extras' optional needs left out)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        for req in requires:
            if "extra ==" in req:
                continue
            todo.append(req.split(";")[0].split("[")[0].split("<")[0].split(">")[0]
                        .split("=")[0].split("!")[0].split("~")[0].strip())  # fmt: skip
    return seen


def extra_size_mib() -> tuple[float, list[str]]:
    """MiB on disk of the distributions the extra adds to the default install, and their names."""
    added = sorted(_closure(EXTRA) - _closure(CORE))
    total = 0
    for name in added:
        for file in metadata.distribution(name).files or []:
            located = Path(str(file.locate()))
            if located.is_file():
                total += located.stat().st_size
    return total / 2**20, added


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="reads of each photo (median)")
    parser.add_argument("--keep", type=Path, help="write the photos here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        photos = make_photos(args.keep or Path(tmp))
        cold = cold_seconds(next(iter(photos.values())))
        print(f"cold process (import, load models, read one photo): {cold:.2f} s")
        medians = []
        for name, path in photos.items():
            runs = [read_once(path) for _ in range(args.reps)]
            median = statistics.median(seconds for seconds, _ in runs)
            medians.append(median)
            read = "read right" if all(ok for _, ok in runs) else "NOT READ"
            print(f"  {name:30} {median:5.2f} s  {read}")
        worst = max(medians)
        verdict = "ok" if worst < GOAL_SECONDS else "MISSED"
        print(f"warm, per 12 MP photo: median {statistics.median(medians):.2f} s, "
              f"worst {worst:.2f} s (goal < {GOAL_SECONDS} s): {verdict}")  # fmt: skip
    size, names = extra_size_mib()
    print(f"install size of the ocr extra: {size:.0f} MiB ({', '.join(names)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
