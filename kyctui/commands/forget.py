"""`kyctui forget ATTEMPT`: delete one attempt and everything kept about it, leaving no copy."""

from __future__ import annotations

import argparse
import sys

from kyctui.commands.base import EXIT_OK, UsageError

FORGOTTEN = (
    "Forgot attempt #{id}: its checklist, photo results, personal details, outcomes and actions"
    " are deleted and overwritten in the database. The photo files themselves were not touched."
)
STILL_OPEN = (
    "kyctui: another kyctui window is open, so old copies may stay in the database's journal"
    " until it is closed; close it, then run `kyctui forget` on any attempt or `kyctui wipe`."
)


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `kyctui forget`."""
    parser.add_argument("attempt", type=int, metavar="ATTEMPT", help="attempt number")


def run(args: argparse.Namespace) -> int:
    """Forget the attempt; 2 when there is no such attempt or the database cannot be used."""
    from kyctui import locations
    from kyctui.domain.store import Store, StoreError
    from kyctui.domain.store_wipe import forget

    if not locations.database_path().exists():  # nothing to forget: do not create a database
        raise UsageError(f"Attempt {args.attempt} does not exist (there are no attempts yet).")
    try:
        store = Store.open_default()
        if store.recovery_note is not None:
            print(f"kyctui: {store.recovery_note}", file=sys.stderr)
        clean = forget(store, args.attempt)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    print(FORGOTTEN.format(id=args.attempt))
    if not clean:
        print(STILL_OPEN, file=sys.stderr)
    return EXIT_OK
