"""The photo-provenance rules (editors.toml): editors' metadata signatures, screen sizes and
screenshot file names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from kyctui.knowledge.loader import KnowledgeError, parse_toml
from kyctui.locations import knowledge_dir

FILE = "editors.toml"


@dataclass(frozen=True)
class Editor:
    """A photo editor and how it names itself in metadata."""

    name: str
    pattern: re.Pattern[str]
    source: str


@dataclass(frozen=True)
class Signatures:
    """The contents of editors.toml."""

    editors: tuple[Editor, ...]
    screens: frozenset[tuple[int, int]]
    screenshot_names: tuple[str, ...]


_KINDS: dict[type, str] = {str: "string", list: "list of strings", dict: "table"}


def _get(file: str, table: dict[str, Any], key: str, kind: type) -> Any:
    """table[last part of key], checked to be a non-empty `kind`; `key` is the dotted path."""
    value = table.get(key.rsplit(".", 1)[-1])
    ok = isinstance(value, kind) and bool(value)
    if isinstance(value, list):
        ok = ok and all(isinstance(v, str) for v in value)
    if not ok:
        raise KnowledgeError(f"{file}: key '{key}' must be a non-empty {_KINDS[kind]}")
    return value


def parse_signatures(file: str, text: str) -> Signatures:
    """Parse editors.toml; `file` names it in errors."""
    data = parse_toml(file, text)
    entries: Any = data.get("editor")
    if not isinstance(entries, list) or not entries or not all(type(e) is dict for e in entries):
        raise KnowledgeError(f"{file}: key 'editor' must be a list of [[editor]] tables")
    editors = []
    for i, entry in enumerate(entries):
        name, source = (_get(file, entry, f"editor[{i}].{k}", str) for k in ("name", "source"))
        patterns = _get(file, entry, f"editor[{i}].patterns", list)
        # A pattern must start a word, so "canva" does not fire inside a firmware build id.
        alternatives = "|".join(re.escape(p.casefold()) for p in patterns)
        editors.append(Editor(name, re.compile(f"(?<![a-z0-9])(?:{alternatives})"), source))
    screens: set[tuple[int, int]] = set()
    table = _get(file, data, "screens", dict)
    _get(file, table, "screens.source", str)
    for size in _get(file, table, "screens.sizes", list):
        match = re.fullmatch(r"([1-9]\d*)x([1-9]\d*)", size)
        if not match:
            raise KnowledgeError(f"{file}: key 'screens.sizes' entry '{size}' must be WIDTHxHEIGHT")
        w, h = int(match[1]), int(match[2])
        screens |= {(w, h), (h, w)}  # a screenshot may be taken in either orientation
    table = _get(file, data, "screenshot_names", dict)
    _get(file, table, "screenshot_names.source", str)
    names = _get(file, table, "screenshot_names.patterns", list)
    folded = tuple(unicodedata.normalize("NFC", n).casefold() for n in names)
    return Signatures(tuple(editors), frozenset(screens), folded)


@cache
def load_signatures() -> Signatures:
    """The editor signatures, screen sizes and screenshot names of editors.toml."""
    text = (knowledge_dir() / FILE).read_text("utf-8")
    return parse_signatures(FILE, text)
