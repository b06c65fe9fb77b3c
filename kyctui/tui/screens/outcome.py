"""The outcome modal: the exchange's answer, its reason, its message and when, returned typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static, TextArea

from kyctui.domain.outcomes import OutcomeResult
from kyctui.knowledge import load_exchanges
from kyctui.knowledge.rejections import RejectionCatalog
from kyctui.tui.widgets.bounded_text import BoundedTextArea

OTHER = "other"  # the reason is typed, not picked
UNKNOWN = "unknown"  # the exchange gave no reason
TIME_FORMAT = "%Y-%m-%d %H:%M"
_RESULTS = (
    (OutcomeResult.APPROVED, "Approved"),
    (OutcomeResult.UNDER_REVIEW, "Under review"),
    (OutcomeResult.REJECTED, "Rejected"),
)
_EARLIEST = datetime(2009, 1, 1)  # before any exchange verified anyone: surely a typing slip
_SLACK = timedelta(minutes=2)  # a clock a little behind the exchange's is not "the future"


@dataclass(frozen=True)
class OutcomeEntry:
    """What the user entered, checked: ready for Store.record_outcome."""

    result: OutcomeResult
    reason_id: str  # a catalog reason id, or ""
    reason_text: str  # the reason as typed, or ""
    message: str  # the exchange's own words, as pasted
    occurred_at: datetime  # timezone-aware


@dataclass(frozen=True)
class Draft:
    """The form as left when the modal was closed without recording, to fill it again."""

    result: str = ""
    reason: str = ""
    reason_text: str = ""
    message: str = ""
    when: str = ""


def parse_when(text: str, now: datetime) -> datetime:
    """A typed local date and time ("2026-11-23 09:15", or "09:15" for today) in `now`'s time
    zone; ValueError with a message for the user when it cannot be read or cannot be right."""
    typed = " ".join(text.split())
    example = f"e.g. {now:%Y-%m-%d} 09:15"
    if not typed:
        raise ValueError(f"Enter when the exchange answered, {example}.")
    try:
        if len(typed) <= 5 and ":" in typed:
            when = datetime.combine(now.date(), time.fromisoformat(typed.zfill(5)))
        else:
            when = datetime.fromisoformat(typed)
    except ValueError:
        raise ValueError(f"Cannot read “{typed[:40]}” as a date and time: use YYYY-MM-DD HH:MM, "
                         f"{example}.") from None  # fmt: skip
    if when.tzinfo is None:
        when = when.replace(tzinfo=now.tzinfo)
    if when > now + _SLACK:
        raise ValueError("That is in the future: enter when the exchange answered.")
    if when.replace(tzinfo=None) < _EARLIEST:
        raise ValueError(f"{when:%Y} is too long ago: check the year.")
    return when


class OutcomeModal(ModalScreen[OutcomeEntry | None]):
    """Ask for the answer; ctrl+s or the Record button returns it, escape returns None."""

    DEFAULT_CSS = """
    OutcomeModal { align: center middle; }
    OutcomeModal > Vertical { width: 80; max-width: 98%; height: auto; max-height: 98%;
                              border: thick $accent; background: $surface; padding: 0 1; }
    OutcomeModal VerticalScroll { height: auto; }
    OutcomeModal Label { margin-top: 1; text-style: bold; }
    OutcomeModal RadioSet { layout: horizontal; width: 100%; }
    OutcomeModal #message { height: 5; }
    OutcomeModal #rejection { height: auto; }
    OutcomeModal .hint { color: $text-muted; }
    OutcomeModal .error { color: $error; text-style: bold; }
    /* Docked, so a short terminal scrolls the fields and still shows the buttons. */
    OutcomeModal #footer { dock: bottom; height: auto; }
    OutcomeModal #buttons { height: auto; margin-top: 1; align-horizontal: right; }
    OutcomeModal Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "record", "Record"),
    ]

    def __init__(
        self,
        attempt_id: int,
        catalog: RejectionCatalog,
        now: datetime,
        draft: Draft | None = None,
    ) -> None:
        super().__init__()
        self.attempt_id = attempt_id
        self.catalog = catalog
        self.now = now  # the user's local time
        self.start = draft or Draft(when=now.strftime(TIME_FORMAT))
        exchange = load_exchanges().get(catalog.exchange)
        self.exchange_name = exchange.name if exchange else catalog.exchange

    def compose(self) -> ComposeResult:
        reasons = [(f"{r.title} ({r.category})", r.id) for r in self.catalog.reasons]
        reasons += [("Not in this list: I will type it", OTHER), ("No reason given", UNKNOWN)]
        start = self.start
        with Vertical():
            yield Static(
                f"[b]How did it go?[/b] · Attempt #{self.attempt_id} at {self.exchange_name}"
            )
            with VerticalScroll():
                yield Label("Result")
                with RadioSet(id="result"):
                    for result, label in _RESULTS:
                        yield RadioButton(label, start.result == result, id=f"result-{result}")
                with Vertical(id="rejection"):
                    yield Label("Reason the exchange gave")
                    yield Select(reasons, prompt="Pick the reason", id="reason",
                                 value=start.reason or Select.NULL)  # fmt: skip
                    yield Static("", id="reason-hint", classes="hint")
                    yield Input(start.reason_text, placeholder="The reason in your own words",
                                id="reason-text", max_length=300)  # fmt: skip
                yield Label("The exchange's message (paste it; optional)")
                yield BoundedTextArea(start.message, max_length=5000, id="message", soft_wrap=True)
                yield Label("When it answered (your time, YYYY-MM-DD HH:MM)")
                yield Input(start.when, placeholder=self.now.strftime(TIME_FORMAT), id="when",
                            max_length=40)  # fmt: skip
                yield Static("", id="when-error", classes="error")
            with Vertical(id="footer"):
                yield Static("", id="error", classes="error")
                with Horizontal(id="buttons"):
                    yield Button("Cancel", id="cancel", compact=True)
                    yield Button("Record", id="record", variant="primary", compact=True)

    def on_mount(self) -> None:
        self._sync()
        self.query_one(RadioSet).focus()

    def _result(self) -> OutcomeResult | None:
        pressed = self.query_one(RadioSet).pressed_button
        return OutcomeResult(pressed.id.removeprefix("result-")) if pressed and pressed.id else None

    def _reason(self) -> str:
        value = self.query_one("#reason", Select).value
        return "" if value is Select.NULL else str(value)

    def _sync(self) -> None:
        """Show the reason fields for a rejection only, and the typed reason for "other"."""
        self.query_one("#rejection").display = self._result() is OutcomeResult.REJECTED
        reason = self._reason()
        self.query_one("#reason-text").display = reason == OTHER
        hint = Text()
        picked = self.catalog.get(reason)
        if picked is not None:
            if picked.wording:
                hint.append(f"{self.exchange_name} says: “{picked.wording}”. ")
            hint.append("Recording it reopens the checklist items this reason says to redo.")
        self.query_one("#reason-hint", Static).update(hint)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.query_one("#error", Static).update("")
        self._sync()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one("#error", Static).update("")
        self._sync()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "when":
            self._check_when()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "when":
            self.action_record()
        else:
            self.focus_next()

    def _check_when(self) -> datetime | None:
        """The typed time, or None with the reason said under the field."""
        try:
            when = parse_when(self.query_one("#when", Input).value, self.now)
        except ValueError as exc:
            self.query_one("#when-error", Static).update(str(exc))
            return None
        self.query_one("#when-error", Static).update("")
        return when

    def draft(self) -> Draft:
        """The form as it stands, to offer again if the user comes back."""
        result = self._result()
        return Draft(
            str(result) if result else "",
            self._reason(),
            self.query_one("#reason-text", Input).value,
            self.query_one("#message", TextArea).text,
            self.query_one("#when", Input).value,
        )

    def entry(self) -> OutcomeEntry | str:
        """The checked entry, or what to fix first."""
        result = self._result()
        when = self._check_when()
        if result is None:
            return "Choose the result: approved, under review or rejected."
        reason_id = reason_text = ""
        if result is OutcomeResult.REJECTED:
            reason = self._reason()
            if not reason:
                return "Pick the reason the exchange gave (or “No reason given”)."
            if reason == OTHER:
                reason_text = " ".join(self.query_one("#reason-text", Input).value.split())
                if not reason_text:
                    return "Type the reason, or pick one from the list."
            elif reason != UNKNOWN:
                reason_id = reason
        if when is None:
            return "Check when it answered (see above)."
        message = self.query_one("#message", TextArea).text.strip()
        return OutcomeEntry(result, reason_id, reason_text, message, when)

    def action_record(self) -> None:
        entry = self.entry()
        if isinstance(entry, str):
            self.query_one("#error", Static).update(entry)
            return
        self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "record":
            self.action_record()
        else:
            self.action_cancel()
