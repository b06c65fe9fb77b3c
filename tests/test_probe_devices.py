"""Camera, microphone and browser probes on fake device trees; platform advice; probes.toml."""

from __future__ import annotations

import os
import plistlib
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.probes.browsers import (
    FoundBrowser,
    browser_check,
    find_browsers,
    parse_version,
    run_version,
)
from kyctui.domain.probes.devices import device_checks, owning_group, scan_linux
from kyctui.domain.probes.platform_advice import (
    current_system,
    desktop_settings,
    desktop_steps,
    phone_steps,
)
from kyctui.domain.probes.rules import ProbeRules, load_probe_rules, parse_probe_rules
from kyctui.knowledge import KnowledgeError
from kyctui.locations import knowledge_dir

RULES = load_probe_rules()
CARDS = (
    " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf\n"
)


def fake_tree(root: Path, video: int = 1, capture: bool = True, cards: str = CARDS) -> None:
    (root / "dev" / "snd").mkdir(parents=True)
    for i in range(video):
        (root / "dev" / f"video{i}").touch()
    (root / "dev" / "snd" / "pcmC0D0p").touch()  # playback only: not a microphone
    (root / "dev" / "snd" / "controlC0").touch()
    if capture:
        (root / "dev" / "snd" / "pcmC0D0c").touch()
    (root / "proc" / "asound").mkdir(parents=True)
    (root / "proc" / "asound" / "cards").write_text(cards)


def checks(root: Path, blocked: tuple[str, ...] = ()) -> dict[str, CheckResult]:
    def access(path: str, mode: int) -> bool:
        assert mode == os.R_OK | os.W_OK
        return Path(path).name not in blocked

    found = device_checks(
        RULES, "linux", root / "dev", root / "proc", access=access, group_of=lambda p: "video"
    )
    return {c.id: c for c in found}


def test_usable_camera_and_microphone_pass(tmp_path: Path) -> None:
    fake_tree(tmp_path, video=2)
    result = checks(tmp_path)
    camera, mic = result["devices.camera"], result["devices.microphone"]
    assert camera.status is Status.PASS and camera.value == 2
    assert "video0, video1" in camera.message
    assert mic.status is Status.PASS and "pcmC0D0c" in mic.message


def test_camera_the_user_may_not_open_names_the_group(tmp_path: Path) -> None:
    fake_tree(tmp_path)
    camera = checks(tmp_path, blocked=("video0",))["devices.camera"]
    assert camera.status is Status.FAIL
    assert "video0" in camera.message and "'video'" in camera.message
    assert "usermod -aG video" in camera.fix and "log out" in camera.fix


def test_one_usable_camera_is_enough(tmp_path: Path) -> None:
    fake_tree(tmp_path, video=2)
    assert checks(tmp_path, blocked=("video0",))["devices.camera"].status is Status.PASS


def test_no_devices_warn_with_the_phone_as_way_out(tmp_path: Path) -> None:
    fake_tree(tmp_path, video=0, capture=False)
    result = checks(tmp_path)
    camera, mic = result["devices.camera"], result["devices.microphone"]
    assert camera.status is Status.WARN and camera.value == 0
    assert "phone" in camera.fix
    assert mic.status is Status.WARN and "1 sound card(s), but none can record" in mic.message


def test_missing_dev_and_proc_are_no_devices(tmp_path: Path) -> None:
    scan = scan_linux(tmp_path / "nothing", tmp_path / "nothing")
    assert scan.cameras == () and scan.microphones == () and scan.sound_cards == 0


def test_real_permissions_and_group_lookup(tmp_path: Path) -> None:
    fake_tree(tmp_path)
    scan = scan_linux(tmp_path / "dev", tmp_path / "proc")  # os.access on real files we own
    assert [n.path.name for n in scan.cameras] == ["video0"] and scan.cameras[0].usable
    assert scan.sound_cards == 1
    group = owning_group(tmp_path / "dev" / "video0")
    assert group is not None and group != ""
    assert owning_group(tmp_path / "missing") is None


@pytest.mark.parametrize(("system", "where"), [("macos", "System Settings"), ("windows", "Start")])
def test_systems_that_cannot_be_asked_give_the_settings_path(system: str, where: str) -> None:
    found = {c.id: c for c in device_checks(RULES, system)}
    for device in ("camera", "microphone"):
        check = found[f"devices.{device}"]
        assert check.status is Status.WARN and "does not let kyctui check" in check.message
        assert where in check.fix and device.capitalize() in check.fix
        assert "Privacy & Security" in check.fix or "Privacy & security" in check.fix


def test_phone_steps() -> None:
    android = phone_steps("android", RULES)
    assert "Settings > Apps" in android[0].text and android[0].source.startswith("seeds/003")
    ios = phone_steps(" iOS ", RULES)
    assert "Privacy & Security" in ios[0].text
    assert any("default browser" in step.text for step in ios)
    with pytest.raises(ValueError, match="android, ios"):
        phone_steps("symbian", RULES)


def test_desktop_advice() -> None:
    assert "Privacy & Security > Camera" in desktop_settings("macos", "camera", RULES)
    assert len(desktop_steps("windows", RULES)) == 2 and desktop_steps("linux", RULES) == ()
    with pytest.raises(ValueError):
        desktop_settings("linux", "camera", RULES)


@pytest.mark.parametrize(
    ("platform", "system"),
    [("linux", "linux"), ("darwin", "macos"), ("win32", "windows"), ("freebsd14", "freebsd14")],
)
def test_current_system(platform: str, system: str) -> None:
    assert current_system(platform) == system


def fake_which(table: dict[str, str]) -> Callable[[str], str | None]:
    return table.get


def test_browsers_on_path_with_versions(tmp_path: Path) -> None:
    chrome = tmp_path / "chrome"
    chrome.touch()
    (tmp_path / "google-chrome").symlink_to(chrome)
    table = {
        "google-chrome": str(tmp_path / "google-chrome"),
        "google-chrome-stable": str(chrome),  # the same file twice: listed once
        "firefox": "/usr/bin/firefox",
    }
    outputs = {str(tmp_path / "google-chrome"): "Google Chrome 126.0.6478.126 \n"}
    calls: list[tuple[list[str], float]] = []

    def runner(argv: Sequence[str], timeout: float) -> str | None:
        calls.append((list(argv), timeout))
        return outputs.get(argv[0])  # firefox "times out"

    found = find_browsers(RULES.browsers, "linux", which=fake_which(table), runner=runner)
    assert [(b.id, b.version) for b in found] == [("chrome", "126.0.6478.126"), ("firefox", None)]
    assert all(argv[1:] == ["--version"] and timeout == 3.0 for argv, timeout in calls)
    check = browser_check(found, RULES.browsers)
    assert check.status is Status.PASS and check.id == "devices.browser"
    assert "Google Chrome 126.0.6478.126" in check.message and "(version unknown)" in check.message
    assert "camera and microphone" in check.fix and "Update" in check.fix


def test_no_runner_means_no_browser_is_started() -> None:
    found = find_browsers(
        RULES.browsers, "linux", which=fake_which({"chromium": "/x"}), runner=None
    )
    assert found == [FoundBrowser("chromium", "chrome", "Chromium", "/x", None)]


def test_other_browsers_only_and_none_warn() -> None:
    edge = [FoundBrowser("edge", "edge", "Microsoft Edge", "/e", "126.0")]
    check = browser_check(edge, RULES.browsers)
    assert check.status is Status.WARN and "Chrome, Firefox or Safari" in check.fix
    none = browser_check([], RULES.browsers)
    assert none.status is Status.WARN and none.value is None and "phone" in none.fix


def test_macos_application_bundles(tmp_path: Path) -> None:
    contents = tmp_path / "Firefox.app" / "Contents"
    contents.mkdir(parents=True)
    with (contents / "Info.plist").open("wb") as handle:
        plistlib.dump({"CFBundleShortVersionString": "128.0.3"}, handle)
    (tmp_path / "Safari.app").mkdir()  # no Info.plist: found, version unknown
    found = find_browsers(RULES.browsers, "macos", app_dirs=[tmp_path], runner=None)
    assert [(b.id, b.version) for b in found] == [("firefox", "128.0.3"), ("safari", None)]


def test_windows_install_folders(tmp_path: Path) -> None:
    exe = tmp_path / "Mozilla Firefox" / "firefox.exe"
    exe.parent.mkdir()
    exe.touch()
    found = find_browsers(RULES.browsers, "windows", environ={"ProgramFiles": str(tmp_path)})
    assert [(b.id, b.location) for b in found] == [("firefox", str(exe))]


def test_run_version_runs_and_gives_up(tmp_path: Path) -> None:
    script = tmp_path / "firefox"
    script.write_text(f"#!{sys.executable}\nprint('Mozilla Firefox 128.0esr')\n")
    script.chmod(0o755)
    assert parse_version(run_version([str(script), "--version"], 5.0)) == "128.0"
    slow = tmp_path / "slow"
    slow.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(5)\n")
    slow.chmod(0o755)
    began = time.monotonic()
    assert run_version([str(slow)], 0.3) is None
    assert time.monotonic() - began < 3
    assert run_version([str(tmp_path / "missing")], 1.0) is None


def test_parse_version() -> None:
    assert parse_version("Chromium 126.0.6478.126 built on Debian") == "126.0.6478.126"
    assert parse_version("Brave Browser 126.1.67.116") == "126.1.67.116"
    assert parse_version("no digits") is None and parse_version(None) is None


def test_every_rule_has_a_source() -> None:
    rules: ProbeRules = RULES
    conn = rules.connection
    assert conn.latency_warn_ms.value < conn.latency_fail_ms.value
    assert conn.jitter_warn_ms.value < conn.jitter_fail_ms.value
    assert conn.failure_warn_share.value < conn.failure_fail_share.value
    assert "G.114" in conn.latency_warn_ms.source
    sourced = [*conn.fix.values(), *rules.linux.fix.values(), *rules.desktop.values()]
    sourced += [*rules.browsers.advice.values(), *(s for p in rules.phone.values() for s in p)]
    assert all(s.source.strip() and s.value.strip() for s in sourced)
    assert all(b.source.strip() for b in rules.browsers.known)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("[connection.latency_warn_ms]\nvalue = 300.0", "[connection.latency_warn_ms]\nvalue = 'x'",
         "connection.latency_warn_ms.value"),
        ('source = "ITU-T G.114: one-way delay up', 'nosource = "',
         "connection.latency_warn_ms.source"),
        ("[linux.camera_group]", "[linux.camera_groupe]", "linux.camera_group"),
        ('id = "opera"\n', "", "browsers.known[6].id"),
    ],
)  # fmt: skip
def test_malformed_file_names_the_key(old: str, new: str, key: str) -> None:
    text = (knowledge_dir() / "probes.toml").read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(KnowledgeError, match=re.escape(f"probes.toml: key '{key}'")):
        parse_probe_rules(text.replace(old, new, 1))
