"""Date checks: expiry, age of a proof of address, date of birth; each a CheckResult.

Messages count days rather than repeating the dates the user typed, so a stored or exported
result carries no birth or expiry date; only the day a proof of address ages out is named.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kyctui.domain.identity.advice import fix
from kyctui.domain.identity.dates import AmbiguousDate, DateReading, InvalidDate
from kyctui.domain.photos.result import CheckResult, Status


def local_today(now: datetime | None = None) -> date:
    """Today in the user's time zone (the computer's), which is the statement's date."""
    return (now or datetime.now()).astimezone().date()


def _days(n: int) -> str:
    return "1 day" if abs(n) == 1 else f"{abs(n)} days"


def reading_problem(check_id: str, reading: DateReading, what: str) -> CheckResult | None:
    """A warning for a date that could be read two ways, a failure for one that is not a date;
    None when the date was read. `what` names the field: "Date of birth"."""
    if isinstance(reading, AmbiguousDate):
        # The two readings are in the AmbiguousDate for the question; not in the message.
        message = f"{what} could be read day first or month first: say which."
        return CheckResult(check_id, Status.WARN, None, None, message, fix("date-ambiguous"))
    if isinstance(reading, InvalidDate):
        advice = "date-impossible" if reading.impossible else "date-unreadable"
        message = f"{what} is not a valid date: {reading.reason}."
        return CheckResult(check_id, Status.FAIL, None, None, message, fix(advice))
    return None


def check_expiry(
    expiry: date, today: date, warn_days: int, check_id: str = "document.expiry"
) -> CheckResult:
    """Expired: fail. Expiring within `warn_days` (a review can take days): warn."""
    left = (expiry - today).days
    if left < 0:
        message = f"The document expired {_days(left)} ago."
        return CheckResult(check_id, Status.FAIL, left, 0, message, fix("expired"))
    if left <= warn_days:
        when = "today" if left == 0 else f"in {_days(left)}"
        message = f"The document expires {when}; the review may outlast it."
        return CheckResult(check_id, Status.WARN, left, warn_days, message, fix("expiring"))
    return CheckResult(check_id, Status.PASS, left, warn_days, f"Valid for {_days(left)} more.")


def check_address_issued(
    issued: date, today: date, max_age_days: int, warn_days: int, check_id: str = "address.issued"
) -> CheckResult:
    """Older than the exchange's limit: fail, naming the day it aged out; close to it: warn."""
    age = (today - issued).days
    if age < 0:
        message = "The proof of address is dated in the future."
        return CheckResult(check_id, Status.FAIL, age, max_age_days, message, fix("address-future"))
    last_day = issued + timedelta(days=max_age_days)
    if today > last_day:
        message = (
            f"Issued {_days(age)} ago: too old since {last_day.isoformat()} "
            f"(limit {max_age_days} days)."
        )
        return CheckResult(check_id, Status.FAIL, age, max_age_days, message, fix("address-old"))
    left = (last_day - today).days
    if left <= warn_days:
        message = f"Issued {_days(age)} ago: too old after {last_day.isoformat()}."
        return CheckResult(check_id, Status.WARN, age, max_age_days, message, fix("address-old"))
    message = f"Issued {_days(age)} ago; recent enough until {last_day.isoformat()}."
    return CheckResult(check_id, Status.PASS, age, max_age_days, message)


def check_birth_date(
    born: date, today: date, min_age: int, max_age: int, check_id: str = "profile.birth-date"
) -> CheckResult:
    """A birth date in the future or implausibly long ago: fail. Under `min_age`: warn."""
    if born > today:
        message = "The date of birth is in the future."
        return CheckResult(check_id, Status.FAIL, None, None, message, fix("birth-implausible"))
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age > max_age:
        message = f"The date of birth makes you {age} years old."
        return CheckResult(check_id, Status.FAIL, age, max_age, message, fix("birth-implausible"))
    if age < min_age:
        message = f"The date of birth makes you {age}; exchanges verify adults ({min_age}+)."
        return CheckResult(check_id, Status.WARN, age, min_age, message, fix("under-age"))
    return CheckResult(check_id, Status.PASS, age, min_age, "A valid date of birth, of age.")
