"""The handheld statement: exactly what to write on the paper, and a check of what was written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kyctui.domain.identity.advice import fix
from kyctui.domain.identity.dates import AmbiguousDate, ParsedDate, parse_date
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge.identity import load_identity
from kyctui.knowledge.model import ExchangeRules

_YEAR_FIRST = re.compile(r"\d{4}\D+\d{1,2}\D+\d{1,2}")


@dataclass(frozen=True)
class StatementText:
    """What goes on the paper, line by line, and the reminders to show beside it."""

    exchange: str  # the exchange's name
    date_text: str  # today in the required form: 2025/03/14
    date_parts: tuple[str, str, str]  # year, month, day as written, for a large display
    word: str  # "CoinEx"
    reminders: tuple[str, ...]
    source: str  # where the exchange asks for this

    @property
    def lines(self) -> tuple[str, ...]:
        """The paper's lines, in order."""
        return (self.date_text, self.word)


def statement_text(exchange: ExchangeRules, today: date) -> StatementText:
    """What to write for `exchange` on `today` (the user's local date). ValueError when the
    exchange asks for no handheld statement."""
    if not exchange.statement_required.value or exchange.statement_word is None:
        raise ValueError(f"{exchange.name} asks for no handheld statement")
    rules = load_identity()
    parts = (f"{today.year:04d}", f"{today.month:02d}", f"{today.day:02d}")
    return StatementText(
        exchange=exchange.name,
        date_text=statement_text_date(today),
        date_parts=parts,
        word=exchange.statement_word.value,
        reminders=tuple(r.value for r in rules.statement_reminders),
        source=exchange.statement_word.source,
    )


def _date_result(written: str, today: date, order: str) -> CheckResult:
    expected = statement_text_date(today)
    reading = parse_date(written, order)
    if isinstance(reading, AmbiguousDate):
        is_today = today in (reading.day_first, reading.month_first)
    else:
        is_today = isinstance(reading, ParsedDate) and reading.value == today
    if not is_today:
        if isinstance(reading, ParsedDate):
            days = (reading.value - today).days
            when = f"{abs(days)} day{'s' * (abs(days) != 1)} {'ago' if days < 0 else 'ahead'}"
            message = f"The paper's date is not today ({when}); write {expected}."
        else:
            message = f"The paper's date cannot be read as today; write {expected}."
        return CheckResult(
            "statement.date", Status.FAIL, None, expected, message, fix("statement-date")
        )
    if not _YEAR_FIRST.fullmatch(written.strip()):
        message = f"Today's date, but not as year/month/day: write {expected}."
        return CheckResult(
            "statement.date", Status.WARN, None, expected, message, fix("statement-date")
        )
    return CheckResult("statement.date", Status.PASS, None, expected, "Today's date, year first.")


def statement_text_date(today: date) -> str:
    """Today in the form the statement wants."""
    return today.strftime(load_identity().statement_date_format.value)


def _word_result(written: str, word: str) -> CheckResult:
    if word in written:
        return CheckResult("statement.word", Status.PASS, None, word, f'"{word}" is on the paper.')
    advice = fix("statement-word")
    if word.casefold() in written.casefold():
        message = f'Write "{word}" with the same capitals.'
        return CheckResult("statement.word", Status.WARN, None, word, message, advice)
    message = f'The word "{word}" is missing.'
    return CheckResult("statement.word", Status.FAIL, None, word, message, advice)


def check_statement(
    written_date: str, written_word: str, exchange: ExchangeRules, today: date, order: str = ""
) -> list[CheckResult]:
    """statement.date (today, year first) and statement.word, for what the user says they
    wrote. ValueError when the exchange asks for no statement."""
    word = statement_text(exchange, today).word
    return [_date_result(written_date, today, order), _word_result(written_word, word)]
