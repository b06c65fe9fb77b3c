"""The footer: the keys that work here, as one line of clickable text."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    """Textual's Footer rebuilds one widget per key whenever the focus moves between widgets
    with different bindings; measured in the wizard, that was most of a step change's ~100 ms.
    This draws the same keys as a single line and redraws only when the line changes."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground;
             padding: 0 1; link-style: none; link-style-hover: reverse; }
    """

    def __init__(self) -> None:
        super().__init__("", id="keys", markup=False)
        self._shown = ""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    @property
    def shown(self) -> str:
        """The plain text of the keys on screen."""
        return self._shown

    def line_for(self, screen: Screen[Any]) -> Text:
        """The keys that work on `screen` now (for its focused widget), as one line."""
        line = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            # One entry per action (a binding listing several keys shows them once).
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            # A click presses the key, as Textual's Footer does.
            click = Style.from_meta({"@click": f"app.simulate_key({binding.key.split(',')[0]!r})"})
            if line:
                line.append("  ")
            key_style = Style(bold=True, dim=not enabled) + click
            line.append(self.app.get_key_display(binding), style=key_style)
            line.append(f" {binding.description}", style=Style(dim=not enabled) + click)
        return line

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        line = self.line_for(screen)
        if line.plain != self._shown:
            self._shown = line.plain
            # One line docked at the bottom: a new text never moves anything, so no layout pass.
            self.update(line, layout=False)
