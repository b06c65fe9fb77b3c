"""Turns recognised MRZ lines into a zone: look-alikes corrected by position, runs of fillers
counted to the line's width, then single misreads undone where a check digit proves them."""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence

from kyctui.domain.identity.mrz import Cell, Mrz, MrzFormatError, read_mrz
from kyctui.domain.identity.mrz_checks import corrections
from kyctui.domain.identity.mrz_fields import ALPHABET, LAYOUTS, Layout, Span
from kyctui.knowledge.ocr import OcrRules, load_ocr

_MAX_VARIANTS = 64  # combinations of filler counts tried per zone
# A run of this many look-alikes at the start of the names' trailing fillers is fillers too:
# no name ends in CCC or KKK.
_TAIL_RUN = 3


def clean(text: str, confs: Sequence[float], rules: OcrRules) -> tuple[str, list[float]]:
    """Upper case, filler look-alikes made '<', anything else outside the MRZ alphabet (a
    space, a speck read as '.') dropped; each kept character keeps its confidence."""
    chars, kept = [], []
    for char, conf in zip(text, confs, strict=True):
        for c in unicodedata.normalize("NFKC", char):
            c = "<" if c in rules.filler_lookalikes.value else c.upper()
            if c in ALPHABET:
                chars.append(c)
                kept.append(conf)
    return "".join(chars), kept


def _runs(line: str) -> list[tuple[int, int]]:
    """(start, length) of each run of two or more fillers."""
    return [(m.start(), len(m.group())) for m in re.finditer("<{2,}", line)]


def _spread(total: int, slots: int) -> Iterator[tuple[int, ...]]:
    """Every way of splitting `total` into `slots` non-negative parts."""
    for cuts in itertools.combinations_with_replacement(range(slots), total):
        yield tuple(cuts.count(s) for s in range(slots))


def fit_width(line: str, width: int, names_line: bool, max_fixes: int) -> list[str]:
    """The line with its filler runs lengthened or shortened to `width` characters: the
    recognizer miscounts long runs of '<'. A names line keeps its trailing run for that."""
    missing = width - len(line)
    if missing == 0:
        return [line]
    runs = _runs(line)
    if abs(missing) > max_fixes or not runs:
        return []
    if names_line and line.endswith("<"):
        runs = runs[-1:]
    variants = []
    for parts in _spread(abs(missing), len(runs)):
        lengths = [length for _, length in runs]
        if missing < 0 and any(extra >= n for n, extra in zip(lengths, parts, strict=True)):
            continue  # a run shortened away entirely
        out, pos = [], 0
        for (start, length), extra in zip(runs, parts, strict=True):
            out.append(line[pos:start] + "<" * (length + extra if missing > 0 else length - extra))
            pos = start + length
        variants.append("".join(out) + line[pos:])
    return variants


def _cells(spans: Sequence[Span | None]) -> set[Cell]:
    return {(s.line, c) for s in spans if s is not None for c in range(s.start, s.end)}


def _classes(lay: Layout) -> tuple[set[Cell], set[Cell]]:
    """Cells holding digits only, and cells holding letters only (ICAO 9303 parts 4-6)."""
    digits = _cells((lay.birth_date, lay.expiry_date, lay.number_digit, lay.birth_digit,
                     lay.expiry_digit, lay.optional_digit, lay.composite_digit))  # fmt: skip
    letters = _cells((lay.document_code, lay.issuing_state, lay.nationality, lay.names, lay.sex))
    return digits, letters


def _names_tail(field: str, lookalikes: str) -> str:
    """The names field with look-alikes among its trailing fillers made '<'. A short run of
    them where the tail starts is a name's end (ERIC<<<) and is kept."""
    start = len(field)
    while start > 0 and (field[start - 1] == "<" or field[start - 1] in lookalikes):
        start -= 1
    letters = len(field[start:]) - len(field[start:].lstrip(lookalikes))
    if letters < _TAIL_RUN:
        start += letters
    return field[:start] + "<" * (len(field) - start)


def by_position(lines: Sequence[str], lay: Layout, rules: OcrRules) -> list[str]:
    """Look-alikes corrected by what each cell may hold: O→0 in a date, 0→O in a name, a K or C
    among fillers → '<'."""
    digits, letters = _classes(lay)
    to_digit, to_letter = rules.digit_lookalikes.value, rules.letter_lookalikes.value
    fillers = "".join(rules.filler_run_lookalikes.value)
    names = lay.names
    out = []
    for n, line in enumerate(lines):
        chars = list(line)
        for i, char in enumerate(chars):
            if (n, i) in digits:
                chars[i] = "<" if char in fillers else to_digit.get(char, char)
            elif (n, i) in letters:
                chars[i] = to_letter.get(char, char)
        text = "".join(chars)
        if n == names.line:
            tail = _names_tail(text[names.start : names.end], fillers)
            text = text[: names.start] + tail + text[names.end :]
        chars = list(text)
        # One or two look-alikes between fillers (or before the line's end) are fillers.
        for match in re.finditer(f"(?<=<)[{re.escape(fillers)}]{{1,2}}(?=<|$)", text):
            if n != names.line or not names.start <= match.start() < names.end:
                chars[match.start() : match.end()] = "<" * len(match.group())
        out.append("".join(chars))
    return out


def _aligned(raw: str, confs: list[float], fixed: str) -> list[float]:
    """The confidence of each character of `fixed`, carried over from the `raw` reading it was
    made from (1.0 for a filler added to a run)."""
    out = [1.0] * len(fixed)
    matcher = difflib.SequenceMatcher(None, raw, fixed, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out[j1:j2] = confs[i1:i2]
    return out


def _swap(lines: Sequence[str], cell: Cell, char: str) -> list[str]:
    out = list(lines)
    line, column = cell
    out[line] = out[line][:column] + char + out[line][column + 1 :]
    return out


def digits_right(mrz: Mrz) -> int:
    """How many of the zone's check digits are right."""
    return sum(check.ok for check in mrz.digits)


def _proven(mrz: Mrz, confs: list[list[float]]) -> Mrz:
    """Undo single look-alike misreads that failing check digits point to. Several swaps often
    satisfy the same digits; the one on the character read with the least confidence wins,
    when it is clearly the least."""
    for check in mrz.digits:
        if check.ok or (check.field == "composite" and digits_right(mrz) < len(mrz.digits) - 1):
            continue
        options = []
        for fix in corrections(mrz, check, limit=20):
            option = read_mrz(_swap(mrz.lines, fix.cell, fix.replacement))
            options.append((digits_right(option), -confs[fix.cell[0]][fix.cell[1]], option))
        if not options:
            continue
        options.sort(key=lambda o: o[:2], reverse=True)
        top = options[0]
        if top[0] > digits_right(mrz) and (len(options) == 1 or top[:2] != options[1][:2]):
            mrz = top[2]
    return mrz


def _layouts(lines: Sequence[str]) -> list[Layout]:
    if len(lines) == 3:
        return [LAYOUTS[(3, 30)]]
    if len(lines) != 2:
        return []
    longest = max(len(line) for line in lines)
    return sorted((LAYOUTS[(2, 44)], LAYOUTS[(2, 36)]), key=lambda lay: abs(lay.width - longest))


def repair(
    texts: Sequence[str],
    confidences: Sequence[Sequence[float]] | None = None,
    rules: OcrRules | None = None,
) -> Mrz | None:
    """The zone best explained by the recognised lines, in order (most check digits right), or
    None when they cannot be made into one. `confidences` are per character of each text."""
    rules = rules or load_ocr()
    confs_in = confidences or [[1.0] * len(t) for t in texts]
    cleaned = [clean(t, c, rules) for t, c in zip(texts, confs_in, strict=True)]
    lines = [line for line, _ in cleaned]
    best: Mrz | None = None
    for lay in _layouts(lines):
        fits = [
            fit_width(line, lay.width, n == lay.names.line, rules.max_filler_fixes.value)
            for n, line in enumerate(lines)
        ]
        for combo in itertools.islice(itertools.product(*fits), _MAX_VARIANTS):
            fixed = by_position(combo, lay, rules)
            try:
                mrz = read_mrz(fixed)
            except MrzFormatError:
                continue
            confs = [_aligned(raw, c, f) for (raw, c), f in zip(cleaned, fixed, strict=True)]
            mrz = _proven(mrz, confs)
            if best is None or digits_right(mrz) > digits_right(best):
                best = mrz
            if digits_right(best) == len(best.digits):
                return best
    return best
