"""Chooses how photos are previewed: Kitty or Sixel graphics where the terminal can, else blocks."""

from __future__ import annotations

import io
import os
import sys
import threading
from typing import Any

_probe: threading.Thread | None = None
_probed = False

# Terminals that draw Kitty graphics or Sixel. Only for these is the terminal asked at start-up:
# textual-image's questions cost up to 0.1 s each where nobody answers, which would double the
# start-up time everywhere else for a preview most terminals draw as blocks anyway.
_GRAPHICS_TERMS = ("xterm-kitty", "foot", "mlterm", "contour", "wezterm")
_GRAPHICS_PROGRAMS = ("WezTerm", "iTerm.app", "mintty", "contour", "ghostty", "rio")


def terminal_has_graphics(env: dict[str, str] | None = None) -> bool:
    """Whether the environment names a terminal that can draw real images."""
    env = dict(os.environ) if env is None else env
    choice = env.get("KYCTUI_GRAPHICS", "")
    if choice in ("probe", "blocks"):
        return choice == "probe"
    term, program = env.get("TERM", ""), env.get("TERM_PROGRAM", "")
    return (
        "KITTY_WINDOW_ID" in env
        or "KONSOLE_VERSION" in env
        or term.startswith(_GRAPHICS_TERMS)
        or program in _GRAPHICS_PROGRAMS
    )


def _ask_terminal() -> None:
    # Once Textual owns the terminal its answers can no longer be read: ask while it imports.
    global _probed
    import textual_image.renderable
    from textual_image._terminal import get_cell_size

    get_cell_size()
    del textual_image
    _probed = True


def start_probe() -> None:
    """Ask the terminal, in a thread, when it is one that can draw images."""
    global _probe
    if sys.stdout.isatty() and terminal_has_graphics():
        _probe = threading.Thread(target=_ask_terminal, name="kyctui-terminal-probe", daemon=True)
        _probe.start()


def finish_probe(timeout: float = 1.0) -> None:
    """Wait for the answers before Textual starts (at most `timeout`)."""
    if _probe is not None:
        _probe.join(timeout)


def image_widget_class() -> Any:
    """The textual-image widget class to preview with (imported on first use)."""
    if _probed:
        from textual_image.widget import Image

        return Image
    # Not probed: import textual-image as if stdout were not a terminal, so it asks nothing
    # (Textual's driver keeps its own handle on the real stdout), and draw half-cell blocks.
    real = sys.__stdout__
    sys.__stdout__ = io.StringIO()  # type: ignore[misc,assignment]
    try:
        from textual_image.widget import HalfcellImage
    finally:
        sys.__stdout__ = real  # type: ignore[misc]
    return HalfcellImage


def draws_blocks() -> bool:
    """Whether photos are previewed in half-cell blocks (see block_image), not with Kitty or
    Sixel graphics. Imports textual-image, which must happen on the UI thread (ImportError
    when it is not installed)."""
    image_widget_class()
    return not _probed
