"""The help modal: what kyctui does and the keys that drive it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# kyctui

Prepare an identity verification (KYC) at a crypto exchange so it passes the first time.

1. **Attempts**: each verification you prepare is an attempt. `n` starts one, `enter` continues it.
2. **Wizard**: walk the steps in order. Tick an item with `space` when it is true, `n` when it does
   not apply to you. `]` goes to the next step, `[` back.
3. **Documents**: on a photo slot press `a` (or `enter`) to pick a photo, or paste its path.
   kyctui checks it on the spot and shows every measurement with the limit and the fix.
   Photos are never copied: kyctui remembers the path, a fingerprint and the results.
4. **Ready**: what passed, what is still open, and what to fix first.

Everything is saved as you go: `q` quits, and `kyctui` picks up where you left off.

| key | does |
| --- | --- |
| `n` | new attempt |
| `enter` | open the highlighted attempt / attach a photo |
| `d` | delete the highlighted attempt |
| `space` | mark a checklist item done (again to undo) |
| `]` / `[` | next / previous step |
| `ctrl+p` | command palette (themes too) |
| `escape` | back |
| `q` | quit |
"""


class HelpModal(ModalScreen[None]):
    """Press escape, q or ? to close."""

    DEFAULT_CSS = """
    HelpModal { align: center middle; }
    HelpModal > VerticalScroll { width: 90; max-width: 95%; height: 90%; border: thick $accent;
                                 background: $surface; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)
