"""One verification attempt: checklist states, photo results, profile, device, outcomes, summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kyctui.domain.outcomes import ActionTaken, DeviceInfo, Outcome, OutcomeResult
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.profile import Profile


class ItemState(StrEnum):
    """Where one checklist item stands."""

    TODO = "todo"
    DONE = "done"
    NA = "na"  # not applicable to this person or document


class AttemptStatus(StrEnum):
    """Where the whole attempt stands, from filling in to the exchange's answer."""

    IN_PROGRESS = "in-progress"
    READY = "ready"
    APPROVED = "approved"
    UNDER_REVIEW = "under-review"
    REJECTED = "rejected"


# Attempts the user may still want to resume; the others wait on, or have, the exchange's answer.
UNFINISHED: frozenset[AttemptStatus] = frozenset({AttemptStatus.IN_PROGRESS, AttemptStatus.READY})


@dataclass(frozen=True)
class StoredPhoto:
    """What is kept about one checked photo: never pixels, only where it is and what was found."""

    slot: str  # a photo kind such as "id-front"
    path: str
    size_bytes: int | None  # None when the file could not be read
    sha256: str | None
    phash: str | None
    width: int | None
    height: int | None
    verdict: Status
    checks: tuple[CheckResult, ...]
    checked_at: datetime


@dataclass
class Attempt:
    """One attempt as loaded. Plain, not frozen: the wizard keeps it as its working copy and
    mirrors each change it saves through the Store; changing it alone saves nothing."""

    id: int
    exchange: str
    level: str
    document_type: str
    created_at: datetime  # timezone-aware UTC
    updated_at: datetime  # timezone-aware UTC
    step: str
    status: AttemptStatus
    items: dict[str, ItemState]  # by checklist item id
    photos: dict[str, StoredPhoto]  # by slot
    profile: Profile = field(default_factory=Profile)
    device: DeviceInfo = field(default_factory=DeviceInfo)
    outcomes: list[Outcome] = field(default_factory=list)  # oldest first
    actions: list[ActionTaken] = field(default_factory=list)  # oldest first


@dataclass(frozen=True)
class AttemptSummary:
    """One row of the attempts list."""

    id: int
    exchange: str
    level: str
    document_type: str
    created_at: datetime
    updated_at: datetime
    step: str
    status: AttemptStatus
    items_done: int
    photos: int
    failures: int  # photos whose verdict is fail
    latest_result: OutcomeResult | None = None  # the exchange's latest answer, if any
    latest_reason: str = ""  # its catalog reason id, or the reason as typed

    @property
    def unfinished(self) -> bool:
        """Whether the user may still want to resume it."""
        return self.status in UNFINISHED
