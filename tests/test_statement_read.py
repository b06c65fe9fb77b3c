"""doc.statement: today's date and the exchange's word looked for on a handheld paper written
in a slanted hand, in a selfie; what is not found is a warning, never a failure."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import mrz_factory as mf
import photo_factory as pf
import pytest

from kyctui.domain.photos.ocr_checks import ocr_checks
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.photos.statement_read import (
    dates_written,
    statement_photo_checks,
    statement_result,
    word_written,
)
from kyctui.knowledge import load_exchange, load_photo_limits

TODAY = date(2026, 3, 14)

needs_ocr = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr") is None or not mf.DEJAVU_OBLIQUE.exists(),
    reason="needs the ocr extra (pip install '.[ocr]') and the DejaVu fonts",
)


# ---------------------------------------------------------------------------------------------
# What counts as found (no OCR needed)


def test_dates_read_with_handwriting_lookalikes() -> None:
    """O for 0 and l for 1 are how handwritten digits come back; year first is noted."""
    assert dates_written(["2O26/O3/l4"]) == {TODAY: True}
    assert dates_written(["14.03.2026"]) == {TODAY: False}
    assert dates_written(["2026 / 03", "/ 14"]) == {TODAY: True}  # split over two lines
    assert dates_written(["CoinEx", "no date here"]) == {}


def test_word_found_in_any_capitals_one_letter_off() -> None:
    assert word_written(["Coin Ex"], "CoinEx", 1)
    assert word_written(["coinex"], "CoinEx", 1)
    assert word_written(["CoimEx"], "CoinEx", 1)
    assert not word_written(["Binance"], "CoinEx", 1)


@pytest.mark.parametrize(
    ("texts", "status", "says"),
    [
        (["2026/03/14", "CoinEx"], Status.PASS, 'Today\'s date and "CoinEx" are on the paper'),
        (["2026/03/13", "CoinEx"], Status.WARN, "not today's (2026/03/14)"),
        (["14/03/2026", "CoinEx"], Status.WARN, "not as year/month/day"),
        (["2026/03/14"], Status.WARN, 'Could not read the word "CoinEx"'),
        (["CoinEx"], Status.WARN, "Could not read today's date (2026/03/14)"),
        ([], Status.WARN, "Text not legible"),
    ],
)
def test_never_a_failure(texts: list[str], status: Status, says: str) -> None:
    result = statement_result(texts, "CoinEx", TODAY)
    assert result.id == "doc.statement" and result.status is status and says in result.message
    assert result.limit == "2026/03/14 CoinEx"


# ---------------------------------------------------------------------------------------------
# Read from photographs


def _selfie(tmp_path: Path, lines: tuple[str, ...]) -> Path:
    return mf.jpeg_file(mf.statement_selfie(lines, frame=(1200, 1600)), tmp_path / "s.jpg", 80)


def _check(path: Path, exchange: str = "coinex", kind: str = "selfie-with-id") -> list[CheckResult]:
    photo = pf.decode(path.read_bytes(), kind=kind, name=path.name)
    return statement_photo_checks(photo, path, load_exchange(exchange), load_photo_limits(), TODAY)


@needs_ocr
def test_statement_with_today_and_the_word_passes(tmp_path: Path) -> None:
    (result,) = _check(_selfie(tmp_path, ("2026/03/14", "CoinEx")))
    assert result.status is Status.PASS, result.message


@needs_ocr
def test_yesterdays_statement_warns(tmp_path: Path) -> None:
    (result,) = _check(_selfie(tmp_path, ("2026/03/13", "CoinEx")))
    assert result.status is Status.WARN and "not today's" in result.message


@needs_ocr
def test_selfie_without_paper_warns(tmp_path: Path) -> None:
    path = mf.jpeg_file(pf.real_photo("astronaut"), tmp_path / "face.jpg")
    (result,) = _check(path)
    assert result.status is Status.WARN and "check" in result.message.lower()


def test_only_where_the_exchange_asks(tmp_path: Path) -> None:
    """OKX and the generic rules ask for no handheld statement; other kinds are not read."""
    path = mf.jpeg_file(pf.real_photo("astronaut"), tmp_path / "face.jpg")
    assert _check(path, exchange="okx") == []
    assert _check(path, exchange="generic") == []
    assert _check(path, kind="selfie") == []
    photo = pf.decode(path.read_bytes(), kind="selfie", name=path.name)
    coinex = load_exchange("coinex")
    assert ocr_checks(photo, path, coinex, load_photo_limits(), TODAY) == []


@needs_ocr
def test_engine_leaves_no_telemetry(tmp_path: Path) -> None:
    """onnxruntime keeps a device id and queues usage events under ~/.cache/Microsoft unless
    told not to before it loads; loading the engine must leave the home folder untouched."""
    code = "from kyctui.domain.photos.ocr_engine import ocr_engine; ocr_engine()"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("ORT_DISABLE_TELEMETRY", None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert list(tmp_path.rglob("*")) == []
