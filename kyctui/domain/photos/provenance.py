"""Provenance checks: orientation, screenshot signs, editing software and capture date."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone
from typing import Any

from kyctui.domain.photos.photo import Photo
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge import ExchangeRules, PhotoLimits
from kyctui.knowledge.editors import Signatures, load_signatures

DOCUMENT_KINDS = ("id-front", "id-back", "passport")  # ID-1 cards and passport data pages
_TEXT_KINDS = (*DOCUMENT_KINDS, "address-proof")  # photos whose text must stay readable
_MIRRORED = (2, 4, 5, 7)
# An upright card shot with the phone held sideways is ~1.4:1 landscape; a document photo showing
# portrait beyond 1.15:1 is turned, or shot upright with so much margin that it should be redone.
_PORTRAIT_MARGIN = 1.15
_SHOWN_CHARS = 40
_FUTURE_SLACK = timedelta(days=1)  # absorbs time zones when the camera recorded no offset
_NO_EDIT = "do not {} it in an editor (that marks the photo as edited)."
# seeds/003 Q2 asks for fresh in-app camera photos; seeds/004 for original, unedited ones and,
# in advanced verification 1.2, for no screenshots as proof of address.
_FIX = {
    "mirrored": "Retake it with the rear camera, or turn off 'Mirror Front Camera' in the camera "
    "settings; " + _NO_EDIT.format("flip"),
    "rotated": "Retake it holding the phone sideways so the document is upright and fills the "
    "frame; " + _NO_EDIT.format("rotate"),
    "exif-rotation": "If the upload preview shows it turned, retake it holding the phone upright; "
    + _NO_EDIT.format("rotate"),
    "screenshot": "Use the in-app camera or take a fresh photo of {subject}; do not upload a "
    "screenshot or a saved camera-roll image.",
    "screenshot-address-proof": "Screenshots are not accepted as proof of address: upload a PDF, "
    "a scan or a photo of the paper document.",
    "edited": "Upload the original photo straight from the camera, with no crop, filter or edit; "
    "if you no longer have it, take a fresh photo with the in-app camera.",
    "clock": "Set the phone's date and time to automatic, then take a fresh photo with the in-app "
    "camera.",
    "stale": "Take a fresh photo with the in-app camera.",
}


def _text(value: Any) -> str:
    """A metadata value as text; EXIF strings may arrive as bytes with NUL padding."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value.replace("\x00", " ").strip() if isinstance(value, str) else ""


def _clean(text: str) -> str:
    """Text fit to show: no control or format characters, one line, at most ~40 characters."""
    text = " ".join("".join(" " if unicodedata.category(c)[0] == "C" else c for c in text).split())
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _has(photo: Photo, *tags: str) -> bool:
    """Whether any of the tags holds something (numbers arrive as IFDRational, tuples, ints)."""
    values = [photo.exif.get(t) for t in tags]
    return any(_text(v) if isinstance(v, str | bytes) else v is not None for v in values)


def _orientation(photo: Photo) -> CheckResult:
    o = photo.orientation
    w, h = photo.oriented_size
    document = photo.kind in DOCUMENT_KINDS
    limit = "upright landscape, not mirrored" if document else "not mirrored"
    status, fix = Status.PASS, ""
    if o in _MIRRORED:
        # Mirrored text is unreadable, so a mirrored document is refused; a mirrored face is not.
        text_kind = photo.kind in _TEXT_KINDS
        status = Status.FAIL if text_kind else Status.WARN
        message = "mirrored (a front camera selfie mirror)"
        message += ": its text reads backwards" if text_kind else ""
        fix = _FIX["mirrored"]
    elif document and h > w * _PORTRAIT_MARGIN:
        status = Status.WARN
        message = (
            f"the document looks rotated 90°; turn it upright (it shows as portrait, "
            f"{w}×{h}, but an ID card or passport data page is landscape)"
        )
        fix = _FIX["rotated"]
    else:
        message = "landscape, as a document is" if document and w > h else "orientation fine"
    if o != 1:
        # Browsers apply the tag, but an upload page that re-encodes may not. Rotating the pixels
        # in an editor would fix that and trip image.edited, so the advice is to retake.
        message += f"; EXIF orientation {o}: some upload pages ignore it and show the photo turned"
        fix = fix or _FIX["exif-rotation"]
    return CheckResult("image.orientation", status, o, limit, message, fix)


def _user_comment(value: Any) -> str:
    """EXIF UserComment text: 8 bytes naming the character code, then the comment."""
    if not isinstance(value, bytes):
        return _text(value)
    head, body = value[:8], value[8:]
    if head.startswith(b"UNICODE"):  # UTF-16 in the file's byte order, which we do not know
        return body.decode("utf-16-be", "replace") + body.decode("utf-16-le", "replace")
    return body.decode("utf-8", "replace")


def _screenshot(photo: Photo, exchange: ExchangeRules, sig: Signatures) -> CheckResult:
    limit = "camera original"
    if _has(photo, "Make", "Model") and _has(photo, "ExposureTime", "FNumber"):
        message = "camera metadata present (make, model, exposure): a camera original"
        return CheckResult("image.screenshot", Status.PASS, "camera data", limit, message)
    name = unicodedata.normalize("NFC", photo.name).casefold()
    by_name = any(p in name for p in sig.screenshot_names)
    # iOS writes UserComment "Screenshot" (in EXIF, or in XMP exif:UserComment for PNGs).
    marker = "screenshot" in (_user_comment(photo.exif.get("UserComment")) + photo.xmp).casefold()
    screen = (photo.width, photo.height) in sig.screens
    png = photo.format == "png"
    no_camera = not _has(photo, "Make", "Model", "ExposureTime", "FNumber", "DateTimeOriginal")
    signs = {"screenshot file name": by_name, "screenshot marker in metadata": marker, "png": png}
    signs |= {f"screen size {photo.width}×{photo.height}": screen, "no camera data": no_camera}
    value = ", ".join(text for text, hit in signs.items() if hit) or "no screenshot sign"
    # Strong: a name or marker the system wrote, or a screen-exact size plus a second sign.
    # PNG and "no camera data" go together (PNGs rarely carry EXIF) so they count as one sign.
    # No camera data alone passes: messaging apps strip EXIF from real camera photos, and a
    # warning on every forwarded photo would be noise the user cannot act on.
    strong = by_name or marker or (screen and (png or no_camera))
    if not strong and not (png or screen):
        message = "no sign of a screenshot" + (
            " (no camera data: often stripped by messaging apps)" if no_camera else ""
        )
        return CheckResult("image.screenshot", Status.PASS, value, limit, message)
    fails = strong and photo.kind in exchange.screenshot_fails.value
    status = Status.FAIL if fails else Status.WARN
    subject = "yourself" if photo.kind.startswith("selfie") else "the document"
    fix = _FIX["screenshot-address-proof" if photo.kind == "address-proof" else "screenshot"]
    fix = fix.format(subject=subject)
    message = "looks like a screenshot" if strong else "may be a screenshot or a saved image"
    if fails:
        message += f": {exchange.name} does not accept screenshots for {photo.kind}"
    return CheckResult("image.screenshot", status, value, limit, message, fix)


_XMP_FIELDS = r"(xmp:CreatorTool|stEvt:softwareAgent|photoshop:History)"
_XMP_ATTR = re.compile(_XMP_FIELDS + r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_XMP_ELEM = re.compile(r"<" + _XMP_FIELDS + r"\b[^>]*>(.*?)</\1\s*>", re.S)


def _software(photo: Photo) -> list[tuple[str, bool]]:
    """Software strings that may name an editor, each with whether it may be shown."""
    found = [(_text(photo.exif.get(t)), True) for t in ("Software", "ProcessingSoftware")]
    fields = [(tag, a or b) for tag, a, b in _XMP_ATTR.findall(photo.xmp)]
    fields += [(tag, re.sub(r"<[^>]*>", " ", inner)) for tag, inner in _XMP_ELEM.findall(photo.xmp)]
    for tag, text in fields:
        if tag != "photoshop:History":
            found.append((text.strip(), True))
        elif text.strip():
            # Only Photoshop keeps this history, so it names Photoshop even when its entries
            # do not; the entries can hold file paths, so they are never shown.
            found.append((text.strip() + " photoshop", False))
    return [(text, shown) for text, shown in found if text]


def _edited(photo: Photo, sig: Signatures) -> CheckResult:
    # Only editors that name themselves are seen. Apple Photos keeps the iOS version in Software
    # after a crop or filter, and Google Photos writes nothing: those edits are not detectable.
    candidates = _software(photo)
    for text, shown in candidates:
        folded = text.casefold()
        editor = next((e for e in sig.editors if e.pattern.search(folded)), None)
        if editor is None:
            continue
        # A Software string with a path separator may name a user folder: show the editor only.
        value = _clean(text) if shown and not re.search(r"[/\\]", text) else editor.name
        message = (
            f"saved by {editor.name}, a photo editor: exchanges reject edited, filtered "
            "or retouched photos"
        )
        return CheckResult("image.edited", Status.FAIL, value, "no editor", message, _FIX["edited"])
    shown_text = next((t for t, shown in candidates if shown and not re.search(r"[/\\]", t)), "")
    firmware = _clean(shown_text) or None
    message = "no editor software recorded"
    if firmware:
        message += " (the Software tag holds camera firmware, not an editor)"
    return CheckResult("image.edited", Status.PASS, firmware, "no editor", message)


_DATE = re.compile(r"\s*(\d{4})[:-](\d\d)[:-](\d\d)[ T](\d\d):(\d\d):(\d\d)")
_OFFSET = re.compile(r"\s*([+-])(\d\d):(\d\d)")
_DATE_TAGS = (
    ("DateTimeOriginal", "OffsetTimeOriginal"),
    ("DateTime", "OffsetTime"),
    ("DateTimeDigitized", "OffsetTimeDigitized"),
)


def capture_time(photo: Photo) -> datetime | None:
    """When the photo was taken per EXIF: aware if the camera recorded its UTC offset, else naive
    local time. Never the file's mtime: copying or downloading a file changes it."""
    for tag, offset_tag in _DATE_TAGS:
        match = _DATE.match(_text(photo.exif.get(tag)))
        if not match:
            continue
        try:
            y, mo, d, h, mi, sec = (int(g) for g in match.groups())
            taken = datetime(y, mo, d, h, mi, sec)
        except ValueError:  # "0000:00:00 00:00:00", month 13 and other garbage
            continue
        if taken.year < 1900:  # no camera clock: a blank or placeholder date
            continue
        offset = _OFFSET.match(_text(photo.exif.get(offset_tag)))
        if offset:
            minutes = int(offset[2]) * 60 + int(offset[3])
            if minutes <= 14 * 60:
                sign = -1 if offset[1] == "-" else 1
                taken = taken.replace(tzinfo=timezone(timedelta(minutes=sign * minutes)))
        return taken
    return None


def _stale(photo: Photo, limits: PhotoLimits, now: datetime) -> CheckResult:
    limit = limits.stale_days_warn.value
    taken = capture_time(photo)
    if taken is None:
        # Messaging apps strip the date from real photos, so its absence costs nothing.
        return CheckResult("image.stale", Status.PASS, None, limit, "no capture date recorded")
    if taken.tzinfo is not None:
        age = (now if now.tzinfo else now.astimezone()) - taken  # naive `now` is local time
    else:
        # No offset recorded: the camera clock was local time, so compare in naive local time.
        age = (now.astimezone().replace(tzinfo=None) if now.tzinfo else now) - taken
    date = taken.date().isoformat()
    if age < -_FUTURE_SLACK:
        message = f"dated {date}, in the future: the camera clock is wrong"
        return CheckResult("image.stale", Status.WARN, date, limit, message, _FIX["clock"])
    days = max(age.days, 0)
    if days > limit:
        message = f"taken {date}, {days} days ago: an old camera-roll photo"
        return CheckResult("image.stale", Status.WARN, date, limit, message, _FIX["stale"])
    return CheckResult("image.stale", Status.PASS, date, limit, f"taken {date}, {days} days ago")


def provenance_checks(
    photo: Photo, exchange: ExchangeRules, limits: PhotoLimits, now: datetime
) -> list[CheckResult]:
    """image.orientation, image.screenshot, image.edited and image.stale, in that order."""
    sig = load_signatures()
    return [
        _orientation(photo),
        _screenshot(photo, exchange, sig),
        _edited(photo, sig),
        _stale(photo, limits, now),
    ]
