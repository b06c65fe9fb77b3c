"""The terminal's side of issue 8: tiny sizes, resizes mid-way, huge pastes, control characters
in every input, and a crash report that shows no personal data."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from kyctui.tui.screens.too_small import TooSmallScreen
from kyctui.tui.screens.wizard import WizardScreen
from tests.conftest import camera_jpeg_bytes
from tests.screens_tour import TOUR, open_first, seed_store, settle
from tests.tui_app import test_app

SENTINEL = "Zebulon Quixotefield 1961-07-04"
CONTROL = "\x00\x07\x08\x1b[31m\x1b]52;c;aGk=\x07\t\r\x7f[bold]x[/]"


@pytest.mark.parametrize("screen", list(TOUR))
async def test_every_screen_at_40x12_shows_the_notice_then_comes_back(
    tmp_path: Path, screen: str
) -> None:
    seed, drive = TOUR[screen]
    if seed:
        seed_store(tmp_path)
    app = test_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot)
        under = app.screen
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "too small" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen is under  # what was open is still open, unchanged
        assert app.return_code is None


async def test_starting_small_shows_the_notice(tmp_path: Path) -> None:
    app = test_app(tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)


async def test_a_resize_during_a_check_and_a_modal_loses_nothing(tmp_path: Path) -> None:
    seed_store(tmp_path)
    photo = tmp_path / "selfie.jpg"
    photo.write_bytes(camera_jpeg_bytes(size=(2000, 1500)))
    app = test_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        wizard.attach("selfie", photo)
        await pilot.resize_terminal(40, 12)  # while the check runs
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert app.screen is wizard
        assert wizard.attempt.photos["selfie"].path == str(photo)
        await pilot.press("question_mark")  # a modal, then a resize under it
        await settle(pilot)
        modal = app.screen
        await pilot.resize_terminal(50, 14)
        await pilot.resize_terminal(90, 28)
        await pilot.pause()
        assert app.screen is modal
        assert app.return_code is None


async def _paste_into_every_field(pilot: Pilot[None], big: str) -> int:
    app = pilot.app
    fields = list(app.screen.query(Input)) + list(app.screen.query(TextArea))
    for field in fields:
        field.focus()
        await pilot.pause()
        field.post_message(events.Paste(big))
        field.post_message(events.Paste(CONTROL))
        await pilot.pause()
    await settle(pilot)
    assert app.return_code is None
    for field in fields:  # each kept a bounded amount: no megabyte re-checked on every key
        kept = field.value if isinstance(field, Input) else field.text
        assert len(kept) <= 5000, field.id
    return len(fields)


async def test_a_megabyte_paste_and_control_characters_in_every_input(tmp_path: Path) -> None:
    """Every Input and TextArea of the profile step, the outcome modal and the export screen."""
    attempt_id = seed_store(tmp_path)
    app = test_app(tmp_path)
    big = "A" * 1_000_000
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        await pilot.press("right_square_bracket")  # the profile step
        await settle(pilot)
        assert await _paste_into_every_field(pilot, big) >= 5
        app.action_record_outcome(attempt_id, "okx")
        await settle(pilot)
        assert await _paste_into_every_field(pilot, big) >= 2
        await pilot.press("escape")
        await settle(pilot)
        app.action_export(attempt_id)
        await settle(pilot)
        assert await _paste_into_every_field(pilot, big) >= 3


async def test_the_crash_report_hides_locals_and_messages(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    app = test_app(tmp_path)

    def boom() -> None:
        secret = SENTINEL  # a local the stock report would print
        raise ValueError(f"no match for {secret}")

    with pytest.raises(ValueError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.call_later(boom)
            await pilot.pause()
    report = capfd.readouterr().err
    assert "ValueError" in report and "saved" in report
    assert "Zebulon" not in report and "1961" not in report
