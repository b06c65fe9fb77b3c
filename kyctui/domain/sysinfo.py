"""The OS, its version and the terminal, for a support ticket; nothing naming user or machine."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass

from kyctui.domain.display import safe_text

# Environment values are cut to this: a terminal name is short, anything longer is noise.
_LIMIT = 60


@dataclass(frozen=True)
class SystemInfo:
    """The detected operating system and terminal."""

    os: str  # "Linux", "macOS", "Windows", ...
    version: str  # e.g. "Debian GNU/Linux 12 (bookworm), kernel 6.1.0" or "14.4.1"
    terminal: str  # e.g. "iTerm.app 3.5.0" or "xterm-256color"; "unknown" when nothing says


def terminal_name(environ: Mapping[str, str]) -> str:
    """The terminal program, from the variables terminals set about themselves."""
    program = environ.get("TERM_PROGRAM", "").strip()
    if program:
        version = environ.get("TERM_PROGRAM_VERSION", "").strip()
        name = f"{program} {version}" if version else program
    elif environ.get("WT_SESSION"):
        name = "Windows Terminal"  # it sets no TERM_PROGRAM, only a session id
    else:
        name = environ.get("TERM", "").strip() or "unknown"
    return safe_text(name, _LIMIT)


def _linux_version(release: str) -> str:
    try:
        pretty = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except OSError:  # no /etc/os-release (containers, older systems)
        pretty = ""
    return f"{pretty}, kernel {release}" if pretty else f"kernel {release}"


def detect_system(environ: Mapping[str, str] | None = None) -> SystemInfo:
    """What this computer is running; `environ` defaults to the process environment."""
    env = os.environ if environ is None else environ
    system, release = platform.system(), platform.release()
    # platform.release() on Linux can end in a distribution's build tag; it names no person.
    if system == "Darwin":
        name, version = "macOS", platform.mac_ver()[0] or release
    elif system == "Windows":
        name, version = "Windows", platform.version() or release
    elif system == "Linux":
        name, version = "Linux", _linux_version(release)
    else:
        name, version = system or "unknown", release
    return SystemInfo(
        os=safe_text(name, _LIMIT),
        version=safe_text(version, 2 * _LIMIT),
        terminal=terminal_name(env),
    )
