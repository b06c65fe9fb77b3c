"""Reads an `[advice.<key>]` table of fixes, each with its source, for a knowledge loader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kyctui.knowledge.loader import KnowledgeError


def read_advice(file: str, data: dict[str, Any], keys: Iterable[str]) -> dict[str, tuple[str, str]]:
    """key → (fix, source) for every key; a missing or empty text fails naming file and key."""
    table = data.get("advice")
    if not isinstance(table, dict):
        raise KnowledgeError(f"{file}: key 'advice' must be a table")
    out = {}
    for key in keys:
        entry = table.get(key)
        texts = {f: entry.get(f) if isinstance(entry, dict) else None for f in ("fix", "source")}
        for field, value in texts.items():
            if not isinstance(value, str) or not value.strip():
                problem = "must be a non-empty string"
                raise KnowledgeError(f"{file}: key 'advice.{key}.{field}' {problem}")
        out[key] = (str(texts["fix"]).strip(), str(texts["source"]).strip())
    return out
