"""The new-attempt modal: exchange, verification level and document type, returned typed."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from kyctui.knowledge import load_exchanges
from kyctui.knowledge.checklist import load_checklist


@dataclass(frozen=True)
class NewAttempt:
    """What the user chose."""

    exchange: str
    level: str
    document_type: str


class NewAttemptModal(ModalScreen[NewAttempt | None]):
    """Pick exchange, level and document; only what the exchange accepts is offered."""

    DEFAULT_CSS = """
    NewAttemptModal { align: center middle; }
    NewAttemptModal > Vertical { width: 72; max-width: 98%; height: auto; max-height: 98%;
                                 border: thick $accent; background: $surface; padding: 0 1; }
    NewAttemptModal Label { margin-top: 1; text-style: bold; }
    NewAttemptModal #unsupported { color: $text-muted; margin-top: 1; }
    NewAttemptModal Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    NewAttemptModal Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        exchanges = load_exchanges()
        checklist = load_checklist()
        # The documents share one explanation more often than not: say each distinct one once.
        whys = dict.fromkeys(u.why for u in checklist.unsupported)
        titles = ", ".join(u.title for u in checklist.unsupported)
        unsupported = f"{titles}. {' '.join(whys)}"
        with Vertical():
            yield Static("[b]New verification attempt[/b]")
            yield Label("Exchange")
            yield Select(
                [(e.name, e.id) for e in exchanges.values()],
                value=next(iter(exchanges)),
                allow_blank=False,
                id="exchange",
            )
            yield Label("Verification level")
            yield Select[str]([], id="level")
            yield Label("Document")
            yield Select[str]([], id="document")
            yield Static(f"Not accepted: {unsupported}", id="unsupported")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Start", id="start", variant="primary")

    def on_mount(self) -> None:
        self._offer(str(self.query_one("#exchange", Select).value))

    def _offer(self, exchange_id: str) -> None:
        """Offer only the levels and documents `exchange_id` accepts."""
        exchange = load_exchanges()[exchange_id]
        checklist = load_checklist()
        levels = [(lv.title, lv.id) for lv in checklist.levels if lv.id in exchange.levels]
        docs = [
            (d.title, d.id)
            for d in checklist.document_types
            if d.id in exchange.document_types.value
        ]
        level, document = self.query_one("#level", Select), self.query_one("#document", Select)
        level.set_options(levels)
        document.set_options(docs)
        level.value, document.value = levels[0][1], docs[0][1]

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "exchange" and event.value is not Select.NULL:
            self._offer(str(event.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        values = [
            self.query_one(f"#{name}", Select).value for name in ("exchange", "level", "document")
        ]
        if any(v is Select.NULL for v in values):
            self.notify("Choose an exchange, a level and a document.", severity="warning")
            return
        self.dismiss(NewAttempt(*(str(v) for v in values)))

    def action_cancel(self) -> None:
        self.dismiss(None)
