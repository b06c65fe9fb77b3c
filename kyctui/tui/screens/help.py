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
4. **Profile match**: type your details as on the document (and paste its machine-readable
   zone): kyctui compares them, checks the dates and asks when a date could be read two ways.
5. **Connection** and **Permissions**: `t` measures the connection to the exchange; the
   permissions step finds cameras, microphones and browsers, with the phone settings to check.
6. **Ready**: what passed, what is still open, and what to fix first.
7. **After the exchange answers**: `o` records the outcome (the reason reopens what to redo),
   the attempts screen shows the advice for your next try, and `e` exports a support ticket
   with your personal data redacted.

Everything is saved as you go: `q` quits, and `kyctui` picks up where you left off.

| key | does |
| --- | --- |
| `n` | new attempt |
| `enter` | open the highlighted attempt / attach a photo |
| `d` | delete the highlighted attempt |
| `o` | record the exchange's answer (approved, under review, rejected and why) |
| `e` | export the support-ticket summary |
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
