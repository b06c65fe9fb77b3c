"""The app's own commands in the command palette: new attempt, open, record, export, help."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp


class KycCommands(Provider):
    """Commands that act on attempts."""

    @property
    def kyc(self) -> KycApp:
        return cast("KycApp", self.app)

    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.kyc
        commands: list[tuple[str, str, object]] = [
            ("New attempt", "Start preparing a new verification", app.action_new_attempt),
            ("Help", "What kyctui does and its keys", app.action_help),
        ]
        for summary in app.known_attempts:
            label = f"Open attempt #{summary.id} ({summary.exchange}, {summary.level})"
            commands.append(
                (label, f"Continue at step {summary.step}", partial(app.open_attempt, summary.id))
            )
            commands.append((
                f"Record outcome of attempt #{summary.id} ({summary.exchange})",
                "Approved, under review or rejected, with the reason and the exchange's message",
                partial(app.action_record_outcome, summary.id, summary.exchange),
            ))  # fmt: skip
            commands.append((
                f"Export support ticket of attempt #{summary.id} ({summary.exchange})",
                "Markdown, text or JSON; personal data redacted unless you ask",
                partial(app.action_export, summary.id),
            ))  # fmt: skip
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
