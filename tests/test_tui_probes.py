"""The Connection and Permissions panels, with fake probes and one local TLS server: no internet."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, ProgressBar, Static
from textual.worker import WorkerCancelled

from kyctui.domain.attempts import ItemState
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.probes.browsers import run_version
from kyctui.domain.probes.network_result import ConnectionProbe, Sample
from kyctui.domain.probes.network_verdict import connection_checks
from kyctui.domain.probes.rules import ProbeRules, load_probe_rules
from kyctui.domain.probes.runner import ConnectionReport, MachineReport, run_connection
from kyctui.domain.probes.target import Target
from kyctui.domain.store import Store
from kyctui.tui.app import KycApp
from kyctui.tui.factory import make_app
from kyctui.tui.panels.connection import ConnectionPanel
from kyctui.tui.panels.connection_text import fixes_text, stable_state
from kyctui.tui.panels.permissions import PermissionsPanel, device_item_states
from kyctui.tui.screens.attempts import AttemptsScreen
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets.check_table import CheckTable
from tests.test_probe_network import make_certificate, serve
from tests.tui_app import FIXED_NOW

SIZE = (110, 60)
RULES = load_probe_rules()
STABLE, CAMERA, BROWSER = (
    "connection.stable", "permissions.camera-microphone", "permissions.browser-updated"
)  # fmt: skip
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


class FakeProbe:
    """Stands in for run_connection: ten samples, progress after each; `hold_at` stops before
    that sample until released or cancelled; `failing` makes every other sample refused."""

    def __init__(self, failing: bool = False, hold_at: int | None = None) -> None:
        self.failing = failing
        self.hold_at = hold_at
        self.reached, self.release = threading.Event(), threading.Event()
        self.calls: list[Target | None] = []

    def __call__(self, target: Target | None, rules: ProbeRules, **kw: Any) -> ConnectionReport:
        self.calls.append(target)
        assert target is not None
        progress, cancel = kw["progress"], kw["cancel"]
        samples: list[Sample] = []
        progress(0, 10)
        for index in range(10):
            if index == self.hold_at:
                self.reached.set()
                while not self.release.wait(0.01):
                    if cancel.is_set():
                        return self._report(target, samples, rules, cancelled=True)
            if self.failing and index % 2:
                samples.append(Sample(3.0, None, None, "connect", "the connection was refused"))
            else:
                samples.append(Sample(3.0, 40.0 + index % 2, 55.0))
            progress(len(samples), 10)
        return self._report(target, samples, rules)

    @staticmethod
    def _report(
        target: Target, samples: list[Sample], rules: ProbeRules, cancelled: bool = False
    ) -> ConnectionReport:
        probe = ConnectionProbe(target, 10, tuple(samples), None, cancelled=cancelled)
        return ConnectionReport(connection_checks(probe, rules.connection), probe, None)


@pytest.fixture(autouse=True)
def _fixed_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConnectionPanel, "zone", UTC)
    for variable in PROXY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def _install(monkeypatch: pytest.MonkeyPatch, probe: Any) -> None:
    monkeypatch.setattr(ConnectionPanel, "probe", staticmethod(probe))


def _open(
    data_dir: Path,
    exchange: str,
    step: str,
    items: dict[str, ItemState] | None = None,
    now: datetime = FIXED_NOW,
) -> tuple[KycApp, Store, int]:
    store = Store(data_dir / "kyctui.sqlite3")
    attempt = store.create_attempt(exchange, "basic", "passport", "documents", FIXED_NOW)
    store.set_step(attempt.id, step, FIXED_NOW)
    for item_id, state in (items or {}).items():
        store.set_item(attempt.id, item_id, state, FIXED_NOW)
    app = make_app(store=store, clock=lambda: now, resume=attempt.id, picker_start=data_dir)
    return app, store, attempt.id


async def _settle(pilot: Pilot[None]) -> None:
    """Let the workers finish and the screen catch up. A screen left behind cancels its own
    workers (the attempts list's detail loader, say): those are not waited for."""
    for _ in range(2):
        workers = [w for w in pilot.app.workers if not w.is_cancelled]
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete(workers)
        await pilot.pause()


def _text(app: KycApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _row_ids(app: KycApp, selector: str) -> list[str]:
    table = app.screen.query_one(selector, CheckTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def _wizard(app: KycApp) -> WizardScreen:
    assert isinstance(app.screen, WizardScreen)
    return app.screen


def _stored(store: Store, attempt_id: int) -> dict[str, ItemState]:
    return store.get_attempt(attempt_id).items


# Connection ---------------------------------------------------------------------------------


async def test_progress_then_results_the_item_done_and_the_result_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = FakeProbe(hold_at=3)
    _install(monkeypatch, probe)
    app, store, attempt_id = _open(tmp_path, "okx", "connection")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert "Not measured yet" in _text(app, "#connection-status")
        await pilot.press("t")
        assert await asyncio.to_thread(probe.reached.wait, 5)
        await pilot.pause()
        await pilot.pause()
        bar = app.screen.query_one("#connection-progress", ProgressBar)
        assert (bar.progress, bar.total) == (3, 10) and bar.display
        assert "3 of 10 connections" in _text(app, "#connection-status")
        assert app.screen.query_one("#connection-test", Button).disabled
        probe.release.set()
        await _settle(pilot)
        assert probe.calls == [Target("www.okx.com", 443)]
        assert _row_ids(app, "#connection-checks") == [
            "connection.dns", "connection.latency", "connection.jitter", "connection.failures",
            "connection.tls", "connection.proxy", "connection.peak-hours",
        ]  # fmt: skip
        assert _text(app, "#connection-status").startswith("Stable (today 10:30 UTC)")
        assert "Not in the busy hours now (outside 00:00–04:00 UTC)" in _text(
            app, "#connection-notes"
        )
        assert not app.screen.query_one("#connection-test", Button).disabled
        assert not app.screen.query_one("#connection-progress").display
        assert _wizard(app).attempt.items[STABLE] is ItemState.DONE
        # Closed and opened again: the result is shown again, not measured again.
        await pilot.press("escape")
        await _settle(pilot)
        app.open_attempt(attempt_id)
        await _settle(pilot)
        assert len(_row_ids(app, "#connection-checks")) == 7 and len(probe.calls) == 1
        assert _text(app, "#connection-status").startswith("Stable (today 10:30 UTC)")
    assert _stored(store, attempt_id)[STABLE] is ItemState.DONE


async def test_a_failing_connection_puts_the_item_back_and_shows_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(monkeypatch, FakeProbe(failing=True))
    app, store, attempt_id = _open(tmp_path, "coinex", "connection", {STABLE: ItemState.DONE})
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert "Measured as stable before" in _text(app, "#connection-status")
        await pilot.click("#connection-test")
        await _settle(pilot)
        status = app.screen.query_one("#connection-status", Static)
        assert "1 check(s) failed" in str(status.render()) and status.has_class("-fail")
        assert _row_ids(app, "#connection-checks")[0] == "connection.failures"  # worst first
        assert RULES.connection.fix["failures"].value in _text(app, "#connection-fixes")
        assert "connection.peak-hours" not in _row_ids(app, "#connection-checks")  # OKX only
    assert _stored(store, attempt_id)[STABLE] is ItemState.TODO


async def test_cancel_mid_run_returns_and_leaves_the_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = FakeProbe(hold_at=3)
    _install(monkeypatch, probe)
    app, store, attempt_id = _open(tmp_path, "okx", "connection", {STABLE: ItemState.DONE})
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("t")
        assert await asyncio.to_thread(probe.reached.wait, 5)
        await pilot.pause()
        await pilot.press("escape")  # cancels the test, does not leave the wizard
        await _settle(pilot)
        assert isinstance(app.screen, WizardScreen)
        assert _text(app, "#connection-status").startswith("Cancelled after 3 of 10")
        assert "connection.samples" in _row_ids(app, "#connection-checks")
        assert not app.screen.query_one("#connection-test", Button).disabled
        assert _wizard(app).attempt.items[STABLE] is ItemState.DONE
        await pilot.press("escape")  # nothing runs now: escape is the wizard's again
        await _settle(pilot)
        assert isinstance(app.screen, AttemptsScreen)
    assert _stored(store, attempt_id)[STABLE] is ItemState.DONE


async def test_no_host_says_so_with_the_advice(tmp_path: Path) -> None:
    app, store, attempt_id = _open(tmp_path, "generic", "connection")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert not app.screen.query_one("#connection-actions").display
        assert "names no verification host" in _text(app, "#connection-status")
        assert _row_ids(app, "#connection-checks") == ["connection.host", "connection.proxy"]
        assert RULES.connection.fix["no_host"].value in _text(app, "#connection-fixes")
        await pilot.press("t")  # nothing to test
        await _settle(pilot)
    assert STABLE not in _stored(store, attempt_id)  # not measured: left to the user


async def test_busy_hours_in_the_users_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(monkeypatch, FakeProbe())
    monkeypatch.setattr(ConnectionPanel, "zone", ZoneInfo("Europe/Berlin"))
    busy = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # 09:30 in Singapore, 02:30 in Berlin
    app, _, _ = _open(tmp_path, "okx", "connection", now=busy)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        notes = _text(app, "#connection-notes")
        assert "Busy now" in notes and "quieter from today 05:00 CET" in notes
        assert "Proxy: none set." in notes
        await pilot.press("t")
        await _settle(pilot)
        assert "quieter from today 05:00 CET" in _text(app, "#connection-notes")
        assert "connection.peak-hours" in _row_ids(app, "#connection-checks")
        assert _wizard(app).attempt.items[STABLE] is ItemState.DONE  # busy is a warning only


async def test_a_probe_that_cannot_run_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(target: Target | None, rules: ProbeRules, **kw: Any) -> ConnectionReport:
        raise OSError("no network interface")

    _install(monkeypatch, broken)
    app, _, _ = _open(tmp_path, "okx", "connection")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("t")
        await _settle(pilot)
        status = app.screen.query_one("#connection-status", Static)
        assert "could not run: no network interface" in str(status.render())
        assert status.has_class("-fail")
        assert not app.screen.query_one("#connection-test", Button).disabled
        assert STABLE not in _wizard(app).attempt.items


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


async def test_real_probe_against_a_local_tls_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    context = ssl.create_default_context(cafile=str(certificate[0]))
    with serve(certificate) as port:

        def local(target: Target | None, rules: ProbeRules, **kw: Any) -> ConnectionReport:
            here = Target("127.0.0.1", port)
            return run_connection(here, rules, samples=3, context=context, environ={}, **kw)

        _install(monkeypatch, local)
        app, store, attempt_id = _open(tmp_path, "coinex", "connection")
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            await pilot.press("t")
            await _settle(pilot)
            assert "3 of 3 connections made it" in _text(app, "#connection-status")
            assert app.screen.query_one("#connection-progress", ProgressBar).progress == 3
    assert _stored(store, attempt_id)[STABLE] is ItemState.DONE


def test_stable_state_follows_the_verdict() -> None:
    target = Target("h")
    ok = FakeProbe._report(target, [Sample(1.0, 20.0, 30.0)] * 10, RULES)
    cancelled = FakeProbe._report(target, [Sample(1.0, 20.0, 30.0)], RULES, cancelled=True)
    refused = [Sample(1.0, None, None, "connect", "refused")] * 10
    assert stable_state(ok) is ItemState.DONE
    assert stable_state(FakeProbe._report(target, refused, RULES)) is ItemState.TODO
    assert stable_state(cancelled) is None
    assert stable_state(run_connection(None, RULES, environ={})) is None


def test_fixes_are_listed_once_failures_first() -> None:
    checks = [
        _check("a", Status.WARN, "pause downloads"),
        _check("b", Status.FAIL, "use a cable"),
        _check("c", Status.FAIL, "pause downloads"),
        _check("d", Status.PASS, "fine"),
    ]
    assert fixes_text(checks) == "What to do:\n • use a cable\n • pause downloads"
    assert fixes_text(checks, measured=False).startswith("In a terminal, `kyctui doctor`")
    assert fixes_text([_check("d", Status.PASS, "fine")]) == ""


# Permissions --------------------------------------------------------------------------------


def _check(check_id: str, status: Status, fix: str = "") -> CheckResult:
    return CheckResult(check_id, status, None, None, f"{check_id} {status}", fix)


class FakeMachine:
    """Stands in for run_machine with fixed results."""

    def __init__(self, checks: Sequence[CheckResult], system: str = "linux") -> None:
        self.checks, self.system = list(checks), system
        self.runners: list[object] = []

    def __call__(self, rules: ProbeRules, system: str | None = None, **kw: Any) -> MachineReport:
        self.runners.append(kw.get("version_runner"))
        return MachineReport(list(self.checks), [], self.system)


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMachine]:
    fake = FakeMachine([])
    monkeypatch.setattr(PermissionsPanel, "machine", staticmethod(fake))
    yield fake


async def test_machine_results_set_the_items(tmp_path: Path, machine: FakeMachine) -> None:
    join = "Join the 'video' group"
    machine.checks = [
        _check("devices.camera", Status.FAIL, join),
        _check("devices.microphone", Status.PASS),
        _check("devices.browser", Status.PASS, "Update the browser"),
    ]
    app, store, attempt_id = _open(tmp_path, "okx", "permissions", {CAMERA: ItemState.DONE})
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert machine.runners == [run_version]
        assert _row_ids(app, "#permissions-checks") == [
            "devices.camera", "devices.microphone", "devices.browser"
        ]  # fmt: skip
        status = app.screen.query_one("#permissions-status", Static)
        assert "1 problem(s) to fix" in str(status.render()) and status.has_class("-fail")
        assert _text(app, "#permissions-fixes").splitlines()[1] == f" • {join}"
        assert "(Linux)" in str(app.screen.query_one("#pick-computer").render())
        app.screen.query_one("#permissions-recheck").focus()
        await pilot.press("r")
        await _settle(pilot)
        assert len(machine.runners) == 2
    items = _stored(store, attempt_id)
    assert items[CAMERA] is ItemState.TODO and items[BROWSER] is ItemState.DONE


async def test_warnings_leave_the_items_and_the_platform_switch_shows_its_steps(
    tmp_path: Path, machine: FakeMachine
) -> None:
    machine.checks = [
        _check(check_id, Status.WARN)
        for check_id in ("devices.camera", "devices.microphone", "devices.browser")
    ]
    machine.system = "macos"
    app, store, attempt_id = _open(tmp_path, "okx", "permissions")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert "could not confirm 3" in _text(app, "#permissions-status")
        assert _text(app, "#platform-steps").startswith(f"1. {RULES.phone['android'][0].value}")
        await pilot.click("#pick-ios")
        await _settle(pilot)
        steps = _text(app, "#platform-steps").splitlines()
        assert steps == [f"{n}. {s.value}" for n, s in enumerate(RULES.phone["ios"], 1)]
        await pilot.click("#pick-computer")
        await _settle(pilot)
        steps = _text(app, "#platform-steps").splitlines()
        assert steps[0] == f"1. {RULES.desktop[('macos', 'camera')].value}"
        assert steps[1] == f"2. {RULES.desktop[('macos', 'microphone')].value}"
    assert CAMERA not in _stored(store, attempt_id) and BROWSER not in _stored(store, attempt_id)


@pytest.mark.parametrize(
    ("camera", "microphone", "browser", "expected"),
    [
        (Status.PASS, Status.PASS, Status.PASS, {CAMERA: "done", BROWSER: "done"}),
        (Status.PASS, Status.FAIL, Status.WARN, {CAMERA: "todo"}),
        (Status.PASS, Status.WARN, Status.PASS, {BROWSER: "done"}),
        (Status.WARN, Status.WARN, Status.WARN, {}),
    ],
)
def test_device_item_states(
    camera: Status, microphone: Status, browser: Status, expected: dict[str, str]
) -> None:
    checks = [_check("devices.camera", camera), _check("devices.microphone", microphone),
              _check("devices.browser", browser)]  # fmt: skip
    assert {k: str(v) for k, v in device_item_states(checks).items()} == expected
