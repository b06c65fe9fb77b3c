"""A photo drawn in half-cell blocks: its lines are made off the UI thread, then only shown."""

from __future__ import annotations

import io
from typing import Any

from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


def cells_for(pixels: tuple[int, int], box: Size) -> Size:
    """The cells a photo of `pixels` takes in `box`: the box's height and the width its shape
    needs there (at most the box's), as textual-image sizes an image of width auto, height 100%."""
    from textual_image._terminal import get_cell_size

    width, height = pixels
    if not (width and height and box.width and box.height):
        return Size(0, 0)
    cell = get_cell_size()
    columns = round(box.height * cell.height * width / height / cell.width)
    return Size(min(columns, box.width), box.height)


def block_lines(image: Any, cells: Size) -> list[Strip]:
    """`image` (a Pillow image) as lines of half-cell blocks filling `cells`, drawn by
    textual-image's own half-cell renderable. Safe in a worker thread once textual-image is
    imported (graphics.image_widget_class): a frame then only shows the lines."""
    from rich.console import Console
    from rich.segment import Segment
    from textual_image.renderable.halfcell import Image as Halfcell

    if not cells.area:
        return []
    renderable = Halfcell(image, cells.width, cells.height)
    console = Console(file=io.StringIO(), width=cells.width, height=cells.height)
    segments = console.render(renderable, console.options)
    return [Strip(line, cells.width) for line in Segment.split_lines(segments)]


class BlockImage(Widget):
    """Shows the lines of `block_lines`. Drawing them on the UI thread took 20-50 ms of the key
    press that showed a new photo (a Python loop over every cell, then Rich's rendering)."""

    DEFAULT_CSS = """
    BlockImage { width: auto; height: auto; }
    """

    def __init__(self, image: Any, lines: list[Strip], *, classes: str | None = None) -> None:
        """`lines` are made for the box the photo is expected in; another box (the terminal
        was resized) has them made again, here."""
        super().__init__(classes=classes)
        self._image = image
        self._lines = lines
        self._cells = Size(lines[0].cell_length, len(lines)) if lines else Size(0, 0)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return cells_for(self._image.size, container).width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return cells_for(self._image.size, container).height

    def render_line(self, y: int) -> Strip:
        if self.size != self._cells:
            self._lines, self._cells = block_lines(self._image, self.size), self.size
        return self._lines[y] if y < len(self._lines) else Strip.blank(self.size.width)
