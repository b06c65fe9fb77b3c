"""`kyctui check PATH...`: the photo checks, printed for people or as JSON."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kyctui.commands.base import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from kyctui.knowledge.model import PHOTO_KINDS

if TYPE_CHECKING:
    from kyctui.domain.attempts import Attempt
    from kyctui.domain.photos.result import Earlier
    from kyctui.domain.store import Store

# Checks whose failure means the photo could not be checked at all.
_BLOCKING = ("file.readable", "file.format", "image.decode")


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `kyctui check`."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="photo files to check")
    parser.add_argument(
        "--kind", default="id-front", choices=PHOTO_KINDS, help="what the photos are"
    )
    # Validated when the check runs: listing the choices here would read every knowledge file.
    parser.add_argument(
        "--exchange", metavar="ID", help="okx, coinex, generic (default: the attempt's, or generic)"
    )
    parser.add_argument(
        "--attempt",
        type=int,
        metavar="N",
        help="hold the document's text against attempt N's profile (see `kyctui attempts`)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="leave out the reads of the photo's content (faces, framing, text); listed as skipped",
    )


def run(args: argparse.Namespace) -> int:
    """Check the photos; 0 all passed or warned, 1 a check failed, 2 nothing could be read."""
    from kyctui.check_output import to_json, to_text
    from kyctui.domain.display import safe_path
    from kyctui.domain.photos.runner import CheckContext, check_photos

    store, why = _existing_store()  # opened once: for the attempt and the rejected photos
    attempt = _attempt(store, why, args.attempt) if args.attempt is not None else None
    exchange = args.exchange or (attempt.exchange if attempt else "generic")
    try:
        ctx = CheckContext.for_exchange(exchange)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    reads = frozenset() if args.quick else ctx.reads
    ctx = replace(ctx, history=_rejected_photos(store), reads=reads)
    if attempt is not None:
        ctx = replace(ctx, profile=attempt.profile, document_type=attempt.document_type)
    run = check_photos([(Path(p), args.kind) for p in args.paths], ctx)
    if args.json:
        print(to_json(run))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(to_text(run, colour))
    for report in run.reports:
        # One line on stderr for each photo that could not be checked at all, so a script's log
        # says which file and why without parsing the report.
        blocking = [c for c in report.checks if c.id in _BLOCKING and c.status == "fail"]
        if blocking:
            print(f"kyctui: {safe_path(report.path)}: {blocking[0].message}", file=sys.stderr)
    if not any(r.readable for r in run.reports):
        return EXIT_USAGE
    return EXIT_FAILED if any(r.verdict == "fail" for r in run.reports) else EXIT_OK


def _existing_store() -> tuple[Store | None, str]:
    """kyctui's database if there is one (a check never creates it), else None and why."""
    from kyctui.locations import database_path

    path = database_path()
    if not path.is_file():
        return None, "there are no attempts yet"
    # Only now: the store's modules are a tenth of a cold check's imports.
    from kyctui.domain.store import Store
    from kyctui.domain.store_errors import StoreError

    try:
        return Store(path), ""
    except StoreError as exc:  # damaged: the TUI reports it; a check goes on without it
        return None, str(exc)


def _attempt(store: Store | None, why: str, attempt_id: int) -> Attempt:
    """The attempt whose profile the MRZ read is held against; a usage error when there is none."""
    from kyctui.domain.store_errors import StoreError

    if store is None:
        raise UsageError(f"no attempt #{attempt_id}: {why}")
    try:
        return store.get_attempt(attempt_id)
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _rejected_photos(store: Store | None) -> tuple[Earlier, ...]:
    """The pictures of attempts the exchange rejected, as the TUI records them; nothing when
    there is no readable database."""
    if store is None:
        return ()
    from kyctui.domain.photo_history import rejected_photos
    from kyctui.domain.store_errors import StoreError

    try:
        return rejected_photos(store)
    except StoreError:
        return ()  # the TUI reports a damaged database; a photo check goes on without history
