"""The escalation table (escalation.toml): thresholds, peak hours, suggested steps and rules."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kyctui.knowledge.loader import KnowledgeError, sourced
from kyctui.knowledge.model import Sourced
from kyctui.knowledge.rejections import CATEGORIES
from kyctui.knowledge.tables import Table, entries
from kyctui.locations import knowledge_dir

FILE = "escalation.toml"
LATEST = ("none", "approved", "under-review", "rejected")
RETRY = ("none", "failure", "review")
_THRESHOLDS = ("promised_review_hours", "repeat_same_reason", "repeat_recent_failures",
               "recent_window_hours")  # fmt: skip
_TOP = (*_THRESHOLDS, "peak", "step", "rule")
_PEAK = ("zone", "start", "end", "label", "advice", "exchanges", "source")
_STEP = ("id", "text", "source", "action", "shown_after", "exchanges")
_RULE = ("id", "level", "headline", "when", "steps", "retry", "wait_minutes", "ticket", "source")
_WHEN = ("latest", "categories", "review_overdue", "repeated", "min_failures", "tried_all",
         "tried_any")  # fmt: skip


@dataclass(frozen=True)
class PeakWindow:
    """The busiest hours, as a daily window in one region's time zone."""

    zone: ZoneInfo
    start: time
    end: time  # may be earlier than start: the window then runs past midnight
    label: str
    advice: str
    exchanges: tuple[str, ...]  # where the window matters
    source: str


@dataclass(frozen=True)
class EscalationStep:
    """One thing the advice can suggest."""

    id: str
    text: str
    source: str
    action: str | None  # the Action ticked when done; a done step is not suggested again
    shown_after: str | None  # shown only once this Action was ticked
    exchanges: tuple[str, ...]  # empty = every exchange


@dataclass(frozen=True)
class Condition:
    """When a rule applies; every given part must hold."""

    latest: tuple[str, ...]
    categories: tuple[str, ...] = ()
    review_overdue: bool | None = None
    repeated: bool | None = None
    min_failures: int = 0
    tried_all: tuple[str, ...] = ()
    tried_any: tuple[str, ...] = ()

    @property
    def is_fallback(self) -> bool:
        """True when nothing but the latest answer is asked for."""
        return self == Condition(self.latest)


@dataclass(frozen=True)
class EscalationRule:
    """One row of the table: when it applies, and the advice it gives."""

    id: str
    level: str
    headline: str
    when: Condition
    steps: tuple[EscalationStep, ...]
    retry: str  # one of RETRY
    wait_minutes: int  # with retry "failure"; 0 otherwise
    ticket: bool
    source: str


@dataclass(frozen=True)
class EscalationRules:
    """Everything in escalation.toml."""

    promised_review_hours: Sourced[int]
    repeat_same_reason: Sourced[int]
    repeat_recent_failures: Sourced[int]
    recent_window_hours: Sourced[int]
    peak: PeakWindow
    steps: tuple[EscalationStep, ...]
    rules: tuple[EscalationRule, ...]


def _optional_bool(t: Table, key: str) -> bool | None:
    value = t.data.get(key)
    if value is not None and not isinstance(value, bool):
        t.fail(key, "must be true or false")
    return value


def _count(t: Table, key: str, minimum: int) -> int:
    if key not in t.data:
        return 0
    value = t.data[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        t.fail(key, f"must be a whole number of at least {minimum}")
    return value


def _clock(t: Table, key: str) -> time:
    try:
        return time.fromisoformat(t.text(key))
    except ValueError:
        t.fail(key, "must be a time of day as HH:MM")


def _peak(file: str, raw: Any, exchanges: Collection[str] | None) -> PeakWindow:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{file}: key 'peak' must be a table")
    t = Table(file, "peak", raw, _PEAK)
    try:
        zone = ZoneInfo(t.text("zone"))
    except (ZoneInfoNotFoundError, ValueError):
        t.fail("zone", "must name an IANA time zone such as Asia/Singapore")
    start, end = _clock(t, "start"), _clock(t, "end")
    if start == end:
        t.fail("end", "must differ from 'start'")
    scope = t.names("exchanges", exchanges)
    return PeakWindow(zone, start, end, t.text("label"), t.text("advice"), scope, t.text("source"))


def _when(file: str, rule: Table, actions: Collection[str]) -> Condition:
    raw = rule.data.get("when")
    if not isinstance(raw, dict):
        rule.fail("when", "must be a table of conditions")
    t = Table(file, f"{rule.where} when", raw, _WHEN)
    latest = t.names("latest", LATEST)
    if not latest:
        t.fail("latest", f"must list at least one of {', '.join(LATEST)}")
    return Condition(
        latest=latest,
        categories=t.names("categories", CATEGORIES),
        review_overdue=_optional_bool(t, "review_overdue"),
        repeated=_optional_bool(t, "repeated"),
        min_failures=_count(t, "min_failures", 1),
        tried_all=t.names("tried_all", actions),
        tried_any=t.names("tried_any", actions),
    )


def _rule(
    file: str, ident: str, t: Table, levels: Collection[str], actions: Collection[str],
    steps: dict[str, EscalationStep],
) -> EscalationRule:  # fmt: skip
    level = t.text("level")
    if level not in levels:
        t.fail("level", f"must be one of {', '.join(levels)}")
    retry = t.text("retry")
    if retry not in RETRY:
        t.fail("retry", f"must be one of {', '.join(RETRY)}")
    wait = _count(t, "wait_minutes", 1)
    if (retry == "failure") != ("wait_minutes" in t.data):
        t.fail("wait_minutes", 'is required with retry = "failure" and only there')
    return EscalationRule(
        id=ident,
        level=level,
        headline=t.text("headline"),
        when=_when(file, t, actions),
        steps=tuple(steps[s] for s in t.names("steps", steps)),
        retry=retry,
        wait_minutes=wait,
        ticket=t.flag("ticket"),
        source=t.text("source"),
    )


def _load(file: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{file}: not valid TOML ({exc})") from None


def parse_escalation(
    file: str,
    text: str,
    *,
    levels: Collection[str],
    actions: Collection[str],
    exchanges: Collection[str] | None = None,
) -> EscalationRules:
    """Parse an escalation file; `file` names it in errors. `levels` and `actions` are the names
    the domain knows (its enums), `exchanges` the known exchange ids."""
    data = _load(file, text)
    Table(file, "top level", data, _TOP)
    thresholds = {key: sourced(file, data, key, int) for key in _THRESHOLDS}
    for key, value in thresholds.items():
        # A repeat needs a second failure: a threshold of 1 would escalate the first one.
        if value.value < (2 if key.startswith("repeat_") else 1):
            raise KnowledgeError(f"{file}: key '{key}.value' is too small")
    steps: dict[str, EscalationStep] = {}
    for ident, t in entries(file, data, "step", _STEP):
        action = t.text("action") if "action" in t.data else None
        after = t.text("shown_after") if "shown_after" in t.data else None
        for key, name in (("action", action), ("shown_after", after)):
            if name is not None and name not in actions:
                t.fail(key, f"names unknown action '{name}' (known: {', '.join(actions)})")
        scope = t.names("exchanges", exchanges)
        steps[ident] = EscalationStep(ident, t.text("text"), t.text("source"), action, after, scope)
    rules = tuple(
        _rule(file, ident, t, levels, actions, steps)
        for ident, t in entries(file, data, "rule", _RULE)
    )
    covered: set[str] = set()
    for rule in rules:
        if covered.issuperset(rule.when.latest):
            raise KnowledgeError(
                f"{file}: rule '{rule.id}' can never apply: a fallback precedes it"
            )
        if rule.when.is_fallback:
            covered.update(rule.when.latest)
    if missing := [latest for latest in LATEST if latest not in covered]:
        raise KnowledgeError(
            f"{file}: key 'rule' needs a fallback rule for latest = '{missing[0]}'"
        )
    return EscalationRules(
        **thresholds,
        peak=_peak(file, data.get("peak"), exchanges),
        steps=tuple(steps.values()),
        rules=rules,
    )


def read_escalation_file() -> str:
    """The packaged escalation file's text."""
    return (knowledge_dir() / FILE).read_text(encoding="utf-8")


@cache
def load_peak_window() -> PeakWindow:
    """The packaged peak window alone: peak hours need no rules, actions or levels."""
    return _peak(FILE, _load(FILE, read_escalation_file()).get("peak"), None)
