"""The Profile match step's panel: the details the exchange compares, saved and checked as typed."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea
from textual.worker import Worker, WorkerState

from kyctui.domain.attempts import Attempt, ItemState
from kyctui.domain.identity.dates import AmbiguousDate, parse_date
from kyctui.domain.identity.mrz import Mrz, MrzFormatError, normalise, read_mrz
from kyctui.domain.identity.profile_checks import ProfileReport, check_profile
from kyctui.domain.photos.result import Status
from kyctui.domain.store import StoreError
from kyctui.knowledge import load_exchange
from kyctui.knowledge.checklist import StepPlan
from kyctui.tui.messages import ItemToggled
from kyctui.tui.panels.profile_form import (
    DATE_FIELD_NAMES,
    FieldInput,
    FieldRow,
    MrzArea,
    fields_for,
)
from kyctui.tui.panels.profile_results import DateQuestion, ResultList

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp

DEBOUNCE_SECONDS = 0.4
# One write at a time, each writing the fields' values as they are when it runs: a slow early
# write can then never land after a later one with an older value.
_WRITE_LOCK = threading.Lock()


def _write(app: KycApp, attempt: Attempt, fields: Iterable[str]) -> None:
    """Store `fields` of the attempt's profile as they are now (StoreError when it fails)."""
    with _WRITE_LOCK:
        profile = attempt.profile
        for name in sorted(fields):
            app.store.set_profile_field(attempt.id, name, getattr(profile, name), app.now())


class ProfilePanel(Widget):
    """The profile form, its check results, and the checklist items those results settle."""

    DEFAULT_CSS = """
    ProfilePanel { height: auto; margin-bottom: 1; }
    ProfilePanel .panel-title { text-style: bold; margin-bottom: 1; }
    ProfilePanel #mrz-hint { color: $text-muted; margin-bottom: 1; }
    ProfilePanel #mrz-hint.-error { color: $error; }
    """

    app: KycApp

    def __init__(self, step: StepPlan, attempt: Attempt) -> None:
        super().__init__(id="profile-panel")
        self.step = step
        self.attempt = attempt
        self.exchange = load_exchange(attempt.exchange)
        self.report: ProfileReport | None = None
        self._dirty: set[str] = set()  # fields changed on screen, not yet handed to a writer
        self._timer: Timer | None = None
        self._saves: list[tuple[Worker[None], frozenset[str]]] = []  # handed to a writer

    def compose(self) -> ComposeResult:
        profile = self.attempt.profile
        yield Static(
            "Type each detail exactly as the document prints it; the exchange compares them.",
            classes="panel-title",
        )
        for spec in fields_for(self.attempt.level):
            yield FieldRow(spec.label, FieldInput(spec, getattr(profile, spec.name)))
        yield FieldRow("MRZ (optional)", MrzArea(profile.mrz))
        yield Static(id="mrz-hint")
        yield DateQuestion()
        yield Static("What kyctui found", classes="panel-title")
        yield ResultList(
            "Nothing to compare yet: type your details above and kyctui checks them as you go.",
            id="profile-results",
        )

    def on_mount(self) -> None:
        self.recheck()

    # Typing and saving ----------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, FieldInput):
            self._changed(event.input.field_name, event.value)

    @on(TextArea.Changed)
    def _mrz_changed(self, event: TextArea.Changed) -> None:
        if isinstance(event.text_area, MrzArea):
            self._changed("mrz", event.text_area.text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.settle()
        self.screen.focus_next()  # enter moves on to the next detail

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.settle()

    def _changed(self, name: str, value: str) -> None:
        if getattr(self.attempt.profile, name) == value:
            return  # the input was filled in with the stored value, not typed into
        self.attempt.profile = self.attempt.profile.with_field(name, value)
        self._dirty.add(name)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self.settle)

    def settle(self) -> None:
        """Save what changed and check the profile again (after a pause in typing, or at once
        when the user leaves a field)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._dirty:
            return
        fields, self._dirty = frozenset(self._dirty), set()
        worker = self.app.run_worker(
            lambda: self._save(fields), thread=True, group="profile-save", name="profile"
        )  # on the app, not this panel: leaving the screen must not cancel a pending save
        self._saves = [(w, f) for w, f in self._saves if w.state is not WorkerState.SUCCESS]
        self._saves.append((worker, fields))
        self.recheck()

    def on_unmount(self) -> None:
        # Quitting cancels workers, maybe before a save's thread started: what is unsaved is
        # written again from a plain (non-daemon) thread, which the interpreter waits for.
        # A second write of the same values is harmless; a lost one is not.
        unsaved = set(self._dirty)
        for worker, fields in self._saves:
            if worker.state is not WorkerState.SUCCESS:
                unsaved |= fields
        self._dirty, self._saves = set(), []
        if unsaved:
            write = partial(_write, self.app, self.attempt, frozenset(unsaved))
            threading.Thread(target=write, name="profile-save").start()  # nobody left to tell

    def _save(self, fields: Iterable[str]) -> None:
        app = self.app
        try:
            _write(app, self.attempt, fields)
        except StoreError as exc:
            message = f"Profile not saved: {exc}. What you typed is kept on screen."
            app.call_from_thread(app.notify, message, severity="error", timeout=10)

    # Checking -------------------------------------------------------------------------------

    def recheck(self) -> None:
        """Check the profile as it is on screen, show the results, and settle the items."""
        profile = self.attempt.profile
        mrz = self._read_mrz(profile.mrz)
        today = self.app.local(self.app.now()).date()
        report = check_profile(
            profile, self.exchange, self.attempt.level, self.attempt.document_type, today, mrz
        )
        self.report = report
        self.query_one(ResultList).show(report.results)
        self._show_question(report)
        self._settle_items(report)

    def _read_mrz(self, typed: str) -> Mrz | None:
        hint = self.query_one("#mrz-hint", Static)
        lines = normalise([typed])
        error = False
        mrz = None
        if not lines:
            text = "Optional: type or paste the 2 or 3 lines of the zone at the bottom of the page."
        elif len(lines) == 1:
            text = f"One line of {len(lines[0])} characters so far: an MRZ has 2 or 3 lines."
        else:
            try:
                mrz = read_mrz(lines)
                kind = mrz.layout.kind
                article = "an" if kind[0] in "AEIOU" else "a"
                text = f"Read as {article} {kind} MRZ; its checks are in the list below."
            except MrzFormatError as exc:
                text, error = f"Not a valid MRZ: {exc}.", True
        hint.update(text)
        hint.set_class(error, "-error")
        return mrz

    def _show_question(self, report: ProfileReport) -> None:
        question = self.query_one(DateQuestion)
        profile = self.attempt.profile
        if report.questions:
            asked = report.questions[0]
            typed = getattr(profile, asked.field)
            what = DATE_FIELD_NAMES.get(asked.field, "date")
            question.ask(asked.field, what, typed, asked.day_first, asked.month_first)
            return
        order = profile.date_order
        for name, what in DATE_FIELD_NAMES.items():
            typed = getattr(profile, name)
            reading = parse_date(typed) if order and typed.strip() else None
            if isinstance(reading, AmbiguousDate):
                other = "mdy" if order == "dmy" else "dmy"
                chosen, unchosen = reading.pick(order), reading.pick(other)
                question.confirm(name, what, typed, chosen, unchosen, order)
                return
        question.hide()

    @on(Button.Pressed, "#order-dmy, #order-mdy")
    def _order_chosen(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        field = self.query_one(DateQuestion).field
        self._changed("date_order", event.button.id.removeprefix("order-"))
        self.settle()
        if field is not None:  # the pressed button may now be hidden: back to the date itself
            self.query_one(f"#field-{field}", FieldInput).focus()

    def _settle_items(self, report: ProfileReport) -> None:
        # check_profile reports only items of this attempt's plan, so each one is on some step.
        for item_id, status in report.items.items():
            state = ItemState.TODO if status is Status.FAIL else ItemState.DONE
            if self.attempt.items.get(item_id, ItemState.TODO) is not state:
                self.post_message(ItemToggled(item_id, str(state), by_program=True))
