"""Step panels: what a wizard step shows besides its checklist (profile form, connection test…)."""

from __future__ import annotations

from kyctui.tui.widgets.step_view import PanelFactory


def panel_for(step_id: str) -> PanelFactory | None:
    """The panel factory of a step, imported only when the step is first shown."""
    return None
