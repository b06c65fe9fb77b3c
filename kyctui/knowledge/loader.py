"""Reads the TOML knowledge files; a malformed file fails here, naming the file and the key."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from functools import cache
from typing import Any

from kyctui.knowledge.model import ExchangeRules, PhotoLimits, Sourced
from kyctui.locations import knowledge_dir


class KnowledgeError(ValueError):
    """A knowledge file is missing, not TOML, or has a missing or mistyped key."""


def parse_toml(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{name}: not valid TOML ({exc})") from None


def sourced(file: str, table: dict[str, Any], key: str, kind: type) -> Sourced[Any]:
    entry = table.get(key)
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{file}: key '{key}' must be a table with 'value' and 'source'")
    value, source = entry.get("value"), entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise KnowledgeError(f"{file}: key '{key}.source' must say where the rule comes from")
    if kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise KnowledgeError(f"{file}: key '{key}.value' must be a list of strings")
        return Sourced(tuple(value), source)
    # bool is an int in Python: keep the two apart so `true` is never read as a limit of 1.
    ok = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise KnowledgeError(f"{file}: key '{key}.value' must be {kind.__name__}")
    return Sourced(value, source)


def _plain(file: str, table: dict[str, Any], key: str, kind: type) -> Any:
    value = table.get(key)
    if kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise KnowledgeError(f"{file}: key '{key}' must be a list of strings")
        return tuple(value)
    if not isinstance(value, kind):
        raise KnowledgeError(f"{file}: key '{key}' must be {kind.__name__}")
    return value


def parse_exchange(file: str, text: str) -> ExchangeRules:
    """Parse one exchange file; `file` names it in errors."""
    data = parse_toml(file, text)
    formats_table = data.get("formats")
    if not isinstance(formats_table, dict):
        raise KnowledgeError(f"{file}: key 'formats' must be a table")
    formats = {g: sourced(file, formats_table, g, tuple) for g in ("identity", "address-proof")}
    word = sourced(file, data, "statement_word", str) if "statement_word" in data else None
    return ExchangeRules(
        id=_plain(file, data, "id", str),
        name=_plain(file, data, "name", str),
        levels=_plain(file, data, "levels", tuple),
        verification_host=_plain(file, data, "verification_host", str),
        document_types=sourced(file, data, "document_types", tuple),
        formats=formats,
        max_upload_bytes=sourced(file, data, "max_upload_bytes", int),
        colour_required=sourced(file, data, "colour_required", bool),
        screenshot_fails=sourced(file, data, "screenshot_fails", tuple),
        statement_required=sourced(file, data, "statement_required", bool),
        statement_word=word,
        address_proof_max_age_days=sourced(file, data, "address_proof_max_age_days", int),
    )


def parse_photo_limits(file: str, text: str) -> PhotoLimits:
    """Parse the photo limits file; `file` names it in errors."""
    data = parse_toml(file, text)
    kinds = {"int": int, "float": float}
    values = {}
    for f in fields(PhotoLimits):
        inner = str(f.type).removeprefix("Sourced[").removesuffix("]")
        values[f.name] = sourced(file, data, f.name, kinds[inner])
    return PhotoLimits(**values)


@cache
def load_exchanges() -> dict[str, ExchangeRules]:
    """Every exchange file, by id. Adding an exchange means adding a file."""
    result: dict[str, ExchangeRules] = {}
    for entry in sorted((knowledge_dir() / "exchanges").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            rules = parse_exchange(entry.name, entry.read_text(encoding="utf-8"))
            if rules.id != entry.name.removesuffix(".toml"):
                raise KnowledgeError(f"{entry.name}: key 'id' must match the file name")
            result[rules.id] = rules
    return result


def load_exchange(exchange_id: str) -> ExchangeRules:
    """One exchange's rules; KeyError names the known ids."""
    exchanges = load_exchanges()
    if exchange_id not in exchanges:
        raise KeyError(f"unknown exchange '{exchange_id}' (known: {', '.join(exchanges)})")
    return exchanges[exchange_id]


@cache
def load_photo_limits() -> PhotoLimits:
    """The photo check limits."""
    name = "photo_checks.toml"
    return parse_photo_limits(name, (knowledge_dir() / name).read_text(encoding="utf-8"))
