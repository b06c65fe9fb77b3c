"""What a connection probe measured: its samples, medians, jitter and failures."""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field
from typing import Any

from kyctui.domain.probes.target import ProxySetting, Target


@dataclass(frozen=True)
class Sample:
    """One connection: each stage's time in ms (None if not reached), or where and why it failed."""

    dns_ms: float | None = None
    connect_ms: float | None = None
    tls_ms: float | None = None
    stage: str | None = None  # "dns", "connect" or "tls" when the sample failed
    error: str | None = None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.stage is None

    def to_json(self) -> dict[str, Any]:
        return {
            "dns_ms": self.dns_ms,
            "connect_ms": self.connect_ms,
            "tls_ms": self.tls_ms,
            "stage": self.stage,
            "error": self.error,
            "timed_out": self.timed_out,
        }


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


@dataclass(frozen=True)
class ConnectionProbe:
    """What a probe measured. Latency is the TCP connect time (one round trip); jitter the mean
    absolute difference of successive connect times."""

    target: Target
    requested: int
    samples: tuple[Sample, ...]
    proxy: ProxySetting | None = None
    cancelled: bool = False
    deadline_hit: bool = False  # the overall timeout stopped it
    elapsed_s: float = 0.0
    certificate_errors: tuple[str, ...] = field(default=())

    @property
    def ok_samples(self) -> list[Sample]:
        return [s for s in self.samples if s.ok]

    @property
    def failed(self) -> int:
        return sum(1 for s in self.samples if not s.ok and not s.timed_out)

    @property
    def timed_out(self) -> int:
        return sum(1 for s in self.samples if s.timed_out)

    @property
    def complete(self) -> bool:
        return len(self.samples) == self.requested

    @property
    def dns_ms(self) -> float | None:
        return _median([s.dns_ms for s in self.samples if s.dns_ms is not None])

    @property
    def _connect_times(self) -> list[float]:
        # Every TCP connect that completed is a round trip, even when the TLS handshake after
        # it failed: a certificate problem does not hide the latency.
        return [s.connect_ms for s in self.samples if s.connect_ms is not None]

    @property
    def latency_ms(self) -> float | None:
        return _median(self._connect_times)

    @property
    def tls_ms(self) -> float | None:
        return _median([s.tls_ms for s in self.ok_samples if s.tls_ms is not None])

    @property
    def jitter_ms(self) -> float | None:
        times = self._connect_times
        if len(times) < 2:
            return None
        return round(statistics.fmean(abs(b - a) for a, b in itertools.pairwise(times)), 1)

    def to_json(self) -> dict[str, Any]:
        """The `samples` object of `kyctui doctor --json`."""
        return {
            "requested": self.requested,
            "done": len(self.samples),
            "ok": len(self.ok_samples),
            "failed": self.failed,
            "timed_out": self.timed_out,
            "cancelled": self.cancelled,
            "deadline_hit": self.deadline_hit,
            "elapsed_s": round(self.elapsed_s, 3),
            "dns_median_ms": self.dns_ms,
            "latency_median_ms": self.latency_ms,
            "tls_median_ms": self.tls_ms,
            "jitter_ms": self.jitter_ms,
            "list": [s.to_json() for s in self.samples],
        }
