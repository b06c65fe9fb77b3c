"""`kyctui doctor`: measure the connection, find camera, microphone, browsers; say what to fix."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

from kyctui.commands.base import EXIT_FAILED, EXIT_OK, UsageError
from kyctui.domain.photos.result import CheckResult, Status

JSON_VERSION = 1
_SYMBOL = {Status.PASS: "✓", Status.WARN: "!", Status.FAIL: "✗"}
_COLOUR = {Status.PASS: "32", Status.WARN: "33", Status.FAIL: "31"}


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `kyctui doctor`."""
    parser.add_argument("--exchange", default="generic", metavar="ID", help="okx, coinex, generic")
    parser.add_argument(
        "--host", metavar="HOST[:PORT]", help="measure this host instead (port 443)"
    )
    parser.add_argument("--samples", type=int, metavar="N", help="connections to make (default 10)")
    parser.add_argument(
        "--timeout", type=float, metavar="S", help="limit for the whole probe, seconds"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def peak_hours_checks(
    exchange: str, now: datetime | None = None, tz: tzinfo | None = None
) -> list[CheckResult]:
    """connection.peak-hours for `exchange` at `now` (default: the clock), said in `tz` (default:
    this computer's zone), as the wizard's Connection step shows it; none where it does not
    matter for that exchange."""
    from kyctui.domain.peak_hours import peak_hours_check

    now = now or datetime.now(UTC)
    check = peak_hours_check(now, tz or now.astimezone().tzinfo or UTC, exchange)
    return [check] if check is not None else []


def _progress(label: str) -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\rmeasuring {label}: {done}/{total}", end="", file=sys.stderr, flush=True)

    return show


def _paint(text: str, status: Status, colour: bool) -> str:
    return f"\x1b[{_COLOUR[status]}m{text}\x1b[0m" if colour else text


def _line(check: CheckResult, colour: bool) -> str:
    status = _paint(f"{_SYMBOL[check.status]} {check.status:<4}", check.status, colour)
    line = f"  {status}  {check.id:<20} {check.message}"
    if check.value is not None and check.limit is not None:
        line += f" [{check.value} (limit {check.limit})]"
    if check.fix:  # passes carry a fix only when it is still worth doing (browser advice)
        line += f" → {check.fix}"
    return line


def run(args: argparse.Namespace) -> int:
    """Probe and print; 0 nothing failed, 1 a check failed, 2 bad arguments."""
    from kyctui.domain.display import safe_text
    from kyctui.domain.probes.browsers import run_version
    from kyctui.domain.probes.rules import load_probe_rules
    from kyctui.domain.probes.runner import run_connection, run_machine, target_for
    from kyctui.knowledge import load_exchange

    if args.samples is not None and args.samples < 1:
        raise UsageError("--samples must be at least 1")
    if args.timeout is not None and not args.timeout > 0:
        raise UsageError("--timeout must be more than 0 seconds")
    try:
        exchange = load_exchange(args.exchange)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    try:
        target = target_for(exchange, args.host)
    except ValueError as exc:
        raise UsageError(f"--host: {safe_text(str(exc))}") from None
    rules = load_probe_rules()
    progress = None if args.json or target is None else _progress(str(target))
    connection = run_connection(
        target,
        rules,
        exchange_name=exchange.name,
        samples=args.samples,
        overall_timeout=args.timeout,
        progress=progress,
    )
    if progress is not None:
        print("\r\x1b[K", end="", file=sys.stderr, flush=True)  # the progress line goes away
    machine = run_machine(rules, version_runner=run_version)
    checks = [*connection.checks, *peak_hours_checks(exchange.id), *machine.checks]
    if args.json:
        doc: dict[str, Any] = {
            "version": JSON_VERSION,
            "exchange": exchange.id,
            "host": str(target) if target else None,
            "checks": [c.to_json() for c in checks],
            "samples": connection.probe.to_json() if connection.probe else None,
            "proxy": connection.proxy.host if connection.proxy else None,
            "system": machine.system,
            "browsers": [b.to_json() for b in machine.browsers],
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        where = str(target) if target else "no host"
        print(f"kyctui doctor: {exchange.name}, {where}")
        print("\n".join(_line(c, colour) for c in checks))
    return EXIT_FAILED if any(c.status is Status.FAIL for c in checks) else EXIT_OK
