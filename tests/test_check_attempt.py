"""`kyctui check --attempt N`: the photo held against a saved attempt's exchange and profile."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

import mrz_factory as mf
import pytest

from kyctui.cli import main
from kyctui.domain.store import Store
from kyctui.locations import database_path

NOW = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
needs_ocr = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr") is None or not mf.OCR_B.exists(),
    reason="needs the ocr extra (pip install '.[ocr]') and the OCR-B font (apt fonts-ocr-b)",
)


def saved_attempt(exchange: str, **profile: str) -> int:
    store = Store(database_path())
    attempt = store.create_attempt(exchange, "basic", "national-id", "documents", NOW)
    for name, value in profile.items():
        store.set_profile_field(attempt.id, name, value, NOW)
    return attempt.id


def test_without_a_database_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], camera_jpeg: Path
) -> None:
    assert main(["check", "--attempt", "3", str(camera_jpeg)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no attempt #3" in err and "Traceback" not in err
    assert not database_path().exists()  # a check never creates the database


def test_unknown_attempt_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], camera_jpeg: Path
) -> None:
    saved_attempt("okx")
    assert main(["check", "--attempt", "99", str(camera_jpeg)]) == 2
    assert "Attempt 99 does not exist." in capsys.readouterr().err


def test_exchange_comes_from_the_attempt_unless_given(
    capsys: pytest.CaptureFixture[str], camera_jpeg: Path
) -> None:
    attempt = str(saved_attempt("coinex"))

    def size_limit(*extra: str) -> object:
        main(["check", "--json", "--quick", "--attempt", attempt, *extra, str(camera_jpeg)])
        checks = json.loads(capsys.readouterr().out)["photos"][0]["checks"]
        return next(c["limit"] for c in checks if c["id"] == "file.size")

    assert size_limit() == 5_000_000  # CoinEx's help centre: 5 MB
    assert size_limit("--exchange", "okx") == 10_000_000


@needs_ocr
def test_zone_is_held_against_the_attempts_profile(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    person = mf.Person(number="D23145890", personal="")
    shot = mf.photographed(mf.id_back(person), frame=(1600, 1200), background="rocket", fill=0.6)
    back = mf.jpeg_file(shot, tmp_path / "back.jpg", 80)
    attempt = saved_attempt("coinex", full_name="Anna Maria Eriksson", document_number="X1234567")
    code = main(["check", "--json", "--kind", "id-back", "--attempt", str(attempt), str(back)])
    checks = json.loads(capsys.readouterr().out)["photos"][0]["checks"]
    (mrz,) = [c for c in checks if c["id"] == "doc.mrz"]
    assert code == 1 and mrz["status"] == "fail" and "document number" in mrz["message"]
    assert "X1234567" not in mrz["message"] and "D23145890" not in mrz["message"]


def test_a_damaged_database_is_named_not_taken_for_an_empty_one(
    capsys: pytest.CaptureFixture[str], camera_jpeg: Path
) -> None:
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database at all" * 200)
    assert main(["check", "--attempt", "1", str(camera_jpeg)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no attempt #1" in err and "no attempts yet" not in err
    assert path.read_bytes().startswith(b"not a database")  # a check moves nothing aside
    # Without --attempt the photo is still checked, without the history.
    assert main(["check", "--quick", str(camera_jpeg)]) in (0, 1)
