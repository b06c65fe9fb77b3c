"""check_profile on filled profiles for OKX and CoinEx; the statement helper; identity.toml."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from kyctui.domain.identity.mrz import Mrz, read_mrz
from kyctui.domain.identity.profile_checks import (
    SETTLES,
    DateQuestion,
    ProfileReport,
    check_profile,
    item_statuses,
)
from kyctui.domain.identity.statement import check_statement, statement_text
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.profile import PROFILE_FIELDS, Profile
from kyctui.knowledge import KnowledgeError
from kyctui.knowledge.checklist import load_checklist
from kyctui.knowledge.identity import load_identity, parse_identity
from kyctui.knowledge.loader import load_exchange
from kyctui.knowledge.model import Sourced
from kyctui.locations import knowledge_dir

TODAY = date(2025, 6, 15)
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
GOOD = Profile(
    full_name="Anna Maria Eriksson",
    date_of_birth="12 Aug 1974",
    nationality="Utopian",
    document_number="L898902C3",
    document_expiry="2030-01-01",
)
ADVANCED = (
    GOOD.with_field("basic_level_name", "Anna Maria Eriksson")
    .with_field("address_name", "A. M. Eriksson")
    .with_field("address_issued", "10 Jan 2025")
    .with_field("address", "1 Main St, 12345 Utopia")
)


def check(
    profile: Profile, exchange: str, level: str = "basic", mrz: Mrz | None = None
) -> ProfileReport:
    return check_profile(profile, load_exchange(exchange), level, "passport", TODAY, mrz)


def ids(report: ProfileReport) -> dict[str, Status]:
    return {r.id: r.status for r in report.results}


@pytest.mark.parametrize("exchange", ["okx", "coinex"])
def test_good_basic_profile_passes(exchange: str) -> None:
    report = check(GOOD, exchange)
    assert report.items == {
        "profile.legal-name": Status.PASS,
        "profile.birth-date": Status.PASS,
        "profile.nationality-number": Status.PASS,
        "documents.not-expired": Status.PASS,
    }
    assert report.questions == ()


def test_empty_profile_settles_nothing() -> None:
    report = check(Profile(), "okx")
    assert report.results == () and report.items == {} and report.questions == ()


def test_address_checks_only_at_the_advanced_level() -> None:
    basic = check(ADVANCED, "coinex")
    assert not {"address.name", "address.issued", "profile.basic-name"} & set(ids(basic))


def test_coinex_advanced_wants_the_full_name_and_a_recent_bill() -> None:
    report = check(ADVANCED, "coinex", "advanced")
    assert report.items["profile.full-name-on-address"] is Status.FAIL
    assert report.items["documents.address-recent"] is Status.FAIL
    assert report.items["profile.same-name-as-basic"] is Status.PASS
    issued = next(r for r in report.results if r.id == "address.issued")
    # Issued 10 January; 90 days later, on 10 April, it aged out.
    assert "2025-04-10" in issued.message and issued.value == 156 and issued.limit == 90


def test_okx_advanced_only_warns_about_initials_on_the_bill() -> None:
    recent = ADVANCED.with_field("address_issued", "2025-06-01")
    report = check(recent, "okx", "advanced")
    assert report.items["profile.full-name-on-address"] is Status.WARN
    assert report.items["documents.address-recent"] is Status.PASS


def test_basic_level_name_differing_fails() -> None:
    changed = ADVANCED.with_field("basic_level_name", "Ana Maria Eriksson")
    report = check(changed, "coinex", "advanced")
    assert report.items["profile.same-name-as-basic"] is Status.FAIL
    (result,) = report.for_item("profile.same-name-as-basic")
    assert result.value == "typo" and "basic-level name" in result.message


def test_ambiguous_birth_date_asks_and_the_order_settles_it() -> None:
    ambiguous = GOOD.with_field("date_of_birth", "08/12/1974")
    report = check(ambiguous, "okx")
    assert report.items["profile.birth-date"] is Status.WARN
    assert report.questions == (
        DateQuestion("date_of_birth", date(1974, 12, 8), date(1974, 8, 12)),
    )
    settled = check(ambiguous.with_field("date_order", "mdy"), "okx")
    assert settled.items["profile.birth-date"] is Status.PASS and settled.questions == ()


@pytest.mark.parametrize(
    ("field", "typed", "item", "status"),
    [
        ("date_of_birth", "31/02/1990", "profile.birth-date", Status.FAIL),
        ("date_of_birth", "2010-01-01", "profile.birth-date", Status.WARN),  # 15: under 18
        ("document_expiry", "2025-06-01", "documents.not-expired", Status.FAIL),
        ("document_expiry", "2025-07-01", "documents.not-expired", Status.WARN),
        ("full_name", "A. Eriksson", "profile.legal-name", Status.WARN),
        ("document_number", "L898-902 C3", "profile.nationality-number", Status.PASS),
        ("document_number", "L898902C3!", "profile.nationality-number", Status.FAIL),
    ],
)
def test_each_problem_reaches_its_item(field: str, typed: str, item: str, status: Status) -> None:
    assert check(GOOD.with_field(field, typed), "okx").items[item] is status


def test_messages_never_repeat_personal_values() -> None:
    bad = ADVANCED.with_field("document_expiry", "2025-06-01").with_field("date_of_birth", "x")
    for result in check(bad, "coinex", "advanced").results:
        for value in (bad.full_name, bad.document_number, bad.address, "1974", "2025-06-01"):
            assert value not in result.message, (result.id, value)


def test_mrz_is_checked_and_compared_with_the_profile() -> None:
    mrz = read_mrz(TD3)
    report = check(GOOD.with_field("full_name", "Anna Eriksson"), "okx", mrz=mrz)
    statuses = ids(report)
    assert statuses["match.name"] is Status.FAIL
    assert report.items["profile.legal-name"] is Status.FAIL
    # Typed expiry 2030 differs from the MRZ's 2012; the typed one gives document.expiry.
    assert statuses["match.expiry-date"] is Status.FAIL
    assert [r.id for r in report.results].count("document.expiry") == 1
    assert statuses["mrz.composite"] is Status.PASS and "mrz.composite" not in SETTLES
    assert report.items["documents.type-matches"] is Status.PASS


def test_expiry_read_from_the_mrz_when_none_is_typed() -> None:
    report = check(GOOD.with_field("document_expiry", ""), "coinex", mrz=read_mrz(TD3))
    expiry = [r for r in report.results if r.id == "document.expiry"]
    assert len(expiry) == 1 and expiry[0].status is Status.FAIL  # April 2012
    assert report.items["documents.not-expired"] is Status.FAIL


def test_unknown_level_or_document_is_an_error() -> None:
    with pytest.raises(ValueError, match="no Video"):
        check(GOOD, "coinex", "video")


def test_item_statuses_take_the_worst() -> None:
    results = [
        CheckResult("profile.name", Status.PASS, None, None, "ok"),
        CheckResult("match.name", Status.WARN, None, None, "order"),
        CheckResult("mrz.composite", Status.FAIL, None, None, "digit"),
    ]
    assert item_statuses(results) == {"profile.legal-name": Status.WARN}
    assert item_statuses(results, {"documents.not-expired"}) == {}


def test_every_settled_item_exists_in_the_checklist() -> None:
    known = {item.id for item in load_checklist().items}
    assert set(SETTLES.values()) <= known
    # Items the checklist says the profile, date and statement checks verify are all settled.
    ours = ("profile", "dates", "statement")
    checked = {i.id for i in load_checklist().items if i.checked_by in ours}
    assert checked <= set(SETTLES.values())
    assert set(PROFILE_FIELDS) == {f.name for f in fields(Profile)}


# ---------------------------------------------------------------------------------------------
# The handheld statement


def test_statement_text_for_coinex() -> None:
    text = statement_text(load_exchange("coinex"), date(2025, 3, 4))
    assert text.lines == ("2025/03/04", "CoinEx")
    assert text.date_parts == ("2025", "03", "04") and text.exchange == "CoinEx"
    assert any("same document" in r for r in text.reminders)
    assert any("face" in r and "paper" in r for r in text.reminders)
    assert "seeds/004" in text.source


def test_no_statement_for_okx() -> None:
    with pytest.raises(ValueError, match="OKX asks for no handheld statement"):
        statement_text(load_exchange("okx"), TODAY)


@pytest.mark.parametrize(
    ("written_date", "written_word", "date_status", "word_status"),
    [
        ("2025/06/15", "CoinEx", Status.PASS, Status.PASS),
        ("2025-6-15", "I confirm, CoinEx", Status.PASS, Status.PASS),
        ("15/06/2025", "coinex", Status.WARN, Status.WARN),  # today, but not year first
        ("06/15/2025", "COINEX", Status.WARN, Status.WARN),
        ("2025/06/14", "CoinEx", Status.FAIL, Status.PASS),  # yesterday's paper
        ("2025/06/31", "", Status.FAIL, Status.FAIL),
        ("", "Coin Ex", Status.FAIL, Status.FAIL),
    ],
)
def test_check_statement(
    written_date: str, written_word: str, date_status: Status, word_status: Status
) -> None:
    results = check_statement(written_date, written_word, load_exchange("coinex"), TODAY)
    assert [(r.id, r.status) for r in results] == [
        ("statement.date", date_status),
        ("statement.word", word_status),
    ]
    assert item_statuses(results)["statement.date-and-word"] is max(
        date_status, word_status, key=[Status.PASS, Status.WARN, Status.FAIL].index
    )


def test_statement_from_yesterday_says_so() -> None:
    (dated, _) = check_statement("2025/06/14", "CoinEx", load_exchange("coinex"), TODAY)
    assert "1 day ago" in dated.message and "2025/06/15" in dated.message


# ---------------------------------------------------------------------------------------------
# identity.toml


def test_identity_rules_have_sources() -> None:
    rules = load_identity()
    for f in fields(rules):
        value = getattr(rules, f.name)
        if isinstance(value, Sourced):
            assert value.source.strip(), f.name
    assert rules.expiry_warn_days.value == 30 and rules.min_age_years.value == 18
    assert rules.typo_max_distance.value == 2
    assert all(r.source for r in rules.statement_reminders)
    assert all(v.source for v in rules.name_verdicts.values())
    assert all(a.source and a.fix for a in rules.advice.values())


def test_malformed_identity_file_names_file_and_key() -> None:
    text = (knowledge_dir() / "identity.toml").read_text(encoding="utf-8")
    broken = text.replace("[min_age_years]\nvalue = 18", '[min_age_years]\nvalue = "18"')
    assert broken != text
    with pytest.raises(KnowledgeError, match=r"x\.toml: key 'min_age_years\.value'"):
        parse_identity("x.toml", broken)
    no_typo = text.replace("[name_verdict.typo]", "[name_verdict.typos]")
    with pytest.raises(KnowledgeError, match=r"x\.toml: key 'name_verdict\.typo\.status'"):
        parse_identity("x.toml", no_typo)
    bad_status = text.replace('{ mrz = "fail"', '{ mrz = "no"', 1)
    with pytest.raises(KnowledgeError, match=r"status\.mrz' must be pass, warn or fail"):
        parse_identity("x.toml", bad_status)
