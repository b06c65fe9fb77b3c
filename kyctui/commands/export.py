"""`kyctui export [ATTEMPT]`: the support-ticket summary of an attempt, redacted unless asked."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from kyctui.commands.base import EXIT_OK, UsageError

if TYPE_CHECKING:
    from kyctui.domain.export import Format
    from kyctui.domain.ticket import Ticket

_SUFFIXES: dict[str, Format] = {".md": "md", ".markdown": "md", ".txt": "txt", ".json": "json"}


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `kyctui export`."""
    parser.add_argument(
        "attempt", nargs="?", type=int, metavar="ATTEMPT", help="attempt number (default: latest)"
    )
    parser.add_argument(
        "--format",
        choices=("md", "txt", "json"),
        help="md (the default), txt or json; without it, the suffix of -o FILE decides",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (mode 0600), not stdout"
    )
    parser.add_argument(
        "--include-pii",
        action="store_true",
        help="show name, birth date, document number, email and paths unredacted",
    )


def reason_titles(exchange: str) -> dict[str, str]:
    """Catalog reason id → title for one exchange ({} when the catalog has no such exchange)."""
    try:
        from kyctui.knowledge.rejections import rejection_catalog
    except ImportError:  # the rejection catalog lands alongside this command (issue #5)
        return {}
    try:
        catalog = rejection_catalog(exchange)
    except (KeyError, ValueError):  # an exchange without a catalog, or a broken data file
        return {}
    return {reason.id: reason.title for reason in catalog.reasons}


def advice_line(ticket: Ticket, now: datetime, tz: tzinfo) -> str | None:
    """The escalation policy's headline for the ticket's exchange, with the time to retry."""
    try:
        from kyctui.domain.escalation import advise, format_retry
    except ImportError:  # the escalation policy lands alongside this command (issue #5)
        return None
    outcomes = [o for a in ticket.attempts for o in a.outcomes]
    advice = advise(outcomes, ticket.actions, now, tz)
    retry = format_retry(advice, tz, now)
    return f"{advice.headline} Next try: {retry}." if retry else advice.headline


def _format(args: argparse.Namespace) -> Format:
    if args.format:
        chosen: Format = args.format
        return chosen
    suffix = args.output.suffix.lower() if args.output else ""
    return _SUFFIXES.get(suffix, "md")


def run(args: argparse.Namespace) -> int:
    """Print or write the summary; 2 when the attempt or the file is not there to use."""
    from kyctui.domain.display import safe_path
    from kyctui.domain.export import render_ticket
    from kyctui.domain.private_file import WriteError, write_private
    from kyctui.domain.store import Store, StoreError
    from kyctui.domain.ticket import build_ticket
    from kyctui.knowledge import KnowledgeError

    now = datetime.now(UTC)
    # Times in the ticket: each in the system's zone as it was then (None keeps DST right).
    # The policy's retry time: the offset in force now.
    tz = now.astimezone().tzinfo or UTC
    try:
        store = Store.open_default()
        if store.recovery_note is not None:  # a damaged database was moved aside
            print(f"kyctui: {store.recovery_note}", file=sys.stderr)
        attempt_id = args.attempt
        if attempt_id is None:
            latest = store.list_attempts()
            if not latest:
                raise UsageError("no attempts yet: start one with `kyctui` (press n)")
            attempt_id = latest[0].id
        ticket = build_ticket(store, attempt_id, now, None)
    except (StoreError, KnowledgeError) as exc:
        raise UsageError(str(exc)) from None
    ticket = replace(ticket, reason_titles=reason_titles(ticket.attempt.exchange))
    try:
        ticket = replace(ticket, advice=advice_line(ticket, now, tz))
    except (KnowledgeError, KeyError, ValueError) as exc:  # costs the advice, not the summary
        why = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc  # not KeyError's repr
        print(f"kyctui: the summary has no advice line: {why}", file=sys.stderr)
    text = render_ticket(ticket, _format(args), args.include_pii)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        written = write_private(args.output, text)
    except WriteError as exc:
        raise UsageError(str(exc)) from None
    what = "with personal data" if args.include_pii else "redacted"
    print(f"Wrote the summary of attempt #{attempt_id} ({what}) to {safe_path(written)}")
    return EXIT_OK
