"""doc.statement: today's date and the exchange's word looked for on the handheld paper in the
selfie with the document (optional extra `ocr`). Handwriting is hard to read, so what is not
found is a warning to check by eye, never a failure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from kyctui.domain.identity.dates import AmbiguousDate, ParsedDate, parse_date
from kyctui.domain.identity.names import damerau_levenshtein
from kyctui.domain.identity.statement import statement_text_date
from kyctui.domain.photos.mrz_band import measure, straighten
from kyctui.domain.photos.ocr_engine import ocr_check_ids, ocr_engine, open_for_ocr
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge.model import ExchangeRules, PhotoLimits
from kyctui.knowledge.ocr import load_ocr

ID = "doc.statement"
_D = r"[\dOoQDIlLZSBG]"  # a digit, or a letter handwriting's digits are read as
_DATE = re.compile(
    rf"(?<![\dA-Za-z])(?:{_D}{{4}}\s*[/.\-]\s*{_D}{{1,2}}\s*[/.\-]\s*{_D}{{1,2}}"
    rf"|{_D}{{1,2}}\s*[/.\-]\s*{_D}{{1,2}}\s*[/.\-]\s*{_D}{{4}}|{_D}{{8}})(?![\dA-Za-z])"
)


def _as_digits(text: str) -> str:
    to_digit = load_ocr().digit_lookalikes.value
    return "".join(to_digit.get(c.upper(), c) if not c.isdigit() else c for c in text)


def dates_written(texts: Sequence[str]) -> dict[date, bool]:
    """Every date that can be read in the texts (both readings of one like 03/04/2026), and
    whether it was written year first, as the statement asks."""
    found: dict[date, bool] = {}
    for text in [*texts, " ".join(texts)]:
        for match in _DATE.finditer(unicodedata.normalize("NFKC", text)):
            written = _as_digits(match.group())
            year_first = bool(re.match(r"\d{4}", written))
            reading = parse_date(written)
            days = []
            if isinstance(reading, ParsedDate):
                days = [reading.value]
            elif isinstance(reading, AmbiguousDate):
                days = [reading.day_first, reading.month_first]
            for day in days:
                found[day] = found.get(day, False) or year_first
    return found


def word_written(texts: Sequence[str], word: str, max_edits: int) -> bool:
    """Whether `word` is in the texts, in any capitals, `max_edits` letters off at most."""
    target = word.casefold()
    for text in [*texts, "".join(texts)]:
        plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()
        for size in range(max(1, len(target) - max_edits), len(target) + max_edits + 1):
            for start in range(max(0, len(plain) - size) + 1):
                if damerau_levenshtein(plain[start : start + size], target) <= max_edits:
                    return True
    return False


def statement_result(texts: Sequence[str], word: str, today: date) -> CheckResult:
    """doc.statement for the texts read on a photo."""
    rules = load_ocr()
    expected = statement_text_date(today)
    limit = f"{expected} {word}"
    advice = rules.advice["statement-check"]
    if not any(t.strip() for t in texts):
        message = "Text not legible: no writing found; check by eye that the paper is readable."
        return CheckResult(ID, Status.WARN, None, limit, message, advice)
    dates = dates_written(texts)
    has_word = word_written(texts, word, rules.statement_word_max_edits.value)
    if dates.get(today) and has_word:
        message = f'Today\'s date and "{word}" are on the paper.'
        return CheckResult(ID, Status.PASS, None, limit, message)
    unread = []
    if not dates:
        unread.append(f"today's date ({expected})")
    if not has_word:
        unread.append(f'the word "{word}"')
    sentences = [f"Could not read {' or '.join(unread)} on the paper."] if unread else []
    if dates and today not in dates:
        sentences.append(f"The date read is not today's ({expected}).")
    elif today in dates and not dates[today]:
        sentences.append(f"Today's date is there, but not as year/month/day: write {expected}.")
    message = " ".join(sentences) + " Check it by eye: handwriting is hard to read."
    return CheckResult(ID, Status.WARN, None, limit, message, advice)


def statement_photo_checks(
    photo: Photo, path: Path, exchange: ExchangeRules, limits: PhotoLimits, today: date
) -> list[CheckResult]:
    """doc.statement for a selfie with the document, where the exchange asks for a handheld
    statement (ocr.toml statement_kinds); [] otherwise. `today` is the user's local date.
    Needs the `ocr` extra (see ocr_engine.ocr_skips)."""
    del limits  # accepted for the runner's uniform call; the OCR's sizes are in ocr.toml
    if "doc.statement" not in ocr_check_ids(photo.kind, exchange) or not exchange.statement_word:
        return []
    rules = load_ocr()
    try:
        image = open_for_ocr(path, rules.read_long_side.value, photo.format)
        engine = ocr_engine()
        quads = engine.detect(image, rules.retry_detect_long_side.value)
        texts = [engine.recognise(straighten(image, measure(q))).text for q in quads]
    except Exception as exc:  # a changed file, or anything the OCR libraries raise
        # A check that could not run is a fail saying why (DESIGN.md); never the path.
        message = f"The photo could not be read for the statement ({type(exc).__name__})."
        return [CheckResult(ID, Status.FAIL, None, None, message, "Check the photo again.")]
    return [statement_result(texts, exchange.statement_word.value, today)]
