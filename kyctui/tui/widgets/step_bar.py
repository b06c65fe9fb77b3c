"""The wizard's steps in a row: finished ones ticked, the current one highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StepBar(Static):
    """Documents → Profile match → … → Ready, for the attempt's own steps."""

    DEFAULT_CSS = """
    StepBar { height: auto; padding: 0 1; background: $boost; }
    """

    _shown: Text | None = None

    def show(self, steps: list[tuple[str, str]], current: str, done: set[str]) -> None:
        """Redraw for `steps` as (id, title), with `current` highlighted and `done` ticked."""
        text = Text(no_wrap=False, overflow="fold")
        for index, (step_id, title) in enumerate(steps, start=1):
            if index > 1:
                text.append(" → ", style="dim")
            mark = "✓ " if step_id in done else f"{index}. "
            if step_id == current:
                text.append(f" {mark}{title} ", style="bold reverse")
            elif step_id in done:
                text.append(f"{mark}{title}", style="green")
            else:
                text.append(f"{mark}{title}", style="dim")
        if text != self._shown:  # called on every item ticked: unchanged, it costs no layout pass
            self._shown = text
            self.update(text)
