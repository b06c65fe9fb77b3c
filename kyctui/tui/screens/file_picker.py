"""A file picker showing only photos (and PDFs where accepted), or taking a typed path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Static

from kyctui.domain.photos.sniff import EXTENSIONS

IMAGE_EXTENSIONS = tuple(ext for fmt, exts in EXTENSIONS.items() if fmt != "pdf" for ext in exts)


class PhotoTree(DirectoryTree):
    """Folders (not hidden) and files whose names say they are photos."""

    def __init__(self, path: Path, extensions: tuple[str, ...]) -> None:
        super().__init__(path, id="tree")
        self.extensions = extensions

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or path.name.lower().endswith(self.extensions):
                    shown.append(path)
            except OSError:  # unreadable entries are left out, not fatal
                continue
        return shown


class FilePickerModal(ModalScreen[Path | None]):
    """Pick a file in the tree, or type or paste a path and press enter."""

    DEFAULT_CSS = """
    FilePickerModal { align: center middle; }
    FilePickerModal > Vertical { width: 90%; height: 90%; border: thick $accent;
                                 background: $surface; padding: 0 1; }
    FilePickerModal #tree { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, start: Path, allow_pdf: bool = False) -> None:
        super().__init__()
        self.heading = title
        self.start = start
        self.extensions = IMAGE_EXTENSIONS + ((".pdf",) if allow_pdf else ())

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.heading}[/b]: pick a photo, or type or paste its path")
            yield Input(placeholder="/path/to/photo.jpg", id="path")
            yield PhotoTree(self.start, self.extensions)

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(event.path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = parse_pasted_path(event.value)
        if path is None:
            self.notify("Type the path of a photo file.", severity="warning")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


def parse_pasted_path(text: str) -> Path | None:
    """The path a terminal pastes when a file is dropped on it (quoted, file://, escaped)."""
    from urllib.parse import unquote, urlparse

    text = text[:4096].strip()  # a 1 MB paste is not a path; do not process all of it
    if not text or "\n" in text:
        return None
    if text[0] == text[-1] and text[0] in "'\"" and len(text) > 1:
        text = text[1:-1]
    if text.startswith("file://"):
        text = unquote(urlparse(text).path)
    text = text.replace("\\ ", " ")  # shells escape spaces when a file is dropped
    return Path(text).expanduser()
