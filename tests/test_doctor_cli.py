"""`kyctui doctor` against servers on 127.0.0.1: the JSON contract, exit codes and usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import kyctui.domain.probes.runner as probe_runner
from kyctui.cli import main
from kyctui.commands.doctor import peak_hours_checks
from kyctui.domain.photos.result import CheckResult, Status
from tests.test_probe_network import make_certificate, serve

CHECK_KEYS = {"id", "status", "value", "limit", "message", "fix"}
PROXY_VARIABLES = ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(autouse=True)
def machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    """A computer with a usable camera and microphone (whatever this one has), one browser on
    PATH, no proxy, and trust in the test's certificate through SSL_CERT_FILE."""
    usable = [
        CheckResult("devices.camera", Status.PASS, 1, None, "camera usable: video0"),
        CheckResult("devices.microphone", Status.PASS, 1, None, "microphone usable: pcmC0D0c"),
    ]
    monkeypatch.setattr(probe_runner, "device_checks", lambda *args: list(usable))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    firefox = bin_dir / "firefox"
    firefox.write_text(f"#!{sys.executable}\nprint('Mozilla Firefox 128.0')\n")
    firefox.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    for variable in PROXY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["doctor", *args])
    out, err = capsys.readouterr()
    return code, out, err


def doctor_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = doctor(capsys, *args, "--json")
    assert err == ""
    return code, json.loads(out)


def statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["status"] for c in doc["checks"]}


def test_json_contract_against_a_trusted_server(
    capsys: pytest.CaptureFixture[str], certificate: tuple[Path, Path]
) -> None:
    with serve(certificate) as port:
        code, doc = doctor_json(capsys, "--host", f"127.0.0.1:{port}", "--samples", "3")
    assert code == 0
    assert doc["version"] == 1 and doc["host"] == f"127.0.0.1:{port}" and doc["proxy"] is None
    assert all(set(c) == CHECK_KEYS for c in doc["checks"])
    assert statuses(doc) == {
        "connection.dns": "pass", "connection.latency": "pass", "connection.jitter": "pass",
        "connection.failures": "pass", "connection.tls": "pass", "connection.proxy": "pass",
        "devices.camera": "pass", "devices.microphone": "pass", "devices.browser": "pass",
    }  # fmt: skip
    samples = doc["samples"]
    assert samples["requested"] == samples["done"] == samples["ok"] == 3
    assert len(samples["list"]) == 3 and samples["latency_median_ms"] is not None
    assert doc["browsers"] == [{"id": "firefox", "title": "Mozilla Firefox", "version": "128.0"}]


def test_without_the_certificate_trusted_tls_fails(
    capsys: pytest.CaptureFixture[str],
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    other = tmp_path / "other-ca.pem"
    other.write_text("")  # trusts nothing: the system's store would not know our certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    with serve(certificate) as port:
        code, doc = doctor_json(capsys, "--host", f"127.0.0.1:{port}", "--samples", "1")
    assert code == 1 and statuses(doc)["connection.tls"] == "fail"


def test_dropped_connections_exit_1(
    capsys: pytest.CaptureFixture[str], certificate: tuple[Path, Path]
) -> None:
    with serve(certificate, "drop") as port:
        code, doc = doctor_json(capsys, "--host", f"127.0.0.1:{port}", "--samples", "2")
    assert code == 1
    assert statuses(doc)["connection.failures"] == "fail" and doc["samples"]["failed"] == 2


def test_timeout_bounds_a_silent_server(
    capsys: pytest.CaptureFixture[str], certificate: tuple[Path, Path]
) -> None:
    with serve(certificate, "silent") as port:
        code, doc = doctor_json(capsys, "--host", f"127.0.0.1:{port}", "--timeout", "0.3")
    assert code == 1
    assert doc["samples"]["deadline_hit"] and doc["samples"]["done"] == 1
    assert statuses(doc)["connection.samples"] == "warn"


def test_human_output_one_line_per_check(
    capsys: pytest.CaptureFixture[str], certificate: tuple[Path, Path]
) -> None:
    with serve(certificate) as port:
        code, out, err = doctor(capsys, "--host", f"127.0.0.1:{port}", "--samples", "2")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"kyctui doctor: Generic exchange, 127.0.0.1:{port}"
    ids = [line.split()[2] for line in lines[1:]]
    assert ids == [
        "connection.dns", "connection.latency", "connection.jitter", "connection.failures",
        "connection.tls", "connection.proxy", "devices.camera", "devices.microphone",
        "devices.browser",
    ]  # fmt: skip
    latency = next(line for line in lines if "connection.latency" in line)
    assert "pass" in latency and "(limit <= 300)" in latency
    assert "Mozilla Firefox 128.0" in out and "\x1b[" not in out  # NO_COLOR, and not a tty
    assert "→" in out  # the browser advice still shows on a pass


def test_proxy_is_shown_without_credentials(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://alice:s3cret@proxy.kyctui.invalid:3128")
    code, out, err = doctor(capsys, "--json")  # generic: no host, nothing is contacted
    doc = json.loads(out)
    assert doc["proxy"] == "proxy.kyctui.invalid:3128"
    assert statuses(doc)["connection.proxy"] == "warn"
    assert "s3cret" not in out + err and "alice" not in out + err
    assert code == 0


def test_exchange_without_host_is_not_measured(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = doctor_json(capsys, "--exchange", "generic")
    assert code == 0 and doc["host"] is None and doc["samples"] is None
    assert statuses(doc)["connection.host"] == "warn"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--host", "bad host"], "--host"),
        (["--host", ""], "--host"),
        (["--host", "example.invalid:70000"], "port"),
        (["--samples", "0"], "--samples"),
        (["--samples", "many"], "invalid int"),
        (["--timeout", "0"], "--timeout"),
        (["--exchange", "nope"], "unknown exchange"),
    ],
)
def test_usage_errors_exit_2_on_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    code, out, err = doctor(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("kyctui: ") and words in err and err.count("\n") == 1


def test_entry_point_usage_error_has_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kyctui", "doctor", "--samples", "-3"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == "kyctui: --samples must be at least 1"


def test_peak_hours_check_says_the_quieter_time_in_the_users_zone() -> None:
    busy = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # 09:30 in Singapore: the busy morning
    [check] = peak_hours_checks("okx", busy, ZoneInfo("Europe/Berlin"))
    assert check.id == "connection.peak-hours" and check.status is Status.WARN
    assert "quieter from 05:00" in check.message and check.limit == "outside 01:00–05:00 CET"
    [quiet] = peak_hours_checks("okx", datetime(2026, 11, 23, 10, 30, tzinfo=UTC), UTC)
    assert quiet.status is Status.PASS
    assert peak_hours_checks("generic", busy) == [] and peak_hours_checks("coinex", busy) == []


def test_okx_doctor_reports_peak_hours_without_failing_on_them(
    capsys: pytest.CaptureFixture[str], certificate: tuple[Path, Path]
) -> None:
    with serve(certificate) as port:
        code, doc = doctor_json(
            capsys, "--exchange", "okx", "--host", f"127.0.0.1:{port}", "--samples", "2"
        )
    assert code == 0  # busy hours warn at most: they slow a verification, they do not fail it
    peak = next(c for c in doc["checks"] if c["id"] == "connection.peak-hours")
    assert peak["status"] in ("pass", "warn") and peak["limit"].startswith("outside ")
    ids = [c["id"] for c in doc["checks"]]
    assert ids.index("connection.peak-hours") == ids.index("connection.proxy") + 1
