"""One photo slot of the Documents step: what to attach, what is attached, and its verdict."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from kyctui.domain.attempts import StoredPhoto
from kyctui.domain.display import safe_text
from kyctui.domain.photos.result import Status
from kyctui.knowledge.checklist import PhotoSlot
from kyctui.tui.messages import AttachRequested

_VERDICT = {Status.PASS: ("✓ pass", "green"), Status.WARN: ("! warn", "yellow"),
            Status.FAIL: ("✗ fail", "red")}  # fmt: skip


class PhotoSlotView(Widget, can_focus=True):
    """A focusable slot: enter or a attaches a photo (picker), or paste a path into it."""

    DEFAULT_CSS = """
    PhotoSlotView { height: auto; padding: 0 1; margin: 0 0 1 0; border-left: tall $panel; }
    PhotoSlotView:focus { background: $boost; border-left: tall $accent; }
    """
    BINDINGS = [Binding("enter,a", "attach", "Attach photo")]

    photo: reactive[StoredPhoto | None] = reactive(None)
    busy: reactive[bool] = reactive(False)
    stage: reactive[str] = reactive("")  # what the running check is doing

    def __init__(self, slot: PhotoSlot, photo: StoredPhoto | None) -> None:
        super().__init__(classes=f"slot-{slot.kind}")
        self.slot = slot
        self.set_reactive(PhotoSlotView.photo, photo)

    def render(self) -> Text:
        text = Text()
        text.append(self.slot.title, style="bold")
        if self.slot.optional:
            text.append("  (optional)", style="dim italic")
        text.append(f"\n{self.slot.why}", style="dim")
        if self.busy:
            text.append(f"\nChecking… {self.stage}".rstrip(), style="italic")
        elif self.photo is None:
            text.append("\nNo photo yet: press a to pick one, or paste its path here.")
        else:
            label, style = _VERDICT[self.photo.verdict]
            counts = {s: sum(c.status is s for c in self.photo.checks) for s in Status}
            text.append(f"\n{safe_text(Path(self.photo.path).name)}  ")
            text.append(label, style=f"bold {style}")
            text.append(
                f"   {counts[Status.FAIL]} failed, {counts[Status.WARN]} warnings,"
                f" {counts[Status.PASS]} passed",
                style="dim",
            )
        return text

    def action_attach(self) -> None:
        self.post_message(AttachRequested(self.slot.kind))
