"""What every subcommand shares: exit codes, the one-line usage error and the quiet parser."""

from __future__ import annotations

import argparse
from typing import NoReturn

# The contract of DESIGN.md: 0 fine, 1 a check failed, 2 usage or input error.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or input: reported on one line, exit 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr and never a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)
