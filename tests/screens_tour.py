"""Drives the app to each screen, for the size tests, the snapshots and the screenshot script."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot

from kyctui.domain.photos.runner import CheckContext, check_photos
from kyctui.domain.store import Store
from kyctui.tui.app import KycApp
from tests.conftest import camera_jpeg_bytes
from tests.tui_app import FIXED_NOW

Step = Callable[[Pilot[None]], Awaitable[None]]


def seed_store(data_dir: Path) -> int:
    """An OKX attempt with a camera photo as ID front and a dark, small screenshot as ID back."""
    store = Store(data_dir / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "national-id", "documents", FIXED_NOW)
    naive_now: datetime = FIXED_NOW.replace(tzinfo=None)
    front = data_dir / "IMG_2041.jpg"
    front.write_bytes(camera_jpeg_bytes(size=(2400, 1800), when=naive_now))
    back = data_dir / "Screenshot_20261120-101500.png"
    from io import BytesIO

    from PIL import Image

    small = Image.open(BytesIO(camera_jpeg_bytes(size=(540, 405)))).point(lambda v: v // 5)
    small.save(back)
    ctx = CheckContext.for_exchange("okx", FIXED_NOW)
    for path, kind in ((front, "id-front"), (back, "id-back")):
        report = check_photos([(path, kind)], ctx, always_hash=True).reports[0]
        store.save_photo(attempt.id, report, FIXED_NOW)
    return attempt.id


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and the screen repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_first(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def new_attempt_modal(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)


async def documents_with_results(pilot: Pilot[None]) -> None:
    await open_first(pilot)
    await pilot.press("tab")  # the ID back slot, whose checks fail
    await settle(pilot)


async def environment_step(pilot: Pilot[None]) -> None:
    await open_first(pilot)
    for _ in range(2):
        await pilot.press("right_square_bracket")
    await settle(pilot)


async def ready_step(pilot: Pilot[None]) -> None:
    await open_first(pilot)
    for _ in range(8):
        await pilot.press("right_square_bracket")
    await settle(pilot)


async def profile_mismatch(pilot: Pilot[None]) -> None:
    """The profile step with a name one letter off the ID card's MRZ (issue 6)."""
    from textual.events import Paste

    await open_first(pilot)
    await pilot.press("right_square_bracket")
    await settle(pilot)
    await pilot.press(*"Anna Maria Erikson")  # the first input, focused when the step opens
    mrz = ("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F3405156UTO<<<<<<<<<<<0\n"
           "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")  # fmt: skip
    pilot.app.screen.query_one("#field-mrz").post_message(Paste(mrz))
    await pilot.pause(0.5)  # past the typing pause, after which the profile is saved and checked
    await settle(pilot)


async def help_modal(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def delete_confirm(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)


async def outcome_modal(pilot: Pilot[None]) -> None:
    from textual.widgets import Select

    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    await pilot.click("#result-rejected")
    pilot.app.screen.query_one("#reason", Select).value = "photo-unclear"
    await settle(pilot)


async def attempts_advice(pilot: Pilot[None]) -> None:
    """Two rejections for the same reason and one action ticked: the advice has escalated."""
    from datetime import timedelta

    from kyctui.domain.outcomes import Action, OutcomeResult
    from kyctui.tui.screens.attempts import AttemptsScreen

    await settle(pilot)
    app = pilot.app
    assert isinstance(app, KycApp)
    attempt_id = app.known_attempts[0].id
    for hours, message in ((6, "Your ID photo is blurry."), (2, "The photo is not clear.")):
        when = FIXED_NOW - timedelta(hours=hours)
        app.store.record_outcome(
            attempt_id, OutcomeResult.REJECTED, "photo-unclear", "", message, when, when
        )
    app.store.set_action(attempt_id, Action.WAITED, True, FIXED_NOW - timedelta(hours=1))
    assert isinstance(app.screen, AttemptsScreen)
    app.screen.reload()
    await settle(pilot)


async def export_screen(pilot: Pilot[None]) -> None:
    from kyctui.domain.sysinfo import SystemInfo
    from kyctui.tui.screens.export import ExportScreen

    await settle(pilot)
    app = pilot.app
    assert isinstance(app, KycApp)
    system = SystemInfo("Linux", "Debian GNU/Linux 12 (bookworm)", "xterm-256color")
    await app.push_screen(ExportScreen(app.known_attempts[0].id, system=system))
    await settle(pilot)


# name -> (seed the store first?, how to get there)
TOUR: dict[str, tuple[bool, Step]] = {
    "attempts-empty": (False, settle),
    "attempts": (True, settle),
    "new-attempt": (False, new_attempt_modal),
    "wizard-documents": (True, documents_with_results),
    "wizard-environment": (True, environment_step),
    "wizard-ready": (True, ready_step),
    "wizard-profile": (True, profile_mismatch),
    "help": (False, help_modal),
    "confirm-delete": (True, delete_confirm),
    "outcome": (True, outcome_modal),
    "attempts-advice": (True, attempts_advice),
    "export": (True, export_screen),
}
