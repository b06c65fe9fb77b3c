"""The document framing checks' rules (framing.toml): proportions, margins, angles, advice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kyctui.knowledge.advice_table import read_advice
from kyctui.knowledge.loader import KnowledgeError, parse_toml, sourced
from kyctui.knowledge.model import PHOTO_KINDS, Sourced
from kyctui.locations import knowledge_dir

FILE = "framing.toml"
SHAPES = ("id", "passport")  # aspects.<shape>: passport for the passport kind, id for the rest
ADVICE_KEYS = ("bounds", "edge", "tilt", "rotation", "unlocated")
_FLOATS = ("margin_warn", "outside_fail", "tilt_warn", "tilt_fail", "rotation_warn",
           "rotation_fail", "focal_default_35mm", "min_area", "min_fill", "min_support",
           "min_side_support", "step_min", "aspect_tolerance", "max_skew")  # fmt: skip


@dataclass(frozen=True)
class Advice:
    """The fix shown with one outcome of the framing checks."""

    fix: str
    source: str


@dataclass(frozen=True)
class FramingRules:
    """Everything in framing.toml."""

    kinds: Sourced[tuple[str, ...]]
    aspects: dict[str, Sourced[tuple[float, ...]]]  # shape (SHAPES) -> long side / short side
    margin_warn: Sourced[float]  # share of the picture's width or height
    outside_fail: Sourced[float]
    tilt_warn: Sourced[float]  # degrees
    tilt_fail: Sourced[float]
    rotation_warn: Sourced[float]
    rotation_fail: Sourced[float]
    focal_default_35mm: Sourced[float]
    focal_range_35mm: Sourced[tuple[float, ...]]  # (shortest, longest)
    min_area: Sourced[float]
    min_fill: Sourced[float]
    min_support: Sourced[float]
    min_side_support: Sourced[float]
    step_min: Sourced[float]
    aspect_tolerance: Sourced[float]
    max_skew: Sourced[float]
    advice: dict[str, Advice]

    def aspects_for(self, kind: str) -> tuple[float, ...]:
        """The proportions a document of this photo kind may have."""
        return self.aspects["passport" if kind == "passport" else "id"].value


def _numbers(
    file: str, table: dict[str, Any], key: str, where: str = ""
) -> Sourced[tuple[float, ...]]:
    entry = table.get(key)
    if not isinstance(entry, dict):
        raise KnowledgeError(
            f"{file}: key '{where}{key}' must be a table with 'value' and 'source'"
        )
    value, source = entry.get("value"), entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise KnowledgeError(
            f"{file}: key '{where}{key}.source' must say where the rule comes from"
        )
    numbers = value if isinstance(value, list) else []
    ok = all(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in numbers)
    if not numbers or not ok:
        raise KnowledgeError(f"{file}: key '{where}{key}.value' must be a list of positive numbers")
    return Sourced(tuple(float(v) for v in numbers), source)


def _advice(file: str, data: dict[str, Any]) -> dict[str, Advice]:
    return {k: Advice(*texts) for k, texts in read_advice(file, data, ADVICE_KEYS).items()}


def _check_order(file: str, rules: FramingRules) -> None:
    for low, high in (("tilt_warn", "tilt_fail"), ("rotation_warn", "rotation_fail")):
        if getattr(rules, low).value >= getattr(rules, high).value:
            raise KnowledgeError(f"{file}: key '{low}.value' must be below '{high}.value'")
    lens = rules.focal_range_35mm.value
    if len(lens) != 2 or not lens[0] <= rules.focal_default_35mm.value <= lens[1]:
        problem = "must be [shortest, longest] around focal_default_35mm"
        raise KnowledgeError(f"{file}: key 'focal_range_35mm.value' {problem}")
    for kind in rules.kinds.value:
        if kind not in PHOTO_KINDS:
            raise KnowledgeError(f"{file}: key 'kinds.value' names unknown photo kind '{kind}'")


def parse_framing(file: str, text: str) -> FramingRules:
    """Parse framing.toml; `file` names it in errors."""
    data = parse_toml(file, text)
    aspects = data.get("aspects")
    if not isinstance(aspects, dict):
        raise KnowledgeError(f"{file}: key 'aspects' must be a table")
    floats = {key: sourced(file, data, key, float) for key in _FLOATS}
    for key, rule in floats.items():
        if rule.value <= 0:
            raise KnowledgeError(f"{file}: key '{key}.value' must be positive")
    rules = FramingRules(
        kinds=sourced(file, data, "kinds", tuple),
        aspects={s: _numbers(file, aspects, s, "aspects.") for s in SHAPES},
        focal_range_35mm=_numbers(file, data, "focal_range_35mm"),
        advice=_advice(file, data),
        **floats,
    )
    _check_order(file, rules)
    return rules


@cache
def load_framing() -> FramingRules:
    """The packaged framing rules."""
    return parse_framing(FILE, (knowledge_dir() / FILE).read_text(encoding="utf-8"))
