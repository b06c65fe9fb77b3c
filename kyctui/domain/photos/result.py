"""The outcome of one check and of one photo: status, measured value, limit, message and fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Value = float | int | str | None


class Status(StrEnum):
    """pass, warn or fail; a check that could not run is a fail saying why."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2}


def worst(statuses: list[Status]) -> Status:
    """The most severe of several statuses (pass when there are none)."""
    return max(statuses, key=_RANK.__getitem__, default=Status.PASS)


@dataclass(frozen=True)
class CheckResult:
    """One check of one photo. `value` is what was measured, `limit` what it is held against."""

    id: str
    status: Status
    value: Value
    limit: Value
    message: str
    fix: str = ""

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape for one check."""
        return {
            "id": self.id,
            "status": str(self.status),
            "value": self.value,
            "limit": self.limit,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class Earlier:
    """A photo seen before: another photo of this call, or one from a rejected attempt."""

    label: str  # e.g. "id-back photo back.jpg" or "the photo rejected on 2026-03-02 (blurry)"
    phash: str
    # From an attempt the exchange rejected: the same picture again is a warning (it may have
    # been refused for another reason), not the fail of one picture used for two slots.
    rejected: bool = False


@dataclass(frozen=True)
class Skipped:
    """A check that needs an optional extra that is not installed."""

    id: str
    why: str


@dataclass
class PhotoReport:
    """Every check of one photo, plus what the rest of the app stores about it (never pixels)."""

    path: str
    kind: str
    checks: list[CheckResult] = field(default_factory=list)
    size_bytes: int | None = None
    sha256: str | None = None
    phash: str | None = None
    width: int | None = None
    height: int | None = None

    @property
    def verdict(self) -> Status:
        """The worst status of its checks."""
        return worst([c.status for c in self.checks])

    @property
    def readable(self) -> bool:
        """Whether the file could be opened at all."""
        return not any(c.id == "file.readable" and c.status is Status.FAIL for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape for one photo."""
        return {
            "path": self.path,
            "kind": self.kind,
            "verdict": str(self.verdict),
            "checks": [c.to_json() for c in self.checks],
        }
