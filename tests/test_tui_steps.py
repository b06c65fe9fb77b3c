"""The wizard's step pages (built ahead, switched, kept up to date) and the attempts table."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Size
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable

from kyctui.domain.attempts import ItemState
from kyctui.domain.probes.rules import ProbeRules
from kyctui.domain.probes.runner import MachineReport
from kyctui.domain.store import Store
from kyctui.tui.app import KycApp
from kyctui.tui.messages import ItemToggled
from kyctui.tui.panels.permissions import PermissionsPanel
from kyctui.tui.screens.attempts import AttemptsScreen
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets import step_view
from kyctui.tui.widgets.checklist_item import ChecklistItemView
from kyctui.tui.widgets.key_bar import KeyBar
from kyctui.tui.widgets.step_view import StepView
from tests.tui_app import FIXED_NOW, test_app

SIZE = (120, 40)
STEPS = ["documents", "profile", "environment", "connection", "permissions", "ready"]


@pytest.fixture
def machine_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The device check, faked: it records each run instead of looking at the machine."""
    calls: list[str] = []

    def fake(rules: ProbeRules, system: str | None = None, **kw: Any) -> MachineReport:
        calls.append("run")
        return MachineReport([], [], "linux")

    monkeypatch.setattr(PermissionsPanel, "machine", staticmethod(fake))
    return calls


def _wizard_app(data: Path, step: str = "documents") -> KycApp:
    store = Store(data / "kyctui.sqlite3")
    attempt = store.create_attempt("okx", "basic", "national-id", step, FIXED_NOW)
    return test_app(data, resume=attempt.id)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _all_built(pilot: Pilot[None]) -> WizardScreen:
    """The wizard once every page is built ahead: the build runs after the wizard's first
    paints, which a loaded machine may bring after the first workers are done."""
    for _ in range(250):
        await _settle(pilot)
        wizard = pilot.app.screen
        if isinstance(wizard, WizardScreen):
            pages = list(wizard.query(StepView))
            if len(pages) == len(wizard.plan) and all(p.built.is_set() for p in pages):
                await _settle(pilot)  # the collection and freeze after the last page
                return wizard
        await pilot.pause(0.02)
    raise AssertionError("the step pages were never all built")


def _state(view: ChecklistItemView) -> ItemState:
    return view.state


def _pages(wizard: WizardScreen) -> dict[str, StepView]:
    return {page.step.step.id: page for page in wizard.query(StepView)}


async def test_pages_are_built_ahead_and_a_key_only_switches(
    tmp_path: Path, machine_calls: list[str]
) -> None:
    async with _wizard_app(tmp_path).run_test(size=SIZE) as pilot:
        wizard = await _all_built(pilot)
        built = _pages(wizard)
        assert list(built) == STEPS
        assert [p.display for p in built.values()] == [True] + [False] * 5
        # Its panel is built ahead too, but the device check starts each browser: not before
        # its step is opened.
        assert len(built["permissions"].query(PermissionsPanel)) == 1 and machine_calls == []

        await pilot.press("right_square_bracket", "right_square_bracket")
        for _ in range(100):  # shown, and focused after its refresh, even when loaded
            await pilot.pause(0.02)
            if wizard.current.step.id == "environment" and wizard.focused is not None:
                break
        await _settle(pilot)  # and the key bar redrawn for that focus
        assert _pages(wizard) == built  # the same widgets, switched, none built again
        page = built["environment"]
        assert wizard.query_one("#body", ContentSwitcher).current == page.id
        assert [p.step.step.id for p in built.values() if p.display] == ["environment"]
        focused = wizard.focused
        assert isinstance(focused, ChecklistItemView) and page in focused.ancestors
        keys = wizard.query_one(KeyBar)
        assert keys.shown == keys.line_for(wizard).plain
        assert "space Done/undo" in keys.shown and "n Not applicable" in keys.shown

        await pilot.press("right_square_bracket", "right_square_bracket")
        await _settle(pilot)
        assert wizard.current.step.id == "permissions"
        assert len(wizard.query(PermissionsPanel)) == 1 and machine_calls == ["run"]
        panel = wizard.query_one(PermissionsPanel)
        assert built["permissions"].children.index(panel) == 1  # under the summary

        await pilot.press("left_square_bracket", "right_square_bracket")
        await _settle(pilot)
        assert machine_calls == ["run"]  # once, when first shown (r checks again)


async def test_hidden_pages_are_laid_out_once_beneath_the_shown_one(
    tmp_path: Path, machine_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed: dict[str, tuple[int, int]] = {}  # page: its width and widgets laid out, when warmed
    laid_out = step_view._laid_out

    async def recording(page: Widget) -> None:
        await laid_out(page)
        assert isinstance(page, StepView) and page.display and page.styles.layer == "warming"
        sized = [w for w in page.query("*") if w.size.width]
        warmed[page.step.step.id] = (page.outer_size.width, len(sized))

    monkeypatch.setattr(step_view, "_laid_out", recording)
    async with _wizard_app(tmp_path).run_test(size=SIZE) as pilot:
        wizard = await _all_built(pilot)
        body = wizard.query_one("#body", ContentSwitcher)
        pages = _pages(wizard)
        # At the width each is shown at: the side panel is laid over the pages, not beside.
        assert {step: width for step, (width, _) in warmed.items()} == {
            step: body.size.width for step in STEPS[1:]
        }
        assert all(sized > 0 for _, sized in warmed.values())
        assert [p.display for p in pages.values()] == [True] + [False] * 5
        assert all(p.styles.layer == "" for p in pages.values())  # back in the shown layer
        documents, side = pages["documents"], wizard.query_one("#side")
        assert documents.outer_size.width == body.size.width // 2
        assert side.region.x >= documents.region.right


async def test_the_side_panel_meets_the_slots_page_at_an_odd_width(
    tmp_path: Path, machine_calls: list[str]
) -> None:
    async with _wizard_app(tmp_path).run_test(size=(81, 30)) as pilot:
        wizard = await _all_built(pilot)
        documents, side = _pages(wizard)["documents"], wizard.query_one("#side")
        assert (documents.region.width, side.region.width) == (40, 41)
        assert side.region.x == documents.region.right  # no column between, nothing beneath
        await pilot.resize_terminal(120, 40)
        await _settle(pilot)
        assert (documents.region.width, side.region.width) == (60, 60)
        assert side.region.x == documents.region.right


async def test_a_warmed_page_is_shown_without_measuring_its_widgets_again(
    tmp_path: Path, machine_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _wizard_app(tmp_path).run_test(size=SIZE) as pilot:
        wizard = await _all_built(pilot)
        page = _pages(wizard)["profile"]  # the form: labels, inputs, wrapped text
        measured: list[Widget] = []
        real = Widget.get_content_height

        def counting(self: Widget, container: Size, viewport: Size, width: int) -> int:
            if page in self.ancestors:
                measured.append(self)
            return real(self, container, viewport, width)

        monkeypatch.setattr(Widget, "get_content_height", counting)
        await pilot.press("right_square_bracket")
        await _settle(pilot)
        assert wizard.current.step.id == "profile" and page.display
        assert measured == []  # its arrangement, made while warmed, is reused


async def test_a_page_taken_off_the_screen_is_not_waited_for() -> None:
    await asyncio.wait_for(step_view._laid_out(Widget()), 1)  # the app quit while warming


async def test_a_page_shown_while_it_is_warmed_stays_shown(
    tmp_path: Path, machine_calls: list[str]
) -> None:
    async with _wizard_app(tmp_path).run_test(size=SIZE) as pilot:
        wizard = await _all_built(pilot)
        body = wizard.query_one("#body", ContentSwitcher)
        page = _pages(wizard)["profile"]
        warming = asyncio.ensure_future(step_view._warm(body, page))
        await asyncio.sleep(0)
        assert page.display and page.styles.layer == "warming"
        await wizard.action_step(1)  # the key press comes before the warming paint
        await warming
        await _settle(pilot)
        assert body.current == page.id and page.display and page.styles.layer == ""
        assert [p.step.step.id for p in _pages(wizard).values() if p.display] == ["profile"]


async def test_a_hidden_page_shows_changes_made_meanwhile(
    tmp_path: Path, machine_calls: list[str]
) -> None:
    async with _wizard_app(tmp_path).run_test(size=SIZE) as pilot:
        wizard = await _all_built(pilot)
        item = next(i for i in _pages(wizard)["environment"].query(ChecklistItemView))
        assert _state(item) is ItemState.TODO
        # Settled by the program while its page is hidden (as a panel's check does).
        wizard.post_message(ItemToggled(item.item.id, str(ItemState.DONE), by_program=True))
        await pilot.pause()
        assert wizard.attempt.items[item.item.id] is ItemState.DONE
        await pilot.press("right_square_bracket", "right_square_bracket")
        for _ in range(100):  # the page shown, and focused after its refresh, even when loaded
            await pilot.pause(0.02)
            if wizard.current.step.id == "environment" and wizard.focused is item:
                break
        assert _state(item) is ItemState.DONE
        assert wizard.focused is item  # the first control of the page shown


async def test_the_attempts_table_comes_with_the_first_attempt(tmp_path: Path) -> None:
    app = test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, AttemptsScreen)
        assert not screen.query(DataTable) and screen.query_one("#empty").display
        # Nothing to open: the key bar offers no enter, and enter does nothing.
        assert "Open" not in screen.query_one(KeyBar).shown
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen.__class__ is AttemptsScreen  # still here

        store = Store(tmp_path / "kyctui.sqlite3")
        first = store.create_attempt("okx", "basic", "passport", "documents", FIXED_NOW)
        second = store.create_attempt("coinex", "basic", "passport", "documents", FIXED_NOW)
        screen.reload()
        await _settle(pilot)
        table = screen.query_one(DataTable)
        assert table.display and not screen.query_one("#empty").display
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            str(second.id),
            str(first.id),
        ]
        assert app.focused is table and table.cursor_row == 0  # the latest unfinished
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, WizardScreen) and app.screen.attempt.id == second.id


@pytest.mark.parametrize(("width", "layout"), [(120, "horizontal"), (90, "vertical")])
async def test_advice_and_history_side_by_side_only_when_wide(
    tmp_path: Path, width: int, layout: str
) -> None:
    store = Store(tmp_path / "kyctui.sqlite3")
    store.create_attempt("okx", "basic", "passport", "documents", FIXED_NOW)
    async with test_app(tmp_path).run_test(size=(width, 40)) as pilot:
        await _settle(pilot)
        detail = pilot.app.screen.query_one("#detail")
        assert detail.styles.layout is not None and detail.styles.layout.name == layout
        await pilot.resize_terminal(200 - width, 40)
        await pilot.pause()
        other = "vertical" if layout == "horizontal" else "horizontal"
        assert detail.styles.layout is not None and detail.styles.layout.name == other
