"""Pilot tests of the Profile match and Statement panels: typed, checked, saved, settled items."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Digits, Static

from kyctui.domain.attempts import ItemState
from kyctui.domain.photos.result import Status
from kyctui.domain.store import Store
from kyctui.tui.app import KycApp
from kyctui.tui.panels import profile as profile_panel
from kyctui.tui.panels.profile import ProfilePanel
from kyctui.tui.panels.profile_form import FieldInput, MrzArea, fields_for
from kyctui.tui.panels.profile_results import DateQuestion, ResultList
from kyctui.tui.panels.statement import StatementPanel
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets.checklist_item import ChecklistItemView
from tests.tui_app import FIXED_NOW, test_app

SIZE = (110, 40)
# The ICAO 9303 specimen passport (Anna Maria Eriksson, Utopia).
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def _attempt(data_dir: Path, exchange: str, level: str, step: str) -> tuple[Store, int]:
    store = Store(data_dir / "kyctui.sqlite3")
    attempt = store.create_attempt(exchange, level, "passport", "documents", FIXED_NOW)
    store.set_step(attempt.id, step, FIXED_NOW)
    return store, attempt.id


@pytest.fixture
def quick_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shorter pause after typing, for tests about what follows it rather than the pause."""
    monkeypatch.setattr(profile_panel, "DEBOUNCE_SECONDS", 0.05)


async def _settle(pilot: Pilot[None]) -> None:
    """Past the typing debounce, with the saves and the wizard's item saves done."""
    await pilot.pause(profile_panel.DEBOUNCE_SECONDS + 0.1)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _wizard(app: KycApp) -> WizardScreen:
    assert isinstance(app.screen, WizardScreen)
    return app.screen


def _field(app: KycApp, name: str) -> FieldInput:
    return app.screen.query_one(f"#field-{name}", FieldInput)


def _item_view(app: KycApp, item_id: str) -> ChecklistItemView:
    return app.screen.query_one(f".item-{item_id.replace('.', '-')}", ChecklistItemView)


async def test_name_typo_flagged_fixed_and_kept(tmp_path: Path) -> None:
    store, attempt_id = _attempt(tmp_path, "okx", "basic", "profile")
    app = test_app(tmp_path, resume=attempt_id)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        wizard = _wizard(app)
        assert wizard.current.step.id == "profile"
        panel = wizard.query_one(ProfilePanel)
        name = _field(app, "full_name")
        assert app.focused is name  # the step opens on its first detail

        await pilot.press(*"Anna Maria Erikson")
        area = wizard.query_one(MrzArea)
        area.focus()
        area.post_message(events.Paste(MRZ))
        await _settle(pilot)
        mismatch = [r for r in panel.query_one(ResultList).results if r.id == "match.name"]
        assert [r.status for r in mismatch] == [Status.FAIL]
        assert "typo" in mismatch[0].message.lower()
        assert wizard.attempt.items.get("profile.legal-name", ItemState.TODO) is ItemState.TODO
        # Nothing typed for the number or nationality: their item is left alone.
        assert "profile.nationality-number" not in wizard.attempt.items

        name.focus()
        await pilot.press("end", "left", "left", "s")  # Erikson → Eriksson
        await _settle(pilot)
        results = {r.id: r.status for r in panel.query_one(ResultList).results}
        assert results["match.name"] is Status.PASS
        assert wizard.attempt.items["profile.legal-name"] is ItemState.DONE
        assert _item_view(app, "profile.legal-name").state is ItemState.DONE

        # Typed just before quitting, before the pause that saves it: kept all the same.
        _field(app, "document_number").focus()
        await pilot.press(*"L898")
    for thread in threading.enumerate():
        if thread.name == "profile-save":
            thread.join(timeout=5)
    stored = store.get_attempt(attempt_id)
    assert stored.profile.full_name == "Anna Maria Eriksson"
    assert stored.profile.document_number == "L898"
    assert stored.items["profile.legal-name"] is ItemState.DONE

    # Reopened: the typed values are read back from the store into the form.
    app2 = test_app(tmp_path, resume=attempt_id)
    async with app2.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert _field(app2, "full_name").value == "Anna Maria Eriksson"
        assert app2.screen.query_one(MrzArea).text == MRZ
        assert "Read as a passport" in str(app2.screen.query_one("#mrz-hint", Static).render())


@pytest.mark.usefixtures("quick_debounce")
async def test_date_question_mrz_error_and_step_keys(tmp_path: Path) -> None:
    store, attempt_id = _attempt(tmp_path, "okx", "basic", "profile")
    app = test_app(tmp_path, resume=attempt_id)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        # An ambiguous date of birth: asked, never guessed.
        _field(app, "date_of_birth").value = "08/12/1974"
        await _settle(pilot)
        question = app.screen.query_one(DateQuestion)
        assert question.display and question.has_class("-visible")
        labels = {str(b.label) for b in question.query(Button) if b.display}
        assert labels == {"12 August 1974", "8 December 1974"}
        await pilot.click("#order-mdy")  # "12 August 1974": month first
        await _settle(pilot)
        assert _wizard(app).attempt.profile.date_order == "mdy"
        assert question.has_class("-answered")
        assert "12 August 1974" in str(question.query_one("#question-text", Static).render())
        assert _wizard(app).attempt.items["profile.birth-date"] is ItemState.DONE
        assert app.focused is _field(app, "date_of_birth")  # not a button that just hid

        # An MRZ with lines of the wrong length: said inline, next to the zone.
        area = app.screen.query_one(MrzArea)
        area.focus()
        area.post_message(events.Paste("P<UTOERIKSSON<<ANNA\nL898902C36UTO7408122F12"))
        await _settle(pilot)
        hint = app.screen.query_one("#mrz-hint", Static)
        assert hint.has_class("-error")
        assert "line 1 has 19" in str(hint.render())
        assert not [r for r in app.screen.query_one(ResultList).results if r.id.startswith("mrz.")]

        # ] in a field goes to the next step instead of being typed.
        _field(app, "full_name").focus()
        await pilot.press("A", "right_square_bracket")
        await _settle(pilot)
        assert _wizard(app).current.step.id == "environment"
        assert _wizard(app).attempt.profile.full_name == "A"
    assert store.get_attempt(attempt_id).profile.date_order == "mdy"
    assert store.get_attempt(attempt_id).profile.full_name == "A"


def test_address_details_only_at_the_advanced_level() -> None:
    basic = {f.name for f in fields_for("basic")}
    advanced = {f.name for f in fields_for("advanced")}
    assert {"full_name", "date_of_birth", "nationality", "document_number", "email"} <= basic
    assert "document_expiry" in basic and "mrz" not in basic  # the MRZ has its own area
    assert advanced - basic == {"basic_level_name", "address_name", "address", "address_issued"}


@pytest.mark.usefixtures("quick_debounce")
async def test_abbreviated_name_on_address_proof_fails_for_coinex(tmp_path: Path) -> None:
    _, attempt_id = _attempt(tmp_path, "coinex", "advanced", "profile")
    app = test_app(tmp_path, resume=attempt_id)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        _field(app, "full_name").value = "Anna Maria Eriksson"
        _field(app, "address_name").value = "A. M. Eriksson"
        await _settle(pilot)
        results = {r.id: r.status for r in app.screen.query_one(ResultList).results}
        assert results["address.name"] is Status.FAIL
        items = _wizard(app).attempt.items
        assert items.get("profile.full-name-on-address", ItemState.TODO) is ItemState.TODO


@pytest.mark.usefixtures("quick_debounce")
async def test_statement_shows_todays_date_and_word_and_checks_them(tmp_path: Path) -> None:
    _, attempt_id = _attempt(tmp_path, "coinex", "basic", "statement")
    app = test_app(tmp_path, resume=attempt_id)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        panel = app.screen.query_one(StatementPanel)
        big = list(panel.query_one("#big-date").children)
        assert [d.value for d in big if isinstance(d, Digits)] == ["2026", "11", "23"]
        separators = [str(s.render()) for s in big if not isinstance(s, Digits)]
        assert len(separators) == 2 and all("/" in s for s in separators)
        assert str(panel.query_one("#word", Static).render()) == "CoinEx"
        assert "2026/11/23" in str(panel.query_one("#exact", Static).render())
        assert "same document" in str(panel.query_one("#reminders", Static).render())

        _field(app, "written-date").value = "2026/11/22"
        _field(app, "written-word").value = "CoinEx"
        await pilot.pause()
        statuses = {r.id: r.status for r in panel.query_one(ResultList).results}
        assert statuses == {"statement.date": Status.FAIL, "statement.word": Status.PASS}
        assert _wizard(app).attempt.items.get("statement.date-and-word") in (None, ItemState.TODO)

        _field(app, "written-date").value = "2026/11/23"
        await _settle(pilot)
        assert _wizard(app).attempt.items["statement.date-and-word"] is ItemState.DONE
        assert _item_view(app, "statement.date-and-word").state is ItemState.DONE
