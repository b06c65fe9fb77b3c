"""The knowledge files load, every rule has a source, and a malformed file names file and key."""

from __future__ import annotations

from dataclasses import fields

import pytest

from kyctui.knowledge import KnowledgeError, Sourced, load_exchanges, load_photo_limits
from kyctui.knowledge.loader import parse_exchange, parse_photo_limits


def test_every_exchange_loads_with_sources() -> None:
    exchanges = load_exchanges()
    assert {"okx", "coinex", "generic"} <= set(exchanges)
    for rules in exchanges.values():
        for f in fields(rules):
            value = getattr(rules, f.name)
            if isinstance(value, Sourced):
                assert value.source.strip(), f"{rules.id}.{f.name} has no source"


def test_published_limits() -> None:
    ex = load_exchanges()
    assert ex["okx"].max_upload_bytes.value == 10_000_000
    assert ex["coinex"].max_upload_bytes.value == 5_000_000
    assert "pdf" in ex["coinex"].formats_for("address-proof").value
    assert ex["coinex"].formats_for("id-front").value == ("jpeg", "png")
    assert ex["coinex"].screenshot_fails.value == ("address-proof",)
    assert ex["coinex"].statement_word is not None and ex["coinex"].statement_word.value == "CoinEx"


def test_photo_limits_have_sources() -> None:
    limits = load_photo_limits()
    for f in fields(limits):
        assert getattr(limits, f.name).source.strip()


GOOD = """
id = "x"
name = "X"
levels = ["basic"]
verification_host = ""
document_types = { value = ["passport"], source = "s" }
formats.identity = { value = ["jpeg"], source = "s" }
formats.address-proof = { value = ["pdf"], source = "s" }
max_upload_bytes = { value = 1, source = "s" }
colour_required = { value = true, source = "s" }
screenshot_fails = { value = [], source = "s" }
statement_required = { value = false, source = "s" }
address_proof_max_age_days = { value = 90, source = "s" }
"""


def test_parse_minimal_exchange() -> None:
    assert parse_exchange("x.toml", GOOD).max_upload_bytes.value == 1


BROKEN = [
    ("max_upload_bytes = { value = 1,", "max_upload_bytes = { value = true,",
     "max_upload_bytes.value"),
    ('colour_required = { value = true, source = "s" }', "colour_required = { value = true }",
     "colour_required.source"),
    ('name = "X"', "", "'name'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("broken", "names"),
    [(GOOD.replace(old, new), names) for old, new, names in BROKEN]
    + [(GOOD + "[[[", "not valid TOML")],
)
def test_malformed_exchange_names_file_and_key(broken: str, names: str) -> None:
    with pytest.raises(KnowledgeError) as err:
        parse_exchange("broken.toml", broken)
    assert "broken.toml" in str(err.value) and names in str(err.value)


def test_malformed_limits_name_the_key() -> None:
    with pytest.raises(KnowledgeError, match=r"limits\.toml: key 'max_file_bytes'"):
        parse_photo_limits("limits.toml", "")
