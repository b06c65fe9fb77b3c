"""Photos of rejected attempts, remembered by perceptual hash so the same picture is noticed."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from kyctui.domain.outcomes import OutcomeResult
from kyctui.domain.photos.result import Earlier
from kyctui.domain.store import Store
from kyctui.domain.store_errors import StoreError


def rejected_photos(store: Store, tz: tzinfo | None = None) -> tuple[Earlier, ...]:
    """Every stored photo of an attempt the exchange rejected, labelled with the date and reason
    of its latest rejection, e.g. "the id-front photo rejected by OKX on 2026-11-20 (Blurry,
    dark or cropped photo)". All exchanges count: a picture refused at one is suspect at another."""
    from kyctui.knowledge import load_exchanges
    from kyctui.knowledge.rejections import load_rejections

    latest: dict[int, tuple[str, str, str]] = {}  # attempt → (exchange, day, reason)
    for outcome in store.list_outcomes():  # oldest first: the last rejection wins
        if outcome.result is OutcomeResult.REJECTED:
            catalog = load_rejections().get(outcome.exchange)
            reason = catalog.get(outcome.reason_id) if catalog and outcome.reason_id else None
            why = reason.title if reason else outcome.reason_text
            day = outcome.occurred_at.astimezone(tz).date().isoformat()
            latest[outcome.attempt_id] = (outcome.exchange, day, why)
    names = {k: v.name for k, v in load_exchanges().items()}
    found: list[Earlier] = []
    for attempt_id, (exchange, day, why) in latest.items():
        try:
            photos = store.get_attempt(attempt_id).photos
        except StoreError:
            continue  # forgotten meanwhile
        for slot, photo in photos.items():
            if photo.phash:
                because = f" ({why})" if why else ""
                label = (
                    f"the {slot} photo {Path(photo.path).name} rejected by "
                    f"{names.get(exchange, exchange)} on {day}{because}"
                )
                found.append(Earlier(label, photo.phash, rejected=True))
    return tuple(found)
