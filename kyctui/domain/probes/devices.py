"""Camera and microphone: device nodes and their permissions on Linux; settings paths elsewhere."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.probes.platform_advice import current_system, desktop_settings
from kyctui.domain.probes.rules import LinuxRules, ProbeRules

Access = Callable[[str, int], bool]  # os.access
GroupOf = Callable[[Path], str | None]  # the group owning a path

_SYSTEM_NAMES = {"macos": "macOS", "windows": "Windows"}
_VIDEO = re.compile(r"^video\d+$")
_CAPTURE = re.compile(r"^pcmC\d+D\d+c$")  # ALSA: card C, device D, capture (c) side


@dataclass(frozen=True)
class DeviceNode:
    """One device file and whether this user may open it for reading and writing."""

    path: Path
    usable: bool
    group: str | None


@dataclass(frozen=True)
class LinuxDevices:
    """What /dev and /proc say about cameras and microphones."""

    cameras: tuple[DeviceNode, ...]
    microphones: tuple[DeviceNode, ...]
    sound_cards: int  # cards listed in /proc/asound/cards (playback-only ones too)


def owning_group(path: Path) -> str | None:
    """The name of the group that owns `path` (its number when it has no name)."""
    try:
        gid = path.stat().st_gid
    except OSError:
        return None
    import grp  # POSIX only; never reached on Windows

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _nodes(
    folder: Path, pattern: re.Pattern[str], access: Access, group_of: GroupOf
) -> tuple[DeviceNode, ...]:
    try:
        names = sorted(p.name for p in folder.iterdir() if pattern.match(p.name))
    except OSError:  # no such folder: no such devices
        return ()
    nodes = []
    for name in names:
        path = folder / name
        usable = access(str(path), os.R_OK | os.W_OK)
        nodes.append(DeviceNode(path, usable, None if usable else group_of(path)))
    return tuple(nodes)


def _sound_cards(proc_root: Path) -> int:
    try:
        text = (proc_root / "asound" / "cards").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return sum(1 for line in text.splitlines() if re.match(r"^\s*\d+\s+\[", line))


def scan_linux(
    dev_root: Path = Path("/dev"),
    proc_root: Path = Path("/proc"),
    access: Access = os.access,
    group_of: GroupOf = owning_group,
) -> LinuxDevices:
    """Video capture nodes (/dev/video*), ALSA capture nodes (/dev/snd/pcmC*D*c) and sound cards.

    `access` is os.access, which honours the ACLs desktop sessions grant the logged-in user."""
    return LinuxDevices(
        cameras=_nodes(dev_root, _VIDEO, access, group_of),
        microphones=_nodes(dev_root / "snd", _CAPTURE, access, group_of),
        sound_cards=_sound_cards(proc_root),
    )


def _judge(
    check_id: str, what: str, nodes: tuple[DeviceNode, ...], group: str, fixes: tuple[str, str]
) -> CheckResult:
    """`group` is the usual owner, named when the node's own group cannot be read; `fixes` the
    advice when there is no device at all, and the join-a-group template."""
    usable = [n for n in nodes if n.usable]
    if usable:
        listed = ", ".join(n.path.name for n in usable)
        return CheckResult(check_id, Status.PASS, len(usable), None, f"{what} usable: {listed}")
    none_fix, join = fixes
    if not nodes:
        return CheckResult(check_id, Status.WARN, 0, None, f"no {what} found", none_fix)
    blocked = nodes[0]
    owner = blocked.group or group
    fix = join.format(group=owner, path=blocked.path)
    message = f"{what} present but this user may not open {blocked.path} (group '{owner}')"
    return CheckResult(check_id, Status.FAIL, 0, None, message, fix)


def linux_checks(devices: LinuxDevices, rules: LinuxRules) -> list[CheckResult]:
    """devices.camera and devices.microphone for a Linux scan."""
    join = rules.fix["join_group"].value
    camera = _judge(
        "devices.camera", "camera", devices.cameras, rules.camera_group.value,
        (rules.fix["no_camera"].value, join),
    )  # fmt: skip
    microphone = _judge(
        "devices.microphone", "microphone", devices.microphones, rules.audio_group.value,
        (rules.fix["no_microphone"].value, join),
    )  # fmt: skip
    if not devices.microphones and devices.sound_cards:
        # Speakers alone make a sound card: say so, so "I have sound" does not confuse.
        message = f"{devices.sound_cards} sound card(s), but none can record: no microphone found"
        microphone = CheckResult(microphone.id, microphone.status, 0, None, message, microphone.fix)
    return [camera, microphone]


def unaskable_checks(system: str, rules: ProbeRules) -> list[CheckResult]:
    """Where the OS cannot be asked from here (macOS, Windows): say so, and where to look."""
    results = []
    for device in ("camera", "microphone"):
        path = desktop_settings(system, device, rules)
        name = _SYSTEM_NAMES.get(system, system)
        message = f"{name} does not let kyctui check {device} permission: look in its settings"
        results.append(CheckResult(f"devices.{device}", Status.WARN, None, None, message, path))
    return results


def device_checks(
    rules: ProbeRules,
    system: str | None = None,
    dev_root: Path = Path("/dev"),
    proc_root: Path = Path("/proc"),
    access: Access = os.access,
    group_of: GroupOf = owning_group,
) -> list[CheckResult]:
    """devices.camera and devices.microphone for this machine (or for `system` in tests)."""
    system = system or current_system()
    if system == "linux":
        return linux_checks(scan_linux(dev_root, proc_root, access, group_of), rules.linux)
    if system in ("macos", "windows"):
        return unaskable_checks(system, rules)
    message = f"kyctui cannot look for cameras on {system}"
    return [
        CheckResult(f"devices.{device}", Status.WARN, None, None, message)
        for device in ("camera", "microphone")
    ]
