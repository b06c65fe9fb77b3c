"""Reads probes.toml (thresholds, settings paths, phone steps, browsers) into frozen dataclasses."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from kyctui.knowledge.loader import KnowledgeError
from kyctui.knowledge.model import Sourced
from kyctui.locations import knowledge_dir

FILE = "probes.toml"
CONNECTION_FIXES = ("dns", "latency", "jitter", "failures", "tls", "proxy", "incomplete", "no_host")
LINUX_FIXES = ("join_group", "no_camera", "no_microphone")
BROWSER_ADVICE = ("update", "site_permission", "other", "none")
PHONE_PLATFORMS = ("android", "ios")
DESKTOP_SYSTEMS = ("macos", "windows")
DEVICES = ("camera", "microphone")


@dataclass(frozen=True)
class ConnectionRules:
    """How the connection probe samples and what it holds the samples against."""

    samples: Sourced[int]
    sample_timeout_s: Sourced[float]
    overall_timeout_s: Sourced[float]
    interval_s: Sourced[float]
    dns_warn_ms: Sourced[float]
    latency_warn_ms: Sourced[float]
    latency_fail_ms: Sourced[float]
    jitter_warn_ms: Sourced[float]
    jitter_fail_ms: Sourced[float]
    failure_warn_share: Sourced[float]
    failure_fail_share: Sourced[float]
    fix: dict[str, Sourced[str]]


@dataclass(frozen=True)
class LinuxRules:
    """Groups that own camera and sound devices, and what to do when access is missing."""

    camera_group: Sourced[str]
    audio_group: Sourced[str]
    fix: dict[str, Sourced[str]]


@dataclass(frozen=True)
class KnownBrowser:
    """A browser kyctui looks for, and where it is installed."""

    id: str
    family: str
    title: str
    commands: tuple[str, ...]
    mac_app: str
    windows_paths: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class BrowserRules:
    """The browsers looked for and the advice about them."""

    recommended: Sourced[tuple[str, ...]]
    version_timeout_s: Sourced[float]
    advice: dict[str, Sourced[str]]
    known: tuple[KnownBrowser, ...]


@dataclass(frozen=True)
class ProbeRules:
    """Everything in probes.toml."""

    connection: ConnectionRules
    linux: LinuxRules
    desktop: dict[tuple[str, str], Sourced[str]]  # (system, device) → settings path
    phone: dict[str, tuple[Sourced[str], ...]]  # platform → steps
    browsers: BrowserRules


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise KnowledgeError(f"{FILE}: key '{where}{key}' must be a table")
    return value


def _sourced(data: dict[str, Any], key: str, kind: type, where: str) -> Sourced[Any]:
    entry = _table(data, key, where)
    value, source = entry.get("value"), entry.get("source")
    name = f"{where}{key}"
    if not isinstance(source, str) or not source.strip():
        raise KnowledgeError(f"{FILE}: key '{name}.source' must say where the rule comes from")
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise KnowledgeError(f"{FILE}: key '{name}.value' must be a list of strings")
        value = tuple(value)
    elif not isinstance(value, kind) or isinstance(value, bool):
        raise KnowledgeError(f"{FILE}: key '{name}.value' must be {kind.__name__}")
    return Sourced(value, source)


def _texts(data: dict[str, Any], keys: tuple[str, ...], where: str) -> dict[str, Sourced[str]]:
    return {k: _sourced(data, k, str, where) for k in keys}


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{FILE}: key '{where}.{key}' must be a list of strings")
    return tuple(value)


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{FILE}: key '{where}.{key}' must be a non-empty string")
    return value


def _connection(data: dict[str, Any]) -> ConnectionRules:
    w = "connection."
    numbers = {
        name: _sourced(data, name, int if name == "samples" else float, w)
        for name in ConnectionRules.__dataclass_fields__
        if name != "fix"
    }
    return ConnectionRules(
        **numbers, fix=_texts(_table(data, "fix", w), CONNECTION_FIXES, w + "fix.")
    )


def _browser(entry: Any, index: int) -> KnownBrowser:
    where = f"browsers.known[{index}]"
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{FILE}: key '{where}' must be a table")
    return KnownBrowser(
        id=_text(entry, "id", where),
        family=_text(entry, "family", where),
        title=_text(entry, "title", where),
        commands=_strings(entry, "commands", where),
        mac_app=_text(entry, "mac_app", where),
        windows_paths=_strings(entry, "windows_paths", where),
        source=_text(entry, "source", where),
    )


def _steps(data: dict[str, Any], platform: str) -> tuple[Sourced[str], ...]:
    entries = data.get(platform)
    if not isinstance(entries, list) or not entries:
        raise KnowledgeError(f"{FILE}: key 'phone.{platform}' must list steps")
    steps = []
    for i, entry in enumerate(entries):
        where = f"phone.{platform}[{i}]"
        if not isinstance(entry, dict):
            raise KnowledgeError(f"{FILE}: key '{where}' must be a table")
        steps.append(Sourced(_text(entry, "text", where), _text(entry, "source", where)))
    return tuple(steps)


def parse_probe_rules(text: str) -> ProbeRules:
    """Parse probes.toml; a missing or mistyped key fails naming the file and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{FILE}: not valid TOML ({exc})") from None
    linux = _table(data, "linux", "")
    desktop = _table(data, "desktop", "")
    browsers = _table(data, "browsers", "")
    known = browsers.get("known")
    if not isinstance(known, list) or not known:
        raise KnowledgeError(f"{FILE}: key 'browsers.known' must list browsers")
    return ProbeRules(
        connection=_connection(_table(data, "connection", "")),
        linux=LinuxRules(
            camera_group=_sourced(linux, "camera_group", str, "linux."),
            audio_group=_sourced(linux, "audio_group", str, "linux."),
            fix=_texts(_table(linux, "fix", "linux."), LINUX_FIXES, "linux.fix."),
        ),
        desktop={
            (system, device): _sourced(
                _table(desktop, system, "desktop."), device, str, f"desktop.{system}."
            )
            for system in DESKTOP_SYSTEMS
            for device in DEVICES
        },
        phone={p: _steps(_table(data, "phone", ""), p) for p in PHONE_PLATFORMS},
        browsers=BrowserRules(
            recommended=_sourced(browsers, "recommended", tuple, "browsers."),
            version_timeout_s=_sourced(browsers, "version_timeout_s", float, "browsers."),
            advice=_texts(
                _table(browsers, "advice", "browsers."), BROWSER_ADVICE, "browsers.advice."
            ),
            known=tuple(_browser(entry, i) for i, entry in enumerate(known)),
        ),
    )


@cache
def load_probe_rules() -> ProbeRules:
    """The probes' rules, read once."""
    return parse_probe_rules((knowledge_dir() / FILE).read_text(encoding="utf-8"))
