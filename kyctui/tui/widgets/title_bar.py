"""The title line at the top of a screen: what Textual's Header shows, drawn as one widget."""

from __future__ import annotations

from textual.content import Content
from textual.events import MouseMove
from textual.style import Style
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # Header's icon: a cell of padding, the icon, and room to click it
RIGHT_WIDTH = 10  # Header's space for a clock, kept so the title is centred as it was


class TitleBar(Widget):
    """The app's title and the screen's sub-title, centred, with the icon that opens the
    command palette on the left. Textual's Header mounts four widgets for this line (about 4% of
    the start-up time); a click on it no longer makes it three lines tall."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top; width: 100%; height: 1; background: $panel; color: $foreground;
        link-color: $foreground; link-style: none; link-background-hover: $foreground 10%;
        link-color-hover: $foreground; link-style-hover: none;
    }
    """

    def on_mount(self) -> None:
        screen = self.screen
        for node in (self.app, screen):
            for name in ("title", "sub_title"):
                self.watch(node, name, self._retitle, init=False)

    def on_mouse_move(self, event: MouseMove) -> None:
        self.tooltip = "Open the command palette" if event.x < ICON_WIDTH else None

    def _retitle(self) -> None:
        self.refresh()

    def _title(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        middle = max(0, self.size.width - ICON_WIDTH - RIGHT_WIDTH)
        icon = Content.styled(f" {ICON}".ljust(ICON_WIDTH), _CLICK_ICON)
        title = self._title().truncate(middle, ellipsis=True)
        left = (middle - title.cell_length) // 2
        return Content.assemble(icon, title.pad(left, middle - left - title.cell_length),
                                " " * RIGHT_WIDTH)  # fmt: skip


# A click on the icon opens the command palette, and hovering it shades it, as in the Header.
_CLICK_ICON = Style.from_meta({"@click": "app.command_palette"})
