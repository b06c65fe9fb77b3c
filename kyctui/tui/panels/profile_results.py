"""What the profile checks found, as a wrapping list, and the question about an ambiguous date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from kyctui.domain.identity.dates import long_date
from kyctui.domain.photos.result import CheckResult, Status

_MARK = {Status.FAIL: ("✗ fail", "bold red"), Status.WARN: ("! warn", "yellow"),
         Status.PASS: ("✓ pass", "green")}  # fmt: skip
_ORDER = {Status.FAIL: 0, Status.WARN: 1, Status.PASS: 2}


def results_table(results: Sequence[CheckResult]) -> Table:
    """Failures first, each with its fix under its message; then a line per passed check."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for result in sorted(results, key=lambda r: _ORDER[r.status]):
        label, style = _MARK[result.status]
        text = Text(result.message)
        if result.status is not Status.PASS and result.fix:
            text.append(f"\n→ {result.fix}", style="italic")
        table.add_row(Text(label, style=style), text)
    return table


class ResultList(Static):
    """The profile's check results; a list rather than a table, so long messages wrap."""

    DEFAULT_CSS = """
    ResultList { height: auto; margin-bottom: 1; }
    """

    def __init__(self, empty: str, id: str | None = None) -> None:
        super().__init__(empty, id=id)
        self.empty = empty  # what the list says while there is nothing to show
        self.results: tuple[CheckResult, ...] = ()

    def show(self, results: Sequence[CheckResult]) -> None:
        """Replace the list with `results`."""
        self.results = tuple(results)
        self.update(results_table(results) if results else self.empty)


class DateQuestion(Vertical):
    """Asks how a typed date is meant (08/12/1974), or says how it is read once answered.

    Its buttons are named order-dmy and order-mdy after the Profile.date_order they set."""

    DEFAULT_CSS = """
    DateQuestion { height: auto; display: none; margin-bottom: 1; }
    DateQuestion.-visible { display: block; }
    DateQuestion #question-text { color: $warning; }
    DateQuestion.-answered #question-text { color: $text-muted; }
    DateQuestion Horizontal { height: auto; }
    DateQuestion Button { margin-right: 2; min-width: 20; }
    """

    def __init__(self) -> None:
        super().__init__(id="date-question")
        self.field: str | None = None  # the Profile field asked about

    def compose(self) -> ComposeResult:
        yield Static(id="question-text")
        with Horizontal():
            yield Button("", id="order-dmy", compact=True)
            yield Button("", id="order-mdy", compact=True)

    def ask(self, field: str, what: str, typed: str, day_first: date, month_first: date) -> None:
        """Ask which of the two readings of `typed` (the `what`, e.g. date of birth) is meant."""
        self.field = field
        self._show(f"Your {what} {typed!r} can be read two ways. Which is it?", answered=False)
        self._buttons(long_date(day_first), long_date(month_first))

    def confirm(
        self, field: str, what: str, typed: str, chosen: date, other: date, order: str
    ) -> None:
        """Say how an ambiguous date is read, with the other reading a press away."""
        self.field = field
        reading = "day first" if order == "dmy" else "month first"
        self._show(f"Your {what} {typed!r} is read {reading}: {long_date(chosen)}.", answered=True)
        other_label = f"No: {long_date(other)}"
        self._buttons(*((other_label, "") if order == "mdy" else ("", other_label)))

    def hide(self) -> None:
        """Nothing to ask."""
        self.field = None
        self.remove_class("-visible")

    def _show(self, text: str, answered: bool) -> None:
        self.query_one("#question-text", Static).update(text)
        self.set_class(answered, "-answered")
        self.add_class("-visible")

    def _buttons(self, dmy: str, mdy: str) -> None:
        for button_id, label in (("order-dmy", dmy), ("order-mdy", mdy)):
            button = self.query_one(f"#{button_id}", Button)
            button.label = label
            button.display = bool(label)
