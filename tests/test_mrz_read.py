"""doc.mrz: the zone found, read and judged on passport pages and card backs rendered in OCR-B
and photographed on real backgrounds; the repairs by position; the skip without the extra."""

from __future__ import annotations

import importlib.util
from datetime import date
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import mrz_factory as mf
import photo_factory as pf
import pytest
from PIL import Image

from kyctui.domain.identity.mrz import read_mrz
from kyctui.domain.identity.mrz_fields import LAYOUTS
from kyctui.domain.photos import ocr_engine
from kyctui.domain.photos.mrz_band import zone_candidates
from kyctui.domain.photos.mrz_repair import by_position, fit_width, repair
from kyctui.domain.photos.mrz_verdict import MrzReading, mrz_result
from kyctui.domain.photos.ocr_checks import ocr_checks
from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.profile import Profile
from kyctui.knowledge import load_exchange, load_photo_limits
from kyctui.knowledge.loader import KnowledgeError
from kyctui.knowledge.ocr import FILE, load_ocr, parse_ocr
from kyctui.locations import knowledge_dir

TODAY = date(2026, 3, 14)
PERSON = mf.Person()
CARD_PERSON = mf.Person(number="D23145890", personal="")
TD3 = mf.td3_lines(PERSON)
TD1 = mf.td1_lines(CARD_PERSON)
OWNER = Profile(
    full_name="Anna Maria Eriksson",
    date_of_birth="1974-08-12",
    document_number="L898902C3",
    document_expiry="2034-04-15",
)

needs_ocr = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr") is None or not mf.OCR_B.exists(),
    reason="needs the ocr extra (pip install '.[ocr]') and the OCR-B font (apt fonts-ocr-b)",
)


# ---------------------------------------------------------------------------------------------
# Repairs by position (no OCR needed)


def test_factory_zones_are_valid() -> None:
    """The fixtures' zones are right by construction: every check digit adds up."""
    for lines in (TD3, TD1):
        assert all(check.ok for check in read_mrz(lines).digits)


def test_lookalikes_corrected_by_cell() -> None:
    """O in a date becomes 0, 0 in the state code becomes O, K among fillers becomes '<'."""
    first, second = TD3
    misread = [first.replace("UTO", "UT0", 1), second[:13] + "74O8I2" + second[19:]]
    misread[1] = misread[1].replace("B<<<<<", "B<<K<<")
    assert by_position(misread, LAYOUTS[(2, 44)], load_ocr()) == list(TD3)


def test_names_keep_letters_that_look_like_fillers() -> None:
    """A name ending in C keeps it; a run of C read for the trailing fillers does not."""
    lay, rules = LAYOUTS[(2, 44)], load_ocr()
    eric = "P<UTOSMITH<<ERIC<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
    assert by_position([eric, TD3[1]], lay, rules)[0] == eric
    blurred = "P<UTOSMITH<<ERIC<CCCC<<C<<<<<<<<<<<<<<<<<<<<"
    assert by_position([blurred, TD3[1]], lay, rules)[0] == eric


def test_filler_runs_counted_to_the_width() -> None:
    """Two fillers dropped from the names' trailing run are put back."""
    short = TD3[0][:-2]
    assert fit_width(short, 44, names_line=True, max_fixes=3) == [TD3[0]]
    assert fit_width("P<UTOERIKSSON", 44, names_line=True, max_fixes=3) == []


def test_check_digits_choose_the_least_certain_character() -> None:
    """D read as 0 in the card number: two swaps would satisfy the digits; the character the
    recognizer was least sure of is the one corrected."""
    first = TD1[0].replace("D231", "0231")
    confs = [[1.0] * 30 for _ in TD1]
    confs[0][5] = 0.68  # the misread D
    mrz = repair([first, *TD1[1:]], confs)
    assert mrz is not None and mrz.lines == TD1


def test_junk_is_not_a_zone() -> None:
    assert repair(["PASSPORT PASSEPORT", "ERIKSSON"]) is None
    assert repair(["P<UTO", "L898902C3"]) is None


def test_zone_candidates_pick_the_lowest_parallel_pair() -> None:
    """Two long parallel lines of equal length at the foot are the zone; a lone long line and
    short fields are not."""

    def box(x: float, y: float, w: float, h: float) -> ocr_engine.Quad:
        return ((x, y), (x + w, y), (x + w, y + h), (x, y + h))

    quads = [box(100, 50, 900, 40), box(100, 200, 120, 30), box(80, 600, 1000, 45),
             box(80, 655, 1000, 45)]  # fmt: skip
    zones = zone_candidates(quads, 12.0, 0.2)
    assert len(zones) == 1 and [round(line.cy) for line in zones[0]] == [622, 678]


# ---------------------------------------------------------------------------------------------
# Without the extra


def test_skipped_without_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Listed as skipped with the install command, never run and never passed."""
    real = importlib.util.find_spec

    def not_installed(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name in ocr_engine.EXTRA_MODULES else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", not_installed)
    coinex = load_exchange("coinex")
    assert not ocr_engine.ocr_available()
    skips = ocr_engine.ocr_skips("passport", coinex)
    assert [s.id for s in skips] == ["doc.mrz"] and "pip install 'kyctui[ocr]'" in skips[0].why
    assert [s.id for s in ocr_engine.ocr_skips("selfie-with-id", coinex)] == ["doc.statement"]
    assert ocr_engine.ocr_skips("selfie-with-id", load_exchange("generic")) == []
    assert ocr_engine.ocr_skips("id-front", coinex) == []
    photo = pf.decode(pf.jpeg_bytes(pf.real_photo("coffee")), kind="passport")
    limits = load_photo_limits()
    assert ocr_checks(photo, tmp_path / "p.jpg", coinex, limits, TODAY) == []


def test_malformed_knowledge_names_file_and_key() -> None:
    text = (knowledge_dir() / FILE).read_text(encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"ocr\.toml: key 'mrz_kinds\.value'"):
        parse_ocr(FILE, text.replace('value = ["passport", "id-back"]', 'value = ["poster"]'))
    broken = text.replace('value = ["O0", "Q0"', 'value = ["O0x", "Q0"')
    with pytest.raises(KnowledgeError, match=r"ocr\.toml: key 'digit_lookalikes\.value'"):
        parse_ocr(FILE, broken)


# ---------------------------------------------------------------------------------------------
# Read from photographs


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Passport pages and card backs photographed in several poses, saved as JPEGs."""
    folder = tmp_path_factory.mktemp("mrz")
    page, card = mf.passport_page(), mf.id_back(CARD_PERSON)
    frame = (1600, 1200)
    poses: dict[str, tuple[Image.Image, dict[str, Any], int]] = {
        "tilted": (page, dict(background="chelsea", angle=8, keystone=0.08, blur=1.2), 50),
        "turned": (page, dict(background="rocket", angle=-15, blur=0.8), 70),
        "upside-down": (page, dict(background="coffee", upside_down=True, angle=3), 85),
        "card": (card, dict(background="rocket", fill=0.6, angle=-5, blur=1.0), 60),
        "no-mrz": (pf.text_document((880, 560), lines=8), dict(background="coffee"), 90),
    }
    return {
        name: mf.jpeg_file(mf.photographed(doc, frame=frame, **kw), folder / f"{name}.jpg", q)
        for name, (doc, kw, q) in poses.items()
    }


def _photo(path: Path, kind: str) -> Photo:
    return pf.decode(path.read_bytes(), kind=kind, name=path.name)


@pytest.fixture(scope="module")
def readings(shots: dict[str, Path]) -> dict[str, MrzReading]:
    """Each photo read once (about a second each); the verdicts below are judged on these."""
    from kyctui.domain.photos.mrz_read import read_photo_mrz

    size = load_ocr().read_long_side.value
    names = ("tilted", "turned", "upside-down", "no-mrz")
    return {n: read_photo_mrz(ocr_engine.open_for_ocr(shots[n], size)) for n in names}


def _verdict(
    reading: MrzReading, profile: Profile | None = None, today: date = TODAY, kind: str = "passport"
) -> CheckResult:
    return mrz_result(reading, kind, load_exchange("coinex"), today, profile, "passport")


@needs_ocr
@pytest.mark.parametrize("pose", ["tilted", "turned", "upside-down"])
def test_passport_zone_read_in_every_pose(readings: dict[str, MrzReading], pose: str) -> None:
    """Blur, JPEG artefacts, rotation, perspective and a photo taken upside down."""
    reading = readings[pose]
    assert reading.valid and reading.mrz is not None and reading.mrz.lines == TD3
    assert reading.names_score >= load_ocr().name_min_score.value


@needs_ocr
def test_card_back_read_and_matched(shots: dict[str, Path]) -> None:
    """End to end through the runner's entry point: a TD1 zone on a card's back."""
    path = shots["card"]
    profile = Profile(full_name="Anna Maria Eriksson", document_number="D23145890")
    exchange, limits = load_exchange("coinex"), load_photo_limits()
    photo = _photo(path, "id-back")
    results = ocr_checks(photo, path, exchange, limits, TODAY, profile, "national-id")
    assert [(r.id, r.status, r.value) for r in results] == [("doc.mrz", Status.PASS, "TD1")]
    assert "matches the profile" in results[0].message


@needs_ocr
def test_profile_match_passes_and_mismatch_fails_naming_the_field(
    readings: dict[str, MrzReading],
) -> None:
    result = _verdict(readings["tilted"], OWNER)
    assert result.status is Status.PASS and "every check digit is right" in result.message
    other = Profile(full_name=OWNER.full_name, date_of_birth="1974-08-21",
                    document_number="L898902C8", document_expiry=OWNER.document_expiry)  # fmt: skip
    result = _verdict(readings["tilted"], other)
    assert result.status is Status.FAIL
    assert "date of birth" in result.message and "document number" in result.message
    assert "The name" not in result.message  # the name matched
    assert "1974" not in result.message and "L898902" not in result.message  # no personal data
    renamed = Profile(full_name="Anna Eriksson")
    result = _verdict(readings["tilted"], renamed)
    assert result.status is Status.FAIL and "The name in the profile differs" in result.message


@needs_ocr
def test_expired_by_the_zone_fails(readings: dict[str, MrzReading]) -> None:
    result = _verdict(readings["turned"], today=date(2035, 1, 1))
    assert result.status is Status.FAIL and "expired" in result.message


@needs_ocr
def test_page_without_zone_warns_text_not_legible(readings: dict[str, MrzReading]) -> None:
    """A passport must have a zone: none found is a warning (never a pass, never a fail); a
    card's back without one passes, as many cards have none."""
    reading = readings["no-mrz"]
    assert reading.mrz is None and reading.text_lines > 0
    result = _verdict(reading)
    assert result.status is Status.WARN and result.message.startswith("Text not legible")
    result = _verdict(reading, kind="id-back")
    assert (result.status, result.value) == (Status.PASS, "none")


def test_misread_check_digits_warn_never_fail() -> None:
    """A zone whose digits do not add up was misread: a warning saying so."""
    broken = read_mrz([TD3[0], TD3[1][:19] + "9" + TD3[1][20:]])
    result = _verdict(MrzReading(broken, 15, True, 0.99), OWNER)
    assert result.status is Status.WARN
    assert "check digits of the date of birth and whole zone (composite) do not" in result.message


@needs_ocr
def test_unreadable_file_fails_saying_why(shots: dict[str, Path], tmp_path: Path) -> None:
    """The file changed after decoding: the check could not run, a fail with no path in it."""
    from kyctui.domain.photos.mrz_read import mrz_photo_checks

    gone = tmp_path / "secret-name.jpg"
    photo = _photo(shots["tilted"], "passport")
    (result,) = mrz_photo_checks(photo, gone, load_exchange("okx"), load_photo_limits(), TODAY)
    assert result.status is Status.FAIL and "secret-name" not in result.message
