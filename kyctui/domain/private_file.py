"""Atomic 0600 file writes that never follow another user's link or replace their file."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from kyctui.domain.display import safe_path

_MAX_LINKS = 40  # as the kernel's own limit on a chain of symbolic links
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
}


class WriteError(Exception):
    """The file could not be written; the message is one line for the user."""


def _mine(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)  # absent on Windows, where ownership is not by uid
    return getuid is None or info.st_uid == getuid()


def _target(path: Path) -> Path:
    """The regular file to replace: `path`, or where the user's own links lead."""
    shown = safe_path(path)
    for _ in range(_MAX_LINKS):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return path
        except OSError as exc:  # a file where a folder should be, no permission to look, ...
            raise _error(path, exc) from None
        if stat.S_ISLNK(info.st_mode):
            # A link someone else planted (as in a shared /tmp) is never followed.
            if not _mine(info):
                raise WriteError(f"cannot write {shown}: it is a link owned by another user")
            try:
                path = path.parent / os.readlink(path)
            except OSError as exc:
                raise _error(path, exc) from None
            continue
        if stat.S_ISDIR(info.st_mode):
            raise WriteError(f"cannot write {shown}: it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise WriteError(f"cannot write {shown}: it is not a regular file")
        if not _mine(info):
            raise WriteError(f"cannot write {shown}: the file belongs to another user")
        return path
    raise WriteError(f"cannot write {shown}: too many links")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _sync_dir(directory: Path) -> None:
    # The rename is durable only once the folder is synced; not every system allows it.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_private(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` through a temporary file in the same folder, fsynced and
    renamed over the target, mode 0600. Returns the file written; WriteError on failure, with
    an existing file left as it was."""
    target = _target(Path(path))
    try:
        # mkstemp: O_EXCL and mode 0600 from the start, so no other user can open it meanwhile.
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        try:
            if hasattr(os, "fchmod"):  # POSIX: whatever the umask did, 0600 exactly
                os.fchmod(fd, 0o600)
            _write_all(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise _error(path, exc) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_dir(target.parent)
    return target


def _error(path: Path, exc: OSError) -> WriteError:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or "an input/output error")
    return WriteError(f"cannot write {safe_path(path)}: {reason}")
