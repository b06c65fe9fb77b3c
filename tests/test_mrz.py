"""MRZ reading and checks against the ICAO Doc 9303 specimens; the cross-check with a profile."""

from __future__ import annotations

from datetime import date

import pytest

from kyctui.domain.identity.mrz import MrzFormatError, mrz_date, normalise, read_mrz
from kyctui.domain.identity.mrz_checks import check_mrz, corrections
from kyctui.domain.identity.mrz_fields import check_digit
from kyctui.domain.identity.mrz_match import cross_check
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.profile import Profile
from kyctui.knowledge.loader import load_exchange

# ICAO Doc 9303 part 4 (TD3), part 5 (TD1), part 6 (TD2): Anna Maria Eriksson of Utopia.
TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]  # fmt: skip
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
# ICAO Doc 9303 part 11, appendix D.2: a document number longer than nine characters.
TD1_LONG = ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2",
            "STEVENSON<<PETER<JOHN<<<<<<<<<"]  # fmt: skip
TD2_LONG = ["I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<", "D23145890<UTO3407127M95071227349<<<8"]
# Before the specimens' expiry (1995 and 2012), so only the zone itself is judged.
BEFORE = date(1990, 1, 1)


def failing(results: list[CheckResult]) -> set[str]:
    return {r.id for r in results if r.status is Status.FAIL}


def put(lines: list[str], line: int, column: int, char: str) -> list[str]:
    changed = list(lines)
    changed[line] = changed[line][:column] + char + changed[line][column + 1 :]
    return changed


def alter(lines: list[str], line: int, column: int, char: str) -> list[str]:
    changed = put(lines, line, column, char)
    assert changed != lines
    return changed


@pytest.mark.parametrize(
    ("lines", "fmt"), [(TD3, "TD3"), (TD1, "TD1"), (TD2, "TD2"), (TD1_LONG, "TD1"),
                       (TD2_LONG, "TD2")]
)  # fmt: skip
def test_specimens_are_valid(lines: list[str], fmt: str) -> None:
    mrz = read_mrz(lines)
    assert mrz.format == fmt and all(d.ok for d in mrz.digits)
    assert failing(check_mrz(mrz, BEFORE)) == set()


def test_check_digit_worked_example() -> None:
    # ICAO 9303 part 3: 520727 → 3 (weights 7 3 1).
    assert check_digit("520727") == "3"
    assert check_digit("L898902C3") == "6" and check_digit("<<<<") == "0"


def test_specimen_fields() -> None:
    passport = read_mrz(TD3)
    assert passport.fields() == {
        "document_code": "P", "issuing_state": "UTO", "surname": "ERIKSSON",
        "given_names": "ANNA MARIA", "document_number": "L898902C3", "nationality": "UTO",
        "birth_date": "740812", "sex": "F", "expiry_date": "120415",
        "optional_data": "ZE184226B",
    }  # fmt: skip
    for lines in (TD1, TD2):
        card = read_mrz(lines)
        assert (card.document_number, card.surname, card.given_names) == (
            "D23145890", "ERIKSSON", "ANNA MARIA")  # fmt: skip
    for lines in (TD1_LONG, TD2_LONG):
        long = read_mrz(lines)
        assert long.document_number == "D23145890734" and long.optional_data == ""
        assert (long.surname, long.given_names, long.sex) == ("STEVENSON", "PETER JOHN", "M")


# One character changed in each field: (lines, line, column, new character, failing field).
ALTERED = [
    (TD3, 1, 3, "1", "mrz.document-number"),
    (TD3, 1, 18, "3", "mrz.birth-date"),
    (TD3, 1, 26, "6", "mrz.expiry-date"),
    (TD3, 1, 35, "7", "mrz.optional-data"),
    (TD1, 0, 7, "4", "mrz.document-number"),
    (TD1, 1, 5, "3", "mrz.birth-date"),
    (TD1, 1, 13, "6", "mrz.expiry-date"),
    (TD2, 1, 2, "4", "mrz.document-number"),
    (TD2, 1, 18, "3", "mrz.birth-date"),
    (TD2, 1, 26, "6", "mrz.expiry-date"),
    (TD1_LONG, 0, 16, "5", "mrz.document-number"),
    (TD2_LONG, 1, 29, "5", "mrz.document-number"),
]


@pytest.mark.parametrize(("lines", "line", "column", "char", "field"), ALTERED)
def test_one_digit_altered_fails_at_its_field(
    lines: list[str], line: int, column: int, char: str, field: str
) -> None:
    results = check_mrz(read_mrz(alter(lines, line, column, char)), BEFORE)
    # The field's own digit fails, and the composite, which covers every field, with it.
    assert failing(results) == {field, "mrz.composite"}
    composite = next(r for r in results if r.id == "mrz.composite")
    assert "fields above first" in composite.message


@pytest.mark.parametrize(("lines", "line", "column"), [(TD3, 1, 43), (TD1, 1, 29), (TD2, 1, 35)])
def test_altered_composite_digit(lines: list[str], line: int, column: int) -> None:
    wrong = "1" if lines[line][column] != "1" else "2"
    results = check_mrz(read_mrz(alter(lines, line, column, wrong)), BEFORE)
    assert failing(results) == {"mrz.composite"}
    composite = next(r for r in results if r.id == "mrz.composite")
    assert composite.value == wrong and composite.limit == lines[line][column]


@pytest.mark.parametrize(
    ("line", "column", "misread", "field"),
    [
        (1, 5, "O", "mrz.document-number"),  # L8989O2C3: O for 0
        (1, 1, "B", "mrz.document-number"),  # LB98902C3: B for 8
        (1, 15, "O", "mrz.birth-date"),  # 74O812
        (1, 19, "Z", "mrz.birth-date"),  # the check digit itself: Z for 2
        (1, 22, "Z", "mrz.expiry-date"),  # 1Z0415
        (1, 30, "I", "mrz.optional-data"),  # ZEI84226B: I for 1
    ],
)
def test_look_alike_misread_is_suggested(line: int, column: int, misread: str, field: str) -> None:
    lines = list(TD3)
    original = lines[line][column]
    lines = alter(lines, line, column, misread)
    mrz = read_mrz(lines)
    check = next(d for d in mrz.digits if f"mrz.{d.field}" == field)
    assert not check.ok
    result = next(r for r in check_mrz(mrz, BEFORE) if r.id == field)
    assert result.status is Status.FAIL
    where = f"line {line + 1}, column {column + 1}: {misread} → {original}"
    assert where in result.message
    assert any(c.replacement == original for c in corrections(mrz, check))


def test_personal_number_may_be_empty_with_a_filler_digit() -> None:
    lines = [TD3[0], TD3[1][:28] + "<" * 15 + TD3[1][43]]
    empty = read_mrz(lines)
    optional = next(d for d in empty.digits if d.field == "optional-data")
    assert optional.ok and empty.optional_data == ""


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "no MRZ lines"),
        (["hello"], "got 1 line of 5 characters"),
        ([TD3[0], TD3[1][:-1]], r"line 2 has 43 characters; each line of a passport \(TD3\)"),
        ([TD3[0] + "<", TD3[1]], "line 1 has 45"),
        ([TD1[0], TD1[1], TD1[2][:-2]], r"line 3 has 28 .* an ID card \(TD1\) MRZ has 30"),
        ([TD2[0], TD2[1] + "<"], r"line 2 has 37 .* an ID card \(TD2\) MRZ has 36"),
        ([*TD1, TD1[0]], "got 4 lines"),
        ([TD3[0], TD3[1][:10] + "@" + TD3[1][11:]], "line 2, column 11: '@' cannot be in an MRZ"),
        (["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1]], "visa"),
    ],
)  # fmt: skip
def test_not_an_mrz(lines: list[str], message: str) -> None:
    with pytest.raises(MrzFormatError, match=message):
        read_mrz(lines)


def test_format_errors_never_repeat_the_zone() -> None:
    with pytest.raises(MrzFormatError) as err:
        read_mrz([TD3[0], TD3[1][:-1]])
    assert "ERIKSSON" not in str(err.value) and "L898902C3" not in str(err.value)


def test_pasted_input_is_normalised() -> None:
    pasted = f"  {TD3[0].lower()}  \n\n {TD3[1][:20]} {TD3[1][20:]}\t\n"
    assert normalise([pasted]) == TD3
    assert normalise([TD3[0] + TD3[1]]) == TD3  # one run without a line break
    assert normalise([TD3[0].replace("<", "«"), TD3[1]]) == TD3
    assert read_mrz([pasted]).document_number == "L898902C3"


@pytest.mark.parametrize(
    ("raw", "past", "expected"),
    [
        ("740812", True, date(1974, 8, 12)),
        ("100101", True, date(2010, 1, 1)),
        ("250616", True, date(1925, 6, 16)),  # not after today: the century before
        ("120415", False, date(2012, 4, 15)),
        ("340101", False, date(2034, 1, 1)),
        ("991231", False, date(1999, 12, 31)),
        ("741312", True, None),
        ("7408<<", True, None),
    ],
)
def test_mrz_dates(raw: str, past: bool, expected: date | None) -> None:
    assert mrz_date(raw, date(2025, 6, 15), past) == expected


def test_expired_date_read_from_the_mrz_fails() -> None:
    results = check_mrz(read_mrz(TD3), date(2025, 6, 15))
    assert failing(results) == {"document.expiry"}
    soon = check_mrz(read_mrz(TD3), date(2012, 4, 1))
    assert next(r for r in soon if r.id == "document.expiry").status is Status.WARN


def test_invalid_date_and_sex_fail_the_field() -> None:
    bad_month = alter(TD3, 1, 15, "1")  # 741812: month 18
    bad_month = put(bad_month, 1, 19, check_digit(bad_month[1][13:19]))
    bad_month = put(bad_month, 1, 43, check_digit(bad_month[1][0:10] + bad_month[1][13:20]
                                                    + bad_month[1][21:43]))  # fmt: skip
    results = check_mrz(read_mrz(bad_month), BEFORE)
    assert failing(results) == {"mrz.birth-date"}
    assert failing(check_mrz(read_mrz(alter(TD3, 1, 20, "Q")), BEFORE)) == {"mrz.sex"}


def test_exchange_takes_the_document() -> None:
    results = check_mrz(read_mrz(TD1), BEFORE, load_exchange("coinex"))
    kind = next(r for r in results if r.id == "mrz.document-type")
    assert kind.status is Status.PASS and kind.value == "national-id"


def matches(profile: Profile, lines: list[str] = TD3, kind: str = "") -> dict[str, CheckResult]:
    results = cross_check(read_mrz(lines), profile, date(2011, 1, 1), kind)
    return {r.id: r for r in results}


def test_cross_check_agreeing_profile() -> None:
    profile = Profile(
        full_name="Anna Maria Eriksson", date_of_birth="12 Aug 1974", nationality="UTO",
        document_number="L898902C3", document_expiry="2012-04-15",
    )  # fmt: skip
    results = matches(profile, kind="passport")
    assert set(results) == {"match.name", "match.birth-date", "match.expiry-date",
                            "match.document-number", "match.nationality",
                            "match.document-type"}  # fmt: skip
    assert {r.status for r in results.values()} == {Status.PASS}


def test_cross_check_names_each_field_that_differs() -> None:
    profile = Profile(
        full_name="Anna Eriksson", date_of_birth="1974-08-13", nationality="SWE",
        document_number="L8989O2C3", document_expiry="15 Apr 2013",
    )  # fmt: skip
    results = matches(profile, kind="national-id")
    assert {k for k, r in results.items() if r.status is Status.FAIL} == set(results)
    assert results["match.name"].value == "missing-middle"
    assert "date of birth" in results["match.birth-date"].message
    assert "expiry date" in results["match.expiry-date"].message
    assert "character 6 (O typed, 0 in the MRZ)" in results["match.document-number"].message
    assert "1974" not in results["match.birth-date"].message


def test_cross_check_surname_first_and_transliteration_pass() -> None:
    mueller = ["P<D<<MUELLER<<JOSE".ljust(44, "<"), TD3[1]]
    assert matches(Profile(full_name="José Müller"), mueller)["match.name"].status is Status.PASS
    assert matches(Profile(full_name="ERIKSSON ANNA MARIA"))["match.name"].status is Status.PASS


def test_cross_check_ambiguous_birth_date_says_which_reading_fits() -> None:
    result = matches(Profile(date_of_birth="08/12/1974"))["match.birth-date"]
    assert result.status is Status.WARN and "month first" in result.message
    wrong = matches(Profile(date_of_birth="03/04/1974"))["match.birth-date"]
    assert wrong.status is Status.FAIL and "whichever way" in wrong.message
    settled = matches(Profile(date_of_birth="12.08.1974", date_order="dmy"))
    assert settled["match.birth-date"].status is Status.PASS


def test_cross_check_truncated_name_is_a_warning() -> None:
    full = ["P<UTOWOLFESCHLEGELSTEINHAUSENBERGER<<HUBERTB", TD3[1]]
    mrz = read_mrz(full)
    assert mrz.names_truncated
    result = matches(Profile(full_name="Hubert Blaine Wolfeschlegelsteinhausenbergerdorff"), full)
    assert result["match.name"].status is Status.WARN and "cut" in result["match.name"].message


def test_cross_check_skips_what_is_empty_or_not_comparable() -> None:
    assert matches(Profile()) == {}
    assert "match.nationality" not in matches(Profile(nationality="Swedish"))
