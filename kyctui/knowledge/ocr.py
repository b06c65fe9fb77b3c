"""The OCR checks' rules (ocr.toml): which photos are read, sizes, look-alikes and advice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kyctui.knowledge.advice_table import read_advice
from kyctui.knowledge.loader import KnowledgeError, parse_toml, sourced
from kyctui.knowledge.model import PHOTO_KINDS, Sourced
from kyctui.locations import knowledge_dir

FILE = "ocr.toml"
ADVICE_KEYS = ("not-legible", "mrz-not-found", "mrz-digits", "statement-check")


@dataclass(frozen=True)
class OcrRules:
    """Everything in ocr.toml."""

    install_command: Sourced[str]
    mrz_kinds: Sourced[tuple[str, ...]]
    mrz_required_kinds: Sourced[tuple[str, ...]]  # kinds that always carry a zone
    statement_kinds: Sourced[tuple[str, ...]]
    read_long_side: Sourced[int]
    detect_long_side: Sourced[int]
    retry_detect_long_side: Sourced[int]
    line_min_aspect: Sourced[float]
    line_length_tolerance: Sourced[float]
    max_filler_fixes: Sourced[int]
    digit_lookalikes: Sourced[dict[str, str]]  # letter read → the digit it stands for
    letter_lookalikes: Sourced[dict[str, str]]  # digit read → the letter it stands for
    filler_lookalikes: Sourced[tuple[str, ...]]
    filler_run_lookalikes: Sourced[tuple[str, ...]]  # read for '<' inside runs of fillers
    name_min_score: Sourced[float]  # below it, a name that differs is only a warning
    statement_word_max_edits: Sourced[int]
    advice: dict[str, str]  # key → fix text (sources are in the file)


def _pairs(file: str, data: dict[str, Any], key: str) -> Sourced[dict[str, str]]:
    raw = sourced(file, data, key, tuple)
    if not all(len(pair) == 2 for pair in raw.value):
        raise KnowledgeError(f"{file}: key '{key}.value' must list pairs of characters")
    return Sourced({pair[0]: pair[1] for pair in raw.value}, raw.source)


def _kinds(file: str, data: dict[str, Any], key: str) -> Sourced[tuple[str, ...]]:
    kinds = sourced(file, data, key, tuple)
    unknown = [k for k in kinds.value if k not in PHOTO_KINDS]
    if unknown:
        raise KnowledgeError(f"{file}: key '{key}.value' names unknown photo kind '{unknown[0]}'")
    return kinds


def _positive(file: str, entry: Sourced[Any], key: str) -> None:
    if entry.value <= 0:
        raise KnowledgeError(f"{file}: key '{key}.value' must be above 0")


def _advice(file: str, data: dict[str, Any]) -> dict[str, str]:
    return {k: fix for k, (fix, _source) in read_advice(file, data, ADVICE_KEYS).items()}


def parse_ocr(file: str, text: str) -> OcrRules:
    """Parse ocr.toml; `file` names it in errors."""
    data = parse_toml(file, text)
    rules = OcrRules(
        install_command=sourced(file, data, "install_command", str),
        mrz_kinds=_kinds(file, data, "mrz_kinds"),
        mrz_required_kinds=_kinds(file, data, "mrz_required_kinds"),
        statement_kinds=_kinds(file, data, "statement_kinds"),
        read_long_side=sourced(file, data, "read_long_side", int),
        detect_long_side=sourced(file, data, "detect_long_side", int),
        retry_detect_long_side=sourced(file, data, "retry_detect_long_side", int),
        line_min_aspect=sourced(file, data, "line_min_aspect", float),
        line_length_tolerance=sourced(file, data, "line_length_tolerance", float),
        max_filler_fixes=sourced(file, data, "max_filler_fixes", int),
        digit_lookalikes=_pairs(file, data, "digit_lookalikes"),
        letter_lookalikes=_pairs(file, data, "letter_lookalikes"),
        filler_lookalikes=sourced(file, data, "filler_lookalikes", tuple),
        filler_run_lookalikes=sourced(file, data, "filler_run_lookalikes", tuple),
        name_min_score=sourced(file, data, "name_min_score", float),
        statement_word_max_edits=sourced(file, data, "statement_word_max_edits", int),
        advice=_advice(file, data),
    )
    for key in ("read_long_side", "detect_long_side", "retry_detect_long_side", "line_min_aspect"):
        _positive(file, getattr(rules, key), key)
    for key in ("detect_long_side", "retry_detect_long_side"):
        if getattr(rules, key).value > rules.read_long_side.value:
            raise KnowledgeError(f"{file}: key '{key}.value' must not exceed read_long_side")
    return rules


@cache
def load_ocr() -> OcrRules:
    """The packaged OCR rules."""
    return parse_ocr(FILE, (knowledge_dir() / FILE).read_text(encoding="utf-8"))
