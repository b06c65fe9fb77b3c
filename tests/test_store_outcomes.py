"""The store's outcomes, actions, profile and device rows: migration 2 and round trips."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kyctui.domain.attempts import AttemptStatus, ItemState
from kyctui.domain.outcomes import Action, DeviceInfo, OutcomeResult
from kyctui.domain.profile import Profile
from kyctui.domain.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    AttemptNotFound,
    OutcomeNotFound,
    Store,
    StoreError,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
REJECTED, APPROVED, REVIEW = (
    OutcomeResult.REJECTED,
    OutcomeResult.APPROVED,
    OutcomeResult.UNDER_REVIEW,
)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "kyctui.sqlite3")


def test_migration_2_upgrades_a_version_1_database_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "kyctui.sqlite3"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:  # the database exactly as version 1 of kyctui left it
        conn.execute(statement)
    conn.execute(
        "INSERT INTO attempts VALUES (7, 'okx', 'basic', 'passport', ?, ?, 'documents', 'ready')",
        ("2025-03-01T12:00:00.000000+00:00", "2025-03-01T12:05:00.000000+00:00"),
    )
    conn.execute("INSERT INTO items VALUES (7, 'good-light', 'done', ?)", ("2025-03-01T12:01Z",))
    conn.execute(
        "INSERT INTO photos VALUES (7, 'passport', '/p/a.jpg', 10, 'ab', 'cd', 4, 3, 'pass',"
        " '[]', '2025-03-01T12:02:00.000000+00:00')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()

    store = Store(path)
    got = store.get_attempt(7)
    assert (got.exchange, got.step, got.status) == ("okx", "documents", AttemptStatus.READY)
    assert got.items == {"good-light": ItemState.DONE} and set(got.photos) == {"passport"}
    assert got.updated_at == at(5)
    assert (got.profile, got.device, got.outcomes, got.actions) == (Profile(), DeviceInfo(), [], [])
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        check.close()
    assert {"outcomes", "actions", "profile", "devices"} <= tables
    # The upgraded database takes the new rows.
    store.record_outcome(7, REJECTED, "blurry", "", "too blurry", at(10), at(11))
    assert store.get_attempt(7).status is AttemptStatus.REJECTED


def test_a_failing_migration_leaves_version_1_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kyctui.sqlite3"
    Store(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE outcomes")  # as if migration 2 had never run, then version 1
    conn.execute("DROP TABLE actions")
    conn.execute("DROP TABLE profile")
    conn.execute("DROP TABLE devices")
    conn.execute("DROP INDEX attempts_by_exchange")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    broken = [*MIGRATIONS[:1], (*MIGRATIONS[1], "THIS IS NOT SQL")]
    monkeypatch.setattr("kyctui.domain.store_db.MIGRATIONS", broken)
    with pytest.raises(StoreError):
        Store(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert "outcomes" not in names  # the whole step was rolled back


def test_record_outcome_round_trips_and_sets_the_status(store: Store) -> None:
    attempt = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    outcome = store.record_outcome(
        attempt.id, REJECTED, "face-mismatch", "", "Face did not match.", at(30), at(40)
    )
    assert (outcome.attempt_id, outcome.exchange, outcome.result) == (attempt.id, "okx", REJECTED)
    assert (outcome.reason_id, outcome.reason_text, outcome.message) == (
        "face-mismatch",
        "",
        "Face did not match.",
    )
    assert outcome.occurred_at == at(30) and outcome.recorded_at == at(40)
    got = store.get_attempt(attempt.id)
    assert got.outcomes == [outcome]
    assert got.status is AttemptStatus.REJECTED and got.updated_at == at(40)
    store.record_outcome(attempt.id, REVIEW, "", "", "", at(50), at(51))
    assert store.get_attempt(attempt.id).status is AttemptStatus.UNDER_REVIEW
    store.record_outcome(attempt.id, APPROVED, "", "", "Welcome!", at(60), at(61))
    assert store.get_attempt(attempt.id).status is AttemptStatus.APPROVED
    assert [o.result for o in store.list_outcomes(attempt.id)] == [REJECTED, REVIEW, APPROVED]


def test_an_older_answer_recorded_later_does_not_override_the_newer(store: Store) -> None:
    attempt = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    store.record_outcome(attempt.id, APPROVED, "", "", "", at(60), at(61))
    store.record_outcome(attempt.id, REJECTED, "blurry", "", "", at(30), at(70))
    got = store.get_attempt(attempt.id)
    assert got.status is AttemptStatus.APPROVED
    assert [o.result for o in got.outcomes] == [REJECTED, APPROVED]  # by when they happened


def test_outcome_arguments_are_checked(store: Store) -> None:
    attempt = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    with pytest.raises(ValueError):
        store.record_outcome(attempt.id, "lost", "", "", "", at(1), at(1))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.record_outcome(attempt.id, REJECTED, "", "", "", datetime(2025, 1, 1), at(1))
    with pytest.raises(AttemptNotFound):
        store.record_outcome(attempt.id + 1, REJECTED, "", "", "", at(1), at(1))
    assert store.list_outcomes(attempt.id) == []
    assert store.get_attempt(attempt.id).status is AttemptStatus.IN_PROGRESS


def test_delete_outcome_moves_the_status_back(store: Store) -> None:
    attempt = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    store.set_status(attempt.id, AttemptStatus.READY, at(1))
    first = store.record_outcome(attempt.id, REJECTED, "blurry", "", "", at(10), at(11))
    second = store.record_outcome(attempt.id, REVIEW, "", "", "", at(20), at(21))
    twin = store.record_outcome(attempt.id, REVIEW, "", "", "", at(20), at(21))  # the same twice
    assert second == twin

    store.delete_outcome(second, at(30))
    assert [o.result for o in store.list_outcomes(attempt.id)] == [REJECTED, REVIEW]
    store.delete_outcome(twin, at(31))
    got = store.get_attempt(attempt.id)
    assert got.outcomes == [first] and got.status is AttemptStatus.REJECTED
    store.delete_outcome(first, at(32))
    got = store.get_attempt(attempt.id)
    assert got.outcomes == [] and got.status is AttemptStatus.READY  # as before the first answer
    with pytest.raises(OutcomeNotFound) as caught:
        store.delete_outcome(first, at(33))
    assert isinstance(caught.value, KeyError) and "no longer recorded" in str(caught.value)


def test_list_outcomes_and_history_by_exchange(store: Store) -> None:
    a = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    b = store.create_attempt("coinex", "basic", "passport", "ready", at(1))
    c = store.create_attempt("okx", "advanced", "passport", "ready", at(2))
    store.record_outcome(c.id, REJECTED, "", "typed reason", "", at(50), at(50))
    store.record_outcome(a.id, REJECTED, "blurry", "", "", at(10), at(10))
    store.record_outcome(b.id, APPROVED, "", "", "", at(20), at(20))
    store.set_action(a.id, Action.WAITED, True, at(30))
    store.set_action(b.id, Action.CLEARED_CACHE, True, at(31))
    store.set_action(c.id, Action.SWITCHED_DEVICE, True, at(40))

    okx = store.list_outcomes(exchange="okx")
    assert [(o.attempt_id, o.exchange) for o in okx] == [(a.id, "okx"), (c.id, "okx")]
    assert [o.attempt_id for o in store.list_outcomes()] == [a.id, b.id, c.id]
    assert store.list_outcomes(b.id) == store.list_outcomes(exchange="coinex")
    assert store.list_outcomes(a.id, exchange="coinex") == []
    outcomes, actions = store.history("okx")
    assert outcomes == okx
    assert [(t.attempt_id, t.action, t.exchange) for t in actions] == [
        (a.id, Action.WAITED, "okx"),
        (c.id, Action.SWITCHED_DEVICE, "okx"),
    ]
    assert store.history("kraken") == ([], [])


def test_actions_tick_untick_and_keep_the_first_time(store: Store) -> None:
    attempt = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    store.set_action(attempt.id, Action.WAITED, True, at(10))
    store.set_action(attempt.id, Action.WAITED, True, at(20))  # ticked again: still at(10)
    store.set_action(attempt.id, Action.UPDATED_APP, True, at(15))
    got = store.get_attempt(attempt.id)
    assert [(t.action, t.taken_at) for t in got.actions] == [
        (Action.WAITED, at(10)),
        (Action.UPDATED_APP, at(15)),
    ]
    assert got.updated_at == at(15)  # the last change, not the latest time ticked
    store.set_action(attempt.id, Action.WAITED, False, at(30))
    store.set_action(attempt.id, Action.USED_WEB_FLOW, False, at(31))  # never ticked: fine
    assert [t.action for t in store.get_attempt(attempt.id).actions] == [Action.UPDATED_APP]
    with pytest.raises(ValueError):
        store.set_action(attempt.id, "danced", True, at(32))  # type: ignore[arg-type]
    with pytest.raises(AttemptNotFound):
        store.set_action(attempt.id + 1, Action.WAITED, True, at(33))


def test_profile_fields_round_trip_exactly_as_typed(store: Store) -> None:
    attempt = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    store.set_profile_field(attempt.id, "full_name", "  Zoë  O'Brien-Łukasz ", at(1))
    store.set_profile_field(attempt.id, "date_of_birth", "03/04/1990", at(2))
    store.set_profile_field(attempt.id, "email", "z@example.com", at(3))
    store.set_profile_field(attempt.id, "email", "", at(4))  # cleared again
    got = store.get_attempt(attempt.id)
    assert got.profile == Profile(full_name="  Zoë  O'Brien-Łukasz ", date_of_birth="03/04/1990")
    assert got.updated_at == at(4)
    with pytest.raises(KeyError):
        store.set_profile_field(attempt.id, "shoe_size", "44", at(5))
    with pytest.raises(AttemptNotFound):
        store.set_profile_field(attempt.id + 1, "full_name", "X", at(5))
    other = store.create_attempt("okx", "basic", "passport", "ready", at(6))
    assert store.get_attempt(other.id).profile == Profile()  # per attempt


def test_device_round_trips_and_is_replaced(store: Store) -> None:
    attempt = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    assert store.get_attempt(attempt.id).device == DeviceInfo()
    store.set_device(attempt.id, DeviceInfo("Pixel 7", "Android 14", "Chrome 131"), at(1))
    store.set_device(attempt.id, DeviceInfo("iPhone 13", "iOS 17.4", ""), at(2))
    assert store.get_attempt(attempt.id).device == DeviceInfo("iPhone 13", "iOS 17.4", "")
    with pytest.raises(AttemptNotFound):
        store.set_device(attempt.id + 1, DeviceInfo(), at(3))


def test_summaries_carry_the_latest_answer(store: Store) -> None:
    a = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    b = store.create_attempt("okx", "basic", "passport", "ready", at(1))
    store.record_outcome(a.id, REJECTED, "blurry", "", "", at(10), at(10))
    store.record_outcome(a.id, REJECTED, "", "typed by hand", "", at(20), at(20))
    summaries = {s.id: s for s in store.list_attempts()}
    assert (summaries[a.id].latest_result, summaries[a.id].latest_reason) == (
        REJECTED,
        "typed by hand",
    )
    assert (summaries[b.id].latest_result, summaries[b.id].latest_reason) == (None, "")


def test_deleting_an_attempt_removes_its_new_rows(store: Store) -> None:
    attempt = store.create_attempt("okx", "basic", "passport", "ready", at(0))
    store.record_outcome(attempt.id, REJECTED, "blurry", "", "", at(1), at(1))
    store.set_action(attempt.id, Action.WAITED, True, at(2))
    store.set_profile_field(attempt.id, "full_name", "A B", at(3))
    store.set_device(attempt.id, DeviceInfo("Pixel 7"), at(4))
    store.delete_attempt(attempt.id)
    conn = sqlite3.connect(store.path)
    try:
        for table in ("outcomes", "actions", "profile", "devices"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
    finally:
        conn.close()
