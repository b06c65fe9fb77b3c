"""The advice panel: what to do next at one exchange, and the actions taken, ticked by the user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Static

from kyctui.domain.escalation import Advice, AdviceLevel, advise, format_retry
from kyctui.domain.export import ACTION_LABELS
from kyctui.domain.outcomes import Action, ActionTaken, Outcome
from kyctui.domain.peak_hours import format_local
from kyctui.knowledge.rejections import RejectionCatalog

_LEVEL_STYLE = {
    AdviceLevel.NONE: "",
    AdviceLevel.APPROVED: "bold green",
    AdviceLevel.WAIT_FOR_REVIEW: "bold yellow",
    AdviceLevel.FIX_REASON: "bold yellow",
    AdviceLevel.WAIT_AND_RETRY: "bold dark_orange",
    AdviceLevel.CLEAR_CACHE_SWITCH_DEVICE: "bold dark_orange",
    AdviceLevel.CONTACT_SUPPORT: "bold red",
}
# Before any answer, and after an approval, there is nothing to have tried.
_QUIET = (AdviceLevel.NONE, AdviceLevel.APPROVED)


@dataclass(frozen=True)
class AdviceView:
    """The advice of one exchange as the panel shows it, with times already on the user's clock."""

    exchange: str
    exchange_name: str
    attempt_id: int  # the attempt an action ticked now is recorded on
    advice: Advice
    retry: str  # "" when there is no time to give
    peak: str  # why the retry time was moved out of the busy hours; "" when it was not
    done: tuple[tuple[Action, str], ...]  # actions ticked at this exchange, with when


def advice_view(
    exchange: str,
    exchange_name: str,
    attempt_id: int,
    history: tuple[Sequence[Outcome], Sequence[ActionTaken]],
    now: datetime,
    tz: tzinfo,
    catalog: RejectionCatalog | None = None,
) -> AdviceView:
    """The policy's advice for one exchange's history (Store.history), ready to show."""
    outcomes, actions = history
    advice = advise(outcomes, actions, now, tz, catalog)
    peak = ""
    if advice.peak is not None:
        quiet = format_local(advice.peak.quiet_from, tz, now)
        peak = f"Moved out of the busy hours ({advice.peak.label}): quieter from {quiet}."
    first: dict[Action, ActionTaken] = {}
    for taken in actions:
        first.setdefault(taken.action, taken)
    done = tuple((a, format_local(t.taken_at, tz, now)) for a, t in first.items())
    retry = format_retry(advice, tz, now)
    return AdviceView(exchange, exchange_name, attempt_id, advice, retry, peak, done)


class Tick(Checkbox):
    """A checkbox whose label wraps: the steps are whole sentences, cut short they say nothing."""

    DEFAULT_CSS = """
    Tick { text-wrap: wrap; text-overflow: fold; }
    """

    @property
    def _button(self) -> Content:
        # A mark that does not lean on colour alone (NO_COLOR, colour blindness): ✓ or blank.
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Widget's own measure, which wraps; ToggleButton's answers one line whatever the width.
        return Widget.get_content_height(self, container, viewport, width)


def _label(action: Action) -> str:
    words = ACTION_LABELS[action]
    return words[:1].upper() + words[1:]


class AdvicePanel(VerticalScroll):
    """Headline, retry time, the reason's fixes, the suggested steps and every action as a
    checkbox: ticking one posts ActionToggled, and the screen saves it and shows new advice."""

    DEFAULT_CSS = """
    AdvicePanel { padding: 0 1; }
    AdvicePanel .headline { margin-bottom: 1; }
    AdvicePanel .section { text-style: bold; margin-top: 1; }
    AdvicePanel .peak { color: $warning; }
    AdvicePanel .ticket { margin-top: 1; color: $success; text-style: bold; }
    AdvicePanel .muted { color: $text-muted; }
    AdvicePanel Checkbox { border: none; padding: 0; width: 1fr; height: auto;
                           background: transparent; }
    AdvicePanel Checkbox:focus { background: $boost; }
    """

    @dataclass
    class ActionToggled(Message):
        """The user ticked (or unticked) an action they took."""

        action: Action
        taken: bool

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: AdviceView | None = None
        self.error = ""
        self._keep: str | None = None  # the id of the checkbox to focus again after a rebuild

    def compose(self) -> ComposeResult:
        view = self.view
        if self.error:
            yield Static(Text(self.error), classes="muted")
            return
        if view is None:
            yield Static("Select an attempt to see what to do next.", classes="muted")
            return
        advice = view.advice
        headline = Text.assemble((f"{view.exchange_name}: ", "bold"), advice.headline)
        headline.stylize(_LEVEL_STYLE[advice.level], len(view.exchange_name) + 2)
        yield Static(headline, classes="headline")
        if advice.level is AdviceLevel.NONE:
            yield Static("After you submit at the exchange, press o to record its answer.",
                         classes="muted")  # fmt: skip
        if view.retry:
            # Under review, the time is when the review becomes overdue, not a time to retry.
            review = advice.level is AdviceLevel.WAIT_FOR_REVIEW
            when = "Review overdue after" if review else "Next try"
            yield Static(Text.assemble(f"{when}: ", (view.retry, "bold")))
        if view.peak:
            yield Static(Text(view.peak), classes="peak")
        if advice.reason_label:
            yield Static(Text.assemble("Reason: ", (advice.reason_label, "bold")))
            for fix in advice.fixes:
                yield Static(Text(f"  • {fix}"))
        yield from self._steps(view)
        if advice.ticket_ready:
            yield Static("The support ticket is ready: press e to export it.", classes="ticket")

    def _steps(self, view: AdviceView) -> ComposeResult:
        advice = view.advice
        suggested = [s.action for s in advice.steps if s.action is not None]
        if advice.steps:
            yield Static("Next steps", classes="section")
        for step in advice.steps:
            if step.action is None:
                yield Static(Text(f"• {step.text}"))
            else:
                yield Tick(Text(step.text), False, id=f"action-{step.action}")
        done = dict(view.done)
        if done:
            yield Static("Done so far (untick if not)", classes="section")
        for action, when in view.done:
            yield Tick(Text(f"{_label(action)} ({when})"), True, id=f"action-{action}")
        others = [a for a in Action if a not in suggested and a not in done]
        if others and advice.level not in _QUIET:
            yield Static("Tick anything else you already tried", classes="section")
            for action in others:
                yield Tick(Text(_label(action)), False, id=f"action-{action}")

    def show(self, view: AdviceView | None, error: str = "") -> None:
        """Show `view` (or `error`), keeping the focus on the same action if it was on one."""
        focused = self.app.focused
        self._keep = focused.id if focused is not None and focused.parent is self else None
        self.view, self.error = view, error
        self.refresh(recompose=True)

    async def recompose(self) -> None:
        await super().recompose()
        if self._keep:
            found = self.query(f"#{self._keep}")
            (found.first() if found else self).focus()
            self._keep = None

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        ident = event.checkbox.id or ""
        if ident.startswith("action-"):
            self.post_message(
                self.ActionToggled(Action(ident.removeprefix("action-")), event.value)
            )
