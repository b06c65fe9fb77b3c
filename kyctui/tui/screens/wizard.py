"""The wizard: the attempt's steps in order, each a list of checklist items and photo slots."""

from __future__ import annotations

import asyncio
from contextvars import Context
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from kyctui.domain.attempts import Attempt, ItemState
from kyctui.domain.progress import step_complete
from kyctui.knowledge.checklist import StepPlan
from kyctui.tui import heap
from kyctui.tui.messages import ItemToggled
from kyctui.tui.screens.wizard_photos import PhotoChecks
from kyctui.tui.screens.wizard_saving import Change, SavingChanges
from kyctui.tui.widgets.check_table import CheckTable
from kyctui.tui.widgets.key_bar import KeyBar
from kyctui.tui.widgets.preview import PhotoPreview
from kyctui.tui.widgets.step_bar import StepBar
from kyctui.tui.widgets.step_view import StepView, build_ahead, built_page, page_id
from kyctui.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp


class WizardScreen(PhotoChecks, SavingChanges, Screen[None]):
    """One attempt. Every change is saved at once, off the UI thread (wizard_saving); photos are
    checked in workers (wizard_photos)."""

    # The side panel (a photo's checks and preview) is docked over the pages in a layer of its
    # own, so showing it does not narrow the pages: each keeps the width it was laid out at.
    # The pages' lower layer holds a page warmed ahead (step_view._warm).
    DEFAULT_CSS = """
    WizardScreen #main { height: 1fr; layers: default side; }
    WizardScreen #body { width: 1fr; layers: warming default; }
    WizardScreen #side {
        layer: side; dock: right; width: 50%; display: none; padding: 1 1 0 0;
    }
    WizardScreen #side-title { text-style: bold; }
    """
    BINDINGS = [
        Binding("right_square_bracket", "step(1)", "Next step"),
        Binding("left_square_bracket", "step(-1)", "Previous step"),
        Binding("escape", "app.pop_screen", "Attempts"),
        Binding("o", "record_outcome", "Record outcome"),
        Binding("e", "export", "Export"),
        Binding("ctrl+s", "retry_saving", "Retry saving"),
    ]

    app: KycApp

    def __init__(self, attempt: Attempt, plan: tuple[StepPlan, ...]) -> None:
        super().__init__()
        self.attempt = attempt
        self.plan = plan
        ids = [p.step.id for p in plan]
        self.step_index = ids.index(attempt.step) if attempt.step in ids else 0
        self.selected_slot: str | None = None
        self._unsaved: list[Change] = []

    @property
    def current(self) -> StepPlan:
        return self.plan[self.step_index]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield StepBar(id="steps")
        with Horizontal(id="main"):
            yield ContentSwitcher(id="body")
            with Vertical(id="side"):
                yield Static("Select a photo slot to see its checks.", id="side-title")
                yield CheckTable(id="checks")
                yield PhotoPreview(id="preview")
        yield KeyBar()

    async def on_mount(self) -> None:
        self.sub_title = f"Attempt #{self.attempt.id}"
        await self._show_step()
        build_ahead(self.query_one("#body", ContentSwitcher), self.plan, self.attempt)

    def on_resize(self, event: events.Resize) -> None:
        # The side panel takes what the slots' page (50%, rounded down) leaves: at an odd width
        # the column between them would show a page being warmed beneath.
        self.query_one("#side").styles.width = event.size.width - event.size.width // 2

    def on_unmount(self) -> None:
        # Its pages, frozen when built ahead, are collected once it is gone: later, and in a
        # context of its own (a Textual callback would hold this screen as its sender).
        asyncio.get_running_loop().call_later(0.2, heap.thaw_closed, context=Context())

    def _refresh_bar(self) -> None:
        done = {
            p.step.id
            for p in self.plan
            if p.step.id != "ready" and step_complete(p, self.plan, self.attempt)
        }
        steps = [(p.step.id, p.step.title) for p in self.plan]
        self.query_one(StepBar).show(steps, self.current.step.id, done)

    async def _show_step(self) -> None:
        """Show the current step's page, building it the first time (awaited, so quick key
        presses queue up behind the mount instead of racing it)."""
        self._refresh_bar()
        switcher = self.query_one("#body", ContentSwitcher)
        step = self.current
        page = await built_page(switcher, step, self.plan, self.attempt)
        switcher.current = page.id
        page.refresh_states()  # once shown: hidden pages are not kept up to date
        page.shown()
        # Inline, not a class: a class change restyles the whole side panel (its table too).
        self.query_one("#side").display = bool(step.slots)
        # The focus and the key bar move now, so the switch is painted once: focused after a
        # refresh, the hidden page's focus first fell back to a sibling and the screen was
        # laid out again for each move (measured: half of a step change).
        target = page.first_focusable()
        self.set_focus(target, scroll_visible=False)
        self.refresh_bindings()

        def into_view() -> None:  # what focusing does, once the page is laid out
            if self.focused is target and not self.can_view_entire(target):
                self.scroll_to_center(target, origin_visible=True)

        self.call_after_refresh(into_view)

    def _page(self) -> StepView:
        return self.query_one(f"#{page_id(self.current)}", StepView)

    async def action_step(self, delta: int) -> None:
        index = min(max(self.step_index + delta, 0), len(self.plan) - 1)
        if index == self.step_index:
            return
        self.step_index = index
        self.attempt.step = self.current.step.id
        await self._show_step()
        self._save(
            "step", lambda store: store.set_step(self.attempt.id, self.attempt.step, self.app.now())
        )

    @on(ItemToggled)
    def _item_toggled(self, event: ItemToggled) -> None:
        state = ItemState(event.state)
        if self.attempt.items.get(event.item_id, ItemState.TODO) is state:
            return
        self.attempt.items[event.item_id] = state
        if event.by_program:  # the item's own view did not make the change: refresh it
            for page in self.query(StepView):
                page.refresh_states()
        self._refresh_bar()
        self._save(
            "checklist", lambda s: s.set_item(self.attempt.id, event.item_id, state, self.app.now())
        )

    # Outcome and export (issue #5) -------------------------------------------------------

    def action_record_outcome(self) -> None:
        self.app.action_record_outcome(self.attempt.id, self.attempt.exchange)

    def action_export(self) -> None:
        self.app.action_export(self.attempt.id)
