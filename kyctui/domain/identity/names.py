"""Compares two ways of writing a person's name and says what kind of difference it is."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum


class NameVerdict(StrEnum):
    """Kinds of difference, mildest first; the values are the keys of identity.toml."""

    EXACT = "exact"
    FORMATTING = "equivalent-formatting"
    DIACRITICS = "diacritics"
    ORDER = "order"
    MISSING_MIDDLE = "missing-middle"
    INITIALS = "initials"
    TYPO = "typo"
    DIFFERENT = "different"


@dataclass(frozen=True)
class NameMatch:
    """The verdict and a short note of what differs (single names only, never both in full)."""

    verdict: NameVerdict
    detail: str = ""


@dataclass(frozen=True)
class _Token:
    text: str  # as typed (NFKC), for the detail
    key: str  # lower case
    skeleton: str  # without accents, umlauts folded: Müller, Mueller and Muller agree
    abbreviated: bool  # one letter, or written with a full stop: "J.", "Wm."


# A name is a run of anything but hyphens, apostrophes, full stops, commas, spaces and the MRZ's
# filler, which all separate names: "O'Brien", "O Brien" and "OBRIEN" differ only in formatting.
_WORD = re.compile(r"[^\s\-‐‑‒–—―'’ʼ`´.,<]+")
# Letters that do not decompose into a base letter and an accent.
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                       "þ": "th", "ı": "i"})  # fmt: skip
# ICAO 9303 writes Ä Ö Ü as AE OE UE (or plain A O U): fold both spellings to the plain letter.
_UMLAUT = re.compile(r"(?<=[aou])e")


def _skeleton(key: str) -> str:
    plain = unicodedata.normalize("NFKD", key.translate(_FOLD))
    letters = "".join(c for c in plain if not unicodedata.combining(c))
    return _UMLAUT.sub("", letters)


def _plain(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split())


def _tokens(name: str) -> list[_Token]:
    text = _plain(name)
    tokens: list[_Token] = []
    for match in _WORD.finditer(text):
        word = match.group()
        dotted = text[match.end() : match.end() + 1] == "."
        key = word.lower()  # not casefold(): that turns ß into ss, a transliteration
        shown = word + "." if dotted else word
        tokens.append(_Token(shown, key, _skeleton(key), dotted or len(word) == 1))
    return tokens


def damerau_levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, prev2[j - 2] + 1)
            row.append(cost)
        prev2, prev = prev, row
    return prev[-1]


def _quote(token: _Token) -> str:
    # Keep the detail short: one name, cut if it is long.
    text = token.text if len(token.text) <= 20 else token.text[:19] + "…"
    return f'"{text}"'


def _first_difference(a: list[_Token], b: list[_Token], attr: str) -> str:
    for x, y in zip(a, b, strict=False):
        if getattr(x, attr) != getattr(y, attr):
            return f"{_quote(x)} / {_quote(y)}"
    return ""


def _abbreviates(short: list[_Token], long: list[_Token]) -> str:
    """'"J." for "John"' when every name of `short` is in `long`, in order, some as initials."""
    found, rest = "", iter(long)
    for token in short:
        for candidate in rest:
            if candidate.skeleton == token.skeleton:
                break
            if token.abbreviated and candidate.skeleton.startswith(token.skeleton):
                found = found or f"{_quote(token)} for {_quote(candidate)}"
                break
        else:
            return ""
    return found


def compare_names(entered: str, document: str, typo_max: int = 2) -> NameMatch:
    """How `entered` differs from `document`: the mildest verdict that explains the difference."""
    if entered.strip() == document.strip():
        return NameMatch(NameVerdict.EXACT)
    a, b = _tokens(entered), _tokens(document)
    ka, kb = [t.key for t in a], [t.key for t in b]
    if ka == kb or "".join(ka) == "".join(kb):
        if [t.text for t in a] == [t.text for t in b]:
            what = "hyphens and spaces"
        elif _plain(entered).casefold() == _plain(document).casefold():
            what = "capitals"
        else:
            what = "capitals, hyphens or spaces"
        return NameMatch(NameVerdict.FORMATTING, what)
    sa, sb = [t.skeleton for t in a], [t.skeleton for t in b]
    if sa == sb or "".join(sa) == "".join(sb):
        return NameMatch(NameVerdict.DIACRITICS, _first_difference(a, b, "key"))
    if Counter(sa) == Counter(sb):
        return NameMatch(NameVerdict.ORDER, f"{_quote(a[0])} first instead of {_quote(b[0])}")
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if shorter and not Counter(t.skeleton for t in shorter) - Counter(t.skeleton for t in longer):
        left = Counter(t.skeleton for t in longer) - Counter(t.skeleton for t in shorter)
        missing = next(t for t in longer if t.skeleton in left)
        return NameMatch(NameVerdict.MISSING_MIDDLE, f"{_quote(missing)} only in one of them")
    if initials := _abbreviates(a, b) or _abbreviates(b, a):
        return NameMatch(NameVerdict.INITIALS, initials)
    if _is_typo(sa, sb, typo_max):
        return NameMatch(NameVerdict.TYPO, _first_difference(a, b, "skeleton"))
    # A typo in names written in another order: compare them sorted.
    a, b = sorted(a, key=lambda t: t.skeleton), sorted(b, key=lambda t: t.skeleton)
    if _is_typo([t.skeleton for t in a], [t.skeleton for t in b], typo_max):
        return NameMatch(NameVerdict.TYPO, _first_difference(a, b, "skeleton"))
    return NameMatch(NameVerdict.DIFFERENT)


def _is_typo(a: list[str], b: list[str], typo_max: int) -> bool:
    """At most `typo_max` edits in all, and none that changes half of a name."""
    pairs = list(zip(a, b, strict=True)) if len(a) == len(b) else [(" ".join(a), " ".join(b))]
    distances = [(damerau_levenshtein(x, y), min(len(x), len(y))) for x, y in pairs]
    # A short name two letters off is another name, not a typo: Li / Lu, Ann / Amy.
    return 0 < sum(d for d, _ in distances) <= typo_max and all(d * 2 < n for d, n in distances)
