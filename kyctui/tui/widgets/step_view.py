"""One wizard step's page: its summary, photo slots and checklist items, built once and reused."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.dom import NoScreen
from textual.walk import walk_depth_first
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from kyctui.domain.attempts import Attempt
from kyctui.domain.progress import item_state
from kyctui.knowledge.checklist import StepPlan
from kyctui.tui import heap
from kyctui.tui.widgets.checklist_item import ChecklistItemView
from kyctui.tui.widgets.photo_slot import PhotoSlotView
from kyctui.tui.widgets.ready_summary import ReadySummary

# What the program checks for an item, said beside it (items not listed are confirmed by hand).
AUTOMATIC = {
    "photos": "checked by kyctui from your photos",
    "profile": "checked by kyctui from the details you enter above",
    "dates": "checked by kyctui from the dates you enter in Profile match",
    "statement": "checked by kyctui from what you say you wrote",
    "connection": "set by the connection test above",
    "devices": "set by the device check above",
}

# Extra panels a step shows above its items, by step id (the profile form, the connection test…).
# A panel with a `first_shown()` method has it called when its step is first shown: work that
# should not start with the page, built ahead in the background (the device check starts each
# browser to read its version), starts there.
PanelFactory = Callable[[StepPlan, Attempt], Widget]


class StepView(VerticalScroll):
    """A step's widgets. Switching steps shows and hides pages instead of rebuilding them, so a
    key press costs a display toggle, not a re-mount of every item (measured: ~100 ms)."""

    # The gutter is kept for the scroll bar even when a page fits: a page shown for the first
    # time would otherwise be laid out twice, the second time narrower once its bar appears
    # (measured: a third of a step change, 88-126 ms down to 66-90 while photos are checked).
    # A page with photo slots leaves the right half to the wizard's side panel (laid over the
    # pages, so the other pages keep the full width they are built ahead and warmed at).
    DEFAULT_CSS = """
    StepView { padding: 1 1 0 1; scrollbar-gutter: stable; }
    StepView.-with-side { width: 50%; }
    StepView .step-summary { color: $text-muted; margin-bottom: 1; }
    """

    def __init__(
        self,
        step: StepPlan,
        plan: Sequence[StepPlan],
        attempt: Attempt,
        panel: PanelFactory | None = None,
    ) -> None:
        super().__init__(id=page_id(step), classes="-with-side" if step.slots else "")
        self.step = step
        self.plan = plan
        self.attempt = attempt
        self._panel = panel
        self._panel_widget: Widget | None = None
        self._seen = False  # shown at least once
        self.built = asyncio.Event()  # set once its widgets are mounted
        self._slots: list[PhotoSlotView] = []
        self._items: list[ChecklistItemView] = []
        self._summaries: list[ReadySummary] = []

    def on_mount(self) -> None:
        self.built.set()

    def compose(self) -> ComposeResult:
        step = self.step
        yield Static(f"[b]{step.step.title}[/b]: {step.step.summary}", classes="step-summary")
        if self._panel is not None:
            self._panel_widget = self._panel(step, self.attempt)
            yield self._panel_widget
        self._slots = [PhotoSlotView(s, self.attempt.photos.get(s.kind)) for s in step.slots]
        yield from self._slots
        self._items = []
        for item in step.items:
            state = item_state(item, self.plan, self.attempt)
            self._items.append(ChecklistItemView(item, state, AUTOMATIC.get(item.checked_by or "")))
        yield from self._items
        self._summaries = [ReadySummary(self.plan, self.attempt)] if step.step.id == "ready" else []
        yield from self._summaries

    def shown(self) -> None:
        """Called when the page is shown: the first time, its panel's `first_shown()`."""
        if self._seen:
            return
        self._seen = True
        first_shown = getattr(self._panel_widget, "first_shown", None)
        if first_shown is not None:
            first_shown()

    def refresh_states(self) -> None:
        """Show the attempt's current photos and item states (after a change elsewhere). A
        hidden page is brought up to date when it is shown: every page is built ahead, and a
        photo checked or an item ticked would otherwise redo all of them."""
        if not self.display:
            return
        for slot_view in self._slots:
            slot_view.photo = self.attempt.photos.get(slot_view.slot.kind)
        for item_view in self._items:
            item_view.state = item_state(item_view.item, self.plan, self.attempt)
        for summary in self._summaries:
            summary.refresh_summary()

    @property
    def slot_views(self) -> tuple[PhotoSlotView, ...]:
        """The page's photo slots (none on most steps)."""
        return tuple(self._slots)

    def first_focusable(self) -> Widget:
        """The widget to focus when the step is shown: its first control, or the page itself
        (so the keys scroll it and no hidden page keeps the focus)."""
        widgets = walk_depth_first(self, Widget, with_root=False)
        return next((w for w in widgets if w.can_focus and w.display), self)


def page_id(step: StepPlan) -> str:
    """The id of a step's page."""
    return f"step-{step.step.id}"


async def built_page(
    switcher: ContentSwitcher,
    step: StepPlan,
    plan: Sequence[StepPlan],
    attempt: Attempt,
) -> StepView:
    """The page of `step` in `switcher`, hidden: the one built ahead (once its build is done),
    or one built now."""
    page = next((c for c in switcher.children if c.id == page_id(step)), None)
    if isinstance(page, StepView):
        await page.built.wait()
    else:
        from kyctui.tui.panels import panel_for  # the panels import this module

        page = StepView(step, plan, attempt, panel_for(step.step.id))
        page.display = False
        await switcher.mount(page)
    return page


async def _painted(widget: Widget) -> None:
    """Return after the screen's next paint."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def paint() -> None:
        if not done.done():  # cancelled with the wizard
            done.set_result(None)

    widget.call_after_refresh(paint)
    await done


async def _laid_out(page: Widget) -> None:
    """Return after the screen's next layout, which paints it too (or after two seconds, when
    a modal over the wizard holds its layouts back). Not after a refresh: a callback after a
    refresh may run before the layout that `page` asked for reaches the screen."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def laid_out(_screen: object) -> None:
        if not done.done():
            done.set_result(None)

    try:
        signal = page.screen.screen_layout_refresh_signal
    except NoScreen:
        return  # the wizard closed (or the app quit) while its pages were built
    signal.subscribe(page, laid_out, immediate=True)
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done, 2.0)
    finally:
        signal.unsubscribe(page)


async def _warm(switcher: ContentSwitcher, page: StepView) -> None:
    """Lay out and paint a hidden page once, beneath the current one (the switcher's lower
    layer, see the wizard's CSS), at the width it is shown at: its first showing then finds
    its text measured and its arrangement made, as a return to a page does (measured, medians
    of 11 runs: the first "-> profile" 77 ms down to 45, "-> permissions" 63 to 45)."""
    if page.display:
        return
    page.styles.layer = "warming"
    page.display = True
    try:
        await _laid_out(page)
        # Laid out again at the size it now has: the first layout measured the widgets, then
        # gave them their sizes, and a widget given a new size forgets what it measured.
        page.refresh(layout=True)
        await _laid_out(page)
    finally:
        page.styles.clear_rule("layer")
        page.display = switcher.current == page.id  # a key press may have shown it meanwhile


def build_ahead(switcher: ContentSwitcher, plan: Sequence[StepPlan], attempt: Attempt) -> None:
    """Build every step's page, hidden, while the user reads the current one: the panels are
    imported in a thread, then one page is built after each paint, so a key press between two
    builds waits for one at most. A step change then only switches pages (measured: a first
    build and paint took 100-400 ms, a switch 30-50)."""
    from kyctui.tui.panels import panel_for

    def import_panels() -> None:
        for step in plan:
            panel_for(step.step.id)

    async def build_all() -> None:
        await asyncio.to_thread(import_panels)
        for step in plan:
            await _painted(switcher)
            await _warm(switcher, await built_page(switcher, step, plan, attempt))
        heap.freeze_pages()  # thawed when the wizard closes (WizardScreen.on_unmount)

    switcher.run_worker(build_all(), group="step-pages")
