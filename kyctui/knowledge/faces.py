"""The face checks' rules (faces.toml): limits on the face's share of the photo, and advice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kyctui.knowledge.identity import Advice
from kyctui.knowledge.loader import KnowledgeError, parse_toml, sourced
from kyctui.knowledge.model import Sourced
from kyctui.locations import knowledge_dir

FILE = "faces.toml"
ADVICE_KEYS = ("face-missing", "other-person", "background-face", "too-far", "too-close",
               "id-portrait-missing", "doc-portrait-missing", "doc-face-too-large",
               "sideways")  # fmt: skip
# Shares and ratios: a fraction strictly between 0 and 1 (a share of 1 is a face that is the
# whole photo, which no detector box can be).
_FRACTIONS = ("selfie_share_min", "selfie_share_max", "similar_face_area", "portrait_share_max")


@dataclass(frozen=True)
class FaceRules:
    """Everything in faces.toml."""

    selfie_share_min: Sourced[float]  # the face's share of a selfie, at least
    selfie_share_max: Sourced[float]  # and at most
    similar_face_area: Sourced[float]  # another face this share of the largest one's area: a person
    confident_score: Sourced[float]  # the score a face needs unless the largest, upright
    portrait_share_max: Sourced[float]  # a document's portrait is at most this share of the photo
    advice: dict[str, Advice]


def _advice(file: str, data: dict[str, Any], key: str) -> Advice:
    table = data.get("advice", {}).get(key) if isinstance(data.get("advice"), dict) else None
    if not isinstance(table, dict):
        raise KnowledgeError(f"{file}: key 'advice.{key}' must be a table with 'fix' and 'source'")
    for field in ("fix", "source"):
        value = table.get(field)
        if not isinstance(value, str) or not value.strip() or "\n" in value:
            raise KnowledgeError(f"{file}: key 'advice.{key}.{field}' must be a one-line string")
    return Advice(table["fix"], table["source"])


def parse_faces(file: str, text: str) -> FaceRules:
    """Parse faces.toml; `file` names it in errors."""
    data = parse_toml(file, text)
    keys = (*_FRACTIONS, "confident_score")
    values = {key: sourced(file, data, key, float) for key in keys}
    for key in _FRACTIONS:
        if not 0.0 < values[key].value < 1.0:
            raise KnowledgeError(f"{file}: key '{key}.value' must be between 0 and 1")
    if values["selfie_share_min"].value >= values["selfie_share_max"].value:
        raise KnowledgeError(f"{file}: key 'selfie_share_min.value' must be below selfie_share_max")
    return FaceRules(
        selfie_share_min=values["selfie_share_min"],
        selfie_share_max=values["selfie_share_max"],
        similar_face_area=values["similar_face_area"],
        confident_score=values["confident_score"],
        portrait_share_max=values["portrait_share_max"],
        advice={key: _advice(file, data, key) for key in ADVICE_KEYS},
    )


@cache
def load_faces() -> FaceRules:
    """The packaged face rules."""
    return parse_faces(FILE, (knowledge_dir() / FILE).read_text(encoding="utf-8"))
