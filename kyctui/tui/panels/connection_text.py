"""What one connection test says: the measurement, its verdict on the item, and its sentences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from kyctui.domain.attempts import ItemState
from kyctui.domain.peak_hours import format_local, peak_hours, peak_hours_check
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.probes.runner import ConnectionReport
from kyctui.domain.probes.target import ProxySetting

STABLE_ITEM = "connection.stable"


@dataclass(frozen=True)
class Measurement:
    """One run of the connection test, as the panel shows it."""

    report: ConnectionReport
    peak: CheckResult | None  # None where busy hours do not matter for the exchange
    peak_text: str
    at: datetime

    @property
    def checks(self) -> list[CheckResult]:
        """The same checks `kyctui doctor` prints for the connection, busy hours included."""
        return [*self.report.checks, *([self.peak] if self.peak else [])]


def stable_state(report: ConnectionReport) -> ItemState | None:
    """connection.stable after a test: to do when a check failed, done otherwise; None (leave it)
    when nothing was measured (no host) or the test was cancelled."""
    if report.probe is None or report.probe.cancelled:
        return None
    failed = any(c.status is Status.FAIL for c in report.checks)
    return ItemState.TODO if failed else ItemState.DONE


def peak_note(now: datetime, zone: tzinfo, exchange: str) -> tuple[CheckResult | None, str]:
    """The busy-hours check for `exchange` and a sentence on it in the user's time zone."""
    check = peak_hours_check(now, zone, exchange)
    if check is None:
        return None, ""
    note = peak_hours(now, zone)
    if note is not None:
        return check, f"{note.summary(now)}. {check.fix}"
    return check, f"Not in the busy hours now ({check.limit})."


def proxy_text(proxy: ProxySetting | None) -> str:
    """What the user should know about a proxy in the environment."""
    if proxy is None:
        return "Proxy: none set."
    return f"Proxy: {proxy}. The test measures the direct path, not the way through the proxy."


def verdict_text(measurement: Measurement, exchange_name: str, zone: tzinfo, now: datetime) -> str:
    """One line on the whole test, saying when it ran in `zone`."""
    report = measurement.report
    probe = report.probe
    when = format_local(measurement.at, zone, now)
    if probe is None:
        return f"{exchange_name} names no verification host, so there is nothing to measure."
    if probe.cancelled:
        done = f"{len(probe.samples)} of {probe.requested}"
        return f"Cancelled after {done} connections ({when}): the checklist is left as it was."
    failed = sum(1 for c in report.checks if c.status is Status.FAIL)
    if failed:
        return f"Not stable enough ({when}): {failed} check(s) failed. Fix them, then test again."
    ok = f"{len(probe.ok_samples)} of {probe.requested} connections made it"
    if any(c.status is Status.WARN for c in report.checks):
        return f"Usable, with warnings ({when}): {ok}. See what to do below."
    latency = probe.latency_ms
    return f"Stable ({when}): {ok}" + (f", {latency:g} ms median round trip." if latency else ".")


def fixes_text(checks: list[CheckResult], measured: bool = True) -> str:
    """The fixes of the failed and warned checks, failures first, each said once. Unmeasured
    (no host), the advice is about `kyctui doctor`'s options."""
    order = {Status.FAIL: 0, Status.WARN: 1}
    bad = sorted((c for c in checks if c.status in order and c.fix), key=lambda c: order[c.status])
    fixes = list(dict.fromkeys(c.fix for c in bad))
    title = "What to do:" if measured else "In a terminal, `kyctui doctor` can measure it:"
    return "\n".join([title, *(f" • {fix}" for fix in fixes)]) if fixes else ""
