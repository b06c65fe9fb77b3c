"""Judges a connection probe against probes.toml: DNS, latency, jitter, failures, TLS, proxy."""

from __future__ import annotations

from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.probes.network_result import ConnectionProbe
from kyctui.domain.probes.rules import ConnectionRules
from kyctui.domain.probes.target import ProxySetting


def _graded(
    check_id: str, value: float, warn: float, fail: float, unit: str, what: str, fix: str
) -> CheckResult:
    """Higher is worse: above `fail` fails, above `warn` warns."""
    shown = f"{value:g}{unit}"
    if value > fail:
        return CheckResult(check_id, Status.FAIL, value, f"<= {fail:g}", f"{what} {shown}", fix)
    if value > warn:
        return CheckResult(check_id, Status.WARN, value, f"<= {warn:g}", f"{what} {shown}", fix)
    return CheckResult(check_id, Status.PASS, value, f"<= {warn:g}", f"{what} {shown}")


def _dns(probe: ConnectionProbe, rules: ConnectionRules) -> CheckResult:
    fix = rules.fix["dns"].value
    limit = rules.dns_warn_ms.value
    if probe.dns_ms is None:
        errors = [s.error for s in probe.samples if s.stage == "dns" and s.error]
        if not errors:  # cancelled before the first lookup finished
            return CheckResult("connection.dns", Status.WARN, None, None, "not measured", fix)
        why = errors[0]
        message = f"{probe.target.host}: {why}"
        return CheckResult("connection.dns", Status.FAIL, None, f"<= {limit:g}", message, fix)
    dns_failures = sum(1 for s in probe.samples if s.stage == "dns")
    check = _graded("connection.dns", probe.dns_ms, limit, float("inf"), " ms", "lookup", fix)
    if dns_failures and check.status is Status.PASS:
        message = f"{check.message}; {dns_failures} lookup(s) failed"
        return CheckResult(check.id, Status.WARN, check.value, check.limit, message, fix)
    return check


def _latency(probe: ConnectionProbe, rules: ConnectionRules) -> CheckResult:
    fix = rules.fix["latency"].value
    warn, fail = rules.latency_warn_ms.value, rules.latency_fail_ms.value
    if probe.latency_ms is None:
        message = "no TCP connection completed, so no round trip was measured"
        status = Status.WARN if probe.cancelled and not probe.samples else Status.FAIL
        return CheckResult("connection.latency", status, None, f"<= {warn:g}", message, fix)
    what = "median round trip (TCP connect)"
    return _graded("connection.latency", probe.latency_ms, warn, fail, " ms", what, fix)


def _jitter(probe: ConnectionProbe, rules: ConnectionRules) -> CheckResult:
    fix = rules.fix["jitter"].value
    warn, fail = rules.jitter_warn_ms.value, rules.jitter_fail_ms.value
    if probe.jitter_ms is None:
        message = "needs two TCP connections that completed; fewer did"
        return CheckResult("connection.jitter", Status.WARN, None, f"<= {warn:g}", message, fix)
    what = "round trips vary by"
    return _graded("connection.jitter", probe.jitter_ms, warn, fail, " ms", what, fix)


def _failures(probe: ConnectionProbe, rules: ConnectionRules) -> CheckResult:
    fix = rules.fix["failures"].value
    warn, fail = rules.failure_warn_share.value, rules.failure_fail_share.value
    done = len(probe.samples)
    if not done:
        return CheckResult("connection.failures", Status.WARN, None, None, "no sample ran", fix)
    bad = probe.failed + probe.timed_out
    share = round(bad / done, 3)
    message = f"{bad} of {done} connections failed ({probe.timed_out} timed out)"
    reasons = list(dict.fromkeys(s.error for s in probe.samples if s.error))
    if reasons:
        message += ": " + "; ".join(reasons[:3])
    check = _graded("connection.failures", share, warn, fail, "", "", fix)
    return CheckResult(check.id, check.status, share, check.limit, message, check.fix)


def _tls(probe: ConnectionProbe, rules: ConnectionRules) -> CheckResult:
    fix = rules.fix["tls"].value
    if probe.certificate_errors:
        message = f"the host's certificate was not trusted: {probe.certificate_errors[0]}"
        return CheckResult("connection.tls", Status.FAIL, probe.tls_ms, None, message, fix)
    tls_failures = sum(1 for s in probe.samples if s.stage == "tls")
    if probe.tls_ms is None:
        status = Status.FAIL if tls_failures else Status.WARN
        message = "no secure handshake completed" if tls_failures else "not reached"
        return CheckResult("connection.tls", status, None, None, message, fix)
    message = f"median secure handshake {probe.tls_ms:g} ms, certificate verified"
    return CheckResult("connection.tls", Status.PASS, probe.tls_ms, None, message)


def proxy_check(proxy: ProxySetting | None, rules: ConnectionRules) -> CheckResult:
    """connection.proxy: a proxy in the environment is worth knowing about when pages stall."""
    if proxy is None:
        return CheckResult("connection.proxy", Status.PASS, None, None, "no proxy set")
    message = (
        f"{proxy.variable} sends HTTPS through {proxy.host}; the probe measured the direct path"
    )
    return CheckResult(
        "connection.proxy", Status.WARN, proxy.host, None, message, rules.fix["proxy"].value
    )


def _incomplete(probe: ConnectionProbe, rules: ConnectionRules) -> CheckResult:
    done, requested = len(probe.samples), probe.requested
    why = "cancelled" if probe.cancelled else "the overall time limit ran out"
    message = f"{why} after {done} of {requested} samples"
    fix = rules.fix["incomplete"].value
    return CheckResult("connection.samples", Status.WARN, done, requested, message, fix)


def connection_checks(probe: ConnectionProbe, rules: ConnectionRules) -> list[CheckResult]:
    """The verdict on one probe, one CheckResult per aspect (ids `connection.*`)."""
    checks = [_dns(probe, rules), _latency(probe, rules), _jitter(probe, rules)]
    checks += [_failures(probe, rules), _tls(probe, rules), proxy_check(probe.proxy, rules)]
    if not probe.complete:
        checks.append(_incomplete(probe, rules))
    return checks


def no_host_check(exchange_name: str, rules: ConnectionRules) -> CheckResult:
    """Stands in for the connection checks when there is no host to measure."""
    message = f"{exchange_name} names no verification host: connection not measured"
    return CheckResult(
        "connection.host", Status.WARN, None, None, message, rules.fix["no_host"].value
    )
