"""A preview of the attached photo: Kitty or Sixel graphics where the terminal has them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

PREVIEW_PIXELS = 480  # enough for any terminal pane; decoded in draft mode, never full size


def _load(path: Path) -> Any:
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im.draft("RGB", (PREVIEW_PIXELS, PREVIEW_PIXELS))
        shown = ImageOps.exif_transpose(im.convert("RGB"))
        shown.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
        return shown


class PhotoPreview(Container):
    """Shows one photo, loaded off the UI thread."""

    DEFAULT_CSS = """
    PhotoPreview { height: 16; border: round $panel; }
    PhotoPreview > Static { color: $text-muted; padding: 1; }
    PhotoPreview > .image { width: auto; height: 100%; }
    """

    def compose(self) -> ComposeResult:
        yield Static("No photo selected.", id="preview-note")

    def show(self, path: str | None) -> None:
        """Preview `path`, or say there is nothing to show."""
        for old in self.query(".image"):
            old.remove()
        note = self.query_one("#preview-note", Static)
        if path is None:
            note.update("No photo selected.")
            note.display = True
            return
        note.update("Loading preview…")
        note.display = True
        self._load(path)

    @work(thread=True, exclusive=True, group="preview")
    def _load(self, path: str) -> None:
        from kyctui.domain.photos.decode import DECODE_ERRORS  # deferred: Pillow and numpy

        try:
            image = _load(Path(path))
        except DECODE_ERRORS:
            self.app.call_from_thread(self._show_note, "No preview: the file cannot be decoded.")
            return
        self.app.call_from_thread(self._mount, image)

    def _show_note(self, text: str) -> None:
        note = self.query_one("#preview-note", Static)
        note.update(text)
        note.display = True

    def _mount(self, image: Any) -> None:
        from kyctui.tui.graphics import image_widget_class

        try:
            ImageWidget = image_widget_class()
        except ImportError:  # a broken install must cost the preview, not the session
            self._show_note("No preview: textual-image is not installed.")
            return
        self.query_one("#preview-note", Static).display = False
        self.mount(ImageWidget(image, classes="image"))
