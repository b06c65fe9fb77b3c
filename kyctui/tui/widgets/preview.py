"""A preview of the attached photo: Kitty or Sixel graphics where the terminal has them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Container
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from kyctui.tui.graphics import draws_blocks, image_widget_class
from kyctui.tui.widgets.block_image import BlockImage, block_lines, cells_for

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

    _wanted: tuple[str, object] | None = None  # the path and version shown, or being loaded
    _box = Size(0, 0)  # inside the border, when last laid out (kept while the panel is hidden)

    def compose(self) -> ComposeResult:
        yield Static("No photo selected.", id="preview-note")

    def on_resize(self) -> None:
        self._box = self.content_size

    def show(self, path: str | None, version: object = None) -> None:
        """Preview `path`, or say there is nothing to show. The photo already shown (the same
        path and `version`, such as its content hash) is not loaded again: decoding and drawing
        it cost a step change 50-100 ms while other photos were checked."""
        wanted = None if path is None else (path, version)
        if wanted == self._wanted:
            return
        self._wanted = wanted
        for old in self.query(".image"):
            old.remove()
        note = self.query_one("#preview-note", Static)
        if path is None:
            note.update("No photo selected.")
            note.display = True
            return
        try:
            blocks = draws_blocks()
        except ImportError:  # a broken install must cost the preview, not the session
            self._show_note("No preview: textual-image is not installed.")
            return
        note.update("Loading preview…")
        note.display = True
        self._load(path, wanted, self._box if blocks else None)

    @work(thread=True, exclusive=True, group="preview")
    def _load(self, path: str, wanted: tuple[str, object], box: Size | None) -> None:
        """Decode the photo and, when it is drawn in blocks, draw it for `box`, here."""
        from kyctui.domain.photos.decode import DECODE_ERRORS  # deferred: Pillow and numpy

        try:
            image = _load(Path(path))
        except DECODE_ERRORS:
            note = "No preview: the file cannot be decoded."
            self.app.call_from_thread(self._show_note, note, wanted)
            return
        lines = None if box is None else block_lines(image, cells_for(image.size, box))
        self.app.call_from_thread(self._mount, image, lines, wanted)

    def _show_note(self, text: str, wanted: tuple[str, object] | None = None) -> None:
        if wanted is not None and wanted != self._wanted:
            return  # another photo was asked for meanwhile
        note = self.query_one("#preview-note", Static)
        note.update(text)
        note.display = True

    def _mount(self, image: Any, lines: list[Strip] | None, wanted: tuple[str, object]) -> None:
        if wanted != self._wanted:
            return  # another photo was asked for meanwhile
        if lines is not None:
            widget: Widget = BlockImage(image, lines, classes="image")
        else:
            widget = image_widget_class()(image, classes="image")  # Kitty or Sixel graphics
        self.query_one("#preview-note", Static).display = False
        self.mount(widget)
