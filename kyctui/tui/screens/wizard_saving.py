"""The wizard's saving: each change written off the UI thread, kept to retry when it fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from kyctui.domain.store import Store, StoreError

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp

    _Screen = Screen[None]
else:
    _Screen = object

# A change to save: what it is (for the message if it fails), and how to write it.
Change = tuple[str, Callable[[Store], object]]


class SavingChanges(_Screen):
    """Mixed into the wizard (screens/wizard.py): `_save` a change, ctrl+s to retry the failed."""

    app: KycApp
    _unsaved: list[Change]

    @work(thread=True, group="save")
    def _save(self, what: str, write: Callable[[Store], object]) -> None:
        """Run `write(store)` off the UI thread; tell the user if it did not reach the disk.

        A failed write (disk full, read-only folder, another window holding the lock) is kept,
        in order, and tried again with ctrl+s: the screen keeps showing the change meanwhile."""
        try:
            write(self.app.store)
        except StoreError as exc:
            self.app.call_from_thread(self._save_failed, what, write, str(exc))

    def _save_failed(self, what: str, write: Callable[[Store], object], reason: str) -> None:
        self._unsaved.append((what, write))
        self.refresh_bindings()
        self.notify(
            f"Not saved ({what}): {reason} Your change is kept on screen; press ctrl+s to retry.",
            severity="error",
            timeout=15,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_saving":
            return bool(self._unsaved)  # the key shows only while something is unsaved
        return True

    def action_retry_saving(self) -> None:
        pending, self._unsaved = self._unsaved, []
        self.refresh_bindings()
        self._retry(pending)

    @work(thread=True, group="save")
    def _retry(self, pending: list[Change]) -> None:
        for index, (_what, write) in enumerate(pending):
            try:
                write(self.app.store)
            except StoreError as exc:
                for later in pending[index:]:  # keep the rest, in order, for the next try
                    self.app.call_from_thread(self._save_failed, later[0], later[1], str(exc))
                return
        self.app.call_from_thread(self.notify, "Saved.", timeout=3)
