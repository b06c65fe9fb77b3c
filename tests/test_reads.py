"""The content reads wired into every photo check: which kinds get faces, framing and text,
`--quick`, the `skipped` list when an extra is missing, and the profile held against the MRZ."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from datetime import datetime
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import mrz_factory as mf
import pytest
from skimage import data as skdata

from kyctui.cli import main
from kyctui.domain.photos import ocr_engine, reads
from kyctui.domain.photos.result import Earlier
from kyctui.domain.photos.runner import CheckContext, check_photos
from kyctui.domain.profile import Profile
from kyctui.knowledge import load_exchange
from tests.conftest import camera_jpeg_bytes

NOW = datetime(2026, 3, 14, 10, 0)
OKX = load_exchange("okx")
needs_ocr = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr") is None or not mf.OCR_B.exists(),
    reason="needs the ocr extra (pip install '.[ocr]') and the OCR-B font (apt fonts-ocr-b)",
)


def hide(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make `modules` look uninstalled to find_spec, as on a machine without the extra."""
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name in modules else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("kind", "exchange", "expected"),
    [
        ("id-front", "okx", {"faces": ("doc.portrait",), "framing": ("doc.bounds", "doc.tilt")}),
        ("id-back", "okx", {"framing": ("doc.bounds", "doc.tilt"), "text": ("doc.mrz",)}),
        (
            "passport",
            "okx",
            {
                "faces": ("doc.portrait",),
                "framing": ("doc.bounds", "doc.tilt"),
                "text": ("doc.mrz",),
            },
        ),
        ("selfie", "okx", {"faces": ("face.count", "face.size")}),
        (
            "selfie-with-id",
            "coinex",
            {"faces": ("face.count", "face.size"), "text": ("doc.statement",)},
        ),
        ("selfie-with-id", "generic", {"faces": ("face.count", "face.size")}),
        ("address-proof", "okx", {}),
    ],
)
def test_each_kind_gets_its_reads(
    kind: str, exchange: str, expected: dict[str, tuple[str, ...]]
) -> None:
    got = {read: ids for read, ids in reads.read_ids(kind, load_exchange(exchange)).items() if ids}
    assert got == expected


def test_default_check_runs_the_reads_of_an_id_front(
    capsys: pytest.CaptureFixture[str], camera_jpeg: Path
) -> None:
    _, doc = check_json(capsys, str(camera_jpeg), "--exchange", "okx")
    ids = [c["id"] for c in doc["photos"][0]["checks"]]
    assert {"doc.bounds", "doc.tilt", "doc.portrait"} <= set(ids)
    # Content reads come after the photo checks; the comparison stays last.
    assert ids.index("image.stale") < ids.index("doc.bounds") and ids[-1] == "image.duplicate"
    # The fixture is a landscape scene: no card is found, which is a warning, never a fail.
    bounds = next(c for c in doc["photos"][0]["checks"] if c["id"] == "doc.bounds")
    assert bounds["status"] == "warn"


def test_quick_lists_every_read_as_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    front, back = tmp_path / "front.jpg", tmp_path / "back.jpg"
    front.write_bytes(camera_jpeg_bytes())
    back.write_bytes(camera_jpeg_bytes(skdata.coffee))
    code = main(["check", "--json", "--quick", "--exchange", "okx", str(front), str(back)])
    doc = json.loads(capsys.readouterr().out)
    ids = {c["id"] for p in doc["photos"] for c in p["checks"]}
    assert not ids & {"doc.bounds", "doc.tilt", "doc.portrait", "doc.mrz"} and code in (0, 1)
    # One entry per id, however many photos would have had it, in the order the kinds give.
    skipped = [s["id"] for s in doc["skipped"]]
    assert skipped == ["doc.portrait", "doc.bounds", "doc.tilt"]
    assert all("--quick" in s["why"] for s in doc["skipped"])


def test_missing_extras_are_skipped_with_the_install_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hide(monkeypatch, "dlib", *ocr_engine.EXTRA_MODULES)
    page = mf.jpeg_file(mf.photographed(mf.passport_page(), frame=(1200, 900)), tmp_path / "p.jpg")
    code, doc = check_json(capsys, str(page), "--kind", "passport", "--exchange", "okx")
    ids = {c["id"] for c in doc["photos"][0]["checks"]}
    assert {"doc.bounds", "doc.tilt"} <= ids  # framing needs no extra
    assert not ids & {"doc.portrait", "doc.mrz"}
    why = {s["id"]: s["why"] for s in doc["skipped"]}
    assert set(why) == {"doc.portrait", "doc.mrz"}
    assert "pip install 'kyctui[faces]'" in why["doc.portrait"]
    assert "pip install 'kyctui[ocr]'" in why["doc.mrz"]
    # People read the same list at the end of the human output.
    main(["check", "--kind", "passport", str(page)])
    out = capsys.readouterr().out
    skipped = out.split("skipped (not checked, not passed):\n", 1)[1].splitlines()
    assert skipped[0].startswith("  - doc.portrait: ") and "kyctui[faces]" in skipped[0]
    assert skipped[1].startswith("  - doc.mrz: ") and "kyctui[ocr]" in skipped[1] and code in (0, 1)


def test_skips_follow_the_reads_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    hide(monkeypatch, *ocr_engine.EXTRA_MODULES)
    only_faces = frozenset({reads.FACES})
    skipped = reads.read_skips(["passport"], OKX, only_faces)
    assert [(s.id, "--quick" in s.why) for s in skipped] == [
        ("doc.bounds", True),
        ("doc.tilt", True),
        ("doc.mrz", True),
    ]
    # Asked for but not installed: the install command, not --quick.
    assert [s.id for s in reads.read_skips(["passport"], OKX)] == ["doc.mrz"]


@needs_ocr
def test_profile_in_the_context_is_held_against_the_zone(tmp_path: Path) -> None:
    """The runner passes the attempt's profile and document type to the MRZ read."""
    card = mf.Person(number="D23145890", personal="")
    shot = mf.photographed(mf.id_back(card), frame=(1600, 1200), background="rocket", fill=0.6)
    path = mf.jpeg_file(shot, tmp_path / "back.jpg", 80)
    ctx = replace(CheckContext.for_exchange("coinex", NOW), reads=frozenset({reads.TEXT}))
    same = Profile(full_name="Anna Maria Eriksson", document_number="D23145890")
    other = Profile(full_name="Anna Maria Eriksson", document_number="D23145899")
    results = {}
    for name, profile in (("same", same), ("other", other)):
        run = check_photos(
            [(path, "id-back")], replace(ctx, profile=profile, document_type="national-id")
        )
        (mrz,) = [c for c in run.reports[0].checks if c.id == "doc.mrz"]
        results[name] = mrz
    assert results["same"].status == "pass"
    assert results["other"].status == "fail" and "document number" in results["other"].message


def test_progress_names_each_stage(tmp_path: Path) -> None:
    """The app shows these while a photo is checked; a passport page goes through them all."""
    page = mf.jpeg_file(mf.photographed(mf.passport_page(), frame=(1200, 900)), tmp_path / "p.jpg")
    seen: list[str] = []
    ctx = replace(CheckContext.for_exchange("okx", NOW), progress=seen.append)
    check_photos([(page, "passport")], replace(ctx, reads=frozenset({reads.FRAMING})))
    assert seen == ["reading the file", "measuring sharpness, light and colour",
                    "locating the document"]  # fmt: skip
    seen.clear()
    earlier = (Earlier("the photo of a rejected attempt", "0" * 16),)
    check_photos([(page, "passport")], replace(ctx, reads=frozenset(), history=earlier))
    assert seen[-1] == "comparing with the other photos"
