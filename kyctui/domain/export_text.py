"""The ticket's Markdown and plain-text layouts, drawn from its already redacted data."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from kyctui.domain.attempts import AttemptStatus
from kyctui.domain.export import HOLDER_LABELS, RESULT_LABELS, STATUS_LABELS
from kyctui.domain.outcomes import OutcomeResult

TITLE = "Identity verification: support summary"
_WIDTH = 78  # plain text is wrapped for an email body or a ticket form
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _time(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")


def _zone(iso: str) -> str:
    offset = datetime.fromisoformat(iso).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.3f}".rstrip("0")
    return str(value)


def _facts(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The verification's facts as (label, value), the same in both layouts."""
    facts = [
        ("Exchange", data["exchange"]["name"]),
        ("Level", data["level"]["title"]),
        ("Document", data["document_type"]["title"]),
        ("Attempt", f"#{data['attempt']} ({len(data['attempts'])} at this exchange)"),
    ]
    return facts


def _holder(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(HOLDER_LABELS.get(k, k), v) for k, v in data["holder"].items()]


def _device(data: dict[str, Any]) -> list[tuple[str, str]]:
    device, system = data["device"], data["system"]
    rows = [
        ("Phone or device", device["phone_model"]),
        ("Its OS version", device["os_version"]),
        ("Browser or app", device["browser_or_app"]),
        ("Computer", f"{system['os']}, {system['version']}"),
        ("Terminal", system["terminal"]),
    ]
    return [(label, value) for label, value in rows if value]


_CHECK_HEAD = ("Photo", "File", "Check", "Result", "Value", "Limit")


def _check_rows(attempt: dict[str, Any], cell: Callable[[str], str]) -> list[list[str]]:
    rows = []
    for photo in attempt["photos"]:
        for c in photo["checks"]:
            values = [cell(photo["file"]), cell(c["id"]), c["status"]]
            values += [cell(_value(c["value"])), cell(_value(c["limit"]))]
            rows.append([photo["photo"]["title"], *values])
    return rows


def _generated(data: dict[str, Any]) -> str:
    return f"Generated {_time(data['generated_at'])}; times are {_zone(data['generated_at'])}."


def _events(data: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(time, attempt, what happened, reason, message), oldest first."""
    rows = []
    for a in data["attempts"]:
        what = f"started: {a['document_type']['title']}, {a['level']['title']}"
        rows.append((a["started_at"], f"#{a['id']}", what, "", ""))
        for o in a["outcomes"]:
            result = RESULT_LABELS[OutcomeResult(o["result"])]
            rows.append((o["occurred_at"], f"#{a['id']}", result, o["reason"], o["message"]))
        if not a["outcomes"]:
            now = STATUS_LABELS[AttemptStatus(a["status"])]
            rows.append((a["started_at"], f"#{a['id']}", f"no answer recorded ({now})", "", ""))
    # Stable: an attempt's own rows keep their order. By instant, not text: offsets can differ.
    rows.sort(key=lambda row: datetime.fromisoformat(row[0]))
    return [(_time(t), n, what, reason, message) for t, n, what, reason, message in rows]


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _code(text: str) -> str:
    # A code span needs no escaping inside; a backtick in it would end it early.
    return "`" + text.replace("`", "'") + "`" if text else ""


def _md_list(pairs: list[tuple[str, str]], code: bool = False) -> list[str]:
    shown = _code if code else _md
    return [*(f"- **{label}:** {shown(value)}" for label, value in pairs), ""]


def markdown(data: dict[str, Any]) -> str:
    """The ticket as Markdown (GitHub-flavoured tables)."""
    request = data["request"]
    out = [f"# {TITLE}", "", f"> **{data['notice']}**", "", _generated(data), ""]
    out += ["## Request", "", _md(request["intro"]), ""]
    if request["points"]:
        out += ["Could you please look into:", ""]
        out += [*(f"- {_md(point)}" for point in request["points"]), ""]
    out += [_md(request["closing"]), ""]
    if data["advice"]:
        out += ["## kyctui's current advice", "", _md(data["advice"]), ""]
    out += ["## Verification", "", *_md_list(_facts(data))]
    out += ["## Account holder", "", *_md_list(_holder(data), code=True)] if data["holder"] else []
    out += ["## Device and system", "", *_md_list(_device(data))]
    out += ["## Timeline", ""]
    events = [[t, n, _md(w), _md(r), f"“{_md(m)}”" if m else ""] for t, n, w, r, m in _events(data)]
    out += _md_table(("Time", "Attempt", "What happened", "Reason", "Exchange's message"), events)
    out += ["## Checks run", ""]
    for a in data["attempts"]:
        out += [f"### Attempt #{a['id']}", ""]
        rows = _check_rows(a, lambda text: _code(text).replace("|", "\\|"))  # GFM: even in code
        out += _md_table(_CHECK_HEAD, rows) if rows else ["No photo was checked.", ""]
    out += ["## Already tried", ""]
    for t in data["actions"]:
        out.append(f"- {_time(t['taken_at'])}: {_md(t['label'])} (attempt #{t['attempt']})")
    if not data["actions"]:
        out.append("Nothing yet.")
    return "\n".join(out) + "\n"


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    start = indent if first is None else first
    return textwrap.wrap(text, _WIDTH, initial_indent=start, subsequent_indent=indent) or [start]


def _heading(text: str) -> list[str]:
    return ["", text.upper(), "-" * len(text)]


def _pairs(rows: list[tuple[str, str]]) -> list[str]:
    width = max((len(label) for label, _ in rows), default=0) + 2
    return [
        line
        for label, value in rows
        for line in _wrap(value, " " * width, f"{label + ':':<{width}}")
    ]


def _columns(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def plain(data: dict[str, Any]) -> str:
    """The ticket as plain text, wrapped for a ticket form or an email."""
    request = data["request"]
    out = [TITLE, "=" * len(TITLE), "", *_wrap(data["notice"]), "", _generated(data)]
    out += [*_heading("Request"), *_wrap(request["intro"])]
    if request["points"]:
        out += ["", "Could you please look into:"]
        for point in request["points"]:
            out += _wrap(point, "  ", "- ")
    out += ["", *_wrap(request["closing"])]
    if data["advice"]:
        out += [*_heading("kyctui's current advice"), *_wrap(data["advice"])]
    out += [*_heading("Verification"), *_pairs(_facts(data))]
    if data["holder"]:
        out += [*_heading("Account holder"), *_pairs(_holder(data))]
    out += [*_heading("Device and system"), *_pairs(_device(data))]
    out += _heading("Timeline")
    for when, number, what, reason, message in _events(data):
        out += _wrap(f"{what}: {reason}" if reason else what, " " * 22, f"{when}  {number:<4}")
        if message:
            out += _wrap(f"Exchange's message: “{message}”", " " * 24, " " * 22)
    out += _heading("Checks run")
    for a in data["attempts"]:
        rows = _check_rows(a, str)
        table = _columns([_CHECK_HEAD, *rows]) if rows else ["No photo was checked."]
        out += ["", f"Attempt #{a['id']}", *("  " + line for line in table)]
    out += _heading("Already tried")
    for t in data["actions"]:
        label = f"{t['label']} (attempt #{t['attempt']})"
        out += _wrap(label, " " * 18, f"{_time(t['taken_at'])}  ")
    if not data["actions"]:
        out.append("Nothing yet.")
    return "\n".join(out) + "\n"
