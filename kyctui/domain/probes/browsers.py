"""Browsers installed on this computer and their versions, judged against the seeds' advice."""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.probes.platform_advice import current_system
from kyctui.domain.probes.rules import BrowserRules, KnownBrowser

Which = Callable[[str], str | None]  # shutil.which
Runner = Callable[[Sequence[str], float], str | None]  # argv, timeout → stdout, None on failure

_VERSION = re.compile(r"\b(\d+(?:\.\d+)+)")
_WINDOWS_BASES = ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")


@dataclass(frozen=True)
class FoundBrowser:
    """A browser found on this computer; `version` is None when it could not be read."""

    id: str
    family: str
    title: str
    location: str
    version: str | None

    def __str__(self) -> str:
        return f"{self.title} {self.version or '(version unknown)'}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "version": self.version}


def run_version(argv: Sequence[str], timeout: float) -> str | None:
    """The output of `argv` (e.g. `firefox --version`), None if it fails or takes too long."""
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def parse_version(text: str | None) -> str | None:
    """The first dotted number: "Mozilla Firefox 128.0esr" → "128.0"."""
    match = _VERSION.search(text or "")
    return match.group(1) if match else None


def _found(known: KnownBrowser, location: str, version: str | None) -> FoundBrowser:
    return FoundBrowser(known.id, known.family, known.title, location, version)


def _on_path(
    known: tuple[KnownBrowser, ...], which: Which, runner: Runner | None, timeout: float
) -> list[FoundBrowser]:
    found: list[FoundBrowser] = []
    seen: set[str] = set()
    for browser in known:
        for command in browser.commands:
            path = which(command)
            # google-chrome and google-chrome-stable are usually one file under two names.
            real = os.path.realpath(path) if path else None
            if not path or not real or real in seen:
                continue
            seen.add(real)
            version = parse_version(runner([path, "--version"], timeout)) if runner else None
            found.append(_found(browser, path, version))
            break
    return found


def _bundle_version(app: Path) -> str | None:
    try:
        with (app / "Contents" / "Info.plist").open("rb") as handle:
            info = plistlib.load(handle)
    except (OSError, plistlib.InvalidFileException, ValueError):
        return None
    version = info.get("CFBundleShortVersionString") if isinstance(info, dict) else None
    return version if isinstance(version, str) else None


def _mac_apps(known: tuple[KnownBrowser, ...], app_dirs: Sequence[Path]) -> list[FoundBrowser]:
    found = []
    for browser in known:
        app = next((d / browser.mac_app for d in app_dirs if (d / browser.mac_app).is_dir()), None)
        if app is not None:
            found.append(_found(browser, str(app), _bundle_version(app)))
    return found


def _windows_installs(
    known: tuple[KnownBrowser, ...], environ: Mapping[str, str]
) -> list[FoundBrowser]:
    bases = [Path(environ[b]) for b in _WINDOWS_BASES if environ.get(b)]
    found = []
    for browser in known:
        exe = next((b / p for p in browser.windows_paths for b in bases if (b / p).is_file()), None)
        if exe is not None:  # reading an .exe's version needs the Windows API: not attempted
            found.append(_found(browser, str(exe), None))
    return found


def find_browsers(
    rules: BrowserRules,
    system: str | None = None,
    *,
    which: Which = shutil.which,
    runner: Runner | None = run_version,
    app_dirs: Sequence[Path] | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[FoundBrowser]:
    """Known browsers on PATH (Linux and others), in /Applications (macOS) or the default install
    folders (Windows). `runner=None` skips running `--version`."""
    system = system or current_system()
    timeout = rules.version_timeout_s.value
    if system == "macos":
        dirs = (
            app_dirs
            if app_dirs is not None
            else (Path("/Applications"), Path.home() / "Applications")
        )
        return _mac_apps(rules.known, dirs) or _on_path(rules.known, which, runner, timeout)
    if system == "windows":
        return _windows_installs(rules.known, os.environ if environ is None else environ)
    return _on_path(rules.known, which, runner, timeout)


def browser_check(found: Sequence[FoundBrowser], rules: BrowserRules) -> CheckResult:
    """devices.browser: is an up-to-date Chrome, Firefox or Safari at hand, and what to do."""
    advice = rules.advice
    limit = "Chrome, Firefox or Safari"
    listing = "; ".join(str(b) for b in found)
    good = [b for b in found if b.family in rules.recommended.value]
    if good:
        # The advice still matters on a pass: versions cannot be judged offline, and the site
        # permission is asked for on the day.
        fix = f"{advice['update'].value} {advice['site_permission'].value}"
        message = f"found {listing}"
        return CheckResult("devices.browser", Status.PASS, listing, limit, message, fix)
    if found:
        message = f"found only {listing}"
        return CheckResult(
            "devices.browser", Status.WARN, listing, limit, message, advice["other"].value
        )
    message = "no known browser found on this computer"
    return CheckResult("devices.browser", Status.WARN, None, limit, message, advice["none"].value)
