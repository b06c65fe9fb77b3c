"""Typed getters over the tables of a knowledge file, whose errors name the file, the entry and
the key."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NoReturn

from kyctui.knowledge.loader import KnowledgeError


class Table:
    """One TOML table with typed getters whose errors name the file, the entry and the key."""

    def __init__(self, file: str, where: str, data: dict[str, Any], keys: Collection[str]) -> None:
        self.file, self.where, self.data = file, where, data
        # Unknown keys are errors: a misspelt "level" would otherwise silently mean "all levels".
        for key in data:
            if key not in keys:
                self.fail(key, f"is not a known key (known: {', '.join(keys)})")

    def fail(self, key: str, problem: str) -> NoReturn:
        raise KnowledgeError(f"{self.file}: {self.where}: key '{key}' {problem}")

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a non-empty string")
        if "\n" in value:
            self.fail(key, "must be one line")
        return value.strip()

    def names(self, key: str, allowed: Collection[str] | None) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, "must be a list of strings")
        for name in value:
            if allowed is not None and name not in allowed:
                self.fail(key, f"names unknown '{name}' (known: {', '.join(allowed)})")
        return tuple(value)

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, "must be true or false")
        return value


def entries(
    file: str, data: dict[str, Any], key: str, keys: Collection[str], id_key: str = "id"
) -> list[tuple[str, Table]]:
    """The array's tables with their ids, rejecting duplicate ids."""
    array = data.get(key)
    if not isinstance(array, list) or not array or not all(isinstance(t, dict) for t in array):
        raise KnowledgeError(f"{file}: key '{key}' must be a non-empty array of tables [[{key}]]")
    result: list[tuple[str, Table]] = []
    for n, raw in enumerate(array, start=1):
        table = Table(file, f"{key} #{n}", raw, keys)
        ident = table.text(id_key)
        if any(ident == seen for seen, _ in result):
            table.fail(id_key, f"repeats '{ident}'")
        table.where = f"{key} '{ident}'"
        result.append((ident, table))
    return result
