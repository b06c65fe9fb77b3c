"""One wizard step's page: its summary, photo slots and checklist items, built once and reused."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from kyctui.domain.attempts import Attempt
from kyctui.domain.progress import item_state
from kyctui.knowledge.checklist import StepPlan
from kyctui.tui.widgets.checklist_item import ChecklistItemView
from kyctui.tui.widgets.photo_slot import PhotoSlotView
from kyctui.tui.widgets.ready_summary import ReadySummary

# What the program checks for an item, said beside it (items not listed are confirmed by hand).
AUTOMATIC = {
    "photos": "checked by kyctui from your photos",
    "profile": "checked by kyctui from the details you enter above",
    "dates": "checked by kyctui from the dates you enter in Profile match",
    "statement": "checked by kyctui from what you say you wrote",
    "connection": "set by the connection test above",
    "devices": "set by the device check above",
}

# Extra panels a step shows above its items, by step id (the profile form, the connection test…).
PanelFactory = Callable[[StepPlan, Attempt], Widget]


class StepView(VerticalScroll):
    """A step's widgets. Switching steps shows and hides pages instead of rebuilding them, so a
    key press costs a display toggle, not a re-mount of every item (measured: ~100 ms)."""

    DEFAULT_CSS = """
    StepView { padding: 1 1 0 1; }
    StepView .step-summary { color: $text-muted; margin-bottom: 1; }
    """

    def __init__(
        self,
        step: StepPlan,
        plan: Sequence[StepPlan],
        attempt: Attempt,
        panel: PanelFactory | None = None,
    ) -> None:
        super().__init__(id=f"step-{step.step.id}")
        self.step = step
        self.plan = plan
        self.attempt = attempt
        self._panel = panel

    def compose(self) -> ComposeResult:
        step = self.step
        yield Static(f"[b]{step.step.title}[/b]: {step.step.summary}", classes="step-summary")
        if self._panel is not None:
            yield self._panel(step, self.attempt)
        for slot in step.slots:
            yield PhotoSlotView(slot, self.attempt.photos.get(slot.kind))
        for item in step.items:
            state = item_state(item, self.plan, self.attempt)
            yield ChecklistItemView(item, state, AUTOMATIC.get(item.checked_by or ""))
        if step.step.id == "ready":
            yield ReadySummary(self.plan, self.attempt)

    def refresh_states(self) -> None:
        """Show the attempt's current photos and item states (after a change elsewhere)."""
        for slot_view in self.query(PhotoSlotView):
            slot_view.photo = self.attempt.photos.get(slot_view.slot.kind)
        for item_view in self.query(ChecklistItemView):
            item_view.state = item_state(item_view.item, self.plan, self.attempt)
        for summary in self.query(ReadySummary):
            summary.refresh_summary()

    def first_focusable(self) -> Widget:
        """The widget to focus when the step is shown: its first control, or the page itself
        (so the keys scroll it and no hidden page keeps the focus)."""
        return next((w for w in self.query("*") if w.can_focus and w.display), self)
