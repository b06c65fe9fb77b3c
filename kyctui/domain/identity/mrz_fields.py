"""ICAO 9303 layouts of the three machine-readable zones, and the 7-3-1 check digit."""

from __future__ import annotations

import string
from dataclasses import dataclass

ALPHABET = frozenset(string.ascii_uppercase + string.digits + "<")
_WEIGHTS = (7, 3, 1)


def char_value(char: str) -> int:
    """ICAO 9303 part 3: digits are themselves, A-Z are 10-35, the filler < is 0."""
    if char.isdigit():
        return int(char)
    if char == "<":
        return 0
    return ord(char) - ord("A") + 10


def check_digit(data: str) -> str:
    """The check digit of `data`: values weighted 7, 3, 1, 7, 3, 1... summed, modulo 10."""
    total = sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data))
    return str(total % 10)


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of one line (both counted from 0)."""

    line: int
    start: int
    end: int

    def read(self, lines: list[str]) -> str:
        """The characters it covers."""
        return lines[self.line][self.start : self.end]


@dataclass(frozen=True)
class Layout:
    """Where each field of one format is. `composite` lists what the composite digit covers."""

    name: str
    lines: int
    width: int
    kind: str  # what people call it
    document_code: Span
    issuing_state: Span
    names: Span
    document_number: Span
    number_digit: Span
    nationality: Span
    birth_date: Span
    birth_digit: Span
    sex: Span
    expiry_date: Span
    expiry_digit: Span
    optional: tuple[Span, ...]
    optional_digit: Span | None  # TD3 only: the personal number's own digit
    composite: tuple[Span, ...]
    composite_digit: Span


def _s(line: int, start: int, end: int) -> Span:
    return Span(line, start, end)


TD3 = Layout(
    "TD3", 2, 44, "passport (TD3)",
    document_code=_s(0, 0, 2), issuing_state=_s(0, 2, 5), names=_s(0, 5, 44),
    document_number=_s(1, 0, 9), number_digit=_s(1, 9, 10), nationality=_s(1, 10, 13),
    birth_date=_s(1, 13, 19), birth_digit=_s(1, 19, 20), sex=_s(1, 20, 21),
    expiry_date=_s(1, 21, 27), expiry_digit=_s(1, 27, 28),
    optional=(_s(1, 28, 42),), optional_digit=_s(1, 42, 43),
    composite=(_s(1, 0, 10), _s(1, 13, 20), _s(1, 21, 43)), composite_digit=_s(1, 43, 44),
)  # fmt: skip

TD2 = Layout(
    "TD2", 2, 36, "ID card (TD2)",
    document_code=_s(0, 0, 2), issuing_state=_s(0, 2, 5), names=_s(0, 5, 36),
    document_number=_s(1, 0, 9), number_digit=_s(1, 9, 10), nationality=_s(1, 10, 13),
    birth_date=_s(1, 13, 19), birth_digit=_s(1, 19, 20), sex=_s(1, 20, 21),
    expiry_date=_s(1, 21, 27), expiry_digit=_s(1, 27, 28),
    optional=(_s(1, 28, 35),), optional_digit=None,
    composite=(_s(1, 0, 10), _s(1, 13, 20), _s(1, 21, 35)), composite_digit=_s(1, 35, 36),
)  # fmt: skip

TD1 = Layout(
    "TD1", 3, 30, "ID card (TD1)",
    document_code=_s(0, 0, 2), issuing_state=_s(0, 2, 5), names=_s(2, 0, 30),
    document_number=_s(0, 5, 14), number_digit=_s(0, 14, 15), nationality=_s(1, 15, 18),
    birth_date=_s(1, 0, 6), birth_digit=_s(1, 6, 7), sex=_s(1, 7, 8),
    expiry_date=_s(1, 8, 14), expiry_digit=_s(1, 14, 15),
    optional=(_s(0, 15, 30), _s(1, 18, 29)), optional_digit=None,
    composite=(_s(0, 5, 30), _s(1, 0, 7), _s(1, 8, 15), _s(1, 18, 29)),
    composite_digit=_s(1, 29, 30),
)  # fmt: skip

# By (number of lines, characters per line).
LAYOUTS = {(lay.lines, lay.width): lay for lay in (TD3, TD2, TD1)}
