"""Recording an answer: the modal asks, a worker saves and reopens items, open screens catch up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import partial
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from kyctui.domain.attempts import Attempt, ItemState
from kyctui.domain.escalation import Advice, advise
from kyctui.domain.outcomes import Outcome, OutcomeResult
from kyctui.domain.store import Store, StoreError
from kyctui.knowledge import KnowledgeError, load_exchange
from kyctui.knowledge.checklist import plan_for
from kyctui.knowledge.rejections import rejection_catalog
from kyctui.tui.messages import ItemToggled
from kyctui.tui.screens.outcome import Draft, OutcomeEntry, OutcomeModal

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp

# What the user typed in a modal they closed without recording, per app and attempt: kept in
# memory only (an unrecorded answer is not history yet), offered again when the modal reopens.
_DRAFTS: WeakKeyDictionary[KycApp, dict[int, Draft]] = WeakKeyDictionary()
_LABELS = {
    OutcomeResult.APPROVED: "approved",
    OutcomeResult.UNDER_REVIEW: "under review",
    OutcomeResult.REJECTED: "rejected",
}


@dataclass(frozen=True)
class Recorded:
    """The result of saving one answer."""

    attempt: Attempt  # as stored afterwards
    outcome: Outcome
    reopened: tuple[str, ...]  # checklist item ids set back to "to do"
    reason_title: str  # the catalog reason's title, or ""
    advice: Advice | None  # None when the knowledge files could not give any
    problem: str = ""  # why the items or the advice are missing, if they are


def save_outcome(
    store: Store, attempt_id: int, entry: OutcomeEntry, now: datetime, tz: tzinfo
) -> Recorded:
    """Record `entry`, reopen the done items its reason says to redo, and work out the new
    advice. Blocking: call it from a thread worker. StoreError if nothing could be saved."""
    outcome = store.record_outcome(attempt_id, entry.result, entry.reason_id, entry.reason_text,
                                   entry.message, entry.occurred_at, now)  # fmt: skip
    attempt = store.get_attempt(attempt_id)
    reopened: list[str] = []
    title, advice, problem = "", None, ""
    try:
        catalog = rejection_catalog(attempt.exchange)
        reason = catalog.get(entry.reason_id) if entry.reason_id else None
        title = reason.title if reason else ""
        if reason is not None and entry.result is OutcomeResult.REJECTED:
            plan = plan_for(load_exchange(attempt.exchange), attempt.level, attempt.document_type)
            in_plan = {item.id for step in plan for item in step.items}
            for item_id in reason.reopens:
                # Only what was done: an item marked "not applicable" stays so (no glasses to
                # take off is still no glasses after a rejection).
                if item_id in in_plan and attempt.items.get(item_id) is ItemState.DONE:
                    store.set_item(attempt_id, item_id, ItemState.TODO, now)
                    attempt.items[item_id] = ItemState.TODO
                    reopened.append(item_id)
        outcomes, actions = store.history(attempt.exchange)
        advice = advise(outcomes, actions, now, tz, catalog)
    except (KnowledgeError, KeyError, ValueError) as exc:
        problem = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return Recorded(attempt, outcome, tuple(reopened), title, advice, problem)


def record_outcome(app: KycApp, attempt_id: int, exchange: str) -> None:
    """Ask for the exchange's answer on attempt `attempt_id`, then save it off the UI thread."""
    try:
        catalog = rejection_catalog(exchange)
    except (KnowledgeError, KeyError) as exc:
        app.notify(f"Cannot record an answer here: {exc}", severity="error", timeout=10)
        return
    drafts = _DRAFTS.setdefault(app, {})
    modal = OutcomeModal(attempt_id, catalog, app.local(app.now()), drafts.get(attempt_id))

    def chosen(entry: OutcomeEntry | None) -> None:
        if entry is None:
            drafts[attempt_id] = modal.draft()
            return
        drafts.pop(attempt_id, None)
        app.run_worker(partial(_save, app, attempt_id, entry), thread=True, group="outcome")

    app.push_screen(modal, chosen)


def _save(app: KycApp, attempt_id: int, entry: OutcomeEntry) -> None:
    now = app.now()
    tz = app.local(now).tzinfo or UTC
    try:
        recorded = save_outcome(app.store, attempt_id, entry, now, tz)
    except StoreError as exc:
        app.call_from_thread(app.notify, f"Not recorded: {exc}", severity="error", timeout=10)
        return
    app.call_from_thread(_catch_up, app, recorded)


def _catch_up(app: KycApp, recorded: Recorded) -> None:
    """Say what changed, and bring the screens that show this attempt up to date."""
    from kyctui.tui.screens.attempts import AttemptsScreen

    outcome, fresh = recorded.outcome, recorded.attempt
    # The typed reason is the user's text: it is not repeated in a notification.
    said = f"Recorded: {_LABELS[outcome.result]}"
    said += f" ({recorded.reason_title})." if recorded.reason_title else "."
    if recorded.reopened:
        count = len(recorded.reopened)
        said += f" {count} checklist item{'s' if count > 1 else ''} reopened."
    if recorded.advice is not None:
        said += f"\n{recorded.advice.headline}"
    app.notify(said, timeout=8)
    if recorded.problem:
        app.notify(f"No advice: {recorded.problem}", severity="warning", timeout=10)
    for screen in app.screen_stack:
        if isinstance(screen, AttemptsScreen):
            screen.reload()
        kept = getattr(screen, "attempt", None)  # the wizard's working copy of this attempt
        if isinstance(kept, Attempt) and kept.id == fresh.id:
            kept.status = fresh.status
            kept.outcomes[:] = fresh.outcomes
            # The wizard saves, mirrors and shows an item set back through its usual message.
            for item_id in recorded.reopened:
                screen.post_message(ItemToggled(item_id, str(ItemState.TODO), by_program=True))
