"""Peak verification hours: whether it is busy now, and when it is quieter, in the user's time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge.escalation_rules import PeakWindow, load_peak_window

CHECK_ID = "connection.peak-hours"


@dataclass(frozen=True)
class PeakNote:
    """The busy window `now` falls in, with both ends in the user's time zone."""

    busy_from: datetime
    quiet_from: datetime  # the next quieter time
    label: str
    source: str

    def summary(self, now: datetime | None = None) -> str:
        """One line for the user, e.g. "Busy now (Asia-Pacific morning, …): quieter from
        today 06:00 CEST"."""
        return f"Busy now ({self.label}): quieter from {format_local(self.quiet_from, now=now)}"


def _require_aware(when: datetime, name: str) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def format_local(when: datetime, tz: tzinfo | None = None, now: datetime | None = None) -> str:
    """`when` as wall-clock time in `tz` (default: `when`'s own zone), with the zone's name.

    With `now`, a day within reach is named ("today 14:30 CET", "tomorrow 09:00 CEST"); further
    away, or without `now`, the date is given ("Mon 3 Mar 14:30 CET").
    """
    _require_aware(when, "when")
    local = when.astimezone(tz) if tz is not None else when
    day = f"{local:%a} {local.day} {local:%b}"
    if now is not None:
        _require_aware(now, "now")
        days = (local.date() - now.astimezone(local.tzinfo).date()).days
        day = {0: "today", 1: "tomorrow"}.get(days, day)
    return f"{day} {local:%H:%M} {local.tzname() or ''}".rstrip()


def _window_at(now: datetime, window: PeakWindow) -> tuple[datetime, datetime]:
    """The busy window holding `now`, else the next one to open (as instants)."""
    here = now.astimezone(window.zone).date()
    # Yesterday's window may still be open when it runs past midnight in the region.
    for day in (here - timedelta(days=1), here, here + timedelta(days=1)):
        start = datetime.combine(day, window.start, tzinfo=window.zone)
        end_day = day if window.end > window.start else day + timedelta(days=1)
        end = datetime.combine(end_day, window.end, tzinfo=window.zone)
        if now < end:
            return start, end
    raise AssertionError("a daily window always opens within two days")  # pragma: no cover


def peak_hours(now: datetime, tz: tzinfo, window: PeakWindow | None = None) -> PeakNote | None:
    """The busy window `now` falls in, in `tz`, or None when it is a quiet time.

    `window` defaults to the packaged one (escalation.toml, `peak`). Times are compared as
    instants, so the user's daylight saving shifts only how the window reads, never whether
    `now` is in it.
    """
    _require_aware(now, "now")
    window = window or load_peak_window()
    start, end = _window_at(now, window)
    if start <= now:
        return PeakNote(start.astimezone(tz), end.astimezone(tz), window.label, window.source)
    return None


def peak_hours_check(
    now: datetime, tz: tzinfo, exchange: str, window: PeakWindow | None = None
) -> CheckResult | None:
    """The busy hours as a doctor check for `exchange`: a warning while busy (never a failure:
    busy hours slow a verification, they do not fail it), a pass otherwise; None where the
    window does not matter for that exchange."""
    _require_aware(now, "now")
    window = window or load_peak_window()
    if exchange not in window.exchanges:
        return None
    start, end = (t.astimezone(tz) for t in _window_at(now, window))
    # On a daylight-saving night the two ends carry different zone names.
    first = f"{start:%H:%M}" if start.tzname() == end.tzname() else f"{start:%H:%M %Z}"
    limit = f"outside {first}–{end:%H:%M} {end.tzname() or ''}".rstrip()
    value = format_local(now, tz)
    if start <= now:
        message = f"busy now ({window.label}); quieter from {end:%H:%M}"
        return CheckResult(CHECK_ID, Status.WARN, value, limit, message, window.advice)
    return CheckResult(CHECK_ID, Status.PASS, value, limit, "not in the busy hours")
