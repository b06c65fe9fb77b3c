"""One checklist item: its state, title, and the one-line why and how beside it."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from kyctui.domain.attempts import ItemState
from kyctui.knowledge.checklist import ChecklistItem
from kyctui.tui.messages import ItemToggled

_MARK = {
    ItemState.TODO: ("[ ]", ""),
    ItemState.DONE: ("[✓]", "green"),
    ItemState.NA: ("[–]", "dim"),
}


class ChecklistItemView(Widget, can_focus=True):
    """A focusable item: space marks it done, n marks it not applicable."""

    DEFAULT_CSS = """
    ChecklistItemView { height: auto; padding: 0 1; margin: 0 0 1 0; }
    ChecklistItemView:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("space,enter", "toggle_done", "Done/undo"),
        Binding("n", "not_applicable", "Not applicable"),
    ]

    state: reactive[ItemState] = reactive(ItemState.TODO)

    def __init__(self, item: ChecklistItem, state: ItemState, automatic: str | None = None) -> None:
        super().__init__(classes=f"item-{item.id.replace('.', '-')}")
        self.item = item
        self.set_reactive(ChecklistItemView.state, state)
        # What the program measured for this item, when it checks it itself (e.g. the photos).
        self.automatic = automatic

    def render(self) -> Text:
        mark, style = _MARK[self.state]
        text = Text()
        text.append(f"{mark} ", style=style or "bold")
        text.append(self.item.title, style="bold" if self.state is ItemState.TODO else style)
        if self.automatic:
            text.append(f"  ({self.automatic})", style="italic")
        text.append(f"\n    Why: {self.item.why}", style="dim")
        text.append(f"\n    How: {self.item.how}")
        return text

    def _set(self, state: ItemState) -> None:
        self.state = state
        self.post_message(ItemToggled(self.item.id, str(state)))

    def action_toggle_done(self) -> None:
        self._set(ItemState.TODO if self.state is ItemState.DONE else ItemState.DONE)

    def action_not_applicable(self) -> None:
        self._set(ItemState.TODO if self.state is ItemState.NA else ItemState.NA)

    def on_click(self) -> None:
        self.focus()
        self.action_toggle_done()
