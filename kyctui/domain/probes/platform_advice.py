"""Where camera and microphone permissions live: per phone platform, and on macOS and Windows."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from kyctui.domain.probes.rules import DESKTOP_SYSTEMS, PHONE_PLATFORMS, ProbeRules

PHONE_TITLES = {"android": "Android", "ios": "iPhone (iOS)"}


@dataclass(frozen=True)
class AdviceStep:
    """One thing to do, and the guidance it comes from."""

    text: str
    source: str


def current_system(platform: str | None = None) -> str:
    """`linux`, `macos`, `windows`, or sys.platform itself for anything else."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("linux"):
        return "linux"
    if platform == "darwin":
        return "macos"
    if platform in ("win32", "cygwin"):
        return "windows"
    return platform


def phone_steps(platform: str, rules: ProbeRules) -> tuple[AdviceStep, ...]:
    """The steps for `platform` ("android" or "ios"); ValueError names the known ones."""
    key = platform.strip().lower()
    if key not in PHONE_PLATFORMS:
        raise ValueError(
            f"unknown phone platform '{platform}' (known: {', '.join(PHONE_PLATFORMS)})"
        )
    return tuple(AdviceStep(step.value, step.source) for step in rules.phone[key])


def desktop_settings(system: str, device: str, rules: ProbeRules) -> str:
    """The settings path that allows `device` ("camera" or "microphone") on macOS or Windows."""
    if system not in DESKTOP_SYSTEMS:
        raise ValueError(f"no settings path for '{system}' (known: {', '.join(DESKTOP_SYSTEMS)})")
    return rules.desktop[(system, device)].value


def desktop_steps(system: str, rules: ProbeRules) -> tuple[AdviceStep, ...]:
    """The camera and microphone settings paths of a desktop system, with their sources."""
    if system not in DESKTOP_SYSTEMS:
        return ()
    return tuple(
        AdviceStep(rules.desktop[(system, d)].value, rules.desktop[(system, d)].source)
        for d in ("camera", "microphone")
    )
