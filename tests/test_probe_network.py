"""The connection probe against servers this file starts on 127.0.0.1, and its verdict."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from kyctui.domain.photos.result import CheckResult, Status
from kyctui.domain.probes.network import Address, probe_connection
from kyctui.domain.probes.network_result import ConnectionProbe, Sample
from kyctui.domain.probes.network_verdict import connection_checks, no_host_check, proxy_check
from kyctui.domain.probes.rules import load_probe_rules
from kyctui.domain.probes.target import ProxySetting, Target, parse_target, proxy_from_env

# .invalid never resolves (RFC 6761): only the test's resolver knows this name.
TEST_NAME = "verify.kyctui.invalid"
# Used only where the `openssl` tool is missing: the same kind of certificate, made once by
# `openssl req -x509 -newkey ec ... -days 36500` with make_certificate's subjectAltName.
FALLBACK_CERT = """-----BEGIN CERTIFICATE-----
MIIBtzCCAV6gAwIBAgIUF22K9zgkEqbsb8cSccVzfYXCUjcwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLa3ljdHVpLXRlc3QwIBcNMjYxMTIzMTg1NzQ2WhgPMjEyNjEw
MzAxODU3NDZaMBYxFDASBgNVBAMMC2t5Y3R1aS10ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAEX0L/lI07FWgmPV5BKy7ih8c8ReqnbpgLuM7UudtlN30EtHui
RMkTwS02dXd52F2jFThGGqn09w1EmKzcDzevCqOBhzCBhDAdBgNVHQ4EFgQUkNsR
FIYeb15ndyq4VAslAb3hmEMwHwYDVR0jBBgwFoAUkNsRFIYeb15ndyq4VAslAb3h
mEMwDwYDVR0TAQH/BAUwAwEB/zAxBgNVHREEKjAohwR/AAABgglsb2NhbGhvc3SC
FXZlcmlmeS5reWN0dWkuaW52YWxpZDAKBggqhkjOPQQDAgNHADBEAiAj0Ma5BAJf
o2EkZ3eR/aSKkZ4RT7va5L5JisAYQhKTWQIgQcLPZHyGGNTGJNbe/nugmXmCzuKx
98MSNdxOGlhY/RY=
-----END CERTIFICATE-----
"""
FALLBACK_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbp2W1FCTr5HSfAPl
QZq7PA7TU2ZH9KwJPpXLsbvL2CKhRANCAARfQv+UjTsVaCY9XkErLuKHxzxF6qdu
mAu4ztS522U3fQS0e6JEyRPBLTZ1d3nYXaMVOEYaqfT3DUSYrNwPN68K
-----END PRIVATE KEY-----
"""


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, localhost and TEST_NAME, made now with openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    openssl = shutil.which("openssl")
    if openssl is None:
        cert.write_text(FALLBACK_CERT)
        key.write_text(FALLBACK_KEY)
        return cert, key
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=kyctui-test",
         "-addext", f"subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:{TEST_NAME}"],
        check=True, capture_output=True, timeout=20,
    )  # fmt: skip
    return cert, key


def _serve(
    listener: socket.socket, mode: str, context: ssl.SSLContext, delay: float, stop: threading.Event
) -> None:
    held: list[socket.socket] = []
    listener.settimeout(0.05)
    while not stop.is_set():
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        if mode == "silent":
            held.append(conn)
            continue
        if mode == "drop":
            conn.close()
            continue
        threading.Thread(target=_handshake, args=(conn, context, delay), daemon=True).start()
    for conn in held:
        conn.close()


def _handshake(conn: socket.socket, context: ssl.SSLContext, delay: float) -> None:
    time.sleep(delay)
    conn.settimeout(5)
    try:
        with context.wrap_socket(conn, server_side=True):
            pass
    except OSError:  # the client gave up (timed out, or rejected our certificate)
        conn.close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """Verifies like the default context, trusting only the test's certificate."""
    return ssl.create_default_context(cafile=str(certificate[0]))


@contextmanager
def serve(certificate: tuple[Path, Path], mode: str = "tls", delay: float = 0.0) -> Iterator[int]:
    """A server on 127.0.0.1 for the `with` block; gives its port. mode: "tls" completes
    handshakes (after `delay` seconds), "drop" closes every connection at once, "silent"
    accepts and never answers."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    stop = threading.Event()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        args = (listener, mode, context, delay, stop)
        thread = threading.Thread(target=_serve, args=args, daemon=True)
        thread.start()
        try:
            yield listener.getsockname()[1]
        finally:
            stop.set()
            thread.join(2)


@pytest.fixture
def start_server(certificate: tuple[Path, Path]) -> Iterator[Callable[..., int]]:
    """Starts servers (see `serve`) that stop when the test ends."""
    with ExitStack() as stack:
        yield lambda mode="tls", delay=0.0: stack.enter_context(serve(certificate, mode, delay))


def test_fallback_certificate_when_openssl_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    certificate = make_certificate(tmp_path)
    assert certificate[0].read_text() == FALLBACK_CERT
    client = ssl.create_default_context(cafile=str(certificate[0]))
    with serve(certificate) as port:
        for host in ("127.0.0.1", TEST_NAME):
            probe = probe_connection(Target(host, port), 1, context=client, resolver=local_resolver)
            assert probe.samples[0].ok, probe.samples[0].error


def local_resolver(host: str, port: int) -> list[Address]:
    """Knows TEST_NAME and 127.0.0.1; every other name fails as a real resolver would."""
    if host in (TEST_NAME, "127.0.0.1"):
        return [(socket.AF_INET, ("127.0.0.1", port))]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def by_id(probe: ConnectionProbe) -> dict[str, CheckResult]:
    return {c.id: c for c in connection_checks(probe, load_probe_rules().connection)}


def test_tls_server_every_sample_passes(
    start_server: Callable[..., int], client_context: ssl.SSLContext
) -> None:
    port = start_server()
    seen: list[tuple[int, int]] = []
    probe = probe_connection(
        Target(TEST_NAME, port), 4, interval=0, context=client_context,
        resolver=local_resolver, progress=lambda d, t: seen.append((d, t)),
    )  # fmt: skip
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert len(probe.ok_samples) == 4 and probe.failed == probe.timed_out == 0
    assert all(s.dns_ms is not None and s.connect_ms is not None for s in probe.samples)
    assert probe.latency_ms is not None and probe.tls_ms is not None and probe.jitter_ms is not None
    checks = by_id(probe)
    assert {c.status for c in checks.values()} == {Status.PASS}
    assert "certificate verified" in checks["connection.tls"].message
    assert "connection.samples" not in checks


def test_certificate_is_verified_by_default(start_server: Callable[..., int]) -> None:
    port = start_server()
    probe = probe_connection(Target("127.0.0.1", port), 2, interval=0)
    assert probe.ok_samples == [] and all(s.stage == "tls" for s in probe.samples)
    assert probe.certificate_errors and "certificate" in probe.certificate_errors[0]
    assert probe.latency_ms is not None  # the round trips before the handshake still count
    tls = by_id(probe)["connection.tls"]
    assert tls.status is Status.FAIL and "not trusted" in tls.message


def test_delaying_server_is_measured_then_times_out(
    start_server: Callable[..., int], client_context: ssl.SSLContext
) -> None:
    port = start_server(delay=0.25)
    target = Target("127.0.0.1", port)
    slow = probe_connection(target, 1, context=client_context, sample_timeout=3)
    assert slow.samples[0].ok and slow.samples[0].tls_ms is not None
    assert slow.samples[0].tls_ms >= 240
    began = time.monotonic()
    cut = probe_connection(target, 2, interval=0, context=client_context, sample_timeout=0.1)
    assert time.monotonic() - began < 1.5
    assert cut.timed_out == 2 and all(s.stage == "tls" for s in cut.samples)
    failures = by_id(cut)["connection.failures"]
    assert failures.status is Status.FAIL and "2 timed out" in failures.message


def test_dropped_connections_fail(
    start_server: Callable[..., int], client_context: ssl.SSLContext
) -> None:
    port = start_server("drop")
    probe = probe_connection(Target("127.0.0.1", port), 3, interval=0, context=client_context)
    assert probe.failed == 3 and probe.timed_out == 0
    assert all(s.stage == "tls" and s.connect_ms is not None for s in probe.samples)
    checks = by_id(probe)
    assert checks["connection.failures"].value == 1.0
    for check_id in ("connection.failures", "connection.tls"):
        assert checks[check_id].status is Status.FAIL
    assert checks["connection.latency"].status is Status.PASS  # TCP itself connected
    assert "closed" in checks["connection.failures"].message


def test_refused_port_fails_at_connect(client_context: ssl.SSLContext) -> None:
    with socket.socket() as placeholder:  # a port nobody listens on
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    probe = probe_connection(Target("127.0.0.1", port), 2, interval=0, context=client_context)
    assert [s.stage for s in probe.samples] == ["connect", "connect"]
    assert "refused" in (probe.samples[0].error or "")


def test_name_that_does_not_resolve(client_context: ssl.SSLContext) -> None:
    probe = probe_connection(
        Target("nothing.kyctui.invalid"), 2, interval=0, context=client_context,
        resolver=local_resolver,
    )  # fmt: skip
    assert [s.stage for s in probe.samples] == ["dns", "dns"]
    dns = by_id(probe)["connection.dns"]
    assert dns.status is Status.FAIL
    assert "nothing.kyctui.invalid" in dns.message and "does not resolve" in dns.message
    assert "another network" in dns.fix


def test_cancel_between_samples(
    start_server: Callable[..., int], client_context: ssl.SSLContext
) -> None:
    port = start_server()
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 2:
            stop.set()

    probe = probe_connection(
        Target("127.0.0.1", port), 10, interval=0, context=client_context,
        progress=progress, cancel=stop,
    )  # fmt: skip
    assert probe.cancelled and len(probe.samples) == 2 and not probe.complete
    incomplete = by_id(probe)["connection.samples"]
    assert incomplete.status is Status.WARN and "cancelled after 2 of 10" in incomplete.message


def test_cancel_during_a_sample_returns_promptly(
    start_server: Callable[..., int], client_context: ssl.SSLContext
) -> None:
    port = start_server("silent")
    flag = {"stop": False}
    threading.Timer(0.2, lambda: flag.update(stop=True)).start()
    began = time.monotonic()
    probe = probe_connection(
        Target("127.0.0.1", port), 5, context=client_context, sample_timeout=10,
        overall_timeout=20, cancel=lambda: flag["stop"],
    )  # fmt: skip
    assert time.monotonic() - began < 1.0
    assert probe.cancelled and probe.samples == ()


def test_overall_timeout_is_hard(
    start_server: Callable[..., int], client_context: ssl.SSLContext
) -> None:
    port = start_server("silent")
    began = time.monotonic()
    probe = probe_connection(
        Target("127.0.0.1", port), 10, context=client_context, sample_timeout=5,
        overall_timeout=0.4,
    )  # fmt: skip
    assert time.monotonic() - began < 1.2
    assert probe.deadline_hit and not probe.cancelled
    assert len(probe.samples) == 1 and probe.samples[0].timed_out
    assert "time limit" in by_id(probe)["connection.samples"].message


class FakeClock:
    """Time moves only when the resolver says a lookup took a while."""

    def __init__(self, lookup_s: float) -> None:
        self.now, self.lookup_s = 100.0, lookup_s

    def __call__(self) -> float:
        return self.now

    def resolver(self, host: str, port: int) -> list[Address]:
        self.now += self.lookup_s
        return local_resolver(host, port)


def test_injected_clock_times_the_stages(
    start_server: Callable[..., int], client_context: ssl.SSLContext
) -> None:
    port = start_server()
    clock = FakeClock(0.6)
    probe = probe_connection(
        Target(TEST_NAME, port), 3, interval=0, context=client_context,
        resolver=clock.resolver, clock=clock,
    )  # fmt: skip
    assert [s.dns_ms for s in probe.samples] == [600.0, 600.0, 600.0]
    assert [s.connect_ms for s in probe.samples] == [0.0, 0.0, 0.0]
    dns = by_id(probe)["connection.dns"]
    assert dns.status is Status.WARN and dns.value == 600.0 and dns.limit == "<= 500"


def test_injected_clock_drives_the_overall_deadline(
    start_server: Callable[..., int], client_context: ssl.SSLContext
) -> None:
    port = start_server()
    clock = FakeClock(4.0)
    probe = probe_connection(
        Target(TEST_NAME, port), 10, interval=0, context=client_context,
        resolver=clock.resolver, clock=clock, sample_timeout=5, overall_timeout=10,
    )  # fmt: skip
    assert probe.deadline_hit and len(probe.samples) == 3
    assert [s.ok for s in probe.samples] == [True, True, False] and probe.samples[2].timed_out
    assert probe.elapsed_s == 12.0


def made(connect_ms: list[float], failed: int = 0, timed_out: int = 0) -> ConnectionProbe:
    samples = [Sample(1.0, ms, 2.0) for ms in connect_ms]
    samples += [Sample(1.0, None, None, "connect", "the connection was refused")] * failed
    samples += [Sample(1.0, 5.0, None, "tls", "timed out", timed_out=True)] * timed_out
    return ConnectionProbe(Target("example.invalid"), len(samples), tuple(samples))


@pytest.mark.parametrize(
    ("times", "status"),
    [([20.0] * 5, Status.PASS), ([350.0] * 5, Status.WARN), ([900.0] * 5, Status.FAIL)],
)
def test_latency_thresholds(times: list[float], status: Status) -> None:
    latency = by_id(made(times))["connection.latency"]
    assert latency.status is status and latency.value == times[0]
    if status is not Status.PASS:
        assert "cable" in latency.fix


def test_jitter_is_mean_absolute_difference_of_successive_samples() -> None:
    probe = made([10.0, 30.0, 10.0, 30.0, 10.0])
    assert probe.jitter_ms == 20.0 and probe.latency_ms == 10.0
    assert by_id(probe)["connection.jitter"].status is Status.PASS
    assert by_id(made([10.0, 110.0, 10.0, 110.0]))["connection.jitter"].status is Status.WARN
    assert by_id(made([10.0, 400.0, 10.0]))["connection.jitter"].status is Status.FAIL
    assert by_id(made([10.0]))["connection.jitter"].value is None


def test_failure_share_thresholds() -> None:
    assert by_id(made([20.0] * 10))["connection.failures"].status is Status.PASS
    one = by_id(made([20.0] * 9, failed=1))["connection.failures"]
    assert one.status is Status.WARN and one.value == 0.1
    two = by_id(made([20.0] * 8, failed=1, timed_out=1))["connection.failures"]
    assert two.status is Status.FAIL and "1 timed out" in two.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("www.okx.com", Target("www.okx.com", 443)),
        ("www.okx.com:443", Target("www.okx.com", 443)),
        ("127.0.0.1:8443", Target("127.0.0.1", 8443)),
        ("[::1]:8443", Target("::1", 8443)),
        ("::1", Target("::1", 443)),
        ("bücher.example", Target("bücher.example", 443)),
    ],
)
def test_parse_target(text: str, expected: Target) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text", ["", ":443", "host:", "host:0", "host:65536", "host:https", "a b", "x/y", "[::1"]
)
def test_parse_target_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="HOST"):
        parse_target(text)


def test_proxy_shows_host_never_credentials() -> None:
    proxy = proxy_from_env({"HTTPS_PROXY": "http://alice:s3cret@proxy.example:3128"})
    assert proxy == ProxySetting("HTTPS_PROXY", "proxy.example:3128")
    check = proxy_check(proxy, load_probe_rules().connection)
    assert check.status is Status.WARN and "proxy.example:3128" in check.message
    assert "s3cret" not in repr(check) and "alice" not in repr(check)


def test_proxy_variables_and_their_order() -> None:
    assert proxy_from_env({}) is None
    assert proxy_from_env({"HTTP_PROXY": "http://p:1"}) is None  # not used for HTTPS
    both = {"https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2"}
    assert proxy_from_env(both) == ProxySetting("https_proxy", "lower:1")
    assert proxy_from_env({"ALL_PROXY": "socks5://[::1]:1080"}) == ProxySetting(
        "ALL_PROXY", "[::1]:1080"
    )
    assert proxy_from_env({"all_proxy": "gateway.lan"}) == ProxySetting("all_proxy", "gateway.lan")
    odd = proxy_from_env({"HTTPS_PROXY": "http://[oops"})
    assert odd is not None and "not a readable address" in odd.host
    assert proxy_check(None, load_probe_rules().connection).status is Status.PASS


def test_no_host_is_a_warning_with_advice() -> None:
    check = no_host_check("Generic exchange", load_probe_rules().connection)
    assert check.id == "connection.host" and check.status is Status.WARN
    assert "--host" in check.fix
