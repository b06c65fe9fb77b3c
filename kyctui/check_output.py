"""Renders a photo check run for people (aligned lines, colour on a terminal) or as JSON."""

from __future__ import annotations

import json
from typing import Any

from kyctui.domain.display import safe_path
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.photos.runner import CheckRun

_SYMBOL = {Status.PASS: "✓", Status.WARN: "!", Status.FAIL: "✗"}
_COLOUR = {Status.PASS: "32", Status.WARN: "33", Status.FAIL: "31"}
JSON_VERSION = 1


def to_json(run: CheckRun) -> str:
    """The contract's JSON document for a run (see DESIGN.md)."""
    doc: dict[str, Any] = {
        "version": JSON_VERSION,
        "photos": [{**r.to_json(), "path": safe_path(r.path)} for r in run.reports],
        "skipped": [{"id": s.id, "why": s.why} for s in run.skipped],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _paint(text: str, status: Status, colour: bool) -> str:
    return f"\x1b[{_COLOUR[status]}m{text}\x1b[0m" if colour else text


def _measure(check: CheckResult) -> str:
    if check.value is None:
        return ""
    value = f"{check.value:g}" if isinstance(check.value, float) else str(check.value)
    return f"{value} (limit {check.limit})" if check.limit is not None else value


def _line(check: CheckResult, colour: bool) -> str:
    status = _paint(f"{_SYMBOL[check.status]} {check.status:<4}", check.status, colour)
    measure = _measure(check)
    parts = [f"  {status}  {check.id:<18} {check.message}"]
    if measure:
        parts.append(f"[{measure}]")
    if check.fix and check.status is not Status.PASS:
        parts.append(f"→ {check.fix}")
    return " ".join(parts)


def to_text(run: CheckRun, colour: bool) -> str:
    """One block per photo, one line per check: status, message, value against limit, fix."""
    blocks = []
    for report in run.reports:
        verdict = _paint(report.verdict.upper(), report.verdict, colour)
        lines = [f"{safe_path(report.path)} ({report.kind}): {verdict}"]
        lines.extend(_line(check, colour) for check in report.checks)
        blocks.append("\n".join(lines))
    # One block for every check not run, ids sharing a reason on one line.
    reasons: dict[str, list[str]] = {}
    for skipped in run.skipped:
        reasons.setdefault(skipped.why, []).append(skipped.id)
    lines = [f"  - {', '.join(ids)}: {why}" for why, ids in reasons.items()]
    if lines:
        blocks.append("\n".join(["skipped (not checked, not passed):", *lines]))
    return "\n\n".join(blocks)
