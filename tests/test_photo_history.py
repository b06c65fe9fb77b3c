"""The photos of rejected attempts are remembered: the same picture again, even re-encoded or
resized, is an image.duplicate warning naming the date and reason (issue 5)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from kyctui.cli import main
from kyctui.domain.outcomes import OutcomeResult
from kyctui.domain.photo_history import rejected_photos
from kyctui.domain.photos.duplicates import duplicate_check
from kyctui.domain.photos.result import Earlier, Status
from kyctui.domain.photos.runner import CheckContext, check_photos
from kyctui.domain.store import Store
from kyctui.locations import database_path
from tests.conftest import camera_jpeg_bytes

WHEN = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
A = "f0f0f0f0f0f0f0f0"


def test_a_rejected_picture_warns_and_a_twin_in_the_attempt_fails() -> None:
    rejected = Earlier("the id-front photo a.jpg rejected by OKX on 2026-11-20 (blurry)", A, True)
    twin = Earlier("the id-back photo of this attempt", A)
    far = Earlier("the selfie photo of this attempt", "0f0f0f0f0f0f0f0f")
    seen = duplicate_check(A, [rejected, far], 8)
    assert seen.status is Status.WARN and "rejected by OKX on 2026-11-20" in seen.message
    assert duplicate_check(A, [rejected, twin], 8).status is Status.FAIL
    assert duplicate_check(A, [far], 8).status is Status.PASS


def _rejected_attempt(photo: Path) -> Store:
    store = Store(database_path())
    attempt = store.create_attempt("okx", "basic", "national-id", "documents", WHEN)
    ctx = CheckContext.for_exchange("okx", WHEN)
    report = check_photos([(photo, "id-front")], ctx, always_hash=True).reports[0]
    store.save_photo(attempt.id, report, WHEN)
    store.record_outcome(
        attempt.id, OutcomeResult.REJECTED, "photo-unclear", "", "Blurry.", WHEN, WHEN
    )
    return store


def test_the_same_picture_resized_in_a_later_check_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "IMG_0001.jpg"
    first.write_bytes(camera_jpeg_bytes(size=(2000, 1500)))
    store = _rejected_attempt(first)
    (label,) = [e.label for e in rejected_photos(store, UTC)]
    assert "2026-11-20" in label and "OKX" in label and "IMG_0001.jpg" in label
    again = tmp_path / "IMG_0001 copy.jpg"  # re-saved smaller, as a messaging app would
    im = Image.open(first).resize((1200, 900))
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=70)
    again.write_bytes(buffer.getvalue())

    assert main(["check", str(again), "--exchange", "okx", "--json"]) in (0, 1)
    (photo,) = json.loads(capsys.readouterr().out)["photos"]
    duplicate = next(c for c in photo["checks"] if c["id"] == "image.duplicate")
    assert duplicate["status"] == "warn"
    assert "rejected by OKX on 2026-11-20" in duplicate["message"]


def test_a_check_never_creates_the_database(tmp_path: Path) -> None:
    photo = tmp_path / "IMG_0002.jpg"
    photo.write_bytes(camera_jpeg_bytes(size=(1600, 1200)))
    assert main(["check", str(photo)]) in (0, 1)
    assert not database_path().exists()
