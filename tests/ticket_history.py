"""A fixed history for the export tests: two OKX rejections with sentinel personal data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from kyctui.domain.outcomes import Action, DeviceInfo, OutcomeResult
from kyctui.domain.photos.result import CheckResult, PhotoReport, Status
from kyctui.domain.store import Store
from kyctui.domain.sysinfo import SystemInfo

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=2, hours=1)
TZ = timezone(timedelta(hours=1), "CET")
SYSTEM = SystemInfo("Linux", "Debian GNU/Linux 12 (bookworm), kernel 6.1.0-18-amd64", "xterm")
REASONS = {"face-mismatch": "Face comparison failed"}
ADVICE = "The same reason twice: try again after 15:00 on another device, or contact support."

# Sentinels: distinctive enough that finding one in an export can only be a leak.
NAME = "Zephyrine Quillfeather-Obasanjo"
BIRTH = "23.04.1987"
DOCUMENT = "X7Q-448-192-KZ"
EMAIL = "zephyrine.q@fernwood-mail.example"
ADDRESS = "14 Marrowbone Close, Tillingham"
SENTINELS = (
    "Zephyrine",
    "Quillfeather",
    "Obasanjo",
    "23.04.1987",
    "23/04/1987",
    "04-23",
    "X7Q448192KZ",
    "X7Q-448",
    "448-192",
    "zephyrine.q",
    "fernwood-mail",
    "Marrowbone",
    "/home/",
    "48.8584",
)
MESSAGE = (
    "Dear ZEPHYRINE QUILLFEATHER-OBASANJO, the face in your selfie does not match document"
    " X7Q448192KZ (born 23/04/1987). Questions: reply to zephyrine.q@fernwood-mail.example."
)


def _check(
    check_id: str, status: Status, value: float | str | None, limit: float | str
) -> CheckResult:
    return CheckResult(check_id, status, value, limit, "measured", "")


def _photo(kind: str, path: str, fail: bool = False) -> PhotoReport:
    checks = [
        _check("image.resolution", Status.PASS, 1600, 1200),
        _check("image.blur", Status.WARN if fail else Status.PASS, 87.5, 60.0),
        _check("image.glare", Status.FAIL if fail else Status.PASS, 0.0312, 0.02),
        _check("image.edited", Status.PASS, "17.4.1", "no editor"),
        # As if EXIF had leaked into a value: a place and a folder must not be exported.
        _check("image.stale", Status.PASS, "GPS 48.858400, 2.294500", 365),
        _check("doc.portrait", Status.PASS, f"/home/zq/Pictures/{path}", "found"),
    ]
    return PhotoReport(f"/home/zq/Pictures/{path}", kind, checks, 1000, "ab" * 32, "c3" * 8)


def make_history(store: Store) -> int:
    """Three attempts (two at OKX, one at CoinEx); returns the second OKX attempt's id."""
    first = store.create_attempt("okx", "basic", "passport", "ready", T0)
    fields = {
        "full_name": NAME,
        "date_of_birth": BIRTH,
        "document_number": DOCUMENT,
        "email": EMAIL,
        "nationality": "Lesothan",
        "address": ADDRESS,
    }
    device = DeviceInfo("Pixel 7", "Android 14", "OKX app 6.90")
    for name, value in fields.items():
        store.set_profile_field(first.id, name, value, T0)
    store.set_device(first.id, device, T0)
    store.save_photo(first.id, _photo("passport", "Zephyrine_passport.jpg", fail=True), T0)
    store.save_photo(first.id, _photo("selfie", "IMG_0042.jpg"), T0)
    rejected = OutcomeResult.REJECTED
    t1 = T0 + timedelta(hours=3)
    store.record_outcome(first.id, rejected, "face-mismatch", "", MESSAGE, t1, t1)
    store.set_action(first.id, Action.WAITED, True, T0 + timedelta(hours=8))
    store.set_action(first.id, Action.CLEARED_CACHE, True, T0 + timedelta(hours=8, minutes=5))

    day = T0 + timedelta(days=1)
    second = store.create_attempt("okx", "basic", "passport", "ready", day)
    for name, value in fields.items():
        store.set_profile_field(second.id, name, value, day)
    store.save_photo(second.id, _photo("passport", "IMG_0107.jpg"), day)
    t2 = day + timedelta(hours=2)
    store.record_outcome(
        second.id, rejected, "face-mismatch", "", "Face comparison failed.", t2, t2
    )
    t3 = day + timedelta(hours=4)
    store.record_outcome(
        second.id, rejected, "", "Photo of Quillfeather | blurry", "Please retry.", t3, t3
    )
    store.set_action(second.id, Action.SWITCHED_DEVICE, True, day + timedelta(hours=3))

    other = store.create_attempt("coinex", "basic", "passport", "ready", day)
    store.record_outcome(other.id, OutcomeResult.APPROVED, "", "", "CoinEx says hello", t2, t2)
    return second.id
