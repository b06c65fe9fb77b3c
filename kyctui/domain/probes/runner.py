"""One call per probe for the CLI and the wizard alike: the connection, and the machine."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kyctui.domain.photos.result import CheckResult
from kyctui.domain.probes.browsers import FoundBrowser, Runner, browser_check, find_browsers
from kyctui.domain.probes.devices import device_checks
from kyctui.domain.probes.network import (
    Cancel,
    Progress,
    Resolver,
    probe_connection,
    system_resolver,
)
from kyctui.domain.probes.network_result import ConnectionProbe
from kyctui.domain.probes.network_verdict import connection_checks, no_host_check, proxy_check
from kyctui.domain.probes.platform_advice import current_system
from kyctui.domain.probes.rules import ProbeRules
from kyctui.domain.probes.target import ProxySetting, Target, parse_target, proxy_from_env
from kyctui.knowledge.model import ExchangeRules


def target_for(exchange: ExchangeRules, host: str | None = None) -> Target | None:
    """`host` (HOST[:PORT]) when given, else the exchange's verification host; None when neither.
    ValueError when the text is not HOST[:PORT]."""
    if host is not None:
        return parse_target(host)
    return parse_target(exchange.verification_host) if exchange.verification_host else None


@dataclass(frozen=True)
class ConnectionReport:
    """The connection checks, with the probe behind them (None when there was no host)."""

    checks: list[CheckResult]
    probe: ConnectionProbe | None
    proxy: ProxySetting | None


def run_connection(
    target: Target | None,
    rules: ProbeRules,
    *,
    exchange_name: str = "this exchange",
    samples: int | None = None,
    overall_timeout: float | None = None,
    context: ssl.SSLContext | None = None,
    resolver: Resolver = system_resolver,
    progress: Progress | None = None,
    cancel: Cancel = None,
    environ: Mapping[str, str] | None = None,
) -> ConnectionReport:
    """Probe `target` with probes.toml's defaults (unless overridden) and judge it. Blocking:
    run it in a thread worker."""
    conn = rules.connection
    proxy = proxy_from_env(environ)
    if target is None:
        return ConnectionReport(
            [no_host_check(exchange_name, conn), proxy_check(proxy, conn)], None, proxy
        )
    overall = overall_timeout or conn.overall_timeout_s.value
    probe = probe_connection(
        target,
        samples or conn.samples.value,
        sample_timeout=min(conn.sample_timeout_s.value, overall),
        overall_timeout=overall,
        interval=conn.interval_s.value,
        context=context,
        resolver=resolver,
        progress=progress,
        cancel=cancel,
        proxy=proxy,
    )
    return ConnectionReport(connection_checks(probe, conn), probe, proxy)


@dataclass(frozen=True)
class MachineReport:
    """Camera, microphone and browser checks, and the browsers found."""

    checks: list[CheckResult]
    browsers: list[FoundBrowser] = field(default_factory=list)
    system: str = ""


def run_machine(
    rules: ProbeRules,
    system: str | None = None,
    *,
    dev_root: Path = Path("/dev"),
    proc_root: Path = Path("/proc"),
    version_runner: Runner | None = None,
) -> MachineReport:
    """devices.camera, devices.microphone and devices.browser for this computer. Pass
    `version_runner=browsers.run_version` to read versions (it starts each browser briefly)."""
    system = system or current_system()
    checks = device_checks(rules, system, dev_root, proc_root)
    found = find_browsers(rules.browsers, system, runner=version_runner)
    checks.append(browser_check(found, rules.browsers))
    return MachineReport(checks, found, system)
