"""The identity checks' rules (identity.toml): thresholds, name verdict texts and advice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kyctui.knowledge.loader import KnowledgeError, parse_toml, sourced
from kyctui.knowledge.model import Sourced
from kyctui.locations import knowledge_dir

FILE = "identity.toml"
# The kinds of name difference, mildest first; kyctui.domain.identity.names.NameVerdict matches.
NAME_VERDICTS = ("exact", "equivalent-formatting", "diacritics", "order", "missing-middle",
                 "initials", "typo", "different")  # fmt: skip
# What a name is compared with: the MRZ, the basic-level name, the proof of address.
NAME_CONTEXTS = ("mrz", "basic", "address")
STATUSES = ("pass", "warn", "fail")
ADVICE_KEYS = ("date-unreadable", "date-ambiguous", "date-impossible", "expired", "expiring",
               "address-old", "address-future", "under-age", "birth-implausible",
               "name-initials", "name-characters", "document-number", "mrz-check-digit",
               "mrz-field", "mrz-mismatch", "document-type", "statement-date",
               "statement-word")  # fmt: skip


@dataclass(frozen=True)
class NameVerdictText:
    """How one kind of name difference counts in each context, and what to say about it."""

    status: dict[str, str]  # context → "pass" | "warn" | "fail"
    message: str  # may hold {other} and {detail}
    fix: str
    source: str


@dataclass(frozen=True)
class Advice:
    """The fix shown with one kind of failed check."""

    fix: str
    source: str


@dataclass(frozen=True)
class IdentityRules:
    """Everything in identity.toml."""

    expiry_warn_days: Sourced[int]
    min_age_years: Sourced[int]
    max_age_years: Sourced[int]
    typo_max_distance: Sourced[int]
    address_age_warn_days: Sourced[int]
    full_name_on_address: Sourced[tuple[str, ...]]
    statement_date_format: Sourced[str]
    mrz_confusions: Sourced[tuple[str, ...]]
    statement_reminders: tuple[Sourced[str], ...]
    name_context: dict[str, str]
    name_verdicts: dict[str, NameVerdictText]
    advice: dict[str, Advice]


def _text(file: str, table: Any, where: str, key: str, empty_ok: bool = False) -> str:
    value = table.get(key) if isinstance(table, dict) else None
    if not isinstance(value, str) or (not empty_ok and not value.strip()):
        raise KnowledgeError(f"{file}: key '{where}{key}' must be a non-empty string")
    return value


def _table(file: str, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise KnowledgeError(f"{file}: key '{key}' must be a table")
    return value


def _verdict(file: str, where: str, entry: Any) -> NameVerdictText:
    status = entry.get("status") if isinstance(entry, dict) else None
    if not isinstance(status, dict) or set(status) != set(NAME_CONTEXTS):
        raise KnowledgeError(f"{file}: key '{where}status' must give {', '.join(NAME_CONTEXTS)}")
    for context, value in status.items():
        if value not in STATUSES:
            problem = "must be pass, warn or fail"
            raise KnowledgeError(f"{file}: key '{where}status.{context}' {problem}")
    return NameVerdictText(
        status=dict(status),
        message=_text(file, entry, where, "message"),
        fix=_text(file, entry, where, "fix", empty_ok=True),
        source=_text(file, entry, where, "source"),
    )


def parse_identity(file: str, text: str) -> IdentityRules:
    """Parse identity.toml; `file` names it in errors."""
    data = parse_toml(file, text)
    verdicts = _table(file, data, "name_verdict")
    advice = _table(file, data, "advice")
    contexts = _table(file, data, "name_context")
    confusions = sourced(file, data, "mrz_confusions", tuple)
    if not all(len(pair) == 2 for pair in confusions.value):
        raise KnowledgeError(f"{file}: key 'mrz_confusions.value' must list pairs of characters")
    reminders = data.get("statement_reminder")
    if not isinstance(reminders, list) or not reminders:
        raise KnowledgeError(f"{file}: key 'statement_reminder' must be a list of tables")
    return IdentityRules(
        expiry_warn_days=sourced(file, data, "expiry_warn_days", int),
        min_age_years=sourced(file, data, "min_age_years", int),
        max_age_years=sourced(file, data, "max_age_years", int),
        typo_max_distance=sourced(file, data, "typo_max_distance", int),
        address_age_warn_days=sourced(file, data, "address_age_warn_days", int),
        full_name_on_address=sourced(file, data, "full_name_on_address", tuple),
        statement_date_format=sourced(file, data, "statement_date_format", str),
        mrz_confusions=confusions,
        statement_reminders=tuple(
            Sourced(
                _text(file, r, f"statement_reminder[{i}].", "text"),
                _text(file, r, f"statement_reminder[{i}].", "source"),
            )
            for i, r in enumerate(reminders)
        ),
        name_context={c: _text(file, contexts, "name_context.", c) for c in NAME_CONTEXTS},
        name_verdicts={
            v: _verdict(file, f"name_verdict.{v}.", verdicts.get(v)) for v in NAME_VERDICTS
        },
        advice={
            k: Advice(
                _text(file, advice.get(k), f"advice.{k}.", "fix"),
                _text(file, advice.get(k), f"advice.{k}.", "source"),
            )
            for k in ADVICE_KEYS
        },
    )


@cache
def load_identity() -> IdentityRules:
    """The packaged identity rules."""
    return parse_identity(FILE, (knowledge_dir() / FILE).read_text(encoding="utf-8"))
