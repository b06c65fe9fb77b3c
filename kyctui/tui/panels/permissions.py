"""The Permissions step's panel: camera, microphone and browsers found here; where to allow them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, RadioButton, RadioSet, Static

from kyctui.domain.attempts import Attempt, ItemState
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.probes.browsers import run_version
from kyctui.domain.probes.platform_advice import (
    PHONE_TITLES,
    current_system,
    desktop_steps,
    phone_steps,
)
from kyctui.domain.probes.rules import ProbeRules, load_probe_rules
from kyctui.domain.probes.runner import MachineReport, run_machine
from kyctui.knowledge.checklist import StepPlan
from kyctui.knowledge.loader import KnowledgeError
from kyctui.tui.messages import ItemToggled
from kyctui.tui.widgets.check_table import CheckTable

if TYPE_CHECKING:
    from kyctui.tui.app import KycApp

# The checklist items the device check settles (checked_by = "devices"), and the checks behind each.
DEVICE_ITEMS: dict[str, tuple[str, ...]] = {
    "permissions.camera-microphone": ("devices.camera", "devices.microphone"),
    "permissions.browser-updated": ("devices.browser",),
}
PLATFORMS = ("android", "ios", "computer")
_SYSTEM_TITLES = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}


def device_item_states(checks: Sequence[CheckResult]) -> dict[str, ItemState]:
    """Each device item's state from the checks: to do when one failed, done when all passed.
    A warning leaves the item alone: it means kyctui could not tell (no device on this computer,
    or an OS that cannot be asked), so the user confirms it by hand."""
    statuses = {c.id: c.status for c in checks}
    states: dict[str, ItemState] = {}
    for item_id, check_ids in DEVICE_ITEMS.items():
        found = [statuses[c] for c in check_ids if c in statuses]
        if len(found) != len(check_ids):
            continue
        if Status.FAIL in found:
            states[item_id] = ItemState.TODO
        elif all(s is Status.PASS for s in found):
            states[item_id] = ItemState.DONE
    return states


def platform_lines(platform: str, system: str, rules: ProbeRules) -> list[str]:
    """What to do on `platform` ("android", "ios" or "computer", which is `system`)."""
    if platform in PHONE_TITLES:
        return [step.text for step in phone_steps(platform, rules)]
    site = rules.browsers.advice["site_permission"].value
    steps = desktop_steps(system, rules)
    if steps:
        return [*(step.text for step in steps), site]
    if system == "linux":
        return ["Linux has no privacy switch for these: the camera and microphone work for you "
                "when the check above passes (if not, its fix says what to do).", site]  # fmt: skip
    return [f"kyctui knows no settings path for {system}.", site]


def summary_text(report: MachineReport) -> str:
    """One line on the whole check."""
    failed = sum(1 for c in report.checks if c.status is Status.FAIL)
    warned = sum(1 for c in report.checks if c.status is Status.WARN)
    system = _SYSTEM_TITLES.get(report.system, report.system)
    if failed:
        return f"{system}: {failed} problem(s) to fix before you verify on this computer."
    if warned:
        return f"{system}: kyctui could not confirm {warned} thing(s); tick them below by hand."
    return f"{system}: camera, microphone and browser look ready."


class PermissionsPanel(Vertical):
    """The machine check (run when its step is first shown, and on r) and the per-platform steps."""

    DEFAULT_CSS = """
    PermissionsPanel { height: auto; margin-bottom: 1; }
    PermissionsPanel .panel-title { text-style: bold; margin-bottom: 1; }
    PermissionsPanel #permissions-actions { height: auto; }
    PermissionsPanel #permissions-status { width: 1fr; padding: 1 0 0 1; }
    PermissionsPanel #permissions-status.-fail { color: $error; }
    PermissionsPanel #permissions-checks { margin-top: 1; }
    PermissionsPanel #permissions-fixes { display: none; margin-top: 1; }
    PermissionsPanel #permissions-fixes.-shown { display: block; }
    PermissionsPanel #platform-title { text-style: bold; margin-top: 1; }
    PermissionsPanel #platform { layout: horizontal; width: auto; height: auto; }
    PermissionsPanel #platform > RadioButton { width: auto; margin-right: 2; }
    PermissionsPanel #platform-steps { margin-top: 1; }
    """
    BINDINGS = [Binding("r", "recheck", "Check again")]

    # Replaced in tests by a fake with run_machine's arguments: no probing of the real machine.
    machine = staticmethod(run_machine)

    app: KycApp

    @dataclass
    class Checked(Message):
        """The machine check finished; `report` is None when it could not run."""

        rules: ProbeRules | None
        report: MachineReport | None
        error: str = ""

    def __init__(self, step: StepPlan, attempt: Attempt) -> None:
        super().__init__(id="permissions-panel")
        self.step = step
        self.attempt = attempt
        self.rules: ProbeRules | None = None
        self.report: MachineReport | None = None
        self.platform = "android"
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Static(
            "kyctui looks for a camera, a microphone and browsers on this computer.",
            classes="panel-title",
        )
        with Horizontal(id="permissions-actions"):
            yield Button("Check again", id="permissions-recheck")
            yield Static("Checking…", id="permissions-status", markup=False)
        yield CheckTable(id="permissions-checks")
        yield Static(id="permissions-fixes", markup=False)
        yield Static("Where to allow the camera and microphone:", id="platform-title")
        with RadioSet(id="platform", compact=True):
            for platform, title in PHONE_TITLES.items():
                yield RadioButton(title, value=platform == self.platform, id=f"pick-{platform}")
            yield RadioButton("This computer", id="pick-computer")
        yield Static(id="platform-steps", markup=False)

    def first_shown(self) -> None:
        """Start the check when the step is first shown (the page is built ahead, hidden)."""
        self.action_recheck()

    # Checking -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "recheck" and self._busy else True

    def action_recheck(self) -> None:
        """Look at the devices and browsers again (after plugging in a camera, say)."""
        if self._busy:
            return
        self._busy = True
        self._status("Looking for a camera, a microphone and browsers…")
        self.refresh_bindings()
        self._check()

    @on(Button.Pressed, "#permissions-recheck")
    def _recheck_pressed(self) -> None:
        self.action_recheck()

    @work(thread=True, exclusive=True, group="machine-probe")
    def _check(self) -> None:
        rules = None
        try:
            rules = load_probe_rules()
            # Reading versions starts each browser briefly, which is why this is a worker.
            report = self.machine(rules, version_runner=run_version)
        except (OSError, ValueError, KnowledgeError) as exc:
            self.post_message(self.Checked(rules, None, str(exc)))
            return
        self.post_message(self.Checked(rules, report))

    def _status(self, text: str, failed: bool = False) -> None:
        status = self.query_one("#permissions-status", Static)
        status.update(text)
        status.set_class(failed, "-fail")

    @on(Checked)
    def _checked(self, event: Checked) -> None:
        self._busy = False
        self.refresh_bindings()
        self.rules = event.rules or self.rules
        self._show_platform()
        report = event.report
        if report is None:
            self._status(f"The check could not run: {event.error}", failed=True)
            return
        self.report = report
        system = _SYSTEM_TITLES.get(report.system, report.system)
        self.query_one("#pick-computer", RadioButton).label = f"This computer ({system})"
        failed = any(c.status is Status.FAIL for c in report.checks)
        self._status(summary_text(report), failed)
        self.query_one(CheckTable).show(report.checks)
        fixes = self.query_one("#permissions-fixes", Static)
        fixes.update(_fixes(report.checks))
        fixes.set_class(bool(_fixes(report.checks)), "-shown")
        in_plan = {item.id for item in self.step.items}
        for item_id, state in device_item_states(report.checks).items():
            if item_id in in_plan and self.attempt.items.get(item_id) is not state:
                self.post_message(ItemToggled(item_id, str(state), by_program=True))

    # Platform steps -------------------------------------------------------------------------

    @on(RadioSet.Changed, "#platform")
    def _platform_changed(self, event: RadioSet.Changed) -> None:
        assert event.pressed.id is not None
        self.platform = event.pressed.id.removeprefix("pick-")
        self._show_platform()

    def _show_platform(self) -> None:
        view = self.query_one("#platform-steps", Static)
        if self.rules is None:
            view.update("Loading…")
            return
        system = self.report.system if self.report else current_system()
        lines = platform_lines(self.platform, system, self.rules)
        view.update("\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1)))


def _fixes(checks: Sequence[CheckResult]) -> str:
    """What to do, failures first: the table's last column cut long texts short."""
    order = {Status.FAIL: 0, Status.WARN: 1, Status.PASS: 2}
    fixes = [c.fix for c in sorted(checks, key=lambda c: order[c.status]) if c.fix]
    unique = list(dict.fromkeys(fixes))
    return "\n".join(["What to do:", *(f" • {fix}" for fix in unique)]) if unique else ""
