"""Step panels: what a wizard step shows besides its checklist (profile form, connection test…).

A panel is a widget built from (StepPlan, Attempt). It reaches the store through `self.app`
(KycApp: `store`, `now()`, `local()`), saves what the user enters at once from a thread worker,
and reports the checklist items its checks settle by posting `ItemToggled` (pass or warn: done;
fail: to do), which the wizard saves and shows like a confirmation by hand.
"""

from __future__ import annotations

import importlib

from kyctui.tui.widgets.step_view import PanelFactory

# Step id → "module:class". Imported only when the step is first shown, so start-up pays nothing.
PANELS: dict[str, str] = {
    "profile": "kyctui.tui.panels.profile:ProfilePanel",
    "connection": "kyctui.tui.panels.connection:ConnectionPanel",
    "permissions": "kyctui.tui.panels.permissions:PermissionsPanel",
    "statement": "kyctui.tui.panels.statement:StatementPanel",
}


def panel_for(step_id: str) -> PanelFactory | None:
    """The panel class of a step (called as factory(step, attempt)), or None."""
    target = PANELS.get(step_id)
    if target is None:
        return None
    module_name, _, name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None  # not built yet: the step shows its checklist alone
    factory: PanelFactory = getattr(module, name)
    return factory
