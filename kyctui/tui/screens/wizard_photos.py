"""The wizard's photos: attaching one, checking it in a worker, and showing its results."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from kyctui.domain.store import StoreError
from kyctui.tui import heap
from kyctui.tui.messages import AttachRequested, PhotoChecked, PhotoCheckFailed, PhotoCheckProgress
from kyctui.tui.screens.file_picker import FilePickerModal, parse_pasted_path
from kyctui.tui.widgets.check_table import CheckTable
from kyctui.tui.widgets.photo_slot import PhotoSlotView
from kyctui.tui.widgets.preview import PhotoPreview
from kyctui.tui.widgets.step_view import StepView

if TYPE_CHECKING:
    from kyctui.domain.attempts import Attempt
    from kyctui.knowledge.checklist import StepPlan
    from kyctui.tui.app import KycApp

    _Screen = Screen[None]
else:
    _Screen = object

# Photo checks queue up and run one at a time: on a two-core laptop, several decoding threads
# at once starve the interface of the interpreter lock (measured: 185 ms key presses with ten).
_ONE_CHECK_AT_A_TIME = threading.Semaphore(1)


class PhotoChecks(_Screen):
    """Mixed into the wizard (screens/wizard.py), whose attempt, plan and step bar it uses.
    Handlers are found by name (on_...): Textual's @on only registers on its own classes."""

    app: KycApp
    attempt: Attempt
    plan: tuple[StepPlan, ...]
    selected_slot: str | None

    if TYPE_CHECKING:

        @property
        def current(self) -> StepPlan: ...

        def _refresh_bar(self) -> None: ...

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, PhotoSlotView):
            self.selected_slot = event.widget.slot.kind
            self._show_results(event.widget.slot.kind)

    def _show_results(self, slot: str) -> None:
        """The side panel for `slot`'s photo; what it shows already is left alone (a return to
        Documents, or a result for another slot, redraws nothing)."""
        photo = self.attempt.photos.get(slot)
        table = self.query_one(CheckTable)
        if photo is None:
            self._side_title("No photo attached to this slot yet.")
            table.show([])
            self.query_one(PhotoPreview).show(None)
            return
        from kyctui.domain.attempt_photos import skipped_reads

        self._side_title(f"Checks of {Path(photo.path).name!r}")
        table.show(photo.checks, skipped_reads(self.attempt.exchange, slot, photo.checks))
        self.query_one(PhotoPreview).show(photo.path, photo.sha256)

    def _side_title(self, text: str) -> None:
        title = self.query_one("#side-title", Static)
        if title.content != text:
            title.update(text)

    def on_attach_requested(self, event: AttachRequested) -> None:
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

    def on_photo_checked(self, event: PhotoChecked) -> None:
        heap.freeze_new_modules()
        self.attempt.photos[event.slot] = event.photo
        self._slot_done(event.slot)
        verdict = event.photo.verdict
        severity: SeverityLevel = (
            "error" if verdict == "fail" else "warning" if verdict == "warn" else "information"
        )
        self.notify(f"{event.slot}: {verdict}", severity=severity)

    def _pages(self) -> list[StepView]:
        """The step pages, without a query: one walks every widget of every page (measured:
        a few ms per progress message while photos were checked, in the middle of key presses)."""
        body = self.query_one("#body", ContentSwitcher)
        return [page for page in body.children if isinstance(page, StepView)]

    def _slot_views(self, slot: str) -> list[PhotoSlotView]:
        return [v for page in self._pages() for v in page.slot_views if v.slot.kind == slot]

    def on_photo_check_progress(self, event: PhotoCheckProgress) -> None:
        for view in self._slot_views(event.slot):
            view.stage = event.stage if view.busy else ""

    def on_photo_check_failed(self, event: PhotoCheckFailed) -> None:
        self._slot_done(event.slot)
        self.notify(
            f"Could not save the photo's results: {event.reason}", severity="error", timeout=10
        )

    def _slot_done(self, slot: str) -> None:
        self.query_one(CheckTable).loading = False
        for view in self._slot_views(slot):
            view.busy, view.stage = False, ""
        for page in self._pages():
            page.refresh_states()
        self._refresh_bar()
        # The side panel is drawn only where it shows (the step with the slots): on another
        # step a result would decode a preview that nobody sees, and the return to the slots
        # draws it anyway (the focus lands on a slot). (Measured: ten photos checked while on
        # another step decoded ten previews, each competing with the key presses.)
        if self.selected_slot == slot and self.current.slots:
            self._show_results(slot)
