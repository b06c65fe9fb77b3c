"""Pilot flows of issue #5 in the TUI: outcomes recorded, advice escalating, actions, export."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Markdown, RadioButton, Select, Static, TextArea

from kyctui.domain.attempts import ItemState
from kyctui.domain.escalation import AdviceLevel
from kyctui.domain.outcomes import Action, OutcomeResult
from kyctui.domain.store import Store
from kyctui.tui.screens.attempts import AttemptsScreen
from kyctui.tui.screens.export import PII_WARNING, ExportScreen
from kyctui.tui.screens.outcome import OutcomeModal, parse_when
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets.advice import AdvicePanel, AdviceView
from kyctui.tui.widgets.checklist_item import ChecklistItemView
from kyctui.tui.widgets.timeline import Timeline
from tests import ticket_history
from tests.screens_tour import settle
from tests.tui_app import FIXED_NOW, test_app

SIZE = (120, 40)
LEVELS = list(AdviceLevel)
MESSAGE = "We could not match the face in your selfie with the photo on your document."


def _advice(app: object) -> AdviceView:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, AttemptsScreen)
    view = screen.query_one(AdvicePanel).view
    assert view is not None
    return view


async def _highlight(pilot: Pilot[None], attempt_id: int) -> None:
    table = pilot.app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(str(attempt_id)))
    await settle(pilot)


async def _record_rejection(
    pilot: Pilot[None], reason: str, when: str | None = None, message: str = ""
) -> None:
    """Press o, choose "Rejected" by clicking it, pick `reason`, and record with ctrl+s."""
    await pilot.press("o")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, OutcomeModal)
    await pilot.click("#result-rejected")
    modal.query_one("#reason", Select).value = reason
    if message:
        modal.query_one("#message", TextArea).load_text(message)
    if when is not None:
        modal.query_one("#when", Input).value = when
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert not isinstance(pilot.app.screen, OutcomeModal), "the modal should have closed"


async def test_same_rejection_twice_escalates_reopens_items_and_exports_both(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    day_before = FIXED_NOW - timedelta(days=1)
    first = store.create_attempt("okx", "basic", "national-id", "environment", day_before)
    for item_id, state in (
        ("environment.front-light", ItemState.DONE),  # face-mismatch reopens these two
        ("environment.no-glare", ItemState.DONE),
        ("environment.face-centred", ItemState.NA),  # ... and this one, but it does not apply
        ("connection.wired", ItemState.DONE),  # not about the face at all
    ):
        store.set_item(first.id, item_id, state, day_before)
    second = store.create_attempt("okx", "basic", "national-id", "environment", FIXED_NOW)
    store.set_item(second.id, "environment.front-light", ItemState.DONE, FIXED_NOW)

    app = test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _advice(app).advice.level is AdviceLevel.NONE

        # The first rejection, recorded from the attempts screen with a typed time.
        await _highlight(pilot, first.id)
        await _record_rejection(pilot, "face-mismatch", "2026-11-22 12:00", MESSAGE)
        (outcome,) = store.list_outcomes(first.id)
        assert outcome.result is OutcomeResult.REJECTED and outcome.reason_id == "face-mismatch"
        assert outcome.message == MESSAGE
        assert outcome.occurred_at == datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
        items = store.get_attempt(first.id).items
        assert items["environment.front-light"] is ItemState.TODO
        assert items["environment.no-glare"] is ItemState.TODO
        assert items["environment.face-centred"] is ItemState.NA
        assert items["connection.wired"] is ItemState.DONE
        once = _advice(app).advice
        assert once.level is AdviceLevel.FIX_REASON
        assert once.reason_label == "Face comparison failed" and once.fixes
        history = app.screen.query_one(Timeline)
        assert [(e.attempt_id, e.result) for e in history.entries] == [
            (second.id, None),
            (first.id, OutcomeResult.REJECTED),
        ]

        # The same reason again, recorded from the wizard of the second attempt, now.
        await _highlight(pilot, second.id)
        await pilot.press("enter")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        assert wizard.attempt.items.get("environment.front-light") is ItemState.DONE
        await _record_rejection(pilot, "face-mismatch")
        assert isinstance(app.screen, WizardScreen)
        # The wizard's working copy shows the reopened item as to do, and saved it so.
        assert wizard.attempt.items["environment.front-light"] is ItemState.TODO
        assert [o.reason_id for o in wizard.attempt.outcomes] == ["face-mismatch"]
        view = next(
            v for v in wizard.query(ChecklistItemView) if v.item.id == "environment.front-light"
        )
        assert view.state is ItemState.TODO
        assert store.get_attempt(second.id).items["environment.front-light"] is ItemState.TODO

        await pilot.press("escape")
        await settle(pilot)
        twice = _advice(app).advice
        assert LEVELS.index(twice.level) > LEVELS.index(once.level)
        assert twice.level is AdviceLevel.WAIT_AND_RETRY
        assert twice.headline != once.headline and twice.failures == 2
        assert twice.retry_at is not None and twice.retry_at > FIXED_NOW

        # The export of the second attempt holds both attempts and both answers.
        await pilot.press("e")
        await settle(pilot)
        export = app.screen
        assert isinstance(export, ExportScreen)
        assert export.query_one(Markdown).display  # the preview starts as Markdown
        assert "Personal data is redacted" in export.text
        assert f"| #{first.id} | rejected | Face comparison failed" in export.text
        assert f"| #{second.id} | rejected | Face comparison failed" in export.text
        assert MESSAGE in export.text
        assert twice.headline in export.text  # the advice line, as the CLI writes it


async def test_ticking_an_action_changes_the_advice(tmp_path: Path) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "passport", "ready", FIXED_NOW)
    for hours in (5, 2):
        when = FIXED_NOW - timedelta(hours=hours)
        store.record_outcome(
            attempt.id, OutcomeResult.REJECTED, "photo-unclear", "", "", when, when
        )
    app = test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = _advice(app)
        suggested = [s.action for s in before.advice.steps]
        assert Action.WAITED in suggested and before.done == ()

        await pilot.click("#action-waited")
        await settle(pilot)
        assert [a.action for a in store.history("okx")[1]] == [Action.WAITED]
        after = _advice(app)
        assert Action.WAITED not in [s.action for s in after.advice.steps]
        assert after.advice.steps != before.advice.steps
        assert [a for a, _ in after.done] == [Action.WAITED]
        # The same box, now under "done", keeps the focus and unticks the action everywhere.
        assert app.focused is not None and app.focused.id == "action-waited"
        await pilot.press("space")
        await settle(pilot)
        assert store.history("okx")[1] == []
        assert _advice(app).advice.steps == before.advice.steps


async def test_outcome_modal_says_what_is_missing_and_keeps_a_draft(tmp_path: Path) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt = store.create_attempt("coinex", "basic", "passport", "documents", FIXED_NOW)
    app = test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, OutcomeModal)
        assert modal.query_one("#when", Input).value == "2026-11-23 10:30"
        assert not modal.query_one("#rejection").display  # no result chosen yet

        def error() -> str:
            return str(modal.query_one("#error", Static).render())

        await pilot.press("ctrl+s")
        assert "Choose the result" in error()
        await pilot.click("#result-rejected")
        await pilot.pause()
        assert modal.query_one("#rejection").display
        await pilot.press("ctrl+s")
        assert "Pick the reason" in error()
        modal.query_one("#reason", Select).value = "other"
        await pilot.pause()
        assert modal.query_one("#reason-text").display
        await pilot.press("ctrl+s")
        assert "Type the reason" in error()
        modal.query_one("#reason-text", Input).value = "Selfie too dark"
        modal.query_one("#when", Input).value = "yesterday-ish"
        await pilot.pause()
        assert "Cannot read" in str(modal.query_one("#when-error", Static).render())
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, OutcomeModal)  # still open: nothing recorded
        assert store.list_outcomes(attempt.id) == []

        # Escape closes it; opened again, what was typed is still there.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AttemptsScreen)
        await pilot.press("o")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, OutcomeModal)
        assert again.query_one("#result-rejected", RadioButton).value
        assert again.query_one("#reason-text", Input).value == "Selfie too dark"
        again.query_one("#when", Input).value = "09:15"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        (outcome,) = store.list_outcomes(attempt.id)
        assert (outcome.reason_id, outcome.reason_text) == ("", "Selfie too dark")
        assert outcome.occurred_at == FIXED_NOW.replace(hour=9, minute=15)


def test_parse_when_reads_local_times_and_explains_the_rest() -> None:
    now = FIXED_NOW
    assert parse_when("2026-11-20 08:05", now) == datetime(2026, 11, 20, 8, 5, tzinfo=UTC)
    assert parse_when(" 7:30 ", now) == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
    assert parse_when("2026-11-20T08:05+01:00", now) == datetime(2026, 11, 20, 7, 5, tzinfo=UTC)
    for typed, said in (
        ("", "Enter when"),
        ("20/11/2026", "use YYYY-MM-DD HH:MM"),
        ("2026-11-24 09:00", "in the future"),
        ("1999-01-01 09:00", "too long ago"),
    ):
        with pytest.raises(ValueError, match=said):
            parse_when(typed, now)


async def test_export_screen_saves_a_private_redacted_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    attempt_id = ticket_history.make_history(store)
    app = test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Plain text: the Markdown preview is covered by the flow above, and costs a second.
        screen = ExportScreen(attempt_id, system=ticket_history.SYSTEM, fmt="txt")
        await app.push_screen(screen)
        await settle(pilot)
        assert not screen.query_one(Markdown).display
        assert str(screen.query_one("#plain", Static).render()) == screen.text
        assert "Personal data is redacted" in screen.text
        for sentinel in ticket_history.SENTINELS:
            assert sentinel not in screen.text
        assert not screen.query_one("#pii-warning").display
        assert screen.query_one("#path", Input).value == f"~/kyctui-ticket-{attempt_id}.txt"
        assert screen.query_one("#phone_model", Input).value == "Pixel 7"  # entered on #1

        def status() -> str:
            return str(screen.query_one("#status", Static).render())

        target = tmp_path / "ticket.txt"
        screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == screen.text
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert "personal data redacted" in status()

        # Saving over it asks first; a second press replaces it.
        target.write_text("older", encoding="utf-8")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "already exists" in status() and target.read_text(encoding="utf-8") == "older"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == screen.text

        # A folder that is not there is said inline.
        screen.query_one("#path", Input).value = str(tmp_path / "no-such-dir" / "t.txt")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "the folder does not exist" in status()

        # Personal data only when asked, with a warning in sight; the user's path stays.
        screen.query_one("#preview").focus()
        await pilot.press("p")
        await pilot.pause()
        assert screen.query_one("#pii-warning").display
        assert PII_WARNING in str(screen.query_one("#pii-warning", Static).render())
        assert ticket_history.NAME in screen.text
        await pilot.press("f")
        await pilot.pause()
        assert screen.format == "json" and ticket_history.NAME in screen.text
        assert screen.query_one("#path", Input).value.endswith("t.txt")

        await pilot.press("c")
        assert app.clipboard == screen.text
        assert "OSC 52" in status()

        # The device details are saved as typed, and the summary shows them.
        phone = screen.query_one("#phone_model", Input)
        phone.value = "Galaxy"
        phone.focus()
        await pilot.press("end", "space", *"S2", "enter")
        await settle(pilot)
        assert store.get_attempt(attempt_id).device.phone_model == "Galaxy S2"
        assert "Galaxy S2" in screen.text
        # Without enter, half a second after the last key.
        screen.query_one("#os_version", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *"Android", "space", *"15")
        await pilot.pause(0.8)
        await settle(pilot)
        assert store.get_attempt(attempt_id).device.os_version == "Android 15"
        # Typed, then straight back: kept as well.
        screen.query_one("#browser_or_app", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *"Chrome")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AttemptsScreen)
        assert store.get_attempt(attempt_id).device.browser_or_app == "Chrome"
