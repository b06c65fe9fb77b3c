"""The one app factory, used by the CLI, the tests and the screenshot script."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kyctui.tui.app import KycApp

if TYPE_CHECKING:
    from kyctui.domain.store import Store


def _open_default_store() -> Store:
    """The user's store, opened by the app's first worker (SQLite stays off the start-up path)."""
    from kyctui.domain.store import Store

    return Store.open_default()


def make_app(
    *,
    store: Store | Callable[[], Store] | None = None,
    clock: Callable[[], datetime] | None = None,
    resume: int | None = None,
    picker_start: Path | None = None,
) -> KycApp:
    """Build the app; the defaults are what a user gets (the real store and clock)."""
    return KycApp(
        store=store or _open_default_store,
        # Aware and in the user's own zone, so `KycApp.local` shows times as their clock does.
        clock=clock or (lambda: datetime.now().astimezone()),
        resume=resume,
        picker_start=picker_start,
    )
