"""Rejection reasons (rejections.toml): each exchange's catalog, with fixes and items to redo."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from kyctui.knowledge.checklist import load_checklist
from kyctui.knowledge.loader import KnowledgeError, load_exchanges
from kyctui.knowledge.tables import Table, entries
from kyctui.locations import knowledge_dir

FILE = "rejections.toml"
CATEGORIES = ("photo", "document", "identity", "technical", "review")
_KEYS = ("id", "category", "title", "wording", "source", "fixes", "reopens", "exchanges")


@dataclass(frozen=True)
class RejectionReason:
    """One reason an exchange gives, as it applies to one exchange."""

    id: str
    category: str  # one of CATEGORIES
    title: str
    wording: str  # the exchange's own phrase; "" when the seeds give none
    source: str
    fixes: tuple[str, ...]
    reopens: tuple[str, ...]  # checklist item ids to redo


@dataclass(frozen=True)
class RejectionCatalog:
    """The reasons one exchange is known to give, in the file's order."""

    exchange: str
    reasons: tuple[RejectionReason, ...]

    def get(self, reason_id: str) -> RejectionReason | None:
        """The reason with this id, or None (a free-text or unknown reason)."""
        return next((r for r in self.reasons if r.id == reason_id), None)

    def in_category(self, category: str) -> tuple[RejectionReason, ...]:
        """The reasons of one category."""
        return tuple(r for r in self.reasons if r.category == category)


def _lines(table: Table, key: str, allowed: Collection[str] | None) -> tuple[str, ...]:
    values = table.names(key, allowed)
    if not values:
        table.fail(key, "must list at least one entry")
    for value in values:
        if not value.strip() or "\n" in value:
            table.fail(key, "must hold non-empty, one-line texts")
    return values


def _wording(table: Table, exchanges: tuple[str, ...]) -> dict[str, str]:
    raw = table.data.get("wording", {})
    if not isinstance(raw, dict):
        table.fail("wording", "must be a table of exchange id = phrase")
    for exchange, phrase in raw.items():
        if exchange not in exchanges:
            table.fail("wording", f"names exchange '{exchange}' outside the reason's catalogs")
        if not isinstance(phrase, str) or not phrase.strip() or "\n" in phrase:
            table.fail(f"wording.{exchange}", "must be a non-empty, one-line string")
    return {k: v.strip() for k, v in raw.items()}


def parse_rejections(
    file: str, text: str, exchanges: Collection[str], item_ids: Collection[str] | None = None
) -> dict[str, RejectionCatalog]:
    """Parse a rejections file into one catalog per exchange; `file` names it in errors.

    `exchanges` are the known exchange ids; `item_ids`, when given, the checklist item ids that
    `reopens` may name.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{file}: not valid TOML ({exc})") from None
    known = tuple(exchanges)
    per_exchange: dict[str, list[RejectionReason]] = {e: [] for e in known}
    for ident, t in entries(file, data, "reason", _KEYS):
        category = t.text("category")
        if category not in CATEGORIES:
            t.fail("category", f"must be one of {', '.join(CATEGORIES)}")
        scope = t.names("exchanges", known) or known
        wording = _wording(t, scope)
        title, source = t.text("title"), t.text("source")
        fixes, reopens = _lines(t, "fixes", None), _lines(t, "reopens", item_ids)
        for exchange in scope:
            reason = RejectionReason(
                ident, category, title, wording.get(exchange, ""), source, fixes, reopens
            )
            per_exchange[exchange].append(reason)
    return {e: RejectionCatalog(e, tuple(reasons)) for e, reasons in per_exchange.items()}


@cache
def load_rejections() -> dict[str, RejectionCatalog]:
    """Every exchange's catalog, checked against the known exchanges and checklist items."""
    text = (knowledge_dir() / FILE).read_text(encoding="utf-8")
    item_ids = tuple(item.id for item in load_checklist().items)
    return parse_rejections(FILE, text, tuple(load_exchanges()), item_ids)


def rejection_catalog(exchange_id: str) -> RejectionCatalog:
    """One exchange's catalog; KeyError names the known ids."""
    catalogs = load_rejections()
    if exchange_id not in catalogs:
        raise KeyError(f"unknown exchange '{exchange_id}' (known: {', '.join(catalogs)})")
    return catalogs[exchange_id]
