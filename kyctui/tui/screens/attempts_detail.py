"""The attempts screen's detail pane: advice and history for the highlighted attempt's exchange."""

from __future__ import annotations

import asyncio
from datetime import UTC
from typing import TYPE_CHECKING

from textual import work
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen

from kyctui.domain.store_errors import StoreError

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from kyctui.domain.attempts import AttemptSummary
    from kyctui.domain.outcomes import Action
    from kyctui.tui.app import KycApp
    from kyctui.tui.widgets.advice import AdvicePanel, AdviceView
    from kyctui.tui.widgets.timeline import TimelineEntry

    _Screen = Screen[None]
else:
    _Screen = object


class ExchangeDetail(_Screen):
    """Mixed into the attempts screen (screens/attempts.py), whose attempts it shows: the advice
    and the history of answers at the highlighted attempt's exchange, read off the UI thread.
    Handlers are found by name (on_...): Textual's @on only registers on its own classes."""

    app: KycApp
    summaries: list[AttemptSummary]
    _asked_detail: int  # the latest read asked for: an older answer is not shown
    _detail_lock: asyncio.Lock

    if TYPE_CHECKING:

        def _summary(self) -> AttemptSummary | None: ...

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        summary = self._summary()
        if summary is not None:
            self._asked_detail += 1
            self._load_detail(self._asked_detail, summary.id, summary.exchange)

    @work(thread=True, group="detail")
    def _load_detail(self, asked: int, attempt_id: int, exchange: str) -> None:
        from kyctui.knowledge import KnowledgeError, load_exchanges
        from kyctui.knowledge.rejections import rejection_catalog
        from kyctui.tui.widgets.advice import advice_view
        from kyctui.tui.widgets.timeline import timeline_entries

        known = load_exchanges()
        name = known[exchange].name if exchange in known else exchange
        now = self.app.now()
        tz = self.app.local(now).tzinfo or UTC
        view, error, entries = None, "", []
        try:
            history = self.app.store.history(exchange)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        try:
            catalog = rejection_catalog(exchange)
            view = advice_view(exchange, name, attempt_id, history, now, tz, catalog)
            titles = {r.id: r.title for r in catalog.reasons}
        except (KnowledgeError, KeyError, ValueError) as exc:
            error, titles = f"No advice for {name}: {exc}", {}
        mine = [s for s in self.summaries if s.exchange == exchange]
        entries = timeline_entries(mine, history[0], titles)
        # call_from_thread awaits a coroutine; its annotation does not admit one returning None.
        self.app.call_from_thread(self._detail_loaded, asked, name, view, error, entries)  # type: ignore[arg-type]

    async def _detail_loaded(
        self,
        asked: int,
        name: str,
        view: AdviceView | None,
        error: str,
        entries: list[TimelineEntry],
    ) -> None:
        if asked != self._asked_detail:
            return  # the user has moved on to another row
        from kyctui.tui.widgets.advice import AdvicePanel
        from kyctui.tui.widgets.timeline import Timeline

        async with self._detail_lock:  # two answers may arrive before the first mount ends
            detail = self.query_one("#detail", Horizontal)
            if not detail.children:
                await detail.mount(AdvicePanel(id="advice"))
                history = VerticalScroll(id="history")
                await detail.mount(history)
                await history.mount(Timeline(id="timeline"))
        self.query_one(Timeline).show(f"History at {name}", entries, self.app.local)
        self.query_one(AdvicePanel).show(view, error)

    def on_advice_panel_action_toggled(self, event: AdvicePanel.ActionToggled) -> None:
        """An action ticked or unticked in the advice panel."""
        from kyctui.tui.widgets.advice import AdvicePanel

        view = self.query_one(AdvicePanel).view
        if view is not None:
            self._set_action(view.attempt_id, view.exchange, event.action, event.taken)

    @work(thread=True, group="actions")
    def _set_action(self, attempt_id: int, exchange: str, action: Action, taken: bool) -> None:
        """Tick the action on the highlighted attempt; untick it wherever it was ticked at this
        exchange (the advice counts an action once, whichever attempt it was ticked on)."""
        store, now = self.app.store, self.app.now()
        try:
            if taken:
                store.set_action(attempt_id, action, True, now)
            else:
                for done in store.history(exchange)[1]:
                    if done.action is action:
                        store.set_action(done.attempt_id, action, False, now)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, f"Not saved: {exc}", severity="error",
                                      timeout=10)  # fmt: skip
        self.app.call_from_thread(self._show_detail)
