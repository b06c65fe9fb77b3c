"""Name comparison: each kind of difference, its verdict, and how it counts in each context."""

from __future__ import annotations

import pytest

from kyctui.domain.identity.name_checks import check_legal_name, compare_result
from kyctui.domain.identity.names import NameVerdict, compare_names, damerau_levenshtein
from kyctui.domain.photos.result import Status
from kyctui.knowledge.identity import NAME_VERDICTS

V = NameVerdict

# (typed, document, verdict)
PAIRS = [
    ("John Smith", "John Smith", V.EXACT),
    ("  John Smith ", "John Smith", V.EXACT),
    ("JOHN SMITH", "John Smith", V.FORMATTING),
    ("John  Smith", "John Smith", V.FORMATTING),
    ("Anna-Maria Eriksson", "Anna Maria Eriksson", V.FORMATTING),
    ("O'Brien Sean", "OBRIEN SEAN", V.FORMATTING),
    ("ｊｏｈｎ ｓｍｉｔｈ", "John Smith", V.FORMATTING),  # full-width letters: NFKC
    ("Müller", "Muller", V.DIACRITICS),
    ("Müller", "Mueller", V.DIACRITICS),
    ("Muller", "MUELLER", V.DIACRITICS),
    ("José García", "JOSE GARCIA", V.DIACRITICS),
    ("Straße", "STRASSE", V.DIACRITICS),
    ("Søren Kierkegaard", "Soren Kierkegaard", V.DIACRITICS),
    ("SMITH JOHN", "John Smith", V.ORDER),
    ("Eriksson Anna Maria", "Anna Maria Eriksson", V.ORDER),
    ("John Smith", "John Michael Smith", V.MISSING_MIDDLE),
    ("Anna Maria Eriksson", "Anna Eriksson", V.MISSING_MIDDLE),
    ("J. Smith", "John Smith", V.INITIALS),
    ("J Smith", "John Michael Smith", V.INITIALS),
    ("John M. Smith", "John Michael Smith", V.INITIALS),
    ("John Michael Smith", "John M Smith", V.INITIALS),
    ("Jonh Smith", "John Smith", V.TYPO),
    ("Jon Smith", "John Smith", V.TYPO),
    ("Jhon Smiht", "John Smith", V.TYPO),
    ("Mohammed Ali", "Muhammad Ali", V.TYPO),
    ("Kowalski Jan", "Jan Kowalsky", V.TYPO),
    ("Peter Parker", "John Smith", V.DIFFERENT),
    ("Ann Smith", "Amy Smith", V.DIFFERENT),  # two letters of three: another name
    ("Li Wu", "Lu Wu", V.DIFFERENT),
    ("", "John Smith", V.DIFFERENT),
]


@pytest.mark.parametrize(("typed", "document", "verdict"), PAIRS)
def test_verdicts(typed: str, document: str, verdict: NameVerdict) -> None:
    assert compare_names(typed, document).verdict is verdict


def test_details_name_only_what_differs() -> None:
    assert compare_names("Jonh Smith", "John Smith").detail == '"Jonh" / "John"'
    assert compare_names("J. Smith", "John Smith").detail == '"J." for "John"'
    assert '"Michael"' in compare_names("John Smith", "John Michael Smith").detail
    assert compare_names("JOHN SMITH", "John Smith").detail == "capitals"
    assert compare_names("Anna-Maria X", "Anna Maria X").detail == "hyphens and spaces"
    # A long name is cut, so the detail stays short.
    long = "Wolfeschlegelsteinhausenbergerdorff"
    detail = compare_names(f"Hubert {long}x", f"Hubert {long}").detail
    assert len(detail) < 60 and "…" in detail


def test_typo_threshold_is_a_parameter() -> None:
    assert compare_names("Jhon Smiht", "John Smith", typo_max=1).verdict is V.DIFFERENT
    assert compare_names("Jonh Smith", "John Smith", typo_max=1).verdict is V.TYPO


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("john", "john", 0), ("jonh", "john", 1), ("jon", "john", 1),
     ("abc", "", 3), ("kitten", "sitting", 3), ("ca", "abc", 3)],
)  # fmt: skip
def test_damerau_levenshtein(a: str, b: str, distance: int) -> None:
    assert damerau_levenshtein(a, b) == distance
    assert damerau_levenshtein(b, a) == distance


def test_verdicts_match_the_knowledge_file() -> None:
    assert tuple(v.value for v in NameVerdict) == NAME_VERDICTS


@pytest.mark.parametrize(
    ("typed", "other", "context", "exchange", "status"),
    [
        ("Anna Müller", "ANNA MUELLER", "mrz", "", Status.PASS),  # the MRZ transliterates
        ("Anna Müller", "Anna Mueller", "basic", "", Status.WARN),
        ("John Smith", "J. Smith", "address", "coinex", Status.FAIL),  # CoinEx: full name
        ("John Smith", "J. Smith", "address", "okx", Status.WARN),
        ("John Michael Smith", "John Smith", "address", "coinex", Status.FAIL),
        ("John Michael Smith", "John Smith", "address", "okx", Status.WARN),
        ("John Smith", "JOHN SMITH", "address", "okx", Status.PASS),
        ("John Smith", "Jonh Smith", "basic", "", Status.FAIL),
        ("John Smith", "Peter Parker", "address", "okx", Status.FAIL),
    ],
)
def test_status_depends_on_context(
    typed: str, other: str, context: str, exchange: str, status: Status
) -> None:
    result = compare_result("x.name", typed, other, context, exchange)
    assert result.status is status
    assert result.fix == ("" if status is Status.PASS else result.fix) and result.message
    if status is not Status.PASS:
        assert result.fix


def test_result_message_names_the_other_document_and_detail() -> None:
    result = compare_result("address.name", "John Smith", "J. Smith", "address", "coinex")
    assert result.value == "initials"
    assert "proof of address" in result.message and '"J." for "John"' in result.message
    different = compare_result("address.name", "John Smith", "Peter Parker", "address")
    assert "({detail})" not in different.message and "()" not in different.message


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Anna Maria Eriksson", Status.PASS),
        ("Seán Ó Briain", Status.PASS),
        ("Jean-Luc O'Neill", Status.PASS),
        ("李小龙", Status.PASS),
        ("J. Smith", Status.WARN),
        ("John M Smith", Status.WARN),
        ("John Smith 2", Status.FAIL),
        ("John_Smith", Status.FAIL),
        ("John <Smith>", Status.FAIL),
    ],
)
def test_legal_name_alone(name: str, status: Status) -> None:
    result = check_legal_name(name)
    assert result.id == "profile.name" and result.status is status
    assert name not in result.message  # the name is never repeated back
