"""Opens a photo file safely and runs the file checks: readable, format and size."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.photos.sniff import LABELS, SNIFF_BYTES, format_of_extension, sniff
from kyctui.knowledge import ExchangeRules, PhotoLimits

_NOT_REGULAR = {
    stat.S_IFDIR: "is a folder, not a file",
    stat.S_IFIFO: "is a pipe (FIFO), not a file",
    stat.S_IFSOCK: "is a socket, not a file",
    stat.S_IFCHR: "is a device, not a file",
    stat.S_IFBLK: "is a device, not a file",
}

HEIC_FIX = (
    "Convert it to JPEG: on the iPhone set Settings > Camera > Formats > Most Compatible and "
    "retake it, or share the photo by Mail or Files, which sends a JPEG; on a Mac open it in "
    "Preview and File > Export as JPEG."
)


def human_bytes(n: int) -> str:
    """1234567 -> '1.2 MB' (decimal units, as upload pages state their limits)."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class FileRead:
    """The bytes of a readable file and what was learnt opening it."""

    checks: list[CheckResult]
    data: bytes | bytearray | None  # None when the file could not be read
    format: str | None  # sniffed format, None when unknown
    mtime: float = 0.0


def _fail(message: str, fix: str, value: int | str | None = None) -> CheckResult:
    return CheckResult("file.readable", Status.FAIL, value, None, message, fix)


def _read_all(fd: int, size: int, max_bytes: int) -> bytearray | None:
    """Read to the end into one buffer (no chunk list joined: one copy of the file in memory).

    The buffer is one byte longer than the stat() size, so a file that grew fills it and is
    then read on; None when it grows past `max_bytes`.
    """
    buf = bytearray(size + 1)
    total = 0
    while True:
        if total == len(buf):  # it grew since stat(): make room and read on
            buf.extend(bytes(min(len(buf), 1 << 20)))
        with memoryview(buf) as view, view[total:] as rest:
            n = os.readv(fd, [rest])
        if n == 0:
            break
        total += n
        if total > max_bytes:
            return None
    del buf[total:]
    return buf


def _read_bytes(
    path: Path, limits: PhotoLimits
) -> tuple[CheckResult, bytes | bytearray | None, float]:
    """Read the whole file, refusing anything that is not a regular, sane-sized file first."""
    max_bytes = limits.max_file_bytes.value
    try:
        # O_NONBLOCK: a FIFO swapped in after we looked must not hang the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return _fail("file not found", "Check the path; the photo may have been moved."), None, 0
    except PermissionError:
        fix = "Give yourself read permission (chmod u+r) or copy the photo somewhere readable."
        return _fail("no permission to read the file", fix), None, 0
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO without a writer
            return _fail("is a socket or pipe, not a file", "Pick the photo file itself."), None, 0
        return _fail(f"cannot open the file ({exc.strerror})", "Pick another copy."), None, 0
    try:
        st = os.fstat(fd)
        kind = stat.S_IFMT(st.st_mode)
        if kind != stat.S_IFREG:
            reason = _NOT_REGULAR.get(kind, "is not a regular file")
            return _fail(reason, "Pick the photo file itself."), None, 0
        if st.st_size == 0:
            return _fail("the file is empty (0 bytes)", "Export or copy the photo again."), None, 0
        if st.st_size > max_bytes:
            message = f"the file is far too large to be a photo ({human_bytes(st.st_size)})"
            fix = "Pick the photo itself, not an archive or a video."
            return _fail(message, fix, st.st_size), None, 0
        data = _read_all(fd, st.st_size, max_bytes)
        if data is None:  # it grew while we read it
            return _fail("the file kept growing while it was read", "Try again."), None, 0
    except OSError as exc:
        return _fail(f"cannot read the file ({exc.strerror})", "Pick another copy."), None, 0
    finally:
        os.close(fd)
    if not data:
        return _fail("the file is empty (0 bytes)", "Export or copy the photo again."), None, 0
    ok = CheckResult("file.readable", Status.PASS, len(data), max_bytes, "readable")
    return ok, data, st.st_mtime


def _looks_like_text(head: bytes) -> bool:
    """Whether the first bytes read as text (UTF-8, printable or white space)."""
    decoded = head.decode("utf-8", "ignore")  # "ignore": a character may be cut at the end
    return bool(decoded) and all(c.isprintable() or c in "\t\r\n" for c in decoded)


def _format_check(
    name: str, fmt: str | None, head: bytes, kind: str, ex: ExchangeRules
) -> CheckResult:
    accepted = ex.formats_for(kind).value
    limit = "/".join(LABELS[f] for f in accepted)
    wanted = f"Save or export it as {' or '.join(LABELS[f] for f in accepted)}."
    if fmt is None:
        what = "a text file" if _looks_like_text(head) else "not an image or PDF kyctui recognises"
        return CheckResult(
            "file.format", Status.FAIL, "unknown", limit, f"the content is {what}", wanted
        )
    claimed = format_of_extension(name)
    label = LABELS[fmt]
    lie = claimed is not None and claimed != fmt
    lie_note = (
        f" (the name says {LABELS[claimed]}, the content is {label})" if lie and claimed else ""
    )
    if fmt not in accepted:
        fix = HEIC_FIX if fmt == "heic" else wanted
        message = f"{label} is not accepted by {ex.name} for this photo{lie_note}"
        return CheckResult("file.format", Status.FAIL, label, limit, message, fix)
    if lie:
        fix = "Rename it with the right extension: upload pages often go by the name."
        return CheckResult("file.format", Status.WARN, label, limit, f"accepted{lie_note}", fix)
    return CheckResult("file.format", Status.PASS, label, limit, f"{label} is accepted")


def _size_check(size: int, ex: ExchangeRules) -> CheckResult:
    limit = ex.max_upload_bytes.value
    if size > limit:
        message = f"{human_bytes(size)} is over {ex.name}'s upload limit of {human_bytes(limit)}"
        fix = "Export it again at a lower quality, or resize the long side to about 2000 px."
        return CheckResult("file.size", Status.FAIL, size, limit, message, fix)
    return CheckResult(
        "file.size", Status.PASS, size, limit, f"{human_bytes(size)} is within the limit"
    )


def read_photo_file(
    path: Path, kind: str, exchange: ExchangeRules, limits: PhotoLimits
) -> FileRead:
    """Run file.readable, file.format and file.size; return the bytes when they can be decoded."""
    readable, data, mtime = _read_bytes(path, limits)
    if data is None:
        return FileRead([readable], None, None)
    fmt = sniff(bytes(data[:SNIFF_BYTES]))
    checks = [
        readable,
        _format_check(path.name, fmt, bytes(data[:64]), kind, exchange),
        _size_check(len(data), exchange),
    ]
    return FileRead(checks, data, fmt, mtime)
