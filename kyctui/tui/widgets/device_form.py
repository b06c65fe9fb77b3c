"""The device the user verifies on (phone model, OS version, browser or app), as three inputs."""

from __future__ import annotations

from dataclasses import dataclass, fields

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from kyctui.domain.outcomes import DeviceInfo

# Field → (title, example); the titles stand in the inputs' borders, so they stay readable
# once something is typed.
FIELDS = {
    "phone_model": ("Phone model", "e.g. Pixel 7"),
    "os_version": ("Phone OS version", "e.g. Android 14"),
    "browser_or_app": ("Browser or app version", "e.g. OKX app 6.90"),
}
assert set(FIELDS) == {f.name for f in fields(DeviceInfo)}
DEBOUNCE = 0.5  # seconds of quiet typing before a change is reported


class DeviceForm(Horizontal):
    """Posts DeviceForm.Changed half a second after typing stops, on enter, on leaving a field
    and on commit(): the screen saves it, so what is typed is never lost."""

    DEFAULT_CSS = """
    DeviceForm { height: auto; }
    DeviceForm Input { width: 1fr; border-title-color: $foreground; }
    """

    @dataclass
    class Changed(Message):
        """The device details differ from what was last reported."""

        device: DeviceInfo

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.device = DeviceInfo()  # as last shown or reported
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        for name, (title, example) in FIELDS.items():
            box = Input(placeholder=example, id=name, max_length=80)
            box.border_title = title
            yield box

    def show(self, device: DeviceInfo) -> None:
        """Fill the inputs without reporting a change."""
        self.device = device
        for name in FIELDS:
            box = self.query_one(f"#{name}", Input)
            with box.prevent(Input.Changed):
                box.value = getattr(device, name)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.commit)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        self.commit()

    def commit(self, report: bool = True) -> DeviceInfo | None:
        """The typed details if they changed since last reported (posting Changed unless
        `report` is false), else None."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        typed = {name: self.query_one(f"#{name}", Input).value.strip() for name in FIELDS}
        device = DeviceInfo(**typed)
        if device == self.device:
            return None
        self.device = device
        if report:
            self.post_message(self.Changed(device))
        return device
