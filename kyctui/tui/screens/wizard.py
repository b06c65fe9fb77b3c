"""The wizard: the attempt's steps in order, each a list of checklist items and photo slots."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Static

from kyctui.domain.attempts import Attempt, ItemState
from kyctui.domain.progress import step_complete
from kyctui.domain.store import Store, StoreError
from kyctui.knowledge.checklist import StepPlan
from kyctui.tui.messages import (
    AttachRequested,
    ItemToggled,
    PhotoChecked,
    PhotoCheckFailed,
    PhotoCheckProgress,
)
from kyctui.tui.screens.file_picker import FilePickerModal, parse_pasted_path
from kyctui.tui.widgets.check_table import CheckTable
from kyctui.tui.widgets.key_bar import KeyBar
from kyctui.tui.widgets.photo_slot import PhotoSlotView
from kyctui.tui.widgets.preview import PhotoPreview
from kyctui.tui.widgets.step_bar import StepBar
from kyctui.tui.widgets.step_view import StepView, build_ahead, built_page, page_id

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp


# Photo checks queue up and run one at a time: on a two-core laptop, several decoding threads
# at once starve the interface of the interpreter lock (measured: 185 ms key presses with ten).
_ONE_CHECK_AT_A_TIME = threading.Semaphore(1)


class WizardScreen(Screen[None]):
    """One attempt. Every change is saved at once, off the UI thread."""

    DEFAULT_CSS = """
    WizardScreen #main { height: 1fr; }
    WizardScreen #body { width: 1fr; }
    WizardScreen #side { width: 1fr; display: none; padding: 1 1 0 0; }
    WizardScreen #side.visible { display: block; }
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
        self._unsaved: list[tuple[str, Callable[[Store], object]]] = []

    @property
    def current(self) -> StepPlan:
        return self.plan[self.step_index]

    def compose(self) -> ComposeResult:
        yield Header()
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

    # Saving -------------------------------------------------------------------------------

    @work(thread=True, group="save")
    def _save(self, what: str, write: Callable[[Store], object]) -> None:
        """Run `write(store)` off the UI thread; tell the user if it did not reach the disk.

        A failed write (disk full, read-only folder, another window holding the lock) is kept,
        in order, and tried again with ctrl+s: the screen keeps showing the change meanwhile."""
        try:
            write(self.app.store)
        except StoreError as exc:
            self.app.call_from_thread(self._save_failed, what, write, str(exc))

    def _save_failed(self, what: str, write: Callable[[Store], object], reason: str) -> None:
        self._unsaved.append((what, write))
        self.refresh_bindings()
        self.notify(
            f"Not saved ({what}): {reason} Your change is kept on screen; press ctrl+s to retry.",
            severity="error",
            timeout=15,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_saving":
            return bool(self._unsaved)  # the key shows only while something is unsaved
        return True

    def action_retry_saving(self) -> None:
        pending, self._unsaved = self._unsaved, []
        self.refresh_bindings()
        self._retry(pending)

    @work(thread=True, group="save")
    def _retry(self, pending: list[tuple[str, Callable[[Store], object]]]) -> None:
        for index, (_what, write) in enumerate(pending):
            try:
                write(self.app.store)
            except StoreError as exc:
                for later in pending[index:]:  # keep the rest, in order, for the next try
                    self.app.call_from_thread(self._save_failed, later[0], later[1], str(exc))
                return
        self.app.call_from_thread(self.notify, "Saved.", timeout=3)

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

    # Photos -------------------------------------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, PhotoSlotView):
            self.selected_slot = event.widget.slot.kind
            self._show_results(event.widget.slot.kind)

    def _show_results(self, slot: str) -> None:
        photo = self.attempt.photos.get(slot)
        title = self.query_one("#side-title", Static)
        table = self.query_one(CheckTable)
        if photo is None:
            title.update("No photo attached to this slot yet.")
            table.show([])
            self.query_one(PhotoPreview).show(None)
            return
        from kyctui.domain.attempt_photos import skipped_reads

        title.update(f"Checks of {Path(photo.path).name!r}")
        table.show(photo.checks, skipped_reads(self.attempt.exchange, slot, photo.checks))
        self.query_one(PhotoPreview).show(photo.path)

    @on(AttachRequested)
    def _attach_requested(self, event: AttachRequested) -> None:
        slot = next(s for p in self.plan for s in p.slots if s.kind == event.slot)
        picker = FilePickerModal(
            slot.title, self.app.picker_start, allow_pdf=slot.kind == "address-proof"
        )
        self.app.push_screen(picker, lambda path: self.attach(event.slot, path) if path else None)

    def on_paste(self, event: events.Paste) -> None:
        """A dropped or pasted file path attaches to the focused slot (or the first empty one)."""
        if not self.current.slots:
            return
        path = parse_pasted_path(event.text)
        if path is None:
            self.notify("Paste the path of one photo file.", severity="warning")
            return
        focused = self.focused
        if isinstance(focused, PhotoSlotView):
            slot = focused.slot.kind
        else:
            empty = [s.kind for s in self.current.slots if s.kind not in self.attempt.photos]
            slot = (empty or [self.current.slots[0].kind])[0]
        self.attach(slot, path)

    def attach(self, slot: str, path: Path) -> None:
        """Check `path` as the photo of `slot` in a worker; the slot shows progress meanwhile."""
        view = self.query_one(f".slot-{slot}", PhotoSlotView)
        view.busy = True
        self.query_one(CheckTable).loading = True
        self._check(slot, path)

    @work(thread=True, group="photos")
    def _check(self, slot: str, path: Path) -> None:
        # Deferred: Pillow and the checks load with the first photo, not at start-up.
        from kyctui.domain.attempt_photos import check_attempt_photo
        from kyctui.domain.photo_history import rejected_photos

        try:  # the pictures of rejected attempts: the same one again is worth a warning
            before = rejected_photos(self.app.store, self.app.local(self.app.now()).tzinfo)
        except StoreError:
            before = ()
        with _ONE_CHECK_AT_A_TIME:
            report = check_attempt_photo(
                self.attempt, slot, path, self.app.now(), before,
                lambda stage: self.post_message(PhotoCheckProgress(slot, stage)),
            )  # fmt: skip
        try:
            stored = self.app.store.save_photo(self.attempt.id, report, self.app.now())
        except StoreError as exc:
            self.post_message(PhotoCheckFailed(slot, str(exc)))
            return
        self.post_message(PhotoChecked(slot, stored))

    @on(PhotoChecked)
    def _photo_checked(self, event: PhotoChecked) -> None:
        self.attempt.photos[event.slot] = event.photo
        self._slot_done(event.slot)
        verdict = event.photo.verdict
        severity: SeverityLevel = (
            "error" if verdict == "fail" else "warning" if verdict == "warn" else "information"
        )
        self.notify(f"{event.slot}: {verdict}", severity=severity)

    @on(PhotoCheckProgress)
    def _photo_progress(self, event: PhotoCheckProgress) -> None:
        for view in self.query(f".slot-{event.slot}").results(PhotoSlotView):
            view.stage = event.stage if view.busy else ""

    @on(PhotoCheckFailed)
    def _photo_failed(self, event: PhotoCheckFailed) -> None:
        self._slot_done(event.slot)
        self.notify(
            f"Could not save the photo's results: {event.reason}", severity="error", timeout=10
        )

    def _slot_done(self, slot: str) -> None:
        self.query_one(CheckTable).loading = False
        for view in self.query(PhotoSlotView):
            if view.slot.kind == slot:
                view.busy, view.stage = False, ""
        for page in self.query(StepView):
            page.refresh_states()
        self._refresh_bar()
        if self.selected_slot == slot:
            self._show_results(slot)

    # Outcome and export (issue #5) -------------------------------------------------------

    def action_record_outcome(self) -> None:
        self.app.action_record_outcome(self.attempt.id, self.attempt.exchange)

    def action_export(self) -> None:
        self.app.action_export(self.attempt.id)
