"""The start screen: every attempt; the advice and history of the highlighted one's exchange."""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from kyctui.domain.store_errors import StoreError
from kyctui.tui.screens.attempts_detail import ExchangeDetail
from kyctui.tui.widgets.key_bar import KeyBar
from kyctui.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from kyctui.domain.attempts import AttemptSummary
    from kyctui.tui.app import KycApp
    from kyctui.tui.screens.new_attempt import NewAttempt

EMPTY = (
    "[b]No attempts yet.[/b]\n\n"
    "An attempt is one verification you prepare at an exchange. Press [b]n[/b] to start one:\n"
    "kyctui walks you through the documents, the profile, the room, the connection and the\n"
    "permissions the exchange will look at, and checks your photos before you upload them."
)


class AttemptsScreen(ExchangeDetail, Screen[None]):
    """A table of attempts (the most recent unfinished one highlighted); below it, for the
    highlighted attempt's exchange, the current advice and the history of answers."""

    DEFAULT_CSS = """
    AttemptsScreen #empty { padding: 2 4; }
    AttemptsScreen #attempts { height: auto; max-height: 45%; }
    AttemptsScreen #detail { height: 1fr; border-top: solid $primary; }
    AttemptsScreen #detail.-narrow { layout: vertical; }
    AttemptsScreen #advice, AttemptsScreen #history { width: 1fr; height: 1fr; }
    AttemptsScreen #detail.-wide #history { border-left: solid $primary; }
    AttemptsScreen #detail.-narrow #history { border-top: solid $primary; }
    """
    # Side by side when there is room for both; one above the other on a narrow terminal. Set
    # on the detail pane, not as the screen's breakpoints: a class on the screen restyles all
    # of it, which at start-up cost 5-10% of the time to the first frame (measured).
    WIDE = 110
    BINDINGS = [
        Binding("n", "new", "New attempt"),
        Binding("enter", "open", "Open", show=True),
        Binding("o", "outcome", "Record outcome"),
        Binding("e", "export", "Export"),
        Binding("d", "delete", "Delete"),
    ]

    app: KycApp

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[AttemptSummary] = []
        # Reads are not exclusive workers: a cancelled worker makes `wait_for_complete()` raise
        # (tests and screenshots wait on it). They run side by side; the latest asked is shown.
        self._asked_attempts = self._asked_detail = 0
        self._detail_lock = asyncio.Lock()
        self._painted = threading.Event()  # set once the screen has shown its first frame
        self._table_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(EMPTY, id="empty")
        # The table of attempts, and the advice and history widgets (with the escalation policy
        # behind them), are mounted with the first attempts read, after the first frame:
        # start-up pays for none of them.
        yield Horizontal(id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#detail").display = False
        self.call_after_refresh(self._painted.set)

    def on_screen_resume(self) -> None:
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= self.WIDE
        self.query_one("#detail").update_classes({"-wide": wide, "-narrow": not wide})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing to open before there is a table (its own enter key hid this one's, as before).
        return not (action == "open" and self._table() is None)

    def _table(self) -> DataTable[str] | None:
        """The table of attempts, once there were attempts to show."""
        from textual.widgets import DataTable

        tables = self.query_children(DataTable)
        return tables.first(DataTable) if tables else None

    async def _mount_table(self) -> None:
        from textual.widgets import DataTable

        table: DataTable[str] = DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        table.add_columns("#", "exchange", "level", "document", "started", "status", "at step",
                          "done", "failed")  # fmt: skip
        table.display = False  # shown once filled
        await self.mount(table, after="#empty")

    def reload(self) -> None:
        """Read the attempts off the UI thread, then show them."""
        self._asked_attempts += 1
        self._read_attempts(self._asked_attempts)

    @work(thread=True, group="attempts")
    def _read_attempts(self, asked: int) -> None:
        from kyctui.knowledge import load_exchanges
        from kyctui.knowledge.checklist import load_checklist
        from kyctui.knowledge.rejections import load_rejections

        # Read after the first frame: parsing here meanwhile takes the interpreter from it.
        self._painted.wait(timeout=1.0)
        try:
            # Parsed here, off the UI thread, then cached.
            load_exchanges(), load_checklist(), load_rejections()
            summaries = self.app.store.list_attempts()
            latest = self.app.store.latest_unfinished()
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        # call_from_thread awaits a coroutine; its annotation does not admit one returning None.
        self.app.call_from_thread(self._fill, asked, summaries, latest.id if latest else None)  # type: ignore[arg-type]

    async def _fill(
        self, asked: int, summaries: list[AttemptSummary], highlight: int | None
    ) -> None:
        from kyctui.knowledge import load_exchanges
        from kyctui.knowledge.checklist import load_checklist

        if summaries:
            async with self._table_lock:  # mounted once, and filled only once it is mounted
                if self._table() is None:
                    await self._mount_table()
        table = self._table()
        if asked != self._asked_attempts or table is None:
            return  # a newer read is on its way, or none yet ("No attempts yet" stays)
        # The row the user is on stays highlighted; the first time, the latest unfinished one.
        current = self._selected()
        if current is not None and any(s.id == current for s in summaries):
            highlight = current
        self.summaries = summaries
        self.app.known_attempts = summaries
        table.clear()
        exchanges = load_exchanges()
        checklist = load_checklist()
        levels = {lv.id: lv.title for lv in checklist.levels}
        docs = {d.id: d.title for d in checklist.document_types}
        steps = {s.id: s.title for s in checklist.steps}
        for s in summaries:
            exchange = exchanges[s.exchange].name if s.exchange in exchanges else s.exchange
            table.add_row(
                str(s.id),
                exchange,
                levels.get(s.level, s.level),
                docs.get(s.document_type, s.document_type),
                self.app.local(s.created_at).strftime("%Y-%m-%d %H:%M"),
                str(s.status),
                steps.get(s.step, s.step),
                f"{s.items_done} items, {s.photos} ph.",
                str(s.failures),
                key=str(s.id),
            )
        table.display = bool(summaries)
        self.query_one("#detail").display = bool(summaries)
        self.query_one("#empty").display = not summaries
        if summaries:
            detail = self.query_one("#detail")
            mine = self.focused is None or detail not in self.focused.ancestors
            if mine and self.is_current:  # refreshed under the wizard: leave its focus be
                table.focus()
            if highlight is not None:
                table.move_cursor(row=table.get_row_index(str(highlight)))
            self._show_detail()

    def _selected(self) -> int | None:
        table = self._table()
        if table is None or not self.summaries or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def _summary(self) -> AttemptSummary | None:
        attempt_id = self._selected()
        return next((s for s in self.summaries if s.id == attempt_id), None)

    # Actions -----------------------------------------------------------------------------

    def action_outcome(self) -> None:
        summary = self._summary()
        if summary is None:
            self.notify("No attempt yet: press n to start one.", severity="warning")
            return
        self.app.action_record_outcome(summary.id, summary.exchange)

    def action_export(self) -> None:
        summary = self._summary()
        if summary is None:
            self.notify("No attempt yet: press n to start one.", severity="warning")
            return
        self.app.action_export(summary.id)

    def action_new(self) -> None:
        from kyctui.tui.screens.new_attempt import NewAttemptModal

        self.app.push_screen(NewAttemptModal(), self._created)

    def _created(self, choice: NewAttempt | None) -> None:
        if choice is not None:
            self.app.start_attempt(choice)

    def action_open(self) -> None:
        attempt_id = self._selected()
        if attempt_id is not None:
            self.app.open_attempt(attempt_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_delete(self) -> None:
        attempt_id = self._selected()
        if attempt_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(attempt_id)

        from kyctui.tui.screens.confirm import ConfirmModal

        question = f"Delete attempt #{attempt_id} and everything kyctui remembers of it?"
        self.app.push_screen(ConfirmModal(question), answered)

    @work(thread=True, group="delete")
    def _delete(self, attempt_id: int) -> None:
        try:
            self.app.store.delete_attempt(attempt_id)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"Attempt #{attempt_id} deleted.")
        self.app.call_from_thread(self.reload)
