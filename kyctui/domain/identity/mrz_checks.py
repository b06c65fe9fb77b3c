"""Judges a read MRZ: every check digit (with a likely correction), field formats, expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kyctui.domain.identity.advice import fix
from kyctui.domain.identity.date_checks import check_expiry
from kyctui.domain.identity.mrz import Cell, DigitCheck, Mrz, mrz_date
from kyctui.domain.identity.mrz_fields import check_digit
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge.identity import load_identity
from kyctui.knowledge.model import ExchangeRules

LABELS = {
    "document-number": "document number",
    "birth-date": "date of birth",
    "expiry-date": "expiry date",
    "optional-data": "personal number",
    "composite": "whole zone (composite)",
}

KIND_TITLES = {"passport": "passport", "national-id": "national ID card"}


@dataclass(frozen=True)
class Correction:
    """Reading one character as its look-alike makes a check digit right."""

    cell: Cell
    found: str
    replacement: str

    def describe(self) -> str:
        """'line 2, column 4: O → 0' (counted from 1, as people count)."""
        line, column = self.cell
        return f"line {line + 1}, column {column + 1}: {self.found} → {self.replacement}"


def document_kind(mrz: Mrz) -> str:
    """The checklist's document type the zone belongs to: passport or national-id."""
    return "passport" if mrz.document_code.startswith("P") else "national-id"


def _numeric_cells(mrz: Mrz) -> set[Cell]:
    """Cells that must hold digits: the dates and every check digit."""
    lay = mrz.layout
    cells = {(s.line, c) for s in (lay.birth_date, lay.expiry_date) for c in range(s.start, s.end)}
    return cells | {d.digit_cell for d in mrz.digits}


def corrections(mrz: Mrz, check: DigitCheck, limit: int = 3) -> list[Correction]:
    """Single look-alike swaps (identity.toml mrz_confusions) that would make `check` right."""
    pairs = load_identity().mrz_confusions.value
    numeric = _numeric_cells(mrz)
    found: list[Correction] = []
    for index, cell in enumerate((*check.cells, check.digit_cell)):
        char = mrz.lines[cell[0]][cell[1]]
        for pair in pairs:
            if char not in pair:
                continue
            alt = pair[1] if char == pair[0] else pair[0]
            if cell in numeric and not alt.isdigit():
                continue
            if index < len(check.cells):
                data, digit = check.data[:index] + alt + check.data[index + 1 :], check.found
            else:
                data, digit = check.data, alt
            if check_digit(data) == digit:
                found.append(Correction(cell, char, alt))
    return found[:limit]


def _digit_result(mrz: Mrz, check: DigitCheck, others_ok: bool) -> CheckResult:
    label, cid = LABELS[check.field], f"mrz.{check.field}"
    if check.ok:
        message = f"Check digit of the {label} is right ({check.found})."
        return CheckResult(cid, Status.PASS, check.found, check.expected, message)
    message = f"Check digit of the {label} is {check.found}; its characters give {check.expected}."
    if check.field == "composite" and not others_ok:
        message += " Correct the fields above first."
    elif fixes := corrections(mrz, check):
        swaps = "; or ".join(c.describe() for c in fixes)
        message += f" A look-alike misread would explain it: {swaps}."
    advice = fix("mrz-check-digit")
    return CheckResult(cid, Status.FAIL, check.found, check.expected, message, advice)


def _date_problem(mrz: Mrz, field: str, today: date) -> CheckResult | None:
    raw = mrz.birth_date if field == "birth-date" else mrz.expiry_date
    if "<" in raw and field == "birth-date":
        return None  # ICAO 9303 part 3: unknown day or month of birth are written as '<'
    if mrz_date(raw, today, past=field == "birth-date") is None:
        message = f"The {LABELS[field]} is not a date (YYMMDD)."
        return CheckResult(f"mrz.{field}", Status.FAIL, None, None, message, fix("mrz-field"))
    return None


def check_mrz(mrz: Mrz, today: date, exchange: ExchangeRules | None = None) -> list[CheckResult]:
    """One result per check digit (mrz.<field>), mrz.sex when it is not M, F, X or <, the expiry
    read from the zone (document.expiry) and, given an exchange, whether it takes the document."""
    others_ok = all(d.ok for d in mrz.digits if d.field != "composite")
    results = []
    for check in mrz.digits:
        result = _digit_result(mrz, check, others_ok)
        if result.status is Status.PASS and check.field in ("birth-date", "expiry-date"):
            result = _date_problem(mrz, check.field, today) or result
        results.append(result)
    if mrz.sex not in ("M", "F", "X", "<"):
        message = "The sex field must be M, F, X or <."
        results.append(CheckResult("mrz.sex", Status.FAIL, None, None, message, fix("mrz-field")))
    expiry = mrz_date(mrz.expiry_date, today, past=False)
    if expiry is not None:
        warn_days = load_identity().expiry_warn_days.value
        results.append(check_expiry(expiry, today, warn_days))
    if exchange is not None:
        kind = document_kind(mrz)
        taken = kind in exchange.document_types.value
        status = Status.PASS if taken else Status.FAIL
        title = KIND_TITLES[kind]
        message = f"{exchange.name} {'takes' if taken else 'does not take'} a {title}."
        advice = "" if taken else fix("document-type")
        results.append(CheckResult("mrz.document-type", status, kind, None, message, advice))
    return results
