"""A notice shown over everything while the terminal is too small to use; it leaves on resize."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

# Below this, the step bar, a checklist item's why and how, and the keys no longer fit.
MIN_WIDTH, MIN_HEIGHT = 60, 18


def too_small(width: int, height: int) -> bool:
    """Whether a terminal of this size is too small to be useful."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """Says how big the terminal must be; nothing underneath is lost or changed."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen Static { width: 100%; height: auto; content-align: center middle;
                            text-align: center; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(
            f"The terminal is too small for kyctui.\n"
            f"Make it at least {MIN_WIDTH}×{MIN_HEIGHT}; everything is kept as it was.\n"
            f"(q quits; your progress is saved.)",
            id="too-small",
        )
