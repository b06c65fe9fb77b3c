"""The wizard's checklist (checklist.toml), and the steps planned for one attempt."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from kyctui.knowledge.loader import KnowledgeError, load_exchanges, parse_toml
from kyctui.knowledge.model import PHOTO_KINDS, ExchangeRules
from kyctui.knowledge.tables import Table, entries
from kyctui.locations import knowledge_dir

FILE = "checklist.toml"
# The wizard's order; the file must list exactly these, so a typo cannot drop a step.
STEP_IDS = ("documents", "profile", "environment", "connection", "permissions", "statement",
            "ready")  # fmt: skip
CHECKERS = ("photos", "profile", "dates", "connection", "devices", "statement")


@dataclass(frozen=True)
class Step:
    """One wizard step."""

    id: str
    title: str
    summary: str


@dataclass(frozen=True)
class Level:
    """A verification level an exchange may offer."""

    id: str
    title: str
    summary: str


@dataclass(frozen=True)
class DocumentType:
    """An identity document the exchanges accept."""

    id: str
    title: str


@dataclass(frozen=True)
class UnsupportedDocument:
    """A document people try that exchanges refuse, and why."""

    id: str
    title: str
    why: str
    source: str


@dataclass(frozen=True)
class PhotoSlot:
    """A photo the user attaches on the documents step."""

    kind: str
    title: str
    why: str
    optional: bool = False  # offered, but the exchange may not ask for it
    source: str = ""


@dataclass(frozen=True)
class SlotCondition:
    """When a slot applies; empty tuples match anything."""

    exchanges: tuple[str, ...]
    levels: tuple[str, ...]
    documents: tuple[str, ...]
    statement: bool  # only where the exchange requires a handheld statement
    optional: bool


@dataclass(frozen=True)
class SlotRule:
    """A photo slot and the conditions (any of them) under which it is shown."""

    slot: PhotoSlot
    when: tuple[SlotCondition, ...]  # empty = always


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to get right, with a one-line why and how."""

    id: str
    step: str
    title: str
    why: str
    how: str
    source: str
    exchanges: tuple[str, ...]  # empty = every exchange
    levels: tuple[str, ...]  # empty = every level
    checked_by: str | None  # the program check that verifies it; None = the user confirms


@dataclass(frozen=True)
class StepPlan:
    """A step as shown for one attempt: its items and photo slots."""

    step: Step
    items: tuple[ChecklistItem, ...]
    slots: tuple[PhotoSlot, ...]


@dataclass(frozen=True)
class Checklist:
    """Everything in checklist.toml."""

    steps: tuple[Step, ...]
    levels: tuple[Level, ...]
    document_types: tuple[DocumentType, ...]
    unsupported: tuple[UnsupportedDocument, ...]
    slots: tuple[SlotRule, ...]
    items: tuple[ChecklistItem, ...]


def _condition(file: str, where: str, raw: Any, levels: tuple[str, ...], docs: tuple[str, ...],
               exchanges: Collection[str] | None) -> SlotCondition:  # fmt: skip
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{file}: {where}: key 'when' must be a list of tables")
    keys = ("exchanges", "levels", "documents", "statement", "optional")
    table = Table(file, f"{where} when", raw, keys)
    return SlotCondition(
        exchanges=table.names("exchanges", exchanges),
        levels=table.names("levels", levels),
        documents=table.names("documents", docs),
        statement=table.flag("statement"),
        optional=table.flag("optional"),
    )


def parse_checklist(file: str, text: str, exchanges: Collection[str] | None = None) -> Checklist:
    """Parse a checklist file; `file` names it in errors; `exchanges` are the known exchange ids."""
    data = parse_toml(file, text)
    steps = [
        Step(i, t.text("title"), t.text("summary"))
        for i, t in entries(file, data, "step", ("id", "title", "summary"))
    ]
    if tuple(s.id for s in steps) != STEP_IDS:
        raise KnowledgeError(f"{file}: key 'step' must list the steps {', '.join(STEP_IDS)}")
    levels = tuple(
        Level(i, t.text("title"), t.text("summary"))
        for i, t in entries(file, data, "level", ("id", "title", "summary"))
    )
    docs = tuple(
        DocumentType(i, t.text("title"))
        for i, t in entries(file, data, "document_type", ("id", "title"))
    )
    unsupported = tuple(
        UnsupportedDocument(i, t.text("title"), t.text("why"), t.text("source"))
        for i, t in entries(file, data, "unsupported_document", ("id", "title", "why", "source"))
    )
    level_ids, doc_ids = tuple(lv.id for lv in levels), tuple(d.id for d in docs)
    slots: list[SlotRule] = []
    for kind, t in entries(file, data, "slot", ("kind", "title", "why", "source", "when"), "kind"):
        if kind not in PHOTO_KINDS:
            t.fail("kind", f"must be one of {', '.join(PHOTO_KINDS)}")
        when = t.data.get("when", [])
        if not isinstance(when, list):
            t.fail("when", "must be a list of tables")
        conditions = tuple(
            _condition(file, t.where, c, level_ids, doc_ids, exchanges) for c in when
        )
        slot = PhotoSlot(kind, t.text("title"), t.text("why"), source=t.text("source"))
        slots.append(SlotRule(slot, conditions))
    item_keys = ("id", "step", "title", "why", "how", "source", "exchanges", "levels", "checked_by")
    items: list[ChecklistItem] = []
    for ident, t in entries(file, data, "item", item_keys):
        step = t.text("step")
        if step not in STEP_IDS or step == "ready":
            t.fail("step", f"names '{step}', not a step that holds items")
        checked_by = t.text("checked_by") if "checked_by" in t.data else None
        if checked_by is not None and checked_by not in CHECKERS:
            t.fail("checked_by", f"must be one of {', '.join(CHECKERS)}")
        title, why, how, source = (t.text(k) for k in ("title", "why", "how", "source"))
        scope = t.names("exchanges", exchanges), t.names("levels", level_ids)
        items.append(ChecklistItem(ident, step, title, why, how, source, *scope, checked_by))
    return Checklist(tuple(steps), levels, docs, unsupported, tuple(slots), tuple(items))


@cache
def load_checklist() -> Checklist:
    """The packaged checklist, checked against the known exchange ids."""
    text = (knowledge_dir() / FILE).read_text(encoding="utf-8")
    return parse_checklist(FILE, text, tuple(load_exchanges()))


def levels(exchange: ExchangeRules | None = None) -> tuple[Level, ...]:
    """Every level, or those the exchange offers."""
    every = load_checklist().levels
    return every if exchange is None else tuple(lv for lv in every if lv.id in exchange.levels)


def document_types(exchange: ExchangeRules | None = None) -> tuple[DocumentType, ...]:
    """Every document type, or those the exchange accepts."""
    every = load_checklist().document_types
    if exchange is None:
        return every
    return tuple(d for d in every if d.id in exchange.document_types.value)


def unsupported_documents() -> tuple[UnsupportedDocument, ...]:
    """Documents the exchanges refuse, each with why."""
    return load_checklist().unsupported


def _matches(names: tuple[str, ...], value: str) -> bool:
    return not names or value in names


def _slots(
    checklist: Checklist, exchange: ExchangeRules, level: str, document: str
) -> tuple[PhotoSlot, ...]:
    result: list[PhotoSlot] = []
    for rule in checklist.slots:
        held = [
            c
            for c in rule.when
            if _matches(c.exchanges, exchange.id)
            and _matches(c.levels, level)
            and _matches(c.documents, document)
            and (not c.statement or exchange.statement_required.value)
        ]
        if not rule.when or held:
            # A condition that requires the photo outweighs one that only offers it.
            result.append(replace(rule.slot, optional=bool(held) and all(c.optional for c in held)))
    return tuple(result)


def _refusal(checklist: Checklist, exchange: ExchangeRules, level: str, document: str) -> str:
    """Why this exchange cannot do this level with this document, in words fit for the user."""
    known_levels = {lv.id: lv.title for lv in checklist.levels}
    known_docs = {d.id: d.title for d in checklist.document_types}
    refused = {u.id: u for u in checklist.unsupported}
    if level not in known_levels:
        return f"unknown level '{level}' (known: {', '.join(known_levels)})"
    if level not in exchange.levels:
        offered = ", ".join(lv.title for lv in levels(exchange))
        return f"{exchange.name} has no {known_levels[level]} level; it offers {offered}"
    if document in refused:
        return f"{refused[document].title}: {refused[document].why}"
    if document not in known_docs:
        return f"unknown document type '{document}' (known: {', '.join(known_docs)})"
    if document not in exchange.document_types.value:
        use = ", ".join(d.title for d in document_types(exchange))
        return f"{exchange.name} does not take a {known_docs[document]}; use {use}"
    return ""


def plan_for(exchange: ExchangeRules, level: str, document_type: str) -> tuple[StepPlan, ...]:
    """The steps of one attempt, in order, with the items and photo slots that apply to it.

    ValueError, with a message fit for the user, when the exchange offers no such level or does
    not accept the document.
    """
    checklist = load_checklist()
    if refusal := _refusal(checklist, exchange, level, document_type):
        raise ValueError(refusal)
    plans: list[StepPlan] = []
    for step in checklist.steps:
        if step.id == "statement" and not exchange.statement_required.value:
            continue
        items = tuple(
            item
            for item in checklist.items
            if item.step == step.id
            and _matches(item.exchanges, exchange.id)
            and _matches(item.levels, level)
        )
        slots = _slots(checklist, exchange, level, document_type) if step.id == "documents" else ()
        plans.append(StepPlan(step, items, slots))
    return tuple(plans)
