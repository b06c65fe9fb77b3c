"""The Statement step's panel: exactly what to write on the paper, large, and a check of it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.renderables.digits import DIGITS  # the characters Digits can draw
from textual.widget import Widget
from textual.widgets import Digits, Input, Static

from kyctui.domain.attempts import Attempt, ItemState
from kyctui.domain.identity.profile_checks import item_statuses
from kyctui.domain.identity.statement import StatementText, check_statement, statement_text
from kyctui.domain.photos.result import Status
from kyctui.knowledge import load_exchange
from kyctui.knowledge.checklist import StepPlan
from kyctui.tui.messages import ItemToggled
from kyctui.tui.panels.profile_form import FieldInput, FieldRow, FieldSpec
from kyctui.tui.panels.profile_results import ResultList

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp

# Separators Digits cannot draw, drawn three rows high like its digits.
_BIG_SEPARATORS = {"/": "  /\n / \n/  ", ".": "\n\n ● ", ",": "\n\n ╻ "}
_WRITTEN_DATE = FieldSpec("written-date", "Date I wrote", "as on the paper")
_WRITTEN_WORD = FieldSpec("written-word", "Word I wrote", "as on the paper")


def big_pieces(date_text: str) -> list[Widget]:
    """`date_text` as large widgets: Digits for runs of digits, separators drawn to match."""
    pieces: list[Widget] = []
    for token in re.findall(r"\d+|\D+", date_text):
        if all(char in DIGITS for char in token):
            pieces.append(Digits(token))
        else:
            big = _BIG_SEPARATORS.get(token, f"\n{token}\n")
            pieces.append(Static(big, classes="separator", markup=False))
    return pieces


class PaperLines(Vertical, can_focus=True):
    """The lines to copy. Focusable, so the step opens on them rather than scrolled down to
    the optional inputs below."""

    DEFAULT_CSS = """
    PaperLines { height: auto; padding: 0 1; }
    PaperLines:focus { background: $boost; }
    """


class StatementPanel(Widget):
    """Today's date and the exchange's word, as they must appear on the handheld paper."""

    DEFAULT_CSS = """
    StatementPanel { height: auto; margin-bottom: 1; }
    StatementPanel .panel-title { text-style: bold; margin-bottom: 1; }
    StatementPanel #big-date { height: auto; width: auto; }
    StatementPanel #big-date Digits { width: auto; text-style: bold; }
    StatementPanel #big-date .separator { width: 3; height: 3; margin: 0 1; text-style: bold; }
    StatementPanel #word { width: auto; border: heavy $accent; padding: 0 3; text-style: bold;
                           margin: 1 0 0 0; }
    StatementPanel #exact { margin: 1 0; }
    StatementPanel #reminders { margin-bottom: 1; }
    """

    app: KycApp

    def __init__(self, step: StepPlan, attempt: Attempt) -> None:
        super().__init__(id="statement-panel")
        self.step = step
        self.attempt = attempt
        self.exchange = load_exchange(attempt.exchange)
        self.text: StatementText | None = None

    def _statement(self) -> StatementText | None:
        try:
            return statement_text(self.exchange, self.app.local(self.app.now()).date())
        except ValueError:
            return None  # this exchange asks for no paper (the step is then not planned)

    def compose(self) -> ComposeResult:
        self.text = text = self._statement()
        if text is None:
            yield Static(f"{self.exchange.name} asks for no handheld statement.")
            return
        with PaperLines():
            yield Static("Write these two lines on a blank paper, large and clear:",
                         classes="panel-title")  # fmt: skip
            yield Horizontal(*big_pieces(text.date_text), id="big-date")
            yield Static(text.word, id="word", markup=False)
            yield Static(self._exact(text), id="exact")
        reminders = "\n".join(f"• {reminder}" for reminder in text.reminders)
        yield Static(reminders, id="reminders", markup=False)
        yield Static("Optional: type what you wrote, and kyctui checks it.", classes="panel-title")
        yield FieldRow(_WRITTEN_DATE.label, FieldInput(_WRITTEN_DATE, ""))
        yield FieldRow(_WRITTEN_WORD.label, FieldInput(_WRITTEN_WORD, ""))
        yield ResultList("", id="statement-results")

    @staticmethod
    def _exact(text: StatementText) -> str:
        return (
            f"Exactly: [b]{text.date_text}[/b] (today, in this order and with these "
            f"separators) and [b]{text.word}[/b] (with these capitals)."
        )

    def on_mount(self) -> None:
        # The paper must carry the day the photo is taken: catch midnight while the step is open.
        self.set_interval(60, self._refresh_date)

    async def _refresh_date(self) -> None:
        text = self._statement()
        if text is None or self.text is None or text.date_text == self.text.date_text:
            return
        self.text = text
        big = self.query_one("#big-date", Horizontal)
        await big.remove_children()
        await big.mount_all(big_pieces(text.date_text))
        self.query_one("#exact", Static).update(self._exact(text))
        self._check()

    @on(Input.Changed)
    def _written(self, event: Input.Changed) -> None:
        event.stop()
        self._check()

    def _check(self) -> None:
        written = {field.field_name: field.value.strip() for field in self.query(FieldInput)}
        date_typed, word_typed = written.get("written-date", ""), written.get("written-word", "")
        if not (date_typed or word_typed):
            self.query_one(ResultList).show([])
            return
        today = self.app.local(self.app.now()).date()
        results = check_statement(
            date_typed, word_typed, self.exchange, today, self.attempt.profile.date_order
        )
        typed = {"statement.date": date_typed, "statement.word": word_typed}
        self.query_one(ResultList).show([r for r in results if typed.get(r.id, "x")])
        if not (date_typed and word_typed):
            return  # half typed: the item waits for both lines
        mine = {item.id for item in self.step.items}
        for item_id, status in item_statuses(results, mine).items():
            state = ItemState.TODO if status is Status.FAIL else ItemState.DONE
            if self.attempt.items.get(item_id, ItemState.TODO) is not state:
                self.post_message(ItemToggled(item_id, str(state), by_program=True))
