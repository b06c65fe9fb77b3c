"""The Ready step: what passed, what is still open, and the problems worth fixing first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from kyctui.domain.attempts import Attempt
from kyctui.domain.photos.result import Status
from kyctui.domain.progress import readiness
from kyctui.knowledge.checklist import StepPlan


class ReadySummary(Static):
    """A plain summary, computed by kyctui.domain.progress."""

    def __init__(self, plan: Sequence[StepPlan], attempt: Attempt) -> None:
        super().__init__(classes="ready-summary")
        self.plan = plan
        self.attempt = attempt

    def on_mount(self) -> None:
        self.refresh_summary()

    def refresh_summary(self) -> None:
        """Recompute from the attempt as it is now."""
        state = readiness(self.plan, self.attempt)
        text = Text()
        if state.ready:
            text.append("Ready to verify. ", style="bold green")
            text.append("Everything kyctui can see is in order; go to the exchange and start.\n\n")
        else:
            text.append("Not ready yet. ", style="bold yellow")
            text.append(
                "Fix what is listed below first: each is a common reason for rejection.\n\n"
            )
        text.append(f"{state.done} items done or not applicable.\n")
        if state.missing_photos:
            text.append("\nPhotos still missing:\n", style="bold")
            for title in state.missing_photos:
                text.append(f"  • {title}\n")
        if state.problems:
            text.append("\nPhoto problems, worst first:\n", style="bold")
            for slot, check in state.problems:
                style = "red" if check.status is Status.FAIL else "yellow"
                text.append(f"  {check.status.upper():4} ", style=style)
                text.append(f"{slot}: {check.message}. {check.fix}\n")
        if state.open_items:
            text.append("\nStill to do:\n", style="bold")
            for step, title in state.open_items:
                text.append(f"  • {step}: {title}\n")
        self.update(text)
