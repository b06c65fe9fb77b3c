"""Reads dates as people type them; asks when day and month could be either, never guesses."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
DATE_ORDERS = ("dmy", "mdy")  # how the user writes an ambiguous date (Profile.date_order)

# Three groups of digits: 12.08.1974, 08/12/1974, 1974-08-12, 12 08 1974, "1974. 08. 12."
_NUMERIC = re.compile(r"(\d{1,4})\s*[./\-\s]\s*(\d{1,2})\s*[./\-\s]\s*(\d{1,4})\.?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")  # 19740812
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


@dataclass(frozen=True)
class ParsedDate:
    """One reading only."""

    value: date


@dataclass(frozen=True)
class AmbiguousDate:
    """Day and month could be swapped (08/12/1974): both readings, for the user to choose."""

    day_first: date
    month_first: date

    def pick(self, order: str) -> date:
        """The reading for "dmy" or "mdy"."""
        return self.day_first if order == "dmy" else self.month_first


@dataclass(frozen=True)
class InvalidDate:
    """Not a date: unreadable, incomplete, or a day that does not exist (31/02)."""

    reason: str
    impossible: bool = False  # read fine, but no such day


DateReading = ParsedDate | AmbiguousDate | InvalidDate


def long_date(value: date) -> str:
    """A date no reader can misread: 12 August 1974."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def build_date(year: int, month: int, day: int) -> ParsedDate | InvalidDate:
    """The date, or why there is no such day."""
    if not 1 <= month <= 12:
        return InvalidDate(f"there is no month {month}", impossible=True)
    if year < 1:
        return InvalidDate(f"there is no year {year}", impossible=True)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        why = f"{MONTHS[month - 1]} {year} has {days} days" if day else "there is no day 0"
        return InvalidDate(why, impossible=True)
    return ParsedDate(date(year, month, day))


def _numeric(a: int, b: int, year: int, order: str) -> DateReading:
    if order:
        day, month = (a, b) if order == "dmy" else (b, a)
        return build_date(year, month, day)
    if a > 12 and b > 12:
        return InvalidDate(f"neither {a} nor {b} can be a month", impossible=True)
    if a > 12 or a == b or 0 in (a, b):
        return build_date(year, b, a)
    if b > 12:
        return build_date(year, a, b)
    return AmbiguousDate(day_first=date(year, b, a), month_first=date(year, a, b))


def _worded(text: str) -> DateReading:
    """Dates with the month as a word (12 Aug 1974, August 12, 1974), read by dateutil."""
    from dateutil import parser  # type: ignore[import-untyped]  # ships no type hints

    # Without a month word, dateutil would settle 08/12 by its own default: a silent guess.
    if not any(parser.parserinfo().month(w) for w in re.findall(r"[^\W\d_]+", text)):
        return InvalidDate("not a date kyctui can read")
    try:
        # Two different defaults: a part that dateutil filled in differs between them.
        one = parser.parse(text, default=datetime(2000, 1, 1))
        two = parser.parse(text, default=datetime(2001, 2, 2))
    except parser.ParserError as exc:
        if "out of range" in str(exc):
            return _explain_impossible(text, parser.parserinfo())
        return InvalidDate("not a date kyctui can read")
    except (ValueError, OverflowError):
        return InvalidDate("not a date kyctui can read")
    if one.day != two.day:  # the month is a word, so only the day can be missing
        return InvalidDate("the day is missing")
    return ParsedDate(one.date())


def _explain_impossible(text: str, info: Any) -> InvalidDate:
    """Why dateutil found no such day; `info` is its parserinfo, which knows month names."""
    words = re.findall(r"[^\W\d_]+|\d+", text)
    months = [m for w in words if (m := info.month(w)) is not None]
    days = [int(w) for w in words if w.isdigit() and len(w) <= 2]
    years = [int(w) for w in words if w.isdigit() and len(w) == 4]
    if len(months) == len(days) == len(years) == 1:
        reading = build_date(years[0], months[0], days[0])
        if isinstance(reading, InvalidDate):
            return reading
    return InvalidDate("that day does not exist in that month", impossible=True)


def parse_date(text: str, order: str = "") -> DateReading:
    """Read a typed date. `order` ("dmy" or "mdy", from the profile) settles 08/12/1974;
    without it such a date is Ambiguous. Years must have four digits: a two-digit year would
    be a guess at the century."""
    if order not in ("", *DATE_ORDERS):
        raise ValueError(f"date order must be dmy or mdy, not {order!r}")
    text = " ".join(text.split())
    if not text:
        return InvalidDate("nothing entered")
    if match := _COMPACT.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
        return build_date(year, month, day)
    if not _YEAR.search(text):
        return InvalidDate("the year needs all four digits")
    if _YEAR.fullmatch(text):
        return InvalidDate("the day and month are missing")
    if match := _NUMERIC.fullmatch(text):
        first, second, third = match.groups()
        if len(first) == 4 and len(third) <= 2:  # year first: always year, month, day (ISO)
            return build_date(int(first), int(second), int(third))
        if len(third) == 4 and len(first) <= 2:
            return _numeric(int(first), int(second), int(third), order)
        return InvalidDate("not a date kyctui can read")
    return _worded(text)
