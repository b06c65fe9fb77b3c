"""Messages that workers and widgets post to the screens, as dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from kyctui.domain.attempts import Attempt, StoredPhoto


@dataclass
class AttemptLoaded(Message):
    """An attempt was read from the store (or re-read after a change)."""

    attempt: Attempt


@dataclass
class Saved(Message):
    """A change reached the database."""

    what: str


@dataclass
class SaveFailed(Message):
    """A change could not be saved; the screen keeps it in memory and says so."""

    what: str
    reason: str


@dataclass
class PhotoChecked(Message):
    """A photo attached to a slot was checked and saved."""

    slot: str
    photo: StoredPhoto


@dataclass
class PhotoCheckProgress(Message):
    """A photo's check reached another stage (posted from the checking thread)."""

    slot: str
    stage: str


@dataclass
class PhotoCheckFailed(Message):
    """A photo could not be checked at all (its results say why)."""

    slot: str
    reason: str


@dataclass
class ItemToggled(Message):
    """A checklist item's state changed: by the user, or set by a panel's check."""

    item_id: str
    state: str
    by_program: bool = False  # True when a panel's check set it (its item view must catch up)


@dataclass
class AttachRequested(Message):
    """The user asked to attach a photo to a slot."""

    slot: str
