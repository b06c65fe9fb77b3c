"""A TextArea that keeps at most a set number of characters, so a huge paste cannot stall the UI."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea


class BoundedTextArea(TextArea):
    """Pasted text beyond `max_length` is cut (and the user told): an exchange's message or an
    MRZ is a few hundred characters, while a stray megabyte would freeze every redraw."""

    def __init__(self, text: str = "", *, max_length: int, **kwargs: object) -> None:
        super().__init__(text[:max_length], **kwargs)  # type: ignore[arg-type]
        self.max_length = max_length

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual then calls TextArea's own _on_paste (handlers run down the MRO): cut the text
        # here, and do not call it a second time.
        room = max(0, self.max_length - len(self.text) + len(self.selected_text))
        if len(event.text) > room:
            event.text = event.text[:room]
            self.notify(
                f"Only the first {self.max_length:,} characters are kept here.", severity="warning"
            )
