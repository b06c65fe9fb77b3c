"""Peak hours are one fixed window of instants, read in any time zone, across daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyctui.domain.peak_hours import PeakNote, format_local, peak_hours, peak_hours_check
from kyctui.domain.photos.result import Status
from kyctui.knowledge.escalation_rules import PeakWindow, load_peak_window

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
SINGAPORE, AUCKLAND = ZoneInfo("Asia/Singapore"), ZoneInfo("Pacific/Auckland")
ZONES = (BERLIN, NEW_YORK, SINGAPORE, AUCKLAND, ZoneInfo("UTC"), ZoneInfo("Asia/Kolkata"))


def _note(now: datetime, tz: ZoneInfo) -> PeakNote:
    note = peak_hours(now, tz)
    assert note is not None, now
    return note


def _wall(when: datetime) -> tuple[str, str]:
    return when.strftime("%Y-%m-%d %H:%M"), when.tzname() or ""


def test_window_comes_from_data_with_a_source() -> None:
    window = load_peak_window()
    assert (window.start, window.end) == (time(8), time(12))
    assert window.zone.key == "Asia/Singapore" and "seeds/003" in window.source
    assert window.exchanges == ("okx",)


def test_singapore_morning_is_busy_and_noon_is_not() -> None:
    note = _note(datetime(2025, 1, 15, 9, 30, tzinfo=SINGAPORE), SINGAPORE)
    assert _wall(note.busy_from)[0] == "2025-01-15 08:00"
    assert _wall(note.quiet_from)[0] == "2025-01-15 12:00"
    assert "Asia-Pacific" in note.label and note.source
    assert peak_hours(datetime(2025, 1, 15, 12, 0, tzinfo=SINGAPORE), SINGAPORE) is None
    assert peak_hours(datetime(2025, 1, 15, 7, 59, tzinfo=SINGAPORE), SINGAPORE) is None
    assert peak_hours(datetime(2025, 1, 15, 8, 0, tzinfo=SINGAPORE), SINGAPORE) is not None


@pytest.mark.parametrize(
    ("now_utc", "tz", "busy", "quiet"),
    [
        # Berlin: CET in winter, CEST in summer; the window moves an hour on the local clock.
        ("2025-01-15 01:30", BERLIN, ("2025-01-15 01:00", "CET"), ("2025-01-15 05:00", "CET")),
        ("2025-07-15 01:30", BERLIN, ("2025-07-15 02:00", "CEST"), ("2025-07-15 06:00", "CEST")),
        # New York: the evening before; in summer the window ends at local midnight.
        ("2025-01-15 01:00", NEW_YORK, ("2025-01-14 19:00", "EST"), ("2025-01-14 23:00", "EST")),
        ("2025-07-15 03:30", NEW_YORK, ("2025-07-14 20:00", "EDT"), ("2025-07-15 00:00", "EDT")),
        # Auckland: the afternoon; NZDT in (southern) summer, NZST in winter.
        ("2025-01-15 02:00", AUCKLAND, ("2025-01-15 13:00", "NZDT"), ("2025-01-15 17:00", "NZDT")),
        ("2025-07-15 02:00", AUCKLAND, ("2025-07-15 12:00", "NZST"), ("2025-07-15 16:00", "NZST")),
        # The day Berlin springs forward (01:00 UTC): four hours read as 01:00 CET to 06:00 CEST.
        ("2025-03-30 00:30", BERLIN, ("2025-03-30 01:00", "CET"), ("2025-03-30 06:00", "CEST")),
        # The day Berlin falls back (01:00 UTC): 02:00 CEST to 05:00 CET.
        ("2025-10-26 03:59", BERLIN, ("2025-10-26 02:00", "CEST"), ("2025-10-26 05:00", "CET")),
    ],
)
def test_window_in_local_time(
    now_utc: str, tz: ZoneInfo, busy: tuple[str, str], quiet: tuple[str, str]
) -> None:
    now = datetime.fromisoformat(now_utc).replace(tzinfo=UTC)
    note = _note(now, tz)
    assert (_wall(note.busy_from), _wall(note.quiet_from)) == (busy, quiet)
    # Same-zone subtraction in Python uses wall clocks; the real span is measured in UTC.
    assert note.quiet_from.astimezone(UTC) - note.busy_from.astimezone(UTC) == timedelta(hours=4)
    assert note.quiet_from.tzinfo is tz


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    now=st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC)),
    tz=st.sampled_from(ZONES),
)
def test_busy_exactly_between_midnight_and_four_utc(now: datetime, tz: ZoneInfo) -> None:
    # 08:00–12:00 in UTC+8, which keeps no daylight saving, is 00:00–04:00 UTC every day.
    note = peak_hours(now, tz)
    assert (note is not None) == (now.hour < 4)
    if note is not None:
        assert note.busy_from <= now < note.quiet_from
        assert (
            note.busy_from.astimezone(UTC).hour == 0 and note.quiet_from.astimezone(UTC).hour == 4
        )
        assert note == peak_hours(now.astimezone(tz), tz)  # the zone of `now` does not matter


def test_window_running_past_midnight_in_its_region() -> None:
    night = PeakWindow(SINGAPORE, time(22), time(2), "night", "sleep", ("okx",), "test")
    note = peak_hours(datetime(2025, 5, 2, 1, 0, tzinfo=SINGAPORE), SINGAPORE, night)
    assert note is not None
    assert _wall(note.busy_from)[0] == "2025-05-01 22:00"
    assert _wall(note.quiet_from)[0] == "2025-05-02 02:00"
    assert peak_hours(datetime(2025, 5, 2, 2, 0, tzinfo=SINGAPORE), SINGAPORE, night) is None
    assert peak_hours(datetime(2025, 5, 2, 23, 0, tzinfo=SINGAPORE), SINGAPORE, night) is not None


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        peak_hours(datetime(2025, 1, 15, 1, 0), BERLIN)


def test_format_local_names_the_day_and_the_zone() -> None:
    now = datetime(2025, 3, 29, 20, 0, tzinfo=UTC)  # 21:00 CET, Saturday
    assert format_local(datetime(2025, 3, 29, 22, 30, tzinfo=UTC), BERLIN, now) == "today 23:30 CET"
    # Across the spring-forward night, tomorrow's clock reads in summer time.
    assert (
        format_local(datetime(2025, 3, 30, 4, 0, tzinfo=UTC), BERLIN, now) == "tomorrow 06:00 CEST"
    )
    assert (
        format_local(datetime(2025, 4, 2, 4, 0, tzinfo=UTC), BERLIN, now) == "Wed 2 Apr 06:00 CEST"
    )
    assert format_local(datetime(2025, 4, 2, 4, 0, tzinfo=UTC), NEW_YORK) == "Wed 2 Apr 00:00 EDT"
    note = _note(datetime(2025, 1, 15, 1, 30, tzinfo=UTC), BERLIN)
    summary = note.summary(datetime(2025, 1, 15, 1, 30, tzinfo=UTC))
    assert "Asia-Pacific" in summary and summary.endswith("today 05:00 CET")


def test_doctor_check_warns_while_busy_and_passes_otherwise() -> None:
    busy = peak_hours_check(datetime(2025, 1, 15, 1, 30, tzinfo=UTC), BERLIN, "okx")
    assert busy is not None and busy.id == "connection.peak-hours"
    assert busy.status is Status.WARN and busy.fix
    assert (busy.value, busy.limit) == ("Wed 15 Jan 02:30 CET", "outside 01:00–05:00 CET")
    assert "05:00" in busy.message
    quiet = peak_hours_check(datetime(2025, 3, 29, 12, 0, tzinfo=UTC), BERLIN, "okx")
    assert quiet is not None and quiet.status is Status.PASS and not quiet.fix
    # The next window is the spring-forward night: its ends read in two zones.
    assert quiet.limit == "outside 01:00 CET–06:00 CEST"
    assert peak_hours_check(datetime(2025, 1, 15, 1, 30, tzinfo=UTC), BERLIN, "coinex") is None
