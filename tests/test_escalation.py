"""The escalation policy over histories: the ladder, its invariants, and the table's checks."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyctui.domain.escalation import (
    Advice,
    AdviceLevel,
    advise,
    format_retry,
    load_policy,
)
from kyctui.domain.outcomes import Action, ActionTaken, Outcome, OutcomeResult
from kyctui.domain.peak_hours import peak_hours
from kyctui.knowledge import KnowledgeError
from kyctui.knowledge.escalation_rules import parse_escalation, read_escalation_file
from kyctui.knowledge.rejections import rejection_catalog

R = OutcomeResult
BERLIN = ZoneInfo("Europe/Berlin")
ZONE_NAMES = ("Europe/Berlin", "America/New_York", "Asia/Singapore", "Pacific/Auckland", "UTC")
ZONES = [ZoneInfo(name) for name in ZONE_NAMES]
T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, outside the busy hours
RANK = {level: n for n, level in enumerate(AdviceLevel)}
ESCALATION = (Action.WAITED, Action.CLEARED_CACHE, Action.SWITCHED_DEVICE)
EXCHANGES = ("okx", "coinex", "generic")
PROPERTY = settings(derandomize=True, max_examples=200, deadline=None)


def out(
    attempt: int, at: datetime, result: R = R.REJECTED, reason: str = "photo-unclear"
) -> Outcome:
    """An OKX answer; `replace` it for another exchange or a typed reason."""
    return Outcome(attempt, "okx", result, reason, "", "", at, at)


def act(action: Action, at: datetime, exchange: str = "okx") -> ActionTaken:
    return ActionTaken(1, exchange, action, at)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def step_ids(advice: Advice) -> list[str]:
    return [s.id for s in advice.steps]


# ---------------------------------------------------------------------------------------------
# The ladder, step by step


def test_same_reason_climbs_the_ladder_to_support() -> None:
    history = [out(1, T0)]
    first = advise(history, [], T0, BERLIN)
    assert first.level is AdviceLevel.FIX_REASON and step_ids(first) == ["fix-reason"]
    assert first.reason is not None and first.fixes == first.reason.fixes
    assert first.reason_label == "Blurry, dark or cropped photo" and not first.ticket_ready
    assert first.retry_at == T0 + timedelta(minutes=15)

    history.append(out(2, T0 + hours(2)))
    second = advise(history, [], T0 + hours(2), BERLIN)
    assert second.level is AdviceLevel.WAIT_AND_RETRY
    assert step_ids(second) == ["wait", "clear-cache", "fix-reason"]
    assert second.retry_at == T0 + hours(5)
    assert format_retry(second, BERLIN, T0 + hours(2)) == "today 15:00 CET"

    actions = [act(Action.WAITED, T0 + hours(5)), act(Action.CLEARED_CACHE, T0 + hours(5))]
    history.append(out(3, T0 + hours(6)))
    third = advise(history, actions, T0 + hours(6), BERLIN)
    assert third.level is AdviceLevel.CLEAR_CACHE_SWITCH_DEVICE
    assert step_ids(third) == ["update-app", "switch-device", "web-flow"]  # cache already cleared

    actions.append(act(Action.SWITCHED_DEVICE, T0 + hours(7)))
    history.append(out(4, T0 + hours(8)))
    fourth = advise(history, actions, T0 + hours(8), BERLIN)
    assert fourth.level is AdviceLevel.CONTACT_SUPPORT and fourth.ticket_ready
    assert step_ids(fourth) == ["contact-support"] and fourth.failures == 4

    actions.append(act(Action.CONTACTED_SUPPORT, T0 + hours(9)))
    after = advise(history, actions, T0 + hours(9), BERLIN)
    assert after.level is AdviceLevel.CONTACT_SUPPORT and step_ids(after) == ["await-support"]


def test_without_ticks_failures_alone_escalate() -> None:
    reasons = ("photo-unclear", "document-expired", "face-unclear", "information-mismatch",
               "name-mismatch")  # fmt: skip
    days = [out(n, T0 + timedelta(days=2 * n), reason=r) for n, r in enumerate(reasons)]
    levels = [advise(days[: n + 1], [], days[n].occurred_at, BERLIN).level for n in range(5)]
    assert levels == [AdviceLevel.FIX_REASON] * 3 + [
        AdviceLevel.CLEAR_CACHE_SWITCH_DEVICE,
        AdviceLevel.CONTACT_SUPPORT,
    ]


def test_several_failures_in_a_short_time_mean_wait() -> None:
    reasons = ("photo-unclear", "face-unclear", "liveness-failed")
    burst = [out(n, T0 + hours(n), reason=r) for n, r in enumerate(reasons)]
    assert advise(burst[:2], [], T0 + hours(1), BERLIN).level is AdviceLevel.FIX_REASON
    assert advise(burst, [], T0 + hours(2), BERLIN).level is AdviceLevel.WAIT_AND_RETRY
    spread = [out(n, T0 + timedelta(days=n), reason=o.reason_id) for n, o in enumerate(burst)]
    assert advise(spread, [], T0 + timedelta(days=2), BERLIN).level is AdviceLevel.FIX_REASON


def test_a_repeated_technical_problem_skips_the_wait() -> None:
    history = [out(1, T0, reason="app-freezing"), out(2, T0 + hours(1), reason="app-freezing")]
    advice = advise(history, [], T0 + hours(1), BERLIN)
    assert (
        advice.level is AdviceLevel.CLEAR_CACHE_SWITCH_DEVICE and advice.rule == "technical-again"
    )
    assert "web-flow" in step_ids(advice)


def test_typed_reasons_compare_loosely_and_empty_ones_never_match() -> None:
    typed = [
        replace(out(1, T0, reason=""), reason_text="Selfie  blurry"),
        replace(out(2, T0 + hours(1), reason=""), reason_text="selfie blurry"),
    ]
    advice = advise(typed, [], T0 + hours(1), BERLIN)
    assert advice.level is AdviceLevel.WAIT_AND_RETRY and advice.reason is None
    assert advice.reason_label == "selfie blurry" and advice.fixes == ()
    blank = [out(1, T0, reason=""), out(2, T0 + hours(1), reason="")]
    assert advise(blank, [], T0 + hours(1), BERLIN).level is AdviceLevel.FIX_REASON


def test_web_flow_only_where_the_exchange_offers_it() -> None:
    history = [
        replace(out(n, T0 + hours(n), reason="app-freezing"), exchange="coinex") for n in (1, 2)
    ]
    advice = advise(history, [], T0 + hours(2), BERLIN)
    assert advice.level is AdviceLevel.CLEAR_CACHE_SWITCH_DEVICE
    assert step_ids(advice) == ["clear-cache", "update-app", "switch-device"]


def test_approval_closes_the_matter_and_a_new_run_starts_after_it() -> None:
    failures = [out(n, T0 + hours(n)) for n in range(4)]
    approved = advise([*failures, out(9, T0 + hours(5), R.APPROVED, "")], [], T0 + hours(6), BERLIN)
    assert approved.level is AdviceLevel.APPROVED and approved.steps == ()
    assert (approved.retry_at, approved.peak, approved.reason, approved.fixes) == (
        None,
        None,
        None,
        (),
    )
    assert not approved.ticket_ready and approved.reason_label == ""
    later = [*failures, out(9, T0 + hours(5), R.APPROVED, ""), out(10, T0 + hours(7))]
    assert advise(later, [], T0 + hours(7), BERLIN).level is AdviceLevel.FIX_REASON
    nothing = advise([], [], T0, BERLIN)
    assert nothing.level is AdviceLevel.NONE and nothing.steps == () and nothing.retry_at is None


def test_under_review_waits_the_promised_time_then_goes_to_support() -> None:
    review = [out(1, T0, R.UNDER_REVIEW, "")]
    waiting = advise(review, [], T0 + hours(20), BERLIN)
    assert waiting.level is AdviceLevel.WAIT_FOR_REVIEW and step_ids(waiting) == ["wait-review"]
    assert waiting.retry_at == T0 + hours(48) and not waiting.ticket_ready
    # Recording "still under review" on the same attempt keeps the first time.
    again = [*review, out(1, T0 + hours(30), R.UNDER_REVIEW, "stuck-under-review")]
    overdue = advise(again, [], T0 + hours(49), BERLIN)
    assert overdue.level is AdviceLevel.CONTACT_SUPPORT and overdue.ticket_ready
    assert overdue.reason_label == "Stuck under review" and overdue.fixes
    contacted = advise(
        again, [act(Action.CONTACTED_SUPPORT, T0 + hours(50))], T0 + hours(50), BERLIN
    )
    assert step_ids(contacted) == ["await-support"]
    # A new submission restarts the clock.
    fresh = [*review, out(2, T0 + hours(40), R.UNDER_REVIEW, "")]
    assert advise(fresh, [], T0 + hours(50), BERLIN).level is AdviceLevel.WAIT_FOR_REVIEW


def test_busy_hours_move_the_retry_for_okx_only() -> None:
    night = datetime(2025, 3, 11, 0, 30, tzinfo=UTC)  # 08:30 in Singapore, 01:30 in Berlin
    okx = advise([out(1, night)], [], night, BERLIN)
    assert okx.peak is not None and okx.retry_at == datetime(2025, 3, 11, 4, 0, tzinfo=UTC)
    assert format_retry(okx, BERLIN, night) == "today 05:00 CET"
    coinex = advise([replace(out(1, night), exchange="coinex")], [], night, BERLIN)
    assert coinex.peak is None and coinex.retry_at == night + timedelta(minutes=15)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Europe/Berlin", "today 05:00 CET"),
        ("America/New_York", "tomorrow 00:00 EDT"),  # daylight saving began on 9 March
        ("Asia/Singapore", "today 12:00 +08"),
        ("Pacific/Auckland", "today 17:00 NZDT"),
    ],
)
def test_the_quieter_time_reads_on_the_users_clock(zone: str, shown: str) -> None:
    night, tz = datetime(2025, 3, 11, 0, 30, tzinfo=UTC), ZoneInfo(zone)
    advice = advise([out(1, night)], [], night, tz)
    assert advice.retry_at == datetime(2025, 3, 11, 4, 0, tzinfo=UTC)
    assert format_retry(advice, tz, night) == shown
    assert advice.peak is not None and advice.peak.quiet_from.tzinfo is tz


def test_refuses_mixed_exchanges_and_naive_times() -> None:
    with pytest.raises(ValueError, match="one exchange"):
        advise([out(1, T0)], [act(Action.WAITED, T0, exchange="coinex")], T0, BERLIN)
    with pytest.raises(ValueError, match="timezone-aware"):
        advise([out(1, T0)], [], datetime(2025, 3, 10, 9, 0), BERLIN)


def test_every_level_is_reachable_and_every_row_has_a_source() -> None:
    policy = load_policy()
    assert {rule.level for rule in policy.rules} == {level.value for level in AdviceLevel}
    assert all(rule.source.strip() and rule.headline.strip() for rule in policy.rules)
    assert all(step.source.strip() and step.text.strip() for step in policy.steps)
    assert policy.promised_review_hours.value == 48 and "seeds/003" in (
        policy.promised_review_hours.source
    )


TABLE = read_escalation_file()
FALLBACK = TABLE[TABLE.index('[[rule]]\nid = "fix-the-reason"') :]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('level = "fix-reason"', 'level = "panic"', "rule 'fix-the-reason': key 'level'"),
        ('steps = ["fix-reason"]', 'steps = ["fix-it"]', "key 'steps' names unknown 'fix-it'"),
        ('action = "waited"', 'action = "slept"', "step 'wait': key 'action'"),
        ('"waited", "cleared-cache"]', '"slept"]', "key 'tried_all' names unknown 'slept'"),
        ("min_failures = 5", "max_failures = 5", "key 'max_failures' is not a known key"),
        ("min_failures = 5", "min_failures = 0", "key 'min_failures'"),
        (", min_failures = 5 }", " }", "rule 'failing-after-waiting' can never apply"),
        (FALLBACK, "", "needs a fallback rule for latest = 'rejected'"),
        ("wait_minutes = 15\n", "", "rule 'fix-the-reason': key 'wait_minutes'"),
        ('retry = "review"', 'retry = "later"', "key 'retry'"),
        ('start = "08:00"', 'start = "8 o\'clock"', "peak: key 'start'"),
        ('zone = "Asia/Singapore"', 'zone = "Mars/Olympus"', "peak: key 'zone'"),
        ('exchanges = ["okx"]\nsource', 'exchanges = ["kraken"]\nsource', "peak: key 'exchanges'"),
        ("repeat_same_reason = { value = 2", "repeat_same_reason = { value = 1", "repeat_same"),
        ("promised_review_hours = { value = 48, source", "promised_review_hours = { value = 48, x",
         "key 'promised_review_hours.source'"),
        ("[peak]", "[peak", "not valid TOML"),
    ],
)  # fmt: skip
def test_malformed_table_names_file_and_key(old: str, new: str, expected: str) -> None:
    assert old in TABLE
    with pytest.raises(KnowledgeError) as info:
        parse_escalation(
            "e.toml",
            TABLE.replace(old, new, 1),
            levels=[level.value for level in AdviceLevel],
            actions=[action.value for action in Action],
            exchanges=EXCHANGES,
        )
    assert str(info.value).startswith("e.toml: ") and expected in str(info.value)


# ---------------------------------------------------------------------------------------------
# Properties over generated histories


ANY_RESULT, ANY_SIZE = st.sampled_from(list(R)), st.integers(0, 8)


@st.composite
def histories(
    draw: st.DrawFn,
    results: st.SearchStrategy[R] = ANY_RESULT,
    size: st.SearchStrategy[int] = ANY_SIZE,
    exchange: str = "",
) -> list[Outcome]:
    """Answers a few minutes to three days apart, with catalog, typed or no reasons."""
    exchange = exchange or draw(st.sampled_from(EXCHANGES))
    reasons = [r.id for r in rejection_catalog(exchange).reasons] + ["", ""]
    at, outcomes = T0, []
    for attempt in range(draw(size)):
        at += timedelta(minutes=draw(st.integers(1, 60 * 72)))
        reason = draw(st.sampled_from(reasons))
        text = "" if reason else draw(st.sampled_from(["", "page crashed", "Page  crashed"]))
        outcome = out(attempt, at, draw(results), reason)
        outcomes.append(replace(outcome, exchange=exchange, reason_text=text))
    return outcomes


@st.composite
def actions_over(draw: st.DrawFn, history: list[Outcome]) -> list[ActionTaken]:
    exchange = history[0].exchange if history else "okx"
    end = history[-1].occurred_at if history else T0
    span = int((end - T0).total_seconds() // 60) + 600
    return [
        act(draw(st.sampled_from(list(Action))), T0 + timedelta(minutes=m), exchange)
        for m in draw(st.lists(st.integers(0, span), max_size=8))
    ]


def _now(data: st.DataObject, history: list[Outcome]) -> datetime:
    """Some time, up to four days, after the latest answer."""
    end = history[-1].occurred_at if history else T0
    return end + timedelta(minutes=data.draw(st.integers(0, 60 * 24 * 4)))


@PROPERTY
@given(data=st.data(), tz=st.sampled_from(ZONES))
def test_never_contact_support_on_the_first_failure(data: st.DataObject, tz: ZoneInfo) -> None:
    exchange = data.draw(st.sampled_from(EXCHANGES))
    before = data.draw(histories(st.sampled_from([R.APPROVED, R.UNDER_REVIEW]), exchange=exchange))
    last = data.draw(histories(st.just(R.REJECTED), st.just(1), exchange))[0]
    at = (before[-1].occurred_at if before else T0) + hours(1)
    history = [*before, replace(last, attempt_id=9, occurred_at=at, recorded_at=at)]
    actions = data.draw(actions_over(history))
    advice = advise(history, actions, _now(data, history), tz)
    assert advice.level is AdviceLevel.FIX_REASON and not advice.ticket_ready


@PROPERTY
@given(data=st.data(), tz=st.sampled_from(ZONES))
def test_a_failure_always_gets_a_later_retry_time(data: st.DataObject, tz: ZoneInfo) -> None:
    history = data.draw(histories(size=st.integers(1, 8)))
    history[-1] = replace(history[-1], result=R.REJECTED)
    now = _now(data, history)
    advice = advise(history, data.draw(actions_over(history)), now, tz)
    assert advice.retry_at is not None and advice.retry_at.tzinfo is UTC
    assert advice.retry_at > history[-1].occurred_at and advice.retry_at >= now
    if history[0].exchange == "okx":  # never into the busy hours where they matter
        assert peak_hours(advice.retry_at, tz) is None
        if advice.peak is not None:
            assert advice.retry_at == advice.peak.quiet_from
            assert advice.peak.quiet_from.tzinfo is tz  # shown on the user's clock
    else:
        assert advice.peak is None


@PROPERTY
@given(data=st.data(), tz=st.sampled_from(ZONES))
def test_approved_latest_means_no_escalation(data: st.DataObject, tz: ZoneInfo) -> None:
    history = data.draw(histories())
    at = (history[-1].occurred_at if history else T0) + hours(1)
    exchange = history[0].exchange if history else "okx"
    history.append(replace(out(50, at, R.APPROVED, ""), exchange=exchange))
    advice = advise(history, data.draw(actions_over(history)), _now(data, history), tz)
    assert advice.level is AdviceLevel.APPROVED and advice.steps == () and advice.fixes == ()
    assert advice.retry_at is None and not advice.ticket_ready


@PROPERTY
@given(data=st.data(), waited=st.integers(0, 24 * 6), tz=st.sampled_from(ZONES))
def test_under_review_past_the_promise_goes_to_support(
    data: st.DataObject, waited: int, tz: ZoneInfo
) -> None:
    history = data.draw(histories())
    at = (history[-1].occurred_at if history else T0) + hours(1)
    exchange = history[0].exchange if history else "okx"
    history.append(replace(out(77, at, R.UNDER_REVIEW, ""), exchange=exchange))
    advice = advise(history, data.draw(actions_over(history)), at + hours(waited), tz)
    if waited > 48:
        assert advice.level is AdviceLevel.CONTACT_SUPPORT and advice.ticket_ready
    else:
        assert advice.level is AdviceLevel.WAIT_FOR_REVIEW and advice.retry_at == at + hours(48)


@PROPERTY
@given(data=st.data(), tz=st.sampled_from(ZONES))
def test_actions_tried_change_the_advice(data: st.DataObject, tz: ZoneInfo) -> None:
    history = data.draw(histories(st.just(R.REJECTED), st.integers(2, 6)))
    # The same catalog reason twice at the end makes the latest failure a repeat.
    exchange = history[0].exchange
    reason = data.draw(st.sampled_from([r.id for r in rejection_catalog(exchange).reasons]))
    for index in (-2, -1):
        history[index] = replace(history[index], reason_id=reason, reason_text="")
    last = history[-1]
    now = _now(data, history)
    plain = advise(history, [], now, tz)
    between = history[-2].occurred_at + (last.occurred_at - history[-2].occurred_at) / 2
    tried = [act(a, between, last.exchange) for a in ESCALATION]
    escalated = advise(history, tried, now, tz)
    assert escalated.level is AdviceLevel.CONTACT_SUPPORT and escalated.ticket_ready
    assert RANK[escalated.level] >= RANK[plain.level]
    # Whatever was ticked since the run began is never suggested again.
    done = data.draw(st.lists(st.sampled_from(list(Action)), min_size=1))
    after = advise(history, [act(a, now, last.exchange) for a in done], now, tz)
    assert not {s.action for s in after.steps} & set(done)
    assert after.level is plain.level  # ticked after the latest failure: not yet "still failing"


@PROPERTY
@given(data=st.data(), tz=st.sampled_from(ZONES), seed=st.integers(0, 1000))
def test_advice_does_not_depend_on_input_order(
    data: st.DataObject, tz: ZoneInfo, seed: int
) -> None:
    history = data.draw(histories())
    actions = data.draw(actions_over(history))
    now = _now(data, history)
    shuffled, shuffled_actions = list(history), list(actions)
    random.Random(seed).shuffle(shuffled)
    random.Random(seed).shuffle(shuffled_actions)
    assert advise(shuffled, shuffled_actions, now, tz) == advise(history, actions, now, tz)
