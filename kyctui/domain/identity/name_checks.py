"""Name checks as CheckResults: the legal name on its own, and against another writing of it."""

from __future__ import annotations

import re
import unicodedata

from kyctui.domain.identity.advice import fix
from kyctui.domain.identity.names import NameMatch, NameVerdict, compare_names
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge.identity import load_identity

_ORDER = list(NameVerdict)
# Differences that leave the name short of its full form.
_ABBREVIATED = (NameVerdict.INITIALS, NameVerdict.MISSING_MIDDLE)
# Letters (any script), combining marks, and the separators names are written with.
_NAME_CHARS = re.compile(r"[\w\s\-‐‑'’ʼ.,]+")


def check_legal_name(name: str, check_id: str = "profile.name") -> CheckResult:
    """The legal name alone: letters only, and no initials where the full name belongs."""
    plain = unicodedata.normalize("NFKC", name)
    if not _NAME_CHARS.fullmatch(plain) or any(c.isdigit() or c == "_" for c in plain):
        message = "The name holds digits or symbols, which no document prints in a name."
        return CheckResult(check_id, Status.FAIL, None, None, message, fix("name-characters"))
    # O'Neill is one word; Ó (Irish) and y (García y López) are words, not initials.
    words = re.findall(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*\.?", plain)
    if any(w.endswith(".") or re.fullmatch("[A-Z]", w) for w in words):
        message = "The name has initials or abbreviations; the document has the names in full."
        return CheckResult(check_id, Status.WARN, None, None, message, fix("name-initials"))
    return CheckResult(check_id, Status.PASS, None, None, "A full name, in letters.")


def mildest(matches: list[NameMatch]) -> NameMatch:
    """The match with the mildest verdict (e.g. of the two orders an MRZ name can be read in)."""
    return min(matches, key=lambda m: _ORDER.index(m.verdict))


def name_result(
    check_id: str, match: NameMatch, context: str, exchange_id: str = ""
) -> CheckResult:
    """The CheckResult for a comparison. `context` is mrz, basic or address (identity.toml);
    `exchange_id` matters for the proof of address, where some exchanges want the full name."""
    rules = load_identity()
    text = rules.name_verdicts[str(match.verdict)]
    status = Status(text.status[context])
    wants_full = exchange_id in rules.full_name_on_address.value
    if context == "address" and wants_full and match.verdict in _ABBREVIATED:
        status = Status.FAIL
    template = text.message if match.detail else text.message.replace(" ({detail})", "")
    message = template.format(other=rules.name_context[context], detail=match.detail)
    advice = "" if status is Status.PASS else text.fix
    return CheckResult(check_id, status, str(match.verdict), None, message, advice)


def compare_result(
    check_id: str, entered: str, other: str, context: str, exchange_id: str = ""
) -> CheckResult:
    """Compare two writings of a name and judge the difference in `context`."""
    match = compare_names(entered, other, load_identity().typo_max_distance.value)
    return name_result(check_id, match, context, exchange_id)
