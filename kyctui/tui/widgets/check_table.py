"""The results of one photo's checks as a table: check, status, value, limit and fix."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kyctui.domain.photos.result import CheckResult, Skipped, Status

_STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red"}
_ORDER = {Status.FAIL: 0, Status.WARN: 1, Status.PASS: 2}
_COLUMNS = ("check", "status", "value", "limit", "what / fix")
_PAD = 1  # cells of space on each side of a column, as a DataTable has

Row = tuple[str, Text, str, str, str]


def _cell(value: object) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _rows(checks: Sequence[CheckResult], skipped: Sequence[Skipped]) -> list[Row]:
    rows: list[Row] = []
    for check in sorted(checks, key=lambda c: _ORDER[c.status]):
        detail = check.message if check.status is Status.PASS else f"{check.message} → {check.fix}"
        status = Text(str(check.status), style=_STYLE[check.status])
        rows.append((check.id, status, _cell(check.value), _cell(check.limit), detail))
    for skip in skipped:
        rows.append((skip.id, Text("skipped", style="dim"), "", "", skip.why))
    return rows


class CheckTable(ScrollView, can_focus=True):
    """Failures first, then warnings, then passes, so the fix to make is on top.

    Drawn as lines made once per set of rows (and per theme or focus change), not cell by
    cell as a DataTable draws: measured, a DataTable of twenty rows cost some 30 ms of a
    return to the Documents step while photos were checked. Rows have no action, so there is
    no row cursor; the table scrolls with the keys of any scrolling widget."""

    COMPONENT_CLASSES = {"check-table--header", "check-table--even-row", "check-table--odd-row"}

    DEFAULT_CSS = """
    CheckTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 18;
        &:focus {
            background-tint: $foreground 5%;
            & > .check-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .check-table--even-row { background: $surface-darken-1 40%; }
        & > .check-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .check-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .check-table--even-row { background: $surface-lighten-1 50%; }
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._shown: tuple[tuple[CheckResult, ...], tuple[Skipped, ...]] | None = None
        self._rows: list[Row] = []
        self._widths = [cell_len(label) for label in _COLUMNS]
        self._lines: list[Strip] = []  # the header, then one line per row
        self._drawn_with: tuple[Style, ...] | None = None  # the styles `_lines` were drawn with
        self._resize_virtual()

    @property
    def row_count(self) -> int:
        """How many rows are shown (checks and skipped ones)."""
        return len(self._rows)

    def get_row_at(self, index: int) -> Row:
        """The cells of the `index`-th row from the top: check, status, value, limit, fix."""
        return self._rows[index]

    def show(self, checks: Sequence[CheckResult], skipped: Sequence[Skipped] = ()) -> None:
        """Replace the rows with `checks`, then the `skipped` ones: never shown as passed.
        The rows already shown are kept as they are: nothing is redrawn then."""
        shown = (tuple(checks), tuple(skipped))
        if shown == self._shown:
            return
        self._shown = shown
        self._rows = _rows(checks, skipped)
        self._widths = [
            max([cell_len(label), *(cell_len(str(row[i])) for row in self._rows)])
            for i, label in enumerate(_COLUMNS)
        ]
        self._drawn_with = None
        self._resize_virtual()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _resize_virtual(self) -> None:
        width = sum(self._widths) + 2 * _PAD * len(self._widths)
        self.virtual_size = Size(width, len(self._rows) + 1)

    def _styles(self) -> tuple[Style, ...]:
        return (
            self.rich_style,
            self.get_component_rich_style("check-table--header"),
            self.get_component_rich_style("check-table--even-row"),
            self.get_component_rich_style("check-table--odd-row"),
        )

    def _draw(self, styles: tuple[Style, ...]) -> list[Strip]:
        _, header, even, odd = styles
        lines = [self._line(_COLUMNS, header, {})]
        cell_styles: dict[str, Style] = {}
        for index, row in enumerate(self._rows):
            lines.append(self._line(row, odd if index % 2 else even, cell_styles))
        return lines

    def _line(self, cells: Sequence[str | Text], base: Style, parsed: dict[str, Style]) -> Strip:
        segments: list[Segment] = []
        pad = " " * _PAD
        for cell, width in zip(cells, self._widths, strict=True):
            style = base
            if isinstance(cell, Text) and cell.style:
                name = str(cell.style)
                if name not in parsed:
                    parsed[name] = Style.parse(name)
                style = base + parsed[name]
            text = str(cell)
            gap = " " * (width - cell_len(text))
            segments.append(Segment(f"{pad}{text}{gap}{pad}", style))
        return Strip(segments, sum(self._widths) + 2 * _PAD * len(self._widths))

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles follow the theme and the focus (a tint): compared once per paint, not per line.
        styles = self._styles()
        if styles != self._drawn_with:
            self._lines = self._draw(styles)
            self._drawn_with = styles
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        index = y if y == 0 else y + scroll_y  # the header stays on top when rows scroll
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return (
            self._lines[index]
            .crop(scroll_x, scroll_x + width)
            .extend_cell_length(width, self.rich_style)
        )
