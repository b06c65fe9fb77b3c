"""Command-line interface: argument parsing and dispatch; no subcommand opens the TUI."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from kyctui import __version__
from kyctui.knowledge.model import PHOTO_KINDS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Checks whose failure means the photo could not be checked at all.
_BLOCKING = ("file.readable", "file.format", "image.decode")


class UsageError(Exception):
    """Bad arguments: reported on one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr and never a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand."""
    parser = _Parser(prog="kyctui", description="Get through exchange identity verification.")
    parser.add_argument("--version", action="version", version=f"kyctui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    check = sub.add_parser("check", help="check photos before uploading them")
    check.add_argument("paths", nargs="+", metavar="PATH", help="photo files to check")
    check.add_argument(
        "--kind", default="id-front", choices=PHOTO_KINDS, help="what the photos are"
    )
    # Validated when the check runs: listing the choices here would read every knowledge file
    # on every start, the TUI's included.
    check.add_argument("--exchange", default="generic", metavar="ID", help="okx, coinex, generic")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    resume = sub.add_parser("resume", help="continue an attempt (the latest unfinished one)")
    resume.add_argument("attempt", nargs="?", type=int, metavar="ATTEMPT", help="attempt number")
    return parser


def _run_tui(resume: int | None, pick_latest: bool) -> int:
    from kyctui.tui import graphics

    graphics.start_probe()  # overlaps the imports below
    from kyctui.domain.store import Store, StoreError

    store: Store | None = None
    if resume is not None or pick_latest:
        try:
            store = Store.open_default()
            if pick_latest:
                latest = store.latest_unfinished()
                if latest is None:
                    raise UsageError("no unfinished attempt to resume")
                resume = latest.id
            else:
                store.get_attempt(resume)  # type: ignore[arg-type]
        except StoreError as exc:
            raise UsageError(str(exc)) from None
    from kyctui.tui.factory import make_app

    graphics.finish_probe()
    # Plain `kyctui`: the store is opened by the app's first worker, after the first frame.
    make_app(store=store, resume=resume).run()
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    from kyctui.check_output import to_json, to_text
    from kyctui.domain.display import safe_path
    from kyctui.domain.photos.runner import CheckContext, check_photos

    try:
        ctx = CheckContext.for_exchange(args.exchange)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
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


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _run_check(args)
    if args.command == "resume":
        return _run_tui(args.attempt, pick_latest=args.attempt is None)
    return _run_tui(None, pick_latest=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run; returns the exit status."""
    try:
        return _dispatch(build_parser().parse_args(argv))
    except UsageError as exc:
        print(f"kyctui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        sys.stderr.close()
        return EXIT_OK
