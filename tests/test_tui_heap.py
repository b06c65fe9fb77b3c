"""What the interface freezes out of the garbage collector's scans, and that it is thawed and
collected when done with (a closed wizard's pages)."""

from __future__ import annotations

import gc
import sys
import types
import weakref
from pathlib import Path

from textual.pilot import Pilot

from kyctui.domain.store import Store
from kyctui.tui import heap
from kyctui.tui.screens.attempts import AttemptsScreen
from kyctui.tui.screens.wizard import WizardScreen
from tests.test_tui_steps import _all_built, _settle
from tests.tui_app import FIXED_NOW, test_app


def test_new_modules_are_frozen_out_of_the_collectors_scans() -> None:
    frozen_before = gc.get_freeze_count()
    sys.modules["kyctui_test_loaded_late"] = types.ModuleType("kyctui_test_loaded_late")
    try:
        heap.freeze_new_modules()
        assert gc.get_freeze_count() > frozen_before
        frozen = gc.get_freeze_count()
        heap.freeze_new_modules()  # nothing new loaded since: left as it is
        assert gc.get_freeze_count() == frozen
    finally:
        del sys.modules["kyctui_test_loaded_late"]
        gc.unfreeze()


async def _open_and_close(pilot: Pilot[None], attempt_id: int) -> weakref.ref[WizardScreen]:
    """Open an attempt's wizard, wait until its pages are built (and frozen), close it."""
    pilot.app.open_attempt(attempt_id)  # type: ignore[attr-defined]
    wizard = await _all_built(pilot)
    assert wizard.attempt.id == attempt_id
    assert gc.get_freeze_count() > 0  # its pages, frozen once built
    closed = weakref.ref(wizard)
    del wizard
    await pilot.press("escape")
    await _settle(pilot)
    await pilot.pause(0.4)  # past the collection (WizardScreen.on_unmount)
    assert isinstance(pilot.app.screen, AttemptsScreen)
    return closed


async def test_closed_wizards_are_collected_and_the_rest_frozen_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    first, second, third = (
        store.create_attempt("okx", "basic", "national-id", "documents", FIXED_NOW).id
        for _ in range(3)
    )
    async with test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        closed = [await _open_and_close(pilot, first), await _open_and_close(pilot, second)]
        closed.append(await _open_and_close(pilot, third))
        # Not kept frozen for ever: collected (the last one closed may still be held by its
        # finished workers when the collection runs; then it goes with the next one)...
        assert [ref() is None for ref in closed[:2]] == [True, True]
        # ...and what remains frozen again, so that full collections while the next wizard
        # is built do not scan all of it.
        assert gc.get_freeze_count() > 0


async def test_full_collections_are_rarer_while_the_app_runs(tmp_path: Path) -> None:
    before = gc.get_threshold()
    async with test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        running = gc.get_threshold()
        assert running == (*before[:2], 100)
    assert gc.get_threshold() == before  # as it was, for whatever runs next


def test_a_wizard_closed_with_the_app_freezes_nothing_after_it() -> None:
    heap.collect_rarely()
    heap.thaw()  # the app is done; its wizard's collection comes after
    heap.thaw_closed()
    assert gc.get_freeze_count() == 0
