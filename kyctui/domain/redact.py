"""Redaction of personal data in exports, and the same values scrubbed out of free text."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from kyctui.domain.display import safe_text
from kyctui.domain.photos.result import Value
from kyctui.domain.profile import Profile

LOCATION_REMOVED = "[location removed]"
ADDRESS_WITHHELD = "[address withheld]"
_VALUE_LIMIT = 80  # a measured value longer than this is not a measurement worth sending

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")  # a run of letters, apostrophe inside
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A directory part of a path (POSIX, home or Windows), not the `//` of a URL.
_DIRS = re.compile(r"(?<![\w.:/\\])(?:[A-Za-z]:[\\/]|~[\\/]|[\\/])(?:[^\s\\/]+[\\/])+(?=[^\s\\/])")
_DMS = re.compile(r"\d{1,3}\s*°\s*\d{1,2}\s*['′]\s*\d{1,2}(?:[.,]\d+)?\s*(?:[\"″]|'')?\s*[NSEW]?")
_DECIMAL_PAIR = re.compile(r"-?\d{1,3}\.\d{4,}\s*[,;/ ]\s*-?\d{1,3}\.\d{4,}")
_GPS_WORDS = re.compile(r"\b(?:gps|latitude|longitude|geo:)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
_MONTH = r"[^\W\d_]{3,9}\.?"


def initials(name: str) -> str:
    """ "Jane Q. Doe-Smith" → "J. Q. D.": the first letter of each word."""
    letters = [m.group()[0].upper() for part in name.split() if (m := _WORD.search(part))]
    return " ".join(f"{letter}." for letter in letters)


def birth_year(date_of_birth: str) -> str:
    """Only the year of a birth date as typed; withheld when no four-digit year is in it."""
    found = _YEAR.search(date_of_birth)
    return found.group() if found else "[withheld]"


def last_three(number: str) -> str:
    """A document number down to its last 3 characters; a number too short to hide any
    characters that way is withheld whole."""
    compact = re.sub(r"[\s-]", "", number)
    return f"***{compact[-3:]}" if len(compact) > 6 else "***"


def mask_email(email: str) -> str:
    """ "jane.doe@example.co.uk" → "j***@e***.uk": first letters and the top-level domain."""
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or not domain:
        return "***"
    top = domain.rsplit(".", 1)[1] if "." in domain else ""
    return f"{local[0]}***@{domain[0]}***" + (f".{top}" if top else "")


def bare_name(path: str) -> str:
    """The file name without the folders that may name the user (POSIX or Windows paths)."""
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1]


def looks_like_location(text: str) -> bool:
    """Whether the text holds coordinates or names a GPS field."""
    return bool(_GPS_WORDS.search(text) or _DMS.search(text) or _DECIMAL_PAIR.search(text))


def clean_value(value: Value, redact_paths: bool = True) -> Value:
    """A check's measured value fit for a ticket: numbers as they are; text that looks like
    a location removed and a path reduced to its file name (check values can come from EXIF)."""
    if not isinstance(value, str):
        return value
    if looks_like_location(value):
        return LOCATION_REMOVED
    if redact_paths and re.search(r"[\\/]", value):
        value = bare_name(value)
    return safe_text(value, _VALUE_LIMIT)  # no terminal controls from a file's metadata


def _flexible(text: str) -> str:
    # Matches the text whatever the case and spacing a message gives it.
    return r"\s+".join(re.escape(part) for part in text.split())


def _spaced(text: str) -> str:
    # A document number as printed with or without spaces and dashes between its characters.
    return r"[\s-]*".join(re.escape(ch) for ch in re.sub(r"[\s-]", "", text))


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _fixed(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _: text


def _date_rules(date_of_birth: str) -> list[Rule]:
    year = birth_year(date_of_birth)
    rules: list[Rule] = [(re.compile(_flexible(date_of_birth), re.I), _fixed(year))]
    if year.isdigit():  # the same date written another way in the message
        sep = r"[./\-\s]"
        forms = (
            rf"\d{{1,2}}{sep}\d{{1,2}}{sep}{year}",
            rf"{year}{sep}\d{{1,2}}{sep}\d{{1,2}}",
            rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{year}",
            rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{year}",
        )
        rules.append((re.compile(rf"(?<!\d)(?:{'|'.join(forms)})(?!\d)"), _fixed(year)))
    return rules


def _rules(profile: Profile) -> list[Rule]:
    # Whole values first (the email and number hold letters a name's words could take away),
    # then a name's words one by one: a message may quote only the surname, in capitals.
    rules: list[Rule] = []
    if email := profile.email.strip():
        rules.append((re.compile(re.escape(email), re.I), _fixed(mask_email(email))))
    if len(number := re.sub(r"[\s-]", "", profile.document_number)) >= 4:
        rules.append((re.compile(_spaced(number), re.I), _fixed(last_three(number))))
    if dob := profile.date_of_birth.strip():
        rules += _date_rules(dob)
    names = [n for n in (profile.full_name, profile.basic_level_name, profile.address_name) if n]
    for name in sorted(names, key=len, reverse=True):
        rules.append((re.compile(_flexible(name), re.I), _fixed(initials(name))))
    if profile.address.strip():
        parts = [p for p in re.split(r"[,\n]", profile.address) if len(p.strip()) >= 4]
        for part in [profile.address, *parts]:
            rules.append((re.compile(_flexible(part), re.I), _fixed(ADDRESS_WITHHELD)))
    words = {w for n in names for w in _WORD.findall(n) if len(w) >= 2}
    for word in sorted(words, key=len, reverse=True):
        # Bounded by non-letters only, so "doe_passport.jpg" loses the name too.
        bounded = rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])"
        rules.append((re.compile(bounded, re.I), _fixed(f"{word[0]}.")))
    return rules


class Redactor:
    """Applies (or, with `enabled` false, lifts) redaction for one profile."""

    def __init__(
        self, profile: Profile, enabled: bool = True, others: Sequence[Profile] = ()
    ) -> None:
        # `others`: profiles of earlier attempts, whose messages may quote those values.
        self.profile = profile
        self.enabled = enabled
        unique = dict.fromkeys((profile, *others))
        self._rules = [r for p in unique for r in _rules(p)] if enabled else []

    def text(self, text: str) -> str:
        """Free text (an exchange's message, a typed reason) without the profile's values,
        other email addresses, folders of paths or coordinates."""
        if not self.enabled:
            return text
        for pattern, replace in self._rules:
            text = pattern.sub(replace, text)
        text = _EMAIL.sub(lambda m: mask_email(m.group()), text)
        text = _DIRS.sub("", text)
        text = _DMS.sub(LOCATION_REMOVED, text)
        return _DECIMAL_PAIR.sub(LOCATION_REMOVED, text)

    def path(self, path: str) -> str:
        """A photo's path: its bare file name unless redaction is lifted."""
        return self.text(bare_name(path)) if self.enabled else path

    def value(self, value: Value) -> Value:
        """A check's measured value (see clean_value), scrubbed like free text."""
        cleaned = clean_value(value, redact_paths=self.enabled)
        return self.text(cleaned) if isinstance(cleaned, str) else cleaned

    def holder(self) -> list[tuple[str, str]]:
        """The profile fields a ticket shows, as (field name, value shown), non-empty only.
        Redacted: name, birth year, document number and email; otherwise every field."""
        p = self.profile
        if not self.enabled:
            return [(k, v) for k, v in p.as_dict().items() if v and k != "date_order"]
        shown = (
            ("full_name", p.full_name, initials),
            ("date_of_birth", p.date_of_birth, birth_year),
            ("document_number", p.document_number, last_three),
            ("email", p.email, mask_email),
        )
        return [(k, redact(v)) for k, v, redact in shown if v.strip()]
