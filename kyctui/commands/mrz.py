"""`kyctui mrz LINE...`: the check digits, fields and expiry of a passport's or ID card's MRZ."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from kyctui.commands.base import EXIT_FAILED, EXIT_OK, UsageError
from kyctui.domain.photos.result import worst

if TYPE_CHECKING:
    from kyctui.domain.photos.result import CheckResult

JSON_VERSION = 1
_SYMBOL = {"pass": "✓", "warn": "!", "fail": "✗"}
_COLOUR = {"pass": "32", "warn": "33", "fail": "31"}
_LABELS = {
    "document_code": "document code",
    "issuing_state": "issuing state",
    "surname": "surname",
    "given_names": "given names",
    "document_number": "document number",
    "nationality": "nationality",
    "birth_date": "date of birth",
    "sex": "sex",
    "expiry_date": "expiry date",
    "optional_data": "optional data",
}


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of `kyctui mrz`."""
    parser.add_argument(
        "lines",
        nargs="+",
        metavar="LINE",
        help="the zone's lines, each quoted (or one argument with line breaks); - reads stdin",
    )
    # Validated when the command runs: listing the choices here would read every knowledge file.
    parser.add_argument("--exchange", default="generic", metavar="ID", help="okx, coinex, generic")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _fields(fields: dict[str, str], birth: date | None, expiry: date | None) -> dict[str, str]:
    # Dates as ISO where the six digits are a date; as printed otherwise.
    shown = dict(fields)
    for key, value in (("birth_date", birth), ("expiry_date", expiry)):
        if value is not None:
            shown[key] = value.isoformat()
    return shown


def _paint(text: str, status: str, colour: bool) -> str:
    return f"\x1b[{_COLOUR[status]}m{text}\x1b[0m" if colour else text


def _text(
    kind: str, valid: bool, fields: dict[str, str], checks: list[CheckResult], colour: bool
) -> str:
    overall = str(worst([c.status for c in checks]))
    zone = "every check digit right" if valid else "the zone has errors"
    lines = [f"{kind}: {_paint(overall.upper(), overall, colour)} ({zone})"]
    lines += [f"  {_LABELS[key]:<16} {value or '-'}" for key, value in fields.items()]
    for check in checks:
        status = str(check.status)
        mark = _paint(f"{_SYMBOL[status]} {status:<4}", status, colour)
        line = f"  {mark}  {check.id:<20} {check.message}"
        if check.fix and status != "pass":
            line += f" → {check.fix}"
        lines.append(line)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """0 every check digit right and not expired, 1 a check failed, 2 not an MRZ."""
    from kyctui.domain.identity import date_checks
    from kyctui.domain.identity.mrz import MrzFormatError, mrz_date, read_mrz
    from kyctui.domain.identity.mrz_checks import check_mrz
    from kyctui.knowledge.loader import load_exchange

    try:
        exchange = load_exchange(args.exchange)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    lines = sys.stdin.read().splitlines() if args.lines == ["-"] else args.lines
    try:
        mrz = read_mrz(lines)
    except MrzFormatError as exc:
        # The message names lines, lengths and at most one character: never the zone itself.
        raise UsageError(f"not a machine-readable zone: {exc}") from None
    today = date_checks.local_today()
    checks = check_mrz(mrz, today, exchange)
    # Valid: the zone itself is right (every check digit, every field); expiry is judged apart.
    valid = not any(c.status == "fail" and c.id.startswith("mrz.") for c in checks)
    birth = mrz_date(mrz.birth_date, today, past=True)
    fields = _fields(mrz.fields(), birth, mrz_date(mrz.expiry_date, today, past=False))
    # The zone is personal data: it goes to stdout, for the user who typed it, and nowhere else.
    if args.json:
        doc = {
            "version": JSON_VERSION,
            "format": mrz.format,
            "valid": valid,
            "fields": fields,
            "checks": [c.to_json() for c in checks],
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        print(_text(mrz.layout.kind, valid, fields, checks, colour))
    return EXIT_FAILED if any(c.status == "fail" for c in checks) else EXIT_OK
