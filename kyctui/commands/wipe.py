"""`kyctui wipe [--yes]`: delete every attempt and kyctui's database, after asking."""

from __future__ import annotations

import argparse
import sys

from kyctui.commands.base import EXIT_OK, UsageError

NOT_A_TTY = (
    "wipe deletes every attempt and cannot be undone; nobody is at a terminal to confirm,"
    " so pass --yes to do it"
)


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `kyctui wipe`."""
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")


def _confirmed(listing: str) -> bool:
    print(f"This deletes every kyctui attempt, for good:\n{listing}")
    try:
        answer = input("Delete them? [y/N] ")
    except EOFError:  # Ctrl-D: no
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    """Delete the database and its files; 2 without a terminal to ask and without --yes."""
    from kyctui import locations
    from kyctui.domain.display import safe_path
    from kyctui.domain.store import StoreError
    from kyctui.domain.store_wipe import wipe, wipe_targets

    path = locations.database_path()
    targets = wipe_targets(path)
    if not targets:
        print(f"Nothing to delete: there is no kyctui database at {safe_path(path)}.")
        return EXIT_OK
    listing = "\n".join(f"  {safe_path(p)}" for p in targets)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError(NOT_A_TTY)
        if not _confirmed(listing):
            print("Nothing was deleted.")
            return EXIT_OK
    try:
        removed = wipe(path)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if not removed:  # another kyctui wiped them meanwhile
        print("Nothing to delete: the kyctui database is already gone.")
        return EXIT_OK
    print("Deleted:")
    print("\n".join(f"  {safe_path(p)}" for p in removed))
    print("The photo files themselves were not touched.")
    return EXIT_OK
