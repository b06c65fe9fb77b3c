"""What a support ticket is made from: an attempt and its exchange's history, gathered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from kyctui.domain.attempts import Attempt
from kyctui.domain.outcomes import ActionTaken, DeviceInfo
from kyctui.domain.profile import Profile
from kyctui.domain.store_errors import AttemptNotFound
from kyctui.domain.sysinfo import SystemInfo, detect_system

if TYPE_CHECKING:
    from kyctui.domain.store import Store


@dataclass(frozen=True)
class Ticket:
    """Everything render_ticket needs; ids are shown through the title mappings when known."""

    attempt: Attempt  # the attempt the ticket is about
    attempts: tuple[Attempt, ...]  # every attempt at the same exchange, oldest first
    system: SystemInfo
    generated_at: datetime  # timezone-aware
    tz: tzinfo | None  # times are shown in this zone; None: the system's, with its DST rules
    exchange_name: str = ""
    level_titles: Mapping[str, str] = field(default_factory=dict)
    document_titles: Mapping[str, str] = field(default_factory=dict)
    slot_titles: Mapping[str, str] = field(default_factory=dict)
    reason_titles: Mapping[str, str] = field(default_factory=dict)  # catalog id → title
    advice: str | None = None  # the escalation policy's headline, filled in by the caller

    @property
    def device(self) -> DeviceInfo:
        """The device entered on this attempt, else the latest one entered at this exchange."""
        if self.attempt.device != DeviceInfo():
            return self.attempt.device
        entered = [a.device for a in self.attempts if a.device != DeviceInfo()]
        return entered[-1] if entered else DeviceInfo()

    @property
    def profile(self) -> Profile:
        """The profile typed on this attempt, else the latest one typed at this exchange."""
        if not self.attempt.profile.empty:
            return self.attempt.profile
        typed = [a.profile for a in self.attempts if not a.profile.empty]
        return typed[-1] if typed else Profile()

    @property
    def actions(self) -> list[ActionTaken]:
        """Actions ticked on any attempt at this exchange, oldest first."""
        taken = [t for a in self.attempts for t in a.actions]
        return sorted(taken, key=lambda t: (t.taken_at, t.attempt_id, str(t.action)))


def build_ticket(
    store: Store,
    attempt_id: int,
    now: datetime,
    tz: tzinfo | None,
    *,
    system: SystemInfo | None = None,
    reason_titles: Mapping[str, str] | None = None,
    advice: str | None = None,
) -> Ticket:
    """The ticket of one attempt with the history of its exchange (AttemptNotFound if none)."""
    from kyctui.knowledge import load_exchanges
    from kyctui.knowledge.checklist import load_checklist

    attempt = store.get_attempt(attempt_id)
    attempts = [attempt]
    for summary in store.list_attempts():
        if summary.exchange == attempt.exchange and summary.id != attempt_id:
            try:
                attempts.append(store.get_attempt(summary.id))
            except AttemptNotFound:  # deleted from another window meanwhile
                continue
    attempts.sort(key=lambda a: (a.created_at, a.id))
    exchanges = load_exchanges()
    checklist = load_checklist()
    return Ticket(
        attempt=attempt,
        attempts=tuple(attempts),
        system=system or detect_system(),
        generated_at=now,
        tz=tz,
        exchange_name=exchanges[attempt.exchange].name if attempt.exchange in exchanges else "",
        level_titles={lv.id: lv.title for lv in checklist.levels},
        document_titles={d.id: d.title for d in checklist.document_types},
        slot_titles={rule.slot.kind: rule.slot.title for rule in checklist.slots},
        reason_titles=dict(reason_titles or {}),
        advice=advice,
    )
