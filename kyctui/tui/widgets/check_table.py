"""The results of one photo's checks as a table: check, status, value, limit and fix."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from kyctui.domain.photos.result import CheckResult, Skipped, Status

_STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red"}
_ORDER = {Status.FAIL: 0, Status.WARN: 1, Status.PASS: 2}


def _cell(value: object) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


class CheckTable(DataTable[Text | str]):
    """Failures first, then warnings, then passes, so the fix to make is on top."""

    DEFAULT_CSS = """
    CheckTable { height: auto; max-height: 18; }
    """

    _shown: tuple[tuple[CheckResult, ...], tuple[Skipped, ...]] | None = None

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_columns("check", "status", "value", "limit", "what / fix")

    def show(self, checks: Sequence[CheckResult], skipped: Sequence[Skipped] = ()) -> None:
        """Replace the rows with `checks`, then the `skipped` ones: never shown as passed.
        The rows already shown are kept as they are: a refill redraws the whole table
        (measured: 10-60 ms of a step change while photos were checked)."""
        rows = (tuple(checks), tuple(skipped))
        if rows == self._shown:
            return
        self._shown = rows
        self.clear()
        for check in sorted(checks, key=lambda c: _ORDER[c.status]):
            detail = (
                check.message if check.status is Status.PASS else f"{check.message} → {check.fix}"
            )
            self.add_row(
                check.id,
                Text(str(check.status), style=_STYLE[check.status]),
                _cell(check.value),
                _cell(check.limit),
                detail,
            )
        for skip in skipped:
            self.add_row(skip.id, Text("skipped", style="dim"), "", "", skip.why)
