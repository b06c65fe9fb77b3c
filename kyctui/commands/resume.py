"""`kyctui` and `kyctui resume [ATTEMPT]`: open the TUI, on an attempt when asked."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kyctui.commands.base import EXIT_OK, UsageError

if TYPE_CHECKING:
    from kyctui.domain.store import Store


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `kyctui resume`."""
    parser.add_argument("attempt", nargs="?", type=int, metavar="ATTEMPT", help="attempt number")


def run(args: argparse.Namespace) -> int:
    """Resume the named attempt, or the latest unfinished one."""
    return run_tui(args.attempt, pick_latest=args.attempt is None)


def run_tui(resume: int | None, pick_latest: bool) -> int:
    """Run the app; with `resume` or `pick_latest`, straight into that attempt's wizard."""
    from kyctui.tui import graphics

    graphics.start_probe()  # overlaps the imports below
    store: Store | None = None
    if resume is not None or pick_latest:
        # Only here: plain `kyctui` opens the store from a worker, after the first frame.
        from kyctui.domain.store import Store, StoreError

        try:
            store = Store.open_default()
            if store.recovery_note is not None:  # a damaged database was moved aside
                print(f"kyctui: {store.recovery_note}", file=sys.stderr)
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
