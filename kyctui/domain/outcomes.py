"""What the exchange answered, and what the user did about it: the facts escalation works from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class OutcomeResult(StrEnum):
    """The exchange's answer to one submission."""

    APPROVED = "approved"
    UNDER_REVIEW = "under-review"
    REJECTED = "rejected"


class Action(StrEnum):
    """Things the seeds tell a user to try after a failure; ticked by the user when done."""

    WAITED = "waited"
    CLEARED_CACHE = "cleared-cache"
    UPDATED_APP = "updated-app"
    SWITCHED_DEVICE = "switched-device"
    USED_WEB_FLOW = "used-web-flow"
    CONTACTED_SUPPORT = "contacted-support"


@dataclass(frozen=True)
class Outcome:
    """One recorded answer. `reason_id` names an entry of the exchange's rejection catalog;
    `reason_text` is what the user typed when no catalog entry fits (either may be empty)."""

    attempt_id: int
    exchange: str
    result: OutcomeResult
    reason_id: str  # "" when not a catalog reason
    reason_text: str  # free text; "" when a catalog reason was picked
    message: str  # the exchange's own words, as pasted
    occurred_at: datetime  # when the exchange answered (timezone-aware UTC)
    recorded_at: datetime  # when it was recorded in kyctui (timezone-aware UTC)


@dataclass(frozen=True)
class ActionTaken:
    """One action the user ticked, and when."""

    attempt_id: int
    exchange: str
    action: Action
    taken_at: datetime  # timezone-aware UTC


@dataclass(frozen=True)
class DeviceInfo:
    """What the user says about the device they verify on (the computer's own OS is detected)."""

    phone_model: str = ""
    os_version: str = ""
    browser_or_app: str = ""  # e.g. "Chrome 131" or "OKX app 6.90"
