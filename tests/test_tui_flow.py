"""Pilot-driven flows: a new attempt walked through, photos attached, quit, resumed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Select

from kyctui.domain.attempts import ItemState
from kyctui.domain.photos.result import Status
from kyctui.domain.store import Store
from kyctui.tui.screens.attempts import AttemptsScreen
from kyctui.tui.screens.new_attempt import NewAttemptModal
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets.check_table import CheckTable
from kyctui.tui.widgets.checklist_item import ChecklistItemView
from kyctui.tui.widgets.photo_slot import PhotoSlotView
from tests.conftest import camera_jpeg_bytes
from tests.tui_app import FIXED_NOW, test_app

SIZE = (120, 40)


async def _wait_workers(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_empty_state_says_what_to_do(tmp_path: Path) -> None:
    async with test_app(tmp_path).run_test(size=SIZE) as pilot:
        await _wait_workers(pilot)
        assert isinstance(pilot.app.screen, AttemptsScreen)
        assert "Press n to start one" in str(pilot.app.screen.query_one("#empty").render())


async def test_new_attempt_walk_attach_quit_resume(tmp_path: Path) -> None:
    good = tmp_path / "good.jpg"
    good.write_bytes(camera_jpeg_bytes(size=(2000, 1500), when=FIXED_NOW.replace(tzinfo=None)))
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a photo")

    app = test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_workers(pilot)
        await pilot.press("n")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, NewAttemptModal)
        modal.query_one("#exchange", Select).value = "coinex"
        await pilot.pause()
        modal.query_one("#document", Select).value = "passport"
        await pilot.click("#start")
        await _wait_workers(pilot)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        assert wizard.current.step.id == "documents"
        slots = [s.slot.kind for s in wizard.query(PhotoSlotView)]
        assert slots[0] == "passport" and "selfie-with-id" in slots

        # A passing photo into the passport slot, a failing file into the selfie slot.
        wizard.attach("passport", good)
        await _wait_workers(pilot)
        wizard.attach("selfie", bad)
        await _wait_workers(pilot)
        assert wizard.attempt.photos["passport"].verdict is not Status.FAIL
        assert wizard.attempt.photos["selfie"].verdict is Status.FAIL
        wizard.query_one(".slot-selfie", PhotoSlotView).focus()
        await pilot.pause()
        assert wizard.query_one(CheckTable).row_count > 0

        # Walk every step, ticking the first item of each.
        visited = []
        while True:
            visited.append(wizard.current.step.id)
            items = list(wizard.query(ChecklistItemView))
            manual = [i for i in items if i.item.checked_by != "photos"]
            if manual:
                manual[0].focus()
                await pilot.press("space")
            if wizard.current.step.id == "ready":
                break
            await pilot.press("right_square_bracket")
            await pilot.pause()
        assert visited == [p.step.id for p in wizard.plan]
        assert "statement" in visited
        summary = str(wizard.query_one(".ready-summary").render())
        assert "Not ready yet" in summary and "Selfie" in summary
        await pilot.press("left_square_bracket")
        await _wait_workers(pilot)
        step_left_on = wizard.current.step.id
        ticked = {k: v for k, v in wizard.attempt.items.items() if v is ItemState.DONE}
        await pilot.press("q")

    # What was shown as saved is in the database.
    stored = Store(tmp_path / "kyctui.sqlite3").get_attempt(wizard.attempt.id)
    assert stored.step == step_left_on
    assert {k for k, v in stored.items.items() if v is ItemState.DONE} == set(ticked)

    # Start again: the attempt is highlighted and enter continues it where it was left.
    app2 = test_app(tmp_path)
    async with app2.run_test(size=SIZE) as pilot:
        await _wait_workers(pilot)
        table = app2.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("enter")
        await _wait_workers(pilot)
        resumed = app2.screen
        assert isinstance(resumed, WizardScreen)
        assert resumed.current.step.id == step_left_on
        assert resumed.attempt.photos["selfie"].verdict is Status.FAIL
        assert resumed.attempt.photos["passport"].sha256 == stored.photos["passport"].sha256


async def test_delete_asks_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    store.create_attempt("okx", "basic", "passport", "documents", FIXED_NOW)
    app = test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_workers(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")  # no: nothing deleted
        await _wait_workers(pilot)
        assert len(store.list_attempts()) == 1
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await _wait_workers(pilot)
        assert store.list_attempts() == []


async def test_resume_opens_the_wizard(tmp_path: Path) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "national-id", "documents", FIXED_NOW)
    store.set_step(attempt.id, "environment", FIXED_NOW)
    app = test_app(tmp_path, resume=attempt.id)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_workers(pilot)
        assert isinstance(app.screen, WizardScreen)
        assert app.screen.current.step.id == "environment"


async def test_paste_a_path_attaches_it(tmp_path: Path) -> None:
    good = tmp_path / "my photo.jpg"
    good.write_bytes(camera_jpeg_bytes(when=FIXED_NOW.replace(tzinfo=None)))
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "national-id", "documents", FIXED_NOW)
    app = test_app(tmp_path, resume=attempt.id)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_workers(pilot)
        from textual import events

        app.screen.post_message(events.Paste(f"'{good}'"))
        await pilot.pause()
        await _wait_workers(pilot)
        assert "id-front" in store.get_attempt(attempt.id).photos
        # A megabyte of pasted text is refused at once, not parsed.
        app.screen.post_message(events.Paste("x" * 1_000_000 + "\n"))
        await _wait_workers(pilot)
