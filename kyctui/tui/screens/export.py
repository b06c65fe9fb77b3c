"""The export screen: the support-ticket summary previewed, saved to a private file or copied."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import UTC
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Input,
    Label,
    Markdown,
    RadioButton,
    RadioSet,
    Static,
    Switch,
)

from kyctui.domain.display import safe_path
from kyctui.domain.export import FORMATS, Format, render_ticket
from kyctui.domain.outcomes import DeviceInfo
from kyctui.domain.private_file import WriteError, write_private
from kyctui.domain.store import StoreError
from kyctui.domain.sysinfo import SystemInfo
from kyctui.domain.ticket import Ticket, build_ticket
from kyctui.tui.widgets.device_form import DeviceForm
from kyctui.tui.widgets.key_bar import KeyBar
from kyctui.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp

_FORMAT_LABELS = {"md": "Markdown", "txt": "Text", "json": "JSON"}
PII_WARNING = (
    "Personal data included: your full name, date of birth, document number, email and address"
    " appear as you entered them. Share this only with the exchange's own support."
)
COPIED = (
    "Copied through the terminal (OSC 52). Some terminals ignore this: if pasting gives"
    " nothing, save to a file instead."
)


class ExportScreen(Screen[None]):
    """Format, personal data on or off, device details, a live preview, save and copy."""

    DEFAULT_CSS = """
    ExportScreen #options { height: auto; }
    ExportScreen #options Label { padding: 1 1 0 1; }
    ExportScreen #format { layout: horizontal; width: auto; margin: 1 0 0 1; }
    ExportScreen #format RadioButton { width: auto; margin-right: 1; }
    ExportScreen #pii { margin-left: 2; }
    ExportScreen #pii-warning { background: $error; color: $text; padding: 0 1;
                                text-style: bold; }
    ExportScreen #save { height: auto; }
    ExportScreen #preview { height: 1fr; border: round $primary; padding: 0 1; }
    ExportScreen #path { width: 1fr; border-title-color: $foreground; }
    ExportScreen #save Button { margin-left: 1; }
    ExportScreen #status { padding: 0 1; height: auto; }
    ExportScreen #status.error { color: $error; text-style: bold; }
    ExportScreen #status.warning { color: $warning; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f", "cycle_format", "Format"),
        Binding("p", "toggle_pii", "Personal data"),
        Binding("s,ctrl+s", "save", "Save to file"),
        Binding("c", "copy", "Copy"),
    ]

    app: KycApp

    def __init__(
        self, attempt_id: int, system: SystemInfo | None = None, fmt: Format = "md"
    ) -> None:
        super().__init__()
        self.attempt_id = attempt_id
        self.start_format = fmt
        self.system = system  # detected when not given (tests and screenshots fix it)
        self.ticket: Ticket | None = None
        self.text = ""  # the rendered summary, as shown and as saved or copied
        self._default_path = ""
        self._confirmed: Path | None = None  # a file the user agreed to replace

    @property
    def format(self) -> Format:
        pressed = self.query_one(RadioSet).pressed_button
        ident = pressed.id.removeprefix("fmt-") if pressed and pressed.id else "md"
        return next((f for f in FORMATS if f == ident), "md")

    @property
    def include_pii(self) -> bool:
        return self.query_one("#pii", Switch).value

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="options"):
            with RadioSet(id="format", compact=True):
                for fmt in FORMATS:
                    chosen = fmt == self.start_format
                    yield RadioButton(_FORMAT_LABELS[fmt], chosen, id=f"fmt-{fmt}")
            yield Switch(False, id="pii")
            yield Label("Include personal data", id="pii-label")
        yield Static(PII_WARNING, id="pii-warning")
        yield DeviceForm(id="device")
        with VerticalScroll(id="preview"):
            yield Markdown("Preparing the summary…", id="md")
            yield Static("Preparing the summary…", id="plain", markup=False)
        with Horizontal(id="save"):
            yield Input(id="path", max_length=4096)
            yield Button("Save to file", id="save-file", variant="primary")
            yield Button("Copy to clipboard", id="copy")
        yield Static("", id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"Support ticket · attempt #{self.attempt_id}"
        path = self.query_one("#path", Input)
        path.border_title = "Save to"
        self._default_path = path.value = f"~/kyctui-ticket-{self.attempt_id}.{self.format}"
        self.query_one("#md").display = self.format == "md"
        self.query_one("#plain").display = self.format != "md"
        self.query_one("#pii-warning").display = False
        self.query_one("#preview").focus()
        self._load()

    # Building and showing the summary ----------------------------------------------------

    @work(thread=True, exclusive=True, group="export-load")
    def _load(self) -> None:
        from kyctui.commands.export import advice_line, reason_titles
        from kyctui.knowledge import KnowledgeError

        now = self.app.now()
        tz = self.app.local(now).tzinfo or UTC
        try:
            ticket = build_ticket(self.app.store, self.attempt_id, now, tz, system=self.system)
        except (StoreError, KnowledgeError) as exc:
            self.app.call_from_thread(self._say, f"Cannot build the summary: {exc}", "error")
            return
        ticket = replace(ticket, reason_titles=reason_titles(ticket.attempt.exchange))
        # A broken data file costs the advice line, not the summary (as in `kyctui export`).
        with suppress(KnowledgeError, KeyError, ValueError):
            ticket = replace(ticket, advice=advice_line(ticket, now, tz))
        self.app.call_from_thread(self._loaded, ticket)

    def _loaded(self, ticket: Ticket) -> None:
        self.ticket = ticket
        # This attempt's details, else the latest entered at this exchange: what is exported.
        self.query_one(DeviceForm).show(ticket.device)
        self._show_text()

    def _show_text(self) -> None:
        if self.ticket is None:
            return
        self.text = render_ticket(self.ticket, self.format, self.include_pii)
        markdown, plain = self.query_one("#md", Markdown), self.query_one("#plain", Static)
        markdown.display = self.format == "md"
        plain.display = not markdown.display
        if markdown.display:
            markdown.update(self.text)
        else:
            plain.update(Text(self.text))

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        path = self.query_one("#path", Input)
        default = f"~/kyctui-ticket-{self.attempt_id}.{self.format}"
        if path.value == self._default_path:  # the user's own path is left alone
            path.value = default
        self._default_path = default
        self._show_text()

    @on(Switch.Changed)
    def _pii_changed(self) -> None:
        # The warning alone is shown or hidden: a class on the screen would restyle every
        # block of the Markdown preview (measured: half a second for a two-attempt ticket).
        self.query_one("#pii-warning").display = self.include_pii
        self._show_text()

    def action_cycle_format(self) -> None:
        buttons = list(self.query_one(RadioSet).query(RadioButton))
        index = FORMATS.index(self.format)
        buttons[(index + 1) % len(buttons)].value = True

    def action_toggle_pii(self) -> None:
        self.query_one("#pii", Switch).toggle()

    # Device details: saved as typed ------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "path":
            self._confirmed = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "path":
            self.action_save()

    @on(DeviceForm.Changed)
    def _device_changed(self, event: DeviceForm.Changed) -> None:
        self._use_device(event.device)

    def _use_device(self, device: DeviceInfo) -> None:
        if self.ticket is not None:
            attempt = replace(self.ticket.attempt, device=device)
            others = tuple(attempt if a.id == attempt.id else a for a in self.ticket.attempts)
            self.ticket = replace(self.ticket, attempt=attempt, attempts=others)
            self._show_text()
        # On the app, not this screen: leaving the screen must not cancel the write.
        self.app.run_worker(partial(self._store_device, device), thread=True, group="device")

    def _store_device(self, device: DeviceInfo) -> None:
        try:
            self.app.store.set_device(self.attempt_id, device, self.app.now())
        except StoreError as exc:
            self.app.call_from_thread(self.app.notify, f"Device details not saved: {exc}",
                                      severity="error", timeout=10)  # fmt: skip

    def action_back(self) -> None:
        device = self.query_one(DeviceForm).commit(report=False)  # typed just before leaving
        if device is not None:
            self._use_device(device)
        self.app.pop_screen()

    # Save and copy -----------------------------------------------------------------------

    def _say(self, message: str, kind: str = "") -> None:
        status = self.query_one("#status", Static)
        status.set_classes(kind)
        status.update(Text(message))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save-file":
            self.action_save()
        elif event.button.id == "copy":
            self.action_copy()

    def action_save(self) -> None:
        if self.ticket is None:
            self._say("The summary is still being prepared.", "warning")
            return
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            self._say("Enter where to save the file, e.g. ~/kyctui-ticket.md.", "error")
            return
        path = Path(typed).expanduser()
        self._write(path, self.text, self.include_pii, overwrite=self._confirmed == path)

    @work(thread=True, exclusive=True, group="export-save")
    def _write(self, path: Path, text: str, pii: bool, overwrite: bool) -> None:
        # A folder or a device is refused by write_private; only a file is worth asking about.
        if not overwrite and (path.is_symlink() or path.is_file()):
            self.app.call_from_thread(self._ask_overwrite, path)
            return
        try:
            written = write_private(path, text)
        except WriteError as exc:
            self.app.call_from_thread(self._say, str(exc), "error")
            return
        what = "with personal data" if pii else "personal data redacted"
        said = f"Saved to {safe_path(written)} ({what}; only you can read it)."
        self.app.call_from_thread(self._say, said)

    def _ask_overwrite(self, path: Path) -> None:
        self._confirmed = path
        self._say(f"{safe_path(path)} already exists: press Save again to replace it, or change"
                  " the path.", "warning")  # fmt: skip

    def action_copy(self) -> None:
        if self.ticket is None:
            self._say("The summary is still being prepared.", "warning")
            return
        self.app.copy_to_clipboard(self.text)
        self._say(COPIED)
