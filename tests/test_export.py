"""The support-ticket export: golden files, redaction of sentinel personal data, the request."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kyctui.domain.export import FORMATS, Format, render_ticket, ticket_data
from kyctui.domain.outcomes import OutcomeResult
from kyctui.domain.profile import Profile
from kyctui.domain.redact import (
    LOCATION_REMOVED,
    Redactor,
    bare_name,
    birth_year,
    clean_value,
    initials,
    last_three,
    mask_email,
)
from kyctui.domain.store import Store
from kyctui.domain.sysinfo import SystemInfo, detect_system, terminal_name
from kyctui.domain.ticket import Ticket, build_ticket
from tests.ticket_history import (
    ADDRESS,
    ADVICE,
    BIRTH,
    DOCUMENT,
    EMAIL,
    NAME,
    NOW,
    REASONS,
    SENTINELS,
    SYSTEM,
    T0,
    TZ,
    make_history,
)

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("KYCTUI_REGEN_GOLDEN") == "1"  # set it to rewrite the golden files


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "kyctui.sqlite3")


@pytest.fixture
def ticket(store: Store) -> Ticket:
    attempt_id = make_history(store)
    return build_ticket(
        store, attempt_id, NOW, TZ, system=SYSTEM, reason_titles=REASONS, advice=ADVICE
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_export(ticket: Ticket, fmt: Format) -> None:
    text = render_ticket(ticket, fmt, include_pii=False)
    golden = GOLDEN / f"ticket.{fmt}"
    if REGENERATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_sentinel_personal_data_never_appears_in_a_default_export(
    ticket: Ticket, fmt: Format
) -> None:
    text = render_ticket(ticket, fmt, include_pii=False).casefold()
    for sentinel in SENTINELS:
        assert sentinel.casefold() not in text, sentinel
    assert "z. q." in text and "1987" in text and "2kz" in text  # the redacted forms are there


@pytest.mark.parametrize("fmt", FORMATS)
def test_include_pii_shows_the_data_and_says_so_first(ticket: Ticket, fmt: Format) -> None:
    text = render_ticket(ticket, fmt, include_pii=True)
    for value in (NAME, BIRTH, DOCUMENT, EMAIL, ADDRESS, "/home/zq/Pictures/IMG_0107.jpg"):
        assert value in text, value
    notice_at = text.find("CONTAINS PERSONAL DATA")
    assert 0 <= notice_at < 100 and notice_at < text.find(NAME)  # at the top
    assert "Personal data is redacted" not in text
    # A location stays out even then: support never needs where a photo was taken.
    assert "48.8584" not in text


def test_json_export_shape(ticket: Ticket) -> None:
    data = json.loads(render_ticket(ticket, "json", include_pii=False))
    assert list(data) == [
        "version", "redacted", "notice", "generated_at", "exchange", "level", "document_type",
        "attempt", "holder", "device", "system", "advice", "attempts", "actions", "request",
    ]  # fmt: skip
    assert data["redacted"] is True and data["version"] == 1
    assert data["generated_at"] == "2025-03-03T11:00:00+01:00"
    assert [a["id"] for a in data["attempts"]] == [1, 2]  # CoinEx's attempt is not in OKX's ticket
    first = data["attempts"][0]
    assert [o["reason"] for o in first["outcomes"]] == ["Face comparison failed"]
    assert list(first["photos"][0]["checks"][0]) == ["id", "status", "value", "limit"]
    assert [t["action"] for t in data["actions"]] == ["waited", "cleared-cache", "switched-device"]
    assert data["holder"] == {
        "full_name": "Z. Q.",
        "date_of_birth": "1987",
        "document_number": "***2KZ",
        "email": "z***@f***.example",
    }


def test_request_names_repeated_reasons_and_what_was_tried(ticket: Ticket) -> None:
    request = ticket_data(ticket, include_pii=False)["request"]
    assert request["intro"].startswith("Hello, I am trying to complete Basic identity")
    assert any("“Face comparison failed” twice" in p for p in request["points"])
    assert request["closing"].endswith("switched to another device. Thank you for your help.")


def _with_outcomes(ticket: Ticket, *answers: tuple[OutcomeResult, datetime]) -> Ticket:
    last = ticket.attempt
    outcomes = [
        replace(last.outcomes[0], result=result, occurred_at=when, reason_id="", reason_text="")
        for result, when in answers
    ]
    changed = replace(last, outcomes=outcomes, actions=[])
    return replace(ticket, attempt=changed, attempts=(changed,))


def test_request_for_a_long_review_an_approval_and_nothing_yet(ticket: Ticket) -> None:
    review = _with_outcomes(ticket, (OutcomeResult.UNDER_REVIEW, NOW - timedelta(hours=52)))
    points = ticket_data(review, False)["request"]["points"]
    assert points[0].startswith("Whether my submission of 2025-03-01 07:00 is still being")
    assert "under review for 52 hours" in points[0]
    approved = _with_outcomes(
        ticket, (OutcomeResult.REJECTED, T0), (OutcomeResult.APPROVED, T0 + timedelta(hours=1))
    )
    assert ticket_data(approved, False)["request"]["points"] == [
        "Nothing is pending: my submission of 2025-03-01 11:00 was approved."
    ]
    nothing = ticket_data(_with_outcomes(ticket), False)["request"]
    assert nothing["points"][0].startswith("Whether anything in the details below")
    assert nothing["closing"] == "Thank you for your help."


def test_markdown_keeps_tables_intact_and_escapes_pasted_markup(ticket: Ticket) -> None:
    text = render_ticket(ticket, "md", include_pii=False)
    assert "Photo of Q. \\| blurry" in text  # a pipe in a typed reason does not split the row
    rows = [line for line in text.splitlines() if line.startswith("| 2025-")]
    assert len(rows) == 5 and all(row.count(" | ") == 4 for row in rows)
    sneaky = replace(ticket, advice="<script>alert(1)</script> [click](http://x)")
    shown = render_ticket(sneaky, "md", include_pii=False)
    assert "\\<script\\>" in shown and "\\[click\\](http://x)" in shown


def test_unknown_format_is_refused(ticket: Ticket) -> None:
    with pytest.raises(ValueError):
        render_ticket(ticket, "pdf", include_pii=False)  # type: ignore[arg-type]


# -- redaction --------------------------------------------------------------------------------


def test_redaction_of_each_field() -> None:
    assert initials("Jane Q. Doe-Smith") == "J. Q. D."
    assert initials("  émile   zola ") == "É. Z."
    assert birth_year("23.04.1987") == "1987" and birth_year("1990-01-31") == "1990"
    assert birth_year("23/04/87") == "[withheld]"
    assert last_three("X7Q-448 192") == "***192" and last_three("AB12") == "***"
    assert mask_email("jane.doe@example.co.uk") == "j***@e***.uk"
    assert mask_email("not an email") == "***"
    assert bare_name("/home/jane/Pictures/a.jpg") == "a.jpg"
    assert bare_name("C:\\Users\\jane\\Desktop\\b.png") == "b.png"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (87.5, 87.5),
        (None, None),
        ("Adobe Photoshop 25.0", "Adobe Photoshop 25.0"),
        ("/Users/jane/Library/scan.jpg", "scan.jpg"),
        ("GPSInfo present", LOCATION_REMOVED),
        ("48°51'30.2\"N 2°17'40.2\"E", LOCATION_REMOVED),
        ("-33.868820, 151.209290", LOCATION_REMOVED),
        ("x" * 200, "x" * 79 + "…"),
    ],
)
def test_check_values_lose_locations_and_folders(value: object, expected: object) -> None:
    assert clean_value(value) == expected  # type: ignore[arg-type]


def test_free_text_is_scrubbed_of_the_profile_in_any_spelling() -> None:
    profile = Profile(
        full_name="Jane van Dijk",
        date_of_birth="1990-04-23",
        document_number="AB 123 4567",
        email="jane.vd@mail.example",
        address="7 Long Road, Utrecht",
    )
    r = Redactor(profile)
    message = (
        "JANE VAN DIJK (dijk), born 23 April 1990 / April 23rd, 1990 / 23-04-1990, doc"
        " AB1234567, mail Jane.VD@mail.example or other@x.example; lives at 7 long road,"
        " Utrecht; file /home/jane/IMG_1.jpg at 52.090737, 5.121420"
    )
    scrubbed = r.text(message)
    for leaked in ("jane", "dijk", "april", "23", "1234", "vd@", "long road", "utrecht", "/home"):
        assert leaked not in scrubbed.casefold(), leaked
    assert "J. V. D." in scrubbed and "1990" in scrubbed and "***567" in scrubbed
    assert "o***@x***.example" in scrubbed and "IMG_1.jpg" in scrubbed
    assert LOCATION_REMOVED in scrubbed
    assert "https://www.okx.com/help" in r.text("see https://www.okx.com/help")  # URLs stay
    assert Redactor(profile, enabled=False).text(message) == message


# -- system info ------------------------------------------------------------------------------


def test_terminal_name_from_the_environment() -> None:
    assert terminal_name({"TERM_PROGRAM": "iTerm.app", "TERM_PROGRAM_VERSION": "3.5"}) == (
        "iTerm.app 3.5"
    )
    assert terminal_name({"WT_SESSION": "abc", "TERM": "xterm"}) == "Windows Terminal"
    assert terminal_name({"TERM": "xterm-256color"}) == "xterm-256color"
    assert terminal_name({}) == "unknown"
    assert terminal_name({"TERM": "evil\x1b]0;title\x07"}) == "evil\\x1b]0;title\\x07"


def test_detect_system_names_os_and_version_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "release", lambda: "23.4.0")
    monkeypatch.setattr(platform, "mac_ver", lambda: ("14.4.1", ("", "", ""), "arm64"))
    got = detect_system({"TERM_PROGRAM": "Apple_Terminal", "HOME": "/Users/jane", "USER": "jane"})
    assert got == SystemInfo("macOS", "14.4.1", "Apple_Terminal")
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    monkeypatch.setattr(platform, "release", lambda: "6.1.0")
    monkeypatch.setattr(platform, "freedesktop_os_release", lambda: {"PRETTY_NAME": "Debian 12"})
    assert detect_system({}).version == "Debian 12, kernel 6.1.0"
    real = detect_system()  # on this machine: something, and nothing of the user's
    assert real.os and real.version and os.environ.get("USER", "\0") not in real.version


def test_build_ticket_gathers_the_exchange_history(store: Store) -> None:
    attempt_id = make_history(store)
    ticket = build_ticket(store, attempt_id, NOW, UTC, system=SYSTEM)
    assert [a.id for a in ticket.attempts] == [1, 2] and ticket.attempt.id == attempt_id
    assert ticket.exchange_name == "OKX" and ticket.level_titles["basic"] == "Basic identity"
    assert ticket.device.phone_model == "Pixel 7"  # entered on attempt 1 only
    assert [t.attempt_id for t in ticket.actions] == [1, 1, 2]
    assert ticket.reason_titles == {} and ticket.advice is None
    assert (
        ticket.generated_at == NOW
        and datetime.fromisoformat(ticket_data(ticket, False)["generated_at"]) == NOW
    )
