"""The history of one exchange: each answer with its reason, message and time, newest first."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from kyctui.domain.attempts import AttemptSummary
from kyctui.domain.display import safe_text
from kyctui.domain.outcomes import Outcome, OutcomeResult

# How each answer reads, and its colour: a rejection must stand out in a long history.
_RESULT = {
    OutcomeResult.APPROVED: ("✓ approved", "green"),
    OutcomeResult.UNDER_REVIEW: ("… under review", "yellow"),
    OutcomeResult.REJECTED: ("✗ rejected", "bold red"),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the history: an answer, or an attempt with none recorded yet."""

    when: datetime  # aware; the answer's time, or when the attempt was started
    attempt_id: int
    result: OutcomeResult | None  # None: no answer recorded for this attempt
    reason: str  # catalog title or the typed reason; "" when none
    message: str  # the exchange's own words, as pasted; "" when none


def timeline_entries(
    summaries: Sequence[AttemptSummary],
    outcomes: Sequence[Outcome],
    reason_titles: Mapping[str, str],
) -> list[TimelineEntry]:
    """The entries of one exchange, newest first: every answer, and every attempt not answered."""
    entries = [
        TimelineEntry(
            o.occurred_at,
            o.attempt_id,
            o.result,
            reason_titles.get(o.reason_id, o.reason_id) if o.reason_id else o.reason_text,
            o.message,
        )
        for o in outcomes
    ]
    answered = {o.attempt_id for o in outcomes}
    entries += [
        TimelineEntry(s.created_at, s.id, None, "", "") for s in summaries if s.id not in answered
    ]
    return sorted(entries, key=lambda e: (e.when, e.attempt_id), reverse=True)


class Timeline(Static):
    """A plain list of what happened; pasted messages are shown as text, never as markup."""

    DEFAULT_CSS = """
    Timeline { height: auto; padding: 0 1; }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.entries: list[TimelineEntry] = []

    def show(
        self, title: str, entries: Sequence[TimelineEntry], local: Callable[[datetime], datetime]
    ) -> None:
        """Show `entries` under `title`, times converted by `local` to the user's clock."""
        self.entries = list(entries)
        text = Text(title, style="bold")
        if not entries:
            text.append("\nNothing recorded yet.", style="dim")
        for entry in entries:
            moment = local(entry.when)
            text.append(f"\n{moment:%a %d %b %H:%M}  ", style="dim")
            text.append(f"#{entry.attempt_id}  ")
            if entry.result is None:
                text.append("started, no answer recorded", style="italic")
                continue
            label, style = _RESULT[entry.result]
            text.append(label, style=style)
            if entry.reason:
                text.append(f" · {safe_text(entry.reason)}")
            if entry.message:
                # Pasted text keeps its words, not its line breaks or terminal controls.
                words = safe_text(" ".join(entry.message.split()), limit=300)
                text.append(f"\n    “{words}”", style="italic")
        self.update(text)
