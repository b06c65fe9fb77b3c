"""Typed dates: readings, ambiguity, impossible days; and the expiry, address and age checks."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from kyctui.domain.identity.date_checks import (
    check_address_issued,
    check_birth_date,
    check_expiry,
    local_today,
    reading_problem,
)
from kyctui.domain.identity.dates import (
    AmbiguousDate,
    DateReading,
    InvalidDate,
    ParsedDate,
    long_date,
    parse_date,
)
from kyctui.domain.photos.result import Status

D = date
TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1974-08-12", ParsedDate(D(1974, 8, 12))),
        ("1974/8/12", ParsedDate(D(1974, 8, 12))),
        ("1974. 08. 12.", ParsedDate(D(1974, 8, 12))),
        ("19740812", ParsedDate(D(1974, 8, 12))),
        ("12 Aug 1974", ParsedDate(D(1974, 8, 12))),
        ("12-Aug-1974", ParsedDate(D(1974, 8, 12))),
        ("Aug 12, 1974", ParsedDate(D(1974, 8, 12))),
        ("august 12 1974", ParsedDate(D(1974, 8, 12))),
        ("12th of August 1974", ParsedDate(D(1974, 8, 12))),
        ("  12  Aug  1974 ", ParsedDate(D(1974, 8, 12))),
        ("25.08.1974", ParsedDate(D(1974, 8, 25))),  # 25 cannot be a month: day first
        ("08/25/1974", ParsedDate(D(1974, 8, 25))),  # ... month first
        ("05/05/1974", ParsedDate(D(1974, 5, 5))),  # the same either way
        ("12.08.1974", AmbiguousDate(D(1974, 8, 12), D(1974, 12, 8))),
        ("08/12/1974", AmbiguousDate(D(1974, 12, 8), D(1974, 8, 12))),
        ("1-2-2000", AmbiguousDate(D(2000, 2, 1), D(2000, 1, 2))),
    ],
)
def test_readings(text: str, expected: DateReading) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason", "impossible"),
    [
        ("31/02/2020", "February 2020 has 29 days", True),
        ("02/31/2020", "February 2020 has 29 days", True),
        ("29.02.2021", "February 2021 has 28 days", True),
        ("2020-02-30", "February 2020 has 29 days", True),
        ("31 Feb 2020", "February 2020 has 29 days", True),
        ("April 31, 2001", "April 2001 has 30 days", True),
        ("1974-13-01", "there is no month 13", True),
        ("13/14/2000", "neither 13 nor 14 can be a month", True),
        ("0/5/2000", "there is no day 0", True),
        ("12/08/74", "four digits", False),
        ("12 Aug 74", "four digits", False),
        ("Aug 1974", "the day is missing", False),
        ("1974", "the day and month are missing", False),
        ("12 Augustus 1974", "not a date", False),
        ("12/08/1974 10:00", "not a date", False),
        ("", "nothing entered", False),
        ("   ", "nothing entered", False),
    ],
)
def test_invalid(text: str, reason: str, impossible: bool) -> None:
    reading = parse_date(text)
    assert isinstance(reading, InvalidDate)
    assert reason in reading.reason and reading.impossible is impossible


def test_order_settles_ambiguity_and_nothing_else() -> None:
    assert parse_date("08/12/1974", "dmy") == ParsedDate(D(1974, 12, 8))
    assert parse_date("08/12/1974", "mdy") == ParsedDate(D(1974, 8, 12))
    assert parse_date("1974-08-12", "mdy") == ParsedDate(D(1974, 8, 12))  # ISO stays ISO
    # The chosen order is kept even when it makes the date impossible: no silent swap.
    reading = parse_date("08/13/1974", "dmy")
    assert isinstance(reading, InvalidDate) and "no month 13" in reading.reason
    ambiguous = parse_date("08/12/1974")
    assert isinstance(ambiguous, AmbiguousDate)
    assert ambiguous.pick("dmy") == D(1974, 12, 8) and ambiguous.pick("mdy") == D(1974, 8, 12)
    with pytest.raises(ValueError, match="dmy or mdy"):
        parse_date("08/12/1974", "ymd")


def test_long_date_cannot_be_misread() -> None:
    assert long_date(D(1974, 8, 12)) == "12 August 1974"


def test_reading_problem() -> None:
    assert reading_problem("x", ParsedDate(TODAY), "The date") is None
    ambiguous = reading_problem("x", parse_date("08/12/1974"), "The date of birth")
    assert ambiguous is not None and ambiguous.status is Status.WARN
    assert "1974" not in ambiguous.message and "say which" in ambiguous.message
    impossible = reading_problem("x", parse_date("31/02/2020"), "The date")
    assert impossible is not None and impossible.status is Status.FAIL
    assert "29 days" in impossible.message and "does not exist" in impossible.fix
    unreadable = reading_problem("x", parse_date("soon"), "The date")
    assert unreadable is not None and "four-digit year" in unreadable.fix


@pytest.mark.parametrize(
    ("expiry", "status", "days"),
    [
        (D(2025, 6, 14), Status.FAIL, -1),
        (D(2020, 1, 1), Status.FAIL, -1992),
        (D(2025, 6, 15), Status.WARN, 0),
        (D(2025, 7, 15), Status.WARN, 30),
        (D(2025, 7, 16), Status.PASS, 31),
        (D(2030, 1, 1), Status.PASS, 1661),
    ],
)
def test_expiry(expiry: date, status: Status, days: int) -> None:
    result = check_expiry(expiry, TODAY, warn_days=30)
    assert (result.id, result.status, result.value) == ("document.expiry", status, days)
    assert expiry.isoformat() not in result.message  # counts days, never repeats the date
    assert bool(result.fix) is (status is not Status.PASS)


@pytest.mark.parametrize(
    ("issued", "status", "in_message"),
    [
        (D(2025, 6, 1), Status.PASS, "until 2025-08-30"),
        (D(2025, 3, 20), Status.WARN, "after 2025-06-18"),  # ages out in 3 days
        (D(2025, 3, 17), Status.WARN, "after 2025-06-15"),  # last day today
        (D(2025, 3, 16), Status.FAIL, "too old since 2025-06-14"),
        (D(2024, 12, 1), Status.FAIL, "too old since 2025-03-01"),
        (D(2025, 6, 16), Status.FAIL, "future"),
    ],
)
def test_address_issued(issued: date, status: Status, in_message: str) -> None:
    result = check_address_issued(issued, TODAY, max_age_days=90, warn_days=7)
    assert result.id == "address.issued" and result.status is status
    assert in_message in result.message


@pytest.mark.parametrize(
    ("born", "status", "age"),
    [
        (D(1974, 8, 12), Status.PASS, 50),
        (D(2007, 6, 15), Status.PASS, 18),  # eighteenth birthday today
        (D(2007, 6, 16), Status.WARN, 17),
        (D(2020, 1, 1), Status.WARN, 5),
        (D(1890, 1, 1), Status.FAIL, 135),
        (D(2025, 6, 16), Status.FAIL, None),
    ],
)
def test_birth_date(born: date, status: Status, age: int | None) -> None:
    result = check_birth_date(born, TODAY, min_age=18, max_age=120)
    assert (result.id, result.status, result.value) == ("profile.birth-date", status, age)


def test_leap_day_birthday() -> None:
    born = D(2004, 2, 29)
    assert check_birth_date(born, D(2022, 2, 28), 18, 120).status is Status.WARN
    assert check_birth_date(born, D(2022, 3, 1), 18, 120).status is Status.PASS


@pytest.fixture
def tokyo() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.mark.usefixtures("tokyo")
def test_today_is_the_users_local_day() -> None:
    # 20:00 UTC on 1 January is already 2 January in Tokyo.
    assert local_today(datetime(2025, 1, 1, 20, 0, tzinfo=UTC)) == D(2025, 1, 2)
