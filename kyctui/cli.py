"""Command-line interface: argument parsing and dispatch; no subcommand opens the TUI."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from kyctui import __version__
from kyctui.commands.base import EXIT_OK, EXIT_USAGE, Parser, UsageError

# Subcommand → (module with configure/run, one-line help). Only the chosen command's module is
# imported, so `kyctui` alone (the TUI) pays for none of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("kyctui.commands.check", "check photos before uploading them"),
    "resume": ("kyctui.commands.resume", "continue an attempt (the latest unfinished one)"),
    "attempts": ("kyctui.commands.attempts", "list attempts and their status"),
    "export": ("kyctui.commands.export", "write the support-ticket summary of an attempt"),
    "mrz": ("kyctui.commands.mrz", "check a passport or ID card's machine-readable zone"),
    "doctor": (
        "kyctui.commands.doctor",
        "measure the connection and find camera, microphone and browsers",
    ),
    "forget": ("kyctui.commands.forget", "delete one attempt and everything kept about it"),
    "wipe": ("kyctui.commands.wipe", "delete every attempt and kyctui's database"),
}


def _module(command: str) -> ModuleType:
    return importlib.import_module(COMMANDS[command][0])


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser, with the arguments of the subcommand named in `argv` (all of them if none)."""
    parser = Parser(prog="kyctui", description="Get through exchange identity verification.")
    parser.add_argument("--version", action="version", version=f"kyctui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    named = next((a for a in argv if not a.startswith("-")), None)
    for command, (_, help_text) in COMMANDS.items():
        child = sub.add_parser(command, help=help_text, description=help_text)
        if named in (command, None) and (named or argv):
            _module(command).configure(child)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(args_list).parse_args(args_list)
        if args.command is None:
            from kyctui.commands.resume import run_tui

            return run_tui(None, pick_latest=False)
        result: int = _module(args.command).run(args)
        return result
    except UsageError as exc:
        print(f"kyctui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # a bug: one line, never a traceback quoting personal data
        from kyctui.tui.crash import crash_line

        print(crash_line(exc), file=sys.stderr)
        return 1  # what Python's own handler returns
