"""Connection probe: DNS, TCP connect and TLS handshake times to the verification host, sampled.

Made for a thread worker: `progress(done, total)` after every sample, and `cancel` (an Event or a
callable) is looked at every few tens of milliseconds, also while a sample waits on the network,
so a cancelled probe returns at once with the samples it has.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from kyctui.domain.probes.network_result import ConnectionProbe, Sample
from kyctui.domain.probes.target import ProxySetting, Target

Address = tuple[int, tuple[Any, ...]]  # (socket family, sockaddr)
Resolver = Callable[[str, int], Sequence[Address]]
Clock = Callable[[], float]
Progress = Callable[[int, int], None]
Cancel = threading.Event | Callable[[], bool] | None

_SLICE = 0.05  # longest wait between two looks at the cancel flag
_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, 10035}  # 10035: Windows


class _Cancelled(Exception):
    pass


class _TimedOut(Exception):
    pass


def system_resolver(host: str, port: int) -> list[Address]:
    """The operating system's resolver (getaddrinfo), TCP addresses only."""
    return [(info[0], info[4]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class _Run:
    """One probe's clock, deadlines and cancel flag, shared by its waits."""

    def __init__(self, clock: Clock, cancel: Cancel, deadline: float) -> None:
        self.clock = clock
        self.deadline = deadline
        self.sample_deadline = deadline
        if isinstance(cancel, threading.Event):
            self.cancelled: Callable[[], bool] = cancel.is_set
        else:
            self.cancelled = cancel or (lambda: False)

    def slice(self) -> float:
        """How long the next wait may block; raises when cancelled or out of time."""
        if self.cancelled():
            raise _Cancelled
        left = self.sample_deadline - self.clock()
        if left <= 0:
            raise _TimedOut
        return min(left, _SLICE)

    def ms_since(self, start: float) -> float:
        return round((self.clock() - start) * 1000, 1)


def _resolve(run: _Run, resolver: Resolver, target: Target) -> Sequence[Address]:
    # getaddrinfo cannot be interrupted or given a timeout: it runs in a daemon thread, which
    # is left behind if it hangs past the deadline.
    box: list[Sequence[Address] | BaseException] = []

    def work() -> None:
        try:
            box.append(resolver(target.host, target.port))
        except BaseException as exc:  # handed to the caller
            box.append(exc)

    thread = threading.Thread(target=work, name="kyctui-dns", daemon=True)
    thread.start()
    thread.join(_SLICE)  # most lookups answer within one slice: no clock reading needed
    while not box:
        thread.join(run.slice())
    result = box[0]
    if isinstance(result, OSError):
        raise result
    if isinstance(result, BaseException):  # e.g. UnicodeError from an odd name: still a lookup
        raise OSError(f"the lookup failed ({result})") from result
    if not result:
        raise OSError("the name has no address")
    return result


def _connect_one(run: _Run, family: int, sockaddr: tuple[Any, ...]) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        code = sock.connect_ex(sockaddr)
        if code and code not in _IN_PROGRESS:
            raise OSError(code, os.strerror(code))
        while True:
            _, writable, broken = select.select([], [sock], [sock], run.slice())
            if writable or broken:
                code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if code:
                    raise OSError(code, os.strerror(code))
                return sock
    except BaseException:
        sock.close()
        raise


def _connect(run: _Run, addresses: Sequence[Address]) -> socket.socket:
    last: OSError | None = None
    for family, sockaddr in addresses:
        try:
            return _connect_one(run, family, sockaddr)
        except OSError as exc:  # e.g. no IPv6 route: the next address may work
            last = exc
    raise last or OSError("no address to connect to")


def _handshake(run: _Run, sock: socket.socket, context: ssl.SSLContext, host: str) -> None:
    with context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False) as tls:
        while True:
            try:
                tls.do_handshake()
                return
            except ssl.SSLWantReadError:
                select.select([tls], [], [], run.slice())
            except ssl.SSLWantWriteError:
                select.select([], [tls], [], run.slice())


def _describe(exc: OSError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {exc.verify_message}"
    if isinstance(exc, ssl.SSLEOFError | ConnectionResetError | ConnectionAbortedError):
        return "the connection was closed by the other end"
    if isinstance(exc, socket.gaierror):
        return f"the name does not resolve ({exc.strerror})"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(exc, ssl.SSLError):
        return f"secure handshake failed ({exc.reason or exc.strerror})"
    return exc.strerror or str(exc) or type(exc).__name__


def _sample(run: _Run, target: Target, resolver: Resolver, context: ssl.SSLContext) -> Sample:
    """One connection; raises _Cancelled (the caller drops the partial sample)."""
    dns_ms = connect_ms = None
    stage = "dns"
    try:
        start = run.clock()
        addresses = _resolve(run, resolver, target)
        dns_ms = run.ms_since(start)
        stage, start = "connect", run.clock()
        sock = _connect(run, addresses)
        connect_ms = run.ms_since(start)
        stage, start = "tls", run.clock()
        try:
            _handshake(run, sock, context, target.host)
        finally:
            sock.close()  # a no-op once the TLS socket has taken it over and closed it
        return Sample(dns_ms, connect_ms, run.ms_since(start))
    except _TimedOut:
        return Sample(dns_ms, connect_ms, None, stage, "timed out", timed_out=True)
    except OSError as exc:  # ssl.SSLError and socket.gaierror are OSErrors
        return Sample(dns_ms, connect_ms, None, stage, _describe(exc))


def probe_connection(
    target: Target,
    samples: int = 10,
    *,
    sample_timeout: float = 5.0,
    overall_timeout: float = 30.0,
    interval: float = 0.2,
    context: ssl.SSLContext | None = None,
    resolver: Resolver = system_resolver,
    clock: Clock = time.monotonic,
    progress: Progress | None = None,
    cancel: Cancel = None,
    proxy: ProxySetting | None = None,
) -> ConnectionProbe:
    """Connect `samples` times (DNS, TCP, TLS), each within `sample_timeout` seconds and all
    within `overall_timeout`. Certificates are verified (ssl.create_default_context) unless
    another `context` is given. `proxy` is only reported: the probe measures the direct path."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    context = context or ssl.create_default_context()
    started = clock()
    run = _Run(clock, cancel, started + overall_timeout)
    done: list[Sample] = []
    cancelled = deadline_hit = False
    if progress:
        progress(0, samples)
    try:
        for index in range(samples):
            if run.cancelled():
                raise _Cancelled
            if index and interval > 0:
                _pause(run, interval)
            run.sample_deadline = min(clock() + sample_timeout, run.deadline)
            done.append(_sample(run, target, resolver, context))
            if progress:
                progress(len(done), samples)
            if clock() >= run.deadline and len(done) < samples:
                deadline_hit = True
                break
    except _Cancelled:
        cancelled = True
    except _TimedOut:  # the overall deadline ran out during a pause
        deadline_hit = True
    errors = tuple(dict.fromkeys(s.error for s in done if s.error and "certificate" in s.error))
    return ConnectionProbe(
        target=target,
        requested=samples,
        samples=tuple(done),
        proxy=proxy,
        cancelled=cancelled,
        deadline_hit=deadline_hit,
        elapsed_s=clock() - started,
        certificate_errors=errors,
    )


def _pause(run: _Run, seconds: float) -> None:
    # Paced in real time whatever the injected clock; the clock still bounds it by the deadline.
    run.sample_deadline = run.deadline
    until = time.monotonic() + seconds
    while (left := until - time.monotonic()) > 0:
        time.sleep(min(run.slice(), left))
