"""Every check of one attempt's profile, and which checklist item each result settles."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial

from kyctui.domain.identity.advice import fix
from kyctui.domain.identity.date_checks import (
    check_address_issued,
    check_birth_date,
    check_expiry,
    reading_problem,
)
from kyctui.domain.identity.dates import AmbiguousDate, ParsedDate, parse_date
from kyctui.domain.identity.mrz import Mrz
from kyctui.domain.identity.mrz_checks import check_mrz
from kyctui.domain.identity.mrz_match import cross_check
from kyctui.domain.identity.name_checks import check_legal_name, compare_result
from kyctui.domain.photos.result import CheckResult, Status, worst
from kyctui.domain.profile import Profile
from kyctui.knowledge.checklist import plan_for
from kyctui.knowledge.identity import load_identity
from kyctui.knowledge.model import ExchangeRules

# Result id → the checklist item it settles (checklist.toml). mrz.* results judge the typed
# zone itself, not the user's details, and settle nothing.
SETTLES: dict[str, str] = {
    "profile.name": "profile.legal-name",
    "match.name": "profile.legal-name",
    "profile.birth-date": "profile.birth-date",
    "match.birth-date": "profile.birth-date",
    "profile.document-number": "profile.nationality-number",
    "match.document-number": "profile.nationality-number",
    "match.nationality": "profile.nationality-number",
    "match.document-type": "documents.type-matches",
    "profile.basic-name": "profile.same-name-as-basic",
    "document.expiry": "documents.not-expired",
    "match.expiry-date": "documents.not-expired",
    "address.issued": "documents.address-recent",
    "address.name": "profile.full-name-on-address",
    "statement.date": "statement.date-and-word",
    "statement.word": "statement.date-and-word",
}


@dataclass(frozen=True)
class DateQuestion:
    """A typed date that reads two ways: the UI asks which, then sets Profile.date_order."""

    field: str  # the Profile field
    day_first: date
    month_first: date


@dataclass(frozen=True)
class ProfileReport:
    """The results, the worst status per checklist item (items with nothing entered are
    absent), and the dates to ask about."""

    results: tuple[CheckResult, ...]
    items: dict[str, Status]
    questions: tuple[DateQuestion, ...]

    def for_item(self, item_id: str) -> tuple[CheckResult, ...]:
        """The results that settle one item."""
        return tuple(r for r in self.results if SETTLES.get(r.id) == item_id)


def item_statuses(
    results: Iterable[CheckResult], items: Collection[str] | None = None
) -> dict[str, Status]:
    """Item id → the worst status of the results that settle it (only `items`, when given)."""
    grouped: dict[str, list[Status]] = {}
    for result in results:
        item = SETTLES.get(result.id)
        if item is not None and (items is None or item in items):
            grouped.setdefault(item, []).append(result.status)
    return {item: worst(statuses) for item, statuses in grouped.items()}


def _document_number(typed: str) -> CheckResult:
    if re.fullmatch(r"[A-Za-z0-9]+", re.sub(r"[\s\-]", "", typed)):
        message = "Letters and digits only, as document numbers are."
        return CheckResult("profile.document-number", Status.PASS, None, None, message)
    message = "The document number holds characters documents do not print."
    advice = fix("document-number")
    return CheckResult("profile.document-number", Status.FAIL, None, None, message, advice)


class _Checks:
    """Collects results and date questions while check_profile runs."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.results: list[CheckResult] = []
        self.questions: list[tuple[str, DateQuestion]] = []  # with the id of the check asking

    def date(
        self, field: str, check_id: str, what: str, then: Callable[[date], CheckResult]
    ) -> None:
        typed = getattr(self.profile, field)
        if not typed.strip():
            return
        reading = parse_date(typed, self.profile.date_order)
        if isinstance(reading, AmbiguousDate):
            question = DateQuestion(field, reading.day_first, reading.month_first)
            self.questions.append((check_id, question))
        if problem := reading_problem(check_id, reading, what):
            self.results.append(problem)
        elif isinstance(reading, ParsedDate):
            self.results.append(then(reading.value))


def check_profile(
    profile: Profile,
    exchange: ExchangeRules,
    level: str,
    document_type: str,
    today: date,
    mrz: Mrz | None = None,
) -> ProfileReport:
    """Check what is filled in of `profile` for this exchange, level and document, as of
    `today` (the user's local date). `mrz`, when the user typed one, is checked and compared
    with the profile. ValueError when the exchange has no such level or document type."""
    in_plan = {item.id for step in plan_for(exchange, level, document_type) for item in step.items}
    rules = load_identity()
    checks, p = _Checks(profile), profile
    if p.full_name.strip():
        checks.results.append(check_legal_name(p.full_name))
    min_age, max_age = rules.min_age_years.value, rules.max_age_years.value
    birth = partial(check_birth_date, today=today, min_age=min_age, max_age=max_age)
    checks.date("date_of_birth", "profile.birth-date", "The date of birth", birth)
    expiry = partial(check_expiry, today=today, warn_days=rules.expiry_warn_days.value)
    checks.date("document_expiry", "document.expiry", "The expiry date", expiry)
    if p.document_number.strip():
        checks.results.append(_document_number(p.document_number))
    if p.full_name.strip() and p.basic_level_name.strip():
        checks.results.append(
            compare_result("profile.basic-name", p.full_name, p.basic_level_name, "basic")
        )
    if p.full_name.strip() and p.address_name.strip():
        checks.results.append(
            compare_result("address.name", p.full_name, p.address_name, "address", exchange.id)
        )
    issued = partial(
        check_address_issued,
        today=today,
        max_age_days=exchange.address_proof_max_age_days.value,
        warn_days=rules.address_age_warn_days.value,
    )
    checks.date("address_issued", "address.issued", "The proof of address's issue date", issued)
    if mrz is not None:
        typed_expiry = any(r.id == "document.expiry" for r in checks.results)
        for result in check_mrz(mrz, today, exchange):
            if not (typed_expiry and result.id == "document.expiry"):
                checks.results.append(result)
        checks.results.extend(cross_check(mrz, profile, today, document_type))

    # A result whose item is not part of this attempt (address checks at the basic level) is
    # left out, so the report never shows a check for a step the user does not see.
    def wanted(check_id: str) -> bool:
        return check_id not in SETTLES or SETTLES[check_id] in in_plan

    kept = tuple(r for r in checks.results if wanted(r.id))
    questions = tuple(q for check_id, q in checks.questions if wanted(check_id))
    return ProfileReport(kept, item_statuses(kept, in_plan), questions)
