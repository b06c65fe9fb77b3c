"""The support-ticket summary as data, redacted unless personal data is asked for; rendering."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from kyctui.domain.attempts import Attempt, AttemptStatus
from kyctui.domain.display import safe_text
from kyctui.domain.outcomes import Action, Outcome, OutcomeResult
from kyctui.domain.redact import Redactor
from kyctui.domain.ticket import Ticket

Format = Literal["md", "txt", "json"]
FORMATS: tuple[Format, ...] = ("md", "txt", "json")
EXPORT_VERSION = 1

REDACTED_NOTICE = (
    "Personal data is redacted: the name as initials, the date of birth as the year, the document"
    " number as its last 3 characters, the email partly masked, photos by file name only."
)
PII_NOTICE = (
    "CONTAINS PERSONAL DATA: exported with personal data included (--include-pii). It shows"
    " the full name, date of birth, document number, email and address as entered. Share it only"
    " with the exchange's own support."
)
RESULT_LABELS = {
    OutcomeResult.APPROVED: "approved",
    OutcomeResult.UNDER_REVIEW: "under review",
    OutcomeResult.REJECTED: "rejected",
}
STATUS_LABELS = {
    AttemptStatus.IN_PROGRESS: "being prepared",
    AttemptStatus.READY: "ready to submit",
    AttemptStatus.APPROVED: "approved",
    AttemptStatus.UNDER_REVIEW: "under review",
    AttemptStatus.REJECTED: "rejected",
}
ACTION_LABELS = {
    Action.WAITED: "waited a few hours before trying again",
    Action.CLEARED_CACHE: "cleared the browser's or the app's cache and cookies",
    Action.UPDATED_APP: "updated the app",
    Action.SWITCHED_DEVICE: "switched to another device",
    Action.USED_WEB_FLOW: "used the web flow with the QR code",
    Action.CONTACTED_SUPPORT: "contacted support before",
}
HOLDER_LABELS = {
    "full_name": "Full name",
    "date_of_birth": "Date of birth",
    "nationality": "Nationality",
    "document_number": "Document number",
    "document_expiry": "Document expiry",
    "email": "Account email",
    "basic_level_name": "Name verified at the basic level",
    "address_name": "Name on the proof of address",
    "address": "Address",
    "address_issued": "Proof of address issued",
}


def render_ticket(ticket: Ticket, fmt: Format, include_pii: bool) -> str:
    """The ticket in `fmt`, ending with a newline; personal data redacted unless include_pii."""
    from kyctui.domain import export_text

    data = ticket_data(ticket, include_pii)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return export_text.markdown(data)
    if fmt == "txt":
        return export_text.plain(data)
    raise ValueError(f"unknown export format {fmt!r}")


def _one_line(text: str) -> str:
    # Pasted messages keep their words, not their layout: one line, no terminal controls.
    return safe_text(" ".join(text.split()), limit=2000)


def ticket_data(ticket: Ticket, include_pii: bool) -> dict[str, Any]:
    """The ticket as JSON-ready data, already redacted: every format renders from this."""
    r = Redactor(ticket.profile, not include_pii, [a.profile for a in ticket.attempts])

    def when(moment: datetime) -> str:
        return moment.astimezone(ticket.tz).isoformat(timespec="seconds")

    def text(value: str) -> str:
        return r.text(_one_line(value))

    def named(titles: Mapping[str, str], ident: str) -> dict[str, str]:
        return {"id": ident, "title": text(titles.get(ident, ident))}

    def outcome(o: Outcome) -> dict[str, Any]:
        reason = ticket.reason_titles.get(o.reason_id, o.reason_id) if o.reason_id else ""
        return {
            "result": str(o.result),
            "reason_id": o.reason_id,
            "reason": text(reason or o.reason_text),
            "message": text(o.message),
            "occurred_at": when(o.occurred_at),
        }

    def attempt(a: Attempt) -> dict[str, Any]:
        photos = [
            {
                "photo": named(ticket.slot_titles, slot),
                "file": text(r.path(photo.path)),
                "verdict": str(photo.verdict),
                "checks": [
                    {"id": c.id, "status": str(c.status)}
                    | {"value": r.value(c.value), "limit": r.value(c.limit)}
                    for c in photo.checks
                ],
            }
            for slot, photo in a.photos.items()
        ]
        return {
            "id": a.id,
            "level": named(ticket.level_titles, a.level),
            "document_type": named(ticket.document_titles, a.document_type),
            "started_at": when(a.created_at),
            "status": str(a.status),
            "outcomes": [outcome(o) for o in a.outcomes],
            "photos": photos,
        }

    subject = ticket.attempt
    attempts = [attempt(a) for a in ticket.attempts]
    actions = [
        {"action": str(t.action), "label": ACTION_LABELS[t.action], "attempt": t.attempt_id}
        | {"taken_at": when(t.taken_at)}
        for t in ticket.actions
    ]
    data: dict[str, Any] = {
        "version": EXPORT_VERSION,
        "redacted": not include_pii,
        "notice": PII_NOTICE if include_pii else REDACTED_NOTICE,
        "generated_at": when(ticket.generated_at),
        "exchange": {"id": subject.exchange, "name": ticket.exchange_name or subject.exchange},
        "level": named(ticket.level_titles, subject.level),
        "document_type": named(ticket.document_titles, subject.document_type),
        "attempt": subject.id,
        "holder": {name: text(value) for name, value in r.holder()},
        "device": {k: text(v) for k, v in vars(ticket.device).items()},
        "system": {k: _one_line(v) for k, v in vars(ticket.system).items()},
        "advice": text(ticket.advice) if ticket.advice else None,
        "attempts": attempts,
        "actions": actions,
    }
    data["request"] = support_request(data, ticket.generated_at)
    return data


def _day(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")


def _times(n: int) -> str:
    return "twice" if n == 2 else f"{n} times"


def support_request(data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A short, polite request of what support should look at, from the recorded answers."""
    where = f"{data['level']['title']} verification on {data['exchange']['name']}"
    intro = f"Hello, I am trying to complete {where} with my {data['document_type']['title']}."
    answers = sorted(
        (o for a in data["attempts"] for o in a["outcomes"]),
        key=lambda o: datetime.fromisoformat(o["occurred_at"]),  # by instant: offsets may differ
    )
    latest = answers[-1] if answers else None
    last_time: dict[str, str] = {}  # reason → when it was last given (answers are in order)
    counts: Counter[str] = Counter()
    for o in answers:
        if o["result"] == OutcomeResult.REJECTED:
            last_time[o["reason"]] = o["occurred_at"]
            counts[o["reason"]] += 1
    points = []
    if latest and latest["result"] == OutcomeResult.UNDER_REVIEW:
        hours = int((now - datetime.fromisoformat(latest["occurred_at"])).total_seconds() // 3600)
        points.append(
            f"Whether my submission of {_day(latest['occurred_at'])} is still being processed:"
            f" it has been under review for {max(hours, 0)} hours."
        )
    newest_first = sorted(last_time, key=lambda k: datetime.fromisoformat(last_time[k]))[::-1]
    for reason in newest_first:
        last = last_time[reason]
        about = f"for “{reason}”" if reason else "without a reason I could see"
        count = counts[reason]
        repeat = f"{_times(count)}, most recently on" if count > 1 else "on"
        points.append(f"Why my submission was rejected {about} {repeat} {_day(last)}.")
    subject = next(a for a in data["attempts"] if a["id"] == data["attempt"])
    checks = [c for photo in subject["photos"] for c in photo["checks"]]
    if counts and checks and all(c["status"] != "fail" for c in checks):
        points.append(
            "The photos of this attempt passed the checks listed below; could you tell me"
            " what exactly did not meet the requirements?"
        )
    if latest and latest["result"] == OutcomeResult.APPROVED:
        approved = _day(latest["occurred_at"])
        points = [f"Nothing is pending: my submission of {approved} was approved."]
    elif not answers:
        points.append(
            "Whether anything in the details below would stop my verification from going through."
        )
    tried = list(dict.fromkeys(t["label"] for t in data["actions"]))
    closing = "Thank you for your help."
    if tried:
        closing = f"I have already {_listing(tried)}. {closing}"
    return {"intro": intro, "points": points, "closing": closing}


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
