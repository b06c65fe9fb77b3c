"""The rejection catalogs load per exchange, reopen real checklist items, and name bad keys."""

from __future__ import annotations

import pytest

from kyctui.knowledge import KnowledgeError
from kyctui.knowledge.checklist import load_checklist
from kyctui.knowledge.rejections import (
    CATEGORIES,
    RejectionCatalog,
    RejectionReason,
    load_rejections,
    parse_rejections,
    rejection_catalog,
)

# The reasons the seeds name, and the catalogs each belongs to.
EVERYWHERE = (
    "liveness-failed", "face-mismatch", "face-unclear", "document-expired",
    "information-mismatch", "photo-unclear", "document-unsupported", "document-type-mismatch",
    "document-altered", "address-too-old", "name-mismatch", "address-mismatch",
    "upload-page-not-loading", "permission-error", "app-freezing", "stuck-under-review",
)  # fmt: skip
COINEX_ONLY = ("statement-missing-date-or-word", "statement-not-held")


def _reason(catalog: RejectionCatalog, reason_id: str) -> RejectionReason:
    reason = catalog.get(reason_id)
    assert reason is not None, reason_id
    return reason


def test_every_exchange_has_a_catalog_with_the_seeds_reasons() -> None:
    catalogs = load_rejections()
    assert set(catalogs) == {"okx", "coinex", "generic"}
    for exchange, catalog in catalogs.items():
        ids = [r.id for r in catalog.reasons]
        assert len(ids) == len(set(ids)), exchange
        assert set(EVERYWHERE) <= set(ids), exchange
        assert all((rid in ids) == (exchange == "coinex") for rid in COINEX_ONLY), exchange
    # OKX names no screenshot rule for proof of address; CoinEx and the generic profile do.
    assert catalogs["okx"].get("address-screenshot") is None
    assert catalogs["coinex"].get("address-screenshot") is not None
    assert catalogs["generic"].get("address-screenshot") is not None


def test_every_reason_has_a_source_fixes_and_a_category() -> None:
    seen_categories = set()
    for catalog in load_rejections().values():
        for reason in catalog.reasons:
            assert reason.source.strip() and reason.title.strip(), reason.id
            assert reason.category in CATEGORIES, reason.id
            seen_categories.add(reason.category)
            assert reason.fixes and reason.reopens, reason.id
            for text in (reason.title, reason.wording, *reason.fixes):
                assert "\n" not in text and len(text) <= 120, (reason.id, text)
            assert "http" not in reason.source + " ".join(reason.fixes), reason.id
    assert seen_categories == set(CATEGORIES)


def test_every_reopened_item_exists_in_the_checklist() -> None:
    item_ids = {item.id for item in load_checklist().items}
    for catalog in load_rejections().values():
        for reason in catalog.reasons:
            missing = set(reason.reopens) - item_ids
            assert not missing, (catalog.exchange, reason.id, missing)


def test_reasons_reopen_the_items_they_concern() -> None:
    coinex = rejection_catalog("coinex")
    reopens = {r.id: set(r.reopens) for r in coinex.reasons}
    assert reopens["document-expired"] == {"documents.not-expired"}
    assert reopens["address-too-old"] == {"documents.address-recent"}
    assert reopens["address-screenshot"] == {"documents.address-not-screenshot"}
    assert reopens["statement-missing-date-or-word"] == {"statement.date-and-word"}
    assert {"profile.legal-name", "profile.birth-date"} <= reopens["information-mismatch"]
    assert "permissions.camera-microphone" in reopens["permission-error"]
    assert "environment.front-light" in reopens["liveness-failed"]


def test_wording_is_the_exchanges_own_and_per_exchange() -> None:
    okx, coinex, generic = (rejection_catalog(e) for e in ("okx", "coinex", "generic"))
    okx_face, coinex_face = _reason(okx, "face-mismatch"), _reason(coinex, "face-mismatch")
    assert okx_face.wording == "Face comparison failed"
    assert "different faces" in coinex_face.wording
    assert all(r.wording == "" for r in generic.reasons)
    assert _reason(coinex, "address-too-old").wording == "Issuance date exceeds 3 months"
    # The same reason keeps its fixes and reopened items across exchanges.
    assert (okx_face.fixes, okx_face.reopens) == (coinex_face.fixes, coinex_face.reopens)


def test_lookup_and_categories() -> None:
    okx = rejection_catalog("okx")
    assert okx.get("nope") is None and okx.get("") is None
    technical = {r.id for r in okx.in_category("technical")}
    assert {"upload-page-not-loading", "permission-error", "app-freezing"} <= technical
    assert {r.id for r in okx.in_category("review")} == {"stuck-under-review"}
    with pytest.raises(KeyError, match="known: "):
        rejection_catalog("binance")


GOOD = """
[[reason]]
id = "x"
category = "photo"
title = "X"
source = "seeds/001"
fixes = ["Do it."]
reopens = ["documents.sharp"]
"""


def _parse(text: str) -> None:
    parse_rejections("r.toml", text, ("okx", "coinex"), ("documents.sharp",))


def test_good_snippet_scopes_reasons_to_exchanges() -> None:
    scoped = GOOD + 'exchanges = ["coinex"]\nwording = { coinex = "Ex" }\n'
    catalogs = parse_rejections("r.toml", scoped, ("okx", "coinex"), ("documents.sharp",))
    assert catalogs["okx"].reasons == ()
    assert _reason(catalogs["coinex"], "x").wording == "Ex"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD.replace('source = "seeds/001"\n', ""), "source"),
        (GOOD.replace('"photo"', '"selfie"'), "category"),
        (GOOD.replace('"documents.sharp"', '"documents.nope"'), "reopens"),
        (GOOD.replace('fixes = ["Do it."]', "fixes = []"), "fixes"),
        (GOOD + 'wording = { kraken = "K" }\n', "wording"),
        (GOOD + 'exchanges = ["okx"]\nwording = { coinex = "C" }\n', "wording"),
        (GOOD + 'exchanges = ["kraken"]\n', "exchanges"),
        (GOOD + 'reopen = ["documents.sharp"]\n', "reopen"),
        (GOOD + GOOD, "id"),
        ("[[reason]\n", "not valid TOML"),
    ],
)
def test_malformed_file_names_file_and_key(text: str, key: str) -> None:
    with pytest.raises(KnowledgeError) as info:
        _parse(text)
    assert "r.toml" in str(info.value) and key in str(info.value)
