"""The wizard runs the content reads with the attempt's profile, and shows the skipped ones."""

from __future__ import annotations

import importlib.util
from importlib.machinery import ModuleSpec
from pathlib import Path

import mrz_factory as mf
import pytest
from textual.pilot import Pilot

from kyctui.domain.photos import ocr_engine
from kyctui.domain.profile import Profile
from kyctui.domain.store import Store
from kyctui.tui.messages import PhotoCheckProgress
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets.check_table import CheckTable
from kyctui.tui.widgets.photo_slot import PhotoSlotView
from tests.tui_app import FIXED_NOW, test_app

SIZE = (120, 40)
needs_ocr = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr") is None or not mf.OCR_B.exists(),
    reason="needs the ocr extra (pip install '.[ocr]') and the OCR-B font (apt fonts-ocr-b)",
)


def card_back(tmp_path: Path) -> Path:
    person = mf.Person(number="D23145890", personal="")
    shot = mf.photographed(mf.id_back(person), frame=(1600, 1200), background="rocket", fill=0.6)
    return mf.jpeg_file(shot, tmp_path / "back.jpg", 80)


async def attach(pilot: Pilot[None], slot: str, path: Path) -> dict[str, tuple[str, str]]:
    """Attach `path` to `slot`, focus it, and read the table: id -> (status, what / fix)."""
    wizard = pilot.app.screen
    assert isinstance(wizard, WizardScreen)
    wizard.attach(slot, path)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    wizard.query_one(f".slot-{slot}", PhotoSlotView).focus()
    await pilot.pause()
    table = wizard.query_one(CheckTable)
    rows = (table.get_row_at(i) for i in range(table.row_count))
    return {str(row[0]): (str(row[1]), str(row[4])) for row in rows}


def new_attempt(tmp_path: Path, profile: Profile) -> int:
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "national-id", "documents", FIXED_NOW)
    for name, value in vars(profile).items():
        if value:
            store.set_profile_field(attempt.id, name, value, FIXED_NOW)
    return attempt.id


async def test_missing_extra_shows_skipped_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name in ocr_engine.EXTRA_MODULES else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    attempt = new_attempt(tmp_path, Profile())
    async with test_app(tmp_path, resume=attempt).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        rows = await attach(pilot, "id-back", card_back(tmp_path))
    assert rows["doc.mrz"][0] == "skipped" and "pip install 'kyctui[ocr]'" in rows["doc.mrz"][1]
    assert rows["doc.bounds"][0] in ("pass", "warn")  # framing needs no extra


@needs_ocr
async def test_zone_is_held_against_the_attempts_profile(tmp_path: Path) -> None:
    wrong = Profile(full_name="Anna Maria Eriksson", document_number="D23145899")
    attempt = new_attempt(tmp_path, wrong)
    async with test_app(tmp_path, resume=attempt).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        rows = await attach(pilot, "id-back", card_back(tmp_path))
    status, detail = rows["doc.mrz"]
    assert status == "fail" and "document number" in detail and "D2314" not in detail


async def test_slot_shows_the_stage_while_checking(tmp_path: Path) -> None:
    attempt = new_attempt(tmp_path, Profile())
    async with test_app(tmp_path, resume=attempt).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        wizard = pilot.app.screen
        assert isinstance(wizard, WizardScreen)
        view = wizard.query_one(".slot-id-back", PhotoSlotView)
        view.busy = True  # as attach() sets it while the worker runs
        wizard.post_message(PhotoCheckProgress("id-back", "reading the text"))
        await pilot.pause()
        assert "Checking… reading the text" in str(view.render())
        rows = await attach(pilot, "id-back", card_back(tmp_path))
        assert "doc.bounds" in rows and not view.busy and view.stage == ""
        assert "Checking" not in str(view.render())
