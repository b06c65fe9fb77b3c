"""`kyctui check`: the contract's exit codes and JSON, and every kind of bad input."""

from __future__ import annotations

import io
import json
import os
import socket
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from kyctui.cli import main
from tests.conftest import camera_jpeg_bytes

STABLE_IDS = {
    "file.readable", "file.format", "file.size", "image.decode", "image.resolution",
    "image.blur", "image.brightness", "image.glare", "image.orientation", "image.screenshot",
    "image.color", "image.edited", "image.stale", "image.duplicate",
}  # fmt: skip
# The content reads of an ID's front: run, or listed as skipped when an extra is missing.
FRONT_READS = {"doc.bounds", "doc.tilt", "doc.portrait"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width×height but carries almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_json_contract(capsys: pytest.CaptureFixture[str], camera_jpeg: Path) -> None:
    code, out, _ = run(capsys, str(camera_jpeg), "--json", "--exchange", "okx")
    doc = json.loads(out)
    assert doc["version"] == 1
    (photo,) = doc["photos"]
    assert photo["path"] == str(camera_jpeg) and photo["kind"] == "id-front"
    ran = {c["id"] for c in photo["checks"]}
    skipped = {s["id"] for s in doc["skipped"]}
    assert ran & skipped == set() and ran | skipped == STABLE_IDS | FRONT_READS
    assert all(set(s) == {"id", "why"} and "pip install" in s["why"] for s in doc["skipped"])
    for check in photo["checks"]:
        assert set(check) == {"id", "status", "value", "limit", "message", "fix"}
        assert check["status"] in ("pass", "warn", "fail")
    statuses = {c["status"] for c in photo["checks"]}
    assert photo["verdict"] == (
        "fail" if "fail" in statuses else "warn" if "warn" in statuses else "pass"
    )
    assert code == (1 if photo["verdict"] == "fail" else 0)


def test_camera_photo_passes(capsys: pytest.CaptureFixture[str], camera_jpeg: Path) -> None:
    # The photo checks only: the fixture is a landscape scene, not a selfie's framing.
    code, out, _ = run(capsys, str(camera_jpeg), "--kind", "selfie", "--json", "--quick")
    failing = [c for c in json.loads(out)["photos"][0]["checks"] if c["status"] == "fail"]
    assert failing == [] and code == 0


def test_human_output_lines(capsys: pytest.CaptureFixture[str], camera_jpeg: Path) -> None:
    _, out, _ = run(capsys, str(camera_jpeg))
    assert out.splitlines()[0].startswith(f"{camera_jpeg} (id-front): ")
    assert "image.blur" in out and "\x1b[" not in out  # not a terminal: no colour


def test_same_photo_twice_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    front, back = tmp_path / "front.jpg", tmp_path / "back.png"
    front.write_bytes(camera_jpeg_bytes(size=(2000, 1500)))
    # The same picture, resized and re-encoded in another format.
    Image.open(front).resize((1500, 1125)).save(back, "PNG")
    code, out, _ = run(capsys, str(front), str(back), "--json")
    dup = [
        next(c for c in p["checks"] if c["id"] == "image.duplicate")
        for p in json.loads(out)["photos"]
    ]
    assert [d["status"] for d in dup] == ["fail", "fail"]
    assert "back.png" in dup[0]["message"] and code == 1


def test_different_photos_are_not_duplicates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from skimage import data

    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    a.write_bytes(camera_jpeg_bytes(data.astronaut))
    b.write_bytes(camera_jpeg_bytes(data.coffee))
    _, out, _ = run(capsys, str(a), str(b), "--json")
    for photo in json.loads(out)["photos"]:
        dup = next(c for c in photo["checks"] if c["id"] == "image.duplicate")
        assert dup["status"] == "pass" and dup["value"] > 8


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, words the message must contain)."""
    good = camera_jpeg_bytes()
    folder = tmp / "folder.jpg"
    folder.mkdir()
    fifo = tmp / "pipe.jpg"
    os.mkfifo(fifo)
    (tmp / "empty.jpg").write_bytes(b"")
    (tmp / "notes.jpg").write_text("these are my notes, not a photo\n")
    (tmp / "cut.jpg").write_bytes(good[: len(good) // 2])
    (tmp / "bomb.png").write_bytes(png_header_only(50000, 50000))
    (tmp / "IMG_1234.HEIC").write_bytes(
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\0" * 64
    )
    webp = io.BytesIO()
    Image.open(io.BytesIO(good)).save(webp, "WEBP")
    (tmp / "photo.webp").write_bytes(webp.getvalue())
    (tmp / "scan.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return {
        "missing": (tmp / "nope.jpg", "not found"),
        "directory": (folder, "folder"),
        "fifo": (fifo, "pipe"),
        "empty": (tmp / "empty.jpg", "empty"),
        "text": (tmp / "notes.jpg", "text file"),
        "truncated": (tmp / "cut.jpg", "truncated"),
        "bomb": (tmp / "bomb.png", "decompression bomb"),
        "heic": (tmp / "IMG_1234.HEIC", "HEIC"),
        "webp": (tmp / "photo.webp", "WEBP is not accepted"),
        "pdf": (tmp / "scan.pdf", "PDF is not accepted"),
    }


@pytest.mark.parametrize(
    "case",
    ["missing", "directory", "fifo", "empty", "text", "truncated", "bomb", "heic", "webp", "pdf"],
)
def test_bad_input_is_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    path, words = _bad_inputs(tmp_path)[case]
    good = tmp_path / "good.jpg"
    good.write_bytes(camera_jpeg_bytes())
    code, out, err = run(capsys, str(path), str(good), "--json", "--quick")
    doc = json.loads(out)
    bad_report, good_report = doc["photos"]
    assert bad_report["verdict"] == "fail"
    messages = " ".join(c["message"] for c in bad_report["checks"] if c["status"] == "fail")
    assert words in messages
    # The other photo of the same call is still checked in full.
    assert {c["id"] for c in good_report["checks"]} == STABLE_IDS
    assert code == 1 and "Traceback" not in err
    if case in ("missing", "directory", "fifo", "empty", "text", "truncated", "bomb", "heic"):
        (line,) = err.splitlines()
        assert str(path) in line and words in line


def test_nothing_readable_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "a.jpg"), str(tmp_path / "b.jpg"))
    assert code == 2 and len(err.splitlines()) == 2


def test_pdf_accepted_as_coinex_address_proof(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pdf = _bad_inputs(tmp_path)["pdf"][0]
    code, out, _ = run(
        capsys, str(pdf), "--kind", "address-proof", "--exchange", "coinex", "--json"
    )
    checks = {c["id"]: c for c in json.loads(out)["photos"][0]["checks"]}
    assert checks["file.format"]["status"] == "pass" and checks["image.decode"]["status"] == "warn"
    assert code == 0


def test_socket_refused_without_blocking(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "s.jpg"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        code, _, err = run(capsys, str(path))
    assert code == 2 and "socket" in err


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--kind", "selfie-stick", "x.jpg"], ["--exchange", "nasdaq", "x.jpg"], []):
        code, _, err = run(capsys, *args)
        assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("kyctui: ")


def test_non_utf8_name_in_a_real_process(tmp_path: Path) -> None:
    """Through the console entry point: a name with invalid UTF-8 is shown escaped."""
    raw = os.path.join(os.fsencode(tmp_path), b"ph\xffoto\x1b[31m.jpg")
    with open(raw, "wb") as fh:
        fh.write(camera_jpeg_bytes())
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "kyctui", "check", os.fsdecode(raw), "--json"],
        capture_output=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert doc["photos"][0]["path"].endswith("ph\\xffoto\\x1b[31m.jpg")
    assert b"\x1b[31m" not in result.stdout and b"Traceback" not in result.stderr
