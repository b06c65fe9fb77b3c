"""Cross-checks the profile with the MRZ: name, birth date, expiry, number, nationality, type."""

from __future__ import annotations

import re
from datetime import date

from kyctui.domain.identity.advice import fix
from kyctui.domain.identity.dates import AmbiguousDate, ParsedDate, parse_date
from kyctui.domain.identity.mrz import Mrz, mrz_date
from kyctui.domain.identity.mrz_checks import KIND_TITLES, document_kind
from kyctui.domain.identity.name_checks import mildest, name_result
from kyctui.domain.identity.names import compare_names
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.profile import Profile
from kyctui.knowledge.identity import load_identity

_ORDER_WORDS = {"dmy": "day first", "mdy": "month first"}


def _name(profile: Profile, mrz: Mrz) -> CheckResult:
    typo_max = load_identity().typo_max_distance.value
    # The MRZ keeps surname and given names apart: either order of typing them is its order.
    writings = [f"{mrz.given_names} {mrz.surname}", f"{mrz.surname} {mrz.given_names}"]
    match = mildest([compare_names(profile.full_name, w, typo_max) for w in writings])
    result = name_result("match.name", match, "mrz")
    if mrz.names_truncated and result.status is Status.FAIL:
        # The field ends without a filler: a long name may have been cut to fit.
        message = f"{result.message} The MRZ may cut long names short: compare the printed name."
        return CheckResult(result.id, Status.WARN, result.value, None, message, result.fix)
    return result


def _same_day(typed: date, read: date) -> bool:
    # The MRZ has no century; the typed four-digit year settles it.
    return (typed.year % 100, typed.month, typed.day) == (read.year % 100, read.month, read.day)


def _date(
    check_id: str, typed: str, order: str, read: date | None, what: str
) -> CheckResult | None:
    if not typed.strip() or read is None:
        return None
    reading = parse_date(typed, order)
    if isinstance(reading, ParsedDate):
        if _same_day(reading.value, read):
            return CheckResult(check_id, Status.PASS, None, None, f"Same {what} as the MRZ.")
        message = f"The {what} differs from the one in the MRZ."
        return CheckResult(check_id, Status.FAIL, None, None, message, fix("mrz-mismatch"))
    if isinstance(reading, AmbiguousDate):
        fits = [o for o in ("dmy", "mdy") if _same_day(reading.pick(o), read)]
        if fits:
            message = f"The {what} matches the MRZ when read {_ORDER_WORDS[fits[0]]}: say so."
            return CheckResult(check_id, Status.WARN, None, None, message, fix("date-ambiguous"))
        message = f"The {what} differs from the one in the MRZ, whichever way it is read."
        return CheckResult(check_id, Status.FAIL, None, None, message, fix("mrz-mismatch"))
    return None  # not a date: the profile's own check says why


def _number(typed: str, read: str) -> CheckResult:
    entered = re.sub(r"[\s\-]", "", typed).upper()
    if entered == read:
        return CheckResult(
            "match.document-number", Status.PASS, None, None, "Same document number as the MRZ."
        )
    pairs = load_identity().mrz_confusions.value
    differing = [(i, a, b) for i, (a, b) in enumerate(zip(entered, read, strict=False)) if a != b]
    look_alike = len(entered) == len(read) and all(
        any({a, b} == set(p) for p in pairs) for _, a, b in differing
    )
    if look_alike:
        where = ", ".join(f"character {i + 1} ({a} typed, {b} in the MRZ)" for i, a, b in differing)
        message = f"The document number differs from the MRZ only in look-alikes: {where}."
    else:
        message = "The document number differs from the one in the MRZ."
    return CheckResult(
        "match.document-number", Status.FAIL, None, None, message, fix("document-number")
    )


def _nationality(typed: str, read: str) -> CheckResult | None:
    code = typed.strip().upper()
    # Only a typed code can be compared: kyctui keeps no table of country names.
    if not re.fullmatch(r"[A-Z]{1,3}", code):
        return None
    if code == read:
        return CheckResult("match.nationality", Status.PASS, None, None, "Same code as the MRZ.")
    message = f"The nationality code differs from the MRZ's ({read})."
    return CheckResult("match.nationality", Status.FAIL, None, None, message, fix("mrz-mismatch"))


def _document_type(mrz: Mrz, chosen: str) -> CheckResult:
    kind = document_kind(mrz)
    title = KIND_TITLES[kind]
    if kind == chosen:
        message = f"The MRZ is a {title}'s, as chosen."
        return CheckResult("match.document-type", Status.PASS, kind, chosen, message)
    message = f"The MRZ is a {title}'s, not the document type chosen."
    advice = fix("document-type")
    return CheckResult("match.document-type", Status.FAIL, kind, chosen, message, advice)


def cross_check(
    mrz: Mrz, profile: Profile, today: date, document_type: str = ""
) -> list[CheckResult]:
    """match.<field> for each profile field that is filled in; document_type ("passport",
    "national-id", ...) is the one chosen for the attempt."""
    results: list[CheckResult | None] = []
    if profile.full_name.strip():
        results.append(_name(profile, mrz))
    order = profile.date_order
    birth, expiry = mrz_date(mrz.birth_date, today, True), mrz_date(mrz.expiry_date, today, False)
    results.append(_date("match.birth-date", profile.date_of_birth, order, birth, "date of birth"))
    results.append(
        _date("match.expiry-date", profile.document_expiry, order, expiry, "expiry date")
    )
    if profile.document_number.strip():
        results.append(_number(profile.document_number, mrz.document_number))
    results.append(_nationality(profile.nationality, mrz.nationality))
    if document_type:
        results.append(_document_type(mrz, document_type))
    return [r for r in results if r is not None]
