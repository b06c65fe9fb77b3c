"""The doc.mrz verdict: what the zone read from a photo says, as one CheckResult.

The identity checks judge the zone (mrz_checks) and hold it against the profile (mrz_match);
this only decides what a photo's reading amounts to. A zone whose check digits do not add up
was misread (or is unreadable to the exchange too): a warning, never a verdict on the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kyctui.domain.identity.mrz import Mrz
from kyctui.domain.identity.mrz_checks import LABELS, check_mrz
from kyctui.domain.identity.mrz_match import cross_check
from kyctui.domain.photos.mrz_repair import digits_right
from kyctui.domain.photos.result import CheckResult, Status, worst
from kyctui.domain.profile import Profile
from kyctui.knowledge.model import ExchangeRules
from kyctui.knowledge.ocr import load_ocr

ID = "doc.mrz"
# Results about characters the check digits do not cover: an odd one is likelier a misread.
_UNCOVERED = ("mrz.sex",)
# The profile fields mrz_match.cross_check compares, as the message names them.
_FIELDS = {
    "match.name": "name",
    "match.birth-date": "date of birth",
    "match.expiry-date": "expiry date",
    "match.document-number": "document number",
    "match.nationality": "nationality",
    "match.document-type": "document type",
}


@dataclass(frozen=True)
class MrzReading:
    """What reading a photo found: the best zone (its check digits may still be wrong), how many
    text lines the photo showed, and whether lines shaped like a zone were among them."""

    mrz: Mrz | None
    text_lines: int
    zone_seen: bool
    names_score: float = 0.0  # the recognizer's confidence in the names line, 0-1

    @property
    def valid(self) -> bool:
        """A zone was read and every check digit is right."""
        return self.mrz is not None and digits_right(self.mrz) == len(self.mrz.digits)


def _unread(text_lines: int, zone_seen: bool, kind: str) -> CheckResult:
    rules = load_ocr()
    advice = rules.advice
    if text_lines == 0:
        message = "Text not legible: no text could be found in the photo."
        return CheckResult(ID, Status.WARN, None, None, message, advice["not-legible"])
    if zone_seen:
        message = "Text not legible: lines like an MRZ were found but could not be read."
        return CheckResult(ID, Status.WARN, None, None, message, advice["not-legible"])
    if kind in rules.mrz_required_kinds.value:
        message = "Text not legible: no MRZ found at the foot of the page."
        return CheckResult(ID, Status.WARN, None, None, message, advice["mrz-not-found"])
    message = "No MRZ on this side of the card (many ID cards have none): nothing to compare."
    return CheckResult(ID, Status.PASS, "none", None, message)


def _plain(r: CheckResult, names_sure: bool) -> CheckResult:
    """A result restated without the values compared (a name's differing part is personal
    data), and a fail on characters no check digit covers made a warning when it may be a
    misread."""
    status = r.status
    if status is Status.FAIL and (r.id in _UNCOVERED or (r.id == "match.name" and not names_sure)):
        status = Status.WARN
    message = r.message
    if r.id == "match.name" and status is Status.WARN:
        message = f"The name differs from the MRZ's ({r.value}): compare it by eye."
    elif r.id in _FIELDS and status is Status.FAIL:
        message = f"The {_FIELDS[r.id]} in the profile differs from the MRZ's."
    return CheckResult(r.id, status, r.value, r.limit, message, r.fix)


def mrz_result(
    reading: MrzReading,
    kind: str,
    exchange: ExchangeRules,
    today: date,
    profile: Profile | None = None,
    document_type: str = "",
) -> CheckResult:
    """doc.mrz for a reading: fail for an expired document, a document the exchange does not
    take, or a field that differs from the profile (naming it); warn when the zone could not be
    read with every check digit right; pass otherwise. Messages carry no personal data."""
    mrz = reading.mrz
    if mrz is None:
        return _unread(reading.text_lines, reading.zone_seen, kind)
    wrong = [LABELS[d.field] for d in mrz.digits if not d.ok]
    if wrong:
        which = " and ".join([", ".join(wrong[:-1]), wrong[-1]] if len(wrong) > 1 else wrong)
        digits = "check digits of the" if len(wrong) > 1 else "check digit of the"
        verb = "do" if len(wrong) > 1 else "does"
        message = (
            f"Text not legible: the MRZ ({mrz.format}) was read, but the {digits} {which} "
            f"{verb} not add up."
        )
        fix = load_ocr().advice["mrz-digits"]
        return CheckResult(ID, Status.WARN, mrz.format, None, message, fix)
    results = check_mrz(mrz, today, exchange)
    compared = profile is not None and not profile.empty
    if profile is not None and compared:
        results += cross_check(mrz, profile, today, document_type)
    names_sure = reading.names_score >= load_ocr().name_min_score.value
    problems = [r for r in (_plain(r, names_sure) for r in results) if r.status is not Status.PASS]
    if not problems:
        also = " and it matches the profile" if compared else ""
        message = f"MRZ ({mrz.format}) read: every check digit is right{also}."
        return CheckResult(ID, Status.PASS, mrz.format, None, message)
    status = worst([r.status for r in problems])
    problems.sort(key=lambda r: r.status is not Status.FAIL)
    message = f"MRZ ({mrz.format}): " + " ".join(r.message for r in problems)
    fix = next((r.fix for r in problems if r.fix), "")
    return CheckResult(ID, status, mrz.format, None, message, fix)
