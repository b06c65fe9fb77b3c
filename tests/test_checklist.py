"""The checklist loads, plans the right steps and photos per attempt, and names bad keys."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kyctui.knowledge import KnowledgeError, Sourced, load_exchange
from kyctui.knowledge.checklist import (
    STEP_IDS,
    StepPlan,
    document_types,
    levels,
    load_checklist,
    parse_checklist,
    plan_for,
    unsupported_documents,
)
from kyctui.knowledge.model import PHOTO_KINDS


def _step(plan: tuple[StepPlan, ...], step_id: str) -> StepPlan:
    return next(p for p in plan if p.step.id == step_id)


def _kinds(plan: tuple[StepPlan, ...]) -> list[str]:
    return [slot.kind for slot in _step(plan, "documents").slots]


def _item_ids(plan: tuple[StepPlan, ...]) -> set[str]:
    return {item.id for p in plan for item in p.items}


def test_loads_with_sources_and_one_line_texts() -> None:
    checklist = load_checklist()
    assert tuple(s.id for s in checklist.steps) == STEP_IDS
    assert [s.title for s in checklist.steps][1] == "Profile match"
    assert 30 <= len(checklist.items) <= 45
    for item in checklist.items:
        assert item.source.strip() and item.why.strip() and item.how.strip(), item.id
        for text in (item.title, item.why, item.how):
            assert "\n" not in text and len(text) <= 100, (item.id, text)
        assert "http" not in item.source + item.why + item.how, item.id
    assert {rule.slot.kind for rule in checklist.slots} == set(PHOTO_KINDS)
    assert all(rule.slot.source for rule in checklist.slots)
    assert [d.id for d in document_types()] == ["passport", "national-id", "drivers-licence"]
    refused = {u.id for u in unsupported_documents()}
    assert refused == {"residence-permit", "work-permit", "student-id"}


def test_every_step_but_ready_has_items() -> None:
    steps_with_items = {item.step for item in load_checklist().items}
    assert steps_with_items == set(STEP_IDS) - {"ready"}


def test_okx_basic_passport() -> None:
    plan = plan_for(load_exchange("okx"), "basic", "passport")
    assert [p.step.id for p in plan] == [s for s in STEP_IDS if s != "statement"]
    assert _kinds(plan)[:2] == ["passport", "selfie"]
    assert "id-front" not in _kinds(plan) and "address-proof" not in _kinds(plan)
    # OKX asks for a selfie holding the ID only sometimes: offered, never required.
    held = [s for s in _step(plan, "documents").slots if s.kind == "selfie-with-id"]
    assert len(held) == 1 and held[0].optional
    assert plan[-1].step.id == "ready" and plan[-1].items == () and plan[-1].slots == ()
    assert all(p.slots == () for p in plan if p.step.id != "documents")


def test_coinex_basic_national_id_has_statement() -> None:
    plan = plan_for(load_exchange("coinex"), "basic", "national-id")
    assert [p.step.id for p in plan] == list(STEP_IDS)
    assert _kinds(plan) == ["id-front", "id-back", "selfie", "selfie-with-id"]
    assert not any(slot.optional for slot in _step(plan, "documents").slots)
    statement = _step(plan, "statement")
    assert statement.items and any("CoinEx" in item.title for item in statement.items)
    # OKX-only advice stays out of CoinEx's plan.
    assert "permissions.qr-fallback" not in _item_ids(plan)


def test_statement_items_only_where_a_statement_is_required() -> None:
    plan = plan_for(load_exchange("okx"), "basic", "national-id")
    assert not any(item.step == "statement" for p in plan for item in p.items)


def test_advanced_adds_address_proof_and_profile_items() -> None:
    okx = load_exchange("okx")
    basic = plan_for(okx, "basic", "drivers-licence")
    advanced = plan_for(okx, "advanced", "drivers-licence")
    assert "address-proof" in _kinds(advanced) and "address-proof" not in _kinds(basic)
    added = _item_ids(advanced) - _item_ids(basic)
    assert {"profile.same-name-as-basic", "profile.full-address"} <= added
    assert "documents.address-recent" in added
    assert _item_ids(basic) <= _item_ids(advanced)
    recent = next(i for i in load_checklist().items if i.id == "documents.address-recent")
    assert recent.checked_by == "dates" and recent.levels == ("advanced",)


def test_video_only_items_only_at_video_level() -> None:
    video_only = {i.id for i in load_checklist().items if i.levels == ("video",)}
    assert "environment.quiet-headphones" in video_only
    okx = load_exchange("okx")
    assert video_only <= _item_ids(plan_for(okx, "video", "passport"))
    for level in ("basic", "advanced"):
        assert not video_only & _item_ids(plan_for(okx, level, "passport"))
    assert "selfie-with-id" not in _kinds(plan_for(okx, "video", "passport"))


def test_exchange_filters() -> None:
    okx, coinex = load_exchange("okx"), load_exchange("coinex")
    assert [lv.id for lv in levels(coinex)] == ["basic", "advanced"]
    assert len(levels()) == 3 and len(document_types(okx)) == 3
    assert "connection.off-peak" in _item_ids(plan_for(okx, "basic", "passport"))
    assert "connection.off-peak" not in _item_ids(plan_for(coinex, "basic", "passport"))


@pytest.mark.parametrize(
    ("exchange", "level", "document", "says"),
    [
        ("coinex", "video", "passport", "CoinEx has no Video verification level"),
        ("okx", "platinum", "passport", "unknown level 'platinum'"),
        ("okx", "basic", "residence-permit", "Residence permit: Not accepted"),
        ("coinex", "basic", "student-id", "use your passport, national ID card or driver's"),
        ("okx", "basic", "library-card", "unknown document type 'library-card'"),
    ],
)
def test_unsupported_choices_raise_with_explanation(
    exchange: str, level: str, document: str, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        plan_for(load_exchange(exchange), level, document)


def test_document_the_exchange_does_not_take() -> None:
    okx = load_exchange("okx")
    only_passports = replace(okx, document_types=Sourced(("passport",), "test"))
    with pytest.raises(ValueError, match="OKX does not take a Driver's licence; use Passport"):
        plan_for(only_passports, "basic", "drivers-licence")


GOOD = (
    "".join(f'[[step]]\nid = "{s}"\ntitle = "T"\nsummary = "s"\n\n' for s in STEP_IDS)
    + """
[[level]]
id = "basic"
title = "Basic"
summary = "s"

[[document_type]]
id = "passport"
title = "Passport"

[[unsupported_document]]
id = "student-id"
title = "Student ID"
why = "no"
source = "s"

[[slot]]
kind = "selfie"
title = "Selfie"
why = "w"
source = "s"
when = [{ levels = ["basic"] }]

[[item]]
id = "documents.valid"
step = "documents"
title = "Valid"
why = "w"
how = "h"
source = "s"
checked_by = "dates"
"""
)

ITEM = GOOD[GOOD.index("[[item]]") :]


def test_parse_minimal_checklist() -> None:
    checklist = parse_checklist("x.toml", GOOD, exchanges=("okx",))
    assert checklist.items[0].checked_by == "dates" and checklist.items[0].exchanges == ()
    assert checklist.slots[0].when[0].levels == ("basic",)


@pytest.mark.parametrize(
    ("old", "new", "names"),
    [
        ('summary = "s"', "[[[", "not valid TOML"),
        ('why = "w"\nhow', 'why = """two\nlines"""\nhow', "item 'documents.valid': key 'why'"),
        ('source = "s"\nchecked_by', "checked_by", "item 'documents.valid': key 'source'"),
        ("[[item]]", ITEM + "[[item]]", "item #2: key 'id' repeats 'documents.valid'"),
        ('step = "documents"', 'step = "paperwork"', "item 'documents.valid': key 'step'"),
        ('step = "documents"', 'step = "ready"', "item 'documents.valid': key 'step'"),
        ('"dates"', '"magic"', "key 'checked_by' must be one of"),
        ('checked_by = "dates"', 'level = ["basic"]', "key 'level' is not a known key"),
        ('checked_by = "dates"', 'levels = ["gold"]', "key 'levels' names unknown 'gold'"),
        ('checked_by = "dates"', 'exchanges = ["kraken"]', "key 'exchanges' names unknown"),
        ('kind = "selfie"', 'kind = "portrait"', "slot 'portrait': key 'kind'"),
        ('levels = ["basic"]', 'statement = "yes"', "slot 'selfie' when: key 'statement'"),
        ('id = "profile"', 'id = "profiles"', "key 'step' must list the steps"),
        ('title = "Passport"', "", "document_type 'passport': key 'title'"),
        ("[[level]]", "[[levels]]", "key 'level' must be a non-empty array of tables"),
    ],
)
def test_malformed_checklist_names_file_and_key(old: str, new: str, names: str) -> None:
    assert old in GOOD
    with pytest.raises(KnowledgeError) as err:
        parse_checklist("broken.toml", GOOD.replace(old, new, 1), exchanges=("okx",))
    assert str(err.value).startswith("broken.toml: ") and names in str(err.value), str(err.value)
