"""Builds the app for tests and snapshots: a temporary store and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kyctui.domain.store import Store
from kyctui.tui.app import KycApp
from kyctui.tui.factory import make_app

FIXED_NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


def test_app(data_dir: Path, resume: int | None = None) -> KycApp:
    """The real app on the store in `data_dir`, with the clock stopped at FIXED_NOW."""
    store = Store(data_dir / "kyctui.sqlite3")
    return make_app(store=store, clock=lambda: FIXED_NOW, resume=resume, picker_start=data_dir)


test_app.__test__ = False  # type: ignore[attr-defined]  # a factory, not a test
