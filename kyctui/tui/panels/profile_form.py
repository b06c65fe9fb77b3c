"""The profile form's inputs: the details a level asks for; [ and ] are left to the wizard."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label

from kyctui.tui.widgets.bounded_text import BoundedTextArea

# The wizard moves between steps with [ and ]. No name, date, number or MRZ holds a bracket,
# so the inputs let those two keys through instead of typing them.
STEP_KEYS = {"left_square_bracket": "[", "right_square_bracket": "]"}

# Levels whose verification includes a proof of address (checklist.toml levels).
ADDRESS_LEVELS = frozenset({"advanced"})


@dataclass(frozen=True)
class FieldSpec:
    """One Profile field as the form asks for it."""

    name: str  # the Profile field
    label: str
    placeholder: str


IDENTITY_FIELDS = (
    FieldSpec("full_name", "Full legal name", "every name, spelt and ordered as on the document"),
    FieldSpec("date_of_birth", "Date of birth", "e.g. 12.08.1974 or 12 Aug 1974"),
    FieldSpec("nationality", "Nationality", "the code on the document, e.g. DEU"),
    FieldSpec("document_number", "Document number", "character by character: 0 or O?"),
    FieldSpec("document_expiry", "Expiry date", "e.g. 30.05.2031"),
)
ADDRESS_FIELDS = (
    FieldSpec("basic_level_name", "Name at basic level", "the name you verified with first"),
    FieldSpec("address_name", "Name on address proof", "as printed on the bill or statement"),
    FieldSpec("address", "Address", "street, number, flat, city, postal code"),
    FieldSpec("address_issued", "Address proof issued", "the date printed on it"),
)
EMAIL_FIELD = FieldSpec("email", "Email (optional)", "only used in your support ticket")

# How each date field is named in a question about it.
DATE_FIELD_NAMES = {
    "date_of_birth": "date of birth",
    "document_expiry": "expiry date",
    "address_issued": "proof of address's issue date",
}


def fields_for(level: str) -> tuple[FieldSpec, ...]:
    """The fields the form shows for a verification level, in order."""
    address = ADDRESS_FIELDS if level in ADDRESS_LEVELS else ()
    return (*IDENTITY_FIELDS, *address, EMAIL_FIELD)


# Longer than any real name, address or zone (an MRZ is at most 3 x 30 or 2 x 44 characters):
# a stray paste of a whole document must not stall every keystroke's check.
MAX_FIELD, MAX_MRZ = 300, 400


class FieldInput(Input):
    """A one-line input for a Profile field that leaves the wizard's step keys to the wizard."""

    def __init__(self, spec: FieldSpec, value: str) -> None:
        super().__init__(
            value,
            placeholder=spec.placeholder,
            id=f"field-{spec.name}",
            compact=True,
            max_length=MAX_FIELD,
        )
        self.field_name = spec.name

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key not in STEP_KEYS and super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if event.key in STEP_KEYS:
            event.prevent_default()  # not typed: the key bubbles to the wizard's binding


class MrzArea(BoundedTextArea):
    """The machine-readable zone, typed line by line or pasted whole."""

    DEFAULT_CSS = """
    MrzArea { height: 4; width: 1fr; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(
            text,
            max_length=MAX_MRZ,
            id="field-mrz",
            soft_wrap=False,
            tab_behavior="focus",
            compact=True,
        )
        self.field_name = "mrz"

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return key not in STEP_KEYS and super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if event.key in STEP_KEYS:
            event.prevent_default()

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()  # the zone's text, not a photo path for the wizard to attach


class FieldRow(Horizontal):
    """A label and its input on one line."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > Label { width: 23; color: $text-muted; }
    FieldRow > Input { width: 1fr; }
    """

    def __init__(self, label: str, control: Widget) -> None:
        super().__init__()
        self._label = label
        self._control = control

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        yield self._control
