"""The App: screens, bindings, commands and the clock, wired together and nothing more."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding

from kyctui import __version__
from kyctui.domain.store_errors import StoreError
from kyctui.tui import heap
from kyctui.tui.commands import KycCommands
from kyctui.tui.screens.attempts import AttemptsScreen
from kyctui.tui.screens.too_small import TooSmallScreen, too_small

if TYPE_CHECKING:
    from kyctui.domain.attempts import AttemptSummary
    from kyctui.domain.store import Store
    from kyctui.tui.screens.new_attempt import NewAttempt

# Only the attempts screen is imported up front: the wizard, the modals and the knowledge files
# load when first used, so the first frame comes as soon after start as a bare Textual app's.


class KycApp(App[None]):
    """kyctui's terminal interface."""

    CSS_PATH = "app.tcss"
    TITLE = "kyctui"
    SUB_TITLE = f"identity verification, first time right · v{__version__}"
    COMMANDS = App.COMMANDS | {KycCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(
        self,
        store: Store | Callable[[], Store],
        clock: Callable[[], datetime],
        resume: int | None = None,
        picker_start: Path | None = None,
    ) -> None:
        super().__init__()
        # The store may be given as a way to open it: opened by the first worker that needs
        # it, so the first frame never waits on SQLite.
        self._store = None if callable(store) else store
        self._open_store = store if callable(store) else None
        self._store_lock = threading.Lock()
        self._clock = clock
        self.resume = resume
        self.picker_start = picker_start or Path.home()
        self.known_attempts: list[AttemptSummary] = []

    @property
    def store(self) -> Store:
        """The store, opened on first use (from a worker thread; may raise StoreError)."""
        with self._store_lock:
            if self._store is None:
                assert self._open_store is not None
                self._store = self._open_store()
                note = self._store.recovery_note
                if note is not None:  # a damaged database was moved aside: say so, once
                    self.call_from_thread(self.notify, note.message, severity="warning", timeout=30)
            return self._store

    def now(self) -> datetime:
        """The current time, timezone-aware (fixed in tests and screenshots)."""
        return self._clock()

    def local(self, when: datetime) -> datetime:
        """`when` in the clock's time zone: the user's (UTC in tests, whose clock is fixed)."""
        tz = self.now().tzinfo
        return when.astimezone(tz) if tz else when.astimezone()

    def get_default_screen(self) -> AttemptsScreen:
        # The attempts screen is the base screen itself: no blank screen composed under it.
        return AttemptsScreen()

    def on_mount(self) -> None:
        if self.resume is not None:
            self.open_attempt(self.resume)
        heap.collect_rarely()
        self.call_after_refresh(heap.freeze_startup)

    def on_unmount(self) -> None:
        heap.thaw()

    def on_resize(self, event: events.Resize) -> None:
        """Cover everything with a notice while the terminal is too small; nothing underneath
        is dismissed or changed, so a modal or a running check carries on."""
        small = too_small(event.size.width, event.size.height)
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not small:
            self.pop_screen()

    def _fatal_error(self) -> None:
        """Textual's crash report prints local variables and the exception's message, which
        may hold a name or a birth date: kyctui's shows frames and exception types only."""
        import sys

        from kyctui.tui.crash import crash_renderable

        error = sys.exc_info()[1] or self._exception
        if error is None:  # nothing to describe: Textual's own report has nothing private
            super()._fatal_error()
            return
        self.bell()
        self._exit_renderables.append(crash_renderable(error))
        self._close_messages_no_wait()

    def action_help(self) -> None:
        from kyctui.tui.screens.help import HelpModal  # deferred: Markdown is slow to import

        self.push_screen(HelpModal())

    def action_record_outcome(self, attempt_id: int, exchange: str) -> None:
        """Ask for the exchange's answer on an attempt, then save it (screens/outcome.py)."""
        from kyctui.tui.recording import record_outcome

        record_outcome(self, attempt_id, exchange)

    def action_export(self, attempt_id: int) -> None:
        """The support-ticket export of an attempt."""
        from kyctui.tui.screens.export import ExportScreen

        self.push_screen(ExportScreen(attempt_id))

    def action_new_attempt(self) -> None:
        from kyctui.tui.screens.new_attempt import NewAttemptModal

        self.push_screen(NewAttemptModal(), self._new_attempt_chosen)

    def _new_attempt_chosen(self, choice: NewAttempt | None) -> None:
        if choice is not None:
            self.start_attempt(choice)

    @work(thread=True, group="open")
    def start_attempt(self, choice: NewAttempt) -> None:
        """Create the attempt in the store, then open it at its first step."""
        from kyctui.knowledge import load_exchange
        from kyctui.knowledge.checklist import plan_for
        from kyctui.tui.screens.wizard import WizardScreen

        try:
            plan = plan_for(load_exchange(choice.exchange), choice.level, choice.document_type)
            attempt = self.store.create_attempt(
                choice.exchange, choice.level, choice.document_type, plan[0].step.id, self.now()
            )
        except (StoreError, ValueError) as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        self.call_from_thread(self.push_screen, WizardScreen(attempt, plan))

    @work(thread=True, group="open")
    def open_attempt(self, attempt_id: int) -> None:
        """Read the attempt and continue it at the step it was left on."""
        from kyctui.knowledge import load_exchange
        from kyctui.knowledge.checklist import plan_for
        from kyctui.tui.screens.wizard import WizardScreen

        try:
            attempt = self.store.get_attempt(attempt_id)
            plan = plan_for(load_exchange(attempt.exchange), attempt.level, attempt.document_type)
        except (StoreError, KeyError, ValueError) as exc:
            self.call_from_thread(self.notify, f"Cannot open attempt #{attempt_id}: {exc}",
                                  severity="error", timeout=10)  # fmt: skip
            return
        self.call_from_thread(self.push_screen, WizardScreen(attempt, plan))
