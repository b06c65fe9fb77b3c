"""What a crash shows: where it happened and the exception's type, never the data it held."""

from __future__ import annotations

import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.traceback import Trace

SAVED = "Your progress up to the last change is saved: run kyctui again to carry on."
REPORT = (
    "This is a bug in kyctui. Please report it with the lines above: they name the code"
    " that failed and hold nothing you typed or picked."
)
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds kyctui/


def _shown(filename: str) -> str:
    """A frame's file without the user's home folder, which often carries their name."""
    for root, label in ((_PACKAGE_ROOT, ""), (Path.home(), "~/")):
        try:
            return label + Path(filename).resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            continue
    return filename


def _blank(trace: Trace) -> Trace:
    """The trace with every message, note, syntax-error text and local variable removed."""
    for stack in trace.stacks:
        stack.exc_value = ""  # str(exception): may quote a name, a path or a typed value
        stack.notes = []
        stack.syntax_error = None  # its `line` is the text that failed to parse
        for frame in stack.frames:
            frame.locals = None
            frame.filename = _shown(frame.filename)
        stack.exceptions = [_blank(group) for group in stack.exceptions]
    return trace


def crash_renderable(error: BaseException) -> RenderableType:
    """For the crash screen (KycApp._fatal_error): the traceback's frames and exception types
    only, with no local variables and no exception message, then what was kept and how to
    report the bug."""
    from rich.console import Group
    from rich.text import Text
    from rich.traceback import Traceback

    trace = Traceback.extract(type(error), error, error.__traceback__, show_locals=False)
    shown = Traceback(_blank(trace), show_locals=False, extra_lines=0, max_frames=20)
    return Group(shown, Text(SAVED, style="bold"), Text(REPORT))


def _innermost(tb: TracebackType | None) -> traceback.FrameSummary | None:
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "kyctui" in Path(f.filename).parts]
    chosen = ours or frames
    return chosen[-1] if chosen else None


def crash_line(error: BaseException) -> str:
    """One line for stderr when a command fails on a bug: the exception's type and where,
    never its message (which may quote personal data), and never a traceback."""
    frame = _innermost(error.__traceback__)
    where = f" in {_shown(frame.filename)}:{frame.lineno} ({frame.name})" if frame else ""
    return (
        f"kyctui: internal error, {type(error).__name__}{where}. Nothing you saved was lost."
        " This is a bug: please report this line (it holds no personal data)."
    )
