"""The start screen: every attempt with its exchange, level, status, progress and failures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from kyctui.domain.attempts import AttemptSummary
from kyctui.domain.store import StoreError
from kyctui.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp
    from kyctui.tui.screens.new_attempt import NewAttempt

EMPTY = (
    "[b]No attempts yet.[/b]\n\n"
    "An attempt is one verification you prepare at an exchange. Press [b]n[/b] to start one:\n"
    "kyctui walks you through the documents, the profile, the room, the connection and the\n"
    "permissions the exchange will look at, and checks your photos before you upload them."
)


class AttemptsScreen(Screen[None]):
    """A table of attempts; the most recent unfinished one is highlighted."""

    DEFAULT_CSS = """
    AttemptsScreen #empty { padding: 2 4; }
    AttemptsScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new", "New attempt"),
        Binding("enter", "open", "Open", show=True),
        Binding("d", "delete", "Delete"),
    ]

    app: KycApp

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[AttemptSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(EMPTY, id="empty")
        yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "exchange", "level", "document", "started", "status", "at step",
                          "done", "failed")  # fmt: skip
        table.display = False

    def on_screen_resume(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="attempts")
    def reload(self) -> None:
        """Read the attempts off the UI thread, then show them."""
        from kyctui.knowledge import load_exchanges
        from kyctui.knowledge.checklist import load_checklist

        try:
            load_exchanges(), load_checklist()  # parsed here, off the UI thread, then cached
            summaries = self.app.store.list_attempts()
            latest = self.app.store.latest_unfinished()
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self._fill, summaries, latest.id if latest else None)

    def _fill(self, summaries: list[AttemptSummary], highlight: int | None) -> None:
        from kyctui.knowledge import load_exchanges
        from kyctui.knowledge.checklist import load_checklist

        self.summaries = summaries
        self.app.known_attempts = summaries
        table = self.query_one(DataTable)
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
        self.query_one("#empty").display = not summaries
        if summaries:
            table.focus()
            if highlight is not None:
                table.move_cursor(row=table.get_row_index(str(highlight)))

    def _selected(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.summaries or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

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

    @work(thread=True, group="delete")  # not "attempts": a reload there is exclusive
    def _delete(self, attempt_id: int) -> None:
        try:
            self.app.store.delete_attempt(attempt_id)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"Attempt #{attempt_id} deleted.")
        self.app.call_from_thread(self.reload)
