"""Reads a machine-readable zone (ICAO 9303 TD3, TD2, TD1) as typed or pasted into its fields.

No MRZ library is installed and the format is small: the layouts are in mrz_fields.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kyctui.domain.identity.mrz_fields import ALPHABET, LAYOUTS, Layout, Span, check_digit

Cell = tuple[int, int]  # (line, column), both counted from 0


class MrzFormatError(ValueError):
    """Not an MRZ at all: wrong number or length of lines, or characters it cannot hold."""


@dataclass(frozen=True)
class DigitCheck:
    """One check digit: the characters it covers, where they are, and the digit as printed."""

    field: str  # document-number, birth-date, expiry-date, optional-data, composite
    data: str
    cells: tuple[Cell, ...]  # where each character of `data` is
    digit_cell: Cell
    found: str

    @property
    def expected(self) -> str:
        """The digit the data gives."""
        return check_digit(self.data)

    @property
    def ok(self) -> bool:
        """Right, or a filler where the field is empty (allowed for the personal number)."""
        empty = self.found == "<" and set(self.data) <= {"<"}
        return self.found == self.expected or (empty and self.field == "optional-data")


@dataclass(frozen=True)
class Mrz:
    """The fields of one zone, as printed (dates as YYMMDD, fillers removed from text)."""

    layout: Layout
    lines: tuple[str, ...]
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    names_truncated: bool  # the name field is full: the names may have been cut short
    document_number: str
    nationality: str
    birth_date: str
    sex: str
    expiry_date: str
    optional_data: str
    digits: tuple[DigitCheck, ...]

    @property
    def format(self) -> str:
        """TD3, TD2 or TD1."""
        return self.layout.name

    def fields(self) -> dict[str, str]:
        """Every field by name, as printed."""
        return {
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "expiry_date": self.expiry_date,
            "optional_data": self.optional_data,
        }


def normalise(lines: Sequence[str]) -> list[str]:
    """Lines as typed or pasted (one argument each, or one with newlines): spaces removed,
    upper case, look-alikes of the filler (« ‹ ＜) made '<', empty lines dropped."""
    out: list[str] = []
    for raw in "\n".join(lines).splitlines():
        text = unicodedata.normalize("NFKC", raw).translate({ord("«"): "<", ord("‹"): "<"})
        text = re.sub(r"\s+", "", text).upper()
        if text:
            out.append(text)
    if len(out) == 1 and len(out[0]) in (88, 72, 90):  # pasted as one run without line breaks
        width = {88: 44, 72: 36, 90: 30}[len(out[0])]
        out = [out[0][i : i + width] for i in range(0, len(out[0]), width)]
    return out


def _layout(lines: list[str]) -> Layout:
    if not lines:
        raise MrzFormatError("no MRZ lines given")
    if len(lines) not in (2, 3):
        got = f"1 line of {len(lines[0])} characters" if len(lines) == 1 else f"{len(lines)} lines"
        raise MrzFormatError(
            f"an MRZ has 2 lines (passport, some ID cards) or 3 (ID card); got {got}"
        )
    widths = tuple(len(line) for line in lines)
    if len(lines) == 3:
        width = 30
    elif any(abs(w - 44) < abs(w - 36) for w in widths):
        width = 44
    else:
        width = 36
    layout = LAYOUTS[(len(lines), width)]
    wrong = [f"line {i} has {w}" for i, w in enumerate(widths, 1) if w != width]
    if wrong:
        kind = f"an {layout.kind}" if layout.kind.startswith("ID") else f"a {layout.kind}"
        lengths = " and ".join(wrong)
        raise MrzFormatError(f"{lengths} characters; each line of {kind} MRZ has {width}")
    for i, line in enumerate(lines, 1):
        for column, char in enumerate(line, 1):
            if char not in ALPHABET:
                raise MrzFormatError(
                    f"line {i}, column {column}: {char!a} cannot be in an MRZ (only A-Z, 0-9 and <)"
                )
    if lines[0].startswith("V"):
        raise MrzFormatError("this is a visa's MRZ; kyctui checks passports and ID cards")
    return layout


def _cells(spans: Sequence[Span]) -> tuple[Cell, ...]:
    return tuple((s.line, c) for s in spans for c in range(s.start, s.end))


def _digit(field: str, lines: list[str], spans: Sequence[Span], digit: Span) -> DigitCheck:
    data = "".join(s.read(lines) for s in spans)
    return DigitCheck(field, data, _cells(spans), (digit.line, digit.start), digit.read(lines))


def _number(lay: Layout, lines: list[str]) -> tuple[str, DigitCheck, str]:
    """Document number, its check, and what is left of the optional data.

    ICAO 9303 parts 5 and 6: a number longer than 9 characters puts '<' where its digit would
    be and continues in the optional data, its last character there being the check digit.
    """
    optional = "".join(s.read(lines) for s in lay.optional)
    principal = lay.document_number.read(lines)
    if lay.optional_digit is None and lay.number_digit.read(lines) == "<" and optional[:1] != "<":
        first = lay.optional[0]
        rest = first.read(lines).split("<", 1)[0]
        extra = Span(first.line, first.start, first.start + len(rest) - 1)
        digit = Span(first.line, extra.end, extra.end + 1)
        check = _digit("document-number", lines, (lay.document_number, extra), digit)
        return principal + extra.read(lines), check, optional[len(rest) :]
    check = _digit("document-number", lines, (lay.document_number,), lay.number_digit)
    return principal.replace("<", ""), check, optional


def read_mrz(lines: Sequence[str]) -> Mrz:
    """Parse an MRZ; MrzFormatError says what is wrong when it is not one. Check digits are
    read, not judged: see mrz_checks.check_mrz."""
    text = normalise(lines)
    lay = _layout(text)
    number, number_check, optional = _number(lay, text)
    digits = [
        number_check,
        _digit("birth-date", text, (lay.birth_date,), lay.birth_digit),
        _digit("expiry-date", text, (lay.expiry_date,), lay.expiry_digit),
    ]
    if lay.optional_digit is not None:
        digits.append(_digit("optional-data", text, lay.optional, lay.optional_digit))
    digits.append(_digit("composite", text, lay.composite, lay.composite_digit))
    names = lay.names.read(text)
    surname, _, given = names.rstrip("<").partition("<<")
    return Mrz(
        layout=lay,
        lines=tuple(text),
        document_code=lay.document_code.read(text).replace("<", ""),
        issuing_state=lay.issuing_state.read(text).replace("<", ""),
        surname=surname.replace("<", " ").strip(),
        given_names=given.replace("<", " ").strip(),
        names_truncated=not names.endswith("<"),
        document_number=number,
        nationality=lay.nationality.read(text).replace("<", ""),
        birth_date=lay.birth_date.read(text),
        sex=lay.sex.read(text),
        expiry_date=lay.expiry_date.read(text),
        optional_data=optional.replace("<", " ").strip(),
        digits=tuple(digits),
    )


def mrz_date(yymmdd: str, today: date, past: bool) -> date | None:
    """A YYMMDD field as a date; None when it is not one (or has unknown parts, '<').

    The century is not printed: a birth date (`past`) is the latest one not after today; an
    expiry is in the century that puts it within 50 years of today.
    """
    if not re.fullmatch(r"\d{6}", yymmdd):
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    century = today.year // 100 * 100
    try:
        value = date(century + yy, mm, dd)
        if past and value > today:
            return date(century - 100 + yy, mm, dd)
        if not past and value.year - today.year > 50:
            return date(century - 100 + yy, mm, dd)
        if not past and today.year - value.year > 50:
            return date(century + 100 + yy, mm, dd)
    except ValueError:
        return None
    return value
