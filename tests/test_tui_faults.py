"""A full disk or a read-only folder while the wizard saves: the change stays on screen, the user
is told, and ctrl+s saves it once the disk is back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kyctui.domain.attempts import ItemState
from kyctui.domain.store import Store
from kyctui.domain.store_errors import StoreError
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets.checklist_item import ChecklistItemView
from tests.screens_tour import settle
from tests.tui_app import FIXED_NOW, test_app


async def test_a_failed_save_is_kept_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "passport", "environment", FIXED_NOW)
    app = test_app(tmp_path, resume=attempt.id)
    real_set_item = Store.set_item
    full = {"on": True}

    def set_item(self: Store, *args: Any) -> None:
        if full["on"]:
            raise StoreError("The disk is full: free some space.")
        real_set_item(self, *args)

    monkeypatch.setattr(Store, "set_item", set_item)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        item = wizard.query(ChecklistItemView).first()
        item.focus()
        await pilot.press("space")
        await settle(pilot)
        assert item.state is ItemState.DONE  # kept on screen
        assert any("ctrl+s" in n.message for n in app._notifications)
        assert wizard.check_action("retry_saving", ()) is True
        assert store.get_attempt(attempt.id).items.get(item.item.id) is None  # not on disk

        full["on"] = False  # space was freed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert store.get_attempt(attempt.id).items[item.item.id] is ItemState.DONE
        assert wizard.check_action("retry_saving", ()) is False
