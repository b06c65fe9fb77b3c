"""The escalation policy: from one exchange's answers and the user's actions to the next advice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import cache

from kyctui.domain.outcomes import Action, ActionTaken, Outcome, OutcomeResult
from kyctui.domain.peak_hours import PeakNote, format_local, peak_hours
from kyctui.knowledge.escalation_rules import (
    FILE,
    Condition,
    EscalationRule,
    EscalationRules,
    parse_escalation,
    read_escalation_file,
)
from kyctui.knowledge.loader import load_exchanges
from kyctui.knowledge.rejections import RejectionCatalog, RejectionReason, rejection_catalog


class AdviceLevel(StrEnum):
    """How far escalation has gone, from nothing to do to contacting support."""

    NONE = "none"  # no answer recorded yet
    APPROVED = "approved"
    WAIT_FOR_REVIEW = "wait-for-review"
    FIX_REASON = "fix-reason"
    WAIT_AND_RETRY = "wait-and-retry"
    CLEAR_CACHE_SWITCH_DEVICE = "clear-cache-switch-device"
    CONTACT_SUPPORT = "contact-support"


@dataclass(frozen=True)
class SuggestedStep:
    """One step of the advice; `action` is what the user ticks once it is done."""

    id: str
    text: str
    action: Action | None
    source: str


@dataclass(frozen=True)
class Advice:
    """What to do next on one exchange, and why (`rule` and `source` name the table row)."""

    level: AdviceLevel
    headline: str
    steps: tuple[SuggestedStep, ...]
    fixes: tuple[str, ...]  # the targeted fixes of the latest answer's reason
    reason: RejectionReason | None  # the latest answer's catalog reason, if any
    reason_label: str  # its title, or the text the user typed; "" when none
    retry_at: datetime | None  # aware UTC: earliest sensible next try, or when to check back
    peak: PeakNote | None  # set when the retry time was moved out of the busy hours
    ticket_ready: bool
    failures: int  # failures since the last approval
    rule: str
    source: str


@dataclass(frozen=True)
class _Facts:
    """What the rules' conditions ask about the history."""

    latest: str  # "none" or an OutcomeResult value
    category: str = ""
    review_overdue: bool = False
    repeated: bool = False
    failures: int = 0
    tried: frozenset[str] = frozenset()  # actions done after the first failure, before the latest
    done: frozenset[str] = frozenset()  # actions done since the run began


@cache
def load_policy() -> EscalationRules:
    """The packaged escalation table, checked against the domain's levels and actions."""
    return parse_escalation(
        FILE,
        read_escalation_file(),
        levels=[level.value for level in AdviceLevel],
        actions=[action.value for action in Action],
        exchanges=tuple(load_exchanges()),
    )


def _reason_key(outcome: Outcome) -> str:
    if outcome.reason_id:
        return "id:" + outcome.reason_id
    text = " ".join(outcome.reason_text.casefold().split())
    return "text:" + text if text else ""  # no reason given: never "the same" as another


def _one_exchange(outcomes: Sequence[Outcome], actions: Sequence[ActionTaken]) -> str:
    names = {o.exchange for o in outcomes} | {a.exchange for a in actions}
    if len(names) > 1:
        raise ValueError(f"advice covers one exchange at a time, got {', '.join(sorted(names))}")
    return next(iter(names), "")


def _run(history: list[Outcome]) -> list[Outcome]:
    """The answers since the last approval before the latest one."""
    start = 0
    for index, outcome in enumerate(history[:-1]):
        if outcome.result is OutcomeResult.APPROVED:
            start = index + 1
    return history[start:]


def _review_start(run: list[Outcome]) -> datetime:
    """When the latest attempt first showed "under review" in this unbroken stretch."""
    latest = run[-1]
    start = latest.occurred_at
    for outcome in reversed(run):
        if (
            outcome.result is not OutcomeResult.UNDER_REVIEW
            or outcome.attempt_id != latest.attempt_id
        ):
            break
        start = outcome.occurred_at
    return start


def _facts(
    run: list[Outcome], actions: Sequence[ActionTaken], now: datetime, policy: EscalationRules,
    reason: RejectionReason | None,
) -> _Facts:  # fmt: skip
    """What the rules ask about; `run` ends in the latest answer, which is not an approval."""
    latest = run[-1]
    failures = [o for o in run if o.result is OutcomeResult.REJECTED]
    promised = timedelta(hours=policy.promised_review_hours.value)
    overdue = latest.result is OutcomeResult.UNDER_REVIEW and now - _review_start(run) > promised
    repeated = False
    if latest.result is OutcomeResult.REJECTED:
        key = _reason_key(latest)
        same = sum(1 for o in failures if key and _reason_key(o) == key)
        window = timedelta(hours=policy.recent_window_hours.value)
        recent = sum(1 for o in failures if latest.occurred_at - o.occurred_at < window)
        repeated = (
            same >= policy.repeat_same_reason.value or recent >= policy.repeat_recent_failures.value
        )
    done = frozenset(a.action.value for a in actions if a.taken_at >= run[0].occurred_at)
    tried: frozenset[str] = frozenset()
    if failures:
        first, last = failures[0].occurred_at, failures[-1].occurred_at
        tried = frozenset(a.action.value for a in actions if first <= a.taken_at < last)
    category = reason.category if reason is not None else ""
    return _Facts(latest.result.value, category, overdue, repeated, len(failures), tried, done)


def _holds(when: Condition, facts: _Facts) -> bool:
    return (
        facts.latest in when.latest
        and (not when.categories or facts.category in when.categories)
        and (when.review_overdue is None or when.review_overdue == facts.review_overdue)
        and (when.repeated is None or when.repeated == facts.repeated)
        and facts.failures >= when.min_failures
        and facts.tried.issuperset(when.tried_all)
        and (not when.tried_any or not facts.tried.isdisjoint(when.tried_any))
    )


def _steps(rule: EscalationRule, exchange: str, done: frozenset[str]) -> tuple[SuggestedStep, ...]:
    return tuple(
        SuggestedStep(s.id, s.text, Action(s.action) if s.action else None, s.source)
        for s in rule.steps
        if (not s.exchanges or exchange in s.exchanges)
        and (s.action is None or s.action not in done)
        and (s.shown_after is None or s.shown_after in done)
    )


def advise(
    outcomes: Sequence[Outcome],
    actions: Sequence[ActionTaken],
    now: datetime,
    tz: tzinfo,
    catalog: RejectionCatalog | None = None,
    policy: EscalationRules | None = None,
) -> Advice:
    """The next advice for one exchange's history. Pure given `catalog` and `policy` (both
    default to the packaged data); every datetime must be timezone-aware.

    `tz` is the user's time zone: the peak note gives its times there.
    """
    for when in (now, *(o.occurred_at for o in outcomes), *(a.taken_at for a in actions)):
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError("advise needs timezone-aware datetimes")
    exchange = _one_exchange(outcomes, actions)
    policy = policy or load_policy()
    if catalog is None and exchange:
        catalog = rejection_catalog(exchange)
    history = sorted(outcomes, key=lambda o: (o.occurred_at, o.recorded_at, o.attempt_id))
    run = _run(history)
    latest = history[-1] if history else None
    reason = catalog.get(latest.reason_id) if catalog and latest and latest.reason_id else None
    settled = latest is None or latest.result is OutcomeResult.APPROVED
    if settled:
        reason = None  # an approval closes the matter, whatever came before
        facts = _Facts("none" if latest is None else OutcomeResult.APPROVED.value)
    else:
        facts = _facts(run, actions, now, policy, reason)
    # The loader guarantees a fallback rule for every kind of latest answer.
    rule = next(r for r in policy.rules if _holds(r.when, facts))
    retry_at, note = None, None
    if rule.retry == "review":
        retry_at = _review_start(run) + timedelta(hours=policy.promised_review_hours.value)
    elif rule.retry == "failure" and latest is not None:
        retry_at = max(now, latest.occurred_at + timedelta(minutes=rule.wait_minutes))
        if exchange in policy.peak.exchanges and (note := peak_hours(retry_at, tz, policy.peak)):
            retry_at = note.quiet_from
    label = "" if settled or latest is None else (reason.title if reason else latest.reason_text)
    return Advice(
        level=AdviceLevel(rule.level),
        headline=rule.headline,
        steps=_steps(rule, exchange, facts.done),
        fixes=reason.fixes if reason else (),
        reason=reason,
        reason_label=label,
        retry_at=retry_at.astimezone(UTC) if retry_at else None,
        peak=note,
        ticket_ready=rule.ticket,
        failures=facts.failures,
        rule=rule.id,
        source=rule.source,
    )


def format_retry(advice: Advice, tz: tzinfo, now: datetime | None = None) -> str:
    """The advice's retry time on the user's clock ("today 14:30 CET"), or "" when none."""
    return format_local(advice.retry_at, tz, now) if advice.retry_at else ""
