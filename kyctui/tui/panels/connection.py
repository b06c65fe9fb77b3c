"""The Connection step's panel: the connection test to the verification host, and busy hours."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static

from kyctui.domain.attempts import Attempt, ItemState
from kyctui.domain.photos.result import Status
from kyctui.domain.probes.rules import load_probe_rules
from kyctui.domain.probes.runner import run_connection, target_for
from kyctui.domain.probes.target import Target, proxy_from_env
from kyctui.knowledge import load_exchange
from kyctui.knowledge.checklist import StepPlan
from kyctui.knowledge.loader import KnowledgeError
from kyctui.tui.messages import ItemToggled
from kyctui.tui.panels.connection_text import (
    STABLE_ITEM,
    Measurement,
    fixes_text,
    peak_note,
    proxy_text,
    stable_state,
    verdict_text,
)
from kyctui.tui.widgets.check_table import CheckTable

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp

# The last measurement of each attempt, kept while the app runs (the wizard is rebuilt each time
# an attempt is opened; the measurement should survive that, not the app).
_KEPT: WeakKeyDictionary[App[Any], dict[int, Measurement]] = WeakKeyDictionary()


class ConnectionPanel(Vertical):
    """Test connection (t), cancel (escape), the checks, and the proxy and busy-hours notes."""

    DEFAULT_CSS = """
    ConnectionPanel { height: auto; margin-bottom: 1; }
    ConnectionPanel .panel-title { text-style: bold; margin-bottom: 1; }
    ConnectionPanel #connection-actions { height: auto; }
    ConnectionPanel #connection-actions Button { margin-right: 1; }
    ConnectionPanel #connection-progress { display: none; margin: 1 0 0 1; width: 1fr; }
    ConnectionPanel #connection-progress.-running { display: block; }
    ConnectionPanel #connection-status { margin: 1 0; }
    ConnectionPanel #connection-status.-fail { color: $error; }
    ConnectionPanel #connection-checks { display: none; }
    ConnectionPanel #connection-checks.-shown { display: block; }
    ConnectionPanel #connection-fixes { display: none; margin-top: 1; }
    ConnectionPanel #connection-fixes.-shown { display: block; }
    ConnectionPanel #connection-notes { margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("t", "test", "Test connection"),
        Binding("escape", "cancel_test", "Cancel test"),
    ]

    # Replaced in tests by a fake with run_connection's arguments: no network.
    probe = staticmethod(run_connection)
    # The zone times are said in; None: this computer's (tests fix it).
    zone: tzinfo | None = None

    app: KycApp

    @dataclass
    class Progressed(Message):
        """A sample finished."""

        done: int
        total: int

    @dataclass
    class Measured(Message):
        """The test finished (or was cancelled)."""

        measurement: Measurement

    @dataclass
    class Failed(Message):
        """The test could not run at all."""

        reason: str

    @dataclass
    class Noted(Message):
        """The proxy and busy-hours notes, ready before any test."""

        text: str

    def __init__(self, step: StepPlan, attempt: Attempt) -> None:
        super().__init__(id="connection-panel")
        self.step = step
        self.attempt = attempt
        self.exchange = load_exchange(attempt.exchange)
        try:
            self.target: Target | None = target_for(self.exchange)
        except ValueError:  # a malformed host in the exchange's file: treated as none
            self.target = None
        self._cancel: threading.Event | None = None

    @property
    def running(self) -> bool:
        """True while a test runs."""
        return self._cancel is not None

    def compose(self) -> ComposeResult:
        name = self.exchange.name
        yield Static(
            f"kyctui connects to {self.target}, {name}'s verification host, several times and "
            "measures how fast and how steadily it answers."
            if self.target
            else "kyctui measures the connection to an exchange's verification host.",
            classes="panel-title",
            markup=False,
        )
        with Horizontal(id="connection-actions") as actions:
            actions.display = self.target is not None  # nothing to test without a host
            yield Button("Test connection", id="connection-test", variant="primary")
            yield Button("Cancel", id="connection-cancel", disabled=True)
            yield ProgressBar(id="connection-progress", show_eta=False)
        yield Static(id="connection-status", markup=False)
        yield CheckTable(id="connection-checks")
        yield Static(id="connection-fixes", markup=False)
        yield Static(id="connection-notes", markup=False)

    def on_mount(self) -> None:
        kept = _KEPT.get(self.app, {}).get(self.attempt.id)
        if kept is not None:
            self._show(kept)
            return
        if self.target is None:
            self.action_test()  # nothing to connect to: the note with its advice comes at once
            return
        measured = self.attempt.items.get(STABLE_ITEM) is ItemState.DONE
        self._status(
            "Measured as stable before: test again just before you verify."
            if measured
            else "Not measured yet: press t or Test connection (takes up to half a minute)."
        )
        self._notes()

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()  # the wizard was closed: the probe's thread stops at once

    def _zone(self) -> tzinfo:
        return self.zone or self.app.now().astimezone().tzinfo or UTC

    def _status(self, text: str, failed: bool = False) -> None:
        status = self.query_one("#connection-status", Static)
        status.update(text)
        status.set_class(failed, "-fail")

    # Running --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_test":
            return self.running  # otherwise escape goes on to the wizard (back to attempts)
        if action == "test":
            return None if self.running else self.target is not None
        return True

    def action_test(self) -> None:
        """Start the test unless one runs."""
        if self.running:
            return
        self._cancel = threading.Event()
        self._set_running(True)
        if self.target is not None:
            self._status(f"Connecting to {self.target}…")
        self._measure(self._cancel)

    def action_cancel_test(self) -> None:
        """Stop the running test; what it measured so far is shown."""
        if self._cancel is not None:
            self._cancel.set()
            self._status("Cancelling…")

    @on(Button.Pressed, "#connection-test")
    def _test_pressed(self) -> None:
        self.action_test()

    @on(Button.Pressed, "#connection-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel_test()

    def _set_running(self, running: bool) -> None:
        test = self.query_one("#connection-test", Button)
        cancel = self.query_one("#connection-cancel", Button)
        had_focus = test.has_focus or cancel.has_focus
        test.disabled, cancel.disabled = running, not running
        bar = self.query_one("#connection-progress", ProgressBar)
        bar.set_class(running and self.target is not None, "-running")
        if running:
            bar.update(total=None, progress=0)
        if had_focus:  # the focus follows to the button that can be pressed now
            (cancel if running else test).focus()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="connection-probe")
    def _measure(self, cancel: threading.Event) -> None:
        def progress(done: int, total: int) -> None:
            self.post_message(self.Progressed(done, total))

        try:
            rules = load_probe_rules()
            report = self.probe(
                self.target, rules, exchange_name=self.exchange.name, progress=progress,
                cancel=cancel,
            )  # fmt: skip
            now = self.app.now()
            peak, peak_text = peak_note(now, self._zone(), self.exchange.id)
        except (OSError, ValueError, KnowledgeError) as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Measured(Measurement(report, peak, peak_text, now)))

    @work(thread=True, group="connection-notes")
    def _notes(self) -> None:
        try:
            _, peak_text = peak_note(self.app.now(), self._zone(), self.exchange.id)
        except (OSError, KnowledgeError) as exc:
            peak_text = f"Busy hours unknown: {exc}"
        notes = [proxy_text(proxy_from_env()), peak_text]
        self.post_message(self.Noted("\n".join(filter(None, notes))))

    @on(Noted)
    def _noted(self, event: Noted) -> None:
        if not self.running and self.query_one(CheckTable).row_count == 0:
            self.query_one("#connection-notes", Static).update(event.text)

    @on(Progressed)
    def _progressed(self, event: Progressed) -> None:
        self.query_one(ProgressBar).update(total=event.total, progress=event.done)
        if self._cancel is not None and not self._cancel.is_set():
            self._status(f"Measuring {self.target}: {event.done} of {event.total} connections…")

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self._cancel = None
        self._set_running(False)
        self._status(f"The test could not run: {event.reason}", failed=True)

    @on(Measured)
    def _measured(self, event: Measured) -> None:
        self._cancel = None
        self._set_running(False)
        measurement = event.measurement
        _KEPT.setdefault(self.app, {})[self.attempt.id] = measurement
        self._show(measurement)
        state = stable_state(measurement.report)
        in_plan = any(item.id == STABLE_ITEM for item in self.step.items)
        if state is not None and in_plan and self.attempt.items.get(STABLE_ITEM) is not state:
            self.post_message(ItemToggled(STABLE_ITEM, str(state), by_program=True))

    def _show(self, measurement: Measurement) -> None:
        checks = measurement.checks
        failed = any(c.status is Status.FAIL for c in measurement.report.checks)
        verdict = verdict_text(measurement, self.exchange.name, self._zone(), self.app.now())
        self._status(verdict, failed)
        table = self.query_one(CheckTable)
        table.show(checks)
        table.add_class("-shown")
        text = fixes_text(checks, measured=measurement.report.probe is not None)
        fixes = self.query_one("#connection-fixes", Static)
        fixes.update(text)
        fixes.set_class(bool(text), "-shown")
        notes = [proxy_text(measurement.report.proxy), measurement.peak_text]
        self.query_one("#connection-notes", Static).update("\n".join(filter(None, notes)))
