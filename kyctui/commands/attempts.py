"""`kyctui attempts`: every attempt with its status and progress, as a table or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from kyctui.commands.base import EXIT_OK, UsageError

if TYPE_CHECKING:
    from kyctui.domain.attempts import AttemptSummary

EMPTY = "No attempts yet. Run `kyctui` and press n to start one."
HEADER = ("#", "exchange", "level", "document", "started", "status", "step", "progress",
          "failures", "latest outcome")  # fmt: skip


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `kyctui attempts`."""
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _local(when: datetime, tz: tzinfo | None) -> datetime:
    return when.astimezone(tz)  # tz None: the system's local zone


def as_json(summaries: list[AttemptSummary], tz: tzinfo | None = None) -> list[dict[str, Any]]:
    """One object per attempt, ids rather than titles, times local with their offset."""
    return [
        {
            "id": s.id,
            "exchange": s.exchange,
            "level": s.level,
            "document_type": s.document_type,
            "started_at": _local(s.created_at, tz).isoformat(timespec="seconds"),
            "updated_at": _local(s.updated_at, tz).isoformat(timespec="seconds"),
            "status": str(s.status),
            "step": s.step,
            "items_done": s.items_done,
            "photos": s.photos,
            "failures": s.failures,
            "latest_outcome": (
                {"result": str(s.latest_result), "reason": s.latest_reason}
                if s.latest_result
                else None
            ),
        }
        for s in summaries
    ]


def as_table(summaries: list[AttemptSummary], tz: tzinfo | None = None) -> str:
    """Aligned columns with the knowledge files' titles, times in local time."""
    from kyctui.domain.display import safe_text
    from kyctui.knowledge import load_exchanges
    from kyctui.knowledge.checklist import load_checklist

    exchanges = load_exchanges()
    checklist = load_checklist()
    titles = {lv.id: lv.title for lv in checklist.levels}
    titles |= {d.id: d.title for d in checklist.document_types}
    steps = {s.id: s.title for s in checklist.steps}
    rows = [HEADER]
    for s in summaries:
        outcome = str(s.latest_result or "—")
        if s.latest_reason:
            outcome += f": {safe_text(s.latest_reason, 40)}"  # typed text: never print controls
        rows.append(
            (
                str(s.id),
                exchanges[s.exchange].name if s.exchange in exchanges else s.exchange,
                titles.get(s.level, s.level),
                titles.get(s.document_type, s.document_type),
                _local(s.created_at, tz).strftime("%Y-%m-%d %H:%M"),
                str(s.status),
                steps.get(s.step, s.step),
                f"{_count(s.items_done, 'item')}, {_count(s.photos, 'photo')}",
                str(s.failures),
                outcome,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = ("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows)
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace) -> int:
    """List the attempts, most recently updated first; an empty list is not an error."""
    from kyctui.domain.store import Store, StoreError
    from kyctui.knowledge import KnowledgeError

    try:
        store = Store.open_default()
        if store.recovery_note is not None:  # a damaged database was moved aside
            print(f"kyctui: {store.recovery_note}", file=sys.stderr)
        summaries = store.list_attempts()
        if args.json:
            print(json.dumps(as_json(summaries), ensure_ascii=False, indent=2))
        elif summaries:
            print(as_table(summaries))
        else:
            print(EMPTY)
    except (StoreError, KnowledgeError) as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK
